"""An organisation's service areas and its own indicators, kept by its admins on their pages.

The shared catalogue is nobody's to change here: an organisation adds indicators of its own
beside it. One with data is retired, never deleted, so that its figures keep their meaning.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from portfolio.models import Aspiration, Indicator, Measurement, ServiceArea


class ReferenceDataError(access.LanternError):
    """A change to service areas or indicators that Lantern refuses, with the reason in plain English."""


def _require(actor: User, organisation: Organisation) -> None:
    access.require(actor, "portfolio.manage_indicators", organisation)


def _service_area_name_taken(organisation: Organisation, name: str, exclude_pk: int | None = None) -> bool:
    others = ServiceArea.objects.for_organisation(organisation).filter(name__iexact=name)
    return others.exclude(pk=exclude_pk).exists() if exclude_pk else others.exists()


@transaction.atomic
def service_area_create(*, actor: User, organisation: Organisation, name: str, service: str) -> ServiceArea:
    """Adds a service area to the organisation, in its own words, mapped to a standard service."""
    _require(actor, organisation)
    if _service_area_name_taken(organisation, name):
        raise ReferenceDataError(_("There is already a service area called %(name)s") % {"name": name})
    return ServiceArea.objects.create(organisation=organisation, name=name, service=service)


@transaction.atomic
def service_area_update(*, actor: User, service_area: ServiceArea, name: str, service: str) -> ServiceArea:
    """Renames a service area or maps it to another standard service."""
    _require(actor, service_area.organisation)
    if _service_area_name_taken(service_area.organisation, name, exclude_pk=service_area.pk):
        raise ReferenceDataError(_("There is already a service area called %(name)s") % {"name": name})
    service_area.name, service_area.service = name, service
    service_area.save(update_fields=["name", "service"])
    return service_area


def _code_taken(organisation: Organisation, code: str, exclude_pk: int | None = None) -> bool:
    same = Indicator.objects.available_to(organisation).filter(code__iexact=code)
    return same.exclude(pk=exclude_pk).exists() if exclude_pk else same.exists()


def _own(actor: User, indicator: Indicator) -> None:
    # The catalogue is shared by every organisation: no organisation's admin changes it.
    if indicator.organisation_id is None:
        raise access.Refused(_("The national catalogue’s indicators cannot be changed."))
    _require(actor, indicator.organisation)


@transaction.atomic
def indicator_create(
    *,
    actor: User,
    organisation: Organisation,
    code: str,
    name: str,
    unit: str,
    polarity: int,
    frequency: str,
    service: str,
    description: str = "",
) -> Indicator:
    """Adds an indicator of the organisation's own beside the catalogue."""
    _require(actor, organisation)
    if _code_taken(organisation, code):
        raise ReferenceDataError(
            _("The code %(code)s is already used by another indicator. Choose a different code") % {"code": code}
        )
    indicator = Indicator(
        organisation=organisation,
        code=code,
        name=name,
        unit=unit,
        polarity=polarity,
        frequency=frequency,
        service=service,
        description=description,
    )
    indicator._history_user = actor
    indicator._change_reason = "Indicator added"
    indicator.save()
    return indicator


def indicator_has_data(*, indicator: Indicator) -> bool:
    """Whether anything records a figure for it, or aims an idea or project at it."""
    return (
        Measurement.objects.filter(indicator=indicator).exists()
        or Aspiration.objects.filter(indicator=indicator).exists()
        or indicator.gap_rows.exists()
        # Reverse relations from innovation: portfolio may not import it.
        or indicator.ideas.exists()
        or indicator.projects.exists()
    )


@transaction.atomic
def indicator_update(
    *, actor: User, indicator: Indicator, name: str, unit: str, description: str = "", **fields
) -> Indicator:
    """Changes an own indicator's words; its code, polarity and frequency only while it has no data,
    since changing them would change what its figures mean."""
    _own(actor, indicator)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    changes_meaning = any(
        key in fields and fields[key] != getattr(indicator, key) for key in ("code", "polarity", "frequency")
    )
    if changes_meaning and indicator_has_data(indicator=indicator):
        raise ReferenceDataError(
            _(
                "This indicator already has figures, so its code, which way is better and how often it is "
                "reported cannot change. Retire it and add a new one instead"
            )
        )
    code = fields.get("code", indicator.code)
    if code != indicator.code and _code_taken(indicator.organisation, code, exclude_pk=indicator.pk):
        raise ReferenceDataError(
            _("The code %(code)s is already used by another indicator. Choose a different code") % {"code": code}
        )
    indicator.name, indicator.unit, indicator.description = name, unit, description
    for key in ("code", "polarity", "frequency", "service"):
        if key in fields:
            setattr(indicator, key, fields[key])
    indicator._history_user = actor
    indicator._change_reason = "Indicator changed"
    indicator.save()
    return indicator


@transaction.atomic
def indicator_retire(*, actor: User, indicator: Indicator) -> Indicator:
    """Takes an own indicator out of forms and new imports; its figures and history stay."""
    _own(actor, indicator)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.retired_at is not None:
        raise ReferenceDataError(_("This indicator has already been retired"))
    indicator.retired_at = timezone.now()
    indicator._history_user = actor
    indicator._change_reason = "Indicator retired"
    indicator.save(update_fields=["retired_at"])
    return indicator


@transaction.atomic
def indicator_reinstate(*, actor: User, indicator: Indicator) -> Indicator:
    """Brings a retired own indicator back into forms and imports."""
    _own(actor, indicator)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.retired_at is None:
        raise ReferenceDataError(_("This indicator is in use: it is not retired"))
    indicator.retired_at = None
    indicator._history_user = actor
    indicator._change_reason = "Indicator back in use"
    indicator.save(update_fields=["retired_at"])
    return indicator


@transaction.atomic
def indicator_delete(*, actor: User, indicator: Indicator) -> None:
    """Deletes an own indicator added by mistake: only while nothing records a figure for it."""
    _own(actor, indicator)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator_has_data(indicator=indicator):
        raise ReferenceDataError(
            _(
                "This indicator has figures, or ideas or projects aimed at it, so it cannot be deleted. "
                "Retire it instead"
            )
        )
    indicator._history_user = actor
    indicator._change_reason = "Indicator deleted"
    indicator.delete()

"""Comparison groups an organisation's admins define, and which group its gap report opens with.

A group takes effect at the next recompute of the gap report (positions are computed with the
rows, portfolio.gaps); saving one queues nothing.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Organisation, User
from portfolio.models import ComparisonDefault, ComparisonGroup


def _require(actor: User, organisation: Organisation) -> None:
    access.require(actor, "portfolio.manage_groups", organisation)


@transaction.atomic
def comparison_group_save(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    members: list[Organisation],
    shared: bool,
    group: ComparisonGroup | None = None,
) -> ComparisonGroup:
    """Adds a group to the organisation, or changes one of its own (another's is never passed:
    queries.comparison_group_own_get gives a 404 first)."""
    _require(actor, organisation)
    if group is None:
        group = ComparisonGroup(organisation=organisation)
    elif group.organisation_id != organisation.pk:
        raise access.Refused(_("Only the organisation that made a group changes it."))
    group.name, group.shared = name, shared
    group.save()
    group.members.set(members)
    return group


@transaction.atomic
def comparison_group_delete(*, actor: User, organisation: Organisation, group: ComparisonGroup) -> None:
    _require(actor, organisation)
    if group.organisation_id != organisation.pk:
        raise access.Refused(_("Only the organisation that made a group deletes it."))
    group.delete()


def comparison_default_set(*, actor: User, organisation: Organisation, key: str) -> None:
    """The group the organisation's report, dashboard and committee pack use unless someone switches."""
    _require(actor, organisation)
    ComparisonDefault.objects.update_or_create(organisation=organisation, defaults={"comparison_group": key})

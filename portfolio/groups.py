"""Comparison groups: who an organisation's sector position is relative to (DESIGN.md, README
"Comparison groups"). Every organisation that reported the indicator (the report row's own
position), the same kind of authority, the same region, the 15 nearest neighbours on the
contextual measures, or a group an admin defined; portfolio.gaps computes a position in each.

A group is named by a key: "all", "kind", "region", "neighbours" or "group-<id>".
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from portfolio.models import ComparisonDefault, ComparisonGroup, NearestNeighbour

ALL, KIND, REGION, NEIGHBOURS = "all", "kind", "region", "neighbours"
CUSTOM_PREFIX = "group-"

KIND_PLURALS = {
    Organisation.Kind.COUNTY: gettext_lazy("county councils"),
    Organisation.Kind.DISTRICT: gettext_lazy("district councils"),
    Organisation.Kind.UNITARY: gettext_lazy("unitary authorities"),
    Organisation.Kind.METROPOLITAN: gettext_lazy("metropolitan districts"),
    Organisation.Kind.LONDON_BOROUGH: gettext_lazy("London boroughs"),
    Organisation.Kind.WELSH: gettext_lazy("Welsh principal areas"),
    Organisation.Kind.FIRE: gettext_lazy("fire and rescue authorities"),
}


@dataclass(frozen=True)
class Group:
    key: str
    label: str  # what the choice and the CSV's comparison_group column say
    # Why no position can be given in it at all (no nearest neighbours yet); blank when one can.
    unavailable: str = ""


def group_choices(*, organisation: Organisation) -> list[Group]:
    """The groups the organisation may compare itself with: the built-in ones that apply to it,
    its own groups and those other organisations share."""
    choices = [Group(ALL, _("All reporting organisations"))]
    if organisation.kind in KIND_PLURALS:
        choices.append(Group(KIND, _("Same kind: %(kind)s") % {"kind": KIND_PLURALS[organisation.kind]}))
    if organisation.region:
        choices.append(Group(REGION, _("Same region: %(region)s") % {"region": organisation.get_region_display()}))
    has_neighbours = NearestNeighbour.objects.for_organisation(organisation).exists()
    choices.append(
        Group(
            NEIGHBOURS,
            _("15 nearest neighbours"),
            ""
            if has_neighbours
            else _(
                "Nearest neighbours are found on population, density, deprivation and age, which have not been "
                "imported for your organisation yet (or the report has not been recomputed since)"
            ),
        )
    )
    groups = ComparisonGroup.objects.visible_to(organisation).select_related("organisation").order_by("name", "pk")
    for group in groups:
        label = (
            group.name
            if group.organisation_id == organisation.pk
            # Translators: a comparison group's name, then the organisation that shares it.
            else _("%(name)s (shared by %(owner)s)") % {"name": group.name, "owner": group.organisation.name}
        )
        choices.append(Group(f"{CUSTOM_PREFIX}{group.pk}", label))
    return choices


def group_get(*, organisation: Organisation, key: str, choices: list[Group] | None = None) -> Group:
    """The group a key names among the organisation's choices; anything else (another authority's
    unshared group, a kind it is not) is a 404."""
    for group in choices if choices is not None else group_choices(organisation=organisation):
        if group.key == key:
            return group
    raise Http404("No such comparison group")


def group_default_key(*, organisation: Organisation) -> str:
    """The group the organisation's report opens with ("all" until an admin chooses)."""
    chosen = ComparisonDefault.objects.for_organisation(organisation).values_list("comparison_group", flat=True)
    return next(iter(chosen), ALL)


def group_for_request(*, organisation: Organisation, key: str | None) -> tuple[Group, list[Group]]:
    """The group asked for (a 404 if it is not one of the organisation's), or its default; a
    default that no longer applies (a group deleted or no longer shared) falls back to all."""
    choices = group_choices(organisation=organisation)
    if key:
        return group_get(organisation=organisation, key=key, choices=choices), choices
    default = group_default_key(organisation=organisation)
    try:
        return group_get(organisation=organisation, key=default, choices=choices), choices
    except Http404:
        return choices[0], choices

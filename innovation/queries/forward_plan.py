"""The forward plan as its pages, its download and the project's page read it."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organisation
from innovation import key_decisions
from innovation.models import ForwardPlanEntry, ProjectStage

TO_BE_DECIDED = {ProjectStage.ASSESSMENT, ProjectStage.AWAITING_APPROVAL, ProjectStage.DEFERRED}


@dataclass(frozen=True)
class PlanItem:
    entry: ForwardPlanEntry
    earliest: object  # datetime.date

    @property
    def is_to_be_decided(self) -> bool:
        return self.entry.project.stage in TO_BE_DECIDED

    @property
    def status(self) -> str:
        """To be decided; decided (approved or rejected, whatever came after); or ended (abandoned)."""
        if self.is_to_be_decided:
            return _("To be decided")
        return _("Ended") if self.entry.project.stage == ProjectStage.ABANDONED else _("Decided")


def forward_plan(*, organisation: Organisation) -> list[PlanItem]:
    """Every entry of the organisation's forward plan, by expected date (two queries)."""
    entries = ForwardPlanEntry.objects.for_organisation(organisation).in_plan_order()
    return [PlanItem(entry=entry, earliest=key_decisions.earliest_decision_date(entry)) for entry in entries]


def public_forward_plan_organisation(*, pk: int) -> Organisation:
    """An authority that publishes a forward plan here (it has set a key-decision threshold); 404 otherwise."""
    return get_object_or_404(Organisation.objects.filter(key_decision_threshold__isnull=False), pk=pk)

"""The key-decision threshold, the forward plan's entries and their urgency routes (the rule
they feed, at the approval gate, is innovation/key_decisions.py)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require
from accounts.models import Organisation, User
from innovation import key_decisions
from innovation.models import ForwardPlanEntry, KeyDecisionThreshold, Project
from innovation.services.base import InnovationError


@transaction.atomic
def key_decision_threshold_set(
    *, actor: User, organisation: Organisation, amount: Decimal | None
) -> KeyDecisionThreshold:
    """Sets the amount at or above which a project's decision is a key decision; None: no key decisions."""
    require(actor, "innovation.set_key_decision_threshold", organisation)
    if amount is not None and amount <= 0:
        raise InnovationError(_("Enter a threshold of more than £0, or leave it blank for no key decisions."))
    setting, _created = KeyDecisionThreshold.objects.select_for_update().get_or_create(organisation=organisation)
    setting.amount = amount
    setting.updated_by = actor
    setting._history_user = actor
    setting.save()
    return setting


def _require_open(project: Project) -> None:
    if project.is_finished:
        raise InnovationError(_("This project has ended; its decision is no longer to come."))


@transaction.atomic
def forward_plan_add(
    *, actor: User, project: Project, decision_maker: str, expected_date: datetime.date, documents: str
) -> ForwardPlanEntry:
    """Puts a key decision on the forward plan, published today; changing an entry keeps the day
    it was first published, from which its 28 clear days run."""
    require(actor, "innovation.manage_forward_plan", project)
    project = Project.objects.select_for_update().get(pk=project.pk, organisation=project.organisation)
    _require_open(project)
    today = timezone.localdate()
    entry = key_decisions.entry_for(project)
    if entry is None and not key_decisions.is_key_decision(project):
        raise InnovationError(
            _(
                "This project is not a key decision: its value is below the organisation’s key-decision "
                "threshold, or no threshold is set. Only key decisions go on the forward plan."
            )
        )
    if expected_date < today:
        raise InnovationError(_("The expected date of the decision must be today or later."))
    if entry is None:
        entry = ForwardPlanEntry(
            organisation=project.organisation, project=project, first_published=today, added_by=actor
        )
    entry.decision_maker = decision_maker.strip()
    entry.expected_date = expected_date
    entry.documents = documents.strip()
    entry._history_user = actor
    entry.save()
    return entry


@transaction.atomic
def forward_plan_exception_record(
    *, actor: User, project: Project, route: str, reason: str, chair: str, date: datetime.date
) -> ForwardPlanEntry:
    """Records an urgency route on a key decision's forward plan entry, published today: the
    general exception (reg. 10; the chair of scrutiny told in writing on `date`) or special
    urgency (reg. 11; the chair agreed on `date` that the decision is urgent and cannot
    reasonably be deferred)."""
    require(actor, "innovation.manage_forward_plan", project)
    project = Project.objects.select_for_update().get(pk=project.pk, organisation=project.organisation)
    _require_open(project)
    entry = key_decisions.entry_for(project)
    if entry is None:
        raise InnovationError(
            _("Put the decision on the forward plan first: the urgency route is recorded on its entry.")
        )
    if route not in ForwardPlanEntry.Route.values:
        raise InnovationError(_("Select the urgency route."))
    if not reason.strip() or not chair.strip():
        raise InnovationError(_("Give the reason and the chair of scrutiny."))
    today = timezone.localdate()
    if date > today:
        raise InnovationError(_("The date the chair was told or agreed must be today or earlier."))
    entry.exception = route
    entry.exception_reason = reason.strip()
    entry.exception_chair = chair.strip()
    entry.exception_date = date
    entry.exception_published = today
    entry._history_user = actor
    entry.save()
    return entry

"""Key decisions and the forward plan: the one home of the rule the approval gate applies.

England's Local Authorities (Executive Arrangements) (Meetings and Access to Information)
(England) Regulations 2012:

- reg. 9: a key decision may not be made unless a notice of it (the matter, the decision-maker,
  the date, the documents) has been published for at least **28 clear days**;
- reg. 10, *general exception*: where 28 days' notice is impracticable, the decision may be made
  once the chair of the scrutiny committee has been told in writing and the notice has been
  published for at least **5 clear days**;
- reg. 11, *special urgency*: where even that is impracticable, the decision may be made once the
  chair of the scrutiny committee has agreed that it is urgent and cannot reasonably be deferred
  (here: from the day they agreed, once that agreement is recorded).

**Clear days** leave out both the day of publication and the day of decision. Published on day D,
the 28 clear days are D+1 … D+28, so the decision may be made on day D+29 at the earliest. Worked
example: published on Monday 1 March 2027, the clear days are 2 to 29 March, and the earliest day
of decision is Tuesday 30 March 2027; on 29 March only 27 clear days have passed. For the general
exception, published on 1 March, the clear days are 2 to 6 March and the decision may be made on
7 March.

**Which projects are key decisions.** A project is a key decision when its value is at or above
the organisation's threshold (KeyDecisionThreshold; blank means none is). Its value is the larger
of the project's budget and its business case's innovate option's whole-life cost (one-off cost +
yearly running cost × years): reg. 8 counts the expenditure a decision commits the authority to,
and a budget left blank, or lower than the case it asks members to approve, must not take a
decision off the forward plan.

**Which decisions the gate holds back.** Approving and rejecting make the decision, so both are
refused until the notice has run (or an urgency route is recorded). Deferring does not: it
decides nothing but to decide later, so a member may always defer.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from innovation.models import BusinessCaseOption, Decision, ForwardPlanEntry, KeyDecisionThreshold, Project
from innovation.services.base import InnovationError

NOTICE_CLEAR_DAYS = 28  # reg. 9
GENERAL_EXCEPTION_CLEAR_DAYS = 5  # reg. 10(2)(d)
# The outcomes that make the decision; deferring only postpones it.
DECIDING_OUTCOMES = {Decision.Outcome.APPROVED, Decision.Outcome.REJECTED}


def day_after_clear_days(published: datetime.date, clear_days: int) -> datetime.date:
    """The first day a decision may be made after a notice published on `published` has run for
    `clear_days` clear days: neither the day of publication nor the day of decision counts, so
    published on D with 28 clear days, that is D + 29."""
    return published + datetime.timedelta(days=clear_days + 1)


def threshold_for(organisation) -> Decimal | None:
    """The organisation's key-decision threshold, or None when it has set none (no key decisions)."""
    try:
        return organisation.key_decision_threshold.amount
    except KeyDecisionThreshold.DoesNotExist:
        return None


def whole_life_cost(option: BusinessCaseOption | None) -> Decimal | None:
    """One-off cost + yearly running cost × years, for a complete option; None otherwise."""
    if option is None or not option.is_complete:
        return None
    return option.one_off_cost + option.running_cost * option.years


def _innovate_option(project: Project) -> BusinessCaseOption | None:
    case = getattr(project, "business_case", None)
    if case is None:
        return None
    if hasattr(case, "innovate"):  # ProjectQuerySet.with_forecast_and_actual() prefetched it
        return case.innovate[0] if case.innovate else None
    return next((o for o in case.options.all() if o.kind == BusinessCaseOption.Kind.INNOVATE), None)


def decision_value(project: Project) -> Decimal | None:
    """The larger of the project's budget and its innovate option's whole-life cost; None if neither is known.

    Budget £400,000 and an innovate option of £300,000 one-off + £50,000 a year for 5 years
    (£550,000): the value is £550,000."""
    amounts = [amount for amount in (project.budget, whole_life_cost(_innovate_option(project))) if amount is not None]
    return max(amounts) if amounts else None


def is_key_decision(project: Project) -> bool:
    return status_for(project).is_key


def entry_for(project: Project) -> ForwardPlanEntry | None:
    """The project's forward plan entry (one query, or none after select_related("forward_plan_entry"))."""
    return getattr(project, "forward_plan_entry", None)


def earliest_decision_date(entry: ForwardPlanEntry) -> datetime.date:
    """The first day the key decision may be made: after 28 clear days' notice, or sooner by a
    recorded urgency route (5 clear days from the general exception's publication; by special
    urgency, from the day the chair agreed, or the day it was recorded if that is later)."""
    dates = [day_after_clear_days(entry.first_published, NOTICE_CLEAR_DAYS)]
    if entry.exception == ForwardPlanEntry.Route.GENERAL and entry.exception_published:
        dates.append(day_after_clear_days(entry.exception_published, GENERAL_EXCEPTION_CLEAR_DAYS))
    if entry.exception == ForwardPlanEntry.Route.SPECIAL_URGENCY and entry.exception_date:
        # From the day the chair agreed, once Lantern has it on record (the later of the two).
        dates.append(max(entry.exception_date, entry.exception_published or entry.exception_date))
    return min(dates)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "j F Y")


def _money(value: Decimal) -> str:
    return f"£{value:,.0f}"


@dataclass(frozen=True)
class KeyDecisionStatus:
    """What a project's page, the forward plan and exports say about it as a key decision."""

    is_key: bool
    threshold: Decimal | None
    value: Decimal | None
    entry: ForwardPlanEntry | None
    earliest: datetime.date | None  # None: not on the forward plan yet

    @property
    def earliest_if_published_today(self) -> datetime.date:
        return day_after_clear_days(timezone.localdate(), NOTICE_CLEAR_DAYS)

    def refusal(self, today: datetime.date) -> str | None:
        """Why a key decision may not be made on `today`, in plain English, or None if it may."""
        if not self.is_key:
            return None
        why = _(
            "This is a key decision: its value, %(value)s, is at or above the "
            "%(threshold)s threshold, so it must be on the forward plan for %(days)s "
            "clear days before it is made."
        ) % {"value": _money(self.value), "threshold": _money(self.threshold), "days": NOTICE_CLEAR_DAYS}
        if self.entry is None:
            start = day_after_clear_days(today, NOTICE_CLEAR_DAYS)
            return _(
                "%(why)s It is not on the forward plan. If a manager adds it today, it can be decided "
                "on or after %(start)s, unless an urgency route is recorded."
            ) % {"why": why, "start": _date(start)}
        if today >= self.earliest:
            return None
        return _(
            "%(why)s It was published on the forward plan on %(published)s, so it can "
            "be decided on or after %(earliest)s. You may defer it until then."
        ) % {"why": why, "published": _date(self.entry.first_published), "earliest": _date(self.earliest)}


_UNSET = object()


def status_for(project: Project, *, threshold=_UNSET) -> KeyDecisionStatus:
    """The project as a key decision. Lists pass the organisation's `threshold` (threshold_for),
    read once, and load the projects with select_related("forward_plan_entry")."""
    threshold = threshold_for(project.organisation) if threshold is _UNSET else threshold
    value = decision_value(project) if threshold is not None else None
    is_key = threshold is not None and value is not None and value >= threshold
    entry = entry_for(project)
    earliest = earliest_decision_date(entry) if entry is not None else None
    return KeyDecisionStatus(is_key=is_key, threshold=threshold, value=value, entry=entry, earliest=earliest)


def gate_check(project: Project, outcome: str) -> None:
    """The approval gate's rule: refuses to approve or reject a key decision before its notice has run."""
    if outcome not in DECIDING_OUTCOMES:
        return
    refusal = status_for(project).refusal(timezone.localdate())
    if refusal:
        raise InnovationError(refusal)

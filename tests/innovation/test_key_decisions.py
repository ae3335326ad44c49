"""Key decisions and the forward plan at the approval gate (England, 2012 Regulations regs. 9–11).

Hand-worked figures: the fixtures' innovate option is £10,000 one-off + £2,000 a year for 3
years, a whole-life cost of £16,000; with no budget that is the project's value. A threshold
of £15,000 makes it a key decision, one of £20,000 does not.

Clear days leave out the day of publication and the day of decision: published on Monday
1 March 2027, the 28 clear days are 2–29 March and the decision may be made on Tuesday 30 March;
on 29 March only 27 clear days have passed.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from innovation import key_decisions, services
from innovation.models import Decision, ForwardPlanEntry, Project, ProjectStage

pytestmark = pytest.mark.django_db

KEY = Decimal("15000")
NOT_KEY = Decimal("20000")


def on(day: datetime.date):
    """Noon in London that day (GMT in early March 2027, BST after the 28th: noon UTC is the same day)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=datetime.UTC))


MARCH = {n: datetime.date(2027, 3, n) for n in range(1, 32)}


@pytest.fixture
def admin(personas):
    return personas.members["admin"].user


@pytest.fixture
def threshold(personas, admin):
    def set_to(amount):
        return services.key_decision_threshold_set(actor=admin, organisation=personas.council, amount=amount)

    return set_to


@pytest.fixture
def key_project(advance, threshold, risk_ready):
    """A key decision awaiting approval, made on 1 March 2027 (not yet on the forward plan)."""
    with on(MARCH[1]):
        threshold(KEY)
        return advance("awaiting_approval")


def _plan(project, manager, day=1):
    with on(MARCH[day]):
        return services.forward_plan_add(
            actor=manager,
            project=project,
            decision_maker="Cabinet",
            expected_date=datetime.date(2027, 4, 7),
            documents="Report of the Director of Housing; business case",
        )


def _stage(project) -> str:
    return Project.objects.get(pk=project.pk).stage


def test_the_value_is_the_larger_of_the_budget_and_the_innovate_options_whole_life_cost(key_project):
    assert key_decisions.decision_value(key_project) == Decimal("16000")  # 10,000 + 2,000 × 3
    key_project.budget = Decimal("17500")
    assert key_decisions.decision_value(key_project) == Decimal("17500")


def test_a_clear_day_count_leaves_out_the_day_of_publication_and_the_day_of_decision():
    assert key_decisions.day_after_clear_days(MARCH[1], 28) == MARCH[30]
    assert key_decisions.day_after_clear_days(MARCH[1], 5) == MARCH[7]


def test_a_key_decision_27_clear_days_after_its_notice_is_refused_and_after_28_it_is_made(key_project, manager, member):
    entry = _plan(key_project, manager)
    assert entry.first_published == MARCH[1]
    with on(MARCH[29]), pytest.raises(services.InnovationError) as refused:
        services.project_approve(actor=member, project=key_project, rationale="Good value.")
    message = str(refused.value)
    assert "key decision" in message and "£16,000" in message and "£15,000" in message
    assert "published on the forward plan on 1 March 2027" in message
    assert "on or after 30 March 2027" in message
    assert _stage(key_project) == ProjectStage.AWAITING_APPROVAL
    assert not Decision.objects.filter(project=key_project).exists()
    with on(MARCH[30]):
        services.project_approve(actor=member, project=key_project, rationale="Good value.")
    assert _stage(key_project) == ProjectStage.IMPLEMENTATION


def test_rejecting_a_key_decision_is_held_back_too_but_deferring_it_is_not(key_project, manager, member):
    _plan(key_project, manager)
    with on(MARCH[29]):
        with pytest.raises(services.InnovationError):
            services.project_reject(actor=member, project=key_project, rationale="Too dear.")
        assert _stage(key_project) == ProjectStage.AWAITING_APPROVAL
        services.project_defer(actor=member, project=key_project, rationale="Wait for the notice.")
    assert _stage(key_project) == ProjectStage.DEFERRED


def test_a_key_decision_not_on_the_forward_plan_is_refused_with_the_first_day_it_could_be_made(key_project, member):
    with on(MARCH[10]), pytest.raises(services.InnovationError) as refused:
        services.project_approve(actor=member, project=key_project, rationale="Good value.")
    assert "It is not on the forward plan" in str(refused.value)
    assert "on or after 8 April 2027" in str(refused.value)  # 10 March + 29 days
    assert _stage(key_project) == ProjectStage.AWAITING_APPROVAL


@pytest.mark.parametrize("amount", [None, NOT_KEY])
def test_a_project_below_the_threshold_or_with_none_set_is_decided_at_once(key_project, threshold, member, amount):
    with on(MARCH[2]):
        threshold(amount)
        services.project_approve(actor=member, project=key_project, rationale="Good value.")
    assert _stage(key_project) == ProjectStage.IMPLEMENTATION


def test_a_general_exception_lets_the_decision_be_made_5_clear_days_after_it_is_published(key_project, manager, member):
    _plan(key_project, manager)
    with on(MARCH[10]):
        entry = services.forward_plan_exception_record(
            actor=manager,
            project=key_project,
            route="general",
            reason="The grant offer closes on 20 March.",
            chair="Cllr Ann Lee, Chair of Overview and Scrutiny",
            date=MARCH[9],
        )
    assert entry.exception_published == MARCH[10]
    assert key_decisions.earliest_decision_date(entry) == MARCH[16]  # 11–15 March are the 5 clear days
    with on(MARCH[15]), pytest.raises(services.InnovationError) as refused:
        services.project_approve(actor=member, project=key_project, rationale="Urgent.")
    assert "on or after 16 March 2027" in str(refused.value)
    with on(MARCH[16]):
        services.project_approve(actor=member, project=key_project, rationale="Urgent.")
    assert _stage(key_project) == ProjectStage.IMPLEMENTATION


def test_special_urgency_agreed_by_the_chair_lets_the_decision_be_made_that_day(key_project, manager, member):
    _plan(key_project, manager, day=5)
    with on(MARCH[5]):
        services.forward_plan_exception_record(
            actor=manager,
            project=key_project,
            route="special_urgency",
            reason="The building is unsafe and families must move this week.",
            chair="Cllr Ann Lee, Chair of Overview and Scrutiny",
            date=MARCH[5],
        )
        services.project_reject(actor=member, project=key_project, rationale="Not this way.")
    assert _stage(key_project) == ProjectStage.REJECTED


def test_special_urgency_agreed_before_it_was_recorded_counts_from_the_day_it_was_recorded(key_project, manager):
    _plan(key_project, manager, day=1)
    with on(MARCH[8]):
        entry = services.forward_plan_exception_record(
            actor=manager, project=key_project, route="special_urgency", reason="Urgent", chair="Cllr Lee",
            date=MARCH[3],
        )  # fmt: skip
    assert key_decisions.earliest_decision_date(entry) == MARCH[8]


def test_an_exception_needs_an_entry_and_a_date_not_yet_to_come(key_project, manager):
    fields = {"route": "special_urgency", "reason": "Urgent", "chair": "Cllr Lee", "date": MARCH[6]}
    with on(MARCH[5]), pytest.raises(services.InnovationError, match="on the forward plan first"):
        services.forward_plan_exception_record(actor=manager, project=key_project, **fields)
    _plan(key_project, manager, day=5)
    with on(MARCH[5]), pytest.raises(services.InnovationError, match="today or earlier"):
        services.forward_plan_exception_record(actor=manager, project=key_project, **fields)
    assert ForwardPlanEntry.objects.get(project=key_project).exception == ""


def test_changing_an_entry_keeps_the_day_it_was_first_published(key_project, manager):
    _plan(key_project, manager, day=1)
    entry = _plan(key_project, manager, day=20)
    assert entry.first_published == MARCH[1]
    assert ForwardPlanEntry.objects.filter(project=key_project).count() == 1


def test_only_key_decisions_go_on_the_forward_plan(key_project, threshold, manager):
    with on(MARCH[1]):
        threshold(NOT_KEY)
    with pytest.raises(services.InnovationError, match="not a key decision"):
        _plan(key_project, manager)
    assert not ForwardPlanEntry.objects.exists()


@pytest.mark.parametrize("role", ["officer", "member", "admin", "auditor"])
def test_only_managers_put_decisions_on_the_forward_plan(key_project, personas, role):
    with pytest.raises(PermissionDenied):
        _plan(key_project, personas.members[role].user)
    assert not ForwardPlanEntry.objects.exists()


@pytest.mark.parametrize("role", ["officer", "manager", "member", "auditor"])
def test_only_admins_set_the_threshold(personas, role):
    with pytest.raises(PermissionDenied):
        services.key_decision_threshold_set(
            actor=personas.members[role].user, organisation=personas.council, amount=Decimal(1)
        )
    assert key_decisions.threshold_for(personas.council) is None

"""The pure parts of the lifecycle: the net value formula, the transition table, scoring."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innovation.models import (
    PROJECT_TRANSITIONS,
    BusinessCaseOption,
    IdeaStage,
    ProjectStage,
    can_move_to,
    idea_can_move,
    net_value,
    weighted_average,
)
from innovation.queries import idea_words, similarity, time_in_stages


def test_net_value_is_benefit_times_years_less_one_off_less_running_times_years():
    # 9,000 a year for 3 years, less 10,000 up front and 2,000 a year: 27,000 − 10,000 − 6,000.
    assert net_value(
        one_off_cost=Decimal("10000"), running_cost=Decimal("2000"), benefit=Decimal("9000"), years=3
    ) == Decimal("11000")


def test_doing_nothing_is_worth_nothing():
    assert net_value(one_off_cost=Decimal(0), running_cost=Decimal(0), benefit=Decimal(0), years=5) == 0


def test_a_costly_option_has_a_negative_net_value():
    assert net_value(
        one_off_cost=Decimal("50000.50"), running_cost=Decimal("1000"), benefit=Decimal("500"), years=2
    ) == Decimal("-51000.50")


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(one_off=money, running=money, benefit=money, years=st.integers(min_value=1, max_value=50))
def test_net_value_matches_the_design_formula_for_any_figures(one_off, running, benefit, years):
    expected = benefit * years - one_off - running * years
    assert net_value(one_off_cost=one_off, running_cost=running, benefit=benefit, years=years) == expected


def test_an_option_without_every_figure_has_no_net_value():
    option = BusinessCaseOption(one_off_cost=Decimal(1), running_cost=None, benefit=Decimal(5), years=2)
    assert option.net_value is None
    option.running_cost = Decimal(1)
    assert option.net_value == Decimal(7)


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        (ProjectStage.ASSESSMENT, ProjectStage.AWAITING_APPROVAL, True),
        (ProjectStage.ASSESSMENT, ProjectStage.IMPLEMENTATION, False),
        (ProjectStage.AWAITING_APPROVAL, ProjectStage.IMPLEMENTATION, True),
        (ProjectStage.AWAITING_APPROVAL, ProjectStage.CLOSED, False),
        (ProjectStage.IMPLEMENTATION, ProjectStage.EVALUATION, True),
        (ProjectStage.EVALUATION, ProjectStage.CLOSED, True),
        (ProjectStage.DEFERRED, ProjectStage.ASSESSMENT, True),
        (ProjectStage.CLOSED, ProjectStage.ABANDONED, False),
        (ProjectStage.REJECTED, ProjectStage.ASSESSMENT, False),
    ],
)
def test_the_transition_table_allows_only_the_lifecycle(old, new, allowed):
    assert can_move_to(old, new) is allowed


def test_every_live_stage_can_be_abandoned_and_no_finished_one_can_move():
    for stage, targets in PROJECT_TRANSITIONS.items():
        if stage in (ProjectStage.CLOSED, ProjectStage.REJECTED, ProjectStage.ABANDONED):
            assert targets == set()
        else:
            assert ProjectStage.ABANDONED in targets


def test_ideas_cannot_leave_a_decision():
    assert idea_can_move(IdeaStage.SUBMITTED, IdeaStage.ACCEPTED)
    assert not idea_can_move(IdeaStage.DECLINED, IdeaStage.SUBMITTED)
    assert not idea_can_move(IdeaStage.ACCEPTED, IdeaStage.DECLINED)


def test_weighted_average_weights_each_score():
    assert weighted_average([(3, 5), (1, 1)]) == Decimal("4.00")
    assert weighted_average([]) is None


def test_similar_wording_scores_higher_than_different_wording():
    a = idea_words("Text reminders for bin collection days")
    b = idea_words("Reminder texts before bin collection")
    c = idea_words("Library opening hours on Sundays")
    assert similarity(a, b) > similarity(a, c) == 0


def test_time_in_stages_counts_each_stage_from_the_log():
    import datetime

    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

    class Move:
        def __init__(self, days, to):
            self.created_at = start + datetime.timedelta(days=days)
            self.to_stage = to

    days = time_in_stages(
        created_at=start,
        transitions=[Move(10, "awaiting_approval"), Move(15, "implementation")],
        current_stage="implementation",
        now=start + datetime.timedelta(days=45),
    )
    assert days == {"assessment": 10, "awaiting_approval": 5, "implementation": 30}


def test_services_never_bulk_write_audited_models():
    """django-simple-history records save(), not update() or bulk_*: audited rows must be saved one by one."""
    import re
    from pathlib import Path

    from innovation import services

    allowed = {"Notice.objects.filter(pk__in=[n.pk for n in items]).update(sent_at=now)"}  # notices are not audited
    package = Path(services.__file__).parent
    for source in package.glob("*.py"):
        for line in source.read_text().splitlines():
            if re.search(r"\.(update|bulk_create|bulk_update)\(", line) and line.strip() not in allowed:
                assert "CriterionScore.objects.bulk_create(" in line, f"{source.name}: {line.strip()}"


def test_a_stage_not_in_the_tables_can_move_nowhere():
    from innovation.models import can_move_to, idea_can_move

    assert can_move_to("no-such-stage", "closed") is False
    assert idea_can_move("no-such-stage", "accepted") is False

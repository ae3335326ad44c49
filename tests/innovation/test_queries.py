"""Read paths: duplicates, pipeline figures, the member's list, the demo data."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from innovation import queries, services
from innovation.models import Idea, IdeaStage, Project, ProjectStage, ProjectTransition

pytestmark = pytest.mark.django_db


def test_likely_duplicates_rank_the_closest_first_and_skip_declined_ideas(make_idea, manager, personas):
    close = make_idea(title="Text reminders for bin day", problem="Missed bin collections")
    make_idea(title="Bin day leaflets", problem="Missed bin collections")
    declined = make_idea(title="Text reminders for bin day again", problem="Missed bin collections")
    services.idea_decline(actor=manager, idea=declined, reason="Duplicate")
    make_idea(title="Library opening hours", problem="Nobody can visit on Sundays")
    found = queries.idea_similar(
        organisation=personas.council, title="Bin day text reminders", problem="Missed collections of bins"
    )
    assert [s.idea for s in found][0] == close
    assert declined not in [s.idea for s in found]
    assert all("Library" not in s.idea.title for s in found)
    assert "similar title" in found[0].reasons


def test_likely_duplicates_never_come_from_another_organisation(make_idea, personas):
    make_idea(title="Text reminders for bin day")
    assert (
        queries.idea_similar(organisation=personas.other_council, title="Text reminders for bin day", problem="") == []
    )


def test_the_pipeline_counts_values_and_medians_by_stage(advance, manager, member, risk_ready, personas):
    first = advance("awaiting_approval")
    second = advance("awaiting_approval")
    # Back-date: the first waited 10 days in assessment, the second 20.
    for project, days in ((first, 10), (second, 20)):
        start = timezone.now() - datetime.timedelta(days=days + 1)
        Project.objects.filter(pk=project.pk).update(created_at=start)
        ProjectTransition.objects.filter(project=project).update(created_at=start + datetime.timedelta(days=days))
    figures = queries.pipeline(organisation=personas.council)
    awaiting = next(s for s in figures["stages"] if s.stage == ProjectStage.AWAITING_APPROVAL)
    assessment = next(s for s in figures["stages"] if s.stage == ProjectStage.ASSESSMENT)
    assert awaiting.count == 2 and awaiting.value == Decimal("22000.00")  # 2 × 11,000 innovate net value
    assert assessment.count == 0 and assessment.median_days == 15.0
    assert awaiting.median_days == pytest.approx(1.0, abs=0.01)


def test_the_pipeline_costs_a_fixed_number_of_queries(advance, risk_ready, personas, django_assert_num_queries):
    advance("implementation")
    with django_assert_num_queries(5):
        queries.pipeline(organisation=personas.council)
    advance("implementation")
    advance("assessment")
    with django_assert_num_queries(5):
        queries.pipeline(organisation=personas.council)


def test_awaiting_decision_lists_the_members_own_sponsorships_first(advance, sponsor, personas, risk_ready):
    from tests.factories import MembershipFactory, ProjectFactory

    other_member = MembershipFactory(organisation=personas.council, role=Role.MEMBER).user
    theirs = ProjectFactory(organisation=personas.council, sponsor=other_member, stage=ProjectStage.AWAITING_APPROVAL)
    mine = advance("awaiting_approval")
    listed = list(queries.project_awaiting_decision(organisation=personas.council, member=sponsor))
    assert listed == [mine, theirs]


def test_the_demo_has_projects_at_every_stage_and_ideas_at_every_screening_stage(db, settings):
    from accounts import demo as accounts_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # demo people set real passwords
    from innovation import demo

    organisations = accounts_demo.seed()
    demo.seed(organisations)
    demo.seed(organisations)  # safe to run twice
    ashby = organisations["ashby"]
    assert set(Project.objects.for_organisation(ashby).values_list("stage", flat=True)) == set(ProjectStage.values)
    assert set(Idea.objects.for_organisation(ashby).values_list("stage", flat=True)) == set(IdeaStage.values)
    assert Project.objects.for_organisation(ashby).filter(evaluation__outcome="did_not_succeed").exists()

"""Every lifecycle verb: allowed for the right role, refused otherwise, audited, and followed up."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts import notices
from accounts.models import Notice, NotificationPreference, Role
from innovation import services
from innovation.models import (
    Decision,
    Idea,
    IdeaStage,
    IdeaTransition,
    NoticeKind,
    Project,
    ProjectStage,
    ProjectTransition,
)
from innovation.queries import screening_summary
from portfolio.models import Service, ServiceArea
from tests.innovation.conftest import OPTIONS, FakeRiskAssessment

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- ideas


def test_an_officer_logs_an_idea_numbered_within_the_organisation(make_idea, areas):
    first, second = make_idea(), make_idea(title="Another")
    assert (first.reference, second.reference) == (1, 2)
    assert first.stage == IdeaStage.SUBMITTED
    assert list(first.service_areas.all()) == [areas[1]]
    assert first.history.first().history_user == first.author


def test_an_auditor_cannot_log_an_idea(make_idea, personas):
    with pytest.raises(PermissionDenied):
        make_idea(actor=personas.members[Role.AUDITOR].user)


def test_an_idea_cannot_name_another_organisations_service_area(make_idea, personas):
    theirs = ServiceArea.objects.create(organisation=personas.other_council, name="Theirs", service=Service.WASTE)
    with pytest.raises(PermissionDenied):
        make_idea(service_areas=[theirs])


def test_an_idea_cannot_answer_a_closed_campaign(make_idea, personas, manager, areas):
    campaign = services.campaign_create(
        actor=manager,
        organisation=personas.council,
        title="Greener streets",
        question="How?",
        deadline=timezone.localdate(),
    )
    services.campaign_close(actor=manager, campaign=campaign)
    with pytest.raises(services.InnovationError, match="closed"):
        make_idea(campaign=campaign)


def test_the_author_edits_their_idea_until_screening_starts(make_idea, officer, manager, areas):
    idea = make_idea()
    idea = services.idea_update(
        actor=officer,
        idea=idea,
        version=idea.version,
        title="Better title",
        problem="p",
        proposal="q",
        source="staff",
        service_areas=areas,
    )
    assert idea.title == "Better title" and idea.version == 2
    services.idea_start_screening(actor=manager, idea=idea)
    idea.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.idea_update(
            actor=officer,
            idea=idea,
            version=idea.version,
            title="Too late",
            problem="p",
            proposal="q",
            source="staff",
            service_areas=areas,
        )


def test_another_officer_cannot_edit_someone_elses_idea(make_idea, personas, areas):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(organisation=personas.council, role=Role.OFFICER).user
    idea = make_idea()
    with pytest.raises(PermissionDenied):
        services.idea_update(
            actor=colleague,
            idea=idea,
            version=1,
            title="Mine now",
            problem="p",
            proposal="q",
            source="staff",
            service_areas=areas,
        )


def test_a_second_save_of_the_same_idea_is_refused_and_overwrites_nothing(make_idea, officer, areas):
    idea = make_idea()
    opened_at = idea.version
    services.idea_update(
        actor=officer,
        idea=idea,
        version=opened_at,
        title="First save",
        problem="p",
        proposal="q",
        source="staff",
        service_areas=areas,
    )
    with pytest.raises(services.ConcurrentEditError):
        services.idea_update(
            actor=officer,
            idea=idea,
            version=opened_at,
            title="Second save",
            problem="p",
            proposal="q",
            source="staff",
            service_areas=areas,
        )
    idea.refresh_from_db()
    assert idea.title == "First save"


def test_support_counts_once_per_person(make_idea, manager):
    idea = make_idea()
    services.idea_support(actor=manager, idea=idea)
    services.idea_support(actor=manager, idea=idea)
    assert idea.supports.count() == 1
    services.idea_unsupport(actor=manager, idea=idea)
    assert idea.supports.count() == 0


# ---------------------------------------------------------------- screening


def test_accepting_an_idea_makes_a_project_audits_it_and_tells_the_author(
    make_idea, manager, officer, django_capture_on_commit_callbacks
):
    idea = make_idea()
    with django_capture_on_commit_callbacks(execute=True):
        project = services.idea_accept(actor=manager, idea=idea, owner=manager, comment="Promising")
    assert project.stage == ProjectStage.ASSESSMENT and project.owner == manager
    assert project.title == idea.title and list(project.service_areas.all()) == list(idea.service_areas.all())
    move = IdeaTransition.objects.get(idea=idea)
    assert (move.actor, move.from_stage, move.to_stage, move.comment) == (manager, "submitted", "accepted", "Promising")
    # One email, sent once the move is committed (the header's unread count is refreshed then too).
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email] and "accepted" in mail.outbox[0].subject


def test_an_officer_cannot_screen_ideas(make_idea, officer):
    with pytest.raises(PermissionDenied):
        services.idea_decline(actor=officer, idea=make_idea(), reason="No")


def test_declining_needs_a_reason_and_the_author_is_emailed_it(
    make_idea, manager, officer, django_capture_on_commit_callbacks
):
    idea = make_idea()
    with pytest.raises(services.InnovationError, match="reason"):
        services.idea_decline(actor=manager, idea=idea, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_decline(actor=manager, idea=idea, reason="We tried this in 2019.")
    idea.refresh_from_db()
    assert idea.stage == IdeaStage.DECLINED and idea.decline_reason == "We tried this in 2019."
    assert "We tried this in 2019." in mail.outbox[0].body


def test_a_decided_idea_cannot_be_decided_again(make_idea, manager):
    idea = make_idea()
    services.idea_decline(actor=manager, idea=idea, reason="No")
    with pytest.raises(services.InnovationError, match="cannot be"):
        services.idea_accept(actor=manager, idea=idea, owner=manager)
    assert not Project.objects.exists()


def test_clarification_goes_back_to_the_author_who_can_edit_and_resubmit(make_idea, manager, officer, areas):
    idea = make_idea()
    services.idea_request_clarification(actor=manager, idea=idea, request="Which estates?")
    idea.refresh_from_db()
    assert idea.stage == IdeaStage.CLARIFICATION and idea.is_editable
    services.idea_resubmit(actor=officer, idea=idea)
    idea.refresh_from_db()
    assert idea.stage == IdeaStage.SUBMITTED


def test_merging_points_the_duplicate_at_the_idea_that_carries_on(make_idea, manager):
    original, duplicate = make_idea(), make_idea(title="Bin day texts")
    services.idea_merge(actor=manager, idea=duplicate, into=original)
    duplicate.refresh_from_db()
    assert duplicate.stage == IdeaStage.MERGED and duplicate.merged_into == original
    with pytest.raises(services.InnovationError):
        services.idea_merge(actor=manager, idea=original, into=original)


def test_the_owner_of_an_accepted_idea_must_be_a_manager(make_idea, manager, officer):
    with pytest.raises(services.InnovationError, match="manager"):
        services.idea_accept(actor=manager, idea=make_idea(), owner=officer)


# ---------------------------------------------------------------- scorecards


def test_assessors_score_privately_and_the_summary_shows_average_highest_lowest_and_who_is_missing(
    make_idea, personas, manager, officer, member
):
    idea = make_idea()
    services.scorecard_assign(actor=manager, idea=idea, assessor=manager, lead=True)
    services.scorecard_assign(actor=manager, idea=idea, assessor=officer)
    services.scorecard_assign(actor=manager, idea=idea, assessor=member)
    criteria = screening_summary(idea=idea).criteria
    assert [c.weight for c in criteria] == [3, 3, 2, 2]
    services.scorecard_submit(actor=manager, idea=idea, scores={c.pk: 5 for c in criteria}, notes="Strong")
    # weights 3,3,2,2 with scores 4,4,1,1: (12+12+2+2)/10 = 2.8
    services.scorecard_submit(
        actor=officer, idea=idea, scores=dict(zip([c.pk for c in criteria], [4, 4, 1, 1], strict=True))
    )
    summary = screening_summary(idea=idea)
    assert summary.highest == Decimal("5.00") and summary.lowest == Decimal("2.80")
    assert summary.average == Decimal("3.90")
    assert summary.not_scored == [member]


def test_someone_not_assigned_cannot_score(make_idea, manager, officer):
    idea = make_idea()
    services.scorecard_assign(actor=manager, idea=idea, assessor=manager)
    with pytest.raises(PermissionDenied):
        services.scorecard_submit(actor=officer, idea=idea, scores={})


def test_only_the_lead_assessor_makes_the_screening_decision(make_idea, personas, manager):
    from tests.factories import MembershipFactory

    other_manager = MembershipFactory(organisation=personas.council, role=Role.MANAGER).user
    idea = make_idea()
    services.scorecard_assign(actor=manager, idea=idea, assessor=other_manager, lead=True)
    with pytest.raises(services.InnovationError, match="lead assessor"):
        services.idea_accept(actor=manager, idea=idea, owner=manager)
    services.idea_accept(actor=other_manager, idea=idea, owner=manager)
    assert IdeaTransition.objects.get(idea=idea).actor == other_manager


# ---------------------------------------------------------------- business case and the approval gate


def test_the_business_case_holds_three_options_and_their_net_values(advance):
    project = advance("ready")
    case = project.business_case
    values = {o.kind: o.net_value for o in case.options.all()}
    assert values == {"innovate": Decimal("11000.00"), "incremental": Decimal("2000.00"), "do_nothing": Decimal("0")}
    assert case.missing_parts() == []


def test_a_second_save_of_the_business_case_is_refused_and_overwrites_nothing(advance, manager):
    project = advance("ready")
    opened_at = project.business_case.version
    services.business_case_save(
        actor=manager,
        project=project,
        version=opened_at,
        summary="First",
        recommended_option="innovate",
        options=OPTIONS,
    )
    with pytest.raises(services.ConcurrentEditError):
        services.business_case_save(
            actor=manager,
            project=project,
            version=opened_at,
            summary="Second",
            recommended_option="do_nothing",
            options={},
        )
    project.business_case.refresh_from_db()
    assert project.business_case.summary == "First"
    assert project.business_case.options.get(kind="innovate").benefit == Decimal("9000")


def test_a_second_save_of_the_project_details_is_refused(advance, manager, areas):
    project = advance("assessment")
    fields = {"summary": "", "service_areas": areas, "indicator": None, "budget": Decimal(1)}
    services.project_update(actor=manager, project=project, version=project.version, title="A", **fields)
    with pytest.raises(services.ConcurrentEditError):
        services.project_update(actor=manager, project=project, version=project.version, title="B", **fields)
    project.refresh_from_db()
    assert project.title == "A"


def test_submitting_without_a_risk_assessment_is_refused_with_a_clear_message(advance, manager):
    project = advance("ready")
    with pytest.raises(services.InnovationError, match="risk assessment"):
        services.project_submit_for_approval(actor=manager, project=project)
    project.refresh_from_db()
    assert project.stage == ProjectStage.ASSESSMENT
    assert not ProjectTransition.objects.filter(project=project).exists()


def test_submitting_is_refused_while_the_risk_assessment_has_problems(advance, manager, monkeypatch):
    fake = FakeRiskAssessment(problems=["Give the risk “Data breach” an owner."])
    monkeypatch.setattr(Project, "risk_assessment", property(lambda self: fake), raising=False)
    project = advance("ready")
    with pytest.raises(services.InnovationError, match="Data breach"):
        services.project_submit_for_approval(actor=manager, project=project)


def test_submitting_is_refused_without_a_complete_business_case_or_a_sponsor(advance, manager, risk_ready):
    project = advance("assessment")
    with pytest.raises(services.InnovationError) as refused:
        services.project_submit_for_approval(actor=manager, project=project)
    assert "business case" in str(refused.value) and "sponsor" in str(refused.value)


def test_submitting_a_ready_project_audits_it_and_tells_the_sponsor(
    advance, manager, sponsor, risk_ready, django_capture_on_commit_callbacks
):
    project = advance("ready")
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_submit_for_approval(actor=manager, project=project, comment="Ready")
    assert project.stage == ProjectStage.AWAITING_APPROVAL
    move = ProjectTransition.objects.get(project=project)
    assert (move.actor, move.from_stage, move.to_stage, move.comment) == (
        manager,
        "assessment",
        "awaiting_approval",
        "Ready",
    )
    assert [m.to for m in mail.outbox] == [[sponsor.email]]
    assert project.history.first().history_user == manager


def test_only_members_decide(advance, manager, officer, risk_ready):
    project = advance("awaiting_approval")
    for person in (manager, officer):
        with pytest.raises(PermissionDenied):
            services.project_approve(actor=person, project=project, rationale="Yes")


def test_a_decision_needs_a_rationale(advance, member, risk_ready):
    project = advance("awaiting_approval")
    with pytest.raises(services.InnovationError, match="rationale"):
        services.project_reject(actor=member, project=project, rationale="")


def test_approval_is_recorded_and_the_owner_is_told(
    advance, member, manager, risk_ready, django_capture_on_commit_callbacks
):
    project = advance("awaiting_approval")
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_approve(actor=member, project=project, rationale="Good value for residents")
    decision = Decision.objects.get(project=project)
    assert (decision.member, decision.outcome, decision.accepted_residual_risk) == (member, "approved", False)
    assert project.stage == ProjectStage.IMPLEMENTATION
    to_owner = [m for m in mail.outbox if m.to == [manager.email]]
    assert to_owner and "Good value for residents" in to_owner[-1].body


def test_residual_risk_above_appetite_must_be_accepted_explicitly(advance, member, risk_ready):
    project = advance("awaiting_approval")
    risk_ready.exceeds_appetite = True
    with pytest.raises(services.InnovationError, match="accept that risk"):
        services.project_approve(actor=member, project=project, rationale="Yes")
    project.refresh_from_db()
    assert project.stage == ProjectStage.AWAITING_APPROVAL and not Decision.objects.exists()
    services.project_approve(actor=member, project=project, rationale="Yes, knowingly", accept_residual_risk=True)
    assert Decision.objects.get(project=project).accepted_residual_risk is True


def test_a_second_approval_of_the_same_project_is_refused(advance, member, risk_ready):
    project = advance("awaiting_approval")
    stale = Project.objects.get(pk=project.pk)
    services.project_approve(actor=member, project=project, rationale="Yes")
    with pytest.raises(services.InnovationError, match="cannot decide on this project while it is in “implementation”"):
        services.project_approve(actor=member, project=stale, rationale="Yes again")
    assert Decision.objects.count() == 1


def test_a_rejected_project_is_kept_with_its_rationale(advance, member, risk_ready):
    project = advance("awaiting_approval")
    project = services.project_reject(actor=member, project=project, rationale="Too costly")
    assert project.stage == ProjectStage.REJECTED and project.end_reason == "Too costly"
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_deferred_project_can_be_reopened_and_submitted_again(advance, member, manager, risk_ready):
    project = advance("awaiting_approval")
    services.project_defer(actor=member, project=project, rationale="After the budget")
    project = services.project_reopen(actor=manager, project=project)
    project = services.project_submit_for_approval(actor=manager, project=project)
    assert project.stage == ProjectStage.AWAITING_APPROVAL
    assert [d.outcome for d in project.decisions.all()] == ["deferred"]


def test_the_business_case_cannot_change_once_submitted(advance, manager, risk_ready):
    project = advance("awaiting_approval")
    with pytest.raises(services.InnovationError, match="business case"):
        services.business_case_save(
            actor=manager,
            project=project,
            version=project.business_case.version,
            summary="x",
            recommended_option="innovate",
            options=OPTIONS,
        )


# ---------------------------------------------------------------- implementation, evaluation, the end


def test_progress_needs_a_reason_for_its_rag_status(advance, manager, risk_ready):
    project = advance("implementation")
    with pytest.raises(services.InnovationError, match="reason"):
        services.project_progress_update(
            actor=manager,
            project=project,
            version=project.version,
            rag="amber",
            rag_reason="",
            spend_to_date=Decimal(5),
        )
    project = services.project_progress_update(
        actor=manager,
        project=project,
        version=project.version,
        rag="amber",
        rag_reason="Supplier late",
        spend_to_date=Decimal("12500"),
    )
    assert (project.rag, project.spend_to_date) == ("amber", Decimal("12500"))


def test_milestones_record_the_day_they_are_done(advance, manager, risk_ready):
    project = advance("implementation")
    milestone = services.milestone_add(
        actor=manager, project=project, title="Pilot", due_date=datetime.date(2030, 1, 1)
    )
    milestone = services.milestone_update(
        actor=manager, milestone=milestone, title="Pilot", due_date=milestone.due_date, status="done"
    )
    assert milestone.completed_on == timezone.localdate()


def test_officers_record_involvement_but_cannot_manage_the_project(advance, officer, risk_ready):
    project = advance("implementation")
    services.involvement_record(
        actor=officer,
        project=project,
        group="service_users",
        who="12 tenants",
        how="Workshop",
        what_changed="Texts moved to the evening",
        happened_on=timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        services.milestone_add(actor=officer, project=project, title="x", due_date=timezone.localdate())


def _evaluate(manager, project):
    return services.evaluation_save(
        actor=manager,
        project=project,
        outcome="did_not_succeed",
        summary="Texts ignored",
        actual_one_off_cost=Decimal(12000),
        actual_running_cost=Decimal(2500),
        actual_benefit=Decimal(1000),
        indicator_before=Decimal("4.1"),
        indicator_after=Decimal("4.0"),
        indicator_override_reason="Counted from the contact centre's own log",
        value_for_money="Poor",
        transferability=2,
        transferability_reasons="Depends on our phone data",
        evidence_level=2,
        evidence_support="Calls counted before and after",
    )


def test_a_project_closes_only_once_evaluated_and_is_kept(advance, manager, risk_ready):
    project = advance("evaluation")
    with pytest.raises(services.InnovationError, match="evaluation"):
        services.project_close(actor=manager, project=project)
    evaluation = _evaluate(manager, project)
    assert evaluation.indicator_change == Decimal("-0.100")
    project = services.project_close(actor=manager, project=project, comment="Lessons written up")
    assert project.stage == ProjectStage.CLOSED
    with pytest.raises(services.InnovationError):
        services.project_abandon(actor=manager, project=project, reason="x")


def test_evaluation_cannot_be_recorded_before_implementation_ends(advance, manager, risk_ready):
    with pytest.raises(services.InnovationError):
        _evaluate(manager, advance("implementation"))


def test_a_project_can_be_abandoned_at_any_live_stage_with_a_reason(advance, manager, risk_ready):
    project = advance("implementation")
    with pytest.raises(services.InnovationError, match="reason"):
        services.project_abandon(actor=manager, project=project, reason="")
    project = services.project_abandon(actor=manager, project=project, reason="Supplier went bust")
    assert project.stage == ProjectStage.ABANDONED and project.end_reason == "Supplier went bust"
    assert [t.to_stage for t in project.transitions.all()] == ["awaiting_approval", "implementation", "abandoned"]


# ---------------------------------------------------------------- notices


def test_a_person_who_wants_no_screening_emails_gets_none(
    make_idea, manager, officer, django_capture_on_commit_callbacks
):
    notices.preference_set(actor=officer, preferences={NoticeKind.SCREENING: "never"})
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_decline(actor=manager, idea=make_idea(), reason="No")
    assert mail.outbox == []
    # Not emailed, but still on their notifications page.
    assert Notice.objects.get().frequency == "never"


def test_a_daily_digest_groups_notices_newest_first_and_is_not_sent_when_empty(
    make_idea, manager, officer, django_capture_on_commit_callbacks
):
    notices.preference_set(actor=officer, preferences={NoticeKind.SCREENING: "daily"})
    older, newer = make_idea(title="Older idea"), make_idea(title="Newer idea")
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_decline(actor=manager, idea=older, reason="No")
        services.idea_decline(actor=manager, idea=newer, reason="No")
    assert mail.outbox == []
    Notice.objects.filter(subject__contains="Older").update(created_at=timezone.now() - datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.digest_send(frequency="daily") == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [officer.email]
    body = mail.outbox[0].body
    assert body.index("Newer idea") < body.index("Older idea")
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.digest_send(frequency="daily") == 0
    assert len(mail.outbox) == 1


def test_overdue_milestones_are_notified_to_the_owner(advance, manager, risk_ready, django_capture_on_commit_callbacks):
    project = advance("implementation")
    services.milestone_add(actor=manager, project=project, title="Pilot ends", due_date=datetime.date(2020, 1, 1))
    services.milestone_add(actor=manager, project=project, title="Future", due_date=datetime.date(2099, 1, 1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.milestones_overdue_notify() == 1
    assert mail.outbox[0].to == [manager.email]
    assert "Pilot ends" in mail.outbox[0].body and "Future" not in mail.outbox[0].body


def test_preferences_are_stored_per_kind(officer):
    notices.preference_set(actor=officer, preferences={"decision": "weekly", "screening": "never"})
    assert dict(NotificationPreference.objects.filter(user=officer).values_list("kind", "frequency")) == {
        "decision": "weekly",
        "screening": "never",
    }


def test_a_team_spans_departments_and_people_can_be_taken_off_it(advance, manager):
    project = advance("assessment")
    services.team_member_add(actor=manager, project=project, name="Ben Carter", department="ICT", role="Technical lead")
    finance = services.team_member_add(actor=manager, project=project, name="Ruth Adeyemi", department="Finance")
    assert sorted(project.team.values_list("department", flat=True)) == ["Finance", "ICT"]
    services.team_member_remove(actor=manager, member=finance)
    assert list(project.team.values_list("name", flat=True)) == ["Ben Carter"]


def test_a_campaign_closes_by_itself_after_its_deadline(personas, manager):
    import time_machine

    campaign = services.campaign_create(
        actor=manager,
        organisation=personas.council,
        title="Warm homes",
        question="How?",
        deadline=datetime.date(2030, 1, 31),
    )
    with time_machine.travel(datetime.datetime(2030, 1, 31, 23, 0, tzinfo=datetime.UTC)):
        assert campaign.is_open
    with time_machine.travel(datetime.datetime(2030, 2, 1, 12, 0, tzinfo=datetime.UTC)):
        assert not campaign.is_open


def test_a_move_the_table_forbids_says_where_the_idea_is_and_what_was_refused(make_idea, manager):
    idea = make_idea()
    services.idea_decline(actor=manager, idea=idea, reason="No")
    with pytest.raises(services.InnovationError) as refused:
        services.idea_accept(actor=manager, idea=idea, owner=manager)
    assert str(refused.value) == (
        "This idea is “declined”, so it cannot be accepted as a project now. Refresh the page to see its latest state."
    )


def test_an_idea_move_is_dated_and_its_history_says_why(make_idea, manager):
    idea = make_idea()
    before = idea.stage_changed_at
    services.idea_start_screening(actor=manager, idea=idea)
    idea.refresh_from_db()
    assert idea.stage == IdeaStage.SCREENING and idea.stage_changed_at > before
    latest = idea.history.first()
    assert (latest.history_user, latest.history_change_reason) == (manager, "submitted → screening")
    services.idea_decline(actor=manager, idea=idea, reason="Tried in 2019. " + "x" * 120)
    assert idea.history.first().history_change_reason == ("Tried in 2019. " + "x" * 120)[:100]


def test_a_project_move_the_table_forbids_says_where_it_is_and_changes_nothing(advance, manager):
    project = advance("assessment")
    project = services.project_abandon(actor=manager, project=project, reason="Budget withdrawn")
    version = project.version
    with pytest.raises(services.InnovationError) as refused:
        services.project_start_evaluation(actor=manager, project=project)
    assert str(refused.value) == (
        "This project is in “abandoned”, so it cannot be moved to evaluation now. "
        "Refresh the page to see its latest state."
    )
    project.refresh_from_db()
    assert (project.stage, project.version) == (ProjectStage.ABANDONED, version)


def test_a_project_move_is_versioned_dated_and_its_history_says_from_where_to_where(advance, manager):
    project = advance("assessment")
    before = (project.version, project.stage_changed_at)
    moved = services.project_abandon(actor=manager, project=project, reason="Budget withdrawn")
    moved.refresh_from_db()
    assert moved.version == before[0] + 1 and moved.stage_changed_at > before[1]
    assert moved.end_reason == "Budget withdrawn"
    latest = moved.history.first()
    assert (latest.history_user, latest.history_change_reason) == (manager, "assessment → abandoned")
    move = ProjectTransition.objects.get(project=moved)
    assert (move.organisation, move.from_stage, move.to_stage, move.comment) == (
        moved.organisation,
        "assessment",
        "abandoned",
        "Budget withdrawn",
    )


def test_whoever_gave_an_idea_is_told_the_reason_its_project_was_stopped(
    make_idea, manager, django_capture_on_commit_callbacks
):
    idea = make_idea()
    Idea.objects.filter(pk=idea.pk).update(
        originator_name="Rosa Diaz", originator_email="rosa@example.org", originator_consent=True
    )
    project = services.idea_accept(actor=manager, idea=Idea.objects.get(pk=idea.pk), owner=manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.project_abandon(actor=manager, project=project, reason="Budget withdrawn")
    (told,) = [m for m in mail.outbox if m.to == ["rosa@example.org"]]
    assert "The council has stopped the project.\n\nThe reason given:\n\nBudget withdrawn" in told.body


def test_a_change_refused_at_the_wrong_stage_says_what_and_where(advance, manager, risk_ready):
    project = advance("awaiting_approval")
    with pytest.raises(services.InnovationError) as refused:
        services.project_submit_for_approval(actor=manager, project=project)
    assert str(refused.value) == (
        "You cannot submit the project for approval while it is in “awaiting approval”. "
        "Refresh the page to see its latest state."
    )

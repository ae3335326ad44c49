import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from accounts import notices
from accounts.models import NotificationPreference, Role
from risk import services, tasks
from risk.models import RiskAppetite, RiskReview
from tests.factories import MembershipFactory

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 9, 0), tick=False):
        yield TODAY


@pytest.mark.parametrize(
    ("residual", "expected"),
    [
        ((5, 4), datetime.date(2026, 12, 27)),  # very high: next month
        ((3, 4), datetime.date(2027, 2, 27)),  # high: next quarter
        ((2, 3), datetime.date(2027, 5, 27)),  # medium: six months
        ((1, 2), datetime.date(2027, 5, 27)),  # low: six months
    ],
)
def test_a_new_risk_is_due_for_review_by_its_band(make_risk, today, residual, expected):
    risk = make_risk(residual_likelihood=residual[0], residual_impact=residual[1])
    assert risk.review_date == expected


def test_a_new_risk_without_residual_score_is_due_by_its_inherent_band(make_risk, today):
    risk = make_risk(inherent_likelihood=5, inherent_impact=5, residual_likelihood=None, residual_impact=None)
    assert risk.review_date == datetime.date(2026, 12, 27)


def test_a_new_risk_keeps_its_first_scores_with_who_assessed_it(make_risk, manager):
    risk = make_risk()
    (first,) = risk.reviews.all()
    assert (first.kind, first.reviewed_by, first.inherent_score, first.residual_score) == ("assessed", manager, 16, 6)


def test_a_review_rescores_the_risk_and_keeps_every_score_with_who_and_when(make_risk, manager, today):
    risk = make_risk()
    review = services.risk_review(
        actor=manager,
        risk=risk,
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=4,
        residual_impact=4,
        note="The supplier has missed two deadlines.",
    )
    risk.refresh_from_db()
    assert (risk.residual_score, risk.review_date) == (16, datetime.date(2026, 12, 27))
    assert risk.last_reviewed_at.date() == TODAY
    assert review.reviewed_by == manager and review.note == "The supplier has missed two deadlines."
    assert [r.residual_score for r in risk.reviews.all()] == [16, 6]
    assert risk.history.first().history_user == manager


def test_a_review_must_say_what_changed(make_risk, manager):
    risk = make_risk()
    with pytest.raises(services.RiskError):
        services.risk_review(
            actor=manager,
            risk=risk,
            inherent_likelihood=4,
            inherent_impact=4,
            residual_likelihood=2,
            residual_impact=2,
            note="  ",
        )
    assert risk.reviews.count() == 1


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MEMBER, Role.AUDITOR, Role.CURATOR])
def test_only_managers_and_admins_review_risks(personas, make_risk, role):
    risk = make_risk()
    with pytest.raises(PermissionDenied):
        services.risk_review(
            actor=personas.members[role].user,
            risk=risk,
            inherent_likelihood=1,
            inherent_impact=1,
            residual_likelihood=1,
            residual_impact=1,
            note="Fine",
        )


def test_a_manager_of_another_council_cannot_add_risks_here(personas, project):
    stranger = MembershipFactory(organisation=personas.other_council, role=Role.MANAGER).user
    with pytest.raises(PermissionDenied):
        services.risk_create(
            actor=stranger, project=project, title="x", category="delivery", inherent_likelihood=1, inherent_impact=1
        )


def test_an_owner_from_another_council_is_refused(personas, make_risk):
    with pytest.raises(services.RiskError, match="must be someone in Ashby Vale"):
        make_risk(owner=personas.outsider.user)


def test_correcting_details_without_changing_scores_adds_no_history(make_risk, manager):
    risk = make_risk()
    fields = {
        "title": "Supplier late",
        "category": "delivery",
        "owner": manager,
        "inherent_likelihood": 4,
        "inherent_impact": 4,
        "residual_likelihood": 2,
        "residual_impact": 3,
    }
    services.risk_update(actor=manager, risk=risk, **fields)
    assert risk.reviews.count() == 1
    services.risk_update(actor=manager, risk=risk, **{**fields, "residual_impact": 4})
    assert [r.kind for r in risk.reviews.all()] == ["edited", "assessed"]


def test_escalating_emails_the_members_after_commit(
    personas, make_risk, manager, django_capture_on_commit_callbacks, mailoutbox
):
    risk = make_risk()
    with django_capture_on_commit_callbacks(execute=True):
        services.risk_escalate(actor=manager, risk=risk, note="Beyond what officers can fix.")
    risk.refresh_from_db()
    assert risk.escalated_by == manager
    (email,) = mailoutbox
    assert email.to == [personas.members[Role.MEMBER].user.email]
    assert "Supplier cannot deliver on time" in email.subject
    assert "Beyond what officers can fix." in email.body


def test_a_member_accepts_a_risk_until_a_date(make_risk, member, today):
    risk = make_risk()
    services.risk_accept(actor=member, risk=risk, until=datetime.date(2027, 3, 31), note="Worth it.")
    risk.refresh_from_db()
    assert (risk.accepted_by, risk.accepted_until) == (member, datetime.date(2027, 3, 31))


def test_acceptance_must_last_into_the_future(make_risk, member, today):
    with pytest.raises(services.RiskError):
        services.risk_accept(actor=member, risk=make_risk(), until=TODAY, note="Worth it.")


def test_a_manager_cannot_accept_a_risk_for_the_members(make_risk, manager, today):
    with pytest.raises(PermissionDenied):
        services.risk_accept(actor=manager, risk=make_risk(), until=datetime.date(2027, 1, 1), note="x")


def test_only_admins_set_the_risk_appetite(personas, manager):
    admin = personas.members[Role.ADMIN].user
    services.appetite_set(actor=admin, organisation=personas.council, max_residual_score=9)
    assert RiskAppetite.objects.get(organisation=personas.council).max_residual_score == 9
    with pytest.raises(PermissionDenied):
        services.appetite_set(actor=manager, organisation=personas.council, max_residual_score=20)


def test_a_control_cannot_be_due_before_it_starts(make_risk, manager):
    with pytest.raises(services.RiskError):
        services.control_add(
            actor=manager,
            risk=make_risk(),
            description="Second supplier on standby",
            start_date=datetime.date(2027, 2, 1),
            due_date=datetime.date(2027, 1, 1),
        )


def test_members_comment_and_auditors_cannot(personas, make_risk):
    risk = make_risk()
    services.risk_comment_add(actor=personas.members[Role.MEMBER].user, risk=risk, body="What is plan B?")
    assert risk.comments.get().body == "What is plan B?"
    with pytest.raises(PermissionDenied):
        services.risk_comment_add(actor=personas.members[Role.AUDITOR].user, risk=risk, body="Noted")


def test_owners_of_overdue_reviews_get_one_email_each_listing_them(
    personas, make_risk, manager, project, django_capture_on_commit_callbacks, mailoutbox
):
    admin = personas.members[Role.ADMIN].user
    make_risk(title="Late supplier", review_date=datetime.date(2026, 10, 1))
    make_risk(title="Budget overrun", review_date=datetime.date(2026, 11, 1))
    make_risk(title="Not yet due", review_date=datetime.date(2027, 1, 1))
    make_risk(title="Admin's overdue risk", owner=admin, review_date=datetime.date(2026, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.overdue_reviews_remind(today=TODAY)
    assert sent == 2
    by_recipient = {email.to[0]: email for email in mailoutbox}
    manager_email = by_recipient[manager.email]
    assert manager_email.subject == "2 risk reviews overdue in Ashby Vale District Council"
    assert "Late supplier" in manager_email.body and "Budget overrun" in manager_email.body
    assert "Not yet due" not in manager_email.body
    assert "1 risk review overdue" in by_recipient[admin.email].subject


def test_no_reminders_for_closed_projects(make_risk, project, mailoutbox, django_capture_on_commit_callbacks):
    make_risk(review_date=datetime.date(2026, 1, 1))
    project.stage = "abandoned"
    project.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_reviews_remind(today=TODAY) == 0
    assert mailoutbox == []


def test_a_risk_owner_who_chose_the_daily_digest_gets_overdue_reviews_there_not_at_once(
    make_risk, manager, mailoutbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=manager, kind="risk_reviews_overdue", frequency="daily")
    make_risk(title="Late supplier", review_date=datetime.date(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.overdue_reviews_remind(today=TODAY)
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.digest_send(frequency="daily") == 1
    (email,) = mailoutbox
    assert email.to == [manager.email]
    assert email.subject == "Your daily Lantern digest: 1 update"
    assert "1 risk review overdue in Ashby Vale District Council" in email.body
    assert "Late supplier" in email.body


def test_a_member_who_wants_no_escalation_emails_gets_none(
    personas, make_risk, manager, mailoutbox, django_capture_on_commit_callbacks
):
    member = personas.members[Role.MEMBER].user
    NotificationPreference.objects.create(user=member, kind="risk_escalated", frequency="never")
    with django_capture_on_commit_callbacks(execute=True):
        services.risk_escalate(actor=manager, risk=make_risk(), note="Beyond what officers can fix.")
    assert mailoutbox == []


def test_the_weekly_task_runs_the_reminder_service(make_risk, mailoutbox, django_capture_on_commit_callbacks):
    make_risk(review_date=datetime.date(2020, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_overdue_reviews.delay().get() == 1
    assert len(mailoutbox) == 1


def test_every_change_of_score_is_a_review_row(make_risk):
    risk = make_risk()
    assert RiskReview.objects.filter(risk=risk).count() == 1


def test_a_title_with_line_breaks_cannot_break_the_escalation_email(
    make_risk, manager, django_capture_on_commit_callbacks, mailoutbox
):
    risk = make_risk(title="Late supplier\r\nBcc: everyone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.risk_escalate(actor=manager, risk=risk, note="Members should know.")
    assert mailoutbox[0].subject == "Risk escalated to members: Late supplier Bcc: everyone@example.com"
    assert mailoutbox[0].bcc == []

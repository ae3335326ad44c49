"""Writing, publishing, withdrawing and featuring lessons; adoptions; visits within capacity."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from accounts import notices
from accounts.models import NotificationPreference, Role
from innovation.models import Evaluation, Idea, ProjectStage, Source
from portfolio.models import Service, ServiceArea
from sharing import queries, services, tasks
from sharing.models import Adoption, CostBand, Lesson, ServiceFollow, Visibility, VisitRequest
from tests.factories import MembershipFactory, ProjectFactory
from tests.sharing.conftest import finished_project, lesson_text, publish

pytestmark = pytest.mark.django_db


def test_a_manager_writes_a_draft_lesson_that_carries_the_evaluations_outcome(personas, manager):
    project = finished_project(personas.council, manager, outcome=Evaluation.Outcome.DID_NOT_SUCCEED)
    lesson = services.lesson_create(actor=manager, project=project, **lesson_text(personas.council))
    assert lesson.published_at is None
    assert lesson.outcome == Evaluation.Outcome.DID_NOT_SUCCEED
    assert lesson.transferability == 4
    assert lesson.cost_band == CostBand.FROM_10K  # £18,000 one-off + £4,000 a year
    assert lesson.history.first().history_user == manager


def test_a_lesson_needs_an_evaluated_closed_or_abandoned_project(personas, manager):
    project = ProjectFactory(organisation=personas.council, owner=manager, stage=ProjectStage.IMPLEMENTATION)
    with pytest.raises(services.SharingError):
        services.lesson_create(actor=manager, project=project, **lesson_text(personas.council))


def test_an_abandoned_project_without_evaluation_gives_a_lesson_that_did_not_succeed(personas, manager):
    project = ProjectFactory(organisation=personas.council, owner=manager, stage=ProjectStage.ABANDONED)
    lesson = services.lesson_create(actor=manager, project=project, **lesson_text(personas.council))
    assert lesson.outcome == Evaluation.Outcome.DID_NOT_SUCCEED


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MEMBER, Role.CURATOR, Role.AUDITOR])
def test_only_managers_and_admins_write_lessons(personas, manager, role):
    project = finished_project(personas.council, manager)
    with pytest.raises(PermissionDenied):
        services.lesson_create(actor=personas.members[role].user, project=project, **lesson_text(personas.council))


def test_a_manager_of_another_organisation_cannot_write_our_lesson(personas, manager):
    project = finished_project(personas.council, manager)
    stranger = MembershipFactory(organisation=personas.other_council, role=Role.MANAGER).user
    with pytest.raises(PermissionDenied):
        services.lesson_create(actor=stranger, project=project, **lesson_text(personas.council))


def test_managers_publish_internally_and_only_admins_publish_beyond(make_lesson, manager, admin):
    lesson = make_lesson(visibility=None)
    services.lesson_publish(actor=manager, lesson=lesson, visibility=Visibility.INTERNAL)
    for visibility in (Visibility.SECTOR, Visibility.ANONYMISED, Visibility.PUBLIC):
        with pytest.raises(PermissionDenied):
            services.lesson_publish(actor=manager, lesson=lesson, visibility=visibility)
        assert publish(admin, lesson, visibility).visibility == visibility


def test_withdrawing_needs_a_reason_and_unfeatures(make_lesson, manager, sector_body):
    lesson = make_lesson(Visibility.SECTOR)
    services.lesson_feature(
        actor=sector_body.curator.user, organisation=sector_body.organisation, lesson=lesson, reason="Brave."
    )
    with pytest.raises(services.SharingError):
        services.lesson_withdraw(actor=manager, lesson=lesson, reason="  ")
    lesson = services.lesson_withdraw(actor=manager, lesson=lesson, reason="Wrong figures")
    assert lesson.withdrawn_at is not None
    assert not lesson.featured
    assert not Lesson.objects.published().filter(pk=lesson.pk).exists()


def test_only_a_curator_of_a_sector_body_features_and_says_why(make_lesson, personas, sector_body):
    lesson = make_lesson(Visibility.SECTOR)
    with pytest.raises(PermissionDenied):  # a curator role in a council is not a sector body's
        services.lesson_feature(
            actor=personas.members[Role.CURATOR].user, organisation=personas.council, lesson=lesson, reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.lesson_feature(
            actor=sector_body.officer.user, organisation=sector_body.organisation, lesson=lesson, reason="x"
        )
    with pytest.raises(services.SharingError):
        services.lesson_feature(
            actor=sector_body.curator.user, organisation=sector_body.organisation, lesson=lesson, reason=""
        )
    lesson = services.lesson_feature(
        actor=sector_body.curator.user, organisation=sector_body.organisation, lesson=lesson, reason="Honest failure"
    )
    assert lesson.featured and lesson.featured_reason == "Honest failure"


def test_an_internal_lesson_cannot_be_featured(make_lesson, sector_body):
    lesson = make_lesson(Visibility.INTERNAL)
    with pytest.raises(services.SharingError):
        services.lesson_feature(
            actor=sector_body.curator.user, organisation=sector_body.organisation, lesson=lesson, reason="x"
        )


def test_adopting_a_lesson_logs_an_idea_of_our_own_linked_to_it(make_lesson, personas):
    lesson = make_lesson(Visibility.ANONYMISED)
    area = ServiceArea.objects.create(organisation=personas.other_council, name="Housing", service=Service.HOUSING)
    adoption = services.adoption_create(
        actor=personas.outsider.user,
        organisation=personas.other_council,
        lesson=lesson,
        title="Earlier reminders",
        problem="Missed appointments",
        proposal="Send the text two days before",
        what_changed="Two days ahead, not two hours",
        service_areas=[area],
    )
    idea = Idea.objects.get(pk=adoption.idea_id)
    assert idea.organisation == personas.other_council
    assert idea.source == Source.ELSEWHERE
    assert idea.adoption.lesson == lesson
    page = personas.client_for(personas.members[Role.OFFICER]).get(lesson.get_absolute_url()).content.decode()
    assert "Kingsmere Council" in page and "Two days ahead, not two hours" in page
    assert "Not published yet" in page


def test_an_organisation_cannot_adopt_its_own_or_an_internal_lesson(make_lesson, personas, manager):
    own = make_lesson(Visibility.SECTOR)
    area = ServiceArea.objects.create(organisation=personas.council, name="Homes", service=Service.HOUSING)
    with pytest.raises(services.SharingError):
        services.adoption_create(
            actor=manager,
            organisation=personas.council,
            lesson=own,
            title="t",
            problem="p",
            proposal="p",
            what_changed="w",
            service_areas=[area],
        )
    internal = make_lesson(Visibility.INTERNAL)
    with pytest.raises(PermissionDenied):
        services.adoption_create(
            actor=personas.outsider.user,
            organisation=personas.other_council,
            lesson=internal,
            title="t",
            problem="p",
            proposal="p",
            what_changed="w",
            service_areas=[],
        )
    assert not Adoption.objects.exists()


def _ask(personas, lesson, kind=VisitRequest.Kind.INDIVIDUAL, who=None):
    who = who or MembershipFactory(organisation=personas.other_council, role=Role.OFFICER)
    return services.visit_request_create(
        actor=who.user, organisation=who.organisation, lesson=lesson, message="Could we visit?", kind=kind
    )


def test_beyond_the_hosts_quarterly_capacity_only_a_group_visit_is_offered(make_lesson, personas, admin):
    lesson = make_lesson(Visibility.SECTOR)
    services.visit_capacity_set(actor=admin, organisation=personas.council, visits_per_quarter=2)
    _ask(personas, lesson)
    _ask(personas, lesson)
    assert queries.visit_places_left(personas.council) == 0
    with pytest.raises(services.VisitsFullError):
        _ask(personas, lesson)
    group = _ask(personas, lesson, kind=VisitRequest.Kind.GROUP)
    assert group.kind == VisitRequest.Kind.GROUP
    page = personas.client_for(personas.outsider).get(f"/lessons/{lesson.pk}/visit/").content.decode()
    assert "group visit" in page and "b.quince@ashby-vale.example" in page  # the contact, for a named lesson


def test_a_declined_request_frees_its_place(make_lesson, personas, admin, manager):
    lesson = make_lesson(Visibility.SECTOR)
    services.visit_capacity_set(actor=admin, organisation=personas.council, visits_per_quarter=1)
    visit = _ask(personas, lesson)
    services.visit_request_decide(
        actor=manager, organisation=personas.council, visit_request=visit, accept=False, response="Sorry"
    )
    assert queries.visit_places_left(personas.council) == 1


def test_the_host_accepts_and_both_sides_are_emailed(
    make_lesson, personas, manager, django_capture_on_commit_callbacks
):
    lesson = make_lesson(Visibility.ANONYMISED)
    with django_capture_on_commit_callbacks(execute=True):
        visit = _ask(personas, lesson, who=personas.outsider)
    assert any(manager.email in m.to for m in mail.outbox)  # the host heard of it
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_request_decide(
            actor=manager, organisation=personas.council, visit_request=visit, accept=True, response="3 March, 10am"
        )
    to_visitor = [m for m in mail.outbox if personas.outsider.user.email in m.to]
    to_host = [m for m in mail.outbox if manager.email in m.to]
    assert to_visitor and to_host
    assert "3 March, 10am" in to_visitor[0].body
    assert "Ashby Vale District Council" in to_visitor[0].body  # accepting reveals the host, by choice
    with pytest.raises(services.SharingError):
        services.visit_request_decide(
            actor=manager, organisation=personas.council, visit_request=visit, accept=False, response=""
        )


def test_only_the_hosts_managers_and_admins_answer(make_lesson, personas):
    lesson = make_lesson(Visibility.SECTOR)
    visit = _ask(personas, lesson)
    with pytest.raises(PermissionDenied):
        services.visit_request_decide(
            actor=personas.members[Role.OFFICER].user,
            organisation=personas.council,
            visit_request=visit,
            accept=True,
            response="ok",
        )


def test_weekly_digest_lists_new_lessons_in_followed_services_only(
    make_lesson, personas, django_capture_on_commit_callbacks
):
    housing = make_lesson(Visibility.SECTOR)
    waste = make_lesson(Visibility.SECTOR, service=Service.WASTE, title="Food waste caddies")
    make_lesson(Visibility.INTERNAL, title="Our internal housing lesson")
    ServiceFollow.objects.create(user=personas.outsider.user, service=Service.HOUSING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.digest_send_all() == 1
    (email,) = mail.outbox
    assert housing.title in email.body
    assert waste.title not in email.body
    assert "Our internal housing lesson" not in email.body


def test_the_weekly_digest_is_one_email_with_new_lessons_and_every_other_notice_waiting(
    make_lesson, personas, django_capture_on_commit_callbacks
):
    outsider = personas.outsider
    housing = make_lesson(Visibility.SECTOR)
    ServiceFollow.objects.create(user=outsider.user, service=Service.HOUSING)
    NotificationPreference.objects.create(user=outsider.user, kind="visit_replies", frequency="weekly")
    with django_capture_on_commit_callbacks(execute=True):
        _ask(personas, housing, who=outsider)
    assert not [m for m in mail.outbox if outsider.user.email in m.to]  # held for the digest
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.digest_send(frequency="weekly") == 1
    (email,) = [m for m in mail.outbox if outsider.user.email in m.to]
    assert email.subject == "Your weekly Lantern digest: 2 updates"
    assert "Your visit request has been sent" in email.body
    assert "New lessons in the services you follow" in email.body and housing.title in email.body


def test_a_follower_who_turned_new_lessons_off_gets_no_digest_of_them(
    make_lesson, personas, django_capture_on_commit_callbacks
):
    make_lesson(Visibility.SECTOR)
    ServiceFollow.objects.create(user=personas.outsider.user, service=Service.HOUSING)
    NotificationPreference.objects.create(user=personas.outsider.user, kind="new_lessons", frequency="never")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.digest_send(frequency="weekly") == 0
    assert mail.outbox == []


def test_the_digest_is_in_the_beat_schedule(settings):
    # New lessons are part of the one weekly digest of every app's notices (sharing/notices.py).
    entry = settings.CELERY_BEAT_SCHEDULE["notices-weekly-digest"]
    assert entry["task"] == "accounts.tasks.digest_send"


def test_publishing_withdrawing_and_featuring_each_leave_a_history_row_naming_who(
    make_lesson, manager, admin, sector_body
):
    lesson = make_lesson(visibility=None)
    services.lesson_publish(actor=admin, lesson=lesson, visibility=Visibility.PUBLIC)
    services.lesson_feature(
        actor=sector_body.curator.user, organisation=sector_body.organisation, lesson=lesson, reason="Good"
    )
    services.lesson_withdraw(actor=manager, lesson=lesson, reason="Superseded")
    history = list(lesson.history.order_by("history_date").values_list("history_user_id", "visibility", "featured"))
    assert history[1:] == [
        (admin.pk, Visibility.PUBLIC, False),
        (sector_body.curator.user_id, Visibility.PUBLIC, True),
        (manager.pk, Visibility.PUBLIC, False),
    ]

"""Once anonymised, always anonymous to outsiders: a lesson ever published anonymised keeps its
host hidden from other organisations in every place that refers to it; a visitor to an
anonymised lesson learns nothing of the host, its capacity included; and "Adopted by" shows
only what adopters published, naming them to people who are not signed in only with consent."""

import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client

from accounts.models import Role
from innovation.models import Evaluation
from portfolio.models import Service, ServiceArea
from sharing import queries, services
from sharing.models import Adoption, Lesson, Visibility, VisitRequest
from tests.factories import MembershipFactory
from tests.sharing.conftest import finished_project, lesson_text, publish
from tests.sharing.test_anonymisation import _assert_reveals_nothing

pytestmark = pytest.mark.django_db


def _ask(lesson, membership, kind=VisitRequest.Kind.INDIVIDUAL, message="May we visit in March?"):
    return services.visit_request_create(
        actor=membership.user, organisation=membership.organisation, lesson=lesson, message=message, kind=kind
    )


def _page(client, url) -> str:
    """The page's main content, without the per-request CSRF token."""
    html = client.get(url).content.decode()
    main = re.search(r"<main.*</main>", html, re.DOTALL).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


# ---------------------------------------------------------------- once anonymised, always anonymous


def _change(lesson, to, manager, admin):
    if to == "withdrawn":
        return services.lesson_withdraw(actor=admin, lesson=lesson, reason="Out of date")
    return publish(manager if to == Visibility.INTERNAL else admin, lesson, to)


@pytest.mark.parametrize("to", [Visibility.INTERNAL, Visibility.SECTOR, Visibility.PUBLIC, "withdrawn"])
def test_after_an_anonymised_lesson_changes_visibility_the_visitors_list_and_decline_email_still_hide_the_host(
    make_lesson, personas, manager, admin, to, django_capture_on_commit_callbacks
):
    lesson = make_lesson(Visibility.ANONYMISED)
    visit = _ask(lesson, personas.outsider)
    lesson = _change(lesson, to, manager, admin)
    visitor = personas.client_for(personas.outsider)
    html = visitor.get("/visits/").content.decode()
    assert "Text reminders did not cut missed housing appointments" in html
    assert "An anonymised district council" in html
    _assert_reveals_nothing(html, lesson)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_request_decide(
            actor=manager, organisation=personas.council, visit_request=visit, accept=False, response="Not this year."
        )
    (declined,) = [m for m in mail.outbox if personas.outsider.user.email in m.to]
    assert "Not this year." in declined.body
    _assert_reveals_nothing(declined.subject + declined.body, lesson)


def test_a_lesson_anonymised_once_and_then_published_to_the_sector_stays_anonymised_to_other_organisations(
    make_lesson, personas, admin
):
    lesson = make_lesson(Visibility.ANONYMISED)
    lesson = publish(admin, lesson, Visibility.SECTOR)
    assert lesson.anonymised_at is not None
    html = personas.client_for(personas.outsider).get(lesson.get_absolute_url()).content.decode()
    assert "An anonymised district council" in html
    _assert_reveals_nothing(html, lesson)
    own = personas.client_for(personas.members[Role.OFFICER]).get(lesson.get_absolute_url()).content.decode()
    assert "Ashby Vale District Council" in own
    assert "it stays anonymised to them" in own  # the host is told why


def test_a_lesson_never_anonymised_still_names_its_host(make_lesson, personas):
    lesson = make_lesson(Visibility.SECTOR)
    assert lesson.anonymised_at is None
    html = personas.client_for(personas.outsider).get(lesson.get_absolute_url()).content.decode()
    assert "Ashby Vale District Council" in html


def test_the_migration_marks_lessons_anonymised_before_it_from_their_history(make_lesson, personas, manager):
    was = make_lesson(Visibility.ANONYMISED)
    visit = _ask(was, personas.outsider)
    services.lesson_publish(actor=manager, lesson=was, visibility=Visibility.INTERNAL)
    named = make_lesson(Visibility.SECTOR)
    # As the rows stood before the migration: nothing recorded.
    Lesson.objects.update(anonymised_at=None)
    VisitRequest.objects.update(brokered=False)
    migration = importlib.import_module("sharing.migrations.0003_lesson_ever_anonymised")
    migration.fill(apps, None)
    was.refresh_from_db()
    named.refresh_from_db()
    visit.refresh_from_db()
    assert was.anonymised_at is not None and was.visibility == Visibility.INTERNAL
    assert named.anonymised_at is None
    assert visit.brokered


# ---------------------------------------------------------------- brokered visits and capacity


@pytest.fixture
def two_lessons(make_lesson, personas, admin):
    """One host, one place a quarter: a named lesson and an anonymised one."""
    named = make_lesson(Visibility.SECTOR, title="Named lesson about waiting lists")
    anonymised = make_lesson(Visibility.ANONYMISED)
    services.visit_capacity_set(actor=admin, organisation=personas.council, visits_per_quarter=1)
    return named, anonymised


def test_the_visitor_to_an_anonymised_lesson_is_told_the_same_when_the_hosts_places_run_out_elsewhere(
    two_lessons, personas, django_capture_on_commit_callbacks
):
    named, anonymised = two_lessons
    visitor = personas.client_for(personas.outsider)
    url = f"/lessons/{anonymised.pk}/visit/"
    before = _page(visitor, url)
    with django_capture_on_commit_callbacks(execute=True):
        first = visitor.post(url, {"kind": "individual", "message": "In March?"}, follow=True).content.decode()
    first_email = [m.body for m in mail.outbox if personas.outsider.user.email in m.to]
    VisitRequest.objects.all().delete()

    # Someone else takes the host's only place through its named lesson.
    _ask(named, MembershipFactory(organisation=personas.other_council, role=Role.OFFICER))
    assert queries.visit_places_left(personas.council) == 0
    assert _page(visitor, url) == before
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = visitor.post(url, {"kind": "individual", "message": "In March?"}, follow=True).content.decode()
    second_email = [m.body for m in mail.outbox if personas.outsider.user.email in m.to]

    assert services.BROKERED_REQUEST_SENT in first and services.BROKERED_REQUEST_SENT in second
    # The same words; only the link to the visitor's own request (its id) differs.
    assert [re.sub(r"#visit-\d+", "#visit-N", body) for body in first_email] == [
        re.sub(r"#visit-\d+", "#visit-N", body) for body in second_email
    ]
    assert "visits left" not in before and "group visit" in before
    # The host still hears of it, and that it is beyond its places.
    visit = VisitRequest.objects.get(lesson=anonymised)
    assert visit.kind == VisitRequest.Kind.INDIVIDUAL and visit.brokered
    host_page = personas.client_for(personas.members[Role.MANAGER]).get(f"/visits/{visit.pk}/").content.decode()
    assert "You have no visits of your own left this quarter" in host_page


def test_asking_to_visit_an_anonymised_lesson_does_not_change_the_places_its_hosts_named_lessons_show(
    two_lessons, personas
):
    named, anonymised = two_lessons
    named_url = f"/lessons/{named.pk}/visit/"
    someone = personas.client_for(MembershipFactory(organisation=personas.other_council, role=Role.OFFICER))
    before = _page(someone, named_url)
    _ask(anonymised, personas.outsider)
    assert _page(someone, named_url) == before
    assert "no visits of its own left" not in before
    # The host counts every request.
    host = personas.client_for(personas.members[Role.MANAGER]).get("/visits/").content.decode()
    assert "0 left this quarter" in host


def test_accepting_is_the_hosts_plain_choice_to_name_itself_and_declining_passes_on_a_reply_without_its_name(
    make_lesson, personas, manager, django_capture_on_commit_callbacks
):
    lesson = make_lesson(Visibility.ANONYMISED)
    declined, accepted = _ask(lesson, personas.outsider), _ask(lesson, personas.outsider)
    host = personas.client_for(personas.members[Role.MANAGER])
    page = host.get(f"/visits/{accepted.pk}/").content.decode()
    assert "If you accept, we tell them your organisation’s name" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        host.post(
            f"/visits/{declined.pk}/",
            {
                "decision": "decline",
                "response": f"Ashby Vale cannot host this year; ring {manager.full_name} on 01632 960123.",
            },
        )
    (email,) = [m for m in mail.outbox if personas.outsider.user.email in m.to]
    assert "cannot host this year" in email.body
    _assert_reveals_nothing(email.body, lesson)
    assert manager.full_name not in email.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        host.post(f"/visits/{accepted.pk}/", {"decision": "accept", "response": "4 March"})
    (email,) = [m for m in mail.outbox if personas.outsider.user.email in m.to]
    assert "chosen to tell you who it is" in email.body and "Ashby Vale District Council" in email.body


def test_the_decide_page_of_a_named_lesson_has_no_anonymity_warning(make_lesson, personas):
    visit = _ask(make_lesson(Visibility.SECTOR), personas.outsider)
    page = personas.client_for(personas.members[Role.MANAGER]).get(f"/visits/{visit.pk}/").content.decode()
    assert "does not know who you are" not in page


# ---------------------------------------------------------------- adopted by


@pytest.fixture
def adopted(make_lesson, personas):
    """A public lesson that succeeded, adopted by Kingsmere, whose own try did not succeed (evaluated, unpublished)."""
    lesson = make_lesson(Visibility.PUBLIC, outcome=Evaluation.Outcome.SUCCEEDED)
    area = ServiceArea.objects.create(organisation=personas.other_council, name="Housing", service=Service.HOUSING)
    adopter = MembershipFactory(organisation=personas.other_council, role=Role.MANAGER)

    def adopt(named_publicly=False):
        adoption = services.adoption_create(
            actor=adopter.user,
            organisation=personas.other_council,
            lesson=lesson,
            title="Our reminders",
            problem="Missed appointments",
            proposal="Texts two days ahead",
            what_changed="Two days ahead at Kingsmere, not two hours",
            service_areas=[area],
            named_publicly=named_publicly,
        )
        project = finished_project(personas.other_council, adopter.user, outcome=Evaluation.Outcome.DID_NOT_SUCCEED)
        project.idea = adoption.idea
        project.save()
        return adoption, project, adopter

    return lesson, adopt


def _publish_adopters_lesson(project, adopter, personas, visibility):
    lesson = services.lesson_create(actor=adopter.user, project=project, **lesson_text(personas.other_council))
    admin = MembershipFactory(organisation=personas.other_council, role=Role.ADMIN).user
    return publish(admin, lesson, visibility)


def test_a_signed_out_reader_sees_no_unpublished_outcome_and_no_adopter_who_did_not_consent(adopted):
    lesson, adopt = adopted
    adopt()
    html = Client().get(lesson.get_absolute_url()).content.decode()
    assert "Adopted by" in html
    assert "Did not succeed" not in html
    assert "Not published yet" in html
    assert "Kingsmere" not in html  # neither as a name nor inside what they changed


def test_a_signed_out_reader_sees_an_adopter_that_consented(adopted):
    lesson, adopt = adopted
    adopt(named_publicly=True)
    html = Client().get(lesson.get_absolute_url()).content.decode()
    assert "Kingsmere Council" in html and "Did not succeed" not in html


def test_signed_in_readers_see_the_adopter_but_its_outcome_only_once_published(adopted, personas):
    lesson, adopt = adopted
    _, project, adopter = adopt()
    reader = personas.client_for(personas.members[Role.OFFICER])
    html = reader.get(lesson.get_absolute_url()).content.decode()
    assert "Kingsmere Council" in html and "Did not succeed" not in html
    published = _publish_adopters_lesson(project, adopter, personas, Visibility.SECTOR)
    html = reader.get(lesson.get_absolute_url()).content.decode()
    assert "Did not succeed" in html and published.get_absolute_url() in html
    # Published to the sector is not published to the public.
    assert "Did not succeed" not in Client().get(lesson.get_absolute_url()).content.decode()


def test_an_adopter_whose_own_lesson_is_anonymised_has_no_outcome_beside_its_name(adopted, personas):
    lesson, adopt = adopted
    _, project, adopter = adopt()
    _publish_adopters_lesson(project, adopter, personas, Visibility.ANONYMISED)
    html = personas.client_for(personas.members[Role.OFFICER]).get(lesson.get_absolute_url()).content.decode()
    assert "Kingsmere Council" in html and "Did not succeed" not in html


def test_the_adopt_form_asks_for_consent_to_be_named_publicly(make_lesson, personas):
    lesson = make_lesson(Visibility.PUBLIC)
    area = ServiceArea.objects.create(organisation=personas.other_council, name="Housing", service=Service.HOUSING)
    client = personas.client_for(personas.outsider)
    assert (
        "Name my organisation to people who are not signed in"
        in client.get(f"/lessons/{lesson.pk}/adopt/").content.decode()
    )
    data = {"title": "Ours", "problem": "p", "proposal": "q", "what_changed": "Earlier", "service_areas": [area.pk]}
    client.post(f"/lessons/{lesson.pk}/adopt/", {**data, "named_publicly": "on"})
    assert Adoption.objects.get().named_publicly


def test_the_visits_list_reads_every_anonymised_lesson_asked_about_in_the_same_number_of_queries(
    make_lesson, personas, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lessons = [make_lesson(Visibility.ANONYMISED, title=f"Lesson {n} on missed appointments") for n in range(5)]
    visitor = personas.client_for(personas.outsider)
    _ask(lessons[0], personas.outsider)
    visitor.get("/visits/")  # the session's first request records its sign-in time
    with CaptureQueriesContext(connection) as one:
        assert "Lesson 0 on missed appointments" in visitor.get("/visits/").content.decode()
    count = len(one.captured_queries)  # read now: the next request empties Django's query log
    for lesson in lessons[1:]:
        _ask(lesson, personas.outsider)
    visitor.get("/visits/")  # the header's unread count is counted afresh once after new notices
    with django_assert_num_queries(count):
        html = visitor.get("/visits/").content.decode()
    assert all(f"Lesson {n} on missed appointments" in html for n in range(5))
    assert html.count("An anonymised district council") == 5

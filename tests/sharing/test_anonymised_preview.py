"""Publishing anonymised goes through a preview of exactly what other organisations will read,
with what may still identify the organisation highlighted; nothing is published anonymised
without an admin confirming it, and an edit withholds the lesson until an admin checks again."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from sharing import reading, services
from sharing.models import Lesson, Visibility
from tests.api.conftest import api_client_for
from tests.sharing.conftest import publish

pytestmark = pytest.mark.django_db

SUSPECT_TEXT = (
    "We met residents at 12 High Street in Market Harborough, LE16 7AG, near the Civic Centre. "
    "The estate of North Ashby was hardest hit. Ref HR2023/041. Follow @ashbyrepairs."
)


@pytest.fixture(autouse=True)
def _names_that_cannot_collide(personas):
    # The personas' names are random; one called, say, "Ann North" would have "North" removed
    # rather than highlighted. Names of their own keep these tests about the words under test.
    for n, membership in enumerate(personas.members.values()):
        User.objects.filter(pk=membership.user_id).update(full_name=f"Zebedee Quarrington{'x' * n}")


@pytest.fixture
def admin_client(personas):
    return personas.client_for(personas.members[Role.ADMIN])


@pytest.fixture
def draft(make_lesson):
    return make_lesson(None, happened=SUSPECT_TEXT)


def _preview_url(lesson) -> str:
    return f"/lessons/{lesson.pk}/publish/anonymised/"


def _unchanged(lesson) -> None:
    fresh = Lesson.objects.get(pk=lesson.pk)
    assert fresh.published_at is None and fresh.visibility == Visibility.INTERNAL
    assert fresh.anonymised_checked_at is None


def test_the_preview_shows_exactly_what_another_organisation_will_read(draft, admin_client, personas):
    html = admin_client.get(_preview_url(draft)).content.decode()
    preview = reading.lesson_preview(draft)
    publish(personas.members[Role.ADMIN].user, draft, Visibility.ANONYMISED)
    seen = reading.lesson_for_reader(Lesson.objects.get(pk=draft.pk), personas.other_council)
    assert reading.preview_digest(seen) == preview.digest
    assert "An anonymised district council" in html
    assert "Ashby Vale" not in html.split('id="preview"')[1].replace("Ashby Vale District Council", "")
    for heading, _ in seen.section_markdown:
        assert heading in html


def test_the_preview_highlights_what_may_still_identify_the_organisation(draft, admin_client):
    html = admin_client.get(_preview_url(draft)).content.decode()
    for suspect in ("12 High Street", "Market Harborough", "LE16 7AG", "Civic Centre", "North", "HR2023/041"):
        assert f'<mark class="lantern-suspect">{suspect}</mark>' in html, suspect
    assert "ashbyrepairs" not in html  # removed outright: it contains "ashby"
    assert "[removed]" in html


def test_publishing_anonymised_without_confirming_the_preview_is_refused_and_changes_nothing(draft, admin_client):
    digest = reading.lesson_preview(draft).digest
    response = admin_client.post(_preview_url(draft), {"digest": digest})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Confirm that you have checked the preview" in html
    _unchanged(draft)
    response = admin_client.post(f"/lessons/{draft.pk}/publish/", {"visibility": "anonymised"})
    assert response["Location"] == _preview_url(draft)
    _unchanged(draft)


def test_a_confirmation_of_words_that_have_since_changed_is_refused(draft, admin_client, manager):
    digest = reading.lesson_preview(draft).digest
    services.lesson_update(actor=manager, lesson=draft, title="Reminders at Kettering did not help", **_rest(draft))
    response = admin_client.post(_preview_url(draft), {"digest": digest, "confirmed": "on"})
    assert response.status_code == 200
    assert "changed since you checked the preview" in response.content.decode()
    _unchanged(draft)


def _rest(lesson) -> dict:
    return {"summary": lesson.summary, "tried": lesson.tried, "happened": lesson.happened}


def test_the_service_refuses_anonymised_publication_without_a_checked_preview(draft, admin, manager):
    for checked in ("", "0" * 64):
        with pytest.raises(services.SharingError):
            services.lesson_publish(
                actor=admin, lesson=draft, visibility=Visibility.ANONYMISED, checked_preview=checked
            )
        _unchanged(draft)
    with pytest.raises(PermissionDenied):
        services.lesson_publish(
            actor=manager,
            lesson=draft,
            visibility=Visibility.ANONYMISED,
            checked_preview=reading.lesson_preview(draft).digest,
        )
    _unchanged(draft)


def test_who_confirmed_and_when_is_kept_in_the_history(draft, admin):
    publish(admin, draft, Visibility.ANONYMISED)
    latest = Lesson.objects.get(pk=draft.pk).history.first()
    assert latest.anonymised_checked_by_id == admin.pk and latest.anonymised_checked_at is not None
    assert latest.history_user_id == admin.pk


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.MEMBER, Role.AUDITOR, Role.CURATOR])
def test_only_an_admin_may_open_the_preview(draft, personas, role):
    assert personas.client_for(personas.members[role]).get(_preview_url(draft)).status_code == 403


def test_the_preview_escapes_hostile_text(make_lesson, admin_client):
    lesson = make_lesson(
        None,
        title='<a href="javascript:alert(2)">Market Harborough</a> <script>alert(3)</script>',
        tried="<script>alert('x')</script> [a](javascript:alert(1)) 12 High Street",
    )
    html = admin_client.get(_preview_url(lesson)).content.decode()
    assert "<script>alert(" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


# ---------------------------------------------------------------- an edit after publication


@pytest.fixture
def published(make_lesson):
    return make_lesson(Visibility.ANONYMISED)


def _outsider_sees(personas, lesson) -> bool:
    client = personas.client_for(personas.outsider)
    page = client.get(f"/lessons/{lesson.pk}/").status_code == 200
    listed = lesson.title in client.get("/library/", {"q": "reminders"}).content.decode()
    api = [row["id"] for row in api_client_for(personas.outsider).get("/api/lessons/").json()["results"]]
    assert page == listed == (lesson.pk in api)
    return page


def test_an_edit_by_anyone_withholds_the_lesson_from_other_organisations_until_an_admin_checks_again(
    published, personas, manager, admin, django_capture_on_commit_callbacks
):
    assert _outsider_sees(personas, published)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_update(
            actor=manager, lesson=published, **{**_rest(published), "happened": "It failed in Little Dunmow."}
        )
    assert not _outsider_sees(personas, published)
    (notice,) = [m for m in mail.outbox if admin.email in m.to]
    assert "Check an anonymised lesson again" in notice.subject and _preview_url(published) in notice.body
    own = personas.client_for(personas.members[Role.ADMIN]).get(f"/lessons/{published.pk}/").content.decode()
    assert "Other organisations cannot see this lesson until an admin checks the preview" in own
    publish(admin, Lesson.objects.get(pk=published.pk), Visibility.ANONYMISED)
    assert _outsider_sees(personas, published)


def test_an_edit_that_changes_nothing_other_organisations_read_keeps_the_lesson_shown(published, personas, manager):
    # The council's name written another way: other organisations read "[removed]" either way.
    tried = published.tried.replace("Ashby Vale District Council", "Ashby Vale")
    assert tried != published.tried
    services.lesson_update(actor=manager, lesson=published, **{**_rest(published), "tried": tried})
    assert Lesson.objects.get(pk=published.pk).tried == tried
    assert _outsider_sees(personas, published)


# ---------------------------------------------------------------- once anonymised, republished by name


def _reached_by_anyone_outside(personas, lesson) -> bool:
    signed_out = Client().get(f"/lessons/{lesson.pk}/").status_code == 200
    return _outsider_sees(personas, lesson) or signed_out


@pytest.mark.parametrize("to", [Visibility.SECTOR, Visibility.PUBLIC])
def test_a_lesson_once_anonymised_and_republished_by_name_reaches_nobody_outside_until_an_admin_checks_the_preview(
    published, personas, manager, admin_client, to
):
    services.lesson_publish(actor=manager, lesson=published, visibility=Visibility.INTERNAL)
    response = admin_client.post(f"/lessons/{published.pk}/publish/", {"visibility": to})
    assert response["Location"] == f"{_preview_url(published)}?visibility={to}"
    assert Lesson.objects.get(pk=published.pk).visibility == Visibility.INTERNAL
    assert not _reached_by_anyone_outside(personas, published)
    page = admin_client.get(response["Location"]).content.decode()
    assert f"Publish to the {to}" in page and "still read it without your organisation’s name" in page
    digest = reading.lesson_preview(published).digest
    admin_client.post(response["Location"], {"digest": digest, "confirmed": "on"})
    lesson = Lesson.objects.get(pk=published.pk)
    assert lesson.visibility == to and lesson.anonymised_checked_digest == digest
    assert _outsider_sees(personas, lesson)
    seen = personas.client_for(personas.outsider).get(f"/lessons/{lesson.pk}/").content.decode()
    assert "An anonymised district council" in seen and "Ashby Vale" not in seen


def test_the_service_refuses_to_name_a_once_anonymised_lesson_to_the_sector_without_a_checked_preview(
    published, admin, manager
):
    services.lesson_publish(actor=manager, lesson=published, visibility=Visibility.INTERNAL)
    for checked in ("", "0" * 64):
        with pytest.raises(services.SharingError):
            services.lesson_publish(
                actor=admin, lesson=published, visibility=Visibility.SECTOR, checked_preview=checked
            )
        lesson = Lesson.objects.get(pk=published.pk)
        assert lesson.visibility == Visibility.INTERNAL and lesson.anonymised_checked_at is None


def test_an_edit_to_a_once_anonymised_lesson_now_shared_by_name_withholds_it_until_an_admin_checks_again(
    published, personas, manager, admin, admin_client, django_capture_on_commit_callbacks
):
    lesson = publish(admin, published, Visibility.PUBLIC)
    assert _outsider_sees(personas, lesson) and Client().get(f"/lessons/{lesson.pk}/").status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_update(actor=manager, lesson=lesson, **{**_rest(lesson), "happened": "It failed in Dunmow."})
    assert not _reached_by_anyone_outside(personas, lesson)
    assert "Dunmow" not in Client().get("/library/feed/").content.decode()
    (notice,) = [m for m in mail.outbox if admin.email in m.to]
    assert _preview_url(lesson) in notice.body
    # The link in the email checks it again at the visibility it has: still public.
    page = admin_client.get(_preview_url(lesson)).content.decode()
    assert "Publish to the public" in page
    digest = reading.lesson_preview(Lesson.objects.get(pk=lesson.pk)).digest
    admin_client.post(_preview_url(lesson), {"digest": digest, "confirmed": "on"})
    assert Lesson.objects.get(pk=lesson.pk).visibility == Visibility.PUBLIC
    assert _outsider_sees(personas, lesson) and Client().get(f"/lessons/{lesson.pk}/").status_code == 200


@pytest.mark.parametrize("asked", ["sector", "internal", "nonsense", "public" * 100])
def test_a_never_anonymised_lesson_is_only_ever_published_anonymously_from_the_preview(
    make_lesson, admin_client, asked
):
    # The preview shows the lesson anonymised: confirming it never publishes it by name.
    lesson = make_lesson(None)
    url = f"{_preview_url(lesson)}?visibility={asked}"
    assert "Publish anonymously" in admin_client.get(url).content.decode()
    admin_client.post(url, {"digest": reading.lesson_preview(lesson).digest, "confirmed": "on"})
    assert Lesson.objects.get(pk=lesson.pk).visibility == Visibility.ANONYMISED


def test_anonymised_lessons_seeded_in_bulk_and_marked_checked_reach_other_councils_as_if_an_admin_checked_them(
    make_lesson, personas, admin
):
    from sharing import demo

    lesson = make_lesson(None)
    Lesson.objects.filter(pk=lesson.pk).update(visibility=Visibility.ANONYMISED, published_at=timezone.now())
    assert not _outsider_sees(personas, lesson)  # as bulk_create leaves it: unchecked, withheld
    assert demo.lessons_mark_anonymised_checked(Lesson.objects.filter(pk=lesson.pk), checked_by=admin) == 1
    marked = Lesson.objects.get(pk=lesson.pk)
    assert marked.anonymised_checked_digest == reading.lesson_preview(marked).digest
    assert marked.anonymised_at is not None and marked.anonymised_checked_by == admin
    assert _outsider_sees(personas, marked)

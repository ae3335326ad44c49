"""The notifications page: a person's notices in the organisation they work in, read and unread,
and the unread count in the header of every page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import notices
from accounts.models import Notice, Role

pytestmark = pytest.mark.django_db

INBOX = "/notifications/inbox/"


def _notice(membership, subject="A risk you own", *, url="/risk/risks/1/", kind="risk_owner_assigned"):
    return notices.notice_send(
        user=membership.user,
        organisation=membership.organisation,
        kind=kind,
        subject=subject,
        body="Body text",
        url=url,
    )


def test_the_page_lists_the_persons_own_notices_in_this_organisation_newest_first_with_links(personas):
    officer = personas.members[Role.OFFICER]
    _notice(officer, "Older one", url="/ideas/1/score/")
    _notice(officer, "Newer one", url="/projects/2/")
    _notice(personas.members[Role.MANAGER], "Someone else's")
    _notice(personas.outsider, "Another council's")
    page = personas.client_for(officer).get(INBOX).content.decode()
    assert page.index("Newer one") < page.index("Older one")
    assert 'href="/projects/2/"' in page and 'href="/ideas/1/score/"' in page
    assert "Someone else" not in page and "Another council" not in page
    assert page.count("Unread</strong>") == 2


def test_a_link_to_another_site_is_never_kept_for_the_page(personas, settings):
    settings.SITE_URL = "https://lantern.example"
    officer = personas.members[Role.OFFICER]
    assert _notice(officer, url="https://lantern.example/projects/3/").url == "/projects/3/"
    assert _notice(officer, url="https://evil.example/phish").url == ""
    assert _notice(officer, url="//evil.example/phish").url == ""


def test_marking_one_read_takes_its_unread_tag_away_and_lowers_the_count_in_the_header(personas):
    officer = personas.members[Role.OFFICER]
    first, _second = _notice(officer, "First"), _notice(officer, "Second")
    client = personas.client_for(officer)
    assert '>2<span class="govuk-visually-hidden"> unread</span>' in client.get("/").content.decode()
    response = client.post(f"/notifications/inbox/{first.pk}/read/")
    assert response.status_code == 302 and response["Location"] == INBOX
    first.refresh_from_db()
    assert first.read_at is not None
    page = client.get(INBOX).content.decode()
    assert "Marked as read: First" in page
    assert '>1<span class="govuk-visually-hidden"> unread</span>' in page


def test_mark_all_as_read_marks_only_the_persons_notices_in_this_organisation(personas):
    officer, manager = personas.members[Role.OFFICER], personas.members[Role.MANAGER]
    for n in range(3):
        _notice(officer, f"Mine {n}")
    theirs = _notice(manager, "Theirs")
    response = personas.client_for(officer).post("/notifications/inbox/read-all/", {"page": "2"})
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?page=2"
    assert not Notice.objects.filter(user=officer.user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    page = personas.client_for(officer).get(INBOX).content.decode()
    assert "Mark all as read" not in page and "unread</span>" not in page


def test_someone_elses_notice_cannot_be_marked_read_and_answers_404(personas):
    theirs = _notice(personas.members[Role.MANAGER])
    other_council = _notice(personas.outsider)
    client = personas.client_for(personas.members[Role.OFFICER])
    assert client.post(f"/notifications/inbox/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/notifications/inbox/{other_council.pk}/read/").status_code == 404
    assert Notice.objects.filter(read_at__isnull=False).count() == 0


def test_marking_read_is_a_post_with_a_csrf_token(personas):
    officer = personas.members[Role.OFFICER]
    notice = _notice(officer)
    client = personas.client_for(officer)
    assert client.get(f"/notifications/inbox/{notice.pk}/read/").status_code == 405
    client.handler.enforce_csrf_checks = True
    assert client.post(f"/notifications/inbox/{notice.pk}/read/").status_code == 403
    assert client.post("/notifications/inbox/read-all/").status_code == 403
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize(
    "url,method", [(INBOX, "get"), ("/notifications/inbox/read-all/", "post"), ("/notifications/inbox/1/read/", "post")]
)
def test_every_role_has_a_notifications_page_and_the_signed_out_are_sent_to_sign_in(personas, url, method):
    for role in Role.values:
        membership = personas.members[role]
        asked = f"/notifications/inbox/{_notice(membership).pk}/read/" if url.endswith("/1/read/") else url
        response = getattr(personas.client_for(membership), method)(asked)
        assert response.status_code == (200 if method == "get" else 302), role
    response = getattr(Client(), method)(url)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_the_page_is_paginated_newest_first(personas):
    officer = personas.members[Role.OFFICER]
    for n in range(30):
        _notice(officer, f"Notice number {n:02d}")
    client = personas.client_for(officer)
    first, second = client.get(INBOX).content.decode(), client.get(f"{INBOX}?page=2").content.decode()
    assert "Notice number 29" in first and "Notice number 05" in first and "Notice number 04" not in first
    assert "Notice number 04" in second and "Notice number 00" in second and "Page 2 of 2" in second


def test_the_page_costs_the_same_queries_for_3_notices_as_for_25(personas, django_assert_num_queries):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    for n in range(3):
        _notice(officer, f"N{n}")
    client.get(INBOX)
    with CaptureQueriesContext(connection) as few:
        client.get(INBOX)
    count = len(few.captured_queries)  # read now: the next request empties Django's query log
    for n in range(22):
        _notice(officer, f"M{n}")
    client.get("/")  # the header's unread count is counted afresh once after new notices
    with django_assert_num_queries(count):
        client.get(INBOX)


def test_the_unread_count_in_the_header_is_counted_once_then_kept_until_a_notice_changes(personas):
    officer = personas.members[Role.OFFICER]
    _notice(officer)
    client = personas.client_for(officer)
    counting = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as page:
            assert '1<span class="govuk-visually-hidden"> unread</span>' in client.get("/").content.decode()
        counting.append([q["sql"] for q in page.captured_queries if "accounts_notice" in q["sql"]])
    assert len(counting[0]) == 1, "counted in one query"
    assert counting[1] == [], "then kept"


def test_the_unread_count_in_the_header_is_right_on_the_next_page_after_a_notice_is_sent_or_read(personas):
    officer = personas.members[Role.OFFICER]
    client = personas.client_for(officer)
    first = _notice(officer, "First")
    assert '1<span class="govuk-visually-hidden"> unread</span>' in client.get("/").content.decode()
    _notice(officer, "Second")
    assert '2<span class="govuk-visually-hidden"> unread</span>' in client.get("/").content.decode()
    notices.notice_mark_read(actor=officer.user, organisation=personas.council, pk=first.pk)
    assert '1<span class="govuk-visually-hidden"> unread</span>' in client.get("/").content.decode()
    notices.notice_mark_all_read(actor=officer.user, organisation=personas.council)
    assert " unread</span>" not in client.get("/").content.decode()


def test_a_notice_the_person_wants_no_email_for_is_still_listed_unread(personas, mailoutbox):
    officer = personas.members[Role.OFFICER]
    notices.preference_set(actor=officer.user, preferences={"risk_owner_assigned": "never"})
    _notice(officer, "Quiet one")
    assert mailoutbox == []
    assert "Quiet one" in personas.client_for(officer).get(INBOX).content.decode()

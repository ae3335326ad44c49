"""The hostile corpus: every way a council's identity gets written into a lesson, and every
place another organisation reads an anonymised lesson. None of the corpus may reach any of them.

The host is Ashby Vale District Council; its people include an admin who is not on the
project and someone who has left. The lesson's text carries each variant below; each surface
is read as an officer of Kingsmere Council.
"""

import dataclasses
import datetime
import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Organisation, Region, Role, User
from portfolio.models import Service
from reports import committee_pack
from sharing import exports, queries, services
from sharing.models import Lesson, ServiceFollow, Visibility
from sharing.reading import lesson_for_reader
from tests.api.conftest import api_client_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ONS_CODE = "E07000999"
PHONES = [
    "01632 960123",
    "01632-960-124",
    "(01632) 960125",
    "+44 1632 960126",
    "+44 (0)1632 960127",
    "0163 296 0128",
    "020 7946 0001",
    "07700 900 123",
    "07700-900-124",
    "0800 123 4567",
    "+441632960129",
]
# (what the writer typed, the words of it that must never reach another organisation)
CORPUS = [
    ("Ashby alone", ["Ashby"]),
    ("and Vale alone", ["Vale"]),
    ("the initials AVDC", ["AVDC"]),
    ("Ashby-Vale hyphenated", ["Ashby", "Vale"]),
    ("Ashby\nVale over a line break", ["Ashby", "Vale"]),
    ("Ashby  Vale with two spaces", ["Ashby", "Vale"]),
    ("Ashby\u00a0Vale with a no-break space", ["Ashby", "Vale"]),
    ("#AshbyVale run together", ["Ashby", "Vale"]),
    ("see https://www.ashby.example/bins for details", ["ashby.example", "/bins"]),
    ("bare www.ashby.example", ["ashby.example"]),
    ("and ashby.example/report/2024", ["ashby.example", "/report/2024"]),
    ("[our page](https://intranet.ashby.example/lessons)", ["ashby.example", "intranet"]),
    ("avdc.gov.uk has the minutes", ["avdc.gov.uk"]),
    (f"our ONS code {ONS_CODE}", [ONS_CODE]),
    ("Persephone Whitlock signed it off", ["Persephone", "Whitlock"]),
    ("ask Whitlock", ["Whitlock"]),
    ("Ignatius Blackwood, who has left, began it", ["Ignatius", "Blackwood"]),
    ("mail p.whitlock@ashby.example", ["p.whitlock", "ashby.example"]),
    *((f"ring {phone}", [re.sub(r"\D", "", phone)[-6:]]) for phone in PHONES),
]
SECRETS = sorted({secret for _, secrets in CORPUS for secret in secrets} | {"Ashby Vale District Council"})
MARKER = "Queue triage for missed housing repairs"


def _flexible(secret: str) -> str:
    # A secret matched however the surface lays it out: digits with anything between them.
    if secret.isdigit():
        return r"\D{0,3}".join(secret)
    return re.escape(secret)


def assert_no_secret(text: str, where: str) -> None:
    # The library's region list names every region; a secret in it would not be the lesson's.
    text = re.sub(r'<select[^>]*name="region".*?</select>', "", text, flags=re.DOTALL)
    found = [s for s in SECRETS if re.search(_flexible(s), text, re.IGNORECASE)]
    assert not found, f"{where} shows {found}"


@pytest.fixture(autouse=True)
def _names_that_cannot_collide(personas):
    # The personas' names are random; one called, say, "Ann North" would have "North" removed
    # rather than highlighted. Names of their own keep these tests about the words under test.
    for n, membership in enumerate(personas.members.values()):
        User.objects.filter(pk=membership.user_id).update(full_name=f"Zebedee Quarrington{'x' * n}")


@pytest.fixture
def host(personas):
    council = personas.council
    Organisation.objects.filter(pk=council.pk).update(ons_code=ONS_CODE, region=Region.EAST_MIDLANDS)
    council.refresh_from_db()
    # The organisation's own people who are not on the project: one still here, one who has left.
    MembershipFactory(
        organisation=council,
        role=Role.ADMIN,
        user=UserFactory(full_name="Persephone Whitlock", email="p.whitlock@ashby.example"),
    )
    MembershipFactory(
        organisation=council,
        role=Role.OFFICER,
        is_active=False,
        user=UserFactory(full_name="Ignatius Blackwood", email="i.blackwood@ashby.example"),
    )
    return council


@pytest.fixture
def corpus_lesson(host, make_lesson):
    text = [typed for typed, _ in CORPUS]
    third = len(text) // 3
    return make_lesson(
        Visibility.ANONYMISED,
        title=f"{MARKER} at Ashby (AVDC)",
        summary="We triaged repairs at Ashby with AVDC staff.",
        tried="\n\n".join(text[:third]),
        happened="\n\n".join(text[third : 2 * third]),
        did_not_work="\n\n".join(text[2 * third :]),
        contact_name="",
        contact_email="",
    )


@pytest.fixture
def outsider(personas):
    return personas.client_for(personas.outsider)


def test_the_lesson_page_carries_none_of_the_corpus(corpus_lesson, outsider):
    html = outsider.get(f"/lessons/{corpus_lesson.pk}/").content.decode()
    assert MARKER in html and "What did not work" in html
    assert_no_secret(html, "the lesson page")


def test_the_library_list_and_search_carry_none_of_the_corpus(corpus_lesson, outsider):
    for params in ({}, {"q": "triage repairs"}, {"service": Service.HOUSING}):
        html = outsider.get("/library/", params).content.decode()
        assert MARKER in html, params
        assert_no_secret(html, f"the library with {params}")


@pytest.mark.parametrize(
    "words", ["Ashby", "Vale", "AVDC", "ashby.example", ONS_CODE, "Whitlock", "Blackwood", "960123", "Persephone"]
)
def test_searching_for_any_form_of_the_name_finds_nothing(corpus_lesson, outsider, words):
    html = outsider.get("/library/", {"q": words}).content.decode()
    assert MARKER not in html
    assert not [lesson.pk for lesson in queries.library_search(organisation=outsider_org(corpus_lesson), text=words)]


def outsider_org(lesson):
    return Organisation.objects.exclude(pk=lesson.organisation_id).get(name="Kingsmere Council")


def test_the_search_index_holds_only_redacted_words(corpus_lesson):
    stored = Lesson.objects.get(pk=corpus_lesson.pk).search_document
    assert "triaged repairs" in stored
    assert_no_secret(stored, "the search document")


def test_the_api_list_and_detail_carry_none_of_the_corpus(corpus_lesson, personas):
    api = api_client_for(personas.outsider)
    listed = api.get("/api/lessons/").content.decode()
    assert MARKER in listed
    assert_no_secret(listed, "the API list")
    detail = api.get(f"/api/lessons/{corpus_lesson.pk}/").content.decode()
    assert MARKER in detail
    assert_no_secret(detail, "the API detail")
    searched = api.get("/api/lessons/", {"q": "Ashby"}).json()["results"]
    assert searched == []


def test_the_library_export_carries_none_of_the_corpus(corpus_lesson, personas):
    lessons = exports.library_select(organisation=personas.other_council, user=personas.outsider.user, data={})
    rows = list(exports.library_rows(lessons, reader=personas.other_council))
    assert any(MARKER in str(cell) for row in rows for cell in row)
    assert_no_secret(repr(rows), "the library export")


def test_the_committee_pack_carries_none_of_the_corpus(corpus_lesson, personas):
    pack = committee_pack.pack_gather(
        organisation=personas.other_council,
        user=personas.outsider.user,
        committee="Scrutiny",
        meeting_date=datetime.date(2030, 1, 1),
    )
    text = repr([dataclasses.asdict(line) for line in pack.lessons])
    assert MARKER in text
    assert_no_secret(text, "the committee pack")


def test_the_weekly_digest_carries_none_of_the_corpus(corpus_lesson, personas, django_capture_on_commit_callbacks):
    ServiceFollow.objects.create(user=personas.outsider.user, service=Service.HOUSING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send(user=personas.outsider.user) == 1
    (email,) = mail.outbox
    assert MARKER in email.body
    assert_no_secret(email.subject + email.body, "the digest")


def test_tried_elsewhere_and_the_home_page_carry_none_of_the_corpus(corpus_lesson, personas, outsider):
    similar = queries.lessons_similar_to("triage housing repairs queue", personas.other_council)
    assert [view.title for view in similar] and MARKER in similar[0].title
    assert_no_secret(repr(similar), "tried elsewhere")
    assert_no_secret(outsider.get("/").content.decode(), "the home page")


def test_the_feed_carries_none_of_the_corpus(corpus_lesson):
    xml = Client().get("/library/feed/").content.decode()
    assert MARKER not in xml
    assert_no_secret(xml, "the feed")


def test_the_host_still_reads_every_word(corpus_lesson, personas):
    view = lesson_for_reader(corpus_lesson, personas.council)
    assert "Persephone Whitlock" in dict(view.section_markdown)["What was tried"] + "".join(
        text for _, text in view.section_markdown
    )
    assert "AVDC" in view.summary


def test_ordinary_words_and_numbers_survive_redaction(host, make_lesson, personas):
    lesson = make_lesson(
        Visibility.ANONYMISED,
        summary="North of the river we spent £18,000 in 2023; 12.5% fewer missed visits, equivalent to 40,000.",
    )
    view = lesson_for_reader(lesson, personas.other_council)
    assert view.summary == lesson.summary


def test_a_page_of_anonymised_lessons_from_several_councils_reads_their_people_in_one_query(
    personas, make_lesson, outsider, django_assert_num_queries
):
    from tests.factories import OrganisationFactory

    make_lesson(Visibility.ANONYMISED)
    outsider.get("/")  # the session's first request records its sign-in time
    # Session, user, the page's ids, its total (counted apart when unsearched), its lessons, and
    # the hosts' people.
    with django_assert_num_queries(6) as one:
        outsider.get("/library/")
    for n in range(3):
        make_lesson(Visibility.ANONYMISED, organisation=OrganisationFactory(name=f"Brackenford {n} Council"))
    with django_assert_num_queries(len(one.captured_queries)):
        html = outsider.get("/library/").content.decode()
    assert html.count("An anonymised") >= 4

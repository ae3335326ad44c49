"""An anonymised lesson read from outside shows no organisation, person or contact: not on
any page, in any search result, feed, email or tag that other pages include."""

import re

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client, RequestFactory

from accounts.models import Organisation, Region, Role
from portfolio.models import Service, ServiceArea
from sharing import services
from sharing.models import ServiceFollow, Visibility, VisitRequest
from sharing.reading import lesson_for_reader
from sharing.redaction import Person, Redactor
from tests.api.conftest import api_client_for
from tests.sharing.conftest import CONTACT_EMAIL, CONTACT_NAME, TEAM_NAME

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_patterns():
    """Redaction caches its compiled patterns by their inputs; these tests build them afresh."""
    from sharing import redaction

    redaction._compiled.cache_clear()
    redaction._compiled_people.cache_clear()
    redaction.suspects_pattern.cache_clear()


def _secrets(lesson) -> list[str]:
    """Everything that would identify the host organisation or its people."""
    names = [
        lesson.organisation.name,
        "Ashby Vale",
        lesson.author.full_name,
        lesson.author.email,
        lesson.project.owner.full_name,
        CONTACT_NAME,
        CONTACT_EMAIL,
        TEAM_NAME,
        "01632 960123",
        lesson.project.title,
    ]
    names += lesson.author.full_name.split()
    return [n for n in names if len(n) >= 3]


def _assert_reveals_nothing(text: str, lesson) -> None:
    # The region list's fixed labels ("North West", "London") may share a word with a person's surname.
    text = re.sub(r'<select[^>]*name="region".*?</select>', "", text, flags=re.DOTALL)
    for secret in _secrets(lesson):
        assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", text, re.IGNORECASE), secret


@pytest.fixture
def anonymised(make_lesson, personas):
    # A district council in the East Midlands, one of 29 there: its region is shown, and must
    # lead to nothing else.
    personas.council.region = Region.EAST_MIDLANDS
    personas.council.save(update_fields=["region"])
    return make_lesson(Visibility.ANONYMISED)


@pytest.fixture
def outsider_client(personas):
    return personas.client_for(personas.outsider)


def test_library_list_search_and_filters_show_no_organisation_person_or_contact(anonymised, outsider_client):
    for params in (
        {},
        {"q": "reminders"},
        {"q": "housing appointments", "outcome": "did_not_succeed"},
        {"service": "housing", "organisation_kind": "district", "cost_band": "10k_50k"},
        {"transferability": "4"},
        {"region": "east_midlands"},
        {"q": "reminders", "region": "east_midlands", "organisation_kind": "district"},
    ):
        html = outsider_client.get("/library/", params).content.decode()
        assert anonymised.summary.split(" we ")[-1] in html, params  # the lesson is there…
        _assert_reveals_nothing(html, anonymised)  # …and nothing that identifies it


def test_lesson_page_shows_no_organisation_person_or_contact(anonymised, outsider_client):
    html = outsider_client.get(f"/lessons/{anonymised.pk}/").content.decode()
    assert "Text reminders did not cut missed housing appointments" in html
    assert "Did not succeed" in html  # the outcome is never hidden
    assert "An anonymised district council" in html
    assert "East Midlands" in html  # one of 29 district councils there
    _assert_reveals_nothing(html, anonymised)


def test_adopt_and_visit_pages_show_no_organisation_person_or_contact(anonymised, outsider_client, personas):
    ServiceArea.objects.create(organisation=personas.other_council, name="Housing", service=Service.HOUSING)
    for url in (f"/lessons/{anonymised.pk}/adopt/", f"/lessons/{anonymised.pk}/visit/"):
        html = outsider_client.get(url).content.decode()
        _assert_reveals_nothing(html, anonymised)


def test_visit_page_when_the_host_is_full_offers_no_contact(anonymised, outsider_client, admin, personas):
    services.visit_capacity_set(actor=admin, organisation=personas.council, visits_per_quarter=0)
    html = outsider_client.get(f"/lessons/{anonymised.pk}/visit/").content.decode()
    assert "group visit" in html
    _assert_reveals_nothing(html, anonymised)


def test_tried_elsewhere_shows_no_organisation_person_or_contact(anonymised, personas):
    request = RequestFactory().get("/")
    request.organisation = personas.other_council
    html = Template("{% load sharing %}{% tried_elsewhere 'reminders for housing appointments' %}").render(
        Context({"request": request})
    )
    assert "Text reminders" in html
    _assert_reveals_nothing(html, anonymised)


def test_weekly_digest_shows_no_organisation_person_or_contact(
    anonymised, personas, django_capture_on_commit_callbacks
):
    ServiceFollow.objects.create(user=personas.outsider.user, service=Service.HOUSING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send(user=personas.outsider.user) == 1
    (email,) = mail.outbox
    assert "Text reminders" in email.body
    _assert_reveals_nothing(email.subject + email.body, anonymised)


def test_feed_never_carries_an_anonymised_lesson(anonymised):
    xml = Client().get("/library/feed/").content.decode()
    assert "Text reminders" not in xml
    _assert_reveals_nothing(xml, anonymised)


def test_visit_request_emails_and_lists_keep_the_host_anonymous_until_it_accepts(
    anonymised, personas, manager, django_capture_on_commit_callbacks
):
    outsider = personas.outsider.user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.visit_request_create(
            actor=outsider,
            organisation=personas.other_council,
            lesson=anonymised,
            message="May we visit in March?",
            kind=VisitRequest.Kind.INDIVIDUAL,
        )
    to_requester = [m for m in mail.outbox if outsider.email in m.to]
    assert to_requester
    for message in to_requester:
        _assert_reveals_nothing(message.subject + message.body, anonymised)
    html = personas.client_for(personas.outsider).get("/visits/").content.decode()
    _assert_reveals_nothing(html, anonymised)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_request_decide(
            actor=manager, organisation=personas.council, visit_request=visit, accept=False, response="Not this year."
        )
    (declined,) = [m for m in mail.outbox if outsider.email in m.to]
    _assert_reveals_nothing(declined.subject + declined.body, anonymised)


def test_the_owning_organisation_still_sees_its_own_names(anonymised, personas):
    html = personas.client_for(personas.members[Role.OFFICER]).get(f"/lessons/{anonymised.pk}/").content.decode()
    assert CONTACT_EMAIL in html
    assert "Ashby Vale" in html


def test_searching_for_the_organisations_name_does_not_find_its_anonymised_lesson(anonymised, outsider_client):
    html = outsider_client.get("/library/", {"q": "Ashby Vale"}).content.decode()
    assert "Text reminders" not in html
    html = outsider_client.get("/library/", {"q": CONTACT_NAME}).content.decode()
    assert "Text reminders" not in html


def test_reader_view_has_no_field_that_could_carry_the_organisation(anonymised, personas):
    view = lesson_for_reader(anonymised, personas.other_council)
    assert view.organisation_name is None
    assert view.organisation_id is None
    assert view.author_name is None
    assert view.contact_name is None
    assert view.contact_email is None
    assert view.project_title is None and view.project_url is None


def test_redaction_removes_short_names_emails_and_phone_numbers(fresh_patterns):
    text = "Ashby Vale District Council and ashby vale: ring +44 (0)1632 960 123 or mail x.y@ashby.example. Tom did it."
    redactor = Redactor(organisation_name="Ashby Vale District Council", ons_code=None, people=[Person("Tom Okafor")])
    cleaned = redactor(text)
    assert "Ashby" not in cleaned and "ashby" not in cleaned
    assert "1632" not in cleaned
    assert "@" not in cleaned
    assert "Tom" not in cleaned


def test_library_export_rows_show_no_organisation_person_or_contact(anonymised, personas):
    from sharing import exports

    lessons = exports.library_select(organisation=personas.other_council, user=personas.outsider.user, data={})
    rows = list(exports.library_rows(lessons, reader=personas.other_council))
    assert len(rows) == 1 and len(rows[0]) == len(exports.LESSON_COLUMNS)
    _assert_reveals_nothing(" ".join(str(cell) for cell in rows[0]), anonymised)
    own = list(exports.library_rows(lessons, reader=personas.council))
    assert "Ashby Vale District Council" in own[0]


# ---------------------------------------------------------------- region


def _results(html: str) -> str:
    """The library page's results, without the filter form (whose region list names every region)."""
    return html.split('id="results-heading"', 1)[1]


def test_an_anonymised_lesson_shows_and_is_found_by_a_region_shared_by_many_authorities_of_its_kind(
    anonymised, outsider_client, personas
):
    html = outsider_client.get("/library/", {"region": "east_midlands"}).content.decode()
    assert "Text reminders did not cut" in html and "East Midlands" in _results(html)
    assert "Text reminders" not in outsider_client.get("/library/", {"region": "london"}).content.decode()
    from sharing import exports

    lessons = exports.library_select(
        organisation=personas.other_council, user=personas.outsider.user, data={"region": "east_midlands"}
    )
    (row,) = exports.library_rows(lessons, reader=personas.other_council)
    assert row[exports.LESSON_COLUMNS.index("region")] == "East Midlands"
    (api_row,) = api_client_for(personas.outsider).get("/api/lessons/", {"region": "east_midlands"}).json()["results"]
    assert api_row["region"] == "East Midlands" and api_row["organisation"] is None


def test_an_anonymised_lesson_never_shows_or_is_found_by_a_region_that_would_narrow_it_to_its_host(
    anonymised, outsider_client, personas, make_lesson
):
    # The only county council in Yorkshire and The Humber: kind and region together would name it.
    Organisation.objects.filter(pk=personas.council.pk).update(kind=Organisation.Kind.COUNTY, region=Region.YORKSHIRE)
    html = outsider_client.get(f"/lessons/{anonymised.pk}/").content.decode()
    assert "An anonymised county council" in html and "Yorkshire" not in html
    html = outsider_client.get("/library/", {"organisation_kind": "county"}).content.decode()
    assert "Text reminders did not cut" in html and "Yorkshire" not in _results(html)
    for params in ({"region": "yorkshire_humber"}, {"region": "yorkshire_humber", "organisation_kind": "county"}):
        assert "Text reminders did not cut" not in outsider_client.get("/library/", params).content.decode()
    from sharing import exports

    lessons = exports.library_select(organisation=personas.other_council, user=personas.outsider.user, data={})
    rows = list(exports.library_rows(lessons, reader=personas.other_council))
    assert [row[exports.LESSON_COLUMNS.index("region")] for row in rows] == [""]
    assert not exports.library_select(
        organisation=personas.other_council, user=personas.outsider.user, data={"region": "yorkshire_humber"}
    ).exists()
    api = api_client_for(personas.outsider)
    assert [row["region"] for row in api.get("/api/lessons/").json()["results"]] == [""]
    assert api.get("/api/lessons/", {"region": "yorkshire_humber"}).json()["results"] == []
    assert api.get(f"/api/lessons/{anonymised.pk}/").json()["region"] == ""

    # Its own organisation still finds it by region and sees the region…
    own = personas.client_for(personas.members[Role.OFFICER])
    html = own.get("/library/", {"region": "yorkshire_humber"}).content.decode()
    assert "Text reminders did not cut" in html and "Yorkshire and The Humber" in _results(html)
    # …and a lesson the same council shares under its name shows the region to everyone.
    make_lesson(Visibility.SECTOR, title="Named lesson from the county")
    html = outsider_client.get("/library/", {"region": "yorkshire_humber"}).content.decode()
    assert "Named lesson from the county" in html and "Text reminders did not cut" not in html
    assert "Yorkshire and The Humber" in _results(html)


def test_the_region_rule_follows_the_ons_counts_of_each_kind_in_each_region():
    from sharing.reading import region_may_be_shown

    assert region_may_be_shown(kind=Organisation.Kind.DISTRICT, region=Region.EAST_MIDLANDS)  # 29
    assert region_may_be_shown(kind=Organisation.Kind.LONDON_BOROUGH, region=Region.LONDON)  # 33
    assert region_may_be_shown(kind=Organisation.Kind.METROPOLITAN, region=Region.NORTH_EAST)  # 5
    assert not region_may_be_shown(kind=Organisation.Kind.COUNTY, region=Region.YORKSHIRE)  # 1
    assert not region_may_be_shown(kind=Organisation.Kind.COUNTY, region=Region.EAST_MIDLANDS)  # 4
    assert not region_may_be_shown(kind=Organisation.Kind.UNITARY, region=Region.WEST_MIDLANDS)  # 4
    assert not region_may_be_shown(kind=Organisation.Kind.FIRE, region=Region.LONDON)  # none in the lookup


@pytest.mark.parametrize(
    ("address", "removed"),
    [
        # Under the domain of one of its people's email addresses, the domain itself or below it.
        ("https://northgate-services.co.uk/bins", True),
        ("https://www.northgate-services.co.uk", True),
        # A look-alike that only ends with the same letters is someone else's.
        ("https://notnorthgate-services.co.uk", False),
        # A label holding a distinctive word of the name, or the initials or ONS code as a whole label.
        ("https://www.ashbyvale.gov.uk/recycling", True),
        ("https://avdc.uk", True),
        ("https://e07000999.example.org", True),
        # Guidance anyone links to stays.
        ("https://www.gov.uk/guidance/recycling", False),
        ("https://wrap.org.uk", False),
    ],
)
def test_a_web_address_is_removed_only_when_it_points_at_the_organisation(fresh_patterns, address, removed):
    redactor = Redactor(
        organisation_name="Ashby Vale District Council",
        ons_code="E07000999",
        people=[Person("Jo Bloggs", "jo.bloggs@northgate-services.co.uk")],
    )
    cleaned = redactor(f"See {address} for more.")
    assert cleaned == ("See [web address removed] for more." if removed else f"See {address} for more.")


def test_the_parts_of_a_name_redaction_looks_for():
    from sharing import redaction

    assert redaction.core_name("Ashby Vale District Council") == "Ashby Vale"
    assert redaction.core_name("The London Borough of Kingsmere") == "Kingsmere"
    assert redaction.distinctive_words("North Kingsmere-upon-Avon Borough Council") == ["Avon", "Kingsmere"]
    assert redaction.initials("Ashby Vale District Council") == {"AVDC", "AVC"}
    assert redaction.initials("Stratford-on-Avon District Council") == {"SADC", "SAC"}
    # Small words are left out of initials whatever their case.
    assert redaction.initials("Isles of Scilly and the Wolds Council") == {"ISW", "ISWC"}
    assert redaction.initials("Isles Of Scilly And The Wolds Council") == {"ISW", "ISWC"}
    assert redaction.initials("Newcastle Upon Tyne City Council") == {"NTCC", "NTC"}
    assert redaction.initials("Barrow-In-Furness Borough Council") == {"BFBC", "BFC"}
    # A three-letter word is distinctive too.
    assert redaction.distinctive_words("Rye Town Council") == ["Rye"]
    # A name of fewer than three letters is not looked for on its own.
    assert redaction._phrase("Jo") is None and redaction._phrase("12 34") is None
    assert re.fullmatch(redaction._phrase("Ann Li"), "Ann-Li")
    # Only an organisation's own mail domain identifies it, not a public one.
    assert redaction._email_domain("jo@Example.ORG ") == "example.org"
    assert redaction._email_domain("jo@gmail.com") is None
    assert redaction._email_domain("jo@localhost") is None


def test_a_contacts_mail_domain_is_added_to_what_is_removed_only_when_new(fresh_patterns):
    from sharing import redaction

    redactor = Redactor(organisation_name="Ashby Vale District Council", ons_code=None, people=[])
    assert redaction.with_domains(redactor, ["jo@gmail.com", None]) is redactor
    widened = redaction.with_domains(redactor, ["jo@northgate-services.co.uk"])
    assert widened("See https://northgate-services.co.uk.") == "See [web address removed]."
    assert redactor("See https://northgate-services.co.uk.") == "See https://northgate-services.co.uk."
    assert redaction.with_domains(widened, ["ann@northgate-services.co.uk"]) is widened


def test_the_digest_changes_with_any_word_and_where_the_texts_divide():
    from sharing import redaction

    assert redaction.digest(["ab", "c"]) == redaction.digest(["ab", "c"])
    assert redaction.digest(["ab", "c"]) != redaction.digest(["a", "bc"])
    assert redaction.digest([None]) == redaction.digest([""]) != redaction.digest([])


def test_the_checker_marks_suspects_in_the_text_never_inside_a_tag(fresh_patterns):
    from sharing import redaction

    found = []
    html = redaction.highlight(
        'We met at <a href="https://x.example">North</a> with Sarah in Leeds on Monday, '
        "see [removed] &amp; call 01632 960123.",
        redaction.suspects_pattern("North Ashby Council"),
        found,
    )
    assert html == (
        'We met at <a href="https://x.example"><mark class="lantern-suspect">North</mark></a> with '
        '<mark class="lantern-suspect">Sarah</mark> in <mark class="lantern-suspect">Leeds</mark> on Monday, '
        'see [removed] &amp; call <mark class="lantern-suspect">01632 960123</mark>.'
    )
    assert found == ["North", "Sarah", "Leeds", "01632 960123"]


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        # The whole name goes as one, not word by word.
        ("Ashby Vale District Council runs it.", "[removed] runs it."),
        ("ashby vale and ASHBY-VALE too.", "[removed] and [removed] too."),
        # A person's full name, and their first or last name alone when written as a name.
        ("Anna de Souza and Souza said so.", "[removed] and [removed] said so."),
        # Short words, lower-case particles and titles in a person's name are not removed alone.
        ("Jo said it de facto to Cllr Patel.", "Jo said it de facto to Cllr Patel."),
        ("Tom and Anna agreed.", "[removed] and [removed] agreed."),
    ],
)
def test_names_are_removed_whole_and_their_parts_only_where_written_as_names(fresh_patterns, text, cleaned):
    redactor = Redactor(
        organisation_name="Ashby Vale District Council",
        ons_code=None,
        people=[Person("Anna de Souza"), Person("Jo Bloggs"), Person("Cllr Tom Okafor")],
    )
    assert redactor(text) == cleaned


def test_handles_naming_the_organisation_go_and_others_stay(fresh_patterns):
    redactor = Redactor(organisation_name="Ashby Vale District Council", ons_code=None, people=[Person("Tom")])
    assert redactor("Follow @AVDC, #ashbyrepairs and @wrap_uk for tips.") == (
        "Follow [removed], [removed] and @wrap_uk for tips."
    )
    # A three-letter name goes in any case; with no ONS code nothing else is looked for.
    assert redactor("ask tom, or Code xxxx.") == "ask [removed], or Code xxxx."
    # People named only for this text go whole too.
    assert redactor("Jo Bloggs came", extra_people=["Jo Bloggs"]) == "[removed] came"

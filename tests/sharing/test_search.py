"""The library's search and filters: what they find, and that a search costs the same number
of queries with 50,000 published lessons as with one."""

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation, Region, Role
from innovation.models import Evaluation
from portfolio.models import Service
from sharing import queries, services
from sharing.models import CostBand, Lesson, Visibility
from tests.factories import OrganisationFactory
from tests.sharing.conftest import finished_project

pytestmark = pytest.mark.django_db

# Per library page, signed in: session, user, the page's ids with the total, and those lessons
# with everything they show. The person's memberships and two-factor app come from the cache
# (accounts.access_cache), and a session seen in the last minute is not written.
SIGNED_IN_QUERIES = 4


def signed_in_queries(params: dict) -> int:
    """Unsearched, the page's ids are read off the library's index and the total counted apart:
    one query more than a search, whose total rides on its ids."""
    return SIGNED_IN_QUERIES + (0 if params.get("q") else 1)


# Not signed in: the page's ids with the total, and those lessons.
ANONYMOUS_QUERIES = 2

SEARCHES = [
    {"q": "reminders housing"},
    {
        "q": "reminders",
        "outcome": "did_not_succeed",
        "service": "housing",
        "organisation_kind": "district",
        "region": "north_west",
        "cost_band": "10k_50k",
        "transferability": "3",
        "featured": "on",
    },
    {},
    {"q": "reminders", "page": "3"},
    {"region": "north_west", "q": "appointments"},
]


def _bulk_lessons(count: int, organisation, project, author, *, visibility=Visibility.SECTOR) -> None:
    now = timezone.now()
    outcomes = Evaluation.Outcome.values
    Lesson.objects.bulk_create(
        [
            Lesson(
                organisation=organisation,
                project=project,
                author=author,
                title=f"Lesson {n}: text reminders for appointments",
                summary="Reminders sent before housing appointments.",
                service=Service.HOUSING if n % 2 else Service.WASTE,
                outcome=outcomes[n % 3],
                transferability=1 + n % 5,
                cost_band=CostBand.FROM_10K,
                tried="Reminders.",
                happened="Some change.",
                visibility=visibility,
                published_at=now,
                featured=n % 49 == 0,
                search_document=f"Lesson {n}: text reminders for appointments\nReminders sent before housing.",
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    services.lesson_search_reindex()


@pytest.fixture
def library(personas, make_lesson):
    make_lesson(Visibility.SECTOR)
    make_lesson(Visibility.PUBLIC, title="Public reminders lesson")
    make_lesson(
        Visibility.SECTOR,
        outcome=Evaluation.Outcome.SUCCEEDED,
        title="Garden waste by subscription",
        service=Service.WASTE,
        summary="Charging for garden waste.",
        tried="Subscriptions.",
    )
    return personas


def _titles(client, **params) -> str:
    return client.get("/library/", params).content.decode()


def test_full_text_search_finds_lessons_by_their_words(library):
    html = _titles(library.client_for(library.outsider), q="garden subscription")
    assert "Garden waste by subscription" in html
    assert "Text reminders did not cut" not in html


def test_filters_narrow_by_outcome_service_kind_cost_and_transferability(library):
    client = library.client_for(library.outsider)
    assert "Garden waste" in _titles(client, outcome="succeeded")
    assert "Garden waste" not in _titles(client, outcome="did_not_succeed")
    assert "Garden waste" not in _titles(client, service="housing")
    assert "Garden waste" in _titles(client, organisation_kind="district")
    assert "Garden waste" not in _titles(client, organisation_kind="county")
    assert "Garden waste" in _titles(client, transferability="4")
    assert "Garden waste" not in _titles(client, transferability="5")
    assert "Garden waste" not in _titles(client, featured="on")


def test_the_region_filter_finds_only_that_regions_lessons_and_combines_with_search(library, make_lesson):
    library.council.region = Region.EAST_MIDLANDS
    library.council.save(update_fields=["region"])
    south_west = OrganisationFactory(kind=Organisation.Kind.UNITARY, region=Region.SOUTH_WEST)
    make_lesson(
        Visibility.SECTOR,
        organisation=south_west,
        title="Garden waste collected fortnightly",
        service=Service.WASTE,
        summary="Fortnightly garden waste rounds.",
        tried="Fortnightly rounds.",
    )
    client = library.client_for(library.outsider)
    html = _titles(client, region="south_west")
    assert "Garden waste collected fortnightly" in html and "South West" in html
    assert "Garden waste by subscription" not in html and "Text reminders did not cut" not in html
    html = _titles(client, region="east_midlands")
    assert "Garden waste by subscription" in html and "Text reminders did not cut" in html
    assert "Garden waste collected fortnightly" not in html
    assert "No lessons match" in _titles(client, region="london")
    html = _titles(client, q="garden", region="east_midlands")
    assert "Garden waste by subscription" in html
    assert "Garden waste collected fortnightly" not in html and "Text reminders did not cut" not in html
    html = _titles(client, q="garden", region="south_west", outcome="did_not_succeed")
    assert "Garden waste collected fortnightly" in html and "Garden waste by subscription" not in html
    assert "No lessons match" in _titles(client, q="reminders", region="south_west")


def test_a_bad_filter_value_shows_an_error_not_a_crash(library):
    response = library.client_for(library.outsider).get("/library/", {"outcome": "nonsense"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    response = library.client_for(library.outsider).get("/library/", {"region": "narnia"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_anonymous_visitors_search_public_lessons_only(library):
    from django.test import Client

    html = _titles(Client(), q="reminders")
    assert "Public reminders lesson" in html
    assert "Text reminders did not cut" not in html


def test_tried_elsewhere_finds_similar_lessons_of_other_organisations_only(library):
    similar = queries.lessons_similar_to("Send reminders before appointments", library.other_council)
    assert [view.title for view in similar][:1]
    assert queries.lessons_similar_to("Send reminders before appointments", library.council) == []
    assert queries.lessons_similar_to("", library.other_council) == []


def test_a_library_search_costs_a_constant_number_of_queries_with_50000_lessons(personas, django_assert_num_queries):
    if connection.vendor == "postgresql":  # the GIN index migration 0002 makes (tests skip migrations)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS test_lesson_search_gin ON sharing_lesson USING gin (search_vector)"
            )
    host = OrganisationFactory(kind=Organisation.Kind.DISTRICT, region=Region.NORTH_WEST)
    writer = personas.members[Role.MANAGER].user
    project = finished_project(host, writer)
    client = personas.client_for(personas.outsider)
    # A thousand first, so that every search below finds a full page, then 49,000 more.
    _bulk_lessons(1_000, host, project, writer)
    client.get("/")  # the session's first request records its sign-in time
    for params in SEARCHES:
        with django_assert_num_queries(signed_in_queries(params), info=str(params)):
            assert client.get("/library/", params).status_code == 200
    _bulk_lessons(49_000, host, project, writer)
    assert Lesson.objects.shared().count() == 50_000
    # Loading 49,000 lessons can take over a minute on a busy machine, after which the next request
    # writes the session's last-seen time (accounts.middleware): written here, not counted below.
    client.get("/")
    for params in SEARCHES:
        with django_assert_num_queries(signed_in_queries(params), info=str(params)):
            response = client.get("/library/", params)
        assert response.status_code == 200
        assert "lesson-card" in response.content.decode(), params


def test_an_anonymous_library_search_costs_a_constant_number_of_queries(personas, django_assert_num_queries):
    from django.test import Client

    host = OrganisationFactory(kind=Organisation.Kind.DISTRICT)
    writer = personas.members[Role.MANAGER].user
    project = finished_project(host, writer)
    _bulk_lessons(5_000, host, project, writer, visibility=Visibility.PUBLIC)
    with django_assert_num_queries(ANONYMOUS_QUERIES):
        assert Client().get("/library/", {"q": "reminders"}).status_code == 200


def test_pages_of_results_carry_the_total_and_a_page_past_the_end_shows_the_last(personas, make_lesson):
    for n in range(3):
        make_lesson(Visibility.SECTOR, title=f"Reminders lesson {n}")
    lessons = queries.library_search(organisation=personas.other_council, text="reminders")
    first = queries.library_page(lessons, "1", per_page=2)
    assert (first.count, first.num_pages, len(first.object_list), first.has_next) == (3, 2, 2, True)
    last = queries.library_page(lessons, "9", per_page=2)
    assert (last.number, len(last.object_list), last.has_previous, last.has_next) == (2, 1, True, False)
    assert queries.library_page(lessons, "nonsense", per_page=2).number == 1
    none = queries.library_page(lessons.none(), "1")
    assert (none.count, none.object_list, none.has_other_pages) == (0, [], False)


def test_search_uses_full_text_on_postgresql_and_a_word_match_elsewhere():
    assert queries.uses_full_text() is (connection.vendor == "postgresql")

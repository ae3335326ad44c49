"""The sector library's search at scale, as a ratio to the bare full-text query on the same data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench python -m bench.library_search \
        [--lessons 50000] [--organisations 331] [--repeat 5]

Builds a throwaway test database (test_<name>, migrated, so with the GIN index; dropped
afterwards) holding `--lessons` published lessons from `--organisations` authorities at
every visibility, then for a handful of searches measures:

- baseline: ONE bare full-text query, `search_vector @@ websearch_to_tsquery(...)` ranked by
  ts_rank, first 20 ids: what the database must do anyway;
- library queries: what the library asks of the database for a page of results, as a reader
  in one organisation (visibility rules, filters, ranking with featured first, the total for
  the pager and the page joined with everything a result shows, in one query), then the same with each result
  read through lesson_for_reader (redaction of anonymised lessons);
- library page: the whole signed-in request through Django's test client (middleware,
  sessions, the reading of each lesson through lesson_for_reader, templates).

Each figure is the median of `--repeat` runs per search, summed over the searches.
It refuses to run on anything but PostgreSQL.
"""

import argparse
import os
import random
import statistics
import sys
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

SEARCHES = [
    ("reminders", {}),
    ("housing repairs chatbot", {}),
    ("early help", {"outcome": "succeeded"}),
    ("sensors winter", {"service": "waste", "transferability": "3"}),
    ("volunteers library", {"organisation_kind": "district", "cost_band": "10k_50k"}),
]

BASELINE_SQL = """
SELECT id FROM sharing_lesson
WHERE search_vector @@ websearch_to_tsquery('english', %s)
ORDER BY ts_rank(search_vector, websearch_to_tsquery('english', %s)) DESC
LIMIT 20
"""

WORDS = [
    "reminders",
    "text",
    "housing",
    "repairs",
    "chatbot",
    "tenants",
    "phone",
    "early",
    "help",
    "families",
    "NHS",
    "hub",
    "sensors",
    "bins",
    "winter",
    "supplier",
    "contract",
    "volunteers",
    "library",
    "digital",
    "inclusion",
    "parking",
    "permits",
    "potholes",
    "photos",
    "crews",
    "fly-tipping",
    "wardens",
    "boilers",
    "batteries",
    "data",
    "sharing",
    "agreement",
    "triage",
    "referrals",
    "council",
    "residents",
    "online",
    "forms",
    "waiting",
    "list",
    "temporary",
    "accommodation",
    "homelessness",
    "prevention",
    "social",
    "care",
    "reablement",
    "carers",
    "assessment",
    "transport",
]


# A general vocabulary of made-up words (pronounceable, so the English stemmer treats them as words).
FILLER = [a + b + c for a in ("ba", "de", "ki", "lo", "mu", "ne", "ra", "so", "ti", "vu") for b in ("lan", "mer", "dor",
          "pin", "sul", "tev", "gar", "hob") for c in ("en", "ic", "ot", "ar", "ul", "is")]  # fmt: skip


def _median_seconds(work, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _seed(lessons: int, organisations: int):
    from decimal import Decimal

    from django.db import connection
    from django.utils import timezone

    from accounts.models import Membership, Organisation, Role, User
    from innovation.models import Evaluation, Project, ProjectStage
    from portfolio.models import Service
    from sharing import demo, services
    from sharing.models import CostBand, Lesson, Visibility

    rng = random.Random(7)
    kinds = [k for k in Organisation.Kind.values if k != Organisation.Kind.SECTOR_BODY]
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Bench Council {n}", kind=kinds[n % len(kinds)], ons_code=f"E06{n:06d}")
         for n in range(organisations)]
    )  # fmt: skip
    author = User.objects.create_user(email="bench.author@example.org", full_name="Bench Author")
    reader = User.objects.create_user(email="bench.reader@example.org", full_name="Bench Reader")
    Membership.objects.create(user=reader, organisation=orgs[0], role=Role.OFFICER)
    projects = []
    for n, organisation in enumerate(orgs):
        project = Project.objects.create(
            organisation=organisation, reference=1, title=f"Project {n}", owner=author, stage=ProjectStage.CLOSED
        )
        Evaluation.objects.create(
            organisation=organisation, project=project, outcome=Evaluation.Outcome.values[n % 3],
            summary="s", actual_one_off_cost=Decimal(10_000 * (n % 30)), actual_running_cost=Decimal(2000),
            actual_benefit=Decimal(5000), value_for_money="v", transferability=1 + n % 5,
            transferability_reasons="r", recorded_by=author,
        )  # fmt: skip
        projects.append(project)
    visibilities = [Visibility.SECTOR, Visibility.ANONYMISED, Visibility.PUBLIC, Visibility.INTERNAL]
    now = timezone.now()
    batch = []
    for n in range(lessons):
        o = n % organisations
        # One word in ten from the service vocabulary, the rest from a wide general one, so that
        # a search matches some lessons, as in a real library, rather than nearly all of them.
        title = " ".join(rng.sample(WORDS, 3) + rng.sample(FILLER, 3)).capitalize()
        body = " ".join(rng.choice(WORDS) if rng.random() < 0.1 else rng.choice(FILLER) for _ in range(120))
        batch.append(
            Lesson(
                organisation=orgs[o], project=projects[o], author=author, title=title, summary=body[:300],
                service=Service.values[n % len(Service.values)], outcome=Evaluation.Outcome.values[n % 3],
                transferability=1 + n % 5, cost_band=CostBand.values[n % 4], tried=body, happened=body[::-1],
                visibility=visibilities[n % 4], published_at=now, featured=n % 97 == 0,
                search_document=f"{title}\n{body}",
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Lesson.objects.bulk_create(batch)
            batch = []
    Lesson.objects.bulk_create(batch)
    # As an admin leaves them on confirming the preview: unchecked, other organisations would not see them.
    demo.lessons_mark_anonymised_checked(Lesson.objects.filter(visibility=Visibility.ANONYMISED), checked_by=author)
    services.lesson_search_reindex()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sharing_lesson")
    return orgs[0], reader


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=int, default=50_000)
    parser.add_argument("--organisations", type=int, default=331)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database.", file=sys.stderr)
        return 2
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from django.http import QueryDict
        from django.test import Client

        from sharing import queries
        from sharing.filters import LessonFilter
        from sharing.models import Lesson
        from sharing.reading import lesson_for_reader

        started = time.perf_counter()
        organisation, reader = _seed(args.lessons, args.organisations)
        print(
            f"Library search: {Lesson.objects.count():,} lessons from {args.organisations} organisations "
            f"on {connection.vendor} (seeded in {time.perf_counter() - started:.0f} s), "
            f"{len(SEARCHES)} searches, median of {args.repeat}"
        )
        client = Client()
        client.force_login(reader)
        session = client.session
        session["lantern_organisation_id"] = organisation.pk
        session.save()

        def baseline(text):
            with connection.cursor() as cursor:
                cursor.execute(BASELINE_SQL, [text, text])
                cursor.fetchall()

        def library_queries(text, filters, read=True):
            lesson_filter = LessonFilter(
                QueryDict(mutable=True) | {"q": text, **filters}, queryset=Lesson.objects.visible_to(organisation)
            )
            lessons = queries.library_search(organisation=organisation, text=text, queryset=lesson_filter.qs)
            rows = queries.library_page(lessons, "1", 20).object_list
            return [lesson_for_reader(lesson, organisation) for lesson in rows] if read else rows

        def library_page(text, filters):
            response = client.get("/library/", {"q": text, **filters})
            assert response.status_code == 200, response.status_code

        totals = {"baseline": 0.0, "db": 0.0, "queries": 0.0, "page": 0.0}
        for text, filters in SEARCHES:
            baseline(text), library_queries(text, filters), library_page(text, filters)  # warm
            totals["baseline"] += _median_seconds(lambda t=text: baseline(t), args.repeat)
            totals["db"] += _median_seconds(lambda t=text, f=filters: library_queries(t, f, False), args.repeat)
            totals["queries"] += _median_seconds(lambda t=text, f=filters: library_queries(t, f), args.repeat)
            totals["page"] += _median_seconds(lambda t=text, f=filters: library_page(t, f), args.repeat)
        base = totals["baseline"]
        print(f"  bare full-text query (baseline):          1.00×  ({base * 1000:.1f} ms)")
        print(f"  library search queries, count + page:     {totals['db'] / base:5.2f}×  "
              f"({totals['db'] * 1000:.1f} ms)")  # fmt: skip
        print(f"  … and reading each result for the reader: {totals['queries'] / base:5.2f}×  "
              f"({totals['queries'] * 1000:.1f} ms)")  # fmt: skip
        print(f"  library page, whole signed-in request:    {totals['page'] / base:5.2f}×  "
              f"({totals['page'] * 1000:.1f} ms)")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How right "tried elsewhere" and duplicate hints are, and how fast (issue 21).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench python -m bench.relevance \
        [--lessons 50000] [--repeat 20] [--verbose]

Builds a throwaway test database (test_<name>, migrated: pg_trgm and the trigram indexes
included; dropped afterwards), loads the labelled set of bench/_relevance_set.py and prints
precision@3 and recall@3 of both features against the set's labels; then runs the same on
SQLite, in a subprocess with no DATABASE_URL (an in-memory test database); then, on PostgreSQL,
adds filler lessons up to `--lessons` (written like real ones, from the same vocabulary, so
that many match an idea's words) and times "tried elsewhere" for the set's ideas: the median
for one idea, which the issue wants under 50 ms at 50,000 lessons.

--sqlite-only is what the subprocess runs. Precision and recall are defined in
relevance_set.score.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

TARGETS = {"PostgreSQL": (0.8, 0.7), "SQLite": (0.6, 0.5)}


def _measure(label: str, verbose: bool) -> None:
    from bench import _relevance_set as relevance_set

    loaded = relevance_set.load()
    for feature, name in (("tried", "tried elsewhere"), ("duplicates", "duplicate hints")):
        scores = relevance_set.score(loaded, feature)
        precision_target, recall_target = TARGETS[label]
        print(f"  {name} precision@3 ({label}): {scores.precision:.2f}  (target ≥ {precision_target})")
        print(f"  {name} recall@3 ({label}): {scores.recall:.2f}  (target ≥ {recall_target})")
        if verbose:
            for key, shown, expected in scores.misses:
                print(f"      {feature} {key}: shown {shown}, expected {expected}")
    return loaded


# A general vocabulary of made-up words, as in bench.library_search (pronounceable, so the English
# stemmer treats them as words).
FILLER = [a + b + c for a in ("ba", "de", "ki", "lo", "mu", "ne", "ra", "so", "ti", "vu") for b in ("lan", "mer", "dor",
          "pin", "sul", "tev", "gar", "hob") for c in ("en", "ic", "ot", "ar", "ul", "is")]  # fmt: skip


def _filler(lessons: int, loaded) -> None:
    """Lessons up to `lessons` from 300 more organisations, in every service and aimed at every
    indicator. As in bench.library_search, one word in ten (one in three of a title) comes from
    the labelled set's own lessons, the rest from a wide made-up vocabulary, so that an idea's
    words match some lessons, as in a real library, rather than nearly all of them."""
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Organisation, User
    from bench import _relevance_set as relevance_set
    from innovation.models import Evaluation, Project, ProjectStage
    from portfolio.models import Indicator, Service
    from sharing import services
    from sharing.models import CostBand, Lesson, Visibility

    rng = random.Random(21)
    wanted = max(0, lessons - Lesson.objects.count())
    if not wanted:
        return
    vocabulary = sorted({w.strip(".,:;").lower() for row in relevance_set.LESSONS for w in " ".join(row[4:]).split()
                         if len(w) > 3})  # fmt: skip
    indicators = list(Indicator.objects.catalogue())
    author = User.objects.get(email="relevance@example.org")
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Filler Council {n}", kind=Organisation.Kind.DISTRICT) for n in range(300)]
    )
    projects = []
    for n, organisation in enumerate(orgs):
        project = Project.objects.create(
            organisation=organisation, reference=1, title=f"Project {n}", owner=author, stage=ProjectStage.CLOSED,
            indicator=indicators[n % len(indicators)],
        )  # fmt: skip
        Evaluation.objects.create(
            organisation=organisation, project=project, outcome=Evaluation.Outcome.values[n % 3], summary="s",
            actual_one_off_cost=1000, actual_running_cost=100, actual_benefit=500, value_for_money="v",
            transferability=3, transferability_reasons="r", recorded_by=author,
        )  # fmt: skip
        projects.append(project)
    now = timezone.now()
    batch = []
    for n in range(wanted):
        o = n % len(orgs)
        title = " ".join(rng.sample(vocabulary, 2) + rng.sample(FILLER, 4)).capitalize()
        body = " ".join(rng.choice(vocabulary) if rng.random() < 0.1 else rng.choice(FILLER) for _ in range(120))
        batch.append(
            Lesson(
                organisation=orgs[o], project=projects[o], author=author, title=title, summary=body[:300],
                service=Service.values[n % len(Service.values)], outcome=Evaluation.Outcome.values[n % 3],
                cost_band=CostBand.UNDER_10K, tried=body, happened=body[::-1], visibility=Visibility.SECTOR,
                published_at=now, search_document=f"{title}\n{body}",
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Lesson.objects.bulk_create(batch)
            batch = []
    Lesson.objects.bulk_create(batch)
    services.lesson_search_reindex()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(loaded, repeat: int) -> float:
    from sharing import relevance

    timings = []
    ideas = list(loaded.ideas.values())
    for idea in ideas:  # warm
        relevance.tried_elsewhere(idea, organisation=loaded.reader)
    for idea in ideas:
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            relevance.tried_elsewhere(idea, organisation=loaded.reader)
            runs.append(time.perf_counter() - started)
        timings.append(statistics.median(runs))
    return statistics.median(timings)


def _sqlite(verbose: bool) -> int:
    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _measure("SQLite", verbose)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lessons", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="list each idea whose suggestions missed")
    parser.add_argument("--sqlite-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sqlite_only:
        return _sqlite(args.verbose)

    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database.", file=sys.stderr)
        return 2
    print("Relevance of suggestions on the labelled set (bench/_relevance_set.py)")
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        loaded = _measure("PostgreSQL", args.verbose)
        environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        result = subprocess.run(
            [sys.executable, "-m", "bench.relevance", "--sqlite-only", *(["--verbose"] if args.verbose else [])],
            capture_output=True,
            text=True,
            env=environment,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )
        print(result.stdout, end="")
        if result.returncode:
            print(result.stderr[-2000:], file=sys.stderr)
            return result.returncode
        started = time.perf_counter()
        _filler(args.lessons, loaded)
        from sharing.models import Lesson

        seeded = time.perf_counter() - started
        median = _time(loaded, args.repeat)
        print(
            f"  tried elsewhere for one idea, ms: {median * 1000:.1f}  ({Lesson.objects.count():,} lessons;"
            f" median over {len(loaded.ideas)} ideas, {args.repeat} runs each; filler seeded in {seeded:.0f} s;"
            f" target < 50)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())

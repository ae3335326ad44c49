"""Pages under load: gunicorn (2 workers, production settings) serving Lantern's busiest pages
to 16 concurrent users from locust on loopback, against a trivial Django view served the same way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_pages python -m bench.pages [--quick]

Builds a throwaway test database (test_<name>, dropped afterwards) with 20,000 ideas, 20,000
projects, 50,000 risks (on 500 live projects) and 50,000 published lessons, and a computed gap
report (fewer, and 10 seconds of load, with --quick), vacuumed and analysed as autovacuum keeps
a live database. gunicorn runs with production settings, each worker keeping its database
connection (`?conn_max_age=60&conn_health_checks=true`, as the README's Production section
recommends). Then:

1. Each page alone: the queries one request makes (in this process, through Django's test
   client) and the median time of sequential requests to gunicorn (one user, nothing else running).
2. Under load: locust, headless and in a process of its own (`locust --headless -u 16 -r 16 -t 60s
   --csv …`, bench/_locustfile.py), runs 16 users, each signed in as a manager with a session of
   its own, fetching without pause, in turn, the portfolio list (/projects/), the organisation
   risk register (/risk/), the gap report (/performance/) and a library search; then the same
   16 users fetch a trivial view (a one-line HttpResponse through the whole middleware stack).
   Reports requests a second, p50/p95/p99 latency and errors for each, each page's own
   figures, and the ratio of the pages' requests a second to the trivial view's.

Targets (issue 8): no errors, p95 under 100 ms, ratio at least 0.2.

gunicorn, PostgreSQL and locust share the machine: on a 2-core box they compete for it, so
run it on a quiet machine.
"""

import argparse
import csv
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
# One key for this process (which signs the sessions) and gunicorn (which reads them).
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))

HERE = Path(__file__).resolve().parent
USERS = 16
WORKERS = 2
TARGET_P95_MS = 100
TARGET_RATIO = 0.2
PAGES = ["/projects/", "/risk/", "/performance/", "/library/?q=housing+repairs"]
TRIVIAL = "/bench/trivial/"
# Each gunicorn worker keeps its database connection, as the README's Production section has it.
PERSISTENT = "?conn_max_age=60&conn_health_checks=true"


# What gunicorn serves: Lantern's URLs plus the trivial view (ROOT_URLCONF = "bench.pages").
def trivial_view(request):
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def _urlpatterns():
    from django.urls import include, path

    return [path("bench/trivial/", trivial_view), path("", include("config.urls"))]


def __getattr__(name):  # urlpatterns is built on first use, after Django is set up
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


_handler = None


def application(environ, start_response):
    """gunicorn's entry point: Lantern's WSGI application with the trivial view added."""
    global _handler
    if _handler is None:
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application

        _handler = get_wsgi_application()
        settings.ROOT_URLCONF = "bench.pages"
    return _handler(environ, start_response)


def _seed(ideas: int, projects: int, risks: int, lessons: int):
    from accounts.models import Membership, Role
    from bench import library_search, risk_register
    from innovation.models import Idea, Project, ProjectStage

    council, manager = risk_register._seed(risks)  # 1 project in 100 has risks, all live
    stages = ProjectStage.values
    existing = Project.objects.filter(organisation=council).count()
    Project.objects.bulk_create(
        (
            Project(organisation=council, reference=existing + n + 1, title=f"Project {existing + n + 1}",
                    owner=manager, stage=stages[n % len(stages)])
            for n in range(max(0, projects - existing))
        ),
        batch_size=2000,
    )  # fmt: skip
    Idea.objects.bulk_create(
        (
            Idea(organisation=council, reference=n + 1, title=f"Idea {n + 1}", problem="Residents wait.",
                 proposal="Answer online.", author=manager)
            for n in range(ideas)
        ),
        batch_size=2000,
    )  # fmt: skip
    library_search._seed(lessons, 50)
    Membership.objects.get_or_create(user=manager, organisation=council, defaults={"role": Role.MANAGER})
    _seed_gap_report(council)
    return council, manager


def _seed_gap_report(council, quarters: int = 8) -> None:
    """A real gap report for the council: every catalogue indicator for `quarters` quarters (or
    years), the council and the library's councils as its sector, an aspiration for each latest
    period, a service area per service, and a tenth of the ideas and projects aimed at an indicator
    (so the page's live counts have rows to count)."""
    import random

    from django.db import connection

    from accounts.models import Organisation
    from innovation.models import Idea, Project
    from portfolio import services
    from portfolio.models import Indicator, Service, ServiceArea
    from portfolio.periods import label_for

    rng = random.Random(8)
    indicators = list(Indicator.objects.order_by("pk"))
    sector = [council.pk, *Organisation.objects.exclude(pk=council.pk).values_list("pk", flat=True)[:60]]
    ServiceArea.objects.bulk_create(
        ServiceArea(organisation=council, name=label, service=value) for value, label in Service.choices
    )
    columns = "(organisation_id, indicator_id, period, period_index, value, updated_at)"
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY portfolio_measurement {columns} FROM STDIN") as copy:
            for organisation_id in sector:
                for indicator in indicators:
                    first = 2024 * 4 if indicator.frequency == "quarterly" else 2016
                    level = rng.uniform(20, 80)
                    for n in range(quarters):
                        level += rng.gauss(0.2, 2)
                        label = label_for(first + n, indicator.frequency)
                        copy.write_row((organisation_id, indicator.pk, label, first + n, round(level, 2), "now"))
        with cursor.copy(f"COPY portfolio_aspiration {columns} FROM STDIN") as copy:
            for organisation_id in sector:
                for indicator in indicators:
                    last = (2024 * 4 if indicator.frequency == "quarterly" else 2016) + quarters - 1
                    label = label_for(last, indicator.frequency)
                    copy.write_row((organisation_id, indicator.pk, label, last, round(rng.uniform(30, 90), 2), "now"))
    for model in (Idea, Project):
        ids = list(model.objects.filter(organisation=council).values_list("pk", flat=True)[::10])
        for n, indicator in enumerate(indicators):
            model.objects.filter(pk__in=ids[n :: len(indicators)]).update(indicator=indicator)
    services.gap_reports_compute(organisation_ids=[council.pk])


def _sessions(council, manager, count: int) -> list[str]:
    """`count` signed-in sessions of the manager in the council, two-factor sign-in done, each
    recorded as signing in through the page records it; one Cookie header each."""
    from django.conf import settings
    from django.test import Client

    from accounts import services
    from accounts.middleware import RECORDED_KEY_SESSION_KEY

    device = None
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=manager, name="Bench authenticator", confirmed=True)
    cookies = []
    for _ in range(count):
        client = Client()
        client.force_login(manager)
        session = client.session
        session["lantern_organisation_id"] = council.pk
        if device is not None:
            from django_otp import DEVICE_ID_SESSION_KEY

            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        services.session_record(user=manager, session_key=session.session_key)
        session[RECORDED_KEY_SESSION_KEY] = session.session_key
        session.save()
        # Sent under both names: gunicorn runs with production settings (__Host-sessionid).
        cookies.append(f"sessionid={session.session_key}; __Host-sessionid={session.session_key}")
    return cookies


def _query_counts(cookie: str, paths: list[str]) -> dict[str, int]:
    """The queries one request of each page makes, after one request to warm up."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import clear_url_caches

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "bench.pages"  # as gunicorn serves it, with the trivial view
    clear_url_caches()
    client = Client()
    client.cookies["sessionid"] = cookie.split(";")[0].split("=", 1)[1]
    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    counts = {}
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} in process")
        before = len(queries)
        with connection.execute_wrapper(count):
            client.get(path)
        counts[path] = len(queries) - before
    return counts


def _single_user_ms(port: int, cookie: str, path: str, repeat: int) -> float:
    """Median milliseconds of `repeat` sequential requests over one kept-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    timings = []
    try:
        for _ in range(repeat + 1):  # the first warms the worker and is not counted
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status} from gunicorn")
            timings.append(time.perf_counter() - started)
    finally:
        connection.close()
    return statistics.median(timings[1:]) * 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        # No collectstatic here: whitenoise's warning about it would be printed by every worker.
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.pages:application", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
        env=env, cwd=HERE.parent,
    )  # fmt: skip
    for _ in range(300):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


class Load:
    """One locust run's figures, read from its --csv stats file (milliseconds)."""

    def __init__(self, rows: dict[str, dict], seconds: float):
        self.rows, self.seconds = rows, seconds

    def figure(self, name: str = "Aggregated") -> dict:
        row = self.rows.get(name, {})

        def number(column: str) -> float:
            value = row.get(column, "")
            return float(value) if value not in ("", "N/A") else float("nan")

        requests = number("Request Count")
        return {
            "requests": int(requests) if requests == requests else 0,
            "errors": int(number("Failure Count")) if row else 0,
            "rps": number("Requests/s"),
            "p50": number("50%"),
            "p95": number("95%"),
            "p99": number("99%"),
        }


def _locust(port: int, paths: list[str], cookies: list[str], seconds: float, folder: Path, label: str) -> Load:
    """Runs locust headless in its own process against gunicorn; returns its figures."""
    prefix = folder / label
    env = {**os.environ, "BENCH_PATHS": " ".join(paths), "BENCH_COOKIES": "\n".join(cookies)}
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "_locustfile.py"), "--headless",
        "-u", str(USERS), "-r", str(USERS), "-t", f"{seconds:.0f}s", "--host", f"http://127.0.0.1:{port}",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
    ]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=HERE.parent)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise RuntimeError(f"locust wrote no figures (exit {result.returncode}): {result.stderr[-2000:]}")
    with stats.open(newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(newline="") as handle:
            for row in csv.DictReader(handle):
                print(f"  errors: {row['Occurrences']} × {row['Name']}: {row['Error']}", flush=True)
    return Load(rows, seconds)


def _line(label: str, figure: dict) -> str:
    return (
        f"  {label:32} {figure['rps']:7.1f} req/s  p50 {figure['p50']:6.0f} ms  p95 {figure['p95']:6.0f} ms  "
        f"p99 {figure['p99']:6.0f} ms  requests {figure['requests']:6}  errors {figure['errors']}"
    )


def run(quick: bool = False, seconds: float | None = None) -> list[dict]:
    """Seeds, serves and loads; returns the rows for bench's table."""
    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection

    from bench.gap_report import _database_url

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    sizes = (2000, 2000, 5000, 5000) if quick else (20_000, 20_000, 50_000, 50_000)
    seconds = seconds or (10 if quick else 60)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    test_name = connection.settings_dict["NAME"]
    try:
        started = time.perf_counter()
        council, manager = _seed(*sizes)
        with connection.cursor() as cursor:
            # Statistics and visibility maps, as autovacuum keeps them in a live database.
            cursor.execute("VACUUM ANALYZE")
        cookies = _sessions(council, manager, USERS)
        print(
            f"Pages: {sizes[0]:,} ideas, {sizes[1]:,} projects, {sizes[2]:,} risks, {sizes[3]:,} lessons "
            f"(seeded in {time.perf_counter() - started:.0f} s); gunicorn {WORKERS} workers, locust {USERS} users, "
            f"{seconds:.0f} s each",
            flush=True,
        )
        queries = _query_counts(cookies[0], [*PAGES, TRIVIAL])
        port = _free_port()
        server = _gunicorn(_database_url(connection.settings_dict, test_name) + PERSISTENT, port)
        connection.close()
        try:
            single = {path: _single_user_ms(port, cookies[0], path, 5 if quick else 20) for path in [*PAGES, TRIVIAL]}
            with tempfile.TemporaryDirectory() as folder:
                pages = _locust(port, PAGES, cookies, seconds, Path(folder), "pages")
                # Requests the pages' users left in gunicorn finish before the trivial view's run starts.
                _single_user_ms(port, cookies[0], TRIVIAL, 2 * WORKERS)
                trivial = _locust(port, [TRIVIAL], cookies, seconds, Path(folder), "trivial")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        print("  One user, one request at a time (median), and the queries each request makes:")
        for path in [*PAGES, TRIVIAL]:
            print(f"    {path:32} {single[path]:7.1f} ms  {queries[path]:3} queries")
        print(f"  Under load ({USERS} users, {seconds:.0f} s):")
        for path in PAGES:
            print("  " + _line(path, pages.figure(path)))
        all_pages, baseline = pages.figure(), trivial.figure()
        print(_line("pages (4 mixed)", all_pages))
        print(_line("trivial view", baseline))
        ratio = all_pages["rps"] / baseline["rps"] if baseline["rps"] else 0.0
        print(f"  pages / trivial view, requests a second: {ratio:.2f} (target ≥ {TARGET_RATIO})")
        rows = [
            {"figure": "pages: req/s ratio to a trivial view", "measured": f"{all_pages['rps']:.1f} req/s",
             "baseline": f"{baseline['rps']:.1f} req/s", "ratio": ratio, "target": f"≥ {TARGET_RATIO}",
             "met": ratio >= TARGET_RATIO},
            {"figure": "pages: p95 latency", "measured": f"{all_pages['p95']:.0f} ms",
             "baseline": f"{baseline['p95']:.0f} ms", "ratio": None, "target": f"< {TARGET_P95_MS} ms",
             "met": all_pages["p95"] < TARGET_P95_MS},
            {"figure": "pages: p50 / p99 latency", "measured": f"{all_pages['p50']:.0f} / {all_pages['p99']:.0f} ms",
             "baseline": f"{baseline['p50']:.0f} / {baseline['p99']:.0f} ms", "ratio": None, "target": "",
             "met": None},
            {"figure": "pages: errors", "measured": str(all_pages["errors"]), "baseline": str(baseline["errors"]),
             "ratio": None, "target": "0", "met": all_pages["errors"] == 0 and baseline["errors"] == 0},
        ]  # fmt: skip
        rows += [
            {"figure": f"pages: {path} one user", "measured": f"{single[path]:.1f} ms, {queries[path]} queries",
             "baseline": f"{single[TRIVIAL]:.1f} ms, {queries[TRIVIAL]} queries", "ratio": None, "target": "",
             "met": None}
            for path in PAGES
        ]  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, 10 seconds of load")
    parser.add_argument("--seconds", type=float, default=None, help="seconds of load for each run (60)")
    args = parser.parse_args(argv)
    rows = run(quick=args.quick, seconds=args.seconds)
    return 0 if all(row["met"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

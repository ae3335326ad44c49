"""Pages under load: gunicorn (2 workers, production settings) serving Lantern's busiest pages
to 16 concurrent users on loopback, against a trivial Django view served the same way.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_pages python -m bench.pages [--quick]

Builds a throwaway test database (test_<name>, dropped afterwards) with 20,000 ideas, 20,000
projects, 50,000 risks and 50,000 published lessons (fewer with --quick), then for `--seconds`
(60; 10 with --quick) each: 16 users signed in as one manager fetch, in turn, the portfolio
list (/projects/), the organisation risk register (/risk/), the gap report (/performance/) and a
library search; then the same 16 users fetch a trivial view (a one-line HttpResponse through
the whole middleware stack). Reports requests a second, p50/p95/p99 latency and errors for
each, and the ratio of the pages' requests a second to the trivial view's.

Targets (issue 8): no errors, p95 under 100 ms, ratio at least 0.2.

The load generator is a thread per user in this process (http.client, keep-alive). Run it on
a machine where it and gunicorn have cores to themselves: on a 2-core box the two compete.
"""

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
# One key for this process (which signs the session) and gunicorn (which reads it).
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))

USERS = 16
WORKERS = 2
TARGET_P95_MS = 100
TARGET_RATIO = 0.2
PAGES = ["/projects/", "/risk/", "/performance/", "/library/?q=waste"]
TRIVIAL = "/bench/trivial/"


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


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1] * 1000


def _drive(port: int, paths: list[str], cookie: str, seconds: float) -> Load:
    load = Load()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def user(offset: int):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = offset
        while time.perf_counter() < deadline:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    load.latencies.append(elapsed)
                else:
                    load.errors += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - started
    return load


def _seed(ideas: int, projects: int, risks: int, lessons: int):
    from accounts.models import Membership, Role
    from bench import library_search, risk_register
    from innovation.models import Idea, Project

    council, manager = risk_register._seed(risks)
    existing = Project.objects.filter(organisation=council).count()
    Project.objects.bulk_create(
        (
            Project(organisation=council, reference=existing + n + 1, title=f"Project {existing + n + 1}",
                    owner=manager, stage="implementation")
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
    return council, manager


def _session_cookie(council, manager) -> str:
    from django.test import Client

    from accounts import services
    from accounts.middleware import RECORDED_KEY_SESSION_KEY

    client = Client()
    client.force_login(manager)
    session = client.session
    session["lantern_organisation_id"] = council.pk
    services.session_record(user=manager, session_key=session.session_key)
    session[RECORDED_KEY_SESSION_KEY] = session.session_key
    session.save()
    # Sent under both names: gunicorn runs with production settings (__Host-sessionid).
    return f"sessionid={session.session_key}; __Host-sessionid={session.session_key}"


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
        "BENCH_ROOT_URLCONF": "1",
    }
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.pages:application", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60"],
        env=env,
    )  # fmt: skip
    for _ in range(200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


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
    rows = []
    try:
        started = time.perf_counter()
        council, manager = _seed(*sizes)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        cookie = _session_cookie(council, manager)
        print(
            f"Pages: {sizes[0]:,} ideas, {sizes[1]:,} projects, {sizes[2]:,} risks, {sizes[3]:,} lessons "
            f"(seeded in {time.perf_counter() - started:.0f} s); gunicorn {WORKERS} workers, {USERS} users, "
            f"{seconds:.0f} s each",
            flush=True,
        )
        port = _free_port()
        server = _gunicorn(_database_url(connection.settings_dict, test_name), port)
        connection.close()
        try:
            _drive(port, PAGES + [TRIVIAL], cookie, 2)  # warm both workers
            pages = _drive(port, PAGES, cookie, seconds)
            trivial = _drive(port, [TRIVIAL], cookie, seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        for label, load in (("pages (4 mixed)", pages), ("trivial view", trivial)):
            print(
                f"  {label:16} {load.rps:7.1f} req/s  p50 {load.percentile(50):6.1f} ms  "
                f"p95 {load.percentile(95):6.1f} ms  p99 {load.percentile(99):6.1f} ms  errors {load.errors}"
            )
        ratio = pages.rps / trivial.rps if trivial.rps else 0.0
        print(f"  pages / trivial view, requests a second: {ratio:.2f} (target ≥ {TARGET_RATIO})")
        rows = [
            {"figure": "pages: req/s ratio to a trivial view", "measured": f"{pages.rps:.1f} req/s",
             "baseline": f"{trivial.rps:.1f} req/s", "ratio": ratio, "target": f"≥ {TARGET_RATIO}",
             "met": ratio >= TARGET_RATIO},
            {"figure": "pages: p95 latency", "measured": f"{pages.percentile(95):.1f} ms",
             "baseline": f"{trivial.percentile(95):.1f} ms", "ratio": None, "target": f"< {TARGET_P95_MS} ms",
             "met": pages.percentile(95) < TARGET_P95_MS},
            {"figure": "pages: p50 / p99 latency", "measured": f"{pages.percentile(50):.1f} / "
             f"{pages.percentile(99):.1f} ms", "baseline": f"{trivial.percentile(50):.1f} / "
             f"{trivial.percentile(99):.1f} ms", "ratio": None, "target": "", "met": None},
            {"figure": "pages: errors", "measured": str(pages.errors), "baseline": str(trivial.errors),
             "ratio": None, "target": "0", "met": pages.errors == 0 and trivial.errors == 0},
        ]  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, 10 seconds")
    parser.add_argument("--seconds", type=float, default=None)
    args = parser.parse_args(argv)
    rows = run(quick=args.quick, seconds=args.seconds)
    return 0 if all(row["met"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

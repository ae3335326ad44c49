"""Every main page at full size: gunicorn (2 workers, production settings) serving each page to
16 connections from wrk on loopback, against the signed-in light page (/accessibility/) served
the same way in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench_pages python -m bench.pages [--quick]

Builds a throwaway test database (test_<name>, dropped afterwards) with 20,000 ideas, 20,000
projects, 50,000 risks (on 500 live projects) and 50,000 published lessons, and a computed gap
report (a tenth of that with --quick), vacuumed and analysed as autovacuum keeps a live
database. gunicorn runs with production settings, each worker keeping its database connection
(`?conn_max_age=60&conn_health_checks=true`, as the README's Production section recommends).
Then, for every page of PAGES (home, ideas, projects, a project, the risk register, a risk, the
gap report, an indicator, the library with and without a search, lessons, people, reports) and
for the signed-in light page:

1. The queries one request makes (in this process, through Django's test client).
2. The median time of sequential requests to gunicorn (one user, nothing else running).
3. Under load: `wrk -t2 -c16 -d10s` (written in C, so the load generator takes little of the
   server's CPU) with a signed-in manager's session cookie; requests a second, p50 and errors
   (any answer but a 200, and socket errors: a redirect to the sign-in page is an error here).

Each page prints lines `bench` reads into its table: the one-user median (target under 50 ms),
the requests a second as a ratio to the signed-in light page's (target at least 0.25) and the
errors (target 0).

gunicorn, PostgreSQL and wrk share the machine: on a 2-core box they compete for it, so run it
on a quiet machine.
"""

import argparse
import http.client
import os
import re
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
CONNECTIONS = 16
WORKERS = 2
TARGET_MEDIAN_MS = 50
TARGET_RATIO = 0.25
LIGHT = "/accessibility/"  # the signed-in light page: a template in the site layout
# Each gunicorn worker keeps its database connection, as the README's Production section has it.
PERSISTENT = "?conn_max_age=60&conn_health_checks=true"
# wrk counts only 4xx and 5xx as errors: this counts every answer but a 200 (a redirect to the
# sign-in or two-factor page would otherwise be a fast success), summed over wrk's threads.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("not 200: %d\\n", total))
end
"""


# Who reads each page: the manager, but for the pages only admins (and auditors) may see.
ADMIN_PAGES = ("/people/", "/reports/")


def pages(council) -> list[tuple[str, str]]:
    """(name, path) of every main page the issue lists, with concrete rows for the detail pages:
    a live project with risks on its register, one of its risks, and an indicator of the gap
    report. ADMIN_PAGES are read by an admin, the rest by a manager."""
    from innovation.models import Project
    from portfolio.models import GapReportRow
    from risk.models import Risk

    project = Project.objects.filter(organisation=council, risk_assessment__isnull=False).order_by("pk").first()
    risk = Risk.objects.filter(organisation=council, assessment__project=project).order_by("pk").first()
    row = GapReportRow.objects.filter(report__organisation=council).select_related("indicator").order_by("pk").first()
    return [
        ("home", "/"),
        ("ideas", "/ideas/"),
        ("projects", "/projects/"),
        ("a project", f"/projects/{project.pk}/"),
        ("risk register", "/risk/"),
        ("a risk", f"/risk/risks/{risk.pk}/"),
        ("performance", "/performance/"),
        ("an indicator", f"/indicators/{row.indicator.code}/"),
        ("library", "/library/"),
        ("library search", "/library/?q=housing+repairs"),
        ("lessons", "/lessons/"),
        ("people", "/people/"),
        ("reports", "/reports/"),
    ]


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


def _admin(council):
    """An admin of the council, for the pages only admins see (people, reports)."""
    from django.utils import timezone

    from accounts.models import Membership, Role, User

    admin = User.objects.create_user(email="admin@bench.example", full_name="Bench Admin")
    Membership.objects.create(user=admin, organisation=council, role=Role.ADMIN, accepted_at=timezone.now())
    return admin


def _sessions(council, manager, count: int) -> list[str]:
    """`count` signed-in sessions of the person in the council, two-factor sign-in done, each
    recorded as signing in through the page records it; one Cookie header each."""
    from django.conf import settings
    from django.test import Client

    from accounts import services
    from accounts.middleware import RECORDED_KEY_SESSION_KEY

    device = None
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=manager, confirmed=True).first() or TOTPDevice.objects.create(
            user=manager, name="Bench authenticator", confirmed=True
        )
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


def _query_counts(cookies: dict[str, str], paths: list[str]) -> dict[str, int]:
    """The queries one request of each page makes, after one request to warm up."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    counts = {}
    for path in paths:
        client = Client()
        client.cookies["sessionid"] = cookies[path].split(";")[0].split("=", 1)[1]
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
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", str(WORKERS),
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


def _wrk(port: int, path: str, cookie: str, seconds: float, script: Path) -> dict:
    """One wrk run of `path` under CONNECTIONS connections: requests a second, p50 ms, errors."""
    command = [
        "wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds:.0f}s", "--latency", "--timeout", "30s",
        "-s", str(script), "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{path}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    out = result.stdout
    if result.returncode or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed on {path} (exit {result.returncode}): {result.stderr[-2000:]}{out[-2000:]}")

    def number(pattern: str, default: str = "0") -> float:
        match = re.search(pattern, out)
        return float(match[1] if match else default)

    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    broken = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(n) for n in broken.groups()) if broken else 0
    return {
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "p50": float(p50[1]) * {"us": 0.001, "ms": 1, "s": 1000}[p50[2]] if p50 else float("nan"),
        "errors": int(number(r"not 200: (\d+)")) + socket_errors,
    }


def report(named: list[tuple[str, str]], queries: dict, single: dict, load: dict, seconds: float) -> list[str]:
    """The lines bench reads into its table (bench/__main__.py parses them), one block a page."""
    light = load[LIGHT]
    lines = [
        f"  signed-in light page {LIGHT}: {single[LIGHT]:.1f} ms one user, {queries[LIGHT]} queries; "
        f"{light['rps']:.1f} req/s under {CONNECTIONS} connections, {light['errors']} errors",
    ]
    for name, path in named:
        figure, ratio = load[path], (load[path]["rps"] / light["rps"] if light["rps"] else 0.0)
        lines += [
            f"  {name} ({path}) one user, median: {single[path]:.1f} ms, {queries[path]} queries "
            f"(target < {TARGET_MEDIAN_MS})",
            f"  {name} req/s, {CONNECTIONS} connections: {ratio:.2f}×  ({figure['rps']:.1f} req/s vs "
            f"{light['rps']:.1f} req/s signed-in {LIGHT}; p50 {figure['p50']:.0f} ms; target ≥ {TARGET_RATIO})",
            f"  {name} errors under load: {figure['errors']} (target ≤ 0)",
        ]
    return lines


def run(quick: bool = False, seconds: float | None = None) -> list[dict]:
    """Seeds, serves and loads; prints the report and returns its rows for bench's table."""
    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection

    from bench.__main__ import parse
    from bench.gap_report import _database_url

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    sizes = (2000, 2000, 5000, 5000) if quick else (20_000, 20_000, 50_000, 50_000)
    seconds = seconds or (5 if quick else 10)
    repeat = 5 if quick else 20
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    test_name = connection.settings_dict["NAME"]
    try:
        started = time.perf_counter()
        council, manager = _seed(*sizes)
        with connection.cursor() as cursor:
            # Statistics and visibility maps, as autovacuum keeps them in a live database.
            cursor.execute("VACUUM ANALYZE")
        named = pages(council)
        paths = [path for _, path in named] + [LIGHT]
        manager_cookie, admin_cookie = _sessions(council, manager, 1)[0], _sessions(council, _admin(council), 1)[0]
        cookies = {path: admin_cookie if path in ADMIN_PAGES else manager_cookie for path in paths}
        print(
            f"Pages: {sizes[0]:,} ideas, {sizes[1]:,} projects, {sizes[2]:,} risks, {sizes[3]:,} lessons "
            f"(seeded in {time.perf_counter() - started:.0f} s); gunicorn {WORKERS} workers, wrk {CONNECTIONS} "
            f"connections, {seconds:.0f} s a page",
            flush=True,
        )
        queries = _query_counts(cookies, paths)
        port = _free_port()
        server = _gunicorn(_database_url(connection.settings_dict, test_name) + PERSISTENT, port)
        connection.close()
        try:
            single = {path: _single_user_ms(port, cookies[path], path, repeat) for path in paths}
            with tempfile.TemporaryDirectory() as folder:
                script = Path(folder) / "status.lua"
                script.write_text(WRK_SCRIPT)
                load = {}
                for path in paths:
                    load[path] = _wrk(port, path, cookies[path], seconds, script)
                    # Requests wrk left in gunicorn finish before the next page's run starts.
                    _single_user_ms(port, manager_cookie, LIGHT, 2 * WORKERS)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        lines = report(named, queries, single, load, seconds)
        print("\n".join(lines), flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return parse("pages", "\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the data, 5 seconds of load a page")
    parser.add_argument("--seconds", type=float, default=None, help="seconds of load for each page (10)")
    args = parser.parse_args(argv)
    rows = run(quick=args.quick, seconds=args.seconds)
    return 0 if all(row["met"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

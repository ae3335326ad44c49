"""Signed-in overhead (issue 17): a light page's requests a second signed in, against the same
page signed out, from wrk (a load generator written in C, so that it takes little of the
server's CPU) against gunicorn (2 sync workers, production settings) on the demo data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench REDIS_URL=redis://127.0.0.1:6379/1 \\
        python -m bench.signed_in [--quick] [--seconds 10] [--path /accessibility/]

Builds a throwaway test database (test_<name>, dropped afterwards), seeds it with `seed_demo`,
and signs the demo manager of Ashby Vale in (two-factor sign-in done) with a session made
directly, as bench.pages does. gunicorn keeps each worker's database connection, as the README's
Production section recommends, and is given REDIS_URL when it is set, as production has it: the
cache and the sessions' copies in Redis (accounts.sessions). Then `wrk -t2 -c16 -d<seconds>s`
fetches the page signed out, and signed in (the session cookie in a header), after a short
warm-up each, and the ratio of the two is printed.

Target (issue 17): signed in at least 0.6× the requests a second of signed out.

gunicorn, PostgreSQL, Redis and wrk share the machine: run it on a quiet one.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")  # seed_demo runs only with DEBUG on; gunicorn runs with it off
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))

HERE = Path(__file__).resolve().parent
WORKERS = 2
THREADS, CONNECTIONS = 2, 16
TARGET = 0.6
PERSISTENT = "?conn_max_age=60&conn_health_checks=true"
REQUESTS_A_SECOND = re.compile(r"Requests/sec:\s+([\d.]+)")
NOT_OK = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(database_url: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "PYTHONWARNINGS": "ignore:No directory at",
    }
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


def _session_cookie(manager, council) -> str:
    """A signed-in session of the manager in the council, two-factor sign-in done (bench.pages)."""
    from bench.pages import _sessions

    return _sessions(council, manager, 1)[0]


def _fetch(port: int, path: str, cookie: str | None) -> str:
    headers = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return response.read().decode()


def _wrk(port: int, path: str, cookie: str | None, seconds: float) -> float:
    """Requests a second wrk reaches; refuses a run with any answer other than 2xx or 3xx."""
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:.0f}s", "-H", "Host: 127.0.0.1"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True)
    if (bad := NOT_OK.search(result.stdout)) and int(bad[1]):
        raise RuntimeError(f"wrk had {bad[1]} answers other than 2xx/3xx for {path}:\n{result.stdout}")
    return float(REQUESTS_A_SECOND.search(result.stdout)[1])


def _profile(cookie: str, path: str, requests: int) -> None:
    """cProfile of `requests` signed-in requests in this process, through Django's test client."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split(";")[0].split("=", 1)[1]
    for _ in range(3):
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    print(f"  queries a signed-in request makes (warm): {len(one.captured_queries)}")
    for query in one.captured_queries:
        print(f"    {query['sql'][:110]}")
    anonymous = Client()
    for label, who in (("signed out", anonymous), ("signed in", client)):
        started = time.perf_counter()
        for _ in range(requests):
            who.get(path)
        each = (time.perf_counter() - started) / requests * 1000
        print(f"  {label}, in process (no profiler): {each:.2f} ms a request")
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"  {requests} signed-in requests in process: {elapsed / requests * 1000:.2f} ms each (under cProfile)")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"accounts|config|rules|auth|sessions|cache|otp", 40)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def run(seconds: float, path: str, profile: int = 0) -> float:
    import django

    django.setup()
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Membership, Role
    from bench.gap_report import _database_url

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")
    redis = os.environ.get("REDIS_URL", "")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    test_name = connection.settings_dict["NAME"]
    try:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        membership = Membership.objects.select_related("user", "organisation").get(
            user__email="manager@ashby.example", role=Role.MANAGER
        )
        cookie = _session_cookie(membership.user, membership.organisation)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        if profile:
            _profile(cookie, path, profile)
            return 0.0
        print(
            f"Signed-in overhead: {path} on the demo data, gunicorn {WORKERS} sync workers (production settings), "
            f"wrk -t{THREADS} -c{CONNECTIONS} -d{seconds:.0f}s; sessions {settings.SESSION_ENGINE}, "
            f"{'Redis ' + redis.rsplit('@', 1)[-1] if redis else 'no Redis (REDIS_URL unset)'}",
            flush=True,
        )
        port = _free_port()
        server = _gunicorn(_database_url(connection.settings_dict, test_name) + PERSISTENT, port)
        connection.close()
        try:
            signed_out_page = _fetch(port, path, None)
            signed_in_page = _fetch(port, path, cookie)
            if "Sign out" not in signed_in_page or "Sign out" in signed_out_page:
                raise RuntimeError("the cookie did not sign the requests in")
            figures = {}
            for label, sent in (("signed out", None), ("signed in", cookie)):
                _wrk(port, path, sent, 2)  # warm-up: workers' connections, caches
                figures[label] = _wrk(port, path, sent, seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    out, signed_in = figures["signed out"], figures["signed in"]
    ratio = signed_in / out if out else 0.0
    print(f"  signed out: {out:.0f} req/s; signed in: {signed_in:.0f} req/s")
    figures = f"{signed_in:.0f} req/s vs {out:.0f} req/s; target ≥ {TARGET}"
    print(f"  signed-in light page / signed out: {ratio:.2f}×  ({figures})")
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 seconds of load each, a smoke run")
    parser.add_argument("--seconds", type=float, default=None, help="seconds of load for each run (10)")
    parser.add_argument("--path", default="/accessibility/", help="the light page (/accessibility/)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N requests in process; no load")
    args = parser.parse_args(argv)
    run(args.seconds or (3 if args.quick else 10), args.path, args.profile)
    # Met or not, the ratio line says (make bench's table marks it); a failure is an exception.
    return 0


if __name__ == "__main__":
    sys.exit(main())

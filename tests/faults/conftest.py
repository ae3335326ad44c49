"""Throwaway PostgreSQL and Redis servers that fault tests may stop, kill and restart.

The machine's own PostgreSQL (5432) and Redis (6379) are shared with other runs and are never
touched: every server here listens on a free port of its own, keeps its files in a temporary
directory and is stopped and removed however the test ends. Fault tests are marked `faults`
and `services`; they run in `make test` (and so in CI) wherever the server binaries exist.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server")

pytestmark = [pytest.mark.faults, pytest.mark.services]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root: the cluster belongs to the postgres user then.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Postgres:
    directory: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", *args]), check=True,
                       capture_output=True)  # fmt: skip

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._ctl("-o", options, "-l", str(self.directory / "log"), "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop")

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def psql(self, sql: str, database: str = "postgres") -> str:
        connection = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database]
        return subprocess.run(
            ["psql", *connection, "-v", "ON_ERROR_STOP=1", "-AtXc", sql],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()


@dataclass
class Redis:
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None


@pytest.fixture(scope="session")
def throwaway_postgres():
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN} (set PG_BIN)")
    directory = Path(tempfile.mkdtemp(prefix="lantern-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    server = Postgres(directory / "cluster")
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def throwaway_redis():
    if not REDIS_SERVER:
        pytest.skip("no redis-server on PATH")
    server = Redis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def django_env(url: str, redis_url: str = "") -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "fault-tests-only-0123456789abcdefghijklmnopqrstuvwxyz",
        "REDIS_URL": redis_url,
    }


@pytest.fixture(scope="session")
def lantern_db(throwaway_postgres):
    """A migrated Lantern database on the throwaway cluster."""
    throwaway_postgres.psql("CREATE DATABASE lantern")
    url = throwaway_postgres.url("lantern")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=django_env(url),
        check=True,
        capture_output=True,
    )
    return url

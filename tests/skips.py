"""Skips that are legitimate, by database (a pytest plugin: tests/conftest.py registers its hooks).

CI (.ci/run) sets LANTERN_FAIL_ON_SKIP=1, and then the run fails on any skip whose reason does
not start with one listed for the database it ran on, so that a test that silently stopped
running (a guard that no longer holds, a missing binary, an API gone) is noticed rather than
counted among "N skipped". The PostgreSQL run, with Redis and the browser, may skip nothing.
Tests that need a server at all are marked `services` or `e2e` and deselected from the SQLite
run (`-m 'not e2e and not services'`), which is not a skip. An empty parameter list fails at
collection (`empty_parameter_set_mark`), rather than skipping.
"""

import os

import pytest

ALLOWED_SKIPS = {
    "postgresql": (),
    "sqlite": (
        # Tests of SELECT … FOR UPDATE and of PostgreSQL's own features, which SQLite lacks.
        "row locks need PostgreSQL",
        "Row locks need PostgreSQL",
        "COPY … TO STDOUT is PostgreSQL's",
        "a worker's run lock is PostgreSQL's",
        "full-text search is PostgreSQL's",
    ),
}

_skips: list[tuple[str, str]] = []


def _reason(report) -> str:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    return reason.removeprefix("Skipped: ")


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skips.append((report.nodeid, _reason(report)))


def pytest_collectreport(report):
    if report.skipped:  # a module-level skip or importorskip
        _skips.append((report.nodeid, _reason(report)))


def unexpected_skips(skips: list[tuple[str, str]], vendor: str) -> list[str]:
    """Each skip whose reason does not start with one of the database's allowed reasons."""
    allowed = ALLOWED_SKIPS.get(vendor, ())
    return [f"{nodeid}: {reason}" for nodeid, reason in skips if not reason.startswith(allowed)]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("LANTERN_FAIL_ON_SKIP") != "1" or not _skips:
        return
    from django.db import connection

    unexpected = unexpected_skips(_skips, connection.vendor)
    if unexpected:
        session.config.stash[_UNEXPECTED] = (connection.vendor, unexpected)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_UNEXPECTED = pytest.StashKey[tuple]()


def pytest_terminal_summary(terminalreporter, config):
    if _UNEXPECTED not in config.stash:
        return
    vendor, unexpected = config.stash[_UNEXPECTED]
    terminalreporter.section("unexpected skips (LANTERN_FAIL_ON_SKIP=1)", red=True)
    terminalreporter.write_line(f"{len(unexpected)} skips not allowed on {vendor} (tests/skips.py ALLOWED_SKIPS):")
    for line in unexpected:
        terminalreporter.write_line(f"  {line}")

"""The checks that guard the rest can fail: each is run here with a fault planted.

- tests/skips.py: with LANTERN_FAIL_ON_SKIP=1 (as in CI) a skip not allowed on the database fails
  the run, and an empty parameter list fails at collection;
- .ci/check_suite: a suite that failed, collected nothing or passed too few tests fails CI;
- .ci/deploy_check: a weak production setting fails Django's deployment checks;
- bench/__main__.py: a missed target is "NO" and fails a full `make bench`, as does a benchmark
  that prints no figure the table can read.

(scripts/check_restore.sh is run against a planted difference in tests/faults/test_postgres.py.)
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import bench.__main__ as bench
from tests.skips import unexpected_skips

ROOT = Path(__file__).resolve().parents[1]


# --- tests/skips.py -------------------------------------------------------------------------------


def run_pytest(tmp_path, source: str, *, database_url: str = "", fail_on_skip: bool = True):
    test_file = tmp_path / "test_planted.py"
    test_file.write_text(source)
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "LANTERN_FAIL_ON_SKIP"}}
    if database_url:
        env["DATABASE_URL"] = database_url
    if fail_on_skip:
        env["LANTERN_FAIL_ON_SKIP"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT),
         "-p", "tests.skips", "-p", "no:cacheprovider", str(test_file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


PLANTED_SKIP = """
import pytest

def test_passes():
    pass

def test_skips():
    pytest.skip("{reason}")
"""


def test_a_skip_not_allowed_on_the_database_fails_the_run(tmp_path):
    result = run_pytest(tmp_path, PLANTED_SKIP.format(reason="no API"))
    assert result.returncode == 1, result.stdout
    assert "1 skips not allowed on sqlite" in result.stdout
    assert "::test_skips: no API" in result.stdout  # the test and its reason


def test_a_skip_allowed_on_sqlite_passes_there_and_fails_on_postgresql(tmp_path):
    source = PLANTED_SKIP.format(reason="row locks need PostgreSQL")
    assert run_pytest(tmp_path, source).returncode == 0
    # Nothing connects: the database's kind is read from the settings.
    on_postgresql = run_pytest(tmp_path, source, database_url="postgres://postgres@127.0.0.1:1/none")
    assert on_postgresql.returncode == 1, on_postgresql.stdout
    assert "1 skips not allowed on postgresql" in on_postgresql.stdout


def test_skips_pass_as_before_without_the_variable(tmp_path):
    assert run_pytest(tmp_path, PLANTED_SKIP.format(reason="no API"), fail_on_skip=False).returncode == 0


def test_an_empty_parameter_list_fails_at_collection(tmp_path):
    source = "import pytest\n\n@pytest.mark.parametrize('name', [])\ndef test_walk(name):\n    pass\n"
    result = run_pytest(tmp_path, source, fail_on_skip=False)
    assert result.returncode != 0
    assert "Empty parameter set" in result.stdout


def test_the_allow_list_matches_by_the_start_of_the_reason():
    skips = [("a", "Row locks need PostgreSQL: set DATABASE_URL"), ("b", "no redis-server on PATH")]
    assert unexpected_skips(skips, "sqlite") == ["b: no redis-server on PATH"]
    assert len(unexpected_skips(skips, "postgresql")) == 2


# --- .ci/check_suite ------------------------------------------------------------------------------


def check_suite(tmp_path, log: str, status: int = 0, minimum: int | None = None):
    path = tmp_path / "suite.log"
    path.write_text(log)
    args = ["bash", str(ROOT / ".ci/check_suite"), "sqlite", str(status), str(path)]
    return subprocess.run([*args, *([str(minimum)] if minimum else [])], capture_output=True, text=True, timeout=30)


PASSED = "tests/test_x.py ....\n========= 1234 passed, 3 skipped, 40 deselected in 612.34s (0:10:12) =========\n"


@pytest.mark.parametrize(
    ("log", "status", "minimum", "says"),
    [
        (PASSED, 1, None, "tests failed (exit 1)"),
        ("==== no tests ran in 0.12s ====\n", 5, None, "tests failed (exit 5)"),
        # Exit 0 and yet nothing ran: a deselection that left nothing, or an empty log.
        ("==== 40 deselected in 0.52s ====\n", 0, None, "no test ran: 0 passed"),
        ("", 0, None, "no pytest summary line"),
        # "passed" elsewhere in the log is not the summary.
        ("Restore check passed\n2 passed (from a subprocess)\n", 0, None, "no pytest summary line"),
        ("======= 2 failed, 1234 passed in 612.34s (0:10:12) =======\n", 0, None, "2 failed"),
        (PASSED, 0, 1500, "1234 passed, fewer than the 1500"),
    ],
    ids=["failed", "exit-5", "all-deselected", "empty-log", "passed-not-in-summary", "failures", "too-few"],
)
def test_the_suite_check_fails_a_suite_that_did_not_pass(tmp_path, log, status, minimum, says):
    result = check_suite(tmp_path, log, status, minimum)
    assert result.returncode == 1
    assert says in result.stderr


def test_the_suite_check_fails_a_real_run_that_collected_nothing(tmp_path):
    """pytest itself, with a marker expression that deselects everything (the mistake the guard is for)."""
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-m", "e2e and not e2e", "tests/test_checks.py"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ran.returncode == 5  # pytest's "no tests ran"
    assert check_suite(tmp_path, ran.stdout, ran.returncode).returncode == 1
    # Even were its exit status lost (a `|| true`, a wrapper), its summary shows nothing passed.
    result = check_suite(tmp_path, ran.stdout, 0)
    assert result.returncode == 1
    assert "no test ran: 0 passed" in result.stderr


@pytest.mark.parametrize(
    "log",
    [PASSED, "....\n1234 passed, 2 warnings in 612.34s (0:10:12)\n"],  # as pytest prints it, and with -q
    ids=["summary", "quiet-summary"],
)
def test_the_suite_check_passes_a_suite_that_passed_enough(tmp_path, log):
    result = check_suite(tmp_path, log, 0, 1000)
    assert result.returncode == 0, result.stderr
    assert "sqlite: 1234 passed" in result.stdout


# --- .ci/deploy_check -----------------------------------------------------------------------------


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        ["bash", str(ROOT / ".ci/deploy_check")],
        env={**clean, "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_production_settings():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_on_a_weak_production_setting():
    result = deploy_check(SECURE_HSTS_SECONDS="0")  # no HSTS: a warning, which CI treats as a failure
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


# --- bench/__main__.py ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "met"),
    [
        (
            "  whole-sector recompute / one hand-written query:  1.20×  (2.40 s vs 2.00 s, medians of 3; target ≤ 1.3)",
            True,
        ),
        (
            "  whole-sector recompute / one hand-written query:  1.45×  (2.90 s vs 2.00 s, medians of 3; target ≤ 1.3)",
            False,
        ),
        ("  12,345 rows a second (8.10 s, 3.2 MB file; target ≥ 15,000 rows/s)", False),
        ("  16,000 rows a second (6.25 s, 3.2 MB file; target ≥ 15,000 rows/s)", True),
        ("  worker peak memory (max RSS) for the whole sector: 312 MB (target < 300 MB)", False),
        ("  worker peak memory (max RSS) for the whole sector: 120 MB (target < 300 MB)", True),
    ],
)
def test_the_bench_parser_marks_each_target_met_or_not(line, met):
    [row] = bench.parse("bench", line)
    assert row["met"] is met
    assert ("NO" in bench.table([row]).splitlines()[-1]) is not met


class _Ran:
    def __init__(self, stdout: str, returncode: int = 0):
        self.stdout, self.stderr, self.returncode = stdout, "", returncode


@pytest.mark.parametrize(
    ("stdout", "quick", "status", "says"),
    [
        ("  a / b:  1.45×  (2.90 s vs 2.00 s; target ≤ 1.3)\n", False, 1, "Targets not met: fake: a / b"),
        ("  a / b:  1.45×  (2.90 s vs 2.00 s; target ≤ 1.3)\n", True, 0, "Targets not met at quick sizes"),
        ("  a / b:  1.20×  (2.40 s vs 2.00 s; target ≤ 1.3)\n", False, 0, ""),
        ("Done, and all is well.\n", False, 1, "fake (printed no figure the table can read)"),
    ],
    ids=["missed", "missed-quick", "met", "unreadable"],
)
def test_make_bench_fails_on_a_missed_target_or_an_unreadable_report(monkeypatch, capsys, stdout, quick, status, says):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    monkeypatch.setattr(bench, "modules", lambda: ["fake"])
    monkeypatch.setattr(bench.subprocess, "run", lambda *args, **kwargs: _Ran(stdout))
    assert bench.main(["--quick"] if quick else []) == status
    err = capsys.readouterr().err
    assert says in err if says else err == ""


def test_make_bench_gives_redis_to_the_signed_in_benchmark_alone_and_leaves_the_shell_as_it_was(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    monkeypatch.setattr(bench, "modules", lambda: ["gap_report", "signed_in"])
    given = {}

    def run(command, **kwargs):
        given[command[2]] = kwargs["env"].get("REDIS_URL")
        return _Ran("  a / b:  1.20×  (2.40 s vs 2.00 s; target ≤ 1.3)\n")

    monkeypatch.setattr(bench.subprocess, "run", run)
    assert bench.main([]) == 0
    assert given == {"bench.gap_report": None, "bench.signed_in": "redis://127.0.0.1:6379/9"}
    # The tests (and anything else) that run after it still see the Redis they were given.
    assert os.environ["REDIS_URL"] == "redis://127.0.0.1:6379/9"

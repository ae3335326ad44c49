"""Mutation testing of Lantern's rules (issue 22): `make mutate`.

Runs mutmut (configured in pyproject.toml, [tool.mutmut]) over the functions that hold rules,
each with the tests that cover it, and prints the score per module: killed / (killed + survived
+ timeout + suspicious), less the survivors docs/mutation.md lists as equivalent (which are
counted apart, not as killed). The target is at least 85% in every module.

    .venv/bin/python scripts/mutate.py                 # every module
    .venv/bin/python scripts/mutate.py risk periods    # just these (names from MODULES)
    .venv/bin/python scripts/mutate.py --report        # print the table from the last run
    .venv/bin/python scripts/mutate.py --fresh         # forget earlier results (delete mutants/) first
    MUTATE_CHILDREN=2 ...                              # parallel mutant workers (default 1)

mutmut copies the project into mutants/ (git-ignored) and keeps its results there: a second
run retests only the mutants not killed last time and those of functions that changed (mutmut
resets those itself). Use --fresh after changing or deleting tests, so that every mutant is
tried again against them. `.venv/bin/mutmut show <name>` shows one mutant.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 85.0


@dataclass(frozen=True)
class Module:
    name: str
    title: str
    files: tuple[str, ...]  # source files, as in [tool.mutmut] only_mutate
    mutants: tuple[str, ...]  # mutmut names (globs) of the functions that hold the rules


MODULES = [
    Module("risk", "Risk scoring and bands", ("risk/scoring.py",), ("risk.scoring.*",)),
    Module(
        "net-value",
        "Net value (forecast and realised)",
        ("innovation/models/projects.py", "innovation/forecasts.py"),
        ("innovation.models.projects.x_net_value__*", "innovation.forecasts.*"),
    ),
    Module("periods", "Period parsing and validation", ("portfolio/periods.py",), ("portfolio.periods.*",)),
    Module(
        "imports",
        "Measurement import checks",
        ("portfolio/imports.py",),
        (
            "portfolio.imports.x_check_upload__*",
            "portfolio.imports.x__check_xlsx__*",
            "portfolio.imports.x__text__*",
            "portfolio.imports.x__width__*",
            "portfolio.imports.x__number__*",
            "portfolio.imports.x_check__*",
            "portfolio.imports.xǁCheckedǁadd_error__*",
            "portfolio.imports.xǁReaderǁ*",
        ),
    ),
    Module("redaction", "Redaction", ("sharing/redaction.py",), ("sharing.redaction.*",)),
    Module(
        "access",
        "Access rules",
        (
            "accounts/access.py",
            "accounts/rules.py",
            "risk/rules.py",
            "innovation/rules.py",
            "portfolio/rules.py",
            "sharing/rules.py",
        ),
        (
            "accounts.access.*",
            "accounts.rules.*",
            "risk.rules.*",
            "innovation.rules.*",
            "portfolio.rules.*",
            "sharing.rules.*",
        ),
    ),
    Module(
        "movers",
        "Project and idea movers",
        (
            "innovation/models/projects.py",
            "innovation/models/ideas.py",
            "innovation/services/projects.py",
            "innovation/services/ideas.py",
        ),
        (
            "innovation.models.projects.x_can_move_to__*",
            "innovation.models.projects.xǁProjectǁcan_move_to__*",
            "innovation.models.ideas.x_idea_can_move__*",
            "innovation.models.ideas.xǁIdeaǁcan_move_to__*",
            "innovation.services.projects.x__move__*",
            "innovation.services.projects.x__require_stage__*",
            "innovation.services.ideas.x__idea_move__*",
        ),
    ),
    Module(
        "sector",
        "Sector position and trend (Python side)",
        ("portfolio/gaps.py", "portfolio/templatetags/portfolio_tags.py"),
        (
            "portfolio.gaps.x_sector_points__*",
            "portfolio.gaps.x__placeholders__*",
            "portfolio.gaps.x__label_periods__*",
            "portfolio.templatetags.portfolio_tags.x__position__*",
        ),
    ),
]

KILLED = {1, 3, 37}
SURVIVED = {0}
TIMEOUT = {-24, 24, 152, 255, 36}
NOT_RUN = {None, 5, 33, 34}


def equivalents() -> set[str]:
    """Mutant names docs/mutation.md lists as equivalent (each on a line starting `- ` then the name in backticks)."""
    doc = ROOT / "docs" / "mutation.md"
    if not doc.exists():
        return set()
    return set(re.findall(r"^- `([^`]+)`", doc.read_text(encoding="utf-8"), re.MULTILINE))


def results() -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in (ROOT / "mutants").rglob("*.py.meta"):
        codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return codes


def table(modules: list[Module]) -> bool:
    codes = results()
    equivalent = equivalents()
    header = (
        f"{'module':<40} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} {'timeout':>7} {'score':>6}  met"
    )
    print(header)
    print("-" * len(header))
    all_met = True
    for module in modules:
        names = [n for n in codes if any(fnmatch(n, pattern) for pattern in module.mutants)]
        killed = sum(codes[n] in KILLED for n in names)
        timeout = sum(codes[n] in TIMEOUT for n in names)
        survivors = [n for n in names if codes[n] not in KILLED | TIMEOUT | NOT_RUN]
        equiv = sum(n in equivalent for n in survivors)
        survived = len(survivors) - equiv
        not_run = sum(codes[n] in NOT_RUN for n in names)
        # Timeouts count as killed (the mutant made the tests hang), as mutmut counts them.
        judged = killed + timeout + survived
        score = 100.0 * (killed + timeout) / judged if judged else 0.0
        met = judged > 0 and score >= TARGET and not not_run
        all_met = all_met and met
        note = f" ({not_run} not run)" if not_run else ""
        print(
            f"{module.title:<40} {len(names):>7} {killed:>6} {survived:>8} {equiv:>6} {timeout:>7} {score:>5.1f}%  "
            f"{'yes' if met else 'NO'}{note}"
        )
    print(f"\nscore = (killed + timeout) / (mutants - equivalent); target >= {TARGET:.0f}% in each module")
    live = [n for n in codes if codes[n] in SURVIVED and n not in equivalent]
    live = [n for n in live if any(fnmatch(n, p) for m in modules for p in m.mutants)]
    if live:
        print("\nSurvivors not listed as equivalent in docs/mutation.md:")
        for name in sorted(live):
            print("  ", name)
    return all_met


def main(argv: list[str]) -> int:
    report_only = "--report" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    unknown = set(wanted) - {m.name for m in MODULES}
    if unknown:
        print(f"unknown module(s): {', '.join(sorted(unknown))}; choose from {', '.join(m.name for m in MODULES)}")
        return 2
    modules = [m for m in MODULES if not wanted or m.name in wanted]
    if "--fresh" in argv:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    if not report_only:
        children = os.environ.get("MUTATE_CHILDREN", "1")
        patterns = [p for m in modules for p in m.mutants]
        codes = results()
        if codes:
            # mutmut reruns every mutant it is given by name, so name only those still to decide:
            # not yet run (new, or their function changed since) or not killed last time.
            names = [n for n, code in codes.items() if code not in KILLED and any(fnmatch(n, p) for p in patterns)]
            # Functions not yet mutated at all (a first run of these modules) are matched by pattern.
            patterns = names + [p for p in patterns if not any(fnmatch(n, p) for n in codes)]
        if patterns:
            command = [str(ROOT / ".venv" / "bin" / "mutmut"), "run", "--max-children", children, *patterns]
            # mutmut's own exit status says nothing about the score; the table below does.
            subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
    return 0 if table(modules) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`make bench`: every benchmark in bench/, one after another on PostgreSQL, and one table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench python -m bench [--quick] [--only NAME ...]

Each module runs in a process of its own at the sizes its issue names (--quick: small sizes,
for a smoke run) and prints its own report; every line of the form
`label: R×  (A vs B …; target ≤ T)` becomes a row of the table (figure, measured, baseline
measured in the same run, ratio, target, met?), as do the memory and rows-a-second lines and
`label: 12.3 ms, 9 queries (target < 50)`. bench.pages runs in this process and returns the
rows of its own lines, parsed the same way. A full run exits non-zero when a target is missed
("NO" in the table, and listed after it), when a module fails, or when a module prints no line
the table can read. A module not listed in SIZES runs with its defaults,
so a new benchmark is included the day it is added.
"""

import argparse
import importlib
import os
import pkgutil
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Arguments per module: (full, quick). Full sizes are the issues' own.
SIZES = {
    "gap_report": (
        [],  # 331 organisations × 120 indicators × 24 quarters, a 1,000,000-row import
        ["--organisations", "30", "--indicators", "20", "--quarters", "8", "--import-rows", "20000", "--repeat", "2"],
    ),
    "risk_register": (["--risks", "5000"], ["--risks", "1000", "--repeat", "3"]),
    "library_search": (["--lessons", "50000"], ["--lessons", "5000", "--organisations", "40", "--repeat", "2"]),
    "export_csv": (["--rows", "1000000"], ["--rows", "50000", "--repeat", "1"]),
    "export_xlsx": (["--rows", "100000"], ["--rows", "10000"]),
    # With Redis, as production has it: sessions and access in Redis (see WITH_REDIS).
    "signed_in": (["--seconds", "10"], ["--quick"]),
    "relevance": (["--lessons", "50000"], ["--lessons", "5000", "--repeat", "3"]),
}

# Only these run with Redis: REDIS_URL if set, else BENCH_REDIS_URL. The others measure the
# database and Python alone, with Celery tasks run in process, whatever the shell has set.
WITH_REDIS = {"signed_in"}
BENCH_REDIS_URL = "redis://127.0.0.1:6379/9"

RATIO = re.compile(
    r"^\s*(?P<figure>.+?):\s+(?P<ratio>[\d.]+)×\s+\((?P<measured>[^()]*?)\s+vs\s+(?P<baseline>[^,;()]+)"
    r"(?:.*?target\s*(?P<op>[≤<≥>])\s*(?P<target>[\d.,]+))?"
)
TARGETED = re.compile(
    r"^\s*(?P<figure>.+?):?\s+(?P<value>[\d.,]+)\s*(?P<unit>MB)?.*target\s*(?P<op>[≤<≥>])\s*(?P<target>[\d.,]+)"
)
RATIO_ONLY = re.compile(r"^\s*(?P<figure>.+?):\s+(?P<ratio>[\d.]+)×\s+\((?P<measured>[^():]+?)[:)]")
# `name: 12.3 ms, 9 queries (target < 50)`: a measured figure with what goes with it (bench.pages).
WITH_DETAIL = re.compile(
    r"^\s*(?P<figure>[^:]+):\s+(?P<value>[\d.,]+)\s*(?P<unit>ms|MB)(?P<detail>,[^;()]*?)?\s*"
    r"\(target\s*(?P<op>[≤<≥>])\s*(?P<target>[\d.,]+)"
)
ROWS_A_SECOND = re.compile(r"^\s*(?P<value>[\d,]+) rows a second.*target\s*(?P<op>[≥>])\s*(?P<target>[\d,]+)")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _met(value: float, op: str, target: float) -> bool:
    return {"≤": value <= target, "<": value < target, "≥": value >= target, ">": value > target}[op]


def parse(module: str, output: str) -> list[dict]:
    rows = []
    for line in output.splitlines():
        if match := RATIO.match(line):
            ratio = float(match["ratio"])
            target = f"{match['op']} {match['target']}" if match["target"] else ""
            rows.append({
                "figure": f"{module}: {match['figure'].strip()}", "measured": match["measured"].strip(),
                "baseline": match["baseline"].strip(), "ratio": ratio, "target": target,
                "met": _met(ratio, match["op"], _number(match["target"])) if match["target"] else None,
            })  # fmt: skip
        elif match := RATIO_ONLY.match(line):
            rows.append({
                "figure": f"{module}: {match['figure'].strip()}", "measured": match["measured"].strip(),
                "baseline": "see its 1.00× line", "ratio": float(match["ratio"]), "target": "", "met": None,
            })  # fmt: skip
        elif match := ROWS_A_SECOND.match(line):
            value = _number(match["value"])
            rows.append({
                "figure": f"{module}: rows a second", "measured": f"{value:,.0f}", "baseline": "", "ratio": None,
                "target": f"{match['op']} {match['target']}", "met": _met(value, match["op"], _number(match["target"])),
            })  # fmt: skip
        elif "×" not in line and (match := WITH_DETAIL.match(line)):
            value = _number(match["value"])
            rows.append({
                "figure": f"{module}: {match['figure'].strip()}",
                "measured": f"{match['value']} {match['unit']}{match['detail'] or ''}", "baseline": "", "ratio": None,
                "target": f"{match['op']} {match['target']}", "met": _met(value, match["op"], _number(match["target"])),
            })  # fmt: skip
        elif "×" not in line and (match := TARGETED.match(line)):
            value = _number(match["value"])
            rows.append({
                "figure": f"{module}: {match['figure'].strip()}", "measured": f"{match['value']} {match['unit'] or ''}",
                "baseline": "", "ratio": None, "target": f"{match['op']} {match['target']}",
                "met": _met(value, match["op"], _number(match["target"])),
            })  # fmt: skip
    return rows


def modules() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules([str(HERE)]) if not m.name.startswith("_")]
    return sorted(names, key=lambda n: (n == "pages", n))  # the page benchmark last


def table(rows: list[dict]) -> str:
    header = ("figure", "measured", "baseline (same run)", "ratio", "target", "met?")
    lines = [
        (
            r["figure"],
            r["measured"],
            r["baseline"],
            "" if r["ratio"] is None else f"{r['ratio']:.2f}×",
            r["target"],
            {True: "yes", False: "NO", None: "–"}[r["met"]],
        )
        for r in rows
    ]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines, strict=False)]
    fmt = "  ".join(f"{{:{w}}}" for w in widths)
    out = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*line) for line in lines]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not the issues' figures")
    parser.add_argument("--only", nargs="*", default=None, help="run only these modules")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database (the benchmarks build and drop test_<name>).", file=sys.stderr)
        return 2
    redis_url = os.environ.get("REDIS_URL", "") or os.environ.get("BENCH_REDIS_URL", BENCH_REDIS_URL)
    without_redis = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    rows, failed = [], []
    for name in modules():
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        print(f"\n== bench.{name}{' (quick)' if args.quick else ''}", flush=True)
        if name == "pages":
            # It runs in this process (its gunicorn is given no Redis either).
            os.environ.pop("REDIS_URL", None)
            try:
                found = importlib.import_module("bench.pages").run(quick=args.quick)
                if not found:
                    failed.append("pages (no figures)")
                rows += found
            except Exception as error:  # noqa: BLE001 - the table still prints the other benchmarks
                failed.append(f"pages ({error})")
            continue
        full, quick = SIZES.get(name, ([], []))
        result = subprocess.run(
            [sys.executable, "-m", f"bench.{name}", *(quick if args.quick else full)],
            capture_output=True,
            text=True,
            cwd=HERE.parent,
            env={**without_redis, "REDIS_URL": redis_url} if name in WITH_REDIS else without_redis,
        )
        print(result.stdout, end="")
        if result.returncode:
            print(result.stderr[-2000:], file=sys.stderr)
            failed.append(name)
        found = parse(name, result.stdout)
        if not result.returncode and not found:
            failed.append(f"{name} (printed no figure the table can read)")
        rows += found
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"\nLantern benchmarks{' (quick sizes: not the targets)' if args.quick else ''}\n")
    print(table(rows))
    missed = [row["figure"] for row in rows if row["met"] is False]
    if missed:
        sizes = " at quick sizes (not the targets' sizes)" if args.quick else ""
        print(f"\nTargets not met{sizes}: {', '.join(missed)}", file=sys.stderr)
    if failed:
        print(f"\nFailed to run: {', '.join(failed)}", file=sys.stderr)
    # A missed target fails a full run; a --quick run is a smoke run, whose sizes are not the targets'.
    return 1 if failed or (missed and not args.quick) else 0


if __name__ == "__main__":
    sys.exit(main())

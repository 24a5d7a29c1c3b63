"""Shared set-up for the benchmarks: a throwaway database, timing, the result table and the target lines."""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The national tree (38 provinces, 514 kabupaten/kota, 7,285 kecamatan, 83,762 villages): the npm package idn-area-data,
# installed by `make setup` (the same folder as settings.REGION_NPM_DATA_DIR); nothing is read from beside the project.
NATIONAL = Path(os.environ.get("KOPDES_REGION_NPM_DIR", ROOT / "node_modules" / "idn-area-data" / "data"))
# file and parent column per level, in the package's layout
NATIONAL_FILES = (
    ("provinces.csv", None),
    ("regencies.csv", "province_code"),
    ("districts.csv", "regency_code"),
    ("villages.csv", "district_code"),
)


def national_rows(prefix: str = "") -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) of every region of the package within `prefix` ("" = all), read with the csv module:
    the bare baseline the importer is measured against."""
    if not (NATIONAL / "villages.csv").exists():
        sys.exit(f"{NATIONAL} is missing: run `make setup` (npm ci installs idn-area-data).")
    rows = []
    for name, parent in NATIONAL_FILES:
        with open(NATIONAL / name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if not prefix or row["code"] == prefix or row["code"].startswith(prefix + "."):
                    rows.append((row["code"], row["name"], row[parent] if parent else None))
    return rows


def setup(description: str) -> argparse.Namespace:
    """Parse --quick, point Django at a fresh database (SQLite in a temp dir unless BENCH_DATABASE_URL), migrate."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small size, for a smoke run")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    args.tmp = tempfile.mkdtemp(prefix="kopdes-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{args.tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdes.settings")
    os.environ["DJANGO_DEBUG"] = "false"  # production-like, and no unbounded query log
    os.environ["KOPDES_MEDIA_ROOT"] = f"{args.tmp}/media"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    return args


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of `fn` in seconds over `repeat` runs (after one warm-up run)."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def table(rows: list[tuple], headers: tuple[str, ...]) -> None:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def target(name: str, measured: float, op: str, goal: float, unit: str = "", shown: str = "") -> bool:
    """Print the target line; `shown` writes the goal as the issue does ("1/3") instead of the number."""
    ok = measured <= goal if op == "<=" else measured >= goal
    print(f"target {name}: {measured:.2f}{unit} (goal {op} {shown or goal}{unit}) {'PASS' if ok else 'MISS'}")
    return ok

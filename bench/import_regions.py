"""How fast the region importer loads the tree, against a bare executemany of the same rows into the same table.

Full size: the national tree (38 provinces, 514 kabupaten/kota, 7,285 kecamatan, 83,762 villages, 91,599 rows) from
the npm package idn-area-data. --quick: Kalimantan Timur only (prefix 64).

The baseline is the cheapest load of the same rows: the final tuples (id, code, name, level, kind, parent id, zone,
active, edition) built in memory beforehand, written with one executemany into the region table itself (its
indexes, unique code and foreign keys) in one transaction, commit included. The importer does more: it reads and
validates the four CSV files, cleans the names, links parents, diffs against what is stored, records the edition and
the audit entry. Each run starts from an empty table (and, on SQLite, a checkpointed write-ahead log); the rerun
imports the same files over the tree the first load wrote. Medians of RUNS runs, spread min–max. Goals:
first load and rerun each ≤ 2× the baseline, on SQLite and on PostgreSQL (BENCH_DATABASE_URL=postgres://…).
"""

import statistics
import time

from _common import NATIONAL, national_rows, setup, table, target

args = setup(__doc__)

from django.db import connection, transaction  # noqa: E402

from kopdes.regions.importer import import_regions, kind_for  # noqa: E402
from kopdes.regions.models import Region, RegionEdition  # noqa: E402
from kopdes.regions.timezones import default_zone_for_province  # noqa: E402

prefix = "64" if args.quick else ""
RUNS = 7
DB = connection.vendor
REGION = connection.ops.quote_name(Region._meta.db_table)
EDITION = connection.ops.quote_name(RegionEdition._meta.db_table)


def reset() -> None:
    """An empty region tree (and edition list), the write-ahead log checkpointed on SQLite."""
    with transaction.atomic(), connection.cursor() as cursor:
        if DB == "postgresql":
            cursor.execute(f"TRUNCATE {REGION}, {EDITION} RESTART IDENTITY CASCADE")
        else:
            cursor.execute(f"DELETE FROM {REGION}")
            cursor.execute(f"DELETE FROM {EDITION}")
    if DB == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def baseline_rows(edition_id: int) -> list[tuple]:
    """The rows the importer writes, as final tuples with ids given in file order (parents come first)."""
    ids: dict[str, int] = {}
    rows = []
    for number, (code, name, parent) in enumerate(national_rows(prefix), start=1):
        ids[code] = number
        level = code.count(".") + 1
        tz = default_zone_for_province(code) if level == 1 else ""
        kind = str(kind_for(code, level))
        rows.append((number, code, " ".join(name.split()), level, kind, ids.get(parent), tz, True))
    return [(*row, edition_id) for row in rows]


def baseline(rows: list[tuple]) -> float:
    sql = (
        f"INSERT INTO {REGION} (id, code, name, level, kind, parent_id, tz, is_active, edition_id) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return time.perf_counter() - start


read_start = time.perf_counter()
national_rows(prefix)
read_seconds = time.perf_counter() - read_start

base, first, rerun = [], [], []
for _ in range(RUNS):
    reset()
    edition = RegionEdition.objects.create(decree="baseline", source="bench")
    rows = baseline_rows(edition.id)
    base.append(baseline(rows))
    reset()
    start = time.perf_counter()
    loaded = import_regions(directory=NATIONAL, decree="bench", prefix=prefix)
    first.append(time.perf_counter() - start)
    assert loaded.created == len(rows) == Region.objects.count(), "first load wrong"
    start = time.perf_counter()
    again = import_regions(directory=NATIONAL, decree="bench", prefix=prefix)
    rerun.append(time.perf_counter() - start)
    assert (again.created, again.updated, again.deactivated, again.unchanged) == (0, 0, 0, len(rows)), "rerun wrote"


def cell(runs: list[float]) -> tuple[str, str]:
    return f"{statistics.median(runs):.3f}", f"{min(runs):.3f}–{max(runs):.3f}"


base_median = statistics.median(base)
print(f"{DB}, {len(rows):,} rows, median of {RUNS} runs each (csv read alone, once: {read_seconds:.3f} s)")
table(
    [
        ("baseline: bare executemany, same table", len(rows), *cell(base), "1.00"),
        ("import_regions, empty table", len(rows), *cell(first), f"{statistics.median(first) / base_median:.2f}"),
        ("import_regions, rerun", len(rows), *cell(rerun), f"{statistics.median(rerun) / base_median:.2f}"),
    ],
    ("run", "rows", "median s", "spread s", "× baseline"),
)
if args.quick:
    # the importer reads the four national files whole to keep 1,154 rows; the goal is the national load's
    print("--quick: a smoke run; the goals are measured on the national tree (run without --quick)")
    raise SystemExit(0)
target(f"region_import_first_{DB}", statistics.median(first) / base_median, "<=", 2, "×")
target(f"region_import_rerun_{DB}", statistics.median(rerun) / base_median, "<=", 2, "×")

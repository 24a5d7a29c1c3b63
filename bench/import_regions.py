"""How fast the region importer loads the tree, against a bare csv-read + executemany of the same rows.

Full size: the national tree (38 provinces, 514 kabupaten/kota, 7,285 kecamatan, 83,762 villages) from
the npm package idn-area-data. --quick: Kalimantan Timur only (prefix 64).
"""

import sqlite3
import time

from _common import NATIONAL, national_rows, setup, table, target

args = setup(__doc__)

from kopdes.regions.importer import import_regions  # noqa: E402
from kopdes.regions.models import Region  # noqa: E402

prefix = "64" if args.quick else ""


def baseline() -> tuple[float, int]:
    """Read the four CSVs with the csv module and insert every row with one executemany into a bare SQLite table."""
    start = time.perf_counter()
    rows = national_rows(prefix)
    db = sqlite3.connect(f"{args.tmp}/baseline.sqlite3")
    db.execute("CREATE TABLE r (code TEXT PRIMARY KEY, name TEXT, parent TEXT)")
    with db:
        db.executemany("INSERT INTO r VALUES (?, ?, ?)", rows)
    db.close()
    return time.perf_counter() - start, len(rows)


base_seconds, base_rows = baseline()
start = time.perf_counter()
first = import_regions(directory=NATIONAL, decree="bench", prefix=prefix)
first_seconds = time.perf_counter() - start
start = time.perf_counter()
rerun = import_regions(directory=NATIONAL, decree="bench", prefix=prefix)
rerun_seconds = time.perf_counter() - start
count = Region.objects.count()

table(
    [
        ("baseline: csv + executemany", base_rows, f"{base_seconds:.2f}", "1.0"),
        ("import_regions, empty db", first.created, f"{first_seconds:.2f}", f"{first_seconds / base_seconds:.1f}"),
        ("import_regions, rerun", rerun.unchanged, f"{rerun_seconds:.2f}", f"{rerun_seconds / base_seconds:.1f}"),
    ],
    ("run", "rows", "seconds", "× baseline"),
)
assert count == base_rows and rerun.created == rerun.updated == 0, "import result wrong"
target("import_regions_first", first_seconds / base_seconds, "<=", 20.0, "×")
target("import_regions_rerun", rerun_seconds / base_seconds, "<=", 10.0, "×")

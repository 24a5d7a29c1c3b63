"""The all-villages .xlsx export (XlsxWriter, constant memory, rows streamed from the database) against the obvious
alternative, a pandas DataFrame of the same rows written with `to_excel` (openpyxl), measured in the same run.

Full size: the national tree (83,762 villages, one cooperative each, synthetic stages). --quick: Kabupaten Paser.
Time is the best wall time of two exports each, after one untimed read of the rows; peak memory is tracemalloc's peak
of a separate run of each (numpy reports its arrays to tracemalloc), so tracing does not distort the timings.
"""

import gc
import os
import sys
import time
import tracemalloc
from datetime import date

from _common import NATIONAL, setup, table, target

args = setup(__doc__)

import pandas as pd  # noqa: E402

from kopdes.accounts.roles import Role  # noqa: E402
from kopdes.dashboards.exports import VILLAGE_HEADERS, village_export_rows  # noqa: E402
from kopdes.documents.xlsx import write_xlsx  # noqa: E402
from kopdes.formation import counts, services  # noqa: E402
from kopdes.formation.models import Cooperative, Programme  # noqa: E402
from kopdes.regions.importer import import_regions  # noqa: E402
from kopdes.regions.models import Region  # noqa: E402
from kopdes.tests.factories import make_user  # noqa: E402

ZONE = "Asia/Makassar"
started = time.perf_counter()
import_regions(directory=NATIONAL, decree="bench", prefix="64.01" if args.quick else "")
admin = make_user("bench.admin", Role.ADMIN_DINAS, None)
tops = Region.objects.filter(code="64.01") if args.quick else Region.objects.filter(level=1)
for top in tops:
    programme = Programme.objects.create(region=top, name=f"bench {top.code}", start_date=date(2025, 4, 1))
    services.start_programme(actor=admin, programme=programme)
# Synthetic stages: every stage present, spread over the whole table.
for stage in range(1, 12):
    Cooperative.objects.filter(id__gt=0).extra(where=[f"id % 12 = {stage}"]).update(stage=stage)
counts.rebuild()  # stages written behind the services' back: the kept counts follow them
n_villages = Region.objects.villages().count()
print(f"{n_villages} villages, set up in {time.perf_counter() - started:.0f} s", file=sys.stderr)
code = "64.01" if args.quick else None
headers = [str(h) for h in VILLAGE_HEADERS]


def ours(path):
    write_xlsx(path, sheet="Desa", headers=headers, rows=village_export_rows(code), zone=ZONE)


def pandas_to_excel(path):
    frame = pd.DataFrame.from_records(list(village_export_rows(code)), columns=headers)
    last_update = headers[-1]
    # openpyxl cannot store aware datetimes: shown in the local zone, as ours does
    frame[last_update] = pd.to_datetime(frame[last_update], utc=True).dt.tz_convert(ZONE).dt.tz_localize(None)
    frame.to_excel(path, sheet_name="Desa", index=False, engine="openpyxl")


def wall(fn, path) -> float:
    gc.collect()
    start = time.perf_counter()
    fn(path)
    return time.perf_counter() - start


def peak(fn, path) -> int:
    gc.collect()
    tracemalloc.start()
    fn(path)
    _current, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


# Warm-up: read the rows once, so neither contender pays for a cold database cache; then the best of two runs each.
sum(1 for _row in village_export_rows(code))
results = {}
for name, fn in (
    ("XlsxWriter constant_memory (ours)", ours),
    ("pandas.DataFrame.to_excel (openpyxl)", pandas_to_excel),
):
    path = f"{args.tmp}/{'ours' if fn is ours else 'pandas'}.xlsx"
    if args.quick:
        fn(path)  # warm-up: imports and caches
    seconds = min(wall(fn, path) for _run in range(2))
    results[name] = (seconds, peak(fn, path), os.path.getsize(path))

rows = [(name, f"{s:.2f}", f"{m / 2**20:.1f}", f"{size / 2**20:.1f}") for name, (s, m, size) in results.items()]
table(rows, ("export of all villages", "seconds", "peak MiB (tracemalloc)", "file MiB"))
(ours_s, ours_m, _), (pandas_s, pandas_m, _) = results.values()
print(f"time ratio ours/pandas: {ours_s / pandas_s:.2f}; memory ratio ours/pandas: {ours_m / pandas_m:.3f}")
target("export_time_ratio", ours_s / pandas_s, "<=", 0.5, "×")
target("export_memory_ratio", ours_m / pandas_m, "<=", 0.33, "×")

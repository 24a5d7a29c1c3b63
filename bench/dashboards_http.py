"""Dashboards over HTTP: gunicorn (2 workers) serving the app on a loopback port, loaded from a second process.

In one run: the national region import against its baseline (the same CSVs read the same way, then a bare executemany
in one transaction), then, with the national tree loaded (83,762 villages from the npm package idn-area-data), one
programme per province, a cooperative in every village and a realistic history (verified moves April–July 2025), the
bare view (the ceiling) against the national, a province (64) and the Paser (64.01) dashboards.
--quick: Kalimantan Timur only. BENCH_DATABASE_URL=postgres://… to run on PostgreSQL (the database is emptied).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import NATIONAL, ROOT, national_rows, setup, table, target

args = setup(__doc__)

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from kopdes.accounts.roles import Role  # noqa: E402
from kopdes.formation import counts, services  # noqa: E402
from kopdes.formation.models import Cooperative, Programme, ProgrammeTarget, StageMove  # noqa: E402
from kopdes.formation.workflow import MoveKind  # noqa: E402
from kopdes.regions.importer import import_regions  # noqa: E402
from kopdes.regions.models import Level, Region  # noqa: E402
from kopdes.tests.factories import make_user  # noqa: E402

PREFIX = "64" if args.quick else ""
REQUESTS, SECONDS, CONNECTIONS = (300, 15.0, 8)


def baseline_import() -> tuple[float, int]:
    """The same four CSVs read with csv.DictReader, then one executemany in one transaction into a bare table."""
    start = time.perf_counter()
    rows = national_rows(PREFIX)
    if connection.vendor == "sqlite":
        db = sqlite3.connect(f"{args.tmp}/baseline.sqlite3")
        db.execute("CREATE TABLE r (code TEXT PRIMARY KEY, name TEXT, parent TEXT)")
        with db:
            db.executemany("INSERT INTO r VALUES (?, ?, ?)", rows)
        db.close()
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE bench_r (code TEXT PRIMARY KEY, name TEXT, parent TEXT)")
            cursor.executemany("INSERT INTO bench_r VALUES (%s, %s, %s)", rows)
            cursor.execute("DROP TABLE bench_r")
    return time.perf_counter() - start, len(rows)


def stage_of(cooperative_id: int) -> int:
    """A plausible mid-programme spread: most formed (8), some beyond, the rest on the way."""
    r = (cooperative_id * 7919) % 100
    return 8 if r < 55 else 9 if r < 62 else 10 if r < 66 else 11 if r < 68 else 1 + r % 7


def load_history(admin) -> int:
    tops = Region.objects.filter(level=Level.PROVINSI)
    if PREFIX:
        tops = tops.filter(code=PREFIX)
    for top in tops:
        programme = Programme.objects.create(region=top, name=f"bench {top.code}", start_date=date(2025, 4, 1))
        ProgrammeTarget.objects.create(
            programme=programme, count=80, deadline=date(2025, 6, 30), effective_from=date(2025, 4, 1)
        )
        services.start_programme(actor=admin, programme=programme, at=datetime(2025, 4, 1, 1, tzinfo=UTC))
    ids = list(Cooperative.objects.values_list("id", flat=True))
    start = datetime(2025, 4, 14, 2, tzinfo=UTC)
    moves, written = [], 0
    by_stage: dict[int, list[int]] = {}
    for cid in ids:
        stage = stage_of(cid)
        by_stage.setdefault(stage, []).append(cid)
        day0 = (cid * 31) % 40  # the village's own pace: first verified move 0–40 days after 14 April
        for number in range(1, stage + 1):
            at = start + timedelta(days=day0 + number * (3 + cid % 4), hours=cid % 8)
            moves.append(
                StageMove(
                    cooperative_id=cid,
                    kind=MoveKind.VERIFIED,
                    from_stage=number - 1,
                    to_stage=number,
                    at=at,
                    source="bench",
                )
            )
        if len(moves) >= 20000:
            StageMove.objects.bulk_create(moves, batch_size=5000)
            written += len(moves)
            moves = []
    StageMove.objects.bulk_create(moves, batch_size=5000)
    written += len(moves)
    for stage, members in by_stage.items():
        for i in range(0, len(members), 900):
            Cooperative.objects.filter(id__in=members[i : i + 900]).update(stage=stage)
    counts.rebuild()  # moves bulk-created behind the services' back: the kept counts follow them
    return written


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, path: str, cookie: str) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("_load.py")),
            "127.0.0.1",
            str(port),
            path,
            cookie,
            str(REQUESTS),
            str(SECONDS),
            str(CONNECTIONS),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    lat = result["latencies"]
    return {
        "n": len(lat),
        "errors": result["errors"],
        "median": statistics.median(lat) if lat else float("nan"),
        "rps": len(lat) / result["seconds"] if result["seconds"] else 0.0,
    }


# 1. the national import against its baseline
base_seconds, base_rows = baseline_import()
began = time.perf_counter()
imported = import_regions(directory=NATIONAL, decree="bench", prefix=PREFIX)
import_seconds = time.perf_counter() - began
assert imported.created == base_rows, (imported.created, base_rows)

# 2. history, a national user and a session
admin = make_user("bench.nasional", Role.PIMPINAN, None)
began = time.perf_counter()
n_moves = load_history(admin)
n_villages = Region.objects.villages().count()
print(
    f"{n_villages} villages, {Cooperative.objects.count()} cooperatives, {n_moves} moves "
    f"({time.perf_counter() - began:.0f} s to load)",
    file=sys.stderr,
)
client = Client()
client.force_login(admin)
cookie = f"sessionid={client.cookies['sessionid'].value}"

pages = [("bare Django view", "/bare/")]
pages += [("dashboard nation", "/dasbor-nasional/")] if not PREFIX else []
pages += [("dashboard province 64", "/dasbor/64/"), ("dashboard Paser 64.01", "/dasbor/64.01/")]

# cold: the first request after a stage transition computes the figures (one request each, after a cache clear)
cold = {}
for _name, path in pages[1:]:
    cache.clear()
    began = time.perf_counter()
    response = client.get(path)
    cold[path] = (time.perf_counter() - began) * 1000
    assert response.status_code == 200, (path, response.status_code)

port = free_port()
env = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench_http_site",
    "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
}
server = subprocess.Popen(
    [
        str(Path(sys.executable).with_name("gunicorn")),
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "kopdes.wsgi:application",
    ],
    cwd=ROOT,
    env=env,
)
try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    results = {}
    for _name, path in pages:
        load(port, path, cookie)  # warm-up round (each worker fills its caches; the dashboards' figures are cached)
        results[path] = load(port, path, cookie)
finally:
    server.terminate()
    server.wait(timeout=10)

bare = results["/bare/"]
rows = [("national import: baseline csv + executemany", base_rows, f"{base_seconds:.2f} s", "", "", "1.0", "")]
rows.append(
    (
        "national import: import_regions",
        imported.created,
        f"{import_seconds:.2f} s",
        "",
        "",
        f"{import_seconds / base_seconds:.2f}",
        "",
    )
)
for name, path in pages:
    r = results[path]
    rows.append(
        (
            name,
            r["n"],
            f"{r['median']:.1f} ms",
            f"{r['rps']:.0f}/s",
            f"{cold[path]:.0f} ms" if path in cold else "-",
            f"{r['median'] / bare['median']:.2f}",
            f"{r['rps'] / bare['rps']:.2f}",
        )
    )
print(
    f"database: {connection.vendor}; gunicorn 2 workers; {CONNECTIONS} connections; "
    f"≤ {REQUESTS} requests / {SECONDS:.0f} s per page"
)
table(
    rows,
    ("run", "rows/requests", "median", "throughput", "cold (1st after change)", "× bare (time)", "× bare (throughput)"),
)
for name, path in pages[1:]:
    r = results[path]
    key = name.split()[1]
    target(f"dashboard_{key}_median", r["median"] / bare["median"], "<=", 3.0, "×")
    target(f"dashboard_{key}_throughput", r["rps"] / bare["rps"], ">=", 1 / 3, "×")
    assert r["errors"] == 0, f"{path}: {r['errors']} errors"
target("national_import", import_seconds / base_seconds, "<=", 2.0, "×")

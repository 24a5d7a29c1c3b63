"""The formation dashboards against a bare Django view, in-process through the test client (the full response,
template included, through the same middleware and session), on the national tree with a full history.

Data (bench/_national.py): the national tree from the npm package idn-area-data (83,762 villages), a cooperative in
each, about 580,470 verified moves April–July 2025 written through a bulk path and counted with
formation.counts.rebuild(), and pending submissions for the mover. The tree grows in one database: 1,000 villages,
10,000, then all of them; the cold time of each dashboard is taken at each size ("cost grows with the children shown,
not the villages below"). Scopes: the nation and the largest province, kabupaten/kota and kecamatan by villages.

Timing: rounds of [bare view; cache cleared, the dashboard (cold); the dashboard again (warm)] for each dashboard, at
least RUNS rounds: medians with the spread (min–max); the bare view is timed before each dashboard in the same rounds
and the ratios are to its median over all of them.
Then the same while another process (bench/_mover.py, its own connection) verifies 10 stage moves a second through
formation.services.verify_submission at random villages (each move makes the dashboards above it cold: the nation's
every time). Goals (each dashboard, both states of the database): cold ≤ 10× the bare view, warm ≤ 4×.
SQLite in a temporary directory, or BENCH_DATABASE_URL=postgres://… (that database is emptied).
--quick: Kalimantan Timur only (1,038 villages, sizes 100 / 300 / all), fewer rounds; prints no target lines.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import setup, table, target

args = setup(__doc__)

from _national import NationalSet, largest  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from kopdes.accounts.roles import Role  # noqa: E402
from kopdes.tests.factories import make_user  # noqa: E402

DB = connection.vendor
PREFIX = "64" if args.quick else ""
RUNS = 3 if args.quick else 9
SIZES = (100, 300, 10**9) if args.quick else (1_000, 10_000, 10**9)
MOVES_PER_SECOND = 10.0
PENDING = 600 if args.quick else 4000


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), path("", include("kopdes.urls"))]

scopes = [] if PREFIX else [("nation", "/dasbor-nasional/")]
province = PREFIX or largest(2)
regency = largest(5, province)
kecamatan = largest(8, regency)
scopes += [
    (f"province {province}", f"/dasbor/{province}/"),
    (f"kabupaten {regency}", f"/dasbor/{regency}/"),
    (f"kecamatan {kecamatan}", f"/dasbor/{kecamatan}/"),
]


def timed_get(client: Client, url: str) -> float:
    began = time.perf_counter()
    response = client.get(url)
    seconds = time.perf_counter() - began
    assert response.status_code == 200, (url, response.status_code)
    return seconds * 1000


def rounds(client: Client, runs: int) -> dict:
    """{scope: {"bare": [...], "cold": [...], "warm": [...]}} in ms."""
    out: dict = {name: {"bare": [], "cold": [], "warm": []} for name, _ in scopes}
    for _name, url in scopes:  # one warm-up of every page (templates, imports) before the timed rounds
        timed_get(client, url)
    for _ in range(runs):
        for name, url in scopes:
            out[name]["bare"].append(timed_get(client, "/bare/"))
            cache.clear()
            out[name]["cold"].append(timed_get(client, url))
            out[name]["warm"].append(timed_get(client, url))
    return out


def cell(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def bare_median(state: str) -> float:
    """The bare view's median over every round of a state (4 samples a round): on a shared machine one dashboard's
    few bare samples can all fall in a burst of load; the pooled median is the steadier baseline."""
    return statistics.median([v for m in results[state].values() for v in m["bare"]])


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


data = NationalSet(PREFIX)
viewer = None
scale_rows = []
results: dict[str, dict] = {}
setup_seconds = 0.0
with override_settings(ROOT_URLCONF=__name__):
    for size in SIZES:
        grown = data.grow(size)
        setup_seconds += grown["seconds"]
        full = grown["villages"] == data.total
        if full:
            began = time.perf_counter()
            n_pending = data.pending(PENDING)
            setup_seconds += time.perf_counter() - began
        print(
            f"set-up {grown['villages']:,} villages: {grown['cooperatives']:,} cooperatives, "
            f"{grown['verified_moves']:,} verified moves in all, {grown['seconds']:.0f} s "
            f"(counts.rebuild {grown['rebuild_seconds']:.0f} s)"
            + (f", {n_pending} pending submissions" if full else ""),
            file=sys.stderr,
            flush=True,
        )
        if viewer is None:
            viewer = make_user("bench.pimpinan", Role.PIMPINAN, None)
            client = Client()
            client.force_login(viewer)
        measured = rounds(client, RUNS)
        scale_rows.append(
            (
                f"{grown['villages']:,}",
                f"{grown['verified_moves']:,}",
                *(f"{statistics.median(measured[name]['cold']):.1f}" for name, _ in scopes),
                f"{statistics.median([v for m in measured.values() for v in m['bare']]):.2f}",
            )
        )
        if full:
            results["idle"] = measured
    print(f"load average before the moving rounds: {load_average()}", file=sys.stderr, flush=True)
    mover = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_mover.py")), str(MOVES_PER_SECOND)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert mover.stdout is not None
    assert mover.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    results["moving"] = rounds(client, RUNS)
    mover.terminate()
    moved = json.loads(mover.stdout.read().strip().splitlines()[-1])
    mover.wait(timeout=30)

print(
    f"{DB}; {data.size:,} villages, {data.moves:,} verified moves in the history; set-up {setup_seconds:.0f} s; "
    f"median of {RUNS} rounds (spread min–max), ms; load average now {load_average()}"
)
print()
print("Cold time (cache cleared) as the tree grows, ms (median):")
table(scale_rows, ("villages", "verified moves", *(name for name, _ in scopes), "bare view"))
print()
for state, label in (("idle", "no other writer"), ("moving", "while another process verifies moves")):
    print(f"Dashboards, {label}:")
    if state == "moving":
        print(
            f"  mover: {moved['moves']} moves in {moved['seconds']:.1f} s = {moved['rate']:.1f}/s, "
            f"{moved['errors']} errors (asked {MOVES_PER_SECOND:.0f}/s)"
        )
    rows = []
    b = bare_median(state)
    print(f"  bare view: {cell([v for m in results[state].values() for v in m['bare']])} ms over every round")
    for name, _ in scopes:
        m = results[state][name]
        rows.append(
            (
                name,
                cell(m["bare"]),
                cell(m["cold"]),
                cell(m["warm"]),
                f"{statistics.median(m['cold']) / b:.1f}",
                f"{statistics.median(m['warm']) / b:.1f}",
            )
        )
    table(rows, ("dashboard", "bare view ms (its rounds)", "cold ms", "warm ms", "cold × bare", "warm × bare"))
    print()

if args.quick:
    print("--quick: a smoke run on one province; the goals are measured on the national tree (run without --quick)")
    raise SystemExit(0)
if moved["rate"] < 0.9 * MOVES_PER_SECOND:
    print(f"note: the mover reached {moved['rate']:.1f} moves/s, below the {MOVES_PER_SECOND:.0f}/s asked")
for state, suffix in (("idle", ""), ("moving", "_while_moving")):
    b = bare_median(state)
    for name, _ in scopes:
        m = results[state][name]
        key = name.split()[0]
        target(f"dashboard_{key}_cold{suffix}_{DB}", statistics.median(m["cold"]) / b, "<=", 10, "×")
        target(f"dashboard_{key}_warm{suffix}_{DB}", statistics.median(m["warm"]) / b, "<=", 4, "×")

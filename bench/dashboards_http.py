"""The formation dashboards over HTTP: gunicorn (2 workers) serving the app on a loopback port, loaded by `wrk` (the
Debian package, /usr/bin/wrk) with a signed-in session, against a bare Django view served the same way.

Data (bench/_national.py): the national tree from the npm package idn-area-data (83,762 villages), a cooperative in
each, a full history (about 580,470 verified moves) and pending submissions. Pages: the bare view, the national
dashboard and the largest province, kabupaten/kota and kecamatan by villages. Each page gets a warm-up run, then a
WRK_SECONDS run with nobody writing ("idle", for reference) and a run while another process (bench/_mover.py, its own
connection) verifies 10 stage moves a second through formation.services.verify_submission at random villages: the
caches go cold exactly as often as moves at 10 a second make them (the nation's at every move, a region's at every
move below it). The bare view is loaded in the same two states. Goal (the moving state, each dashboard, on SQLite and
PostgreSQL): throughput ≥ 1/3 of the bare view's. The region import's goal is bench/import_regions.py's.
SQLite in a temporary directory, or BENCH_DATABASE_URL=postgres://… (that database is emptied).
--quick: Kalimantan Timur only, shorter runs; prints no target lines.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, setup, table, target

args = setup(__doc__)

from _national import NationalSet, largest  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from kopdes.accounts.roles import Role  # noqa: E402
from kopdes.tests.factories import make_user  # noqa: E402

DB = connection.vendor
PREFIX = "64" if args.quick else ""
WRK_SECONDS = 4 if args.quick else 10
THREADS, CONNECTIONS, WORKERS = 2, 8, 2
MOVES_PER_SECOND = 10.0
WRK = shutil.which("wrk") or "/usr/bin/wrk"

data = NationalSet(PREFIX)
began = time.perf_counter()
grown = data.grow(10**9)
n_pending = data.pending(3000 if not args.quick else 600)
setup_seconds = time.perf_counter() - began
print(
    f"set-up: {grown['villages']:,} villages, {grown['cooperatives']:,} cooperatives, {grown['verified_moves']:,} "
    f"verified moves, {n_pending} pending submissions in {setup_seconds:.0f} s",
    file=sys.stderr,
    flush=True,
)

viewer = make_user("bench.pimpinan", Role.PIMPINAN, None)
client = Client()
client.force_login(viewer)
cookie = f"sessionid={client.cookies['sessionid'].value}"

province = PREFIX or largest(2)
regency = largest(5, province)
kecamatan = largest(8, regency)
pages = [("bare Django view", "/bare/")]
pages += [] if PREFIX else [("nation", "/dasbor-nasional/")]
pages += [
    (f"province {province}", f"/dasbor/{province}/"),
    (f"kabupaten {regency}", f"/dasbor/{regency}/"),
    (f"kecamatan {kecamatan}", f"/dasbor/{kecamatan}/"),
]
for _name, path in pages[1:]:
    assert client.get(path).status_code == 200, path

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, path: str, seconds: float) -> dict:
    out = subprocess.run(
        [
            WRK,
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Requests/sec" not in out or " 0 requests in" in out:
        raise SystemExit(f"wrk {path}: no answer\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50": float(p50.group(1)) * UNITS[p50.group(2)],
        "requests": requests,
        "errors": (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_mover() -> subprocess.Popen:
    mover = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_mover.py")), str(MOVES_PER_SECOND)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert mover.stdout is not None and mover.stdout.readline().strip() == "ready"
    return mover


def stop_mover(mover: subprocess.Popen) -> dict:
    mover.terminate()
    assert mover.stdout is not None
    result = json.loads(mover.stdout.read().strip().splitlines()[-1])
    mover.wait(timeout=30)
    return result


port = free_port()
env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_http_site", "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"}
server = subprocess.Popen(
    [
        str(Path(sys.executable).with_name("gunicorn")),
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "kopdes.wsgi:application",
    ],
    cwd=ROOT,
    env=env,
)
results: dict[str, dict] = {"idle": {}, "moving": {}}
movers = []
try:
    for _ in range(600):  # up to a minute on a loaded machine: the bare view answering 200 through both workers
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bare/", headers={"Cookie": cookie})
            if conn.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        raise SystemExit("gunicorn did not answer")
    for _name, path in pages:
        wrk(port, path, 2)  # warm-up: each worker imports, compiles templates and fills its caches
        results["idle"][path] = wrk(port, path, WRK_SECONDS)
        mover = start_mover()
        time.sleep(0.5)
        results["moving"][path] = wrk(port, path, WRK_SECONDS)
        movers.append(stop_mover(mover))
finally:
    server.terminate()
    server.wait(timeout=10)

load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
moves = sum(m["moves"] for m in movers)
move_seconds = sum(m["seconds"] for m in movers)
print(
    f"{DB}; {grown['villages']:,} villages, {grown['verified_moves']:,} verified moves; set-up {setup_seconds:.0f} s; "
    f"gunicorn {WORKERS} workers; wrk {THREADS} threads, {CONNECTIONS} connections, {WRK_SECONDS} s per run; "
    f"load average {load}"
)
print(f"mover: {moves} moves in {move_seconds:.0f} s = {moves / move_seconds:.1f}/s (asked {MOVES_PER_SECOND:.0f}/s)")
rows = []
for name, path in pages:
    idle, moving = results["idle"][path], results["moving"][path]
    rows.append(
        (
            name,
            f"{idle['rps']:.0f}",
            f"{idle['p50']:.1f}",
            f"{idle['rps'] / results['idle']['/bare/']['rps']:.2f}",
            f"{moving['rps']:.0f}",
            f"{moving['p50']:.1f}",
            f"{moving['rps'] / results['moving']['/bare/']['rps']:.2f}",
            idle["errors"] + moving["errors"],
        )
    )
table(
    rows,
    ("page", "idle req/s", "idle p50 ms", "idle × bare", "moving req/s", "moving p50 ms", "moving × bare", "errors"),
)
if any(r["errors"] for state in results.values() for r in state.values()):
    print("note: some responses were errors (non-2xx/3xx or socket errors): see the errors column")
if args.quick:
    print("--quick: a smoke run on one province; the goals are measured on the national tree (run without --quick)")
    raise SystemExit(0)
bare = results["moving"]["/bare/"]["rps"]
for name, path in pages[1:]:
    key = name.split()[0]
    ratio = results["moving"][path]["rps"] / bare
    target(f"dashboard_{key}_throughput_while_moving_{DB}", ratio, ">=", 1 / 3, "×", "1/3")

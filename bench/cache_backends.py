"""The database cache (the zero-setup default) against Redis (Django's RedisCache on Debian's redis-server, started
here on a loopback port for the run): get and set of a dashboard-sized value, and the dashboard page warm and cold.

Each figure is the median of 9 runs (after one warm-up) with the spread (min–max) printed; the bare Django view is
measured the same way in the same run. The issue names no goal for Redis, so no target line is printed: the table and
the closing "Redis wins / does not win" lines say where it pays. Full size: Kalimantan Timur (province 64);
--quick: Kabupaten Paser (64.01). Without redis-server installed, only the database cache is measured.
"""

import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import date

from _common import NATIONAL, setup, table

args = setup(__doc__)

from django.core.cache import caches  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from kopdes.accounts.roles import Role  # noqa: E402
from kopdes.formation import services  # noqa: E402
from kopdes.formation.models import Cooperative, Programme, ProgrammeTarget  # noqa: E402
from kopdes.regions.importer import import_regions  # noqa: E402
from kopdes.regions.models import Region  # noqa: E402
from kopdes.tests.factories import make_user  # noqa: E402

RUNS = 9
OPS = 200  # cache operations per run
TOP = "64.01" if args.quick else "64"
PAGE = "/dasbor/64.01/"


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), path("", include("kopdes.urls"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis():
    """redis-server on a free loopback port, no persistence; (process, url) or (None, "") when not installed."""
    binary = shutil.which("redis-server") or ("/usr/bin/redis-server" if shutil.which("/usr/bin/redis-server") else "")
    if not binary:
        return None, ""
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.kill()
    return None, ""


def runs(fn, per: int = 1) -> list[float]:
    """Seconds per call of `fn` (which does `per` operations), RUNS times, after one warm-up."""
    fn()
    out = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) / per)
    return out


def cell(values: list[float], unit: float, digits: int = 2) -> tuple[str, str]:
    median = statistics.median(values) * unit
    return f"{median:.{digits}f}", f"{min(values) * unit:.{digits}f}–{max(values) * unit:.{digits}f}"


import_regions(directory=NATIONAL, decree="bench", prefix=TOP)
admin = make_user("bench.admin", Role.ADMIN_DINAS, None)
programme = Programme.objects.create(region=Region.objects.get(code=TOP), name="bench", start_date=date(2025, 4, 1))
ProgrammeTarget.objects.create(
    programme=programme, count=60, deadline=date(2025, 6, 30), effective_from=date(2025, 4, 1)
)
services.start_programme(actor=admin, programme=programme)
for stage in range(1, 9):
    ids = list(Cooperative.objects.order_by("id").values_list("id", flat=True)[: stage * 7])
    Cooperative.objects.filter(id__in=ids).update(stage=stage)
print(f"{Region.objects.villages().count()} villages under {TOP}", file=sys.stderr)

redis_process, redis_url = start_redis()
backends = {"database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "kopdes_cache"}}
if redis_url:
    backends["redis"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
else:
    print("redis-server is not installed (Debian: apt-get install redis-server): the database cache only.")

# A dashboard-sized value: the figures of one dashboard are a few hundred numbers and labels.
value = {"funnel": list(range(9)), "rows": [(f"64.01.{i:02d}", f"Kecamatan {i}", i * 3, i * 2) for i in range(300)]}
rows, medians = [], {}
client = Client()
client.force_login(admin)
try:
    with override_settings(ROOT_URLCONF=__name__):
        bare_runs = runs(lambda: client.get("/bare/"))
        rows.append(("bare Django view", "-", *cell(bare_runs, 1000), "ms/request"))
        for name, config in backends.items():
            with override_settings(CACHES={"default": config}):
                cache = caches["default"]
                cache.clear()
                cache.set("bench:value", value, 600)

                def gets(cache=cache):
                    for _ in range(OPS):
                        assert cache.get("bench:value") is not None

                def sets(cache=cache):
                    for i in range(OPS):
                        cache.set(f"bench:set:{i % 20}", value, 600)

                def warm():
                    assert client.get(PAGE).status_code == 200

                def cold(cache=cache):
                    cache.clear()
                    assert client.get(PAGE).status_code == 200

                for label, fn, per, unit, what in (
                    ("get (dashboard-sized value)", gets, OPS, 1e6, "µs/op"),
                    ("set (dashboard-sized value)", sets, OPS, 1e6, "µs/op"),
                    (f"dashboard {PAGE} warm", warm, 1, 1000, "ms/request"),
                    (f"dashboard {PAGE} cold (cache cleared)", cold, 1, 1000, "ms/request"),
                ):
                    measured = runs(fn, per)
                    medians[(label, name)] = statistics.median(measured)
                    rows.append((label, name, *cell(measured, unit), what))
                cache.clear()
finally:
    if redis_process is not None:
        redis_process.terminate()
        redis_process.wait(timeout=10)

table(rows, ("measure", "cache", "median", "spread (min–max)", "unit"))
if redis_url:
    print()
    for label in dict.fromkeys(label for label, _name in medians):
        db, redis = medians[(label, "database")], medians[(label, "redis")]
        verdict = "Redis wins" if redis < db * 0.9 else ("no clear difference" if redis < db * 1.1 else "database wins")
        print(f"{label}: redis/database = {redis / db:.2f} ({verdict})")

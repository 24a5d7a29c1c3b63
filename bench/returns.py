"""How fast the returns dashboard answers cold (cache cleared before every request), against a bare Django view
measured the same way in the same run.

Full size: the national tree (83,762 villages, one cooperative each running one open unit) and 12 months of returns
for every one of them (about a million returns and as many unit lines), written by the bulk path (bulk_create in
chunks, then `sums.rebuild`, the kept per-region sums recounted with grouped queries); the set-up time is printed.
--quick: Kabupaten Paser only (144 villages), said in the output.
"""

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from _common import NATIONAL, setup, table, target

args = setup(__doc__)

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from kopdes.accounts.roles import Role  # noqa: E402
from kopdes.cooperatives.models import Outlet, OutletStatus  # noqa: E402
from kopdes.formation import services as formation  # noqa: E402
from kopdes.formation.models import BusinessUnit, Cooperative, Programme, ProgrammeTarget  # noqa: E402
from kopdes.periods.models import Timeliness  # noqa: E402
from kopdes.regions.importer import import_regions  # noqa: E402
from kopdes.regions.models import Region  # noqa: E402
from kopdes.returns import services, sums  # noqa: E402
from kopdes.returns.models import MonthlyReturn, ReturnLine, ReturnPeriod  # noqa: E402
from kopdes.tests.factories import make_user  # noqa: E402

RUNS = 9
CHUNK = 5000


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), path("", include("kopdes.urls"))]

began = time.perf_counter()
import_regions(directory=NATIONAL, decree="bench", prefix="64.01" if args.quick else "")
admin = make_user("bench.admin", Role.ADMIN_DINAS, None)
tops = Region.objects.filter(code="64.01") if args.quick else Region.objects.filter(level=1)
for top in tops:
    programme = Programme.objects.create(region=top, name=f"bench {top.code}", start_date=date(2025, 4, 1))
    ProgrammeTarget.objects.create(
        programme=programme, count=60, deadline=date(2025, 6, 30), effective_from=date(2025, 4, 1)
    )
    formation.start_programme(actor=admin, programme=programme)
setup_regions = time.perf_counter() - began

began = time.perf_counter()
unit, _ = BusinessUnit.objects.get_or_create(name="Gerai sembako")
coops = list(Cooperative.objects.values_list("id", "region_code"))
now = timezone.now()
for i in range(0, len(coops), CHUNK):
    Outlet.objects.bulk_create(
        [
            Outlet(cooperative_id=pk, unit=unit, status=OutletStatus.OPEN, updated_at=now)
            for pk, _code in coops[i : i + CHUNK]
        ]
    )
outlet_of = dict(Outlet.objects.values_list("cooperative_id", "id"))
# The calendar starts in January 2026 (services.FIRST_MONTH): the twelve months of 2026 are written; the dashboard
# reads the months ended by the day it runs.
services.ensure_periods(until=date(2026, 12, 31))
periods = list(ReturnPeriod.objects.filter(start__year=2026).order_by("start"))
assert len(periods) == 12, len(periods)
rng = random.Random(19)
written = 0
for period in periods:
    submitted_at = datetime.combine(period.end + timedelta(days=5), datetime.min.time(), tzinfo=UTC)
    for i in range(0, len(coops), CHUNK):
        batch = coops[i : i + CHUNK]
        with transaction.atomic():
            rows = [
                MonthlyReturn(
                    period=period,
                    cooperative_id=pk,
                    region_code=code,
                    revenue_total=rng.randrange(0, 40_000_000, 1000),
                    members_joined=rng.randrange(0, 8),
                    members_left=rng.randrange(0, 2),
                    simpanan_wajib=rng.randrange(0, 2_000_000, 10_000),
                    submitted_by=admin,
                    submitted_at=submitted_at,
                    submitted_on=submitted_at.date(),
                    timeliness=Timeliness.ON_TIME if rng.random() < 0.8 else Timeliness.LATE,
                )
                for pk, code in batch
                if rng.random() < 0.9  # a tenth send nothing that month
            ]
            created = MonthlyReturn.objects.bulk_create(rows)
            ReturnLine.objects.bulk_create(
                [
                    ReturnLine(monthly_return=r, outlet_id=outlet_of[r.cooperative_id], revenue=r.revenue_total)
                    for r in created
                ]
            )
            written += len(created)
kept_rows = sums.rebuild()
setup_returns = time.perf_counter() - began
size = "QUICK: Kabupaten Paser only" if args.quick else "full: the national tree"
print(
    f"{size}: {Region.objects.villages().count()} villages, {len(coops)} cooperatives, {written} returns "
    f"({len(periods)} months), {kept_rows} kept sums; set-up {setup_regions:.0f} s regions and cooperatives, "
    f"{setup_returns:.0f} s returns (bulk path)",
    file=sys.stderr,
)

kecamatan = Region.objects.filter(level=3, code__startswith="64.01.").order_by("code").first().code
client = Client()
client.force_login(admin if args.quick else make_user("bench.nation", Role.ADMIN_DINAS, None))


def cold(url):
    def run():
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def measure(fn):
    fn()  # warm-up (code paths, not the cache: every run clears it)
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), min(runs), max(runs)


pages = {"national": "/laporan-usaha/dasbor/", "kecamatan": f"/laporan-usaha/dasbor/{kecamatan}/"}
rows, ratios = [], {}
with override_settings(ROOT_URLCONF=__name__):
    base, low, high = measure(cold("/bare/"))
    rows.append(("bare Django view (cold)", "-", f"{base * 1000:.2f}", f"{low * 1000:.2f}–{high * 1000:.2f}", "1.0"))
    for name, url in pages.items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
            n_queries = len(queries)  # now: the next request's request_started signal resets the query log
        median, low, high = measure(cold(url))
        ratios[name] = median / base
        rows.append(
            (
                f"{name} completeness and revenue {url}",
                n_queries,
                f"{median * 1000:.2f}",
                f"{low * 1000:.2f}–{high * 1000:.2f}",
                f"{median / base:.1f}",
            )
        )

print(f"median of {RUNS} runs each, cache cleared before every request; {size}")
table(rows, ("page", "queries", "ms (median)", "spread (min–max)", "× bare view"))
for name, ratio in ratios.items():
    target(f"returns_{name}", ratio, "<=", 10, "×")

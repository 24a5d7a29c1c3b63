"""How fast the formation dashboard answers, against a bare Django view through the same client and middleware.

Full size: the national tree (83,762 villages, one cooperative each) with dashboards for the regency (64.01), its
province (64) and the nation. --quick: Kabupaten Paser only (144 villages).
"""

import sys
from datetime import date

from _common import NATIONAL, setup, table, target, timed

args = setup(__doc__)

from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from kopdes.accounts.roles import Role  # noqa: E402
from kopdes.formation import counts, services  # noqa: E402
from kopdes.formation.models import Cooperative, Programme, ProgrammeTarget  # noqa: E402
from kopdes.regions.importer import import_regions  # noqa: E402
from kopdes.regions.models import Region  # noqa: E402
from kopdes.tests.factories import make_user  # noqa: E402


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), path("", include("kopdes.urls"))]

import_regions(directory=NATIONAL, decree="bench", prefix="64.01" if args.quick else "")
admin = make_user("bench.admin", Role.ADMIN_DINAS, None)
# One programme per province (full size) or Paser's (quick): every village gets its cooperative record.
tops = Region.objects.filter(code="64.01") if args.quick else Region.objects.filter(level=1)
for top in tops:
    programme = Programme.objects.create(region=top, name=f"bench {top.code}", start_date=date(2025, 4, 1))
    ProgrammeTarget.objects.create(
        programme=programme, count=60, deadline=date(2025, 6, 30), effective_from=date(2025, 4, 1)
    )
    services.start_programme(actor=admin, programme=programme)
# Spread the stages so the grouped counts have real work to do.
for stage in range(1, 9):
    first_ids = Cooperative.objects.order_by("id").values_list("id", flat=True)[: stage * 7]
    Cooperative.objects.filter(id__in=list(first_ids)).update(stage=stage)
counts.rebuild()  # stages written behind the services' back: the kept counts follow them
print(f"{Region.objects.villages().count()} villages, {Cooperative.objects.count()} cooperatives", file=sys.stderr)

client = Client()
client.force_login(admin)
codes = ["64.01.01", "64.01"] + ([] if args.quick else ["64"])
rows, worst = [], 0.0
with override_settings(ROOT_URLCONF=__name__):
    base = timed(lambda: client.get("/bare/"), repeat=20)
    rows.append(("bare Django view", "-", f"{base * 1000:.1f}", "1.0"))
    for code in codes:
        url = f"/dasbor/{code}/"
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, follow=True)
        n_queries = len(queries)  # now: the next request's request_started signal resets the query log
        seconds = timed(lambda url=url: client.get(url, follow=True), repeat=5)
        rows.append((f"dashboard {code}", n_queries, f"{seconds * 1000:.1f}", f"{seconds / base:.1f}"))
        if code == "64.01":
            regency = seconds / base
        worst = max(worst, seconds / base)

table(rows, ("page", "queries", "ms (median)", "× bare view"))
target("dashboard_regency", regency, "<=", 60.0, "×")
if not args.quick:
    target("dashboard_worst_scope", worst, "<=", 400.0, "×")

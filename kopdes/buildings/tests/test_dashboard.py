"""The building dashboard over HTTP: scope answers, the funnel and band counts, villages stuck for N days counted in
the village's own calendar, the exports' content and a query count that does not grow with the villages."""

from __future__ import annotations

import io
import os
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kopdes.buildings import selectors, services
from kopdes.buildings.tests.test_track import cases, land, pdf, photo, submit  # noqa: F401  (a fixture)
from kopdes.buildings.workflow import CONSTRUCTION, FIRST_SALE, HANDOVER, LAND_SURVEYED
from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.formation.models import Cooperative
from kopdes.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def advance(admin, board, cooperative, *, band=None, sale=False, at=None):
    """Land (a certificate of its own) and survey verified; then the bands up to `band`; with `sale`, the handover
    and the first sale too; each verified at `at` (now when None)."""
    services.verify(actor=admin, submission=land(admin, cooperative, certificate=f"SHM {cooperative.pk}/2025"), at=at)
    services.verify(
        actor=admin, submission=submit(admin, cooperative, LAND_SURVEYED, data={"surveyed_by": "Agrinas"}), at=at
    )
    bands = [b for b in (20, 50, 75, 99, 100) if b <= (100 if sale else band or 0)]
    for b in bands:
        submission = submit(board, cooperative, CONSTRUCTION, band=b, files=[photo()])
        services.verify(actor=admin, submission=submission, at=at)
    if sale:
        data = {"handover_number": "BA-01/2026", "asset_register": "village", "asset_number": "KIB-C 7"}
        data["asset_on"] = date(2026, 3, 25)
        handover = submit(board, cooperative, HANDOVER, evidence_date=date(2026, 3, 20), data=data, files=[pdf()])
        services.verify(actor=admin, submission=handover, at=at)
        first = submit(board, cooperative, FIRST_SALE, evidence_date=date(2026, 4, 2), data={"first_sale_what": "LPG"})
        services.verify(actor=admin, submission=first, at=at)


@pytest.fixture
def picture(admin_dinas, cases):  # noqa: F811
    """Janju trading; Sungai Terik built to 75%, its band verified 40 days ago."""
    from kopdes.accounts.roles import Role
    from kopdes.tests.factories import make_user

    board_janju = make_user("pengurus.janju", Role.PENGURUS, JANJU)
    board_terik = make_user("pengurus.terik", Role.PENGURUS, SUNGAI_TERIK)
    advance(admin_dinas, board_janju, cases[JANJU], sale=True)
    advance(admin_dinas, board_terik, cases[SUNGAI_TERIK], band=75, at=timezone.now() - timedelta(days=40))
    return cases


def board_of(client, user, code=PASER, query=""):
    client.force_login(user)
    response = client.get(reverse("buildings:dashboard", args=[code]) + query)
    assert response.status_code == 200
    return response.context["board"]


def test_the_funnel_and_the_bands(client, admin_dinas, picture):
    board = board_of(client, admin_dinas)
    villages = Region.objects.get(code=PASER).children.count()
    assert villages
    total = board.total
    assert (total.land, total.built, total.handed_over, total.trading) == (2, 1, 1, 1)
    assert total.villages == Cooperative.objects.filter(is_active=True).count()
    bands = {row["band"]: row["count"] for row in board.bands}
    assert bands[100] == 1 and bands[75] == 1 and bands[20] == 0
    assert bands[None] == total.villages - 2
    steps = {row["step"]: row["count"] for row in board.steps}
    assert steps[FIRST_SALE] == 1 and steps[CONSTRUCTION] == 1
    children = {row.region.code: row for row in board.children}
    assert (children[TANAH_GROGOT].trading, children[TANAH_GROGOT].land) == (1, 1)
    assert (children[BATU_SOPANG].built, children[BATU_SOPANG].land) == (0, 1)
    # the page shows them
    client.force_login(admin_dinas)
    html = client.get(reverse("buildings:dashboard", args=[PASER])).content.decode()
    assert 'data-testid="funnel-trading">1<' in html.replace(" ", "")
    assert "data-sortable" in html and "data-filter" in html


def test_stuck_for_n_days_in_the_village_calendar(client, admin_dinas, picture):
    # Sungai Terik's band was verified 40 days ago; Janju moved today
    assert board_of(client, admin_dinas).stuck_count == 1  # 30 by default
    board = board_of(client, admin_dinas, query="?hari=40")
    assert [row["code"] for row in board.stuck] == [SUNGAI_TERIK]
    assert board.stuck[0]["days"] == 40
    assert board_of(client, admin_dinas, query="?hari=41").stuck_count == 0
    children = {row.region.code: row.stuck for row in board.children}
    assert children[BATU_SOPANG] == 1 and children[TANAH_GROGOT] == 0
    # a value that is no number of days: the default, and a message
    client.force_login(admin_dinas)
    response = client.get(reverse("buildings:dashboard", args=[PASER]) + "?hari=abc")
    assert response.context["days"] == selectors.STUCK_DAYS
    assert 'data-testid="days-error"' in response.content.decode()


def test_scope_answers_404_outside(client, camat_batu_sopang, picture):
    client.force_login(camat_batu_sopang)
    for name in ("dashboard", "dashboard_map", "dashboard_xlsx", "dashboard_pdf"):
        assert client.get(reverse(f"buildings:{name}", args=[TANAH_GROGOT])).status_code == 404, name
        assert client.get(reverse(f"buildings:{name}", args=[PASER])).status_code == 404, name
    board = board_of(client, camat_batu_sopang, BATU_SOPANG)
    assert board.total.land == 1 and board.total.trading == 0
    assert [row["code"] for row in board.village_rows if row["step"]] == [SUNGAI_TERIK]
    # the home goes straight to the one region in scope
    response = client.get(reverse("buildings:dashboard_home"))
    assert response.status_code == 302 and response.url == reverse("buildings:dashboard", args=[BATU_SOPANG])


def test_a_national_user_sees_the_nation(client, picture):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)
    response = client.get(reverse("buildings:dashboard_home"))
    assert response.status_code == 200
    board = response.context["board"]
    assert board.region is None and board.total.trading == 1 and board.village_rows is None


def test_queries_do_not_grow_with_the_villages(client, admin_dinas, picture):
    region = Region.objects.get(code=PASER)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            board = selectors.board(region, with_villages=True)
            selectors.map_layers(region, board.children)
        return len(queries)

    before = count()
    from kopdes.accounts.roles import Role
    from kopdes.tests.factories import make_user

    others = Cooperative.objects.exclude(region_code__in=[JANJU, SUNGAI_TERIK]).order_by("region_code")[:3]
    for cooperative in others:
        user = make_user(f"pengurus.{cooperative.pk}", Role.PENGURUS, cooperative.region_code)
        advance(admin_dinas, user, cooperative, band=50)
    assert count() == before

    def page() -> int:
        cache.clear()
        client.force_login(admin_dinas)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("buildings:dashboard", args=[PASER])).status_code == 200
        return len(queries)

    page()  # the first request of a session reads more (session, user)
    first = page()
    user = make_user("pengurus.more", Role.PENGURUS, JANJU)
    assert user
    more = Cooperative.objects.exclude(region_code__in=[JANJU, SUNGAI_TERIK]).order_by("-region_code")[:2]
    for cooperative in more:
        advance(
            admin_dinas, make_user(f"p.{cooperative.pk}", Role.PENGURUS, cooperative.region_code), cooperative, band=20
        )
    assert page() == first


def test_the_xlsx_has_one_row_per_village(client, admin_dinas, picture):
    client.force_login(admin_dinas)
    response = client.get(reverse("buildings:dashboard_xlsx", args=[TANAH_GROGOT]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    body = [r for r in rows[3:] if r[0] is not None]
    villages = Cooperative.objects.filter(region_code__startswith=TANAH_GROGOT + ".", is_active=True).count()
    assert len(body) == villages
    janju = next(r for r in body if r[1] == JANJU)
    cell = dict(zip(header, janju, strict=False))
    assert cell["Langkah"].startswith("7.") and cell["Progres pembangunan"] == "100%"
    assert cell["Diserahterimakan pada"].date().isoformat() == "2026-03-20"


def test_the_pdf_is_on_the_letterhead_signed_by_the_head(client, admin_dinas, picture):
    client.force_login(admin_dinas)
    response = client.get(reverse("buildings:dashboard_pdf", args=[BATU_SOPANG]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "GERAI DAN PERGUDANGAN" in text.upper()
    assert "Kepala Dinas" in text
    if path := os.environ.get("KOPDES_KEEP_PDF"):  # to look at it: pdftoppm -png
        Path(path).write_bytes(response.content)
    joined = "".join(text.split())  # cells wrap
    assert SUNGAI_TERIK in joined and "51–75%" in joined

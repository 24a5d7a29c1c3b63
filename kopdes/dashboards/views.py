"""Dashboards: the national dashboard, CSV downloads, the map, and the public transparency page (no login)."""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import NATION, breadcrumb, get_region_for_user, has_capability, scope_codes, scope_roots
from kopdes.clock import local_today
from kopdes.clock.per import ARTICLE_DAY
from kopdes.core.text import SafeCsvWriter
from kopdes.dashboards import maps, public
from kopdes.dashboards.board import untrained_board as untrained_board_groups
from kopdes.dashboards.exports import VILLAGE_HEADERS, village_export_rows, whatsapp_link
from kopdes.dashboards.selectors import KIND_CHOICES, Filters, cached_overview, overview
from kopdes.documents.selectors import letterhead_for
from kopdes.documents.xlsx import xlsx_response
from kopdes.formation import workflow
from kopdes.formation.selectors import programme_for
from kopdes.regions.models import Level, Region

if TYPE_CHECKING:
    from kopdes.accounts.models import User

CSV_TABLES = ("tren", "tahap", "wilayah", "macet")


def _national_only(user: User) -> None:
    if scope_codes(user) != [NATION]:
        raise Http404


def dashboard_context(request: AuthenticatedRequest, region: Region | None) -> dict:
    """The dashboard page's context. The figures are computed lazily: the template caches its whole body as one
    fragment under `fragment_key` (the region's version, the region, the filters, the date, the language and what the
    user may see), so a page served from that fragment runs no dashboard query at all."""
    today = local_today(region.code if region is not None else "64")
    filters = Filters.from_query(request.GET, today)
    o = SimpleLazyObject(lambda: cached_overview(region, filters))
    scope = scope_codes(request.user)
    parts = [
        region.code if region is not None else "*",
        filters.query(),  # holds the past date shown (`per`)
        str(public.region_version(region.code if region is not None else "")),
        today.isoformat(),  # as `overview` dates
        str(settings.KOPDES_STALLED_DAYS),
        get_language() or "",
        "people" if has_capability(request.user, Cap.VIEW_PERSONAL) else "",
        hashlib.sha1(",".join(scope).encode()).hexdigest()[:12],  # the breadcrumb's open links depend on the scope
    ]
    return {
        "o": o,
        "d": SimpleLazyObject(lambda: o.d),
        "filters": filters,
        "today": today,
        "article_day": ARTICLE_DAY if ARTICLE_DAY < today else None,
        "letterhead": SimpleLazyObject(lambda: letterhead_for(region.code if region is not None else "")),
        "fragment_key": ":".join(parts),
        "region": region,
        "breadcrumb": SimpleLazyObject(lambda: breadcrumb(request.user, region)) if region is not None else [],
        "pathways": workflow.Pathway.choices,
        "kinds": KIND_CHOICES,
        "reconstruction": SimpleLazyObject(lambda: public.is_reconstruction(o.d.programme)),
        "map_available": region is not None and region.level <= Level.KECAMATAN,
        "national_scope": scope == [NATION],
        "csv_base": (
            reverse("dashboards:csv", args=[region.code, "tren"])
            if region is not None
            else reverse("dashboards:national_csv", args=["tren"])
        ).removesuffix("tren.csv"),
    }


@login_required
def home(request: AuthenticatedRequest):
    roots = scope_roots(request.user)
    if len(roots) == 1:
        return redirect("dashboards:region", code=roots[0].code)
    return render(request, "web/region_tree.html", {"roots": roots, "dashboard_links": True})


@login_required
def region(request: AuthenticatedRequest, code: str):
    region = get_region_for_user(request.user, code)
    return render(request, "dashboards/dashboard.html", dashboard_context(request, region))


@login_required
def villages_xlsx(request: AuthenticatedRequest, code: str):
    """The dashboard's village list as a spreadsheet (the same rows, streamed)."""
    region = get_region_for_user(request.user, code)
    return xlsx_response(
        f"desa-{region.code}.xlsx",
        sheet="Desa",
        headers=VILLAGE_HEADERS,
        rows=village_export_rows(region.code),
        zone=region.time_zone,
        title=f"{_('Villages')} — {region.display_name}",
        widths=[14, 30, 20, 45],
    )


@login_required
def whatsapp(request: AuthenticatedRequest, code: str):
    """Off to WhatsApp with the region's progress in a few lines (the recap page's share button)."""
    return redirect(whatsapp_link(get_region_for_user(request.user, code)))


@login_required
def national(request: AuthenticatedRequest):
    _national_only(request.user)
    return render(request, "dashboards/dashboard.html", dashboard_context(request, None))


def _csv(o, table: str, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kopdes-{name}-{table}.csv"'
    out = SafeCsvWriter(response)  # text a spreadsheet would run as a formula is prefixed
    d = o.d
    if table == "tren":
        out.writerow([_("Week from"), _("Formed this week"), _("Formed in total"), _("Target")])
        for w in o.weeks:
            out.writerow([w.start.isoformat(), w.formed, w.cumulative, d.target.count if d.target else ""])
    elif table == "tahap":
        out.writerow([_("Stage"), _("Label"), _("At this stage now"), _("Reached this stage")])
        for row in d.funnel:
            out.writerow([row["stage"].number, row["stage"].label, row["count"], row["reached"]])
    elif table == "wilayah":
        out.writerow(
            [_("Code"), _("Region"), _("Villages")]
            + [str(s.number) for s in workflow.STAGES]
            + [_("Waiting"), _("% formed")]
        )
        for row in d.children:
            out.writerow(
                [
                    row.region.code,
                    row.region.name,
                    row.villages,
                    *row.per_stage,
                    row.pending,
                    f"{row.percent_formed:.1f}",
                ]
            )
    else:
        out.writerow([_("Code"), _("Village"), _("Kecamatan"), _("Stage"), _("Last progress"), _("Days")])
        for row in o.stalled:
            out.writerow(
                [
                    row["village"].code,
                    row["village"].display_name,
                    row["kecamatan"].name,
                    row["stage"],
                    row["last"].date().isoformat(),
                    row["days"],
                ]
            )
    return response


@login_required
def download(request: AuthenticatedRequest, code: str, table: str):
    if table not in CSV_TABLES:
        raise Http404
    region = get_region_for_user(request.user, code)
    filters = Filters.from_query(request.GET, local_today(region.code))
    return _csv(overview(region, filters, with_villages=False), table, code)


@login_required
def national_download(request: AuthenticatedRequest, table: str):
    _national_only(request.user)
    if table not in CSV_TABLES:
        raise Http404
    filters = Filters.from_query(request.GET, local_today("64"))
    return _csv(overview(None, filters, with_villages=False), table, "nasional")


@login_required
def map_page(request: AuthenticatedRequest, code: str):
    region = get_region_for_user(request.user, code)
    return render(
        request,
        "dashboards/map.html",
        {
            "region": region,
            "breadcrumb": breadcrumb(request.user, region),
            "has_boundaries": maps.has_boundaries(region.code),
            "tile_url": settings.KOPDES_MAP_TILE_URL,
            "legend": maps.legend(workflow.DEFAULT_FORMED_STAGE),
        },
    )


@login_required
def map_data(request: AuthenticatedRequest, code: str):
    region = get_region_for_user(request.user, code)
    programme = programme_for(region)
    formed_stage = programme.formed_stage if programme else workflow.DEFAULT_FORMED_STAGE
    return JsonResponse({**maps.layers(region, formed_stage), "legend": maps.legend(formed_stage)})


def public_index(request: HttpRequest):
    return render(request, "dashboards/public_index.html", {"regions": public.public_regions()})


def public_page(request: HttpRequest, code: str):
    region, programme = public.public_region(code)
    # The data is cached, not the page: the page carries the visitor's CSRF token and menu.
    key = f"kopdes:public:{code}:{public.region_version(code)}"
    data = cache.get(key)
    if data is None:
        data = public.public_data(region, programme)
        cache.set(key, data, public.CACHE_SECONDS)
    # The returns' figures change without a stage move: kept in the same entry, read again from their sums (two
    # queries) when older than public.RETURNS_SECONDS.
    if data.get("returns_read_at", 0) < time.time() - public.RETURNS_SECONDS:
        data = {**data, "returns": public.public_returns(region), "returns_read_at": time.time()}
        cache.set(key, data, public.CACHE_SECONDS)
    return render(request, "dashboards/public.html", {**data, "tile_url": settings.KOPDES_MAP_TILE_URL})


def public_map_data(request: HttpRequest, code: str):
    region, programme = public.public_region(code)
    key = f"kopdes:public-map:{code}:{public.region_version(code)}"
    data = cache.get(key)
    if data is None:
        data = {
            **maps.layers(region, programme.formed_stage, case_links=False),
            "legend": maps.legend(programme.formed_stage),
        }
        cache.set(key, data, public.CACHE_SECONDS)
    return JsonResponse(data)


@login_required
def untrained_board(request: AuthenticatedRequest):
    """Sitting board members of the cooperatives in scope who attended no training (shown among assistance's pages)."""
    if not has_capability(request.user, Cap.VIEW_PERSONAL):
        raise Http404
    groups = untrained_board_groups(request.user)
    context = {"groups": groups, "total": sum(len(g.members) for g in groups)}
    return render(request, "assistance/activities/untrained_board.html", context)

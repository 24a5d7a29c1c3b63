"""The site's own pages: the landing page, the region browser and the audit log reader."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import breadcrumb, get_region_for_user, has_capability, scope_roots
from kopdes.audit.models import AuditEntry
from kopdes.core.text import csv_safe_row
from kopdes.documents.xlsx import xlsx_response
from kopdes.regions.selectors import region_children
from kopdes.web.forms import AuditFilterForm
from kopdes.web.selectors import audit_entries_for, audit_rows, home_tasks, landing_summary


@login_required
def home(request: AuthenticatedRequest):
    return render(request, "web/home.html", {**landing_summary(request.user), **home_tasks(request.user)})


@login_required
def region_tree(request: AuthenticatedRequest):
    roots = scope_roots(request.user)
    if len(roots) == 1:
        return redirect("web:region", code=roots[0].code)
    return render(request, "web/region_tree.html", {"roots": roots})


@login_required
def region_detail(request: AuthenticatedRequest, code: str):
    region = get_region_for_user(request.user, code)
    context = {"region": region, "children": region_children(region), "breadcrumb": breadcrumb(request.user, region)}
    return render(request, "web/region_detail.html", context)


AUDIT_PAGE = 50
AUDIT_EXPORT_MAX = 20_000  # rows of one export; the filters narrow a larger log


def _audit_filtered(request: AuthenticatedRequest):
    """The filter form and the entries it selects; a filter that does not validate (a bad date, a user or region
    outside the reader's scope) selects nothing, and the form says why."""
    if not has_capability(request.user, Cap.VIEW_AUDIT):
        raise Http404
    params = request.GET.copy()
    params.pop("halaman", None)
    form = AuditFilterForm(params or None, actor=request.user)
    if form.is_bound and not form.is_valid():
        return form, AuditEntry.objects.none()
    return form, audit_entries_for(request.user, form.cleaned_data if form.is_bound else {})


@login_required
def audit_log(request: AuthenticatedRequest):
    form, entries = _audit_filtered(request)
    page = Paginator(entries, AUDIT_PAGE).get_page(request.GET.get("halaman"))
    rows = audit_rows(page.object_list)
    return render(request, "web/audit_log.html", {"form": form, "page": page, "rows": rows})


@login_required
def audit_log_xlsx(request: AuthenticatedRequest):
    """The filtered entries as .xlsx: the sentence, who, when, where, the kind and the values before and after,
    readable and with NIKs masked (as on the page); text a spreadsheet would run as a formula is prefixed."""
    form, entries = _audit_filtered(request)
    zone = timezone.get_current_timezone_name()

    def lines(row, side: str) -> str:
        return "\n".join(f"{change.label}: {getattr(change, side)}" for change in row.changes if getattr(change, side))

    def rows():
        chunk = 500
        selected = list(entries.values_list("pk", flat=True)[:AUDIT_EXPORT_MAX])
        for start in range(0, len(selected), chunk):
            for row in audit_rows(entries.filter(pk__in=selected[start : start + chunk])):
                yield csv_safe_row(
                    [
                        row.entry.at,
                        row.actor,
                        row.sentence,
                        row.region,
                        row.kind,
                        lines(row, "before"),
                        lines(row, "after"),
                    ]
                )

    return xlsx_response(
        f"log-audit-{timezone.localdate():%Y%m%d}.xlsx",
        sheet=_("Audit log"),
        headers=[_("Time"), _("User"), _("What happened"), _("Region"), _("Kind of change"), _("Before"), _("After")],
        rows=rows(),
        title=_("Audit log"),
        zone=zone,
        widths=[17, 28, 70, 24, 24, 40, 40],
    )

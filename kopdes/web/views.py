"""The site's own pages: the landing page, the region browser and the audit log reader."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import breadcrumb, get_region_for_user, has_capability, scope_roots
from kopdes.regions.selectors import region_children
from kopdes.web.forms import AuditFilterForm
from kopdes.web.selectors import audit_entries_for, home_tasks, landing_summary


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


@login_required
def audit_log(request: AuthenticatedRequest):
    if not has_capability(request.user, Cap.VIEW_AUDIT):
        raise Http404
    form = AuditFilterForm(request.GET or None, actor=request.user)
    entries = audit_entries_for(request.user, form.cleaned_data if form.is_valid() else {})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"form": form, "page": page})

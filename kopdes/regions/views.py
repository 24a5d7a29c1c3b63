from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kopdes.accounts.scope import get_region_for_user
from kopdes.regions.selectors import breadcrumb, region_children, scope_roots


@login_required
def tree(request):
    roots = scope_roots(request.user)
    if len(roots) == 1:
        return redirect("regions:detail", code=roots[0].code)
    return render(request, "regions/tree.html", {"roots": roots})


@login_required
def detail(request, code: str):
    region = get_region_for_user(request.user, code)
    context = {"region": region, "children": region_children(region), "breadcrumb": breadcrumb(request.user, region)}
    return render(request, "regions/detail.html", context)

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import has_capability
from kopdes.audit.forms import AuditFilterForm
from kopdes.audit.selectors import audit_entries_for


@login_required
def audit_list(request):
    if not has_capability(request.user, Cap.VIEW_AUDIT):
        raise Http404
    form = AuditFilterForm(request.GET or None, actor=request.user)
    entries = audit_entries_for(request.user, form.cleaned_data if form.is_valid() else {})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"form": form, "page": page})

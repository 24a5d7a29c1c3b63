"""Accounts in bulk and the account list as .xlsx, for those who manage accounts (Cap.MANAGE_USERS; others 404).

Upload → preview (every bad row by its number, nothing created) → confirm → the one-time passwords, shown once, as
the single form shows one. Between preview and confirmation the checked rows travel signed in the page (no file kept);
the confirmation checks them again."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import has_capability
from kopdes.accounts.selectors import manageable_users
from kopdes.documents.xlsx import XLSX, xlsx_response
from kopdes.imports import accounts
from kopdes.imports.forms import UploadForm
from kopdes.imports.reader import FileProblem, read_upload

_SALT = "kopdes.imports.accounts"
_MAX_AGE = 3600  # a preview left open longer is uploaded again


def _manager(request: HttpRequest) -> None:
    if not has_capability(request.user, Cap.MANAGE_USERS):
        raise Http404


def _preview(request: HttpRequest, form: UploadForm, plan: accounts.AccountPlan | None, *, status: int = 200):
    context = {
        "form": form,
        "plan": plan,
        "payload": signing.dumps([row.as_data() for row in plan.rows], salt=_SALT, compress=True)
        if plan is not None and plan.ok
        else "",
        "preview": [(row, Role(row.role).label) for row in plan.rows] if plan is not None and plan.ok else [],
    }
    return render(request, "imports/accounts.html", context, status=status)


@login_required
def accounts_upload(request: AuthenticatedRequest):
    _manager(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _preview(request, form, None, status=400 if form.errors else 200)
    try:
        data, name = read_upload(form.cleaned_data["file"])
        plan = accounts.read_sheet(request.user, data, name)
    except FileProblem as problem:
        form.add_error("file", problem.message)
        return _preview(request, form, None, status=400)
    return _preview(request, UploadForm(), plan, status=200 if plan.ok else 400)


@login_required
def accounts_confirm(request: AuthenticatedRequest):
    _manager(request)
    if request.method != "POST":
        raise Http404
    try:
        rows = signing.loads(request.POST.get("rows", ""), salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature:
        expired = accounts.AccountPlan(
            errors=[(None, _("This preview has expired or was altered. Upload the sheet again."))]
        )
        return _preview(request, UploadForm(), expired, status=400)
    plan, created = accounts.create_accounts(request.user, rows)
    if not created:
        return _preview(request, UploadForm(), plan, status=400)
    return render(request, "imports/accounts_created.html", {"created": created})


@login_required
def accounts_template(request: AuthenticatedRequest):
    _manager(request)
    response = HttpResponse(accounts.accounts_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-akun.xlsx"'
    return response


USER_EXPORT_HEADERS = (
    gettext_lazy("Full name"),
    gettext_lazy("Username"),
    gettext_lazy("Email"),
    gettext_lazy("Role"),
    gettext_lazy("Region"),
    gettext_lazy("Region code"),
    gettext_lazy("Active"),
    gettext_lazy("Last login"),
)


def _user_rows(actor):
    users = manageable_users(actor).prefetch_related("assignments__region").order_by("username")
    yes, no = _("yes"), _("no")
    for user in users.iterator(chunk_size=500):
        active = [a for a in user.assignments.all() if a.ended_at is None]
        yield [
            user.full_name,
            user.username,
            user.email,
            ", ".join(str(a.get_role_display()) for a in active),
            ", ".join(a.region.display_name if a.region else _("Indonesia") for a in active),
            ", ".join(a.scope_code or "" for a in active),
            yes if user.is_active else no,
            user.last_login,
        ]


@login_required
def users_xlsx(request: AuthenticatedRequest):
    """Every account the user manages (the list page's scope: `accounts.selectors.manageable_users`) as .xlsx. Text is
    written as text, never as a formula."""
    _manager(request)
    today = timezone.localdate()
    return xlsx_response(
        f"akun-pengguna-{today:%Y%m%d}.xlsx",
        sheet=_("Accounts"),
        title=_("User accounts, as of %(date)s") % {"date": today.strftime("%d/%m/%Y")},
        headers=[str(h) for h in USER_EXPORT_HEADERS],
        rows=_user_rows(request.user),
        widths=[28, 20, 30, 26, 30, 16, 8, 18],
        zone=settings.TIME_ZONE,
    )

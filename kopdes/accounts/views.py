from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kopdes.accounts import second_factor, services
from kopdes.accounts.forms import UserCreateForm
from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import has_capability
from kopdes.accounts.search_tokens import posted_search, search_text
from kopdes.accounts.selectors import get_user_for_manager, manageable_users


def _require_manager(request: AuthenticatedRequest) -> None:
    if not has_capability(request.user, Cap.MANAGE_USERS):
        raise Http404


@login_required
def user_list(request: AuthenticatedRequest):
    _require_manager(request)
    posted = posted_search(request)  # names (and usernames that are NIKs) stay out of the address
    if posted is not None:
        return posted
    users = manageable_users(request.user).prefetch_related("assignments__region").order_by("username")
    query, search_expired = search_text(request)
    if query:
        users = users.filter(username__icontains=query) | users.filter(full_name__icontains=query)
    context = {"users": users, "query": query, "search_expired": search_expired}
    return render(request, "accounts/user_list.html", context)


@login_required
def user_create(request: AuthenticatedRequest):
    _require_manager(request)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error("region", _("You may not give this role in this region."))
        else:
            return render(request, "accounts/one_time_password.html", {"account": user, "password": password})
    return render(request, "accounts/user_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def user_detail(request: AuthenticatedRequest, pk: int):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    assignments = account.assignments.select_related("region", "created_by").order_by("-started_at")
    context = {"account": account, "assignments": assignments, "has_app": second_factor.has_app(account)}
    return render(request, "accounts/user_detail.html", context)


def _confirmed(request: HttpRequest) -> bool:
    """A manager's action on an account happens only from its confirmation page: a POST without the
    page's `confirmed` field shows the page and changes nothing."""
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def _confirmation(request: HttpRequest, account, action: str, status: int = 200):
    return render(request, "accounts/confirm_action.html", {"account": account, "action": action}, status=status)


@login_required
def user_set_active(request: AuthenticatedRequest, pk: int, active: bool):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    if account.is_active == active:  # done meanwhile (another tab, another manager): nothing to confirm or audit
        if active:
            messages.info(request, _("Account %(name)s is already active.") % {"name": account})
        else:
            messages.info(request, _("Account %(name)s is already deactivated.") % {"name": account})
        return redirect("accounts:user_detail", pk=account.pk)
    if not _confirmed(request):
        return _confirmation(request, account, "activate" if active else "deactivate")
    services.set_user_active(actor=request.user, user=account, active=active)
    if active:
        messages.success(request, _("Account %(name)s is active again.") % {"name": account})
    else:
        messages.success(request, _("Account %(name)s has been deactivated.") % {"name": account})
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
def user_reset_password(request: AuthenticatedRequest, pk: int):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    if not _confirmed(request):
        return _confirmation(request, account, "reset_password")
    password = services.reset_password(actor=request.user, user=account)
    return render(request, "accounts/one_time_password.html", {"account": account, "password": password, "reset": True})


@login_required
def user_reset_second_factor(request: AuthenticatedRequest, pk: int):
    """A lost phone: whoever manages the account removes its second factor (kopdes/accounts/second_factor.py)."""
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    if not _confirmed(request):
        return _confirmation(request, account, "reset_second_factor")
    services.reset_second_factor(actor=request.user, user=account)
    messages.success(request, _("The second factor of %(name)s has been removed.") % {"name": account})
    return redirect("accounts:user_detail", pk=account.pk)

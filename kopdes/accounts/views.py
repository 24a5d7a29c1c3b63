from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts import services
from kopdes.accounts.forms import LoginForm, UserCreateForm
from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import has_capability
from kopdes.accounts.selectors import get_user_for_manager, manageable_users


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form):
        services.change_own_password(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.success_url)


def _require_manager(request) -> None:
    if not has_capability(request.user, Cap.MANAGE_USERS):
        raise Http404


@login_required
def user_list(request):
    _require_manager(request)
    users = manageable_users(request.user).prefetch_related("assignments__region").order_by("username")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(full_name__icontains=query)
    return render(request, "accounts/user_list.html", {"users": users, "query": query})


@login_required
def user_create(request):
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
def user_detail(request, pk: int):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    assignments = account.assignments.select_related("region", "created_by").order_by("-started_at")
    return render(request, "accounts/user_detail.html", {"account": account, "assignments": assignments})


@login_required
@require_POST
def user_set_active(request, pk: int, active: bool):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    services.set_user_active(actor=request.user, user=account, active=active)
    if active:
        messages.success(request, _("Account %(name)s is active again.") % {"name": account})
    else:
        messages.success(request, _("Account %(name)s has been deactivated.") % {"name": account})
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@require_POST
def user_reset_password(request, pk: int):
    _require_manager(request)
    account = get_user_for_manager(request.user, pk)
    password = services.reset_password(actor=request.user, user=account)
    return render(request, "accounts/one_time_password.html", {"account": account, "password": password, "reset": True})

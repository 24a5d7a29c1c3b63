"""The user's own account: signing in (password, then the second factor when the account has one), signing out, the
password (change, reset by email), the second factor (set up, recovery codes, turn off) and the email address."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from kopdes.accounts import second_factor, services, sessions, throttle
from kopdes.accounts.forms import (
    EmailForm,
    LoginForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    PasswordResetForm,
    SecondFactorForm,
    SetPasswordForm,
    SetupSecondFactorForm,
)
from kopdes.accounts.http import AuthenticatedRequest
from kopdes.audit.stale import READ_TOKEN_FIELD, keep_after_stale, read_token
from kopdes.core.forms import add_service_errors, form_status

if TYPE_CHECKING:
    from kopdes.accounts.models import User

PENDING_KEY = "kd_pending_login"  # a password checked, the second factor not yet
PENDING_SECONDS = 300
EMAIL_SALT = "kopdes.accounts.confirm-email"
EMAIL_LINK_SECONDS = 2 * 24 * 3600


def _complete_login(request: HttpRequest, user: User, next_url: str, *, device=None) -> HttpResponseRedirect:
    """Sign `user` in (after the password and, if it has one, the second factor) and audit it."""
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=getattr(user, "backend", None))
    if device is not None:
        otp_login(request, device)
    sessions.start(request.session)
    address = throttle.client_address(request)
    throttle.clear_failures(user.get_username(), address)
    used = "" if device is None else "recovery" if isinstance(device, StaticDevice) else "app"
    services.record_login(user=user, address=address, second_factor=used)
    if used == "recovery":
        left = second_factor.recovery_codes_left(user)
        messages.warning(
            request, _("You used a recovery code; %(left)s are left. Make new ones if few remain.") % {"left": left}
        )
    return HttpResponseRedirect(next_url)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.session.get(sessions.EXPIRED_KEY, "")
        context["kept_form"] = sessions.FORM_KEY in self.request.session
        return context

    def form_valid(self, form):
        user = form.get_user()
        self.request.session.pop(sessions.EXPIRED_KEY, None)
        if second_factor.confirmed_devices(user):
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("accounts:login_code")
        return _complete_login(self.request, user, self.get_success_url())


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING_KEY) or {}
    if "user" not in pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def login_code(request: HttpRequest):
    """The second step of signing in: the code of the authenticator app or a recovery code."""
    user = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Enter your username and password again."))
        return redirect("accounts:login")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = throttle.client_address(request)
        refused = throttle.refusal(user.get_username(), address)
        device = None if refused else second_factor.match(user, form.cleaned_data["code"])
        if device is not None:
            next_url = request.session[PENDING_KEY].get("next") or reverse(settings.LOGIN_REDIRECT_URL)
            return _complete_login(request, user, next_url, device=device)
        throttle.note_failure(user.get_username(), address)
        services.record_login_failure(
            username=user.get_username(), address=address, reason=refused.code if refused else "second_factor"
        )
        form.add_error("code", _("The code is wrong or has expired. Wait for a new code and try again."))
    return render(request, "accounts/login_code.html", {"form": form}, status=400 if form.errors else 200)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            services.record_logout(user=request.user, address=throttle.client_address(request))
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form):
        services.change_own_password(user=self.request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.success_url)


# Self-service reset by email: Django's views and tokens, our form (confirmed addresses only) and templates.


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        services.change_own_password(
            user=form.user, new_password=form.cleaned_data["new_password1"], reset_by_email=True
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password has been changed. Log in with it."))
        return redirect(self.success_url)


# The account page: email address, second factor, API tokens.


@login_required
def account(request: AuthenticatedRequest):
    user = request.user
    form = EmailForm(request.POST or None, initial={"email": user.email, READ_TOKEN_FIELD: read_token(user, ["email"])})
    if request.method == "POST" and form.is_valid():
        email, read = form.cleaned_data["email"], form.cleaned_data[READ_TOKEN_FIELD]
        try:
            services.set_own_email(user=user, email=email, read=read)
        except ValidationError as error:
            add_service_errors(form, error)
            keep_after_stale(form, error)
        else:
            user.refresh_from_db()
            if user.email and not user.has_confirmed_email:
                _send_confirmation(request, user)
                messages.success(request, _("We sent a confirmation link to %(email)s.") % {"email": user.email})
            return redirect("accounts:account")
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "has_app": second_factor.has_app(user),
            "recovery_left": second_factor.recovery_codes_left(user),
            "required": second_factor.required_for(user),
        },
        status=form_status(form),
    )


def _send_confirmation(request: HttpRequest, user: User) -> None:
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_SALT)
    link = request.build_absolute_uri(reverse("accounts:confirm_email", args=[token]))
    send_mail(
        _("Confirm your email address for Kopdes"),
        _(
            "Open this link to confirm that %(email)s is your address for Kopdes (it works for two days):\n\n"
            "%(link)s\n\nWith a confirmed address you can reset a forgotten password yourself."
        )
        % {"email": user.email, "link": link},
        None,
        [user.email],
    )


@login_required
def confirm_email(request: AuthenticatedRequest, token: str):
    """The link from the confirmation email: a page with a button (a mail scanner opening the link confirms nothing)."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_SECONDS)
    except signing.BadSignature:
        data = None
    valid = data is not None and data["user"] == request.user.pk and data["email"] == request.user.email
    if request.method == "POST" and valid:
        services.confirm_email(user=request.user, email=data["email"])
        messages.success(request, _("Your email address is confirmed."))
        return redirect("accounts:account")
    return render(request, "accounts/confirm_email.html", {"valid": valid}, status=200 if valid else 400)


@login_required
def second_factor_setup(request: AuthenticatedRequest):
    """Scan the QR code (or type the secret) into an authenticator app, enter the code it shows: on; recovery codes."""
    device = second_factor.pending_app(request.user)
    form = SetupSecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enable_second_factor(user=request.user, device=device, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
    context = {
        "form": form,
        "qr": second_factor.qr_svg(device),
        "secret": second_factor.secret_text(device),
        "required": second_factor.required_for(request.user),
        "has_app": second_factor.has_app(request.user),
    }
    return render(request, "accounts/second_factor_setup.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def recovery_codes(request: AuthenticatedRequest):
    try:
        codes = services.renew_recovery_codes(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:account")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
def second_factor_disable(request: AuthenticatedRequest):
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disable_second_factor(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The second factor is off."))
            return redirect("accounts:account")
    context = {"form": form, "required": second_factor.required_for(request.user)}
    return render(request, "accounts/second_factor_disable.html", context, status=400 if form.errors else 200)


def admin_login(request: HttpRequest):
    """The Django admin's login address: Kopdes' own login (password, then the second factor) signs people in. A
    signed-in account the admin refused (not staff) gets 403 instead of a redirect loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

from __future__ import annotations

import json
from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kopdes.accounts import services, throttle
from kopdes.accounts.models import User
from kopdes.accounts.roles import ALLOWED_LEVELS, MANAGEABLE_ROLES, Cap, Role
from kopdes.accounts.scope import manageable_roles_at, scope_q
from kopdes.audit.stale import ReadTokenField
from kopdes.regions.models import Region


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account has been deactivated."),
        "locked": _("Too many failed login attempts for this account. Try again in %(minutes)s minutes."),
        "slowed": _("Many failed login attempts came from your network. Wait %(seconds)s seconds, then try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else ""
        refused = throttle.refusal(username, address)
        if refused is not None:
            services.record_login_failure(username=username, address=address, reason=refused.code)
            raise forms.ValidationError(
                self.error_messages[refused.code],
                code=refused.code,
                params={"minutes": max(1, refused.seconds // 60), "seconds": refused.seconds},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.note_failure(username, address)
            if username:
                services.record_login_failure(username=username, address=address, reason="password")
            raise
        return cleaned


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class SetupSecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class NotTheCurrentPasswordMixin:
    """The new password must differ from the current one."""

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError(
                _("The new password must differ from the current one."), code="password_unchanged"
            )
        return password


class PasswordChangeForm(NotTheCurrentPasswordMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(NotTheCurrentPasswordMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset by email, sent only to an active account whose address is confirmed (demo accounts: never in
    production). The answer is the same whether or not an account matched, so the form tells no one who has one."""

    def get_users(self, email):
        users = User.objects.filter(email__iexact=email, email_confirmed__iexact=email, is_active=True)
        if settings.PRODUCTION:
            users = users.filter(is_demo=False)
        return (user for user in users if user.has_usable_password())


class EmailForm(forms.Form):
    dibaca = ReadTokenField()  # the address as it was read (audit.stale)
    email = forms.EmailField(label=_("Email"), required=False)


class RegionSelect(forms.Select):
    """Each option carries its region level (`data-level`): accounts/user_form.js shows only the levels the chosen role
    may be assigned on (roles.ALLOWED_LEVELS, passed as `data-levels`)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-level"] = str(instance.level)
        return option


class RegionChoiceField(forms.ModelChoiceField):
    """A region inside the editor's scope (the queryset is narrowed per form); a posted region outside it is refused
    with a message of its own, not Django's "not one of the available choices"."""

    widget = RegionSelect
    default_error_messages = {
        "invalid_choice": _("This region is outside the area you manage, or does not exist. Choose one from the list.")
    }

    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} {obj.display_name}"


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[
            RegexValidator(r"^[a-zA-Z0-9._-]{3,}$", _("Use at least 3 letters, digits, dots, dashes or underscores."))
        ],
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    region = RegionChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        regions = Region.objects.active().filter(scope_q(actor, capability=Cap.MANAGE_USERS))
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions.order_by("code")
        roles = (
            set(Role.values)
            if actor.is_superuser
            else {r for a in actor.active_assignments() for r in MANAGEABLE_ROLES.get(a.role, ())}
        )
        cast(forms.ChoiceField, self.fields["role"]).choices = [("", "—")] + [
            (r.value, r.label) for r in Role if r.value in roles
        ]
        levels = {role: sorted(-1 if level is None else level for level in ALLOWED_LEVELS[role]) for role in roles}
        self.fields["role"].widget.attrs["data-levels"] = json.dumps(levels)
        self.fields["region"].widget.attrs["data-by-role"] = "role"

    def clean(self):
        cleaned = super().clean()
        role, region = cleaned.get("role"), cleaned.get("region")
        if role:
            level = region.level if region else None
            if level not in ALLOWED_LEVELS[role]:
                self.add_error(
                    "region",
                    _("This role needs a region of another level (for example a village for a village operator)."),
                )
            elif role not in manageable_roles_at(self.actor, region.code if region else None):
                self.add_error("region", _("You may not give this role in this region."))
        return cleaned

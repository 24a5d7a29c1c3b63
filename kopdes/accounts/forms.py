from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kopdes.accounts import throttle
from kopdes.accounts.roles import ALLOWED_LEVELS, MANAGEABLE_ROLES, Cap, Role
from kopdes.accounts.scope import manageable_roles_at, scope_q
from kopdes.regions.models import Region


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account has been deactivated."),
        "locked": _("Too many failed login attempts. Try again in %(minutes)s minutes."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request) if self.request else ""
        if throttle.is_locked(username, address):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.note_failure(username, address)
            raise
        throttle.clear_failures(username)
        return cleaned


class RegionChoiceField(forms.ModelChoiceField):
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

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        regions = Region.objects.active().filter(scope_q(actor, capability=Cap.MANAGE_USERS))
        self.fields["region"].queryset = regions.order_by("code")
        roles = (
            set(Role.values)
            if actor.is_superuser
            else {r for a in actor.active_assignments() for r in MANAGEABLE_ROLES.get(a.role, ())}
        )
        self.fields["role"].choices = [("", "—")] + [(r.value, r.label) for r in Role if r.value in roles]

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

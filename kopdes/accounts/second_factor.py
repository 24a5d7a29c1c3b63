"""The second factor: a TOTP app (django-otp's TOTP device) plus ten recovery codes (its static device).

Who must have one: accounts holding a role named in settings SECOND_FACTOR_REQUIRED_ROLES (admin dinas in production
mode) and, when that list is not empty, superusers. Everyone else may turn it on. Who may reset an account's second
factor (a lost phone): whoever may manage the account (`policy.can_manage_user`: for an admin dinas another admin
dinas of the same regency or above), on the account's page, and a server operator with
`manage.py reset_second_factor USERNAME`. Both are audited (`accounts.reset_second_factor`).
"""

from __future__ import annotations

from base64 import b32encode
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from kopdes.accounts.models import User


RECOVERY_CODE_COUNT = 10
TOTP_NAME = "app"
RECOVERY_NAME = "recovery"


def required_for(user: User) -> bool:
    roles = settings.SECOND_FACTOR_REQUIRED_ROLES
    if not roles:
        return False
    return user.is_superuser or any(a.role in roles for a in user.active_assignments())


def confirmed_devices(user: User) -> list:
    return list(devices_for_user(user, confirmed=True))


def has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def pending_app(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (made once, so a reload shows the same secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def match(user: User, token: str):
    """The confirmed device that accepts `token` (a 6-digit app code or a recovery code), or None. Each device counts
    its own failures and refuses for a growing time after them (django-otp's throttling)."""
    token = "".join(token.split()).replace("-", "").lower()
    if not token:
        return None
    for device in confirmed_devices(user):
        if device.verify_token(token):
            return device
    return None


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand when the QR code cannot be scanned."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG QR code (no image request, nothing inline but markup)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, svgclass="kd-qr", lineclass=None)
    return mark_safe(svg)  # noqa: S308 - segno's own SVG of our own otpauth address, no user text


def recovery_label(code: str) -> str:
    """abcdefgh -> abcd-efgh (easier to copy onto paper; `match` drops the dash)."""
    return f"{code[:4]}-{code[4:]}"

"""Account writes: every change goes through here, checks the actor's right to make it, and is audited."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts import second_factor
from kopdes.accounts.models import RoleAssignment, User
from kopdes.accounts.roles import ALLOWED_LEVELS, Role
from kopdes.accounts.scope import manageable_roles_at
from kopdes.audit.services import record_audit, snapshot
from kopdes.audit.stale import check_fresh
from kopdes.regions.models import Region

# Without look-alike characters (0/O, 1/l/I): the password is read out or written on paper in person.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Admin dinas edit programmes and their dated targets in the Django admin (scoped there to their region).
OFFICE_ADMIN_PERMISSIONS = [
    "formation.view_programme",
    "formation.add_programme",
    "formation.change_programme",
    "formation.view_programmetarget",
    "formation.add_programmetarget",
    "formation.change_programmetarget",
    "formation.view_ruleseverity",
    "formation.add_ruleseverity",
    "formation.change_ruleseverity",
    "formation.view_businessunit",
    "formation.add_businessunit",
    "formation.change_businessunit",
]
USER_FIELDS = ["username", "full_name", "email", "phone", "is_active", "must_change_password"]


def one_time_password() -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))


def check_role_region(role: str, region: Region | None) -> None:
    level = region.level if region is not None else None
    if level not in ALLOWED_LEVELS[role]:
        raise ValidationError(
            _("The role %(role)s cannot be assigned on this region level.") % {"role": Role(role).label}
        )


def can_manage_user(actor: User, user: User) -> bool:
    """A manager may act on an account only if every active assignment of it lies in what the manager may manage."""
    if actor.pk == user.pk:
        return False
    if actor.is_superuser:
        return True
    if user.is_superuser:
        return False
    assignments = user.active_assignments()
    if not assignments:
        # An account whose roles have all ended (a kades who left office) stays with whoever managed its last role.
        last = user.assignments.select_related("region").order_by("-id").first()
        if last is None:
            return False
        assignments = [last]
    return all(a.role in manageable_roles_at(actor, a.scope_code) for a in assignments)


def _region_code(user: User) -> str:
    first = next(iter(user.active_assignments()), None)
    return first.scope_code or "" if first else ""


def create_user(
    *, actor: User, username: str, full_name: str, role: str, region: Region | None, email: str = "", phone: str = ""
) -> tuple[User, str]:
    """Create an account with one role; returns it and a one-time password the user must change at first login."""
    check_role_region(role, region)
    if role not in manageable_roles_at(actor, region.code if region else None):
        raise PermissionDenied
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This username is already taken."))
    password = one_time_password()
    with transaction.atomic():
        user = User(username=username, full_name=full_name, email=email, phone=phone, must_change_password=True)
        user.set_password(password)
        user.save()
        assignment = RoleAssignment.objects.create(user=user, role=role, region=region, created_by=actor)
        if role == Role.ADMIN_DINAS:
            grant_office_admin(user)
        record_audit(
            actor=actor,
            action="accounts.create_user",
            obj=user,
            region_code=region.code if region else "",
            after={**snapshot(user, USER_FIELDS), "role": role, "region": assignment.scope_code},
        )
    return user, password


def set_user_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account. Accounts are never deleted."""
    if not can_manage_user(actor, user):
        raise PermissionDenied
    with transaction.atomic():
        before = snapshot(user, USER_FIELDS)
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_audit(
            actor=actor,
            action="accounts.activate_user" if active else "accounts.deactivate_user",
            obj=user,
            region_code=_region_code(user),
            before=before,
            after=snapshot(user, USER_FIELDS),
        )
    return user


def reset_password(*, actor: User, user: User) -> str:
    """Give the account a new one-time password (returned once, to be handed over in person)."""
    if not can_manage_user(actor, user):
        raise PermissionDenied
    password = one_time_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        record_audit(
            actor=actor,
            action="accounts.reset_password",
            obj=user,
            region_code=_region_code(user),
            after={"must_change_password": True},
        )
    return password


def assign_role(*, actor: User | None, user: User, role: str, region: Region | None) -> RoleAssignment:
    """Add a role to an account (a pendamping may hold several). actor None is the system (demo, commands)."""
    check_role_region(role, region)
    if actor is not None and role not in manageable_roles_at(actor, region.code if region else None):
        raise PermissionDenied
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(user=user, role=role, region=region, created_by=actor)
        if role == Role.ADMIN_DINAS:
            grant_office_admin(user)
        record_audit(
            actor=actor,
            action="accounts.assign_role",
            obj=user,
            region_code=assignment.scope_code or "",
            after={"role": role, "region": assignment.scope_code},
        )
    user.__dict__.pop("_active_assignments", None)
    user.__dict__.pop("_scope_cache", None)
    return assignment


def end_assignment(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    """End a role (for example when a kades leaves office); the row stays as history of who held it when."""
    if assignment.role not in manageable_roles_at(actor, assignment.scope_code) or assignment.user_id == actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ended_at"])
        record_audit(
            actor=actor,
            action="accounts.end_assignment",
            obj=assignment.user,
            region_code=assignment.scope_code or "",
            before={"role": assignment.role, "region": assignment.scope_code},
        )
    return assignment


def grant_office_admin(user: User) -> None:
    """Staff status with the programme permissions only: the Django admin is where the office edits programmes."""
    from django.contrib.auth.models import Permission

    labels = [name.split(".", 1) for name in OFFICE_ADMIN_PERMISSIONS]
    permissions = Permission.objects.filter(
        content_type__app_label__in={app for app, _code in labels}, codename__in=[code for _app, code in labels]
    )
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*permissions)


def change_own_password(*, user: User, new_password: str, reset_by_email: bool = False) -> None:
    """The account's own new password (after the old one, or after a reset link sent to its confirmed email).

    Refuses the current password as the new one: a forced change must change something."""
    if user.check_password(new_password):
        raise ValidationError(_("The new password must differ from the current one."), code="password_unchanged")
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record_audit(
            actor=user,
            action="accounts.reset_password_by_email" if reset_by_email else "accounts.change_password",
            obj=user,
            region_code=_region_code(user),
        )


# Signing in and out: the audit log says who came in when and from where; never a password, and a
# username that matches no account is not stored (people type their password into the username field).


def record_login(*, user: User, address: str, second_factor: str) -> None:
    """`second_factor`: 'app', 'recovery' or '' (none asked)."""
    record_audit(
        actor=user,
        action="accounts.login",
        obj=user,
        region_code=_region_code(user),
        after={"address": address, "second_factor": second_factor},
    )


def record_logout(*, user: User, address: str, reason: str = "") -> None:
    """`reason`: '' (the user logged out), 'idle' or 'absolute' (the session's lifetime ended)."""
    record_audit(
        actor=user,
        action="accounts.logout",
        obj=user,
        region_code=_region_code(user),
        after={"address": address, "reason": reason or "logout"},
    )


def record_login_failure(*, username: str, address: str, reason: str) -> None:
    """`reason`: 'password', 'second_factor', 'locked' or 'slowed'."""
    user = User.objects.filter(username__iexact=username.strip()).first() if username.strip() else None
    record_audit(
        actor=None,
        action="accounts.login_failed",
        obj=user,
        object_type="accounts.user",
        object_repr=str(user) if user else _("(no such account)"),
        region_code=_region_code(user) if user else "",
        after={"address": address, "reason": reason},
    )


# The second factor (kopdes/accounts/second_factor.py says who must have one and who may reset it).


def _new_recovery_codes(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=second_factor.RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(second_factor.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [second_factor.recovery_label(code) for code in codes]


def enable_second_factor(*, user: User, device, token: str) -> list[str]:
    """Confirm the TOTP app being set up with a code it shows; returns ten new recovery codes (shown once).

    Raises ValidationError when the code is wrong (the device stays unconfirmed; django-otp counts the failure)."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token("".join(token.split())):
        raise ValidationError(_("The code is wrong or has expired. Enter the code the app shows now."), code="token")
    with transaction.atomic():
        device.__class__.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record_audit(
            actor=user,
            action="accounts.enable_second_factor",
            obj=user,
            region_code=_region_code(user),
            after={"second_factor": "app", "recovery_codes": len(codes)},
        )
    return codes


def renew_recovery_codes(*, user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if not second_factor.has_app(user):
        raise ValidationError(_("Turn on the second factor first."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record_audit(
            actor=user,
            action="accounts.renew_recovery_codes",
            obj=user,
            region_code=_region_code(user),
            after={"recovery_codes": len(codes)},
        )
    return codes


def _remove_devices(user: User) -> int:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    return removed + StaticDevice.objects.filter(user=user).delete()[0]


def disable_second_factor(*, user: User, password: str) -> None:
    """The account turns its own second factor off (with its password). Refused where the role requires one."""
    if second_factor.required_for(user):
        raise ValidationError(_("Your role requires a second factor; it cannot be turned off."))
    if not user.check_password(password):
        raise ValidationError(_("The password is wrong."), code="password")
    with transaction.atomic():
        _remove_devices(user)
        record_audit(
            actor=user,
            action="accounts.disable_second_factor",
            obj=user,
            region_code=_region_code(user),
            before={"second_factor": "app"},
        )


def reset_second_factor(*, actor: User | None, user: User, source: str = "") -> None:
    """Remove the second factor of an account that lost it (a lost phone, used-up recovery codes); it logs in with its
    password and, where required, sets up a new one at once. `actor` must be allowed to manage the account; None is a
    server operator's command (`source` names it). Audited."""
    if actor is not None and not can_manage_user(actor, user):
        raise PermissionDenied
    with transaction.atomic():
        had = second_factor.has_app(user)
        _remove_devices(user)
        record_audit(
            actor=actor,
            action="accounts.reset_second_factor",
            obj=user,
            region_code=_region_code(user),
            before={"second_factor": "app" if had else "none"},
            after={"second_factor": "none"},
            source=source,
        )


def set_own_email(*, user: User, email: str, read: str | None = None) -> None:
    """The account's own email address; a new address is unconfirmed until the link sent there is opened. `read`:
    the form's token (`audit.stale.read_token(user, ["email"])`); an address changed meanwhile (another tab or
    device) raises `StaleEdit`."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if read is not None:
            check_fresh(locked, ["email"], read, submitted={"email": email})
        if email.lower() == locked.email.lower():
            return
        before = snapshot(locked, ["email"])
        user.email = email
        user.save(update_fields=["email"])
        record_audit(
            actor=user,
            action="accounts.set_email",
            obj=user,
            region_code=_region_code(user),
            before=before,
            after=snapshot(user, ["email"]),
        )


def confirm_email(*, user: User, email: str) -> None:
    """Mark `email` confirmed (the user opened the link sent to it while it was the account's address)."""
    if email.lower() != user.email.lower():
        raise ValidationError(_("This link is for an address the account no longer has."))
    with transaction.atomic():
        user.email_confirmed = email
        user.save(update_fields=["email_confirmed"])
        record_audit(
            actor=user,
            action="accounts.confirm_email",
            obj=user,
            region_code=_region_code(user),
            after={"email_confirmed": email},
        )

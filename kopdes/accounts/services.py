"""Account writes: every change goes through here, checks the actor's right to make it, and is audited."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.models import RoleAssignment, User
from kopdes.accounts.roles import ALLOWED_LEVELS, Role
from kopdes.accounts.scope import manageable_roles_at
from kopdes.audit.services import record_audit, snapshot
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


def change_own_password(*, user: User, new_password: str) -> None:
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record_audit(actor=user, action="accounts.change_password", obj=user, region_code=_region_code(user))


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

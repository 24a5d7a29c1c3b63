"""Who edits an issuer (its letterhead, signers and number format) and reads its register: its own people.

| issuer      | editors (an active role assignment whose region covers the issuer's region)                        |
|-------------|-----------------------------------------------------------------------------------------------------|
| office      | admin dinas                                                                                         |
| kecamatan   | camat                                                                                               |
| desa, BPD   | operator desa (the BPD has no account of its own: the village operator keeps its kop and chair)     |
| kelurahan   | operator desa of the kelurahan (there is no lurah role in accounts/roles.py; its operator acts)     |
| cooperative | operator desa of its village and its pengurus                                                       |

A superuser edits every issuer. Anyone else is answered 404 (views), PermissionDenied (services)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kopdes.accounts.roles import Role
from kopdes.documents.models import IssuerKind
from kopdes.regions.models import Kind, Level, Region, is_within

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kopdes.accounts.models import User

EDITOR_ROLES: dict[str, frozenset[str]] = {
    IssuerKind.OFFICE: frozenset({Role.ADMIN_DINAS}),
    IssuerKind.KECAMATAN: frozenset({Role.CAMAT}),
    IssuerKind.DESA: frozenset({Role.OPERATOR_DESA}),
    IssuerKind.BPD: frozenset({Role.OPERATOR_DESA}),
    IssuerKind.KELURAHAN: frozenset({Role.OPERATOR_DESA}),
    IssuerKind.COOPERATIVE: frozenset({Role.OPERATOR_DESA, Role.PENGURUS}),
}


def kind_fits_region(kind: str, region: Region) -> bool:
    """Whether an issuer of `kind` can sit on `region` (an office on a regency or province, a BPD on a desa…)."""
    if kind == IssuerKind.OFFICE:
        return region.level in (Level.PROVINSI, Level.KABUPATEN)
    if kind == IssuerKind.KECAMATAN:
        return region.level == Level.KECAMATAN
    if region.level != Level.DESA:
        return False
    if kind == IssuerKind.KELURAHAN:
        return region.kind == Kind.KELURAHAN
    if kind in (IssuerKind.DESA, IssuerKind.BPD):
        return region.kind != Kind.KELURAHAN
    return kind == IssuerKind.COOPERATIVE


def may_edit_issuer(user: User | AnonymousUser, kind: str, region: Region) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not kind_fits_region(kind, region):
        return False
    if user.is_superuser:
        return True
    roles = EDITOR_ROLES.get(kind, frozenset())
    return any(
        a.role in roles and (a.scope_code is None or is_within(region.code, a.scope_code))
        for a in user.active_assignments()
    )

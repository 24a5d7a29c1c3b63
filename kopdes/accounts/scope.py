"""The one access layer: what a user may see and do, as unions of region subtrees.

Every view, dropdown, search and navigation goes through these helpers (or a model's `visible_to(user)` built on
them; regions: `visible_regions(user)`); an object outside the scope answers 404, exactly like a missing one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from kopdes.accounts.roles import CAPABILITIES, MANAGEABLE_ROLES, Cap
from kopdes.regions.models import Level, Region, RegionQuerySet, is_within, subtree_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kopdes.accounts.models import User

NATION = "*"


def _minimal(codes: set[str]) -> list[str]:
    """Drop codes that lie inside another code of the set, so each range is queried once."""
    if NATION in codes:
        return [NATION]
    return sorted(c for c in codes if not any(is_within(c, o, include_self=False) for o in codes))


def scope_codes(user: User | AnonymousUser, capability: str = Cap.VIEW) -> list[str]:
    """Root codes of the subtrees where `user` holds `capability` (['*'] for the nation, [] for nothing)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = user.__dict__.setdefault("_scope_cache", {})
    if capability not in cache:
        if user.is_superuser:
            cache[capability] = [NATION]
        else:
            cache[capability] = _minimal(
                {
                    a.scope_code or NATION
                    for a in user.active_assignments()
                    if capability in CAPABILITIES.get(a.role, ())
                }
            )
    return cache[capability]


def scope_q(user: User | AnonymousUser, field: str = "code", capability: str = Cap.VIEW) -> Q:
    """A filter on a region-code field: the union of index ranges, never LIKE."""
    codes = scope_codes(user, capability)
    if codes == [NATION]:
        return Q()
    q = Q(pk__in=[])
    for code in codes:
        q |= subtree_q(code, field)
    return q


def visible_regions(user: User | AnonymousUser, capability: str = Cap.VIEW) -> RegionQuerySet:
    """The regions `user` may see with `capability` (every region for a national scope, none for nobody)."""
    # scope_q, not codes_q: a national scope ('*') is no code range and must match everything
    return Region.objects.filter(scope_q(user, capability=capability))


def in_scope(user: User | AnonymousUser, code: str, capability: str = Cap.VIEW) -> bool:
    codes = scope_codes(user, capability)
    return codes == [NATION] or any(is_within(code, c) for c in codes)


def has_capability(user: User | AnonymousUser, capability: str) -> bool:
    return bool(scope_codes(user, capability))


def get_region_for_user(user: User | AnonymousUser, code: str, capability: str = Cap.VIEW) -> Region:
    if not in_scope(user, code, capability):
        raise Http404
    try:
        return Region.objects.select_related("parent").get(code=code)
    except Region.DoesNotExist as missing:
        raise Http404 from missing


def manageable_roles_at(user: User, code: str | None) -> set[str]:
    """Roles `user` may create or manage on the region `code` (None: the whole nation)."""
    if user.is_superuser:
        return set(MANAGEABLE_ROLES["admin_dinas"])
    roles: set[str] = set()
    for assignment in user.active_assignments():
        own = assignment.scope_code
        covers = own is None or (code is not None and is_within(code, own))
        if covers:
            roles |= MANAGEABLE_ROLES.get(assignment.role, frozenset())
    return roles


def primary_region(user: User | AnonymousUser) -> Region | None:
    assignments = user.active_assignments() if user.is_authenticated else []
    return next((a.region for a in assignments if a.region_id), None)


def scope_roots(user: User | AnonymousUser) -> list[Region]:
    """The top regions of the user's view scope (the provinces for a national scope)."""
    codes = scope_codes(user)
    if codes == [NATION]:
        return list(Region.objects.filter(level=Level.PROVINSI).active())
    return list(Region.objects.filter(code__in=codes))


def breadcrumb(user: User | AnonymousUser, region: Region, include_self: bool = False) -> list[tuple[Region, bool]]:
    """Ancestors of `region` (and itself, if asked) with whether the user may open each (outside the scope they are
    plain text)."""
    codes = region.ancestor_codes() + ([region.code] if include_self else [])
    ancestors = Region.objects.filter(code__in=codes).order_by("code")
    return [(ancestor, in_scope(user, ancestor.code)) for ancestor in ancestors]


# --- cooperatives a user works on by assignment (not by a region node) ----------------------------------------------
# A Business Assistant is assigned to cooperatives by dated rows kept in an upper layer (kopdes/returns), which the
# registry and the visits (lower layers) may not import. That layer registers here, at start-up, a function answering
# "the ids of the cooperatives this user works on now"; the lower layers ask `assigned_cooperative_ids`.
# Documented in docs/architecture.md ("Access by assignment").
_ASSIGNED_SOURCES: list = []


def register_assigned_cooperatives(source) -> None:
    """Register `source(user) -> set[int]` (cooperative ids); registering the same function twice keeps one."""
    if source not in _ASSIGNED_SOURCES:
        _ASSIGNED_SOURCES.append(source)


def assigned_cooperative_ids(user: User | AnonymousUser) -> set[int]:
    """Ids of the cooperatives `user` is assigned to work on now (empty for an anonymous or inactive user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    found: set[int] = set()
    for source in _ASSIGNED_SOURCES:
        found |= source(user)
    return found

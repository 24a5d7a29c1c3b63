"""Who sees and writes a cooperative's monthly returns.

- The cooperative's board (role pengurus on a village it serves) and the Business Assistants assigned to it (an open
  `AssistantAssignment`, the BA's role active on the cooperative's regency) enter its returns.
- The office (capability verify in scope) and its assigned BA return a submitted return with a reason; only the
  office reopens a locked month, and assigns BAs to cooperatives (it manages the BA accounts of the regency).
- Readers: whoever sees the cooperative (`Cooperative.objects.visible_to`), its BAs, and the PMO of its regency.
Anything else answers 404, like a missing record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import in_scope, manageable_roles_at, scope_codes, scope_q
from kopdes.cooperatives.access import village_codes
from kopdes.formation.models import Cooperative
from kopdes.regions.models import is_within
from kopdes.returns.models import AssistantAssignment

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def assigned_ids(user: User) -> set[int]:
    """Ids of the cooperatives `user` works on as a Business Assistant now: open assignments inside a regency where
    it holds the BA role (cached on the user object for the request)."""
    if not _active(user):
        return set()
    if "_ba_cooperatives" not in user.__dict__:
        regencies = scope_codes(user, Cap.ASSIST)
        found: set[int] = set()
        if regencies:
            rows = AssistantAssignment.objects.filter(assistant=user, ended_on__isnull=True).filter(
                scope_q(user, "region_code", Cap.ASSIST)
            )
            found = set(rows.values_list("cooperative_id", flat=True))
        user.__dict__["_ba_cooperatives"] = found
    return user.__dict__["_ba_cooperatives"]


def visible_cooperatives(user: User) -> QuerySet[Cooperative]:
    """The cooperatives whose returns `user` may read."""
    if not _active(user):
        return Cooperative.objects.none()
    q = Q(pk__in=Cooperative.objects.visible_to(user).values("pk")) if scope_codes(user) else Q(pk__in=[])
    ids = assigned_ids(user)
    if ids:
        q |= Q(pk__in=ids)
    if scope_codes(user, Cap.RECAP):
        q |= Q(pk__in=Cooperative.objects.filter(scope_q(user, "region_code", Cap.RECAP)).values("pk"))
    return Cooperative.objects.filter(q)


def get_cooperative(user: User, pk: int) -> Cooperative:
    """The cooperative `pk` if `user` may read its returns; else 404."""
    cooperative = visible_cooperatives(user).filter(pk=pk).first()
    if cooperative is None:
        raise Http404
    return cooperative


def is_board(user: User, cooperative: Cooperative) -> bool:
    codes = village_codes(cooperative)
    return any(
        a.role == Role.PENGURUS and a.scope_code and any(is_within(code, a.scope_code) for code in codes)
        for a in user.active_assignments()
    )


def can_enter(user: User, cooperative: Cooperative) -> bool:
    """The board of the cooperative or a BA assigned to it enters its returns."""
    if not _active(user) or not cooperative.is_active:
        return False
    return cooperative.pk in assigned_ids(user) or is_board(user, cooperative)


def can_send_back(user: User, cooperative: Cooperative) -> bool:
    """The office above the cooperative, or a BA assigned to it, returns a submitted return with a reason."""
    if not _active(user):
        return False
    return in_scope(user, cooperative.region_code, Cap.VERIFY) or cooperative.pk in assigned_ids(user)


def can_reopen(user: User, cooperative: Cooperative) -> bool:
    """Only the office reopens a locked month."""
    return _active(user) and in_scope(user, cooperative.region_code, Cap.VERIFY)


def can_assign(user: User, regency_code: str) -> bool:
    """Whoever manages the BA accounts of the regency (its admin dinas, or one above) assigns BAs to cooperatives."""
    return _active(user) and Role.BUSINESS_ASSISTANT in manageable_roles_at(user, regency_code)


def can_read_recaps(user: User, code: str) -> bool:
    """The office's pages (completeness, export) for the region `code`: whoever sees the region, or the PMO of it."""
    return in_scope(user, code) or in_scope(user, code, Cap.RECAP)

"""Who may see and change a cooperative's registry.

Seeing follows the formation record: `Cooperative.objects.visible_to(user)` (out of scope → 404). Changing is a rule of
its own: the office (admin dinas), the camat and the village operator within their scope, and the cooperative's own
board (role pengurus, assigned on a village the cooperative serves). The pendamping advises and only reads; the
pengurus role gets no formation rights from this rule (its capabilities stay view-only).

Reading the registry page is also open to a Business Assistant for the cooperatives assigned to it (and those only):
the assignment rows live in an upper layer, asked through `kopdes.accounts.scope.assigned_cooperative_ids`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import assigned_cooperative_ids, has_capability
from kopdes.formation.models import Cooperative
from kopdes.formation.selectors import get_cooperative_for_user
from kopdes.regions.models import is_within

if TYPE_CHECKING:
    from kopdes.accounts.models import User

REGISTRY_EDITORS = frozenset({Role.ADMIN_DINAS, Role.CAMAT, Role.OPERATOR_DESA, Role.PENGURUS})


def village_codes(cooperative: Cooperative) -> list[str]:
    codes = getattr(cooperative, "_registry_village_codes", None)
    if codes is None:
        codes = list(cooperative.memberships.filter(left_at__isnull=True).values_list("village_code", flat=True)) or [
            cooperative.region_code
        ]
        cooperative._registry_village_codes = codes  # type: ignore[attr-defined]  # a cache on this instance
    return codes


def can_edit_registry(user: User, cooperative: Cooperative) -> bool:
    """Whether `user` may change the profile, board, members, outlets and RAT of `cooperative`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not cooperative.is_active:
        return False
    if user.is_superuser:
        return True
    codes = village_codes(cooperative)
    for assignment in user.active_assignments():
        if assignment.role not in REGISTRY_EDITORS:
            continue
        own = assignment.scope_code
        if own is None or any(is_within(code, own) for code in codes):
            return True
    return False


def shows_people(user: User) -> bool:
    """Names of people (board, members): not for the read-only partner (mitra)."""
    return has_capability(user, Cap.VIEW_PERSONAL)


def get_readable_cooperative(user: User, pk: int) -> Cooperative:
    """The cooperative `pk` for its registry page: one the user sees by scope, or one assigned to it as a Business
    Assistant; else 404 (the same answer as a missing one)."""
    try:
        return get_cooperative_for_user(user, pk)
    except Http404:
        if pk not in assigned_cooperative_ids(user):
            raise
    return Cooperative.objects.select_related("programme", "updated_by", "merged_into").get(pk=pk)

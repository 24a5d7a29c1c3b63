"""Who may do what on a building. Seeing follows the cooperative (`Cooperative.objects.visible_to`, out of scope →
404). Submitting depends on the step (`workflow.Submitters`): the land by the village operator (the lurah's office on a
kelurahan is a village operator too) or the office; construction, equipment, channels and sales by the cooperative's
board (pengurus) or its assistant (pendamping), each assigned over a village the cooperative serves. Verifying and the
instalment plan: the office (admin dinas)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kopdes.accounts.roles import Role
from kopdes.buildings.workflow import Submitters
from kopdes.formation.models import Cooperative
from kopdes.regions.models import is_within

if TYPE_CHECKING:
    from kopdes.accounts.models import User

SUBMITTERS: dict[str, frozenset[str]] = {
    Submitters.LAND: frozenset({Role.OPERATOR_DESA, Role.ADMIN_DINAS}),
    Submitters.COOPERATIVE: frozenset({Role.PENGURUS, Role.PENDAMPING}),
}
OFFICE = frozenset({Role.ADMIN_DINAS})


def village_codes(cooperative: Cooperative) -> list[str]:
    """The codes of the villages the cooperative serves now (its own code when it has no membership)."""
    codes = getattr(cooperative, "_building_village_codes", None)
    if codes is None:
        active = cooperative.memberships.filter(left_at__isnull=True).values_list("village_code", flat=True)
        codes = list(active) or [cooperative.region_code]
        cooperative._building_village_codes = codes  # type: ignore[attr-defined]  # a cache on this instance
    return codes


def _holds(user: User, cooperative: Cooperative, roles: frozenset[str]) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not cooperative.is_active:
        return False
    if user.is_superuser:
        return True
    codes = village_codes(cooperative)
    return any(
        a.role in roles and (a.scope_code is None or any(is_within(code, a.scope_code) for code in codes))
        for a in user.active_assignments()
    )


def can_submit(user: User, cooperative: Cooperative, submitters: str) -> bool:
    """Whether `user` may submit a step whose submitters are `submitters` (a `workflow.Submitters` value)."""
    return _holds(user, cooperative, SUBMITTERS[submitters])


def can_verify(user: User, cooperative: Cooperative) -> bool:
    """The office verifies or returns evidence and enters the instalment plan."""
    return _holds(user, cooperative, OFFICE)

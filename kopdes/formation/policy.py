"""Who may do what on a cooperative record: one entry point, `can_act`, asked by views, services, imports and the
registry alike (the capabilities are `accounts.roles.Cap`, the scope test `accounts.scope.in_scope`)."""

from __future__ import annotations

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import in_scope
from kopdes.formation.models import Cooperative
from kopdes.formation.workflow import SubmissionStatus


def can_act(user, cooperative: Cooperative, capability: str) -> bool:
    memberships = cooperative.memberships.all()
    if cooperative.is_active:
        memberships = memberships.filter(left_at__isnull=True)
    elif capability not in (Cap.VIEW, Cap.VIEW_PERSONAL):
        return False  # a record merged away is history: read by those who see its villages, changed by nobody
    codes = memberships.values_list("village_code", flat=True)
    return any(in_scope(user, code, capability) for code in codes)


def may_submit(cooperative: Cooperative, stage: int) -> bool:
    """Whether submitting `stage` now is possible at all (next stage, nothing waiting)."""
    return (
        cooperative.is_active
        and cooperative.stage == stage - 1
        and not cooperative.submissions.filter(status=SubmissionStatus.PENDING).exists()
    )

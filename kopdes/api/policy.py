"""Who may do what on API tokens: the owner, or whoever may manage the owner's account, revokes one."""

from __future__ import annotations

from kopdes.accounts.policy import can_manage_user
from kopdes.api.models import ApiToken


def may_revoke(actor, token: ApiToken) -> bool:
    """The token's owner, or whoever may manage the owner's account (the regency's admin dinas); None: a command."""
    return actor is None or token.user_id == actor.pk or can_manage_user(actor, token.user)

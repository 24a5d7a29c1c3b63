"""API token writes: create (the raw token is returned once) and revoke; both audited."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kopdes.api.models import ApiToken, hash_token
from kopdes.api.policy import may_revoke
from kopdes.audit.services import record_audit

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def create_api_token(*, actor: User, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`, valid `days` (default settings.API_TOKEN_LIFETIME_DAYS); returns the row and the raw
    token (shown once, never stored). `actor` None is a server operator's command."""
    raw = secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=days or settings.API_TOKEN_LIFETIME_DAYS)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), expires_at=expires_at)
        record_audit(
            actor=actor,
            action="api.create_token",
            obj=token,
            after={"user": user.username, "name": name, "expires_at": expires_at.isoformat()},
        )
    return token, raw


def revoke_api_token(*, actor: User | None, token: ApiToken) -> None:
    """Stop a token at once; the row stays (who had which token when). Revoking a revoked token changes nothing."""
    if not may_revoke(actor, token):
        raise PermissionDenied
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit(actor=actor, action="api.revoke_token", obj=token, after={"user": token.user.username})

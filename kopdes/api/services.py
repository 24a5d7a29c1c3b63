import secrets

from django.db import transaction
from django.utils import timezone

from kopdes.api.models import ApiToken, hash_token
from kopdes.audit.services import record_audit


def create_api_token(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw token (shown once, never stored)."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw))
        record_audit(actor=actor, action="api.create_token", obj=token, after={"user": user.username, "name": name})
    return token, raw


def revoke_api_token(*, actor, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_audit(actor=actor, action="api.revoke_token", obj=token)

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.management.base import BaseCommand, CommandError

from kopdes.api.models import ApiToken
from kopdes.api.services import revoke_api_token

if TYPE_CHECKING:
    from kopdes.accounts.models import User


class Command(BaseCommand):
    help = (
        "List API tokens (all, or one user's) or revoke one by its id. Raw tokens are never shown: only hashes exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", help="only this username's tokens")
        parser.add_argument("--active", action="store_true", help="only tokens that still work")
        parser.add_argument("--revoke", type=int, metavar="ID", help="revoke the token with this id")

    def handle(self, *args, user: User | None = None, active=False, revoke=None, **options):
        if revoke is not None:
            token = ApiToken.objects.select_related("user").filter(pk=revoke).first()
            if token is None:
                raise CommandError(f"no API token with id {revoke}")
            revoke_api_token(actor=None, token=token)
            self.stdout.write(f"revoked token {token.pk} ({token.user.username} · {token.name})")
            return
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if user:
            tokens = tokens.filter(user__username=user)
        if active:
            tokens = tokens.usable()
        self.stdout.write(
            f"{'id':>5}  {'user':<20} {'name':<20} {'created':<10} {'expires':<10} {'last used':<16} status"
        )
        for t in tokens:
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "-"
            self.stdout.write(
                f"{t.pk:>5}  {t.user.username:<20} {t.name[:20]:<20} {t.created_at:%Y-%m-%d} {t.expires_at:%Y-%m-%d} "
                f"{used:<16} {t.status}"
            )

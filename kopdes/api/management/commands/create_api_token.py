from django.core.management.base import BaseCommand, CommandError

from kopdes.accounts.models import User
from kopdes.api.services import create_api_token


class Command(BaseCommand):
    help = "Create a bearer token for the JSON API for an existing, active user; prints it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--days", type=int, default=None, help="valid this many days (default: the setting)")

    def handle(self, *args, username, name, days=None, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as missing:
            raise CommandError(f"no active user {username!r}") from missing
        token, raw = create_api_token(actor=None, user=user, name=name, days=days)
        self.stdout.write(raw)
        self.stderr.write(f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC; list or revoke with manage.py api_tokens")

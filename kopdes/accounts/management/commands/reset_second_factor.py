from django.core.management.base import BaseCommand, CommandError

from kopdes.accounts.models import User
from kopdes.accounts.services import reset_second_factor


class Command(BaseCommand):
    help = (
        "Remove the second factor of an account that lost its phone and recovery codes (for example the last admin "
        "dinas of a regency, whom no other admin can reset). Audited as done by the server operator."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why (kept in the audit log), e.g. a ticket number")

    def handle(self, *args, username, reason, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        reset_second_factor(actor=None, user=user, source=f"manage.py reset_second_factor: {reason}"[:200])
        self.stdout.write(f"second factor of {username} removed; it logs in with its password and sets up a new one")

"""Check that the demo data tells one consistent story (kopdes/web/demo_check.py); non-zero with each breach."""

from django.core.management.base import BaseCommand, CommandError

from kopdes.web.demo_check import violations


class Command(BaseCommand):
    help = "Check the demo's consistency: registry facts after their stage, one NIK per person, Musdesus pages equal "
    help += "to the stages, no future dates, stage moves in order, no dashboard showing target met and overdue."

    def handle(self, *args, **options):
        found = violations()
        if found:
            raise CommandError(f"The demo is inconsistent ({len(found)}):\n" + "\n".join(f"  {v}" for v in found))
        self.stdout.write("Demo consistency check passed.")

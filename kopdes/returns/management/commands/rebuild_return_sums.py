"""Recount the kept per-region, per-month sums of the returns from the returns themselves (after a bulk load, or to
check them: the table always equals a recount)."""

from django.core.management.base import BaseCommand

from kopdes.returns import sums


class Command(BaseCommand):
    help = "Recount the kept sums of the monthly returns (returns_returnsum) from the returns."

    def handle(self, *args, **options):
        rows = sums.rebuild()
        self.stdout.write(f"{rows} sums written")

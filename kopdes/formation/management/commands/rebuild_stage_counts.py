"""`manage.py rebuild_stage_counts`: fill the stage counts (formation.counts) again from the stage history."""

from django.core.management.base import BaseCommand

from kopdes.formation import counts


class Command(BaseCommand):
    help = "Rebuild the dashboards' stage counts and last-move dates from the stage history (one transaction)."

    def handle(self, *args, **options):
        n = counts.rebuild()
        self.stdout.write(f"stage counts rebuilt from the history of {n} cooperatives")

"""Daily: store each active cooperative's health score for the trend (the registry writes also store their own)."""

from django.core.management.base import BaseCommand

from kopdes.cooperatives.services import record_health_scores


class Command(BaseCommand):
    help = "Store today's health score of every active cooperative (rerunning the same day rewrites the row)."

    def handle(self, *args, **options):
        count = record_health_scores()
        self.stdout.write(f"Health scores recorded for {count} cooperatives.")

"""Open the camat reports' periods up to today (the scheduled job; cron it daily, e.g. 00:05 WITA)."""

from datetime import date

from django.core.management.base import BaseCommand

from kopdes.reports.services import open_report_periods, open_report_periods_task


class Command(BaseCommand):
    help = "Open the reporting periods of every active programme up to today (enqueued for the task worker)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="as if today were this date (YYYY-MM-DD)")
        parser.add_argument("--now", action="store_true", help="run here instead of enqueueing a django-tasks task")

    def handle(self, *args, **options):
        today = options.get("today")
        if options["now"]:
            self.stdout.write(f"{open_report_periods(today=today)} period(s) opened")
        else:
            result = open_report_periods_task.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"enqueued task {result.id}")

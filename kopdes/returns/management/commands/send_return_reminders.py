"""Open the months of the returns and remind boards and BAs of returns due soon or overdue. Run daily by cron."""

from datetime import date

from django.core.management.base import BaseCommand

from kopdes.returns.reminders import send_return_reminders, send_return_reminders_task


class Command(BaseCommand):
    help = "Send monthly return reminders (in-app and email). Idempotent: running twice sends nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run here instead of enqueueing a django-tasks task")
        parser.add_argument("--today", type=date.fromisoformat, help="the local date to act on (YYYY-MM-DD)")

    def handle(self, *args, now=False, today=None, **options):
        if now:
            sent = send_return_reminders(today=today)
            self.stdout.write(f"{sent} reminder(s) sent")
        else:
            result = send_return_reminders_task.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"enqueued task {result.id}")

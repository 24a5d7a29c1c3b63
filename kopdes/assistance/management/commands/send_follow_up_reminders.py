"""Remind pendamping and operator desa about follow-ups of visits that are due. Run daily by cron, like
send_report_reminders."""

from datetime import date

from django.core.management.base import BaseCommand

from kopdes.assistance.reminders_activities import send_follow_up_reminders, send_follow_up_reminders_task


class Command(BaseCommand):
    help = "Send follow-up due notifications (in-app). Idempotent: running twice sends nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run here instead of enqueueing a django-tasks task")
        parser.add_argument("--today", type=date.fromisoformat, help="the local date to act on (YYYY-MM-DD)")

    def handle(self, *args, now=False, today=None, **options):
        if now:
            sent = send_follow_up_reminders(today=today)
            self.stdout.write(f"{sent} notification(s) sent")
        else:
            result = send_follow_up_reminders_task.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"enqueued task {result.id}")

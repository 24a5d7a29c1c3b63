"""Follow-up due reminders: on and after its due date, an open follow-up of a visit is notified to the visit's
pendamping and to the village's operator desa, in-app through `notify` (idempotent per user and key: a second run, or
a retried task, sends nothing twice)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kopdes.accounts.models import RoleAssignment
from kopdes.accounts.roles import Role
from kopdes.assistance.models import FollowUp
from kopdes.clock import local_today
from kopdes.notifications.models import NotificationKind
from kopdes.notifications.services import notify


def follow_up_key(follow_up: FollowUp) -> str:
    return f"follow-up:{follow_up.pk}:due"


def send_follow_up_reminders(*, today: date | None = None) -> int:
    """Notify about every open follow-up whose due date has come (in the village's own calendar, or `today`).
    Returns the number of notifications created in this run."""
    open_ones = list(
        FollowUp.objects.filter(
            done_date__isnull=True,
            visit__cancelled_at__isnull=True,
            due_date__lte=today or timezone.now().date() + timedelta(days=1),
        )
        .select_related("visit__pendamping", "visit__village")
        .order_by("due_date", "id")
    )
    due = [f for f in open_ones if f.due_date <= (today or local_today(f.village_code))]
    operators: dict[str, list] = {}
    for assignment in RoleAssignment.objects.filter(
        role=Role.OPERATOR_DESA,
        ended_at__isnull=True,
        user__is_active=True,
        region__code__in={f.village_code for f in due},
    ).select_related("user", "region"):
        assert assignment.region is not None  # filtered on the region's code
        operators.setdefault(assignment.region.code, []).append(assignment.user)
    sent = 0
    for follow_up in due:
        visit = follow_up.visit
        recipients = [visit.pendamping] if visit.pendamping.is_active else []
        recipients += [u for u in operators.get(follow_up.village_code, []) if u not in recipients]
        with translation.override("id"):
            text = _("Follow-up of the visit to %(village)s on %(date)s is due on %(due)s: %(action)s") % {
                "village": visit.village.display_name,
                "date": f"{visit.visit_date:%d/%m/%Y}",
                "due": f"{follow_up.due_date:%d/%m/%Y}",
                "action": follow_up.text,
            }
        url = reverse("assistance:visit_detail", kwargs={"pk": visit.pk})
        for user in recipients:
            created = notify(
                user=user, kind=NotificationKind.FOLLOW_UP_DUE, key=follow_up_key(follow_up), text=text, url=url
            )
            sent += created is not None
    return sent


@task()
def send_follow_up_reminders_task(today: str | None = None) -> int:
    return send_follow_up_reminders(today=date.fromisoformat(today) if today else None)

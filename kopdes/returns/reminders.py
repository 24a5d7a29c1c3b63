"""Reminders about a cooperative's monthly return, to its board (role pengurus on its village) and its Business
Assistants: `KIND.remind_days_before` days before the due date and from the day after it (`PeriodKind.reminder`),
in-app and by email. Idempotent: each (month, cooperative, user, kind) is sent once (SentReturnReminder), as the
camat reports' reminders (kopdes/reports/reminders.py)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kopdes.accounts.models import RoleAssignment, User
from kopdes.accounts.roles import Role
from kopdes.audit.services import record_audit
from kopdes.clock import local_date
from kopdes.formation.models import Cooperative
from kopdes.notifications.models import NotificationKind
from kopdes.notifications.services import notify, reminder_sent
from kopdes.periods.rules import BEFORE
from kopdes.returns import services
from kopdes.returns.models import KIND, AssistantAssignment, MonthlyReturn, ReturnPeriod, SentReturnReminder
from kopdes.returns.selectors import expected_cooperatives


def send_return_reminders(*, today: date | None = None, code: str = "") -> int:
    """Remind the board and the BAs of every expected cooperative (in the region `code`; "" the nation) without a
    current return for a month whose reminder day is today (each cooperative's own calendar, or `today`). Returns
    the number sent in this run."""
    sent = 0
    newest = today or timezone.localdate() + timedelta(days=1)  # a zone east of the server's may be a day ahead
    services.ensure_periods(until=newest)
    periods = list(ReturnPeriod.objects.filter(due__gte=newest - timedelta(days=KIND.catch_up_days + 1)))
    for period in periods:
        reported = MonthlyReturn.objects.filter(period=period).exclude(status="superseded").values("cooperative_id")
        for cooperative in expected_cooperatives(code).exclude(pk__in=reported):
            day = today or local_date(cooperative.region_code)
            kind = KIND.reminder(period.due, day) if day > period.end else None
            if kind:
                for user in recipients(cooperative):
                    sent += _send_one(period, cooperative, user, kind)
    return sent


def recipients(cooperative: Cooperative) -> list[User]:
    """The active board accounts on the cooperative's village and its assigned BAs."""
    board = RoleAssignment.objects.filter(
        role=Role.PENGURUS, ended_at__isnull=True, user__is_active=True, region__code=cooperative.region_code
    ).values("user_id")
    assistants = AssistantAssignment.objects.filter(
        cooperative=cooperative, ended_on__isnull=True, assistant__is_active=True
    ).values("assistant_id")
    return list(User.objects.filter(pk__in=board) | User.objects.filter(pk__in=assistants))


def _send_one(period: ReturnPeriod, cooperative: Cooperative, user: User, kind: str) -> int:
    if SentReturnReminder.objects.filter(period=period, cooperative=cooperative, user=user, kind=kind).exists():
        return 0
    url = reverse("returns:enter", kwargs={"pk": cooperative.pk, "period_pk": period.pk})
    with translation.override("id"):
        if kind == BEFORE:
            text = _("The monthly return of %(cooperative)s for %(month)s is due on %(due)s.")
        else:
            text = _("The monthly return of %(cooperative)s for %(month)s was due on %(due)s and has not been sent.")
        text = text % {
            "cooperative": cooperative.name,
            "month": f"{period.start:%m/%Y}",
            "due": f"{period.due:%d/%m/%Y}",
        }
    try:
        with transaction.atomic():
            SentReturnReminder.objects.create(
                period=period, cooperative=cooperative, user=user, kind=kind, sent_at=timezone.now()
            )
            notification = notify(
                user=user,
                kind=NotificationKind.REPORT_DUE,
                key=f"return_due:{period.pk}:{cooperative.pk}:{kind}",
                text=text,
                url=url,
                email=False,  # the worker's task already: the email follows after the commit
            )
            record_audit(
                actor=None,
                action="returns.send_reminder",
                obj=cooperative,
                region_code=cooperative.region_code,
                after={"user": user.pk, "kind": kind, "period": str(period.start)},
                source="scheduler",
            )
    except IntegrityError:  # another run sent it a moment ago
        return 0
    return reminder_sent(notification)  # after the commit: a failing mail server must not undo the record


@task()
def send_return_reminders_task(today: str | None = None) -> int:
    return send_return_reminders(today=date.fromisoformat(today) if today else None)

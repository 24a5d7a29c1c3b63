"""Reminders to the camat: a set number of days before a period's due date and from the day after it, in-app and by
email. Idempotent: each (period, kecamatan, user, kind) is sent once, whatever the number of runs (SentReminder)."""

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
from kopdes.formation.models import Programme
from kopdes.notifications.models import NotificationKind
from kopdes.notifications.services import notify, reminder_sent
from kopdes.periods.rules import BEFORE
from kopdes.regions.models import Level, Region, subtree_q
from kopdes.reports import services
from kopdes.reports.models import CamatReport, ReportPeriod, ReportStatus, SentReminder, period_kind


def send_report_reminders(*, today: date | None = None) -> int:
    """Remind every camat whose kecamatan has not submitted the report of a period that is due soon (or was due
    on the day after it, caught up for a few days: `PeriodKind.reminder`). Returns the number of reminders sent in
    this run."""
    sent = 0
    for programme in Programme.objects.filter(is_active=True).select_related("region"):
        day = today or local_date(programme.region.code)
        services.ensure_periods(programme=programme, until=day)
        rule = period_kind(programme)
        periods = ReportPeriod.objects.filter(
            programme=programme, due__gte=day - timedelta(days=rule.catch_up_days), start__lte=day
        )
        for period in periods:
            kind = rule.reminder(period.due, day)
            if kind:
                sent += _remind(programme, period, kind)
    return sent


def _remind(programme: Programme, period: ReportPeriod, kind: str) -> int:
    code = programme.region.code
    reported = CamatReport.objects.filter(period=period).exclude(status=ReportStatus.DRAFT).values("kecamatan_id")
    assignments = (
        RoleAssignment.objects.filter(role=Role.CAMAT, ended_at__isnull=True, user__is_active=True)
        .filter(region__level=Level.KECAMATAN)
        .filter(subtree_q(code, "region__code"))
        .exclude(region_id__in=reported)
        .select_related("user", "region")
    )
    done = set(SentReminder.objects.filter(period=period, kind=kind).values_list("kecamatan_id", "user_id"))
    sent = 0
    for assignment in assignments:
        if assignment.region is None or (assignment.region_id, assignment.user_id) in done:
            continue
        sent += _send_one(period, assignment.region, assignment.user, kind)
    return sent


def _send_one(period: ReportPeriod, kecamatan: Region, user: User, kind: str) -> int:
    url = reverse("reports:period_report", kwargs={"code": kecamatan.code, "period_pk": period.pk})
    with translation.override("id"):
        if kind == BEFORE:
            text = _("The report of %(kecamatan)s for %(period)s is due on %(due)s.")
        else:
            text = _("The report of %(kecamatan)s for %(period)s was due on %(due)s and has not been submitted.")
        text = text % {"kecamatan": kecamatan.display_name, "period": period, "due": f"{period.due:%d/%m/%Y}"}
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                period=period, kecamatan=kecamatan, user=user, kind=kind, sent_at=timezone.now()
            )
            notification = notify(
                user=user,
                kind=NotificationKind.REPORT_DUE,
                key=f"report_due:{period.pk}:{kecamatan.pk}:{kind}",
                text=text,
                url=url,
                email=False,  # this run is the worker's task already: the email follows below, after the commit
            )
            record_audit(
                actor=None,
                action="reports.send_reminder",
                obj=period,
                region_code=kecamatan.code,
                after={"user": user.pk, "kind": kind},
                source="scheduler",
            )
    except IntegrityError:  # another run sent it a moment ago
        return 0
    return reminder_sent(notification)  # after the commit: a failing mail server must not undo the record


@task()
def send_report_reminders_task(today: str | None = None) -> int:
    return send_report_reminders(today=date.fromisoformat(today) if today else None)

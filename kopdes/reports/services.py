"""Report writes: open the periods (the scheduled job), save and submit a camat report, start a new version, accept
or return it. Each in one transaction and in the audit log. Reminders live in kopdes/reports/reminders.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import in_scope
from kopdes.audit.services import record_audit
from kopdes.audit.stale import check_fresh
from kopdes.clock import local_date
from kopdes.documents.models import IssuerKind
from kopdes.documents.selectors import issuer_for
from kopdes.documents.services import issue_paper
from kopdes.formation.models import Programme
from kopdes.notifications.models import NotificationKind
from kopdes.notifications.services import notify
from kopdes.periods.rules import timeliness_of
from kopdes.periods.services import open_periods
from kopdes.regions.models import Level, Region, is_within
from kopdes.reports.models import (
    REGISTER_KIND,
    CamatReport,
    ReportPeriod,
    ReportStatus,
    period_kind,
    register_subject,
)
from kopdes.reports.policy import can_write
from kopdes.reports.selectors import NARRATIVE_FIELDS, READ_FIELDS, latest_or_new, latest_version, read_key

if TYPE_CHECKING:
    from kopdes.accounts.models import User

MAX_TEXT = 5000


def ensure_periods(*, programme: Programme, until: date, actor: User | None = None) -> list[ReportPeriod]:
    """Create the programme's periods from its start up to the one containing `until`; rerunnable (existing periods
    are kept as they are). Returns the periods created. Called by the scheduled job (`open_report_periods`) and by
    the writes that need a period; never by opening a page."""
    return open_periods(
        model=ReportPeriod,
        kind=period_kind(programme),
        anchor=programme.start_date,
        until=until,
        owner={"programme": programme},
        actor=actor,
        audit_obj=programme,
        region_code=programme.region.code,
        action="reports.ensure_periods",
        source="scheduler" if actor is None else "",
    )


def open_report_periods(*, today: date | None = None) -> int:
    """The scheduled job: open the periods of every active programme up to the one containing today in the
    programme's own calendar (or `today`). Rerunnable; returns the number of periods created."""
    created = 0
    for programme in Programme.objects.filter(is_active=True).select_related("region"):
        created += len(ensure_periods(programme=programme, until=today or local_date(programme.region.code)))
    return created


@task()
def open_report_periods_task(today: str | None = None) -> int:
    return open_report_periods(today=date.fromisoformat(today) if today else None)


def _when(at: datetime | None) -> datetime:
    """`at`, or now; a moment in the future is refused."""
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise ValidationError(_("A report cannot be dated in the future."))
    return at


def _require_writer(user, kecamatan: Region) -> None:
    if kecamatan.level != Level.KECAMATAN or not can_write(user, kecamatan.code):
        raise PermissionDenied


def _check_narrative(narrative: dict) -> dict:
    clean = {name: (narrative.get(name) or "").strip() for name in NARRATIVE_FIELDS}
    errors = {name: _("At most %(n)d characters.") % {"n": MAX_TEXT} for name, v in clean.items() if len(v) > MAX_TEXT}
    if errors:
        raise ValidationError(errors)
    return clean


def _check_village_obstacles(kecamatan: Region, village_obstacles: dict | None) -> dict:
    village_obstacles = {code: (text or "").strip() for code, text in (village_obstacles or {}).items()}
    foreign = [code for code in village_obstacles if not is_within(code, kecamatan.code, include_self=False)]
    if foreign:
        raise ValidationError(_("Obstacles were given for villages outside the kecamatan."))
    if any(len(text) > MAX_TEXT for text in village_obstacles.values()):
        raise ValidationError(_("At most %(n)d characters.") % {"n": MAX_TEXT})
    return {code: text for code, text in village_obstacles.items() if text}


def save_draft(
    *,
    actor: User,
    kecamatan: Region,
    period: ReportPeriod,
    obstacles: str = "",
    follow_up: str = "",
    assistance_needed: str = "",
    building_notes: str = "",
    village_obstacles: dict | None = None,
    read: str | None = None,
    at: datetime | None = None,
) -> CamatReport:
    """Write the narrative of the kecamatan's draft for the period (making version 1 if there is none yet). A
    submitted version is never changed: the camat starts a new version (`start_new_version`). `read`: the form's
    token (`report_token`); a draft saved by someone else after it was read raises `StaleEdit`. `at`: when the draft
    was written, if not now (a report entered from its paper copy, the demo's reconstruction); never in the future."""
    _require_writer(actor, kecamatan)
    narrative = _check_narrative(
        {
            "obstacles": obstacles,
            "follow_up": follow_up,
            "assistance_needed": assistance_needed,
            "building_notes": building_notes,
        }
    )
    per_village = _check_village_obstacles(kecamatan, village_obstacles)
    with transaction.atomic():
        latest = (
            CamatReport.objects.select_for_update().filter(period=period, kecamatan=kecamatan).order_by("-version")
        ).first()
        if latest is not None and latest.status != ReportStatus.DRAFT:
            raise ValidationError(
                _("This report was submitted and can no longer be changed. Start a new version to correct it.")
            )
        if read is not None:
            check_fresh(
                latest_or_new(latest, period, kecamatan),
                READ_FIELDS,
                read,
                submitted={**narrative, "village_obstacles": village_obstacles},
                key=read_key(period, kecamatan),
            )
        now = _when(at)
        if latest is None:
            try:
                with transaction.atomic():
                    latest = CamatReport.objects.create(
                        period=period,
                        kecamatan=kecamatan,
                        kecamatan_code=kecamatan.code,
                        created_by=actor,
                        created_at=now,
                        village_obstacles=per_village,
                        **narrative,
                    )
            except IntegrityError as clash:
                raise ValidationError(_("Someone else started this report a moment ago. Open it again.")) from clash
        else:
            for name, value in narrative.items():
                setattr(latest, name, value)
            latest.village_obstacles = per_village
            latest.save(update_fields=[*NARRATIVE_FIELDS, "village_obstacles"])
        record_audit(
            actor=actor,
            action="reports.save_draft",
            obj=latest,
            region_code=kecamatan.code,
            after={**narrative, "village_obstacles": per_village},
        )
    return latest


def submit_report(
    *, actor: User, kecamatan: Region, period: ReportPeriod, at: datetime | None = None, **narrative
) -> CamatReport:
    """Save the narrative and submit the draft: the village table is taken from live data and frozen, the timeliness
    is set from the local date of submission, and the letter takes its number from the kecamatan's register of
    outgoing letters (`documents.services.issue_paper`, kind "laporan-camat", dated the day of submission). Submitting
    twice is refused (the second finds no draft).

    `at`: the moment of submission if not now (never in the future, ValidationError): the village table is then the
    stage history as it stood at that moment (`live_snapshot(..., at=)`), the timeliness that of that day."""
    from kopdes.reports.selectors import live_snapshot

    with transaction.atomic():
        report = save_draft(actor=actor, kecamatan=kecamatan, period=period, at=at, **narrative)
        now = _when(at)
        report.snapshot = live_snapshot(kecamatan, period, at=at)
        report.status = ReportStatus.SUBMITTED
        report.submitted_by, report.submitted_at = actor, now
        report.timeliness = timeliness_of(period, local_date(kecamatan.code, now))
        report.save(update_fields=["snapshot", "status", "submitted_by", "submitted_at", "timeliness"])
        issue_paper(
            issuer_for(IssuerKind.KECAMATAN, kecamatan),
            REGISTER_KIND,
            register_subject(report.pk),
            local_date(kecamatan.code, now),
            actor,
            summary=f"Laporan perkembangan KDKMP {kecamatan.display_name} {period.start:%d-%m-%Y} s.d. "
            f"{period.end:%d-%m-%Y} (versi {report.version})",
        )
        record_audit(
            actor=actor,
            action="reports.submit_report",
            obj=report,
            region_code=kecamatan.code,
            after={"version": report.version, "timeliness": report.timeliness, "villages": len(report.snapshot)},
        )
    return report


def start_new_version(*, actor: User, report: CamatReport) -> CamatReport:
    """A new draft after a submitted (or returned) version, with its narrative copied; the earlier stays readable."""
    _require_writer(actor, report.kecamatan)
    with transaction.atomic():
        latest = latest_version(report.period, report.kecamatan)
        if latest is None or latest.pk != report.pk:
            raise ValidationError(_("A newer version of this report exists."))
        if report.status == ReportStatus.DRAFT:
            raise ValidationError(_("This version is still a draft: edit it instead."))
        if report.status == ReportStatus.ACCEPTED:
            raise ValidationError(_("The office accepted this report; it cannot be replaced."))
        try:
            with transaction.atomic():
                new = CamatReport.objects.create(
                    period=report.period,
                    kecamatan=report.kecamatan,
                    kecamatan_code=report.kecamatan_code,
                    version=report.version + 1,
                    created_by=actor,
                    created_at=timezone.now(),
                    village_obstacles=report.village_obstacles,
                    **{name: getattr(report, name) for name in NARRATIVE_FIELDS},
                )
        except IntegrityError as clash:
            raise ValidationError(_("Someone else started a new version a moment ago. Open it again.")) from clash
        record_audit(actor=actor, action="reports.start_new_version", obj=new, region_code=report.kecamatan_code)
    return new


def _decide(actor: User, report: CamatReport, status: str, comment: str, at: datetime | None = None) -> None:
    if not in_scope(actor, report.kecamatan_code, Cap.VERIFY):
        raise PermissionDenied
    with transaction.atomic():
        locked = CamatReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted report waiting for the office can be accepted or returned."))
        now = _when(at)
        if report.submitted_at and now < report.submitted_at:
            raise ValidationError(_("A report cannot be decided before it was submitted."))
        report.status, report.decided_by, report.decided_at = status, actor, now
        report.decision_comment = comment
        report.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        record_audit(
            actor=actor,
            action=f"reports.{'accept' if status == ReportStatus.ACCEPTED else 'return'}_report",
            obj=report,
            region_code=report.kecamatan_code,
            after={"status": status, "comment": comment},
        )


def accept_report(*, actor: User, report: CamatReport, comment: str = "", at: datetime | None = None) -> None:
    """The office accepts a submitted report (an optional comment stays visible to the camat); `at` as in
    `submit_report`."""
    _decide(actor, report, ReportStatus.ACCEPTED, (comment or "").strip()[:MAX_TEXT], at)


def return_report(*, actor: User, report: CamatReport, comment: str) -> None:
    """The office returns a submitted report with a comment the camat sees; the camat answers with a new version."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what must be corrected.")})
    if len(comment) > MAX_TEXT:
        raise ValidationError({"comment": _("At most %(n)d characters.") % {"n": MAX_TEXT}})
    _decide(actor, report, ReportStatus.RETURNED, comment)
    _notify_returned(report, comment)


def _notify_returned(report: CamatReport, comment: str) -> None:
    """Tell who submitted the report that the office returned it, in-app and by email."""
    recipient = report.submitted_by or report.created_by
    with translation.override("id"):
        text = _("The office returned the report of %(kecamatan)s for %(period)s: %(comment)s") % {
            "kecamatan": report.kecamatan.display_name,
            "period": report.period,
            "comment": comment,
        }
    notify(
        user=recipient,
        kind=NotificationKind.REPORT_RETURNED,
        key=f"report_returned:{report.pk}",
        text=text,
        url=reverse("reports:report_detail", kwargs={"pk": report.pk}),
    )

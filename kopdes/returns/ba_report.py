"""The Business Assistant's monthly report: who may do what, the reads of the pages and the PMO's recap, and the
writes (submit a version, return it with a reason, accept it). Kept apart from the cooperatives' returns; the months
are theirs (kopdes/periods through `ReturnPeriod`). The model: kopdes/returns/models_ba.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import in_scope, scope_codes
from kopdes.assistance.models import Visit
from kopdes.audit.services import record_audit
from kopdes.audit.stale import check_fresh
from kopdes.buildings.models import Building
from kopdes.clock import local_date
from kopdes.formation.models import Cooperative
from kopdes.periods.models import Window
from kopdes.periods.rules import timeliness_of, window
from kopdes.regions.models import subtree_q
from kopdes.returns.models import AssistantAssignment, ReturnPeriod
from kopdes.returns.models_ba import BAReport, BAReportItem, BAReportStatus, Readiness

if TYPE_CHECKING:
    from kopdes.accounts.models import User

MAX_TEXT = 5000
READ_FIELDS = ["version", "status", "summary"]
CHECKS = [
    "building_ready",
    "outlet_ready",
    "business_plan",
    "simkopdes_updated",
    "partnerships",
    "problems",
    "follow_ups",
]

# --- policy ----------------------------------------------------------------------------------------------------------


def regency_of(user: User) -> str | None:
    """The regency where `user` holds the BA role (its first, if several), or None."""
    codes = scope_codes(user, Cap.ASSIST)
    return codes[0] if codes and codes[0] != "*" else None


def can_decide(user: User, report: BAReport) -> bool:
    """The office of the regency (capability verify) returns or accepts a BA's report."""
    return in_scope(user, report.region_code, Cap.VERIFY)


def can_read(user: User, report: BAReport) -> bool:
    """The BA itself, the office of the regency, its PMO."""
    return report.assistant_id == user.pk or can_recap(user, report.region_code)


def can_recap(user: User, code: str) -> bool:
    """The office (verify) and the PMO (recap) of the region read the BA reports and the recap."""
    return in_scope(user, code, Cap.VERIFY) or in_scope(user, code, Cap.RECAP)


# --- reads -----------------------------------------------------------------------------------------------------------


def read_key(assistant: User, period: ReturnPeriod) -> str:
    return f"ba-report:assistant={assistant.pk}:period={period.pk}"


def assigned(assistant: User) -> list[Cooperative]:
    """The cooperatives assigned to `assistant` now, in region-code order."""
    ids = AssistantAssignment.objects.filter(assistant=assistant, ended_on__isnull=True).values("cooperative_id")
    return list(Cooperative.objects.filter(pk__in=ids).order_by("region_code"))


def unsent(assistant: User, period: ReturnPeriod) -> BAReport:
    """What a form reads when the month has no report yet (version 0: any report sent meanwhile differs from it)."""
    return BAReport(assistant=assistant, period=period, version=0, status="")


def current_report(assistant: User, period: ReturnPeriod) -> BAReport | None:
    """The latest version that is not superseded, or None."""
    return (
        BAReport.objects.filter(assistant=assistant, period=period)
        .exclude(status=BAReportStatus.SUPERSEDED)
        .prefetch_related("items__cooperative")
        .first()
    )


def visits_in(assistant: User, cooperative_ids, period: ReturnPeriod) -> dict[int, list[Visit]]:
    """{cooperative id: the BA's visits to it in the month}, cancelled ones left out."""
    found: dict[int, list[Visit]] = {}
    rows = Visit.objects.filter(
        pendamping=assistant,
        cooperative_id__in=list(cooperative_ids),
        visit_date__range=(period.start, period.end),
        cancelled_at__isnull=True,
    ).order_by("visit_date")
    for visit in rows:
        found.setdefault(visit.cooperative_id, []).append(visit)  # type: ignore[arg-type]
    return found


def building_steps(cooperative_ids) -> dict[int, int | None]:
    """{cooperative id: the building track's last verified step} (kopdes/buildings)."""
    return dict(Building.objects.filter(cooperative_id__in=list(cooperative_ids)).values_list("cooperative_id", "step"))


def reports_of(code: str, period: ReturnPeriod) -> QuerySet[BAReport]:
    """The current reports of the region's BAs for the month."""
    return (
        BAReport.objects.filter(period=period)
        .exclude(status=BAReportStatus.SUPERSEDED)
        .filter(subtree_q(code, "region_code"))
        .select_related("assistant")
        .annotate(cooperatives=Count("items"))
        .order_by("assistant__full_name")
    )


@dataclass
class RecapRow:
    """One BA in the PMO's recap: its assigned cooperatives, its report for the month (`state`: on time, late, or
    missing when none was accepted) and the tallies of the accepted report's checklist."""

    assistant: User
    assigned: int
    state: str
    report: BAReport | None = None
    building_ready: int = 0
    outlet_ready: int = 0
    business_plan: int = 0
    simkopdes_updated: int = 0
    visits: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)


MISSING = "missing"


def recap(code: str, period: ReturnPeriod) -> list[RecapRow]:
    """The PMO's recap of the region for the month, from the accepted BA reports: one row per BA with an open
    assignment in the region (a BA with none is not expected to report)."""
    counts: dict[int, int] = {}
    users: dict[int, User] = {}
    for assignment in (
        AssistantAssignment.objects.filter(ended_on__isnull=True)
        .filter(subtree_q(code, "region_code"))
        .select_related("assistant")
    ):
        counts[assignment.assistant_id] = counts.get(assignment.assistant_id, 0) + 1
        users[assignment.assistant_id] = assignment.assistant
    accepted = {
        r.assistant_id: r
        for r in BAReport.objects.filter(period=period, status=BAReportStatus.ACCEPTED, assistant_id__in=list(users))
        .filter(subtree_q(code, "region_code"))
        .prefetch_related("items__cooperative")
    }
    rows = []
    for pk, user in sorted(users.items(), key=lambda kv: str(kv[1])):
        report = accepted.get(pk)
        row = RecapRow(
            assistant=user, assigned=counts[pk], state=report.timeliness if report else MISSING, report=report
        )
        for item in report.items.all() if report else []:
            row.building_ready += item.building_ready == Readiness.READY
            row.outlet_ready += item.outlet_ready == Readiness.READY
            row.business_plan += item.business_plan
            row.simkopdes_updated += item.simkopdes_updated
            row.visits += item.visits
            if item.problems:
                row.problems.append((item.cooperative.name, item.problems))
        rows.append(row)
    return rows


# --- writes ----------------------------------------------------------------------------------------------------------


def _clean_item(values: dict) -> dict:
    clean = {}
    for name in CHECKS:
        value = values.get(name)
        if name in ("building_ready", "outlet_ready"):
            if value not in Readiness.values:
                raise ValidationError(_("Choose how ready the building and the outlet are for every cooperative."))
        elif name in ("business_plan", "simkopdes_updated"):
            value = bool(value)
        else:
            value = (value or "").strip()
            if len(value) > MAX_TEXT:
                raise ValidationError(_("At most %(n)d characters.") % {"n": MAX_TEXT})
        clean[name] = value
    return clean


def submit_report(
    *,
    actor: User,
    period: ReturnPeriod,
    items: dict[int, dict],
    summary: str = "",
    read: str | None = None,
    at: datetime | None = None,
) -> BAReport:
    """Submit the BA's report for `period` as its next version (the one before becomes SUPERSEDED; an accepted report
    is final). `items`: {cooperative id: the CHECKS}, one per cooperative assigned now — no more, no fewer.
    Refused (ValidationError, nothing written): the month not ended or locked, a missing or unknown checklist value,
    an accepted report, a stale form. PermissionDenied: not a BA, or a cooperative not assigned to it."""
    regency = regency_of(actor)
    if regency is None:
        raise PermissionDenied
    cooperatives = {c.pk: c for c in assigned(actor)}
    if set(items) - set(cooperatives):
        raise PermissionDenied
    if set(cooperatives) - set(items):
        raise ValidationError(_("The report needs a checklist for every cooperative assigned to you."))
    clean = {pk: _clean_item(values) for pk, values in items.items()}
    summary = (summary or "").strip()[:MAX_TEXT]
    now = timezone.now()
    if at is not None:
        now = min(at, now)
    today = local_date(regency, now)
    state = window(period, today)
    if state == Window.NOT_ENDED:
        raise ValidationError(
            _("The month %(month)s has not ended yet: its report can be sent from %(day)s.")
            % {"month": f"{period.start:%m/%Y}", "day": f"{period.end + timedelta(days=1):%d/%m/%Y}"}
        )
    if state == Window.LOCKED:
        raise ValidationError(
            _("The report for %(month)s was closed on %(day)s. Ask the regency office (admin dinas).")
            % {"month": f"{period.start:%m/%Y}", "day": f"{period.locked_on:%d/%m/%Y}"}
        )
    steps = building_steps(cooperatives)
    visits = visits_in(actor, cooperatives, period)
    with transaction.atomic():
        latest = (
            BAReport.objects.select_for_update()
            .filter(assistant=actor, period=period)
            .exclude(status=BAReportStatus.SUPERSEDED)
            .first()
        )
        if read is not None:
            check_fresh(
                latest or unsent(actor, period),
                READ_FIELDS,
                read,
                submitted={"summary": summary},
                key=read_key(actor, period),
            )
        if latest is not None and latest.status == BAReportStatus.ACCEPTED:
            raise ValidationError(_("This report was accepted by the office: it can no longer be corrected."))
        version = 1
        if latest is not None:
            version = latest.version + 1
            BAReport.objects.filter(pk=latest.pk).update(status=BAReportStatus.SUPERSEDED)
        report = BAReport.objects.create(
            period=period,
            assistant=actor,
            region_code=regency,
            version=version,
            summary=summary,
            submitted_at=now,
            submitted_on=today,
            timeliness=timeliness_of(period, today),
        )
        BAReportItem.objects.bulk_create(
            BAReportItem(
                report=report,
                cooperative_id=pk,
                building_step=steps.get(pk),
                visits=len(visits.get(pk, [])),
                **values,
            )
            for pk, values in sorted(clean.items())
        )
        record_audit(
            actor=actor,
            action="returns.submit_ba_report",
            obj=report,
            region_code=regency,
            before={"version": latest.version} if latest else None,
            after={
                "version": version,
                "timeliness": report.timeliness,
                "summary": summary,
                "items": {str(pk): v for pk, v in clean.items()},
            },
        )
    return report


def _decide(*, actor: User, report: BAReport, status: str, reason: str, action: str) -> BAReport:
    if not can_decide(actor, report):
        raise PermissionDenied
    with transaction.atomic():
        locked = BAReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != BAReportStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted report awaiting the office can be returned or accepted."))
        locked.status = status
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.return_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "return_reason"])
        record_audit(
            actor=actor,
            action=action,
            obj=locked,
            region_code=locked.region_code,
            before={"status": BAReportStatus.SUBMITTED},
            after={"status": status, **({"reason": reason} if reason else {})},
        )
    return locked


def send_back_report(*, actor: User, report: BAReport, reason: str) -> BAReport:
    """The office returns a submitted report with a reason; the BA submits a correction as the next version."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning it: the BA will read it.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_TEXT}})
    return _decide(
        actor=actor, report=report, status=BAReportStatus.RETURNED, reason=reason, action="returns.send_back_ba_report"
    )


def accept_report(*, actor: User, report: BAReport) -> BAReport:
    """The office accepts a submitted report: it counts in the PMO's recap and can no longer be corrected."""
    return _decide(
        actor=actor, report=report, status=BAReportStatus.ACCEPTED, reason="", action="returns.accept_ba_report"
    )

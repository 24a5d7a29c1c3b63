"""Writes of the monthly returns: open the months (the scheduled job), submit a return (a new version each time),
return one with a reason, reopen a locked month for one cooperative, assign and unassign Business Assistants. Each
in one transaction and in the audit log; a refused write changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.roles import Role
from kopdes.audit.services import record_audit
from kopdes.audit.stale import check_fresh
from kopdes.clock import local_date
from kopdes.cooperatives.models import OutletStatus
from kopdes.formation.models import Cooperative
from kopdes.periods.models import Window
from kopdes.periods.rules import timeliness_of
from kopdes.periods.services import open_periods
from kopdes.regions.models import is_within
from kopdes.returns import policy, sums
from kopdes.returns.models import (
    KIND,
    AssistantAssignment,
    MonthlyReturn,
    ReturnLine,
    ReturnPeriod,
    ReturnReopening,
    ReturnStatus,
)
from kopdes.returns.selectors import FIELDS, last_month, read_key, window_of

if TYPE_CHECKING:
    from kopdes.accounts.models import User

FIRST_MONTH = date(2026, 1, 1)  # the first month of returns (the programme is judged on trading from 2026)
JUMP = 10  # revenue this many times last month's asks for a confirmation
MAX_TEXT = 5000
READ_FIELDS = ["version", "status"]
NEVER_NEGATIVE = [
    "cash_balance",
    "bank_balance",
    "total_assets",
    "simpanan_pokok",
    "simpanan_wajib",
    "simpanan_sukarela",
    "lpg_tubes",
    "rice_kg",
    "fertiliser_kg",
    "members_joined",
    "members_left",
]
LIMIT = 10**12  # rupiah: a village cooperative's amounts stay well below a trillion (kopdes/cleaners/money.py)


def ensure_periods(*, until: date, actor: User | None = None) -> list[ReturnPeriod]:
    """Create the months from FIRST_MONTH up to the one containing `until` (rerunnable). Called by the scheduled job
    and by the writes that need a month; never by opening a page."""
    return open_periods(
        model=ReturnPeriod,
        kind=KIND,
        anchor=FIRST_MONTH,
        until=until,
        owner={},
        actor=actor,
        action="returns.ensure_periods",
        source="scheduler" if actor is None else "",
    )


def _refuse_window(state: str, period: ReturnPeriod) -> None:
    if state == Window.NOT_ENDED:
        raise ValidationError(
            _("The month %(month)s has not ended yet: its return can be sent from %(day)s.")
            % {"month": f"{period.start:%m/%Y}", "day": f"{period.end + timedelta(days=1):%d/%m/%Y}"}
        )
    if state == Window.LOCKED:
        raise ValidationError(
            _(
                "The return for %(month)s was closed on %(day)s. Only the regency office (admin dinas) can reopen "
                "it, with a reason."
            )
            % {"month": f"{period.start:%m/%Y}", "day": f"{period.locked_on:%d/%m/%Y}"}
        )


def _check_values(values: dict) -> dict:
    clean = {}
    errors: dict[str, str] = {}
    for name in FIELDS:
        value = values.get(name, "" if name == "problems" else 0)
        if name == "problems":
            value = (value or "").strip()
            if len(value) > MAX_TEXT:
                errors[name] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
        else:
            value = int(value or 0)
            if name in NEVER_NEGATIVE and value < 0:
                errors[name] = _("This cannot be negative.")
            elif abs(value) >= LIMIT:
                errors[name] = _("This number is too large.")
        clean[name] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _check_lines(cooperative: Cooperative, lines: dict[int, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """{outlet id: (revenue, cost of goods)} for units the cooperative runs (open outlets); else refused."""
    run = {
        o.pk: o
        for o in cooperative.outlets.filter(pk__in=list(lines)).select_related("unit")
        if o.status == OutletStatus.OPEN
    }
    foreign = [pk for pk in lines if pk not in run]
    if foreign:
        raise ValidationError(
            _("A return can only report the business units the cooperative runs (open outlets in its registry).")
        )
    for revenue, cost in lines.values():
        if revenue < 0 or cost < 0:
            raise ValidationError(_("Revenue and cost of goods cannot be negative."))
        if revenue >= LIMIT or cost >= LIMIT:
            raise ValidationError(_("This number is too large."))
    return lines


def submit_return(
    *,
    actor: User,
    cooperative: Cooperative,
    period: ReturnPeriod,
    values: dict,
    lines: dict[int, tuple[int, int]],
    confirm_jump: bool = False,
    read: str | None = None,
    at: datetime | None = None,
) -> MonthlyReturn:
    """Submit the cooperative's return for `period` as its next version (the version before, if any, becomes
    SUPERSEDED; a submitted version never changes). `values`: the FIELDS (whole rupiah, counts; `profit_loss`
    negative for a loss); `lines`: {outlet id: (revenue, cost of goods)} of the units it runs. Refused
    (ValidationError, nothing written): the month not ended or locked (kopdes.periods.rules.window), a negative
    balance, amount or count, a unit the cooperative does not run, a revenue JUMP times last month's without
    `confirm_jump` (code "jump"), a stale form (`read`). PermissionDenied: neither its board nor its BA."""
    if not policy.can_enter(actor, cooperative):
        raise PermissionDenied
    clean = _check_values(values)
    clean_lines = _check_lines(cooperative, lines)
    now = timezone.now()
    if at is not None:
        if at > now:
            raise ValidationError(_("A return cannot be dated in the future."))
        now = at
    today = local_date(cooperative.region_code, now)
    _refuse_window(window_of(cooperative, period, today), period)
    revenue = sum(r for r, _c in clean_lines.values())
    before = last_month(cooperative, period)
    if not confirm_jump and before is not None and before.revenue_total > 0 and revenue >= JUMP * before.revenue_total:
        raise ValidationError(
            _(
                "The revenue (Rp %(now)s) is %(times)d times last month's (Rp %(then)s). Check the figures, or tick "
                "the confirmation if they are right."
            )
            % {
                "now": f"{revenue:,}".replace(",", "."),
                "then": f"{before.revenue_total:,}".replace(",", "."),
                "times": revenue // before.revenue_total,
            },
            code="jump",
        )
    with transaction.atomic():
        Cooperative.objects.select_for_update().filter(pk=cooperative.pk).first()  # one submission at a time
        latest = (
            MonthlyReturn.objects.filter(cooperative=cooperative, period=period)
            .exclude(status=ReturnStatus.SUPERSEDED)
            .first()
        )
        if read is not None:
            check_fresh(
                latest or MonthlyReturn(cooperative=cooperative, period=period),
                READ_FIELDS,
                read,
                submitted={},
                key=read_key(cooperative, period),
            )
        version = 1
        if latest is not None:
            version = latest.version + 1
            MonthlyReturn.objects.filter(pk=latest.pk).update(status=ReturnStatus.SUPERSEDED)
        created = MonthlyReturn.objects.create(
            period=period,
            cooperative=cooperative,
            region_code=cooperative.region_code,
            version=version,
            revenue_total=revenue,
            submitted_by=actor,
            submitted_at=now,
            submitted_on=today,
            timeliness=timeliness_of(period, today),
            **clean,
        )
        ReturnLine.objects.bulk_create(
            [
                ReturnLine(monthly_return=created, outlet_id=pk, revenue=r, cost_of_goods=c)
                for pk, (r, c) in sorted(clean_lines.items())
            ]
        )
        sums.keep(counted=[created], uncounted=[latest] if latest and latest.status == ReturnStatus.SUBMITTED else [])
        record_audit(
            actor=actor,
            action="returns.submit_return",
            obj=created,
            region_code=cooperative.region_code,
            before={"version": latest.version} if latest else None,
            after={
                **clean,
                "version": version,
                "revenue_total": revenue,
                "lines": {str(pk): list(v) for pk, v in clean_lines.items()},
                "timeliness": created.timeliness,
            },
        )
    return created


def send_back(*, actor: User, monthly_return: MonthlyReturn, reason: str) -> MonthlyReturn:
    """Return a submitted return to its cooperative with a reason (the office above it, or its BA). It stays frozen;
    its board or BA submits a correction as the next version. Refused: no reason, or not the current submitted
    version."""
    cooperative = monthly_return.cooperative
    if not policy.can_send_back(actor, cooperative):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning it: the cooperative will read it.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": MAX_TEXT}})
    with transaction.atomic():
        locked = MonthlyReturn.objects.select_for_update().get(pk=monthly_return.pk)
        if locked.status != ReturnStatus.SUBMITTED:
            raise ValidationError(_("Only the latest submitted version of a return can be returned."))
        locked.status = ReturnStatus.RETURNED
        locked.returned_by = actor
        locked.returned_at = timezone.now()
        locked.return_reason = reason
        locked.save(update_fields=["status", "returned_by", "returned_at", "return_reason"])
        sums.keep(uncounted=[locked])
        record_audit(
            actor=actor,
            action="returns.send_back",
            obj=locked,
            region_code=locked.region_code,
            before={"status": ReturnStatus.SUBMITTED},
            after={"status": ReturnStatus.RETURNED, "reason": reason},
        )
    return locked


def reopen(*, actor: User, cooperative: Cooperative, period: ReturnPeriod, until: date, reason: str) -> ReturnReopening:
    """Reopen a locked month for one cooperative up to `until` (inclusive), with a reason: the office only.
    Refused: no reason, a day already past, a month not locked."""
    if not policy.can_reopen(actor, cooperative):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for reopening the month.")
    today = local_date(cooperative.region_code)
    if until < today:
        errors["until"] = _("Reopen it until today or a later day.")
    if period.locked_on is None or today < period.locked_on:
        errors["until"] = _("This month is not closed: a return can still be sent.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        reopening = ReturnReopening.objects.create(
            period=period,
            cooperative=cooperative,
            until=until,
            reason=reason,
            reopened_by=actor,
            reopened_at=timezone.now(),
        )
        record_audit(
            actor=actor,
            action="returns.reopen",
            obj=cooperative,
            region_code=cooperative.region_code,
            after={"period": str(period.start), "until": str(until), "reason": reason},
        )
    return reopening


def assign(*, actor: User, assistant: User, cooperative: Cooperative, started_on: date) -> AssistantAssignment:
    """Assign a Business Assistant to a cooperative from `started_on`. Refused: the account holds no BA role on the
    cooperative's regency, it is assigned already, a start in the future. PermissionDenied: not the regency's
    manager."""
    regency = ".".join(cooperative.region_code.split(".")[:2])
    if not policy.can_assign(actor, regency):
        raise PermissionDenied
    holds = any(
        a.role == Role.BUSINESS_ASSISTANT and a.scope_code and is_within(cooperative.region_code, a.scope_code)
        for a in assistant.active_assignments()
    )
    if not assistant.is_active or not holds:
        raise ValidationError(_("This account is not a Business Assistant of the cooperative's regency."))
    if started_on > local_date(cooperative.region_code):
        raise ValidationError(_("The start of an assignment cannot be in the future."))
    try:
        with transaction.atomic():
            row = AssistantAssignment.objects.create(
                assistant=assistant,
                cooperative=cooperative,
                region_code=cooperative.region_code,
                started_on=started_on,
                assigned_by=actor,
            )
            record_audit(
                actor=actor,
                action="returns.assign",
                obj=row,
                region_code=cooperative.region_code,
                after={"assistant": assistant.pk, "cooperative": cooperative.name, "started_on": str(started_on)},
            )
    except IntegrityError as twice:
        raise ValidationError(_("This Business Assistant is assigned to this cooperative already.")) from twice
    return row


def unassign(*, actor: User, assignment: AssistantAssignment, ended_on: date) -> AssistantAssignment:
    """End an assignment on `ended_on` (the row stays as history). Refused: ended already, an end before its start or
    in the future."""
    if not policy.can_assign(actor, ".".join(assignment.region_code.split(".")[:2])):
        raise PermissionDenied
    if ended_on < assignment.started_on or ended_on > local_date(assignment.region_code):
        raise ValidationError(_("The end of an assignment must lie between its start and today."))
    with transaction.atomic():
        locked = AssistantAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.ended_on is not None:
            raise ValidationError(_("This assignment has ended already."))
        locked.ended_on = ended_on
        locked.save(update_fields=["ended_on"])
        record_audit(
            actor=actor,
            action="returns.unassign",
            obj=locked,
            region_code=locked.region_code,
            before={"ended_on": None},
            after={"ended_on": str(ended_on)},
        )
    return locked

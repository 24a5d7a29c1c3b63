"""The one write of the mechanism: make the missing periods of a series (rerunnable, audited as one entry)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models, transaction

from kopdes.audit.services import record_audit
from kopdes.periods.models import AbstractPeriod
from kopdes.periods.rules import PeriodKind

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def open_periods(
    *,
    model: type[AbstractPeriod],
    kind: PeriodKind,
    anchor: date,
    until: date,
    owner: dict,
    actor: User | None = None,
    audit_obj: models.Model | None = None,
    region_code: str = "",
    action: str,
    source: str = "scheduler",
) -> list:
    """Create the periods of `model` (an `AbstractPeriod`) for the series of `kind` starting at `anchor`, up to the one
    containing `until`, with the `owner` fields (e.g. {"programme": programme}); periods that exist are kept as
    they are. One audit entry lists the starts created. Returns the periods created (none: nothing written)."""
    existing = set(model._default_manager.filter(**owner).values_list("start", flat=True))
    new = [
        model(**owner, start=d.start, end=d.end, due=d.due, expires=d.expires, locked_on=d.locked_on)
        for d in kind.series(anchor, until)
        if d.start not in existing
    ]
    if new:
        with transaction.atomic():
            # ignore_conflicts: two runs making the same period at once both succeed
            model._default_manager.bulk_create(new, ignore_conflicts=True)
            record_audit(
                actor=actor,
                action=action,
                obj=audit_obj,
                region_code=region_code,
                after={"created": [str(p.start) for p in new]},
                source=source,
            )
    return new

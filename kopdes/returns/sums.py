"""The per-region, per-month sums of the submitted returns (models.ReturnSum), kept in the same transaction as every
write that changes which version of a return counts: a submission (the version before stops counting, the new one
counts) and a return sent back (it stops counting). The rule: a return counts when its current version is SUBMITTED;
a RETURNED one awaits its correction and a SUPERSEDED one was replaced. Each counted return adds its figures to the
rows of its village, kecamatan, regency, province and the nation ("").

Writes are upserts adding deltas (`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`, SQLite ≥ 3.24 and
PostgreSQL), in key order so two transactions never wait for each other in opposite orders, as the stage counts
(kopdes/formation/counts.py). `rebuild` recounts everything from the returns (the management command
`rebuild_return_sums`, the bulk path and the consistency tests).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from kopdes.periods.models import Timeliness
from kopdes.returns.models import MonthlyReturn, ReturnLine, ReturnStatus, ReturnSum

NATION = ""
MEASURES = (
    "submitted",
    "on_time",
    "cooperatives_trading",
    "units_trading",
    "revenue",
    "members_joined",
    "members_left",
    "simpanan_pokok",
    "simpanan_wajib",
    "simpanan_sukarela",
)
Vector = tuple[int, ...]  # in the order of MEASURES
Key = tuple[str, int]  # region code, period id


def region_keys(village_code: str) -> list[str]:
    """The nation and every region above and at a village code ("64.01.04.2002" → "", 64, 64.01, 64.01.04,
    64.01.04.2002)."""
    parts = village_code.split(".") if village_code else []
    return [NATION] + [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def vector(monthly_return: MonthlyReturn, units_trading: int) -> Vector:
    """What one counted return adds to its regions' rows."""
    r = monthly_return
    return (
        1,
        int(r.timeliness == Timeliness.ON_TIME),
        int(r.revenue_total > 0),
        units_trading,
        r.revenue_total,
        r.members_joined,
        r.members_left,
        r.simpanan_pokok,
        r.simpanan_wajib,
        r.simpanan_sukarela,
    )


def _add(target: dict[Key, list[int]], monthly_return: MonthlyReturn, v: Vector, sign: int) -> None:
    for code in region_keys(monthly_return.region_code):
        row = target.setdefault((code, monthly_return.period_id), [0] * len(MEASURES))
        for i, n in enumerate(v):
            row[i] += sign * n


def _units_trading(ids: Iterable[int]) -> dict[int, int]:
    return dict(
        ReturnLine.objects.filter(monthly_return_id__in=list(ids), revenue__gt=0)
        .values("monthly_return_id")
        .annotate(n=Count("id"))
        .values_list("monthly_return_id", "n")
    )


def deltas(counted: Iterable[MonthlyReturn], uncounted: Iterable[MonthlyReturn]) -> dict[Key, list[int]]:
    """The changes to the sums when `counted` start counting and `uncounted` stop (their lines already written)."""
    counted, uncounted = list(counted), list(uncounted)
    units = _units_trading([r.pk for r in counted + uncounted])
    out: dict[Key, list[int]] = {}
    for r in counted:
        _add(out, r, vector(r, units.get(r.pk, 0)), 1)
    for r in uncounted:
        _add(out, r, vector(r, units.get(r.pk, 0)), -1)
    return out


def write(changes: dict[Key, list[int]]) -> None:
    """Add `changes` to the table (inside the caller's transaction)."""
    rows: list[list[str | int]] = [[code, period, *v] for (code, period), v in sorted(changes.items()) if any(v)]
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(ReturnSum._meta.db_table)
    columns = ["region_code", "period_id", *MEASURES]
    sets = ", ".join(f"{quote(m)} = {table}.{quote(m)} + excluded.{quote(m)}" for m in MEASURES)
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('region_code')}, {quote('period_id')}) DO UPDATE SET {sets}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def keep(counted: Iterable[MonthlyReturn] = (), uncounted: Iterable[MonthlyReturn] = ()) -> None:
    write(deltas(counted, uncounted))


def recount() -> dict[Key, list[int]]:
    """The sums recounted from the returns, with grouped queries (per village and month, then rolled up)."""
    counted = MonthlyReturn.objects.filter(status=ReturnStatus.SUBMITTED)
    per_village = counted.values("region_code", "period_id").annotate(
        submitted=Count("id"),
        on_time=Count("id", filter=Q(timeliness=Timeliness.ON_TIME)),
        cooperatives_trading=Count("id", filter=Q(revenue_total__gt=0)),
        revenue=Sum("revenue_total"),
        members_joined=Sum("members_joined"),
        members_left=Sum("members_left"),
        simpanan_pokok=Sum("simpanan_pokok"),
        simpanan_wajib=Sum("simpanan_wajib"),
        simpanan_sukarela=Sum("simpanan_sukarela"),
    )
    units = {
        (row["monthly_return__region_code"], row["monthly_return__period_id"]): row["n"]
        for row in ReturnLine.objects.filter(monthly_return__status=ReturnStatus.SUBMITTED, revenue__gt=0)
        .values("monthly_return__region_code", "monthly_return__period_id")
        .annotate(n=Count("id"))
    }
    out: dict[Key, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    for row in per_village:
        found: dict = dict(row)
        found["units_trading"] = units.get((row["region_code"], row["period_id"]), 0)
        v = [found[m] or 0 for m in MEASURES]
        for code in region_keys(row["region_code"]):
            target = out[(code, row["period_id"])]
            for i, n in enumerate(v):
                target[i] += n
    return dict(out)


def rebuild() -> int:
    """Replace the table by a recount; the number of rows written."""
    changes = recount()
    with transaction.atomic():
        ReturnSum.objects.all().delete()  # derived figures, not programme data
        write(changes)
    return len(changes)


def stored() -> dict[Key, list[int]]:
    return {
        (row[0], row[1]): list(row[2:])
        for row in ReturnSum.objects.values_list("region_code", "period_id", *MEASURES)
        if any(row[2:])
    }

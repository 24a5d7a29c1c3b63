"""The stage counts (models/counts.py), kept in the same transaction as every write that changes a case's stage,
membership or waiting submission.

How they are kept: the figures a cooperative adds to the tables (its *contribution*: per region key and stage, today's
counts and the daily deltas) are computed from its own rows — stage moves, memberships, submissions — before and after
the write; the difference is added to the tables. So a move dated in the past (an import, a correction) changes the
days from its own on, a step back or a merge is exact, and the tables always equal a recount from the history
(`rebuild`, the management command `rebuild_stage_counts`, and the consistency tests). Every writer of StageMove is in
formation.services and wraps its writes in `kept(...)` (or calls `refresh` for records it creates).

The rules read are the dashboards' (kopdes.dashboards.selectors): the stage at the end of a day is the `to_stage` of
the last verified/stepped-back move (`move_time`, then id) dated that day or before, else of the creation if it is
dated that day or before (a stage imported with a date before the record was created counts from that date, and the
creation does not undo it); a membership ended by a
merge counts until the day it ended, the next membership of the village from that day; a submission waits from the
day it was sent to the day before it was decided. Days are local: the zone of the region's province; the nation's
rows and its per-province rows use settings.TIME_ZONE.

Writes are upserts adding deltas (`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`, SQLite ≥ 3.24 and
PostgreSQL), in key order so two transactions never wait for each other in opposite orders.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from kopdes.formation.models import (
    Cooperative,
    CooperativeVillage,
    RegionVersion,
    StageCount,
    StageCountDay,
    StageMove,
    StageSubmission,
    move_time,
)
from kopdes.formation.workflow import MoveKind, SubmissionStatus
from kopdes.regions.timezones import zone_for_code

STAGE_SETTING = (MoveKind.CREATED, MoveKind.VERIFIED, MoveKind.STEP_BACK)
NATION = ""
MEASURES = ("cooperatives", "villages", "pending", "pending_villages")
CHUNK = 500

Vector = tuple[int, int, int, int]  # cooperatives, villages, pending, pending_villages
NowKey = tuple[str, int]  # region, stage
DayKey = tuple[str, str, int, date]  # region, zone, stage, day


def region_codes(village_code: str) -> list[str]:
    """The province, kabupaten and kecamatan above a village code ("64.01.04.2002" → 64, 64.01, 64.01.04)."""
    parts = village_code.split(".")
    return [".".join(parts[:i]) for i in range(1, min(len(parts), 4))]


def day_keys(village_code: str) -> list[tuple[str, str]]:
    """The (region, zone) keys of the daily table a village's figures go to."""
    nation_zone = settings.TIME_ZONE
    codes = region_codes(village_code)
    if not codes:
        return [(NATION, nation_zone)]
    own = zone_for_code(codes[0])
    keys = [(code, own) for code in codes] + [(NATION, nation_zone)]
    if own != nation_zone:
        keys.append((codes[0], nation_zone))  # the province as the national dashboard dates it
    return keys


@dataclass
class Record:
    """What a cooperative's contribution is computed from."""

    stage: int
    is_active: bool
    memberships: list[tuple[str, datetime | None, datetime | None]] = field(default_factory=list)  # code, from, to
    moves: list[tuple[datetime, int, int | None, bool]] = field(default_factory=list)  # when, id, to_stage, created
    submissions: list[tuple[datetime, datetime | None, bool]] = field(default_factory=list)  # sent, decided, pending


@dataclass
class Contribution:
    now: dict[NowKey, Vector] = field(default_factory=dict)
    days: dict[DayKey, Vector] = field(default_factory=dict)
    last_moved_at: datetime | None = None


def _add(target: dict, key, vector: Vector, sign: int = 1) -> None:
    old = target.get(key, (0, 0, 0, 0))
    target[key] = tuple(a + sign * b for a, b in zip(old, vector, strict=True))  # type: ignore[assignment]


def contribution(record: Record) -> Contribution:
    """The figures one cooperative adds to the tables (see the module's rules)."""
    out = Contribution()
    moves = sorted(record.moves)
    out.last_moved_at = moves[-1][0] if moves else None
    pending_now = any(p for _, _, p in record.submissions)
    if record.is_active:
        open_codes = [code for code, _, left in record.memberships if left is None]
        per_region: dict[str, int] = defaultdict(int)
        for code in open_codes:
            for region in [NATION, *region_codes(code)]:
                per_region[region] += 1
        for region, n in per_region.items():
            _add(out.now, (region, record.stage), (1, n, int(pending_now), n * int(pending_now)))
    if not moves:
        return out
    counted = [(code, start, left) for code, start, left in record.memberships if left is not None or record.is_active]
    keys: dict[tuple[str, str], list[tuple[datetime | None, datetime | None]]] = defaultdict(list)
    for code, start, left in counted:
        for key in day_keys(code):
            keys[key].append((start, left))
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    for (region, zone_name), spans in keys.items():
        zone = zones.setdefault(zone_name, zoneinfo.ZoneInfo(zone_name))
        _days_of(out.days, region, zone_name, zone, spans, moves, record.submissions)
    return out


def _days_of(out, region, zone_name, zone, spans, moves, submissions) -> None:
    """The daily deltas of one (region, zone) key: the state at each day something changes, minus the state before."""

    def local(at: datetime) -> date:
        return at.astimezone(zone).date()

    def maybe(at: datetime | None) -> date | None:
        return local(at) if at is not None else None

    member_spans = [(maybe(a), maybe(b)) for a, b in spans]
    # the creation never outranks a move dated before it (a back-dated import): see the module's rules
    stage_days = [(local(when), to) for when, _, to, created in sorted(moves, key=lambda m: (not m[3], m[0], m[1]))]
    waiting = [(local(sent), maybe(decided) if not pending else None) for sent, decided, pending in submissions]
    changes: list[date] = sorted(
        {d for d, _ in stage_days}
        | {d for span in member_spans for d in span if d is not None}
        | {d for span in waiting for d in span if d is not None}
    )
    previous: tuple[int, Vector] | None = None
    for day in changes:
        stage = None
        for moved, to in stage_days:  # in the stage order: the last one by the end of `day`
            if moved <= day:
                stage = to
        villages = sum(int((a is None or a <= day) and (b is None or day < b)) for a, b in member_spans)
        waits = sum(int(a <= day and (b is None or day < b)) for a, b in waiting)
        state = (stage, (1, villages, waits, waits * villages)) if stage is not None and villages else None
        if state != previous:
            if previous is not None:
                _add(out, (region, zone_name, previous[0], day), previous[1], -1)
            if state is not None:
                _add(out, (region, zone_name, state[0], day), state[1])
            previous = state


def records(cooperative_ids: Iterable[int]) -> dict[int, Record]:
    """The rows the contributions of these cooperatives are computed from: four queries per CHUNK records."""
    ids = list(cooperative_ids)
    found: dict[int, Record] = {}
    for i in range(0, len(ids), CHUNK):
        found.update(_records(ids[i : i + CHUNK]))
    return found


def _records(ids: list[int]) -> dict[int, Record]:
    found = {
        pk: Record(stage, active)
        for pk, stage, active in Cooperative.objects.filter(pk__in=ids).values_list("pk", "stage", "is_active")
    }
    own = list(
        CooperativeVillage.objects.filter(cooperative_id__in=ids).values_list(
            "pk", "cooperative_id", "village_id", "village_code", "left_at"
        )
    )
    _attach_memberships(found, own)
    for coop, when, pk, to, kind in (
        StageMove.objects.filter(cooperative_id__in=ids, kind__in=STAGE_SETTING)
        .annotate(when=move_time())
        .values_list("cooperative_id", "when", "pk", "to_stage", "kind")
    ):
        found[coop].moves.append((when, pk, to, kind == MoveKind.CREATED))
    for coop, sent, decided, status in StageSubmission.objects.filter(cooperative_id__in=ids).values_list(
        "cooperative_id", "submitted_at", "decided_at", "status"
    ):
        found[coop].submissions.append((sent, decided, status == SubmissionStatus.PENDING))
    return found


def _attach_memberships(found: dict[int, Record], own: list[tuple]) -> None:
    """A membership counts from the end of the village's earlier memberships (a merge) until its own end."""
    villages = {row[2] for row in own}
    ended: dict[int, list[tuple[int, datetime | None]]] = defaultdict(list)
    if villages:
        earlier = CooperativeVillage.objects.filter(village_id__in=villages, left_at__isnull=False)
        for pk, village, left in earlier.values_list("pk", "village_id", "left_at"):
            ended[village].append((pk, left))
    for pk, coop, village, code, left in own:
        before = [at for other, at in ended[village] if other < pk and at is not None]
        found[coop].memberships.append((code, max(before) if before else None, left))


def contributions(cooperative_ids: Iterable[int]) -> dict[int, Contribution]:
    return {pk: contribution(record) for pk, record in records(cooperative_ids).items()}


def _difference(
    after: dict[int, Contribution], before: dict[int, Contribution]
) -> tuple[dict[NowKey, Vector], dict[DayKey, Vector]]:
    now: dict[NowKey, Vector] = {}
    days: dict[DayKey, Vector] = {}
    for sign, side in ((1, after), (-1, before)):
        for c in side.values():
            for now_key, v in c.now.items():
                _add(now, now_key, v, sign)
            for day_key, v in c.days.items():
                _add(days, day_key, v, sign)
    return {k: v for k, v in now.items() if any(v)}, {k: v for k, v in days.items() if any(v)}


def _upsert(table: str, key_columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [*key_columns, *MEASURES]
    sets = ", ".join(f"{quote(m)} = {quote(table)}.{quote(m)} + excluded.{quote(m)}" for m in MEASURES)
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(quote(c) for c in key_columns)}) DO UPDATE SET {sets}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _write(now: dict[NowKey, Vector], days: dict[DayKey, Vector], *, bump: bool = True) -> None:
    _upsert(StageCount._meta.db_table, ["region_code", "stage"], [(*k, *v) for k, v in sorted(now.items())])
    _upsert(
        StageCountDay._meta.db_table,
        ["region_code", "zone", "stage", "day"],
        [(*k, *v) for k, v in sorted(days.items())],
    )
    if bump:
        regions = sorted({k[0] for k in now} | {k[0] for k in days})
        if regions:
            quote = connection.ops.quote_name
            table = quote(RegionVersion._meta.db_table)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} (region_code, version) VALUES (%s, 1) "
                    f"ON CONFLICT (region_code) DO UPDATE SET version = {table}.version + 1",
                    [(r,) for r in regions],
                )


def _last_moved(after: dict[int, Contribution], before: dict[int, Contribution]) -> None:
    by_value: dict[datetime | None, list[int]] = defaultdict(list)
    for pk, c in after.items():
        old = before.get(pk)
        if old is None or old.last_moved_at != c.last_moved_at:
            by_value[c.last_moved_at].append(pk)
    for value, pks in by_value.items():
        for i in range(0, len(pks), CHUNK):
            Cooperative.objects.filter(pk__in=pks[i : i + CHUNK]).update(last_moved_at=value)


def refresh(cooperative_ids: Iterable[int], before: dict[int, Contribution] | None = None) -> None:
    """Add to the tables the difference between these cooperatives' contributions now and `before` (taken with
    `contributions` before the writes; None: records just created, which contributed nothing). Call inside the
    writer's transaction."""
    before = before or {}
    ids = list(cooperative_ids)
    after = contributions(ids)
    _write(*_difference(after, before))
    _last_moved(after, before)


@contextmanager
def kept(cooperatives: Iterable[Cooperative | int]) -> Iterator[None]:
    """`with counts.kept([case]):` around the writes of a transaction that change these cases' stage, memberships
    or submissions: their contributions are read on entry and the difference is written on a normal exit. Must run
    inside the writer's `transaction.atomic()`."""
    ids = [c if isinstance(c, int) else c.pk for c in cooperatives]
    before = contributions(ids)
    yield
    refresh(ids, before)


def rebuild(batch: int = 2000) -> int:
    """Empty the tables and fill them again from the history (every cooperative); returns the number of
    cooperatives counted. One transaction."""
    with transaction.atomic():
        StageCount.objects.all().delete()
        StageCountDay.objects.all().delete()
        ids = list(Cooperative.objects.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(ids), batch):
            part = contributions(ids[i : i + batch])
            _write(*_difference(part, {}), bump=False)
            _last_moved(part, {})
        RegionVersion.objects.update(version=F("version") + 1)  # every cached dashboard goes cold once
    return len(ids)


def recount() -> tuple[dict[NowKey, Vector], dict[DayKey, Vector], dict[int, datetime | None]]:
    """The tables as they should be, computed from the history alone (the consistency tests compare)."""
    all_ids = Cooperative.objects.values_list("pk", flat=True)
    found = contributions(all_ids)
    now, days = _difference(found, {})
    return now, days, {pk: c.last_moved_at for pk, c in found.items()}


def stored() -> tuple[dict[NowKey, Vector], dict[DayKey, Vector], dict[int, datetime | None]]:
    """The tables as they are, zero rows left out."""
    now = {
        (r, s): (c, v, p, pv)
        for r, s, c, v, p, pv in StageCount.objects.values_list("region_code", "stage", *MEASURES)
        if any((c, v, p, pv))
    }
    days: dict[DayKey, Vector] = {}
    for r, z, s, d, c, v, p, pv in StageCountDay.objects.values_list("region_code", "zone", "stage", "day", *MEASURES):
        if any((c, v, p, pv)):
            days[(r, z, s, d)] = (c, v, p, pv)
    last = dict(Cooperative.objects.values_list("pk", "last_moved_at"))
    return now, days, last


__all__ = ["contributions", "kept", "rebuild", "recount", "refresh", "stored"]

"""Report reads: the live village table, a report page, the completeness grid, the recap per kecamatan and the rows
of the .xlsx exports. Plain data, a fixed number of queries whatever the number of villages; the screens and the
exports call the same functions, so a spreadsheet always equals its page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kopdes.accounts.roles import Cap, Role
from kopdes.accounts.scope import get_region_for_user, scope_q, scope_roots
from kopdes.audit.stale import read_token
from kopdes.cleaners.dates import show as show_date
from kopdes.clock import local_date
from kopdes.clock.per import day_end
from kopdes.formation import workflow
from kopdes.formation.models import CooperativeVillage, Programme, StageMove, StageSubmission, move_time
from kopdes.formation.report_sections import report_sections
from kopdes.formation.selectors import programme_for, stage_at, verification_queue
from kopdes.formation.workflow import MoveKind, SubmissionStatus
from kopdes.periods.completeness import Tally, is_on_time
from kopdes.periods.models import Timeliness
from kopdes.regions.models import Kind, Level, Region, subtree_q
from kopdes.reports.models import CamatReport, ReportPeriod, ReportStatus, period_bounds

if TYPE_CHECKING:
    from kopdes.accounts.models import User

KECAMATAN_CODE_LENGTH = 8  # Kemendagri codes: "64.01.01"; the village codes below it start with these 8 characters
DATE_FIELDS = [s.date_field for s in workflow.STAGES if s.date_field]


# ---- access -------------------------------------------------------------------------------------------------------


def get_kecamatan_for_user(user: User, code: str, capability: str = Cap.VIEW_PERSONAL) -> Region:
    """A kecamatan the user may see with `capability`, else 404 (like a missing one)."""
    region = get_region_for_user(user, code, capability)
    if region.level != Level.KECAMATAN:
        raise Http404
    return region


def get_period(kecamatan: Region, pk: int) -> tuple[Programme, ReportPeriod]:
    """The period `pk` of the programme covering the kecamatan, else 404 (another programme's period is missing)."""
    programme = programme_for(kecamatan)
    period = ReportPeriod.objects.filter(pk=pk, programme=programme).first() if programme else None
    if programme is None or period is None:
        raise Http404
    return programme, period


def current_period(programme: Programme, code: str) -> ReportPeriod | None:
    """The period containing today in the region's own calendar, if it has been opened (by the scheduled job
    `open_report_periods` or a write that needed it); None otherwise — a read never makes one."""
    start, _end = period_bounds(programme, local_date(code))
    return ReportPeriod.objects.filter(programme=programme, start=start).first()


def get_report_for_user(user: User, pk: int) -> CamatReport:
    """A report version of a kecamatan the user may see (names of people: VIEW_PERSONAL), else 404."""
    report = (
        CamatReport.objects.filter(scope_q(user, "kecamatan_code", Cap.VIEW_PERSONAL))
        .select_related("period", "period__programme", "kecamatan", "created_by", "submitted_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def get_report_region(user: User, code: str) -> Region:
    """A region for the grids (province, kabupaten or kecamatan) in the user's view scope, else 404."""
    region = get_region_for_user(user, code, Cap.VIEW)
    if region.level > Level.KECAMATAN:
        raise Http404
    return region


# ---- the camat report --------------------------------------------------------------------------------------------


def live_snapshot(kecamatan: Region, period: ReportPeriod, *, at: datetime | None = None) -> list[dict]:
    """Every village of the kecamatan with its cooperative's stage, the stage in the last submitted report of an
    earlier period, the latest evidence date and the days since its record last changed (two queries).

    With `at` (a past moment), the same table as the stage history stood then: stage, pending submission, evidence
    dates of the stages reached and days since the last move, all as of `at` (two more queries)."""
    previous = (
        CamatReport.objects.filter(kecamatan=kecamatan, period__programme_id=period.programme_id)
        .filter(period__start__lt=period.start)
        .exclude(status=ReportStatus.DRAFT)
        .order_by("-period__start", "-version")
        .values_list("snapshot", flat=True)
        .first()
    )
    before = {row["code"]: row["stage"] for row in previous or []}
    today = local_date(kecamatan.code, at)
    members = list(
        CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True)
        .filter(subtree_q(kecamatan.code, "village_code", include_self=False))
        .select_related("village", "cooperative")
        .annotate(
            is_pending=Exists(
                StageSubmission.objects.filter(cooperative=OuterRef("cooperative_id"), status=SubmissionStatus.PENDING)
            )
        )
        .order_by("village_code")
    )
    then = _as_of([m.cooperative_id for m in members], at) if at is not None else {}
    codes = [m.village_code for m in members]
    extra = {section.key: section.collect(codes, at) for section in report_sections()}
    rows = []
    for m in members:
        coop = m.cooperative
        stage, changed, pending = then.get(coop.pk, (coop.stage, coop.updated_at, m.is_pending))
        reached = [s.date_field for s in workflow.STAGES if s.number <= stage and s.date_field]
        fields = DATE_FIELDS if at is None else reached
        dates = [d for d in (getattr(coop, name) for name in fields) if d]
        last_evidence = max(dates) if dates else None
        rows.append(
            {
                "code": m.village_code,
                "name": m.village.display_name,
                "stage": stage,
                "previous_stage": before.get(m.village_code),
                "last_evidence": last_evidence.isoformat() if last_evidence else None,
                "stalled_days": (today - local_date(kecamatan.code, changed)).days,
                "pending": pending,
                **{key: facts.get(m.village_code) for key, facts in extra.items()},
            }
        )
    return rows


def sections(rows: list[dict]) -> list[dict]:
    """The sections other apps add to the report (`formation.report_sections`), from a stored or live village table:
    each with its title, templates, described rows (the village's name and code added) and the paragraph that
    pre-fills its note. A table stored before a section existed has none of its facts: that section is left out."""
    out = []
    for section in report_sections():
        described = [
            {"code": row["code"], "name": row["name"], **section.describe(row[section.key])}
            for row in rows
            if row.get(section.key)
        ]
        if described:
            out.append(
                {
                    "key": section.key,
                    "title": section.title,
                    "template": section.template,
                    "pdf_template": section.pdf_template,
                    "rows": described,
                    "summary": section.summary(described),
                }
            )
    return out


STAGE_SETTING_MOVES = (MoveKind.CREATED, MoveKind.VERIFIED, MoveKind.STEP_BACK, MoveKind.NOT_APPLICABLE)


def _as_of(cooperative_ids: list[int], at: datetime) -> dict[int, tuple[int, datetime, bool]]:
    """Per cooperative: (stage, time of its last move, a submission waiting) as the history stood at `at`."""
    result: dict[int, tuple[int, datetime, bool]] = {}
    moves = (
        StageMove.objects.filter(cooperative_id__in=cooperative_ids)
        .annotate(when=move_time())
        .filter(when__lte=at)
        .order_by("when", "id")
        .values_list("cooperative_id", "kind", "to_stage", "when")
    )
    for pk, kind, to_stage, when in moves:
        stage, _changed, _pending = result.get(pk, (0, when, False))
        if kind in STAGE_SETTING_MOVES and to_stage is not None:
            stage = to_stage
        result[pk] = (stage, when, False)
    waiting = set(
        StageSubmission.objects.filter(cooperative_id__in=cooperative_ids, submitted_at__lte=at)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gt=at))
        .values_list("cooperative_id", flat=True)
    )
    return {pk: (stage, when, pk in waiting) for pk, (stage, when, _p) in result.items()}


def snapshot_rows(snapshot: list[dict], village_obstacles: dict | None = None) -> list[dict]:
    """A stored or live village table, ready for a template: stage labels, change since the previous report."""
    village_obstacles = village_obstacles or {}
    rows = []
    for row in snapshot:
        previous = row.get("previous_stage")
        rows.append(
            {
                **row,
                "stage_label": workflow.stage(row["stage"]).label,
                "change": None if previous is None else row["stage"] - previous,
                "last_evidence_date": date.fromisoformat(row["last_evidence"]) if row.get("last_evidence") else None,
                "obstacle": village_obstacles.get(row["code"], ""),
            }
        )
    return rows


def report_page(kecamatan: Region, period: ReportPeriod) -> dict:
    """The versions of the kecamatan's report for the period (newest first) and the village table to show: the live
    one while the newest is a draft (or there is none), else the frozen one."""
    versions = list(
        CamatReport.objects.filter(kecamatan=kecamatan, period=period)
        .select_related("created_by", "submitted_by", "decided_by")
        .order_by("-version")
    )
    latest = versions[0] if versions else None
    editable = latest is None or latest.status == ReportStatus.DRAFT
    snapshot = latest.snapshot if latest is not None and not editable else live_snapshot(kecamatan, period)
    returned = next((v for v in versions if v.status == ReportStatus.RETURNED), None)
    return {
        "versions": versions,
        "latest": latest,
        "editable": editable,
        "rows": snapshot_rows(snapshot, latest.village_obstacles if latest else None),
        "sections": sections(snapshot),
        "last_returned": returned,
    }


# ---- completeness and timeliness ---------------------------------------------------------------------------------


@dataclass
class Cell:
    period: ReportPeriod | None  # None only while the grid is being filled
    report_pk: int | None = None
    version: int = 0
    status: str = ""
    timeliness: str = ""
    overdue: bool = False  # not submitted and the due date has passed

    @property
    def submitted(self) -> bool:
        return bool(self.status)

    @property
    def on_time(self) -> bool:
        return is_on_time(self.timeliness)

    @property
    def label(self) -> str:
        if not self.status:
            return str(_("overdue")) if self.overdue else str(_("not reported"))
        return str(Timeliness(self.timeliness).label) if self.timeliness else str(ReportStatus(self.status).label)


@dataclass
class GridRow(Tally):
    kecamatan: Region
    cells: list[Cell] = field(default_factory=list)

    def expected_returns(self) -> list[Cell]:
        return self.cells


@dataclass
class Completeness(Tally):
    region: Region
    programme: Programme | None
    periods: list[ReportPeriod]
    rows: list[GridRow]
    today: date
    period_missing: bool = False  # today's period has not been opened yet (the scheduled job has not run)

    def expected_returns(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]

    def period_totals(self) -> list[dict]:
        """Per period (column): expected, submitted, on time, and the kecamatan not reported."""
        return [
            {
                "period": period,
                "expected": len(self.rows),
                "submitted": sum(r.cells[i].submitted for r in self.rows),
                "on_time": sum(r.cells[i].on_time for r in self.rows),
                "missing": [r.kecamatan for r in self.rows if not r.cells[i].submitted],
            }
            for i, period in enumerate(self.periods)
        ]


def kecamatan_of(region: Region) -> list[Region]:
    if region.level == Level.KECAMATAN:
        return [region]
    return list(Region.objects.subtree(region.code, include_self=False).filter(level=Level.KECAMATAN).active())


def completeness(region: Region, *, start: date | None = None, end: date | None = None, last: int = 6) -> Completeness:
    """Expected / submitted / on time per kecamatan × period of the programme covering `region`, for the periods that
    start in [start, end] (default: the `last` periods up to today's)."""
    programme = programme_for(region)
    today = local_date(region.code)
    if programme is None:
        return Completeness(region, None, [], [], today)
    periods_qs = ReportPeriod.objects.filter(programme=programme, start__lte=end or today)
    if start:
        periods = list(periods_qs.filter(start__gte=start).order_by("start"))
    else:
        periods = list(reversed(periods_qs.order_by("-start")[:last]))
    kecamatans = kecamatan_of(region)
    versions = (
        CamatReport.objects.filter(period__in=periods)
        .filter(subtree_q(region.code, "kecamatan_code"))
        .exclude(status=ReportStatus.DRAFT)
        .order_by("version")
        .values_list("pk", "period_id", "kecamatan_id", "version", "status", "timeliness")
    )
    found: dict[tuple[int, int], Cell] = {}
    for pk, period_id, kecamatan_id, version, status, timeliness in versions:
        cell = found.setdefault((period_id, kecamatan_id), Cell(period=None, timeliness=timeliness))
        cell.report_pk, cell.version, cell.status = pk, version, status  # the newest version's; timeliness the first's
    rows = []
    for kecamatan in kecamatans:
        cells = []
        for period in periods:
            cell = found.get((period.pk, kecamatan.pk)) or Cell(period=None, overdue=today > period.due)
            cell.period = period
            cells.append(cell)
        rows.append(GridRow(kecamatan, cells))
    opened = current_period(programme, region.code) is not None
    return Completeness(region, programme, periods, rows, today, period_missing=not opened and end is None)


def completeness_table(grid: Completeness) -> tuple[list[str], list[list]]:
    """The grid as the rows of its .xlsx (and the numbers the page shows)."""
    headers = [str(_("Kecamatan")), *(f"{p.start:%d/%m/%Y}–{p.end:%d/%m/%Y}" for p in grid.periods)]
    headers += [str(_("Expected")), str(_("Submitted")), str(_("On time")), str(_("Rate (%)")), str(_("On time (%)"))]
    rows = [
        [
            row.kecamatan.name,
            *(c.label for c in row.cells),
            row.expected,
            row.submitted,
            row.on_time,
            round(row.rate, 1),
            round(row.rate_on_time, 1),
        ]
        for row in grid.rows
    ]
    return headers, rows


# ---- recap per kecamatan (the office's sheet "Rekap Kecamatan") --------------------------------------------------

# (key, header as in the office's sheet, the stage counted: villages whose cooperative reached it)
RECAP_COLUMNS: list[tuple[str, object, int | None]] = [
    ("no", pgettext_lazy("row number", "No"), None),
    ("kecamatan", _("Kecamatan"), None),
    ("desa", _("Villages (desa)"), None),
    ("kelurahan", _("Urban villages (kelurahan)"), None),
    ("musdesus", _("Musdesus held"), 4),
    ("name_booked", _("Name booked"), 6),
    ("deed", _("Notarial deed"), 7),
    ("sk_ahu_desa", _("SK AHU desa"), 8),
    ("sk_ahu_kelurahan", _("SK AHU kelurahan"), 8),
    ("sk_ahu_total", _("SK AHU total"), 8),
    ("sk_ahu_percent", _("SK AHU %"), None),
    ("npwp", _("NPWP"), None),
    ("nib", _("NIB"), 9),
    ("simkopdes", _("Registered in SIMKOPDES"), 10),
    ("outlet", _("Outlet operating"), 11),
]
COUNTED = [(key, stage) for key, _label, stage in RECAP_COLUMNS if stage is not None and key != "sk_ahu_total"]


def _kecamatan_prefix(field_name: str):
    return Substr(field_name, 1, KECAMATAN_CODE_LENGTH)


def recap(region: Region, on: date | None = None) -> list[dict]:
    """One row per kecamatan under `region` in the columns of RECAP_COLUMNS, then a total row (three queries).

    Counts are villages (a cooperative serving several villages counts for each), the same unit as the sheet.
    NPWP counts villages whose cooperative has its NPWP recorded in the registry profile, whatever its stage.

    With `on` (a past date), the stages are those the stage history (`StageMove`, by `happened_at`, else when it was
    recorded) gave at the end of that day in the region's zone; cooperatives not yet recorded then count nowhere.
    The villages, their desa/kelurahan kind, which cooperative serves them and the NPWP keep no history: today's."""
    kecamatans = kecamatan_of(region)
    villages = (
        Region.objects.subtree(region.code, include_self=False)
        .villages()
        .active()
        .annotate(p=_kecamatan_prefix("code"))
        .values("p", "kind")
        .annotate(n=Count("id"))
        .values_list("p", "kind", "n")
    )
    per_stage = (
        CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True)
        .filter(subtree_q(region.code, "village_code", include_self=False))
        .annotate(p=_kecamatan_prefix("village_code"))
        .annotate(has_npwp=Case(When(cooperative__npwp="", then=Value(0)), default=Value(1)))
        .annotate(st=F("cooperative__stage") if on is None else stage_at("cooperative_id", day_end(region.code, on)))
        .filter(st__isnull=False)
        .values("p", "village__kind", "st", "has_npwp")
        .annotate(n=Count("id"))
        .values_list("p", "village__kind", "st", "has_npwp", "n")
    )
    blank = {key: 0 for key, _label, _stage in RECAP_COLUMNS[2:]}
    rows: dict[str, dict[str, Any]] = {
        k.code: {"no": i, "kecamatan": k.name, **blank} for i, k in enumerate(kecamatans, 1)
    }
    for prefix, kind, n in villages:
        if prefix in rows:
            rows[prefix]["kelurahan" if kind == Kind.KELURAHAN else "desa"] += n
    for prefix, kind, stage, has_npwp, n in per_stage:
        row = rows.get(prefix)
        if row is None:
            continue
        if has_npwp:
            row["npwp"] += n
        for key, minimum in COUNTED:
            if stage < minimum:
                continue
            if key == "sk_ahu_desa" and kind == Kind.KELURAHAN or key == "sk_ahu_kelurahan" and kind != Kind.KELURAHAN:
                continue
            row[key] += n
    result = list(rows.values())
    total: dict[str, Any] = {"no": None, "kecamatan": str(_("Total")), **blank}
    for row in result:
        row["sk_ahu_total"] = row["sk_ahu_desa"] + row["sk_ahu_kelurahan"]
        for key in blank:
            if key != "sk_ahu_percent":
                total[key] += row[key]
    for row in [*result, total]:
        n = row["desa"] + row["kelurahan"]
        row["sk_ahu_percent"] = round(100.0 * row["sk_ahu_total"] / n, 1) if n else 0.0
    return [*result, total]


def recap_table(rows: list[dict]) -> tuple[list[str], list[list]]:
    return [str(label) for _key, label, _stage in RECAP_COLUMNS], [
        [row[key] for key, _label, _stage in RECAP_COLUMNS] for row in rows
    ]


# ---- rows of the other lists' .xlsx ------------------------------------------------------------------------------

QUEUE_HEADERS = [_("Submitted"), _("Cooperative"), _("From stage"), _("Stage"), _("By"), _("Files")]


def queue_rows(user: User) -> list[tuple]:
    return [
        (
            s.submitted_at,
            s.cooperative.name,
            s.get_from_stage_display(),
            s.get_stage_display(),
            str(s.submitted_by or ""),
            s.n_files,
        )
        for s in verification_queue(user)
    ]


def recap_title(region: Region, on: date | None = None) -> str:
    """The recap's heading: "Rekap per kecamatan — Kabupaten Paser", with "per 11 Mei 2025" for a past date."""
    title = f"{_('Recap per kecamatan')} — {region.display_name}"
    return f"{title}, {_('as of %(date)s') % {'date': show_date(on)}}" if on is not None else title


def index_page(user: User) -> dict:
    """What the reports page offers the user: its own kecamatan's reports (camat), the grids of its scope roots, and
    its latest notifications."""
    own = [
        a.region
        for a in user.active_assignments()
        if a.role == Role.CAMAT and a.region is not None and a.region.level == Level.KECAMATAN
    ]
    roots = [r for r in scope_roots(user) if r.level <= Level.KECAMATAN]
    return {
        "own_kecamatan": own,
        "roots": roots,
        "notifications": list(user.notifications.all()[:10]),
    }


NARRATIVE_FIELDS = ("obstacles", "follow_up", "assistance_needed", "building_notes")


def latest_version(period: ReportPeriod, kecamatan: Region) -> CamatReport | None:
    return CamatReport.objects.filter(period=period, kecamatan=kecamatan).order_by("-version").first()


READ_FIELDS = [*NARRATIVE_FIELDS, "village_obstacles", "version"]


def read_key(period: ReportPeriod, kecamatan: Region) -> str:
    # the same before version 1 is made and after: a form read when there was no draft yet is stale once one exists
    return f"reports.camatreport:period={period.pk}:kecamatan={kecamatan.code}"


def latest_or_new(latest: CamatReport | None, period: ReportPeriod, kecamatan: Region) -> CamatReport:
    return latest or CamatReport(period=period, kecamatan=kecamatan, kecamatan_code=kecamatan.code)


def report_token(period: ReportPeriod, kecamatan: Region) -> str:
    """The read token (`audit.stale`) of the kecamatan's latest version for the period (none yet: an empty draft)."""
    latest = CamatReport.objects.filter(period=period, kecamatan=kecamatan).order_by("-version").first()
    return read_token(latest_or_new(latest, period, kecamatan), READ_FIELDS, key=read_key(period, kecamatan))


# ---- the home page ------------------------------------------------------------------------------------------------

DONE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass
class ReportDue:
    """A period whose report a kecamatan still owes (nothing submitted, or its latest version returned)."""

    kecamatan: Region
    period: ReportPeriod


def reports_due(user: User, today: date, *, limit: int = 5) -> tuple[int, list[ReportDue]]:
    """For a camat: the periods begun by `today` whose report its kecamatan has not submitted (or had returned), the
    earliest due date first: (how many, the first `limit`). Two queries per kecamatan assigned (one or two)."""
    due: list[ReportDue] = []
    for assignment in user.active_assignments():
        kecamatan = assignment.region
        if assignment.role != Role.CAMAT or kecamatan is None or kecamatan.level != Level.KECAMATAN:
            continue
        programme = programme_for(kecamatan)
        if programme is None:
            continue
        done = CamatReport.objects.filter(kecamatan=kecamatan, status__in=DONE_STATUSES).values("period_id")
        periods = ReportPeriod.objects.filter(programme=programme, start__lte=today).exclude(pk__in=done)
        due += [ReportDue(kecamatan, period) for period in periods.order_by("due", "id")]
    due.sort(key=lambda d: d.period.due)
    return len(due), due[:limit]


@dataclass
class OverdueReports:
    """A kecamatan in the office's scope with reports past their due date: how many, and the oldest one."""

    kecamatan: Region
    count: int
    oldest: ReportPeriod


def overdue_reports(user: User, today: date, *, limit: int = 10) -> tuple[int, list[OverdueReports]]:
    """For the office: per kecamatan of its scope under an active programme, the reports due before `today` and not
    submitted, the kecamatan with the oldest one first: (how many reports in all, the first `limit` kecamatan).
    Four queries."""
    programmes = list(Programme.objects.filter(is_active=True).select_related("region"))
    if not programmes:
        return 0, []
    under = subtree_q(programmes[0].region.code)
    for programme in programmes[1:]:
        under |= subtree_q(programme.region.code)
    kecamatan = list(Region.objects.filter(level=Level.KECAMATAN).active().filter(scope_q(user)).filter(under))
    periods = list(ReportPeriod.objects.filter(programme__in=programmes, due__lt=today).order_by("due", "id"))
    done = set(
        CamatReport.objects.filter(period__in=[p.pk for p in periods], status__in=DONE_STATUSES).values_list(
            "period_id", "kecamatan_id"
        )
    )
    regions = {p.pk: p.region.code for p in programmes}
    rows = []
    for region in kecamatan:
        # the nearest programme above the kecamatan (as programme_for)
        own = max(
            (pk for pk, code in regions.items() if region.code.startswith(code + ".")),
            key=lambda pk: len(regions[pk]),
            default=None,
        )
        missing = [p for p in periods if p.programme_id == own and (p.pk, region.pk) not in done]
        if missing:
            rows.append(OverdueReports(region, len(missing), missing[0]))
    rows.sort(key=lambda r: (r.oldest.due, r.kecamatan.code))
    return sum(r.count for r in rows), rows[:limit]

"""Validation of an import file into a plan: row-numbered errors and warnings, and what would change.

A plan is computed from the file and the current database, writes nothing, and is computed again at confirm: its
fingerprint (a hash of every planned write with its before-value) tells whether the data changed in between. Plain
Python loops over plain values: a 100,000-row member file is validated without one ORM object per row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import scope_q
from kopdes.cleaners import CellError, dates
from kopdes.cleaners.dates import membership_errors, parse_date
from kopdes.cleaners.money import parse_money
from kopdes.cleaners.nik import nik_from_cell, normalise, parse_nik
from kopdes.cleaners.stage_labels import EXACT, read_stage
from kopdes.cleaners.text import clean_name, clean_text, is_blank, norm
from kopdes.cleaners.village import index_by_name, resolve_village, village_code, village_key
from kopdes.clock import local_today
from kopdes.cooperatives.member_checks import member_warnings
from kopdes.cooperatives.models import BoardMember, Member, MemberStatus, Organ
from kopdes.core.nik import mask_nik
from kopdes.formation import workflow
from kopdes.formation.models import BoardPosition, Cooperative, CooperativeVillage, StageSubmission
from kopdes.formation.workflow import Pathway, SubmissionStatus
from kopdes.imports import reader
from kopdes.imports.columns import remembered_layouts
from kopdes.imports.models import ImportKind, StageLabelDecision
from kopdes.imports.reader import cell
from kopdes.regions.models import Region

if TYPE_CHECKING:
    from kopdes.accounts.models import User

ERROR, WARNING, INFO = "error", "warning", "info"
SHOWN_ROWS = 200  # rows of the preview kept for display (counts are always complete)
SHOWN_MESSAGES = 500


@dataclass
class RowMessage:
    row: int | None
    level: str
    text: str


@dataclass
class Plan:
    kind: str
    sheet: str = ""
    messages: list[RowMessage] = field(default_factory=list)
    new: list[dict] = field(default_factory=list)  # display rows (first SHOWN_ROWS)
    changed: list[dict] = field(default_factory=list)
    new_count: int = 0
    changed_count: int = 0
    unchanged_count: int = 0
    # Rows left out with a reason (`skip`): subtotals, the signature block, rows without an identity (no NIK nor name;
    # no village nor stage). Empty rows are passed over without being counted (their skip reason is "").
    skipped_count: int = 0
    not_applied_count: int = 0  # rows with a warning that keeps them out (stage backwards, pending submission)
    writes: list = field(default_factory=list)
    board: list[dict] = field(default_factory=list)  # board changes for the batch's audit entry (NIKs masked)
    labels: list[dict] = field(default_factory=list)  # stage labels waiting for the office's decision
    fingerprint: str = ""
    skipped: list[dict] = field(default_factory=list)  # {"row", "reason"} of every row skipped (first SHOWN_ROWS)
    reading: dict = field(default_factory=dict)  # how the sheet was read: layout, columns, unknown columns, fills
    table: reader.Table | None = field(default=None, repr=False)  # the rows read (for the rows left out)

    def add(self, row: int | None, level: str, text: str) -> None:
        self.messages.append(RowMessage(row, level, text))

    def skip(self, row: int, reason: str) -> None:
        """A row with no data for the import (subtotal, signature block, no identity): counted and listed with why.
        Empty rows never come here (the skippers give them the reason "")."""
        self.skipped_count += 1
        if len(self.skipped) < SHOWN_ROWS:
            self.skipped.append({"row": row, "reason": str(reason)})

    @property
    def error_rows(self) -> set[int]:
        """Rows refused by an error: left out of an import of the valid rows."""
        return {m.row for m in self.messages if m.level == ERROR and m.row is not None}

    @property
    def file_errors(self) -> int:
        """Errors of the file as a whole (no row): nothing can be imported."""
        return sum(1 for m in self.messages if m.level == ERROR and m.row is None)

    @property
    def error_count(self) -> int:
        return sum(1 for m in self.messages if m.level == ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for m in self.messages if m.level == WARNING)

    @property
    def has_changes(self) -> bool:
        return bool(self.new_count or self.changed_count)

    def seal(self, keyed: list) -> None:
        """The fingerprint of the planned writes: one line per write (strings, or reprs of small structures)."""
        self.fingerprint = hashlib.sha256(
            "\n".join(item if isinstance(item, str) else repr(item) for item in keyed).encode()
        ).hexdigest()

    def summary(self) -> dict:
        """The JSON kept on the batch and shown by the preview and result pages (NIKs masked)."""
        ordered = sorted(self.messages, key=lambda m: (m.row or 0, m.level != ERROR))
        return {
            "sheet": self.sheet,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "new": self.new_count,
            "changed": self.changed_count,
            "unchanged": self.unchanged_count,
            "skipped": self.skipped_count,
            "not_applied": self.not_applied_count,
            "messages": [{"row": m.row, "level": m.level, "text": m.text} for m in ordered[:SHOWN_MESSAGES]],
            "messages_total": len(self.messages),
            "new_rows": self.new[:SHOWN_ROWS],
            "changed_rows": self.changed[:SHOWN_ROWS],
            "labels": self.labels,
            "skipped_rows": self.skipped[:SHOWN_ROWS],
            "error_rows": len(self.error_rows),
            "file_errors": self.file_errors,
            **self.reading,
        }


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:,.0f}".replace(",", ".") if value == value.to_integral() else f"{value:,.2f}"
    return str(value)


def _note_unread(plan: Plan, table: reader.Table) -> None:
    """How the sheet was read, for the preview: columns not imported (the admin may map them: columns.py), ranges of
    merged cells filled down."""
    plan.table = table
    plan.reading = {
        "layout": table.layout,
        "header_row": table.header_row,
        "unknown_columns": [[position, text] for position, text in sorted(table.unknown.items())],
        "read_columns": {key: table.header_labels.get(position, key) for key, position in table.columns.items()},
        "filled": table.filled,
    }
    if table.unread:
        plan.add(
            None,
            INFO,
            _("Columns not imported: %(columns)s.") % {"columns": ", ".join(c.rstrip(".") for c in table.unread)},
        )
    if table.filled:
        plan.add(
            None,
            INFO,
            _("Merged cells filled down (their value applies to every row they cover): %(ranges)s.")
            % {"ranges": ", ".join(table.filled)},
        )


# ------------------------------------------------------------------------------------------------------- members

MEMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "No NIK", "Nomor NIK", "NIK KTP", "No KTP", "Nomor KTP", "Nomor Induk Kependudukan"),
    "name": ("Nama", "Nama Anggota", "Nama Lengkap", "Nama Sesuai KTP"),
    "dusun": ("Dusun", "Dusun/Lingkungan", "Lingkungan", "Alamat Dusun"),
    "rt": ("RT", "No RT", "RT/RW"),
    "join_date": ("Tanggal Masuk", "Tgl Masuk", "Tanggal Bergabung", "Tanggal Daftar", "Tgl Daftar", "Tgl Bergabung"),
    "simpanan_pokok": ("Simpanan Pokok", "Simp Pokok", "Simpanan Pokok (Rp)", "Simpanan Pokok Dibayar"),
    "simpanan_wajib": ("Simpanan Wajib", "Simp Wajib", "Simpanan Wajib (Rp)", "Simpanan Wajib Dibayar"),
    "status": ("Status", "Status Anggota", "Keanggotaan"),
    "left_date": ("Tanggal Keluar", "Tgl Keluar", "Tanggal Berhenti"),
}
MEMBER_FIELDS = ("name", "dusun", "rt", "join_date", "simpanan_pokok", "simpanan_wajib", "status", "left_date")
MEMBER_LABELS = {
    "name": gettext_lazy("Name"),
    "dusun": gettext_lazy("Dusun"),
    "rt": gettext_lazy("RT"),
    "join_date": gettext_lazy("Joined on"),
    "simpanan_pokok": gettext_lazy("Simpanan pokok"),
    "simpanan_wajib": gettext_lazy("Simpanan wajib"),
    "status": gettext_lazy("Status"),
    "left_date": gettext_lazy("Left on"),
}
ACTIVE_WORDS = {"", "aktif", "active", "anggota", "ya", "y"}
LEFT_WORDS = {"keluar", "left", "berhenti", "tidak aktif", "non aktif", "nonaktif", "meninggal", "meninggal dunia"}


def plan_members(*, data: bytes, name: str, cooperative: Cooperative, today: date | None = None) -> Plan:
    """Validate a members file of `cooperative` (see MEMBER_COLUMNS) against its current members. `today`: the
    village's local date (default) for the date windows. The valid rows are planned even beside rows with errors:
    the admin may import them and leave the rest out (`Plan.error_rows`)."""
    today = today or local_today(cooperative.region_code)
    table = reader.find_table(
        data, name, MEMBER_COLUMNS, required=[("nik",), ("name",)], layouts=remembered_layouts("members")
    )
    plan = Plan(kind="members", sheet=table.sheet)
    _note_unread(plan, table)
    parsed = _member_rows(plan, table, today)
    if not parsed:  # the valid rows are planned even beside errors: the admin may import them and leave the rest
        if not plan.error_count:
            plan.add(None, ERROR, _("The file holds no member rows."))
        return plan
    _compare_members(plan, parsed, cooperative, today, data)
    return plan


def _member_columns(table: reader.Table, today: date) -> dict[str, tuple[list, bool]]:
    """The columns beside NIK and name, converted column by column, each distinct cell value once (a file repeats
    its dusun, dates, amounts and status words thousands of times): None for a blank cell, else the value or its
    CellError."""
    c, rows = table.columns, table.rows
    return {
        "dusun": _column(rows, c.get("dusun"), lambda raw: clean_text(raw)[:100]),
        "rt": _column(rows, c.get("rt"), lambda raw: clean_text(raw)[:10]),
        "join_date": _column(rows, c.get("join_date"), lambda raw: parse_date(raw, dates.JOINED, today=today)),
        "simpanan_pokok": _column(rows, c.get("simpanan_pokok"), parse_money),
        "simpanan_wajib": _column(rows, c.get("simpanan_wajib"), parse_money),
        "status": _column(rows, c.get("status"), _member_status),
        "left_date": _column(rows, c.get("left_date"), lambda raw: parse_date(raw, dates.LEFT, today=today)),
    }


_LABELLED = {"dusun", "rt", "simpanan_pokok", "simpanan_wajib"}  # the date and status cleaners name their field


def _member_rows(plan: Plan, table: reader.Table, today: date) -> list[tuple]:
    """(row number, nik, values tuple, sex, birth date) of each member row; every reason a row is refused goes on the
    plan with its row number, all of them."""
    columns = _member_columns(table, today)
    bad_rows = {
        i
        for values, has_errors in columns.values()
        if has_errors
        for i, v in enumerate(values)
        if v.__class__ is CellError
    }
    check_nik = _nik_checker(today)
    seen: dict[str, int] = {}
    parsed: list[tuple] = []
    skip = _member_skipper(table)
    for index, (number, row) in enumerate(table.rows):
        reason = skip(number, row)
        if reason is not None:
            if reason:
                plan.skip(number, reason)
            continue
        if number in table.formula_rows:  # a formula without a value reads as empty: its own message, not "the name
            plan.add(number, ERROR, reader.formula_message(table, number))  # is empty"
            continue
        errors: list[str] = []
        identity = _member_identity(row, table, check_nik, seen, number, errors)
        if index in bad_rows:  # every reason of the row, not only the first
            for field_name, (values, _e) in columns.items():
                if values[index].__class__ is CellError:
                    label = f"{MEMBER_LABELS[field_name]}: " if field_name in _LABELLED else ""
                    errors.append(f"{label}{values[index]}")
        joined, left = columns["join_date"][0][index], columns["left_date"][0][index]
        errors.extend(
            membership_errors(
                None if joined.__class__ is CellError else joined,
                None if left.__class__ is CellError else left,
                today=today,
            )
        )
        for error in errors:
            plan.add(number, ERROR, error)
        if not errors:
            parsed.append((number, identity[0], _member_values(identity[1], columns, index), *identity[2:]))
    return parsed


def _member_skipper(table: reader.Table):
    """Why a row is no member row, for the preview's list (reader.skip_reason): "" for an empty or numbered-only row
    (not listed), a subtotal ("JUMLAH"), the signature block ("Mengetahui", names under it), a row with neither a NIK
    nor a name; None for a member row. A row whose formulas have no value is a member row (its own error)."""
    i_nik, i_name = table.columns["nik"], table.columns["name"]
    identity_end = max(i_nik, i_name) + 1  # a subtotal's label sits in the first columns
    after_signature = False

    def skip(number: int, row: list) -> str | None:
        nonlocal after_signature
        raw_nik = row[i_nik] if i_nik < len(row) else None
        raw_name = row[i_name] if i_name < len(row) else None
        nik_blank = is_blank(raw_nik)
        if not (nik_blank or (type(raw_nik) is str and raw_nik.lstrip()[:1].isalpha())):
            return None
        has_formula = number in table.formula_rows
        after_signature = after_signature or reader.is_signature_row(row)
        reason = reader.skip_reason(
            row, identity_end=identity_end, after_signature=after_signature, formulas=has_formula
        )
        if reason is None and nik_blank and is_blank(raw_name) and not has_formula:
            reason = _("neither a NIK nor a name")
        return reason

    return skip


def _member_identity(row, table, check_nik, seen: dict, number: int, errors: list) -> tuple:
    """(nik, name, sex, birth date) of a row; what is wrong goes to `errors`."""
    i_nik, i_name = table.columns["nik"], table.columns["name"]
    raw_nik = row[i_nik] if i_nik < len(row) else None
    raw_name = row[i_name] if i_name < len(row) else None
    nik, sex, born = "", None, None
    if is_blank(raw_nik):
        errors.append(_("The NIK is empty."))
    else:
        try:
            nik, sex, born = check_nik(raw_nik)
        except CellError as error:
            errors.append(str(error))
        except ValidationError as error:
            errors.append(f"NIK {_shown_nik(raw_nik)}: {' '.join(error.messages)}")
        else:
            if nik in seen:  # after normalising: ٦٤٠١… and 6401… are one person
                errors.append(_("The same NIK as row %(row)s.") % {"row": seen[nik]})
            else:
                seen[nik] = number
    member_name = clean_name(raw_name) if raw_name is not None else ""
    if not member_name:
        errors.append(_("The name is empty."))
    elif len(member_name) > 150:
        errors.append(_("The name is longer than 150 characters."))
    return nik, member_name, sex, born


def _member_values(member_name: str, columns: dict, index: int) -> tuple:
    """The values written for a member, in MEMBER_FIELDS order."""
    zero = Decimal("0.00")
    value = {key: values[index] for key, (values, _e) in columns.items()}
    left_date = value["left_date"]
    status = MemberStatus.LEFT if left_date is not None else (value["status"] or MemberStatus.ACTIVE)
    pokok, wajib = value["simpanan_pokok"], value["simpanan_wajib"]
    return (
        member_name,
        value["dusun"] or "",
        value["rt"] or "",
        value["join_date"],
        zero if pokok is None else pokok,
        zero if wajib is None else wajib,
        status,
        left_date,
    )


def _compare_members(plan: Plan, parsed: list[tuple], cooperative: Cooperative, today: date, data: bytes) -> None:
    """Warnings, new and changed rows, the writes and the fingerprint of the valid rows of a members file."""
    existing = {
        row[0]: row[1:]
        for row in Member.objects.filter(cooperative=cooperative).values_list("nik", *MEMBER_FIELDS).iterator(5000)
    }
    warned = member_warnings(
        cooperative=cooperative, niks=[p[1] for p in parsed], today=today, birth_dates={p[1]: p[4] for p in parsed}
    )
    keyed = []
    for number, nik, key, sex, born in parsed:
        for warning in warned.get(nik, ()):
            plan.add(number, WARNING, f"NIK {mask_nik(nik)}: {warning.message}")
        before = existing.get(nik)
        if before is None:
            plan.new_count += 1
            if len(plan.new) < SHOWN_ROWS:
                plan.new.append({"row": number, "nik": mask_nik(nik), "name": key[0]})
        elif before == key:
            plan.unchanged_count += 1
            continue
        else:
            plan.changed_count += 1
            if len(plan.changed) < SHOWN_ROWS:
                changes = [
                    [str(MEMBER_LABELS[f]), _show(b), _show(a)]
                    for f, b, a in zip(MEMBER_FIELDS, before, key, strict=True)
                    if b != a
                ]
                plan.changed.append({"row": number, "nik": mask_nik(nik), "name": key[0], "changes": changes})
        plan.writes.append((nik, sex, born, *key))
        # The values written follow from the file (its hash is sealed too); what can change between preview and
        # confirm is the record before, so only the NIK and its before-values are keyed (cheap for a new row).
        keyed.append(nik if before is None else "\x1f".join([nik, *map(str, before)]))
    plan.seal([hashlib.sha256(data).hexdigest(), *keyed])


def _column(rows: list, position: int | None, convert) -> tuple[list, bool]:
    """(value per row, whether any cell failed): None for a blank or absent cell, the converted value, or the
    CellError of a bad cell. Each distinct cell value is converted once."""
    if position is None:
        return [None] * len(rows), False
    raws = [row[position] if position < len(row) else None for _number, row in rows]
    done: dict = {}
    failed = False
    for raw in set(raws):
        if raw is None or (raw.__class__ is str and not raw.strip()):
            done[raw] = None
            continue
        try:
            done[raw] = convert(raw)
        except CellError as error:
            done[raw], failed = error, True
    return [done[raw] for raw in raws], failed


def _member_status(raw) -> str:
    word = norm(raw)
    if word in LEFT_WORDS:
        return MemberStatus.LEFT
    if word in ACTIVE_WORDS:
        return MemberStatus.ACTIVE
    raise CellError(_("Unknown status “%(value)s” (write Aktif or Keluar).") % {"value": raw})


def _nik_checker(today: date):
    """(nik, sex, birth date) of a NIK cell, raising CellError or parse_nik's ValidationError. The NIK is normalised
    first (`kopdes.cleaners.nik`); parse_nik runs once per region-and-birth-date prefix: NIKs sharing their first 12
    digits differ only in the serial (checked here)."""
    known: dict[str, tuple[str, date]] = {}

    def check(raw):
        nik = raw if type(raw) is str and len(raw) == 16 and raw.isascii() and raw.isdigit() else nik_from_cell(raw)
        if len(nik) != 16 or not (nik.isascii() and nik.isdigit()) or nik[12:] == "0000":
            parse_nik(nik, today=today)  # raises with the exact reason
        prefix = nik[:12]
        found = known.get(prefix)
        if found is None:
            parsed = parse_nik(nik, today=today)
            found = known[prefix] = (parsed.sex, parsed.birth_date)
        return nik, found[0], found[1]

    return check


def _shown_nik(raw) -> str:
    text = normalise(clean_text(raw))
    return mask_nik(text) if len(text) == 16 else text[:4] + "…"


# ------------------------------------------------------------------------------------------------ village status

STATUS_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Kode Desa", "Kode", "Kode Wilayah", "Kode Kemendagri", "Kode Desa/Kelurahan", "Kode Desa Kelurahan"),
    "village": ("Nama Desa", "Desa", "Desa/Kelurahan", "Nama Desa/Kelurahan", "Kelurahan", "Nama Desa Kelurahan"),
    "kecamatan": ("Kecamatan", "Kec", "Nama Kecamatan"),
    "stage": ("Status Tahapan", "Tahapan", "Status", "Tahap", "Progres", "Status Pembentukan", "Progres Tahapan"),
    "date": ("Tanggal", "Tanggal Tahapan", "Tgl"),
    "number": ("Nomor", "Nomor Dokumen", "No Dokumen"),
    "sosialisasi_date": ("Tanggal Sosialisasi", "Tgl Sosialisasi"),
    "team_formed_date": ("Tanggal SK Tim", "Tanggal Tim Fasilitator", "Tgl SK Tim"),
    "team_decree_number": ("Nomor SK Tim", "No SK Tim", "Nomor SK Kepala Desa"),
    "musdesus_scheduled_date": ("Jadwal Musdesus", "Tanggal Jadwal Musdesus", "Rencana Musdesus"),
    "musdesus_date": (
        "Tanggal Musdesus",
        "Tgl Musdesus",
        "Tanggal Musdes",
        "Tgl Musdes",
        "Tanggal Pelaksanaan Musdesus",
    ),
    "founding_meeting_date": ("Tanggal Rapat Pendirian", "Tgl Rapat Pendirian"),
    "name_booked_date": ("Tanggal Pemesanan Nama", "Tgl Pesan Nama", "Tanggal Pesan Nama"),
    "deed_date": ("Tanggal Akta", "Tgl Akta", "Tanggal Akta Notaris"),
    "deed_number": ("Nomor Akta", "No Akta", "Nomor Akta Notaris"),
    "sk_ahu_date": ("Tanggal SK AHU", "Tgl SK AHU", "Tanggal SK Kemenkum"),
    "sk_ahu_number": ("Nomor SK AHU", "No SK AHU", "Nomor SK Kemenkum"),
    "nib_date": ("Tanggal NIB", "Tgl NIB"),
    "nib": ("NIB", "Nomor NIB", "No NIB"),
    "simkopdes_date": ("Tanggal SIMKOPDES", "Tgl SIMKOPDES", "Tanggal Terdaftar SIMKOPDES"),
    "simkopdes_account": ("Akun SIMKOPDES", "ID SIMKOPDES"),
    "operating_since": ("Tanggal Beroperasi", "Beroperasi Sejak", "Tgl Beroperasi"),
    # The ketua pengurus: compared with the sitting one, seated or replaced through the board services.
    "chair_name": ("Nama Ketua Pengurus", "Ketua Pengurus", "Nama Ketua", "Nama Ketua Koperasi", "Ketua Koperasi"),
    "chair_nik": ("NIK Ketua", "NIK Ketua Pengurus", "NIK Ketua Koperasi"),
    "chair_since": ("Ketua Menjabat Sejak", "Mulai Menjabat", "Tanggal Mulai Menjabat", "TMT Ketua"),
}
CHAIR_KEYS = ("chair_name", "chair_nik", "chair_since")
# Which stage writes each evidence field (workflow.py): a field of a stage above the row's stage is not written.
FIELD_STAGE = {
    f: s.number for s in workflow.STAGES for f in (s.date_field, s.number_field) if f
}  # fmt: skip
DATE_FIELDS = {s.date_field for s in workflow.STAGES if s.date_field}


@dataclass
class StatusContext:
    """What a village status sheet is checked against: the villages and cases of the actor's scope, the submissions
    waiting, the sitting boards, the office's label decisions; and what the rows built so far."""

    table: reader.Table
    villages: dict[str, tuple[str, str]]  # code -> (village name, kecamatan name)
    by_name: dict[str, list[str]]
    memberships: dict[str, int]  # village code -> cooperative id
    cases: dict[int, dict]
    pending: dict[int, int]  # cooperative id -> stage waiting for verification
    board: dict[int, tuple]
    decisions: dict[tuple[str, str], int | None]  # (regency code, label key) -> stage decided (None: leave out)
    check_nik: Callable[[date], Callable]  # the village's date -> a NIK checker for that date (_nik_checker)
    today: date | None
    reads_chair: bool
    seen: dict[int, int] = field(default_factory=dict)  # cooperative id -> first row naming it
    chair_rows: dict[str, int] = field(default_factory=dict)  # ketua NIK -> first row naming it
    labels: dict[str, dict] = field(default_factory=dict)  # label key -> the rows waiting for a decision on it
    keyed: list = field(default_factory=list)


def plan_village_status(*, data: bytes, name: str, actor: User, today: date | None = None) -> Plan:
    """Validate the office's village status sheet against the cases of the villages in the actor's scope. A label
    the stage cleaner does not read exactly never fails the file and never moves a village silently: its rows wait
    for the office's decision on the label (`plan.labels`, `StageLabelDecision`)."""
    table = reader.find_table(
        data,
        name,
        STATUS_COLUMNS,
        required=[("code", "village"), ("stage",)],
        layouts=remembered_layouts("village_status"),
    )
    plan = Plan(kind="village_status", sheet=table.sheet)
    _note_unread(plan, table)
    context = _status_context(actor, table, today)
    skip = _status_skipper(context)
    for number, row in table.rows:
        reason = skip(number, row)
        if reason is not None:
            if reason:
                plan.skip(number, reason)
            continue
        _plan_status_row(plan, context, number, row)
    plan.labels = _label_groups(context)
    plan.seal([*context.keyed, ("decisions", sorted(context.decisions.items(), key=str))])
    return plan


def _status_context(actor: User, table: reader.Table, today: date | None) -> StatusContext:
    villages = {
        code: (village, kecamatan)
        for code, village, kecamatan in Region.objects.villages()
        .filter(scope_q(actor, "code", Cap.VERIFY))
        .values_list("code", "name", "parent__name")
    }
    # Subqueries on the scope, not lists of ids: a national office's 83,000 villages exceed the parameter limits.
    in_scope = CooperativeVillage.objects.filter(left_at__isnull=True).filter(
        scope_q(actor, "village_code", Cap.VERIFY)
    )
    case_ids = in_scope.values("cooperative_id")
    fields = ["id", "stage", "name", "pathway", *FIELD_STAGE]
    reads_chair = "chair_name" in table.columns or "chair_nik" in table.columns
    regencies = {".".join(code.split(".")[:2]) for code in villages}
    return StatusContext(
        table=table,
        villages=villages,
        by_name=index_by_name(villages),
        memberships=dict(in_scope.values_list("village_code", "cooperative_id")),
        cases={row["id"]: row for row in Cooperative.objects.filter(id__in=case_ids).values(*fields)},
        pending=dict(
            StageSubmission.objects.filter(cooperative_id__in=case_ids, status=SubmissionStatus.PENDING).values_list(
                "cooperative_id", "stage"
            )
        ),
        board=_sitting_board(case_ids) if reads_chair else {},
        decisions={
            (regency, label): stage
            for regency, label, stage in StageLabelDecision.objects.filter(regency_code__in=regencies).values_list(
                "regency_code", "label", "stage"
            )
        },
        check_nik=cache(_nik_checker),  # one checker per village date: rows of a national file span zones
        today=today,
        reads_chair=reads_chair,
    )


def _status_skipper(context: StatusContext):
    """Why a row is no village row, for the preview's list (reader.skip_reason): "" for an empty row (not listed),
    subtotals ("JUMLAH"), the signature block ("Mengetahui", names under it), numbered-only rows and group titles
    without a stage ("KECAMATAN BATU SOPANG"); None for a village row. A row naming a village of the region is a
    village row whatever word it begins with (Paser has a village "Kepala Telake"); a known village without a stage
    is a row (an error later), and so is a row whose formulas have no value (its own error)."""
    c = context.table.columns
    identity_end = max(c[k] for k in ("code", "village", "kecamatan") if k in c) + 1
    after_signature = False

    def skip(number: int, row: list) -> str | None:
        nonlocal after_signature
        raw_code, raw_village, raw_stage = cell(row, c, "code"), cell(row, c, "village"), cell(row, c, "stage")
        if names_village(raw_code, raw_village, context):
            return None
        after_signature = after_signature or reader.is_signature_row(row)
        has_formula = number in context.table.formula_rows
        reason = reader.skip_reason(
            row, identity_end=identity_end, after_signature=after_signature, formulas=has_formula
        )
        if reason is None and raw_stage is None and raw_code is None and not has_formula:
            reason = _("no stage, and no village of your region named")
        return reason

    return skip


def _plan_status_row(plan: Plan, context: StatusContext, number: int, row: list) -> None:
    c = context.table.columns
    if number in context.table.formula_rows:  # a formula without a value reads as empty: its own message, not "the
        plan.add(number, ERROR, reader.formula_message(context.table, number))  # village is empty"
        return
    if cell(row, c, "code") is None and cell(row, c, "village") is None:
        plan.add(number, ERROR, _("Neither the village code nor the village name is filled in."))
        return
    errors_before = len(plan.messages)
    raw_stage = cell(row, c, "stage")  # the stage is read first: every reason of a row is given, not only the first
    if raw_stage is None:
        plan.add(number, ERROR, _("The stage is empty."))
    found = _row_case(plan, context, number, row)
    if found is None:
        if raw_stage is not None and read_stage(raw_stage).stage is None:  # no village: no label decision to wait for
            plan.add(
                number,
                ERROR,
                _("The stage “%(label)s” is not understood.") % {"label": clean_text(raw_stage)[:80]},
            )
        return
    if raw_stage is None:
        return
    code, case_id = found
    target, note = _row_stage(plan, context, number, code, raw_stage)
    case = context.cases[case_id]
    village_today = context.today or local_today(code)
    values = _row_values(plan, context, number, row, target if target is not None else case["stage"], case,
                         village_today)  # fmt: skip
    check_nik = context.check_nik(village_today)
    chair = _read_chair(plan, number, row, context.table, village_today, check_nik) if context.reads_chair else None
    if chair and chair["nik"]:
        first = context.chair_rows.setdefault(chair["nik"], number)
        if first != number:
            plan.add(
                number,
                WARNING,
                _("The same NIK of the ketua as row %(row)s: one person would chair two cooperatives.")
                % {"row": first},
            )
    if any(m.level == ERROR for m in plan.messages[errors_before:]):
        return
    if target is None:  # waiting for the office's decision on the label, or a label it chose to leave out
        plan.not_applied_count += 1
        return
    _row_change(plan, context, number, code, case_id, target, values, chair, village_today, note)


def row_village(plan: Plan, context, number: int, row: list) -> str | None:
    """The village code a row names by its code, name and kecamatan cells (warnings added to the row), or None with
    an error on the row. `context`: any plan context with `table`, `villages` and `by_name`."""
    c = context.table.columns
    match = resolve_village(
        code_cell=cell(row, c, "code"),
        name_cell=cell(row, c, "village"),
        kecamatan_cell=cell(row, c, "kecamatan"),
        villages=context.villages,
        by_name=context.by_name,
    )
    for warning in match.warnings:
        plan.add(number, WARNING, warning)
    if match.code is None:
        plan.add(number, ERROR, match.error)
        return None
    return match.code


def _row_case(plan: Plan, context: StatusContext, number: int, row: list) -> tuple[str, int] | None:
    """The village (code) and its cooperative (id) a row names, or None with an error on the row."""
    code = row_village(plan, context, number, row)
    if code is None:
        return None
    place = context.villages[code][0]
    case_id = context.memberships.get(code)
    if case_id is None:
        plan.add(number, ERROR, _("%(village)s has no cooperative record in the programme.") % {"village": place})
        return None
    if case_id in context.seen:
        plan.add(
            number,
            ERROR,
            _("%(village)s is already in row %(row)s.") % {"village": place, "row": context.seen[case_id]},
        )
        return None
    context.seen[case_id] = number
    return code, case_id


def _row_stage(plan: Plan, context: StatusContext, number: int, code: str, raw_stage) -> tuple[int | None, str]:
    """The stage a row moves its village to and the history note ("dari label …"), or (None, "") when the label
    waits for the office's decision or was decided to be left out."""
    reading = read_stage(raw_stage)
    written = clean_text(raw_stage)[:80]
    note = _("from the label “%(label)s”") % {"label": written}
    if reading.certainty == EXACT:
        return reading.stage, note
    regency = ".".join(code.split(".")[:2])
    if (regency, reading.label) in context.decisions:
        decided = context.decisions[(regency, reading.label)]
        if decided is None:
            plan.add(
                number,
                INFO,
                _("The label “%(label)s” is left out, as decided for this regency.") % {"label": written},
            )
        return decided, note
    group = context.labels.setdefault(
        reading.label,
        {"label": reading.label, "written": written, "reading": reading, "rows": [], "current": [], "regencies": set()},
    )
    group["rows"].append(number)
    group["current"].append(context.cases[context.memberships[code]]["stage"])
    group["regencies"].add(regency)
    return None, ""


def _label_groups(context: StatusContext) -> list[dict]:
    """The labels waiting for a decision, for the preview: how many rows, what the cleaner reads in each (a stage
    inferred from "proses X" is the stage before X), and the stages that reading would skip."""
    groups = []
    for key, group in context.labels.items():
        reading = group["reading"]
        suggested = reading.stage
        if suggested is None:
            meaning = _("Not understood.")
        elif not reading.reached:
            meaning = _("“%(named)s” is under way, not done: the stage before it, %(stage)s · %(label)s.") % {
                "named": workflow.stage(reading.named).label,
                "stage": suggested,
                "label": workflow.stage(suggested).label,
            }
        else:
            meaning = _("Perhaps %(stage)s · %(label)s (a close spelling).") % {
                "stage": suggested,
                "label": workflow.stage(suggested).label,
            }
        skipped = sorted(
            {s.number for current in group["current"] for s in workflow.skipped_between(current, suggested or 0)}
        )
        groups.append(
            {
                "key": key,
                "written": group["written"],
                "rows": group["rows"][:50],
                "count": len(group["rows"]),
                "suggested": suggested,
                "meaning": str(meaning),
                "skips": [f"{n} · {workflow.stage(n).label}" for n in skipped],
                "regencies": sorted(group["regencies"]),
            }
        )
    return sorted(groups, key=lambda g: -g["count"])


def _date_field(field_name: str, pathway: str) -> dates.DateField:
    """The window of an evidence date: a scheduled Musdesus may lie ahead; an existing cooperative's deed, SK and
    NIB may predate the programme."""
    label = _field_label(field_name)
    if field_name == "musdesus_scheduled_date":
        return dates.DateField(label, dates.SCHEDULED.earliest, dates.SCHEDULED.days_ahead)
    if field_name in ("deed_date", "sk_ahu_date", "nib_date") and pathway in (
        Pathway.PENGEMBANGAN,
        Pathway.REVITALISASI,
    ):
        return dates.DateField(label, dates.OLD_EVIDENCE.earliest)
    return dates.DateField(label, dates.EVIDENCE.earliest)


def _field_label(field_name: str) -> str:
    field = Cooperative._meta.get_field(field_name)
    assert isinstance(field, models.Field)  # the record's own columns, never a reverse relation
    return str(capfirst(field.verbose_name))


def _row_values(plan, context: StatusContext, number, row, target: int, case: dict, today: date) -> dict:
    """The evidence values of a row (date and number of its stage, and named evidence columns up to it)."""
    table, c = context.table, context.table.columns
    values: dict = {}
    for key in ("date", "number", *FIELD_STAGE):
        raw = cell(row, c, key)
        if raw is None:
            continue
        if key in ("date", "number"):
            stage_fields = workflow.stage(target)
            field_name = stage_fields.date_field if key == "date" else stage_fields.number_field
            if field_name is None:
                continue
        else:
            field_name = key
        column = table.header_labels.get(c[key], key)
        if FIELD_STAGE[field_name] > target:
            plan.add(
                number,
                WARNING,
                _("“%(column)s” belongs to a later stage than “%(stage)s”: not imported.")
                % {"column": column, "stage": workflow.stage(target).label},
            )
            continue
        value: date | str
        try:
            if field_name in DATE_FIELDS:
                value = parse_date(raw, _date_field(field_name, case["pathway"]), today=today)
            else:
                value = clean_text(raw)[:100]
        except CellError as error:
            plan.add(number, ERROR, f"{column}: {error}")
            continue
        values[field_name] = value
    for later, earlier in workflow.out_of_order({**case, **values}, case["pathway"], target):
        merged = {**case, **values}
        plan.add(
            number,
            ERROR,
            _("The date of “%(later)s” (%(then)s) is before the date of “%(earlier)s” (%(first)s).")
            % {
                "later": later.label,
                "then": _show(merged[later.date_field]),
                "earlier": earlier.label,
                "first": _show(merged[earlier.date_field]),
            },
        )
    return values


def _row_change(plan, context: StatusContext, number, code, case_id, target, values, chair, today, note) -> None:
    """Compare a valid row with its case: not moved back, kept out by a pending submission, unchanged, or planned."""
    case = context.cases[case_id]
    place = context.villages[code][0]
    current = case["stage"]
    if target < current:
        plan.not_applied_count += 1
        plan.add(
            number,
            WARNING,
            _(
                "%(village)s is already at stage %(current)s (%(current_label)s); the sheet says %(target)s "
                "(%(target_label)s). Not moved back: step back on the village's page if this is a correction."
            )
            % {
                "village": place,
                "current": current,
                "current_label": workflow.stage(current).label,
                "target": target,
                "target_label": workflow.stage(target).label,
            },
        )
        return
    changes = {k: v for k, v in values.items() if case[k] != v}
    if target != current:
        changes = {"stage": target, **changes}
    chair_change = None  # None: no ketua or the same; False: kept out by a warning; else the seat to write
    if chair is not None:
        seats = context.board.get(case_id, ())
        # The sitting board is sealed with the plan: a ketua changed between the preview and the confirm is seen.
        context.keyed.append(("board", case_id, seats))
        chair_change = _chair_change(plan, number, place, chair, seats, values, today)
    if not changes and not chair_change:
        if chair_change is False:  # a different ketua a warning keeps out
            plan.not_applied_count += 1
        else:
            plan.unchanged_count += 1
        return
    if changes and case_id in context.pending:
        plan.not_applied_count += 1
        plan.add(
            number,
            WARNING,
            _(
                "%(village)s has stage %(stage)s waiting for verification: not imported. Decide the submission "
                "first, then import again."
            )
            % {"village": place, "stage": context.pending[case_id]},
        )
        return
    if changes:
        _note_gaps(plan, number, target, {**case, **values})
    plan.changed_count += 1
    before = {k: case[k] for k in changes}
    if chair_change:
        shown_chair = [_("Ketua pengurus"), chair_change["before"], chair_change["after"]]
        plan.board.append({"row": number, "village": place, "cooperative": case_id, "change": shown_chair[1:]})
    if len(plan.changed) < SHOWN_ROWS:
        plan.changed.append(
            {
                "row": number,
                "name": f"{place} ({context.villages[code][1]})",
                "changes": [_shown_change(k, before[k], v) for k, v in changes.items()]
                + ([shown_chair] if chair_change else []),
            }
        )
    plan.writes.append((case_id, target, dict(values), chair_change or None, note if "stage" in changes else ""))
    context.keyed.append((case_id, sorted(before.items()), sorted(changes.items()), chair_change, note))


def _shown_change(key: str, before, after) -> list[str]:
    if key == "stage":
        return [_("Stage"), f"{before} · {workflow.stage(before).label}", f"{after} · {workflow.stage(after).label}"]
    return [_field_label(key), _show(before), _show(after)]


def _sitting_board(case_ids) -> dict[int, tuple]:
    """Cooperative id -> its sitting seats (id, organ, position, name, NIK, term start, term end), oldest first."""
    seats: dict[int, list] = {}
    for cooperative_id, *seat in (
        BoardMember.objects.filter(cooperative_id__in=case_ids, ended_at__isnull=True)
        .order_by("id")
        .values_list("cooperative_id", "id", "organ", "position", "name", "nik", "term_start", "term_end")
    ):
        seats.setdefault(cooperative_id, []).append(tuple(seat))
    return {key: tuple(value) for key, value in seats.items()}


def _person(name: str, nik: str) -> str:
    return f"{name} ({mask_nik(nik)})" if nik else name


def _read_chair(plan: Plan, number: int, row: list, table: reader.Table, today: date, check_nik) -> dict | None:
    """The ketua pengurus of a row (name, NIK, since when) or None when the row names none; errors on the row."""
    c = table.columns
    raw_name, raw_nik, raw_since = (cell(row, c, key) for key in CHAIR_KEYS)
    if raw_name is None and raw_nik is None:
        return None

    def label(key):
        return table.header_labels.get(c[key], key)

    failed = False
    nik = ""
    if raw_nik is not None:
        try:
            nik = check_nik(raw_nik)[0]
        except CellError as error:
            plan.add(number, ERROR, f"{label('chair_nik')}: {error}")
            failed = True
        except ValidationError as error:
            plan.add(number, ERROR, f"{label('chair_nik')} {_shown_nik(raw_nik)}: {' '.join(error.messages)}")
            failed = True
    name = clean_name(raw_name) if raw_name is not None else ""
    if not name:
        plan.add(
            number,
            ERROR,
            _("“%(column)s” is filled in but the name of the ketua pengurus is empty.")
            % {"column": label("chair_nik")},
        )
        failed = True
    elif len(name) > 150 or not any(ch.isalpha() for ch in name):
        plan.add(number, ERROR, f"{label('chair_name')}: " + _("“%(value)s” is not a name.") % {"value": name[:40]})
        failed = True
    since = None
    if raw_since is not None:
        try:
            window = dates.DateField(label("chair_since"), dates.TERM_START.earliest)
            since = parse_date(raw_since, window, today=today)
        except CellError as error:
            plan.add(number, ERROR, str(error))
            failed = True
    return None if failed else {"name": name, "nik": nik, "since": since}


def _chair_change(plan: Plan, number: int, place: str, chair: dict, seats: tuple, values: dict, today: date):
    """What the row's ketua pengurus changes on the board: None (the same person), False (a warning keeps the change
    out), or the seat to add (no sitting ketua) or to replace (another person sits)."""
    name, nik, since = chair["name"], chair["nik"], chair["since"]
    chairs = [s for s in seats if s[1] == Organ.PENGURUS and s[2] == BoardPosition.KETUA]
    wanted = norm(name)
    for _id, _organ, _position, seat_name, seat_nik, _start, _end in chairs:
        if (seat_nik == nik) if (nik and seat_nik) else (norm(seat_name) == wanted):
            return None  # the same person
    if len(chairs) > 1:
        plan.add(
            number,
            WARNING,
            _(
                "%(village)s has %(count)s sitting ketua pengurus: the ketua is not changed by an import. Correct the "
                "board on the cooperative's page."
            )
            % {"village": place, "count": len(chairs)},
        )
        return False
    if nik:
        for _id, organ, position, _name, seat_nik, _start, _end in seats:
            if seat_nik == nik:
                plan.add(
                    number,
                    WARNING,
                    _(
                        "%(name)s already sits on the board of %(village)s (%(organ)s, %(position)s): end that seat "
                        "on the cooperative's page if the ketua leaves it."
                    )
                    % {
                        "name": name,
                        "village": place,
                        "organ": Organ(organ).label,
                        "position": BoardPosition(position).label if position in BoardPosition.values else position,
                    },
                )
    after = _person(name, nik)
    if not chairs:
        _note_no_nik(plan, number, name, nik)
        # No sitting ketua: the term starts on the row's own date of it, else on the Musdesus that chose the board.
        start = since or values.get("musdesus_date")
        return {"action": "add", "seat": None, "name": name, "nik": nik, "term_start": start, "term_end": None,
                "ended_at": None, "before": "—", "after": after}  # fmt: skip
    seat_id, _organ, _position, seat_name, seat_nik, seat_start, seat_end = chairs[0]
    ended = since or today  # without a date of the change in the sheet, the seat ends on the day of the import
    if seat_start and ended < seat_start:
        plan.add(
            number,
            WARNING,
            _(
                "The sitting ketua pengurus %(name)s took office on %(start)s, after %(date)s: the ketua is not "
                "changed. Correct the board on the cooperative's page."
            )
            % {"name": seat_name, "start": _show(seat_start), "date": _show(ended)},
        )
        return False
    _note_no_nik(plan, number, name, nik)
    return {"action": "replace", "seat": seat_id, "name": name, "nik": nik, "term_start": since,
            "term_end": seat_end if seat_end and seat_end >= ended else None, "ended_at": ended,
            "before": _person(seat_name, seat_nik), "after": after}  # fmt: skip


def _note_no_nik(plan: Plan, number: int, name: str, nik: str) -> None:
    if not nik:
        plan.add(
            number,
            WARNING,
            _("The ketua pengurus %(name)s has no NIK in the sheet: seated without a NIK (add it on the board).")
            % {"name": name},
        )


def _note_gaps(plan: Plan, number: int, target: int, record: dict) -> None:
    """A warning (never blocking: the sheet is the office's own) for a number the stage needs and nobody gave."""
    missing = [
        str(s.number_label)
        for s in workflow.STAGES[1 : target + 1]
        if s.requires_number and s.number_field and not record.get(s.number_field)
    ]
    if missing:
        plan.add(number, WARNING, _("Not in the sheet nor on the record: %(what)s.") % {"what": ", ".join(missing)})


def names_village(raw_code, raw_village, context) -> bool:
    """Whether the row's code or name cell is a village of the region (then it is a data row). `context`: any plan
    context with `villages` (code -> rows) and `by_name` (the village-name keys), as the status and building sheets'."""
    if raw_code is not None:
        try:
            if village_code(raw_code) in context.villages:
                return True
        except CellError:
            pass
    return raw_village is not None and village_key(raw_village) in context.by_name


def make_plan(*, kind: str, data: bytes, name: str, actor: User, cooperative: Cooperative | None = None) -> Plan:
    if kind == ImportKind.BUILDINGS:
        from kopdes.imports.building_plans import plan_buildings  # it builds on this module's Plan

        return plan_buildings(data=data, name=name, actor=actor)
    if kind == ImportKind.MEMBERS:
        assert cooperative is not None  # members are imported into one cooperative
        return plan_members(data=data, name=name, cooperative=cooperative)
    return plan_village_status(data=data, name=name, actor=actor)

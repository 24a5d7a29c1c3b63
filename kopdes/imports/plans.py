"""Validation of an import file into a plan: row-numbered errors and warnings, and what would change.

A plan is computed from the file and the current database, writes nothing, and is computed again at confirm: its
fingerprint (a hash of every planned write with its before-value) tells whether the data changed in between. Plain
Python loops over plain values: a 100,000-row member file is validated without one ORM object per row.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import scope_q
from kopdes.clock import local_today
from kopdes.cooperatives.member_checks import member_warnings
from kopdes.cooperatives.models import BoardMember, Member, MemberStatus, Organ
from kopdes.core.nik import mask_nik, parse_nik
from kopdes.formation import workflow
from kopdes.formation.models import BoardPosition, Cooperative, CooperativeVillage, StageSubmission
from kopdes.formation.workflow import SubmissionStatus
from kopdes.imports import reader
from kopdes.imports.columns import remembered_layouts
from kopdes.imports.reader import CellError, cell, norm
from kopdes.regions.models import Region

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
    skipped_count: int = 0  # subtotal, signature and empty rows
    not_applied_count: int = 0  # rows with a warning that keeps them out (stage backwards, pending submission)
    writes: list = field(default_factory=list)
    board: list[dict] = field(default_factory=list)  # board changes for the batch's audit entry (NIKs masked)
    fingerprint: str = ""
    skipped: list[dict] = field(default_factory=list)  # {"row", "reason"} of every row skipped (first SHOWN_ROWS)
    reading: dict = field(default_factory=dict)  # how the sheet was read: layout, columns, unknown columns, fills
    table: reader.Table | None = field(default=None, repr=False)  # the rows read (for the rows left out)

    def add(self, row: int | None, level: str, text: str) -> None:
        self.messages.append(RowMessage(row, level, text))

    def skip(self, row: int, reason: str) -> None:
        """A row with no data for the import (blank, subtotal, signature block): counted and listed with why."""
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
    """Validate a members file of `cooperative` (see MEMBER_COLUMNS) against its current members."""
    today = today or date.today()
    table = reader.find_table(
        data, name, MEMBER_COLUMNS, required=[("nik",), ("name",)], layouts=remembered_layouts("members")
    )
    plan = Plan(kind="members", sheet=table.sheet)
    _note_unread(plan, table)
    c = table.columns
    existing = {
        row[0]: row[1:]
        for row in Member.objects.filter(cooperative=cooperative).values_list("nik", *MEMBER_FIELDS).iterator(5000)
    }
    seen: dict[str, int] = {}
    parsed: list[tuple] = []  # (row number, nik, values tuple, sex, birth date)
    after_signature = False
    add = plan.add
    i_nik, i_name = c["nik"], c["name"]
    # The other columns are converted column by column, each distinct cell value once (a file repeats its dusun,
    # dates, amounts and status words thousands of times): None for a blank cell, else the value or its CellError.
    columns = {
        "dusun": _column(table.rows, c.get("dusun"), lambda raw: reader.clean_text(raw)[:100]),
        "rt": _column(table.rows, c.get("rt"), lambda raw: reader.clean_text(raw)[:10]),
        "join_date": _column(table.rows, c.get("join_date"), reader.parse_date),
        "simpanan_pokok": _column(table.rows, c.get("simpanan_pokok"), reader.money),
        "simpanan_wajib": _column(table.rows, c.get("simpanan_wajib"), reader.money),
        "status": _column(table.rows, c.get("status"), _member_status),
        "left_date": _column(table.rows, c.get("left_date"), reader.parse_date),
    }
    bad_rows = {
        i
        for values, has_errors in columns.values()
        if has_errors
        for i, v in enumerate(values)
        if v.__class__ is CellError
    }
    dusun_c, rt_c, join_c, pokok_c, wajib_c, status_c, left_c = (values for values, _e in columns.values())
    zero = Decimal("0.00")
    check_nik = _nik_checker(today)
    identity_end = max(i_nik, i_name) + 1  # a subtotal's label sits in the first columns
    formula_rows = table.formula_rows
    for index, (number, row) in enumerate(table.rows):
        width = len(row)
        raw_nik = row[i_nik] if i_nik < width else None
        raw_name = row[i_name] if i_name < width else None
        nik_blank = raw_nik is None or raw_nik == "" or (type(raw_nik) is str and not raw_nik.strip())
        has_formula = bool(formula_rows) and number in formula_rows
        if nik_blank or (type(raw_nik) is str and raw_nik.lstrip()[:1].isalpha()):
            # empty, numbered-only, subtotal ("JUMLAH") and signature rows ("Mengetahui", names under it)
            after_signature = after_signature or reader.is_signature_row(row)
            reason = reader.skip_reason(
                row, identity_end=identity_end, after_signature=after_signature, formulas=has_formula
            )
            if reason is None and nik_blank and reader.is_blank(raw_name) and not has_formula:
                reason = _("neither a NIK nor a name")
            if reason is not None:
                if reason:
                    plan.skip(number, reason)
                continue
        if has_formula:  # a formula without a value reads as empty: its own message, not "the name is empty"
            add(number, ERROR, reader.formula_message(table, number))
            continue
        failed = False
        nik = ""
        if nik_blank:
            add(number, ERROR, _("The NIK is empty."))
            failed = True
        else:
            try:
                nik, sex, born = check_nik(raw_nik)
            except CellError as error:
                add(number, ERROR, str(error))
                failed = True
            except ValidationError as error:
                add(number, ERROR, f"NIK {_shown_nik(raw_nik)}: {' '.join(error.messages)}")
                failed = True
            else:
                if nik in seen:
                    add(number, ERROR, _("The same NIK as row %(row)s.") % {"row": seen[nik]})
                    failed = True
                else:
                    seen[nik] = number
        if type(raw_name) is str:
            member_name = " ".join(raw_name.split())
            if member_name.isupper():
                member_name = reader.clean_name(member_name)
        else:
            member_name = reader.clean_name(raw_name) if raw_name is not None else ""
        if not member_name:
            add(number, ERROR, _("The name is empty."))
            failed = True
        elif len(member_name) > 150:
            add(number, ERROR, _("The name is longer than 150 characters."))
            failed = True
        if index in bad_rows:  # every reason of the row, not only the first
            for field_name, (values, _e) in columns.items():
                if values[index].__class__ is CellError:
                    label = "" if field_name == "status" else f"{MEMBER_LABELS[field_name]}: "
                    add(number, ERROR, f"{label}{values[index]}")
            failed = True
        joined = join_c[index]
        if joined.__class__ is date and joined > today:
            add(number, ERROR, _("The join date is in the future."))
            failed = True
        if failed:
            continue
        left_date = left_c[index]
        status = MemberStatus.LEFT if left_date is not None else (status_c[index] or MemberStatus.ACTIVE)
        pokok, wajib = pokok_c[index], wajib_c[index]
        key = (
            member_name,
            dusun_c[index] or "",
            rt_c[index] or "",
            joined,
            zero if pokok is None else pokok,
            zero if wajib is None else wajib,
            status,
            left_date,
        )
        parsed.append((number, nik, key, sex, born))
    if not parsed:  # the valid rows are planned even beside errors: the admin may import them and leave the rest
        if not plan.error_count:
            add(None, ERROR, _("The file holds no member rows."))
        return plan
    warned = member_warnings(
        cooperative=cooperative, niks=[p[1] for p in parsed], today=today, birth_dates={p[1]: p[4] for p in parsed}
    )
    keyed = []
    for number, nik, key, sex, born in parsed:
        for warning in warned.get(nik, ()):
            add(number, WARNING, f"NIK {mask_nik(nik)}: {warning.message}")
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
    return plan


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
    """(nik, sex, birth date) of a NIK cell, raising CellError or parse_nik's ValidationError. parse_nik runs once
    per region-and-birth-date prefix: NIKs sharing their first 12 digits differ only in the serial (checked here)."""
    known: dict[str, tuple[str, date]] = {}

    def check(raw):
        nik = raw if type(raw) is str and len(raw) == 16 and raw.isdigit() else reader.nik_text(raw)
        if len(nik) != 16 or not nik.isdigit() or nik[12:] == "0000":
            parse_nik(nik, today=today)  # raises with the exact reason
        prefix = nik[:12]
        found = known.get(prefix)
        if found is None:
            parsed = parse_nik(nik, today=today)
            found = known[prefix] = (parsed.sex, parsed.birth_date)
        return nik, found[0], found[1]

    return check


def _shown_nik(raw) -> str:
    text = reader.clean_text(raw).lstrip("'")
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
    # The ketua pengurus (issue 6 §1): compared with the sitting one, seated or replaced through the board services.
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


def _village_name(text) -> str:
    name = norm(text)
    for prefix in ("desa ", "kelurahan ", "kel ", "ds "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def _kecamatan_name(text) -> str:
    name = norm(text)
    for prefix in ("kecamatan ", "kec "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def plan_village_status(*, data: bytes, name: str, actor, today: date | None = None) -> Plan:
    """Validate the office's village status sheet against the cases of the villages in the actor's scope."""
    table = reader.find_table(
        data,
        name,
        STATUS_COLUMNS,
        required=[("code", "village"), ("stage",)],
        layouts=remembered_layouts("village_status"),
    )
    plan = Plan(kind="village_status", sheet=table.sheet)
    _note_unread(plan, table)
    c = table.columns
    villages = {
        code: (village, kecamatan)
        for code, village, kecamatan in Region.objects.villages()
        .filter(scope_q(actor, "code", Cap.VERIFY))
        .values_list("code", "name", "parent__name")
    }
    by_name: dict[str, list[str]] = {}
    for code, (village, _kec) in villages.items():
        by_name.setdefault(_village_name(village), []).append(code)
    # Subqueries on the scope, not lists of ids: a national office's 83,000 villages exceed the parameter limits.
    in_scope = CooperativeVillage.objects.filter(left_at__isnull=True).filter(
        scope_q(actor, "village_code", Cap.VERIFY)
    )
    memberships = dict(in_scope.values_list("village_code", "cooperative_id"))
    case_ids = in_scope.values("cooperative_id")
    fields = ["id", "stage", "name", *FIELD_STAGE]
    cases = {row["id"]: row for row in Cooperative.objects.filter(id__in=case_ids).values(*fields)}
    pending = dict(
        StageSubmission.objects.filter(cooperative_id__in=case_ids, status=SubmissionStatus.PENDING).values_list(
            "cooperative_id", "stage"
        )
    )
    reads_chair = "chair_name" in c or "chair_nik" in c
    board = _sitting_board(case_ids) if reads_chair else {}
    check_nik = _nik_checker(today or date.today())
    chair_rows: dict[str, int] = {}  # ketua NIK -> first row naming it
    seen: dict[int, int] = {}
    keyed = []
    after_signature = False
    identity_end = max(c[k] for k in ("code", "village", "kecamatan") if k in c) + 1
    for number, row in table.rows:
        raw_code, raw_village, raw_stage = cell(row, c, "code"), cell(row, c, "village"), cell(row, c, "stage")
        has_formula = number in table.formula_rows
        # A row naming a village of the region is a data row whatever word it begins with (Paser has a village
        # "Kepala Telake"). Others are skipped, each listed with why: subtotals ("JUMLAH"), the signature block
        # ("Mengetahui", names under it), numbered-only rows, group titles without a stage ("KECAMATAN BATU SOPANG").
        names_village = _names_village(raw_code, raw_village, villages, by_name)
        if not names_village:
            after_signature = after_signature or reader.is_signature_row(row)
            reason = reader.skip_reason(
                row, identity_end=identity_end, after_signature=after_signature, formulas=has_formula
            )
            if reason is None and raw_stage is None and raw_code is None and not has_formula:
                reason = _("no stage, and no village of your region named")
            if reason is not None:
                if reason:
                    plan.skip(number, reason)
                continue
        if has_formula:  # a formula without a value reads as empty: its own message, not "the village is empty"
            plan.add(number, ERROR, reader.formula_message(table, number))
            continue
        if not names_village and raw_code is None and raw_village is None:
            plan.add(number, ERROR, _("Neither the village code nor the village name is filled in."))
            continue
        errors_before = len(plan.messages)
        target = None  # the stage is read first: a row with an unknown village and a bad stage gets both messages
        if raw_stage is None:
            plan.add(number, ERROR, _("The stage is empty."))
        else:
            try:
                target = reader.stage_number(raw_stage)
            except CellError as error:
                plan.add(number, ERROR, str(error))
        code = _resolve_village(plan, number, raw_code, raw_village, cell(row, c, "kecamatan"), villages, by_name)
        if code is None or target is None:
            continue
        place = f"{villages[code][0]}"
        case_id = memberships.get(code)
        if case_id is None:
            plan.add(number, ERROR, _("%(village)s has no cooperative record in the programme.") % {"village": place})
            continue
        if case_id in seen:
            plan.add(
                number, ERROR, _("%(village)s is already in row %(row)s.") % {"village": place, "row": seen[case_id]}
            )
            continue
        seen[case_id] = number
        case = cases[case_id]
        village_today = today or local_today(code)
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
            if FIELD_STAGE[field_name] > target:
                plan.add(
                    number,
                    WARNING,
                    _("“%(column)s” belongs to a later stage than “%(stage)s”: not imported.")
                    % {"column": table.header_labels.get(c[key], key), "stage": workflow.stage(target).label},
                )
                continue
            try:
                if field_name in DATE_FIELDS:
                    value = reader.parse_date(raw)
                    if value > village_today and field_name != "musdesus_scheduled_date":
                        raise CellError(_("The date %(date)s is in the future.") % {"date": _show(value)})
                else:
                    value = reader.clean_text(raw)[:100]
            except CellError as error:
                plan.add(number, ERROR, f"{table.header_labels.get(c[key], key)}: {error}")
                continue
            values[field_name] = value
        chair = _read_chair(plan, number, row, table, village_today, check_nik) if reads_chair else None
        if chair and chair["nik"]:
            first = chair_rows.setdefault(chair["nik"], number)
            if first != number:
                plan.add(
                    number,
                    WARNING,
                    _("The same NIK of the ketua as row %(row)s: one person would chair two cooperatives.")
                    % {"row": first},
                )
        if len(plan.messages) > errors_before and any(m.level == ERROR for m in plan.messages[errors_before:]):
            continue
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
            continue
        changes = {k: v for k, v in values.items() if case[k] != v}
        if target != current:
            changes = {"stage": target, **changes}
        chair_change = None  # None: no ketua or the same; False: kept out by a warning; else the seat to write
        if chair is not None:
            seats = board.get(case_id, ())
            # The sitting board is sealed with the plan: a ketua changed between the preview and the confirm is seen.
            keyed.append(("board", case_id, seats))
            chair_change = _chair_change(plan, number, place, chair, seats, values, village_today)
        if not changes and not chair_change:
            if chair_change is False:  # a different ketua a warning keeps out
                plan.not_applied_count += 1
            else:
                plan.unchanged_count += 1
            continue
        if changes and case_id in pending:
            plan.not_applied_count += 1
            plan.add(
                number,
                WARNING,
                _(
                    "%(village)s has stage %(stage)s waiting for verification: not imported. Decide the submission "
                    "first, then import again."
                )
                % {"village": place, "stage": pending[case_id]},
            )
            continue
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
                    "name": f"{place} ({villages[code][1]})",
                    "changes": [
                        [_("Stage") if k == "stage" else str(capfirst(Cooperative._meta.get_field(k).verbose_name))]
                        + (
                            [f"{before[k]} · {workflow.stage(before[k]).label}", f"{v} · {workflow.stage(v).label}"]
                            if k == "stage"
                            else [_show(before[k]), _show(v)]
                        )
                        for k, v in changes.items()
                    ]
                    + ([shown_chair] if chair_change else []),
                }
            )
        plan.writes.append((case_id, target, {k: v for k, v in values.items()}, chair_change or None))
        keyed.append((case_id, sorted(before.items()), sorted(changes.items()), chair_change))
    plan.seal(keyed)
    return plan


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
    name = reader.clean_name(raw_name) if raw_name is not None else ""
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
            since = reader.parse_date(raw_since)
            if since > today:
                raise CellError(_("The date %(date)s is in the future.") % {"date": _show(since)})
        except CellError as error:
            plan.add(number, ERROR, f"{label('chair_since')}: {error}")
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
    """Warnings (never blocking: the sheet is the office's own) for a number the stage needs and nobody gave, and for
    evidence dates out of the order of the stages."""
    missing = [
        str(s.number_label)
        for s in workflow.STAGES[1 : target + 1]
        if s.requires_number and s.number_field and not record.get(s.number_field)
    ]
    if missing:
        plan.add(number, WARNING, _("Not in the sheet nor on the record: %(what)s.") % {"what": ", ".join(missing)})
    dated = [(s, record.get(s.date_field)) for s in workflow.dated_stages_before(target + 1)]
    dated = [(s, d) for s, d in dated if d]
    for (earlier, first), (later, then) in zip(dated, dated[1:], strict=False):
        if then < first:
            plan.add(
                number,
                WARNING,
                _("The date of “%(later)s” (%(then)s) is before the date of “%(earlier)s” (%(first)s).")
                % {"later": later.label, "then": _show(then), "earlier": earlier.label, "first": _show(first)},
            )


def _names_village(raw_code, raw_village, villages: dict, by_name: dict) -> bool:
    """Whether the row's code or name cell is a village of the region (then it is a data row)."""
    if raw_code is not None:
        try:
            if reader.village_code(raw_code) in villages:
                return True
        except CellError:
            pass
    return raw_village is not None and _village_name(raw_village) in by_name


def _resolve_village(plan, number, raw_code, raw_village, raw_kecamatan, villages, by_name) -> str | None:
    if raw_code is not None:
        try:
            code = reader.village_code(raw_code)
        except CellError as error:
            plan.add(number, ERROR, str(error))
            return None
        if code not in villages:
            plan.add(number, ERROR, _("The village code %(code)s is not a village of your region.") % {"code": code})
            return None
        if raw_village is not None and _village_name(raw_village) != _village_name(villages[code][0]):
            plan.add(
                number,
                WARNING,
                _("The code %(code)s is the village %(village)s, not “%(written)s”: the code is used.")
                % {"code": code, "village": villages[code][0], "written": reader.clean_text(raw_village)},
            )
        return code
    wanted = _village_name(raw_village)
    codes = by_name.get(wanted, [])
    if raw_kecamatan is not None and len(codes) != 1:
        kecamatan = _kecamatan_name(raw_kecamatan)
        codes = [code for code in codes if _kecamatan_name(villages[code][1]) == kecamatan] or codes
    elif raw_kecamatan is not None and codes:
        kecamatan = _kecamatan_name(raw_kecamatan)
        if _kecamatan_name(villages[codes[0]][1]) != kecamatan:
            plan.add(
                number,
                WARNING,
                _("%(village)s lies in Kecamatan %(kecamatan)s, not “%(written)s”.")
                % {
                    "village": villages[codes[0]][0],
                    "kecamatan": villages[codes[0]][1],
                    "written": reader.clean_text(raw_kecamatan),
                },
            )
    if len(codes) == 1:
        return codes[0]
    written = reader.clean_text(raw_village)
    if len(codes) > 1:
        plan.add(
            number,
            ERROR,
            _("There are several villages named “%(name)s” (%(where)s): fill in the kecamatan or the village code.")
            % {"name": written, "where": ", ".join(f"Kec. {villages[code][1]}" for code in codes)},
        )
        return None
    close = difflib.get_close_matches(wanted, list(by_name), n=3, cutoff=0.6)
    suggestions = ", ".join(
        f"{villages[code][0]} (Kec. {villages[code][1]}, {code})" for name in close for code in by_name[name]
    )
    if suggestions:
        plan.add(
            number,
            ERROR,
            _("Unknown village “%(name)s”. Closest matches: %(suggestions)s.")
            % {"name": written, "suggestions": suggestions},
        )
    else:
        plan.add(number, ERROR, _("Unknown village “%(name)s” in your region.") % {"name": written})
    return None

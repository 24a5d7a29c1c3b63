"""The one region importer: reads the npm package `idn-area-data` or the `wilayah/indonesia` CSV layout, validates every
row, then upserts by code in one transaction. Codes of the imported subtree that the source no longer lists become
inactive (never deleted). The management command `import_regions` is a thin wrapper over `import_regions`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kopdes.audit.services import record_audit
from kopdes.regions import village_counts
from kopdes.regions.models import Kind, Level, Region, RegionEdition, is_within
from kopdes.regions.timezones import default_zone_for_province, forget_stored_zones

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

CODE_PATTERNS = {
    Level.PROVINSI: re.compile(r"^\d{2}$"),
    Level.KABUPATEN: re.compile(r"^\d{2}\.\d{2}$"),
    Level.KECAMATAN: re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    Level.DESA: re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
}

# file name and (code, parent, name) columns per level, for each supported layout
LAYOUTS = {
    "idn-area-data": {
        Level.PROVINSI: ("provinces.csv", "code", None, "name"),
        Level.KABUPATEN: ("regencies.csv", "code", "province_code", "name"),
        Level.KECAMATAN: ("districts.csv", "code", "regency_code", "name"),
        Level.DESA: ("villages.csv", "code", "district_code", "name"),
    },
    "wilayah": {
        Level.PROVINSI: ("provinsi.csv", "kode", None, "nama"),
        Level.KABUPATEN: ("kabupaten.csv", "kode", "kode_induk", "nama"),
        Level.KECAMATAN: ("kecamatan.csv", "kode", "kode_induk", "nama"),
        Level.DESA: ("desa.csv", "kode", "kode_induk", "nama"),
    },
}


class RegionImportError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors[:20]) + (f"\n… {len(errors) - 20} more" if len(errors) > 20 else ""))


@dataclass
class ImportResult:
    edition: RegionEdition
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    by_level: dict[int, int] = field(default_factory=dict)


def kind_for(code: str, level: int) -> str:
    if level == Level.PROVINSI:
        return Kind.PROVINSI
    if level == Level.KABUPATEN:
        return Kind.KOTA if int(code.split(".")[1]) >= 71 else Kind.KABUPATEN
    if level == Level.KECAMATAN:
        return Kind.KECAMATAN
    return {"1": Kind.KELURAHAN, "2": Kind.DESA, "3": Kind.DESA_ADAT}[code.split(".")[3][0]]


def detect_layout(directory: Path) -> str:
    for name, layout in LAYOUTS.items():
        if all((directory / spec[0]).exists() for spec in layout.values()):
            return name
    raise RegionImportError(
        [f"{directory}: neither idn-area-data (provinces.csv …) nor wilayah (provinsi.csv …) files found"]
    )


def in_prefix(code: str, prefix: str) -> bool:
    """The code lies in the subtree of `prefix` or is one of its ancestors (so the imported tree stays connected)."""
    if not prefix:
        return True
    return is_within(code, prefix) or is_within(prefix, code)


class _Where:
    """'<file> row <n>', translated when an error message is built (str + …)."""

    __slots__ = ("filename", "line_no")

    def __init__(self, filename: str, line_no: int):
        self.filename, self.line_no = filename, line_no

    def __add__(self, other: str) -> str:
        return _("%(file)s row %(row)s") % {"file": self.filename, "row": self.line_no} + other


def read_rows(directory: Path, prefix: str = "") -> dict[int, list[tuple[str, str, str, str | None]]]:
    """Read and validate every row of the four files in one pass each: {level: [(code, name, kind, parent code)]},
    names with their spaces collapsed. Raises RegionImportError listing every bad row ("<file> row <n>: …")."""
    layout = LAYOUTS[detect_layout(directory)]
    rows: dict[int, list[tuple[str, str, str, str | None]]] = {}
    errors: list[str] = []
    seen: set[str] = set()
    for level_choice, (filename, code_col, parent_col, name_col) in layout.items():
        level = int(level_choice)  # a plain int: the enum member costs a lookup per row in the sqlite3 driver
        level_rows: list[tuple[str, str, str, str | None]] = rows.setdefault(level, [])
        pattern = CODE_PATTERNS[level_choice].match
        with open(directory / filename, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            code_at = header.index(code_col) if code_col in header else None
            name_at = header.index(name_col) if name_col in header else None
            parent_at = header.index(parent_col) if parent_col and parent_col in header else None
            width = len(header)
            for line_no, raw in enumerate(reader, start=2):
                if not raw:
                    continue  # a blank line, as csv.DictReader skips it
                if len(raw) < width:
                    raw += [""] * (width - len(raw))
                code = raw[code_at].strip() if code_at is not None else ""
                if prefix and not in_prefix(code, prefix):
                    continue
                name = " ".join(raw[name_at].split()) if name_at is not None else ""
                parent = code.rsplit(".", 1)[0] if level > Level.PROVINSI else None
                given_parent = raw[parent_at].strip() if parent_at is not None else None
                # the checks in the order the messages are tried; the location is formatted only for a bad row:
                # translating it for each of 90,000 good rows cost as much as inserting them
                if (
                    pattern(code)
                    and name
                    and code not in seen
                    and given_parent == parent
                    and (not parent or parent in seen)
                ):
                    kind = _KIND_OF_LEVEL.get(level_choice) or _kind_below(code, level)
                    if kind:
                        seen.add(code)
                        level_rows.append((code, name, kind, parent))
                        continue
                errors.append(
                    _row_error(_Where(filename, line_no), level, code, name, given_parent, parent, seen, raw, parent_at)
                )
    if prefix and prefix not in seen:
        errors.append(_("the prefix %(prefix)s is not in the source") % {"prefix": prefix})
    if errors:
        raise RegionImportError(errors)
    return rows


_KIND_OF_LEVEL: dict[Level, str] = {Level.PROVINSI: Kind.PROVINSI.value, Level.KECAMATAN: Kind.KECAMATAN.value}
_VILLAGE_KINDS = {"1": Kind.KELURAHAN.value, "2": Kind.DESA.value, "3": Kind.DESA_ADAT.value}


def _kind_below(code: str, level: int) -> str:
    """The kind of a regency (kota from 71 up) or a village (by the type digit, 1 kelurahan, 2 desa, 3 desa adat) whose
    code matched its pattern; "" for an unknown village type digit."""
    if level == Level.KABUPATEN:
        return Kind.KOTA.value if int(code[3:5]) >= 71 else Kind.KABUPATEN.value
    return _VILLAGE_KINDS.get(code[9], "")


def _row_error(where, level, code, name, given_parent, parent, seen, raw, parent_at) -> str:
    """The message for a row that failed a check, the first failing check's."""
    if not CODE_PATTERNS[level].match(code):
        return (
            where
            + ": "
            + _("code %(code)s does not match the pattern of a %(level)s")
            % {"code": repr(code), "level": Level(level).label}
        )
    if not name:
        return where + ": " + _("the name of %(code)s is empty") % {"code": code}
    if code in seen:
        return where + ": " + _("the code %(code)s is a duplicate") % {"code": code}
    if given_parent != parent:
        return (
            where
            + ": "
            + _("the parent %(given)s does not match the code %(code)s")
            % {"given": repr(raw[parent_at] if parent_at is not None else None), "code": code}
        )
    if parent and parent not in seen:
        return (
            where
            + ": "
            + _("the parent %(parent)s of %(code)s is not in the source") % {"parent": parent, "code": code}
        )
    return where + ": " + _("unknown village type digit in %(code)s") % {"code": code}


WRITE_BATCH = 20000  # rows per executemany: bounds the driver's parameter buffer, one transaction whatever the count
COLUMNS = "code, name, level, kind, parent_id, tz, is_active, edition_id"


def insert_regions(rows: list[tuple]) -> None:
    """Insert new regions through the connection. Rows: (code, name, level, kind, parent_id, tz, is_active,
    edition_id). On PostgreSQL with psycopg 3, COPY … FROM STDIN (about three times a bare executemany's speed on the
    national tree); elsewhere a plain INSERT, executemany in batches. No ON CONFLICT: the importer knows which codes
    exist (it read them in the same transaction), and SQLite's upsert that sets the foreign keys ran four times
    slower than the plain insert on the national tree."""
    if not rows:
        return
    table = connection.ops.quote_name(Region._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            with raw.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(sql, rows[start : start + WRITE_BATCH])


def update_regions(rows: list[tuple]) -> None:
    """Rewrite changed regions by id, executemany in batches. Rows: (name, kind, parent_id, edition_id, id); the
    region becomes active; its code, level and (for a province) stored zone stay as they are."""
    table = connection.ops.quote_name(Region._meta.db_table)
    sql = f"UPDATE {table} SET name = %s, kind = %s, parent_id = %s, is_active = %s, edition_id = %s WHERE id = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(sql, [(n, k, p, True, e, i) for n, k, p, e, i in rows[start : start + WRITE_BATCH]])


def _fetch(queryset, *fields: str) -> list[tuple]:
    """The rows of `queryset` as plain tuples of `fields`, through the cursor (no model instances, no converters:
    reading 90,000 regions as instances cost more than writing them)."""
    sql, params = queryset.order_by().values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


CHANGES_LISTED = 500  # renamed regions named in the audit entry; the counts always cover all


def import_regions(
    *, directory: Path, decree: str, prefix: str = "", actor: AbstractBaseUser | None = None
) -> ImportResult:
    """Upsert the regions of `directory` (optionally one subtree) and record the edition. Rerunnable: a rerun of the
    same files writes no region and reports every row unchanged. The audit entry carries the counts and, for up to
    CHANGES_LISTED renamed regions, the names before and after."""
    prefix = prefix.strip().rstrip(".")
    rows = read_rows(Path(directory), prefix)
    with transaction.atomic():
        edition = RegionEdition.objects.create(decree=decree, source=str(directory), prefix=prefix)
        result = ImportResult(edition=edition)
        scope = Region.objects.all()
        if prefix:
            depth = len(prefix.split("."))
            ancestors = [code for level, level_rows in rows.items() if level < depth for code, *_rest in level_rows]
            scope = Region.objects.filter(code__in=ancestors) | Region.objects.subtree(prefix)
        # code -> (id, name, kind, parent_id, is_active): one query, the whole diff is made against it
        existing = {code: rest for code, *rest in _fetch(scope, "code", "id", "name", "kind", "parent_id", "is_active")}
        ids = {code: current[0] for code, current in existing.items()}
        renamed_before: dict[str, str] = {}
        renamed_after: dict[str, str] = {}
        for level, level_rows in rows.items():
            new: list[tuple] = []
            changed: list[tuple] = []
            unchanged = 0
            for code, name, kind, parent_code in level_rows:
                parent_id = ids[parent_code] if parent_code else None
                current = existing.get(code)
                if current is None:
                    tz = default_zone_for_province(code) if level == Level.PROVINSI else ""
                    new.append((code, name, level, kind, parent_id, tz, True, edition.id))
                elif current[1] != name or current[2] != kind or current[3] != parent_id or not current[4]:
                    changed.append((name, kind, parent_id, edition.id, current[0]))
                    if current[1] != name and len(renamed_after) < CHANGES_LISTED:
                        renamed_before[code], renamed_after[code] = current[1], name
                else:
                    unchanged += 1
            insert_regions(new)
            update_regions(changed)
            result.created += len(new)
            result.updated += len(changed)
            result.unchanged += unchanged
            result.by_level[level] = len(level_rows)
            if new and level < Level.DESA:  # the next level needs these ids as parents
                level_regions = Region.objects.filter(level=level)
                if len(new) < 900:
                    level_regions = level_regions.filter(code__in=[row[0] for row in new])
                ids.update(_fetch(level_regions, "code", "id"))
        listed = {code for level_rows in rows.values() for code, *_rest in level_rows}
        # Only the imported subtree can lose codes: a partial import says nothing about the prefix's siblings.
        gone = [
            current[0]
            for code, current in existing.items()
            if current[4] and code not in listed and (not prefix or is_within(code, prefix, include_self=False))
        ]
        for start in range(0, len(gone), 900):
            Region.objects.filter(id__in=gone[start : start + 900]).update(is_active=False, edition=edition)
        result.deactivated = len(gone)
        village_counts.recount()  # the per-region village counts the dashboards read, in the same transaction
        edition.created, edition.updated = result.created, result.updated
        edition.unchanged, edition.deactivated = result.unchanged, result.deactivated
        edition.save()
        counts = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "deactivated": result.deactivated,
        }
        record_audit(
            actor=actor,
            action="regions.import",
            obj=edition,
            region_code=prefix,
            before={"names": renamed_before} if renamed_before else None,
            after={"decree": decree, "source": str(directory), "prefix": prefix, **counts}
            | ({"names": renamed_after} if renamed_after else {}),
        )
    forget_stored_zones()
    return result

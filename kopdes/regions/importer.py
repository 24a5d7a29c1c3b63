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


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None


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


def read_rows(directory: Path, prefix: str = "") -> list[RegionRow]:
    """Read and validate every row of the four files; raises RegionImportError listing every bad row."""
    layout = LAYOUTS[detect_layout(directory)]
    rows: list[RegionRow] = []
    errors: list[str] = []
    seen: set[str] = set()
    for level, (filename, code_col, parent_col, name_col) in layout.items():
        with open(directory / filename, newline="", encoding="utf-8-sig") as handle:
            for line_no, raw in enumerate(csv.DictReader(handle), start=2):
                code = (raw.get(code_col) or "").strip()
                name = " ".join((raw.get(name_col) or "").split())
                if not in_prefix(code, prefix):
                    continue
                # the location is formatted only for a bad row: translating it for each of 90,000 good rows cost
                # as much as inserting them
                where = _Where(filename, line_no)
                if not CODE_PATTERNS[level].match(code):
                    errors.append(
                        where
                        + ": "
                        + _("code %(code)s does not match the pattern of a %(level)s")
                        % {"code": repr(code), "level": Level(level).label}
                    )
                    continue
                if not name:
                    errors.append(where + ": " + _("the name of %(code)s is empty") % {"code": code})
                    continue
                if code in seen:
                    errors.append(where + ": " + _("the code %(code)s is a duplicate") % {"code": code})
                    continue
                parent = code.rsplit(".", 1)[0] if level > Level.PROVINSI else None
                if parent_col and (raw.get(parent_col) or "").strip() != parent:
                    errors.append(
                        where
                        + ": "
                        + _("the parent %(given)s does not match the code %(code)s")
                        % {"given": repr(raw.get(parent_col)), "code": code}
                    )
                    continue
                if parent and parent not in seen:
                    errors.append(
                        where
                        + ": "
                        + _("the parent %(parent)s of %(code)s is not in the source") % {"parent": parent, "code": code}
                    )
                    continue
                try:
                    kind = kind_for(code, level)
                except KeyError:
                    errors.append(where + ": " + _("unknown village type digit in %(code)s") % {"code": code})
                    continue
                seen.add(code)
                rows.append(RegionRow(code, name, level, kind, parent))
    if prefix and prefix not in seen:
        errors.append(_("the prefix %(prefix)s is not in the source") % {"prefix": prefix})
    if errors:
        raise RegionImportError(errors)
    return rows


UPSERT_BATCH = 5000


def upsert_regions(rows: list[tuple]) -> None:
    """The bulk path: one INSERT … ON CONFLICT (code) DO UPDATE through the connection, executemany in batches
    (SQLite ≥ 3.24 and PostgreSQL). Rows: (code, name, level, kind, parent_id, tz, is_active, edition_id). The zone
    of an existing province is kept as stored. Django's bulk_create builds model instances and one statement per
    batch; this skips both and lets the driver stream the parameters, which is what keeps the national tree at about
    the speed of a bare executemany."""
    if not rows:
        return
    table = connection.ops.quote_name(Region._meta.db_table)
    sql = (
        f"INSERT INTO {table} (code, name, level, kind, parent_id, tz, is_active, edition_id) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id, "
        "is_active = excluded.is_active, edition_id = excluded.edition_id"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_BATCH):
            cursor.executemany(sql, rows[start : start + UPSERT_BATCH])


def import_regions(
    *, directory: Path, decree: str, prefix: str = "", actor: AbstractBaseUser | None = None
) -> ImportResult:
    """Upsert the regions of `directory` (optionally one subtree) and record the edition. Rerunnable."""
    prefix = prefix.strip().rstrip(".")
    rows = read_rows(Path(directory), prefix)
    with transaction.atomic():
        edition = RegionEdition.objects.create(decree=decree, source=str(directory), prefix=prefix)
        result = ImportResult(edition=edition)
        scope = Region.objects.all()
        if prefix:
            scope = Region.objects.filter(code__in=[r.code for r in rows if r.level < len(prefix.split("."))]) | (
                Region.objects.subtree(prefix)
            )
        existing = {
            r.code: r for r in scope.only("id", "code", "name", "kind", "parent_id", "is_active", "level", "tz")
        }
        ids = {code: region.id for code, region in existing.items()}
        for level in Level.values:
            level_rows = [row for row in rows if row.level == level]
            to_write: list[tuple] = []  # new and changed rows, upserted in one executemany per level
            created = updated = 0
            for row in level_rows:
                parent_id = ids[row.parent_code] if row.parent_code else None
                current = existing.get(row.code)
                if current is None:
                    tz = default_zone_for_province(row.code) if level == Level.PROVINSI else ""
                    to_write.append((row.code, row.name, row.level, row.kind, parent_id, tz, True, edition.id))
                    created += 1
                elif (current.name, current.kind, current.parent_id, current.is_active) != (
                    row.name,
                    row.kind,
                    parent_id,
                    True,
                ):
                    to_write.append((row.code, row.name, row.level, row.kind, parent_id, current.tz, True, edition.id))
                    updated += 1
                else:
                    result.unchanged += 1
            upsert_regions(to_write)
            result.created += created
            result.updated += updated
            result.by_level[level] = len(level_rows)
            if created and level < Level.DESA:  # the next level needs these ids as parents
                new_codes = [r[0] for r in to_write]
                ids.update(
                    Region.objects.filter(level=level, code__in=new_codes).values_list("code", "id")
                    if len(new_codes) < 900
                    else Region.objects.filter(level=level).values_list("code", "id")
                )
        listed = {row.code for row in rows}
        # Only the imported subtree can lose codes: a partial import says nothing about the prefix's siblings.
        gone = [
            region.id
            for code, region in existing.items()
            if region.is_active and code not in listed and (not prefix or is_within(code, prefix, include_self=False))
        ]
        for start in range(0, len(gone), 900):
            Region.objects.filter(id__in=gone[start : start + 900]).update(is_active=False, edition=edition)
        result.deactivated = len(gone)
        village_counts.recount()  # the per-region village counts the dashboards read, in the same transaction
        edition.created, edition.updated = result.created, result.updated
        edition.unchanged, edition.deactivated = result.unchanged, result.deactivated
        edition.save()
        record_audit(
            actor=actor,
            action="regions.import",
            obj=edition,
            region_code=prefix,
            after={
                "decree": decree,
                "source": str(directory),
                "prefix": prefix,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deactivated": result.deactivated,
            },
        )
    forget_stored_zones()
    return result

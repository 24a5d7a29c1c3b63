"""Validation of a building progress sheet into a plan (the importer's `buildings` kind): one row per village, the
land, the survey, the construction band and the handover, with their dates from the sheet.

The headers follow the SIMKOPDES asset fields (per asset: type, status, ownership, land length, width and area, road
access, latitude and longitude, verification status — the kop-go-id SIMKOPDES schema, Oct 2025) and the SIMKOPDES
construction bands ("Total Pembangunan hingga 20% / 21–50% / 51–75% / 76–99% / 100%"). Inpres 17/2025: the building
stands on village or regency land, without a lease. Each row's steps are written by
`kopdes.buildings.services.import_progress` as verified by the importing office; a rerun of the same sheet changes
nothing. Rows are checked like the village status sheet: by village code or name, duplicates refused by row,
subtotals and signature rows left out with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import scope_q
from kopdes.buildings import workflow as track
from kopdes.buildings.models import Building, Submission
from kopdes.buildings.workflow import Band, LandOwner
from kopdes.cleaners import CellError, dates
from kopdes.cleaners.dates import parse_date
from kopdes.cleaners.text import clean_text, norm
from kopdes.cleaners.village import index_by_name
from kopdes.clock import local_today
from kopdes.formation.models import CooperativeVillage
from kopdes.formation.workflow import SubmissionStatus
from kopdes.imports import reader
from kopdes.imports.columns import remembered_layouts
from kopdes.imports.plans import ERROR, SHOWN_ROWS, WARNING, Plan, _note_unread, _show, names_village, row_village
from kopdes.imports.reader import cell
from kopdes.regions.models import Region

if TYPE_CHECKING:
    from kopdes.accounts.models import User

BUILDING_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Kode Desa", "Kode", "Kode Wilayah", "Kode Kemendagri", "Kode Desa/Kelurahan"),
    "village": ("Nama Desa", "Desa", "Desa/Kelurahan", "Nama Desa/Kelurahan", "Kelurahan", "Lokasi Desa"),
    "kecamatan": ("Kecamatan", "Kec", "Nama Kecamatan"),
    # the SIMKOPDES asset fields
    "asset_type": ("Jenis Aset", "Tipe Aset", "Jenis", "Tipe", "Jenis Bangunan"),
    "asset_status": ("Status Aset", "Status Lahan", "Status Tanah", "Status Hak"),
    "land_owner": ("Kepemilikan", "Kepemilikan Lahan", "Pemilik Lahan", "Status Kepemilikan", "Milik"),
    "land_certificate": ("Nomor Sertifikat", "No Sertifikat", "Nomor Surat Lahan", "Nomor Alas Hak", "Alas Hak"),
    "land_length": ("Panjang Lahan", "Panjang", "Panjang (m)", "Panjang Lahan (m)"),
    "land_width": ("Lebar Lahan", "Lebar", "Lebar (m)", "Lebar Lahan (m)"),
    "land_area": ("Luas Lahan", "Luas", "Luas (m2)", "Luas Lahan (m2)", "Luas (m²)", "Luas Lahan (m²)"),
    "road_access": ("Akses Jalan", "Akses", "Jalan Akses", "Akses Jalan Lahan"),
    "latitude": ("Latitude", "Lintang", "Lat"),
    "longitude": ("Longitude", "Bujur", "Long", "Lon", "Lng"),
    "verification": ("Status Verifikasi", "Verifikasi", "Verifikasi Faktual", "Status Verifikasi Lahan"),
    # the track's dates and the construction band
    "land_proposed_on": ("Tanggal Usulan Lahan", "Tgl Usulan Lahan", "Tanggal Usulan", "Tgl Usulan"),
    "surveyed_by": ("Disurvei Oleh", "Tim Survei", "Surveyor", "Pelaksana Survei"),
    "surveyed_on": ("Tanggal Survei", "Tgl Survei", "Tanggal Survei Lahan"),
    "clear_on": ("Tanggal Clear and Clean", "Tgl Clear and Clean", "Clear and Clean", "Tanggal CnC"),
    "portal_on": ("Tanggal Input Portal", "Tgl Input Portal", "Tanggal Portal Agrinas", "Input Portal Agrinas"),
    "band": (
        "Progres Pembangunan",
        "Progres Fisik",
        "Progres (%)",
        "Progres",
        "Total Pembangunan",
        "Persentase Pembangunan",
        "Realisasi Fisik",
    ),
    "band_on": ("Tanggal Progres", "Tgl Progres", "Tanggal Foto", "Per Tanggal", "Tanggal Update"),
    "handover_on": ("Tanggal Serah Terima", "Tgl Serah Terima", "Tanggal BAST", "Tgl BAST"),
    "handover_number": ("Nomor Serah Terima", "Nomor BAST", "No BAST", "No Serah Terima"),
    "asset_number": ("Nomor Register Aset", "No Register Aset", "Nomor Aset", "Kode Register Aset"),
}
STEP_KEYS = {
    track.LAND_PROPOSED: ("land_proposed_on", "land_owner", "land_certificate", "land_area", "road_access",
                          "latitude", "longitude"),
    track.LAND_SURVEYED: ("surveyed_on", "surveyed_by", "clear_on", "portal_on"),
    track.CONSTRUCTION: ("band", "band_on"),
    track.HANDOVER: ("handover_on", "handover_number", "asset_number"),
}  # fmt: skip
STEP_DATE = {
    track.LAND_PROPOSED: "land_proposed_on",
    track.LAND_SURVEYED: "surveyed_on",
    track.CONSTRUCTION: "band_on",
    track.HANDOVER: "handover_on",
}
DATE_KEYS = ("land_proposed_on", "surveyed_on", "clear_on", "portal_on", "band_on", "handover_on")
# Asset types of a building row; other types (vehicles, equipment) are left out with their type named.
BUILDING_TYPES = ("gerai", "gudang", "pergudangan", "bangunan", "kdkmp", "kdmp", "toko", "outlet")
VERIFIED_WORDS = {"terverifikasi", "sudah terverifikasi", "sudah diverifikasi", "diverifikasi", "verified", "valid",
                  "sesuai", "sudah", "ya", "lolos", "clear and clean", "cnc"}  # fmt: skip
VILLAGE_WORDS = {"desa", "pemdes", "pemerintah desa", "aset desa", "tanah desa", "tanah kas desa", "tkd", "kelurahan",
                 "milik desa", "village"}  # fmt: skip
REGENCY_WORDS = {"pemda", "pemkab", "kabupaten", "pemerintah daerah", "pemerintah kabupaten", "aset pemda",
                 "aset daerah", "milik pemda", "tanah pemda", "regency"}  # fmt: skip
LEASE_WORDS = ("sewa", "kontrak")
# Indonesia lies within these bounds: a position outside is an error (often latitude and longitude swapped).
LATITUDES, LONGITUDES = (Decimal(-11), Decimal(6)), (Decimal(95), Decimal(141))


@dataclass
class BuildingContext:
    table: reader.Table
    villages: dict[str, tuple[str, str]]  # code -> (village name, kecamatan name)
    by_name: dict[str, list[str]]
    memberships: dict[str, int]  # village code -> cooperative id
    buildings: dict[int, dict]  # cooperative id -> the building's fields
    pending: dict[int, set[int]]  # cooperative id -> steps waiting for verification
    certificates: dict[str, int]  # normalised certificate -> cooperative id holding it
    today: date | None
    seen: dict[int, int] = field(default_factory=dict)  # cooperative id -> first row naming it
    sheet_certificates: dict[str, int] = field(default_factory=dict)  # certificate -> first row naming it
    keyed: list = field(default_factory=list)


def _context(actor: User, table: reader.Table, today: date | None) -> BuildingContext:
    villages = {
        code: (village, kecamatan)
        for code, village, kecamatan in Region.objects.villages()
        .filter(scope_q(actor, "code", Cap.VERIFY))
        .values_list("code", "name", "parent__name")
    }
    in_scope = CooperativeVillage.objects.filter(left_at__isnull=True, cooperative__is_active=True).filter(
        scope_q(actor, "village_code", Cap.VERIFY)
    )
    case_ids = in_scope.values("cooperative_id")
    keys = ["cooperative_id", "band", "land_certificate", *{k for keys in _FACT_FIELDS.values() for k in keys}]
    pending: dict[int, set[int]] = {}
    for cooperative_id, step in Submission.objects.filter(
        building__cooperative_id__in=case_ids, status=SubmissionStatus.PENDING
    ).values_list("building__cooperative_id", "step"):
        pending.setdefault(cooperative_id, set()).add(step)
    certificates = {
        _certificate_key(number): cooperative_id
        for cooperative_id, number in Building.objects.exclude(land_certificate="").values_list(
            "cooperative_id", "land_certificate"
        )
    }
    return BuildingContext(
        table=table,
        villages=villages,
        by_name=index_by_name(villages),
        memberships=dict(in_scope.values_list("village_code", "cooperative_id")),
        buildings={row["cooperative_id"]: row for row in
                   Building.objects.filter(cooperative_id__in=case_ids).values(*keys)},
        pending=pending,
        certificates=certificates,
        today=today,
    )  # fmt: skip


# the building's fields each step writes (services._facts), compared to tell a rerun from a change
_FACT_FIELDS = {
    track.LAND_PROPOSED: ("land_proposed_on", "land_owner", "land_certificate", "land_area_m2", "road_access",
                          "latitude", "longitude"),
    track.LAND_SURVEYED: ("surveyed_on", "surveyed_by", "clear_on", "portal_on"),
    track.CONSTRUCTION: ("band", "band_on"),
    track.HANDOVER: ("handover_on", "handover_number", "asset_number"),
}  # fmt: skip


def _certificate_key(number: str) -> str:
    return "".join(str(number).split()).casefold()


def plan_buildings(*, data: bytes, name: str, actor: User, today: date | None = None) -> Plan:
    """Validate a building progress sheet against the buildings of the villages in the actor's scope (see
    BUILDING_COLUMNS; a village by its code, or its name with the kecamatan). Errors name their row; nothing is
    written."""
    table = reader.find_table(
        data,
        name,
        BUILDING_COLUMNS,
        required=[("code", "village")],
        layouts=remembered_layouts("buildings"),
    )
    plan = Plan(kind="buildings", sheet=table.sheet)
    _note_unread(plan, table)
    context = _context(actor, table, today)
    c = table.columns
    identity_end = max(c[k] for k in ("code", "village", "kecamatan") if k in c) + 1
    after_signature = False
    for number, row in table.rows:
        is_village_row = names_village(cell(row, c, "code"), cell(row, c, "village"), context)
        if not is_village_row:
            after_signature = after_signature or reader.is_signature_row(row)
            reason = reader.skip_reason(
                row,
                identity_end=identity_end,
                after_signature=after_signature,
                formulas=number in table.formula_rows,
            )
            if reason is not None:
                if reason:
                    plan.skip(number, reason)
                continue
        _plan_row(plan, context, number, row)
    plan.seal(context.keyed)
    return plan


def _plan_row(plan: Plan, context: BuildingContext, number: int, row: list) -> None:
    table, c = context.table, context.table.columns
    if number in table.formula_rows:
        plan.add(number, ERROR, reader.formula_message(table, number))
        return
    raw_type = cell(row, c, "asset_type")
    if raw_type is not None and not any(word in norm(raw_type) for word in BUILDING_TYPES):
        plan.skip(number, _("not a building (type “%(type)s”)") % {"type": clean_text(raw_type)[:40]})
        return
    if cell(row, c, "code") is None and cell(row, c, "village") is None:
        plan.add(number, ERROR, _("Neither the village code nor the village name is filled in."))
        return
    code = row_village(plan, context, number, row)
    if code is None:
        return
    place = context.villages[code][0]
    case_id = context.memberships.get(code)
    if case_id is None:
        plan.add(number, ERROR, _("%(village)s has no cooperative record in the programme.") % {"village": place})
        return
    if case_id in context.seen:
        plan.add(
            number,
            ERROR,
            _("%(village)s is already in row %(row)s.") % {"village": place, "row": context.seen[case_id]},
        )
        return  # fmt: skip
    context.seen[case_id] = number
    today = context.today or local_today(code)
    errors_before = len(plan.messages)
    values = _read_values(plan, context, number, row, today)
    building = context.buildings.get(case_id, {})
    _check_row(plan, context, number, case_id, values, building)
    if any(m.level == ERROR for m in plan.messages[errors_before:]):
        return
    _row_change(plan, context, number, code, case_id, values, building)


def _label(context: BuildingContext, key: str) -> str:
    return context.table.header_labels.get(context.table.columns[key], key)


def _read_values(plan: Plan, context: BuildingContext, number: int, row: list, today: date) -> dict[str, Any]:
    """The row's cells as the building's values; each bad cell an error naming its column."""
    c = context.table.columns
    values: dict[str, Any] = {}
    for key in BUILDING_COLUMNS:
        raw = cell(row, c, key)
        if raw is None or key in ("code", "village", "kecamatan", "asset_type"):
            continue
        try:
            values[key] = _read_cell(key, raw, today)
        except CellError as error:
            plan.add(number, ERROR, f"{_label(context, key)}: {error}")
    status = values.pop("asset_status", "")
    if status and any(word in norm(status) for word in LEASE_WORDS):
        plan.add(
            number,
            WARNING,
            _("%(column)s “%(value)s”: the building stands on village or regency land, without a lease (Inpres "
              "17/2025).") % {"column": _label(context, "asset_status"), "value": status},
        )  # fmt: skip
    if status:
        values["asset_status"] = status
    length, width = values.get("land_length"), values.get("land_width")
    if length and width:
        product = (length * width).quantize(Decimal("0.01"))
        if "land_area" not in values:
            values["land_area"] = product
        elif abs(values["land_area"] - product) > product / 10:
            plan.add(
                number,
                WARNING,
                _("The land is %(length)s × %(width)s m = %(product)s m², the sheet says %(area)s m²: the area in the "
                  "sheet is imported.") % {"length": length, "width": width, "product": product,
                                          "area": values["land_area"]},
            )  # fmt: skip
    return values


def _read_cell(key: str, raw, today: date):
    if key in DATE_KEYS:
        return parse_date(raw, dates.EVIDENCE, today=today)
    if key == "band":
        return read_band(raw)
    if key in ("land_length", "land_width", "land_area"):
        return _positive(raw)
    if key == "latitude":
        return _coordinate(raw, LATITUDES, _("latitude"))
    if key == "longitude":
        return _coordinate(raw, LONGITUDES, _("longitude"))
    if key == "land_owner":
        return _owner(raw)
    if key == "verification":
        return norm(raw) in VERIFIED_WORDS
    return clean_text(raw)[:200]


def _number(raw) -> Decimal:
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        return Decimal(str(raw))
    text = clean_text(raw).replace(" ", "").replace("m²", "").replace("m2", "").rstrip("m")
    if "," in text and "." in text:  # 1.234,5 (Indonesian) or 1,234.5
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise CellError(_("“%(value)s” is not a number.") % {"value": clean_text(raw)[:40]}) from error


def _positive(raw) -> Decimal:
    value = _number(raw)
    if value <= 0:
        raise CellError(_("“%(value)s” is not a positive number.") % {"value": clean_text(raw)[:40]})
    return value.quantize(Decimal("0.01"))


def _coordinate(raw, bounds: tuple[Decimal, Decimal], what: str) -> Decimal:
    value = _number(raw)
    if not bounds[0] <= value <= bounds[1]:
        raise CellError(
            _("%(value)s is not a %(what)s in Indonesia (%(low)s to %(high)s): are latitude and longitude swapped?")
            % {"value": value, "what": what, "low": bounds[0], "high": bounds[1]}
        )
    return value.quantize(Decimal("0.000001"))


def _owner(raw) -> str:
    text = norm(raw)
    if text in VILLAGE_WORDS or text.startswith(("desa", "tanah desa", "aset desa", "kelurahan")):
        return LandOwner.VILLAGE
    if text in REGENCY_WORDS or text.startswith(("pemda", "pemkab", "kabupaten", "aset pemda", "tanah pemda")):
        return LandOwner.REGENCY
    raise CellError(
        _("“%(value)s”: the land belongs to the village (“Desa”) or the regency (“Pemda”) (Inpres 17/2025).")
        % {"value": clean_text(raw)[:40]}
    )


_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)")


def read_band(raw) -> int:
    """A construction band (`Band`, its upper bound in per cent) from a cell: a percentage (45, "45%", "45,5 %"), a
    fraction as Excel stores a percent cell (0.45; 1.0 is 100%), a band label ("21–50%", "hingga 20%": its upper
    bound), or "Selesai". Raises CellError for anything else or a value above 100."""
    if isinstance(raw, float) and 0 <= raw <= 1:  # a percent cell: 0.45 is 45%, 1.0 is 100%
        percent = Decimal(str(raw)) * 100
    elif isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        percent = Decimal(str(raw))
    else:
        text = clean_text(raw).lower()  # not norm(): it drops the dash of "51–75%"
        if text in ("selesai", "rampung"):
            return Band.DONE
        found = _PERCENT.findall(text)
        if not found:
            raise CellError(
                _("“%(value)s” is not a construction progress (0–100%%).") % {"value": clean_text(raw)[:40]}
            )
        percent = Decimal(found[-1].replace(",", "."))  # a band label "21-50%": its upper bound
    if percent < 0 or percent > 100:
        raise CellError(_("%(value)s%% is not a construction progress (0–100%%).") % {"value": percent})
    for band in Band:
        if percent <= band.value:
            return band.value
    return Band.DONE  # 99.5 %


def _check_row(plan: Plan, context: BuildingContext, number: int, case_id: int, values: dict, building: dict) -> None:
    """Order of the dates, the handover at 100%, the certificate used once, the position given whole."""
    merged = {**{k: building.get(k) for k in DATE_KEYS}, **{k: v for k, v in values.items() if k in DATE_KEYS}}
    order = [("land_proposed_on", _("land proposed")), ("surveyed_on", _("land surveyed")),
             ("band_on", _("construction")), ("handover_on", _("handover"))]  # fmt: skip
    for position, (later, later_label) in enumerate(order):
        for earlier, earlier_label in order[:position]:
            if merged.get(earlier) and merged.get(later) and merged[later] < merged[earlier]:
                plan.add(
                    number,
                    ERROR,
                    _("The date of “%(later)s” (%(then)s) is before the date of “%(earlier)s” (%(first)s).")
                    % {"later": later_label, "then": _show(merged[later]), "earlier": earlier_label,
                       "first": _show(merged[earlier])},
                )  # fmt: skip
                break
    band = values.get("band", building.get("band"))
    if "handover_on" in values and band != Band.DONE:
        plan.add(
            number,
            ERROR,
            _("A handover is recorded only at 100%% construction (here: %(band)s).")
            % {"band": Band(band).label if band else "—"},
        )
    if "band" in values and "band_on" not in values:
        plan.add(number, ERROR, _("The construction band has no date: fill in “%(column)s”.")
                 % {"column": BUILDING_COLUMNS["band_on"][0]})  # fmt: skip
    if ("latitude" in values) != ("longitude" in values):
        plan.add(number, ERROR, _("Give both the latitude and the longitude, or neither."))
    certificate = values.get("land_certificate")
    if certificate:
        key = _certificate_key(certificate)
        holder = context.certificates.get(key)
        first = context.sheet_certificates.setdefault(key, number)
        if holder is not None and holder != case_id:
            plan.add(number, ERROR, _("This certificate or letter number is already used by another village."))
        elif first != number:
            plan.add(number, ERROR, _("The same certificate or letter number as row %(row)s.") % {"row": first})


def _steps(values: dict, building: dict) -> list[dict]:
    """The steps a row sets: those whose date the sheet gives (the band with its date)."""
    steps = []
    for number, keys in STEP_KEYS.items():
        day = values.get(STEP_DATE[number])
        if day is None:
            continue
        data: dict[str, Any] = {}
        for key in keys:
            if key in values and key != STEP_DATE[number] and key != "band":
                data["land_area_m2" if key == "land_area" else key] = values[key]
        if number == track.LAND_PROPOSED:
            for extra in ("land_length", "land_width", "asset_status", "verification"):
                if extra in values:
                    data[extra] = values[extra]
        steps.append({"step": number, "date": day, "band": values.get("band"), "data": data})
    return steps


def _changes(step: dict, building: dict) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of a step's facts that differ from the building's (cells left empty keep the value)."""
    number = step["step"]
    after: dict[str, Any] = {STEP_DATE[number]: step["date"]}
    if number == track.CONSTRUCTION:
        after["band"] = step["band"]
    for key in _FACT_FIELDS[number]:
        if key in step["data"]:
            after[key] = step["data"][key]
    changed = []
    for key, value in after.items():
        held = building.get(key)
        if isinstance(held, Decimal) and isinstance(value, Decimal):
            same = held == value
        else:
            same = held == value or (held in (None, "") and value in (None, ""))
        if not same:
            changed.append((key, held, value))
    return changed


def _row_change(plan: Plan, context: BuildingContext, number: int, code: str, case_id: int, values, building):
    place = context.villages[code][0]
    if values.get("verification") is False:
        plan.not_applied_count += 1
        plan.add(
            number,
            WARNING,
            _("%(village)s is not verified in the sheet (“%(column)s”): not imported.")
            % {"village": place, "column": _label(context, "verification")},
        )
        return
    held_band = building.get("band")
    if held_band and values.get("band") is not None and values["band"] < held_band:
        plan.not_applied_count += 1
        plan.add(
            number,
            WARNING,
            _("%(village)s is already at %(held)s; the sheet says %(band)s. Not moved back: correct it on the "
              "building's page if this is a correction.")
            % {"village": place, "held": Band(held_band).label, "band": Band(values["band"]).label},
        )  # fmt: skip
        return
    steps = [s for s in _steps(values, building) if _changes(s, building)]
    waiting = [s["step"] for s in steps if s["step"] in context.pending.get(case_id, set())]
    if waiting:
        plan.not_applied_count += 1
        plan.add(
            number,
            WARNING,
            _("%(village)s has the step “%(step)s” waiting for verification: not imported. Decide the submission "
              "first, then import again.") % {"village": place, "step": track.step(waiting[0]).label},
        )  # fmt: skip
        return
    if not steps:
        plan.unchanged_count += 1
        return
    shown = []
    for step in steps:
        for key, before, after in _changes(step, building):
            label = getattr(Building._meta.get_field(key), "verbose_name", key)
            if key == "band":
                before, after = (Band(before).label if before else None), Band(after).label
            shown.append([str(label).capitalize(), _show(before), _show(after)])
    plan.changed_count += 1
    if len(plan.changed) < SHOWN_ROWS:
        plan.changed.append({"row": number, "name": f"{place} ({context.villages[code][1]})", "changes": shown})
    plan.writes.append((case_id, steps))
    context.keyed.append((case_id, repr(steps), repr(sorted((k, str(v)) for k, v in building.items()))))

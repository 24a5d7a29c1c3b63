"""The demo's buildings (Inpres 17/2025 gerai and warehouses) in Paser, 2026: called by `manage.py demo` after the
formation story (demo_story.py), written through the buildings services with dated facts.

A RECONSTRUCTION on what was reported: Agrinas began building 18 KDKMP in Paser in December 2025, handover targeted
for March 2026, and seven more villages were in land survey by Agrinas with Kodim 0904/Paser, to be entered in the
"Agrinas portal" — Tajur Mulya, Bukit Seloka, Atang Pait, Teluk Waru, Jemparing, Belimbing, Samuntai (Nomor Satu
Kaltim, "18 KDKMP di Paser Mulai Dibangun", 6 January 2026); land of the regency or the village, without a lease.
The 18 are the villages the formation story gives an open outlet (stage 11, from March 2026) and, when fewer, the next
with SIMKOPDES (stage 10). Decision docs/decisions/0009-stage-11-by-outlet-or-building.md: a trading building is
evidence of stage 11, so the few trading here are villages already at stage 11, their first sale on the day the
story says they began operating. The others stand where the national figures put most buildings in 2026: finished
but not handed over, or still at 51–99 %.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from kopdes.accounts.models import RoleAssignment, User
from kopdes.accounts.roles import Role
from kopdes.accounts.services import assign_role
from kopdes.audit.stale import read_token
from kopdes.buildings import services
from kopdes.buildings.models import Building, ChannelKind
from kopdes.buildings.selectors import step_state, token_key
from kopdes.buildings.workflow import (
    CHANNELS,
    CONSTRUCTION,
    FIRST_SALE,
    HANDOVER,
    LAND_PROPOSED,
    LAND_SURVEYED,
    AssetRegister,
    Band,
    ChannelState,
    LandOwner,
)
from kopdes.cleaners.village import village_key
from kopdes.clock import local_today
from kopdes.formation.demo import PROGRAMME_NAME, WITA, demo_pdf
from kopdes.formation.models import Cooperative
from kopdes.regions.models import Level, Region

SOURCE = "demo-replay"
BUILT = 18
BUILD_START = date(2025, 12, 8)  # "mulai dibangun" in December 2025
SURVEYOR = "Agrinas dan Kodim 0904/Paser"
# The seven villages in land survey as the article spells them -> the decree's spelling where it differs (all in
# Kecamatan Long Ikis). Matched by normalised name; the three mismatches are listed here and in the demo's note.
SURVEY_VILLAGES = ["Tajur Mulya", "Bukit Seloka", "Atang Pait", "Teluk Waru", "Jemparing", "Belimbing", "Samuntai"]
DECREE_SPELLING = {"Tajur Mulya": "Tajer Mulya", "Bukit Seloka": "Bukit Saloka", "Samuntai": "Semuntai"}
SURVEY_KECAMATAN = "Long Ikis"
TRADING = 4  # of the 18: first sale recorded and verified
HANDED_OVER = 3  # handed over, not trading yet
FINISHED = 4  # 100 %, waiting for the handover review
# the rest: at 51–75 % or 76–99 %


@dataclass(frozen=True)
class Who:
    office: User
    field: dict[str, User]  # kecamatan code -> the pendamping who submits the cooperative's steps


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), WITA)


def _photo(band: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (32, 24), (90 + band, 120, 60))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile(f"foto-{band}.jpg", out.getvalue(), content_type="image/jpeg")


def survey_villages() -> dict[str, Region]:
    """The article's seven villages matched to the region list by normalised name (with the decree's spelling where
    the news differs). Raises LookupError when one does not resolve to exactly one village of the kecamatan."""
    kecamatan = Region.objects.get(parent__code="64.01", level=Level.KECAMATAN, name__iexact=SURVEY_KECAMATAN)
    by_key: dict[str, list[Region]] = {}
    for village in Region.objects.filter(parent=kecamatan).active():
        by_key.setdefault(village_key(village.name), []).append(village)
    found = {}
    for name in SURVEY_VILLAGES:
        candidates = by_key.get(village_key(DECREE_SPELLING.get(name, name)), [])
        if len(candidates) != 1:
            raise LookupError(f"{name}: {len(candidates)} villages of Kecamatan {SURVEY_KECAMATAN}")
        found[name] = candidates[0]
    return found


def _pendamping(kecamatan: Region, password: str) -> User:
    assignment = (
        RoleAssignment.objects.filter(role=Role.PENDAMPING, region=kecamatan, ended_at__isnull=True)
        .select_related("user")
        .first()
    )
    if assignment is not None:
        return assignment.user
    username = "pendamping." + "".join(ch for ch in kecamatan.name.lower() if ch.isalnum())
    user, _created = User.objects.get_or_create(
        username=username, defaults={"full_name": f"Pendamping Kecamatan {kecamatan.name.title()}", "is_demo": True}
    )
    user.set_password(password)
    user.is_demo, user.must_change_password = True, False
    user.save()
    assign_role(actor=None, user=user, role=Role.PENDAMPING, region=kecamatan)
    return user


def _operating_since(case: Cooperative) -> date | None:
    """The day the story has the case operating (stage 11) when that falls after the buildings' start: a case that
    traded earlier (from rented space, like Sungai Terik in 2025) keeps its outlet and is not one of the trading
    buildings."""
    if case.stage >= 11 and case.operating_since and case.operating_since >= date(2026, 3, 1):
        return case.operating_since
    return None


def choose(cases: list[Cooperative], exclude: set[str]) -> list[Cooperative]:
    """The 18 villages under construction: those at stage 11 first (by their opening date), then stage 10."""
    candidates = [c for c in cases if c.region_code not in exclude and c.stage >= 10]
    candidates.sort(key=lambda c: (-min(c.stage, 11), c.region_code))
    return candidates[:BUILT]


def load(*, office: User, password: str) -> int:
    """Write the buildings of Paser's 2026 story. Returns the buildings written (0 when they exist: rerunnable)."""
    if Building.objects.exists():
        return 0
    cases = list(Cooperative.objects.filter(programme__name=PROGRAMME_NAME, is_active=True).order_by("region_code"))
    if not cases:
        return 0
    surveyed = survey_villages()
    survey_codes = {region.code for region in surveyed.values()}
    kecamatans = {k.code: k for k in Region.objects.filter(parent__code="64.01", level=Level.KECAMATAN)}
    who = Who(office=office, field={})
    today = local_today("64.01")
    built = choose(cases, survey_codes)
    trading = [c for c in built if _operating_since(c)][:TRADING]
    written = 0
    for index, case in enumerate(built):
        kecamatan = ".".join(case.region_code.split(".")[:3])
        if kecamatan not in who.field:
            who.field[kecamatan] = _pendamping(kecamatans[kecamatan], password)
        with transaction.atomic():
            _build(who, case, index, _operating_since(case) if case in trading else None, today)
        written += 1
    by_code = {c.region_code: c for c in cases}
    for index, (_name, region) in enumerate(sorted(surveyed.items())):
        surveyed_case = by_code.get(region.code)
        if surveyed_case is None or surveyed_case.stage < 8:
            continue
        with transaction.atomic():
            _land(who, surveyed_case, index, proposed=date(2025, 12, 1) + timedelta(days=index),
                  surveyed=date(2026, 1, 5))  # fmt: skip
        written += 1
    return written


def _token(case: Cooperative, step: int, channel_id: int | None = None) -> str:
    building = Building.objects.filter(cooperative=case).first() or Building()
    return read_token(
        Building(), [], extra=step_state(building, step, channel_id), key=token_key(case.pk, step, channel_id)
    )


def _step(who: Who, case: Cooperative, step: int, day: date, *, by: User, **kwargs) -> None:
    """Submit a step on `day` (09:00 WITA) and have the office verify it the same afternoon."""
    channel = kwargs.get("channel")
    submission = services.submit_step(
        actor=by,
        cooperative=case,
        step=step,
        token=_token(case, step, channel.pk if channel else None),
        evidence_date=day,
        source=SOURCE,
        at=_at(day, 9),
        note="Data demo (rekonstruksi).",
        **kwargs,
    )
    services.verify(actor=who.office, submission=submission, at=_at(day, 15), source=SOURCE)


def _position(case: Cooperative, index: int) -> tuple[Decimal, Decimal]:
    """A believable point in Paser (about 1.3–2.3° S, 115.7–116.4° E), unofficial and per village."""
    serial = int(case.region_code.replace(".", "")[-4:])
    lat = Decimal("-1.35") - Decimal(serial % 97) / 100
    lon = Decimal("115.75") + Decimal((serial * 7 + index) % 60) / 100
    return lat.quantize(Decimal("0.000001")), lon.quantize(Decimal("0.000001"))


def _digits(case: Cooperative) -> str:
    return case.region_code.replace(".", "")


def _land(who: Who, case: Cooperative, index: int, *, proposed: date, surveyed: date) -> None:
    lat, lon = _position(case, index)
    owner = LandOwner.VILLAGE if index % 3 else LandOwner.REGENCY
    _step(who, case, LAND_PROPOSED, proposed, by=who.office, data={
        "land_owner": owner,
        "land_certificate": f"{'SHP' if owner == LandOwner.REGENCY else 'SKT'}-{_digits(case)}/2025",
        "land_area_m2": Decimal(600 + 50 * (index % 4)),
        "road_access": "Jalan poros desa" if index % 2 else "Jalan kabupaten",
        "latitude": lat,
        "longitude": lon,
    })  # fmt: skip
    _step(who, case, LAND_SURVEYED, surveyed, by=who.office, data={
        "surveyed_by": SURVEYOR,
        "clear_on": surveyed + timedelta(days=3),
        "portal_on": surveyed + timedelta(days=6),
    })  # fmt: skip


BANDS = [Band.UP_TO_20, Band.UP_TO_50, Band.UP_TO_75, Band.UP_TO_99, Band.DONE]


def _build(who: Who, case: Cooperative, index: int, first_sale: date | None, today: date) -> None:
    """One of the 18: land, survey, bands from December 2025; for the trading ones the handover, the LPG channel
    and the first sale before the day the story has them operating."""
    field = who.field[".".join(case.region_code.split(".")[:3])]
    if first_sale:
        handover = first_sale - timedelta(days=5)
        done = handover - timedelta(days=10)
        reached = BANDS
    else:
        handover, done = None, None
        group = index - TRADING
        reached = BANDS if group < HANDED_OVER + FINISHED else BANDS[: 3 + index % 2]
        if group < HANDED_OVER:
            handover = date(2026, 4, 20) + timedelta(days=7 * group)
    start = BUILD_START + timedelta(days=index % 10)
    _land(who, case, index, proposed=date(2025, 10, 20) + timedelta(days=index % 7), surveyed=date(2025, 11, 10))
    end = done or date(2026, 3, 25) + timedelta(days=index * 3)
    for number, band in enumerate(reached):
        day = start + (end - start) * number // max(len(BANDS) - 1, 1)
        if day > today:
            break
        _step(who, case, CONSTRUCTION, day, by=field, band=band, files=[_photo(band)])
    if handover and handover <= today:
        _step(who, case, HANDOVER, handover, by=field, files=[demo_pdf(f"BAST gerai {case.name}")], data={
            "handover_number": f"BAST/{_digits(case)}/AGRINAS/2026",
            "asset_register": AssetRegister.VILLAGE,
            "asset_number": f"1.3.3.{case.region_code[-4:]}",
            "asset_on": handover + timedelta(days=2),
        })  # fmt: skip
    if first_sale and handover and first_sale <= today:
        lpg = ChannelKind.objects.filter(name__icontains="LPG").order_by("order").first()
        if lpg is not None:
            _step(who, case, CHANNELS, handover + timedelta(days=1), by=field, channel=lpg,
                  data={"state": ChannelState.REGISTERED})  # fmt: skip
        _step(who, case, FIRST_SALE, first_sale, by=field, data={"first_sale_what": "Beras SPHP dan LPG 3 kg"})

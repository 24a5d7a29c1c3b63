"""The JSON API (django-ninja): thin routers over the same selectors and access layer as the pages. It only reads;
every text it takes is a `kopdes.api.text` type (control characters refused with 422)."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from kopdes.accounts import throttle
from kopdes.accounts.http import AuthenticatedRequest
from kopdes.accounts.scope import get_region_for_user
from kopdes.api.models import ApiToken, hash_token
from kopdes.api.text import OneLine
from kopdes.buildings import selectors as building_selectors
from kopdes.buildings import workflow as building_workflow
from kopdes.clock import local_today
from kopdes.cooperatives.access import shows_people
from kopdes.cooperatives.selectors import cooperative_page
from kopdes.dashboards.selectors import dashboard
from kopdes.formation.selectors import get_cooperative_for_user
from kopdes.regions.models import Level, Region
from kopdes.regions.selectors import region_children
from kopdes.returns.dashboard import dashboard as return_dashboard
from kopdes.returns.policy import can_read_recaps


class TokenAuth(HttpBearer):
    """A usable (not revoked, not expired) token of an active account. Wrong tokens count per client address; past
    settings.API_TOKEN_FAILURE_LIMIT inside the login window the address gets 429 without a lookup."""

    def authenticate(self, request: HttpRequest, token):
        address = throttle.client_address(request)
        if throttle.token_refused(address):
            raise HttpError(429, "Too many wrong tokens from this address; try again later.")
        found = (
            ApiToken.objects.usable()
            .select_related("user")
            .filter(key_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if found is None:
            throttle.note_token_failure(address)
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(title="Kopdes API", version="1", auth=TokenAuth(), urls_namespace="api")


class RegionOut(Schema):
    code: str
    name: str
    kind: str
    level: int
    is_active: bool
    villages: int | None = None


class RegionDetailOut(RegionOut):
    children: list[RegionOut]


class StageCount(Schema):
    stage: int
    key: str
    count: int


class DashboardOut(Schema):
    code: str
    name: str
    programme: str | None
    target: int | None
    deadline: date | None
    villages: int
    cooperatives: int
    formed: int
    villages_covered: int
    pending_verification: int
    percent_of_target: float | None
    stages: list[StageCount]


def _region_out(region, villages=None) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "kind": region.kind,
        "level": region.level,
        "is_active": region.is_active,
        "villages": villages,
    }


@api.get("/wilayah/{code}", response=RegionDetailOut, summary="A region in the caller's scope with its children")
def region_detail(request: AuthenticatedRequest, code: OneLine):
    region = get_region_for_user(request.user, code)
    children = [_region_out(row["region"], row["villages"]) for row in region_children(region)]
    return {**_region_out(region), "children": children}


@api.get("/dasbor/{code}", response=DashboardOut, summary="Formation progress of a region in the caller's scope")
def region_dashboard(request: AuthenticatedRequest, code: OneLine):
    region = get_region_for_user(request.user, code)
    data = dashboard(region, with_villages=False)
    return {
        "code": region.code,
        "name": region.name,
        "programme": data.programme.name if data.programme else None,
        "target": data.target.count if data.target else None,
        "deadline": data.target.deadline if data.target else None,
        "villages": data.villages,
        "cooperatives": data.cooperatives,
        "formed": data.formed,
        "villages_covered": data.villages_covered,
        "pending_verification": data.pending,
        "percent_of_target": data.percent_of_target,
        "stages": [
            {"stage": row["stage"].number, "key": row["stage"].key, "count": row["count"]} for row in data.funnel
        ],
    }


class SeatOut(Schema):
    organ: str
    position: str
    name: str | None  # None for callers who see no names of people (mitra)
    term_start: date | None
    term_end: date | None
    term_valid: bool


class OutletOut(Schema):
    type: str
    status: str
    progress_percent: int | None
    opened_on: date | None
    latitude: float | None
    longitude: float | None
    land_status: str


class AnnualMeetingOut(Schema):
    book_year: int
    held: bool
    held_on: date | None


class HealthComponentOut(Schema):
    key: str
    passed: bool
    why: str


class RegistryOut(Schema):
    id: int
    name: str
    region_code: str
    stage: int
    pathway: str
    nomor_induk_koperasi: str
    npwp: str
    nib: str
    kbli_codes: list[str]
    simkopdes_status: str
    members_active: int
    members_men: int
    members_women: int
    board: list[SeatOut]
    outlets: list[OutletOut]
    annual_meetings: list[AnnualMeetingOut]
    health_score: int
    health_out_of: int
    health: list[HealthComponentOut]


@api.get("/koperasi/{pk}", response=RegistryOut, summary="A cooperative's registry record in the caller's scope")
def cooperative_registry(request: AuthenticatedRequest, pk: int):
    """The registry as the cooperative's page shows it: profile, board (names only for who may see people; NIKs never),
    member counts, outlets, RAT and the health score with its components."""
    cooperative = get_cooperative_for_user(request.user, pk)
    page = cooperative_page(cooperative, may_see_nik=False, today=local_today(cooperative.region_code))
    names = shows_people(request.user)
    counts, health = page["member_counts"], page["health"]
    return {
        "id": cooperative.pk,
        "name": cooperative.name,
        "region_code": cooperative.region_code,
        "stage": cooperative.stage,
        "pathway": cooperative.pathway,
        "nomor_induk_koperasi": cooperative.nomor_induk_koperasi,
        "npwp": cooperative.npwp,
        "nib": cooperative.nib,
        "kbli_codes": list(cooperative.kbli_codes or []),
        "simkopdes_status": cooperative.simkopdes_status,
        "members_active": counts["total"],
        "members_men": counts["men"],
        "members_women": counts["women"],
        "board": [
            {
                "organ": row.seat.organ,
                "position": row.seat.position,
                "name": row.seat.name if names else None,
                "term_start": row.seat.term_start,
                "term_end": row.seat.term_end,
                "term_valid": row.valid,
            }
            for row in [*page["pengurus"], *page["pengawas"]]
        ],
        "outlets": [
            {
                "type": outlet.type_label,
                "status": outlet.status,
                "progress_percent": outlet.progress_percent,
                "opened_on": outlet.opened_on,
                "latitude": float(outlet.latitude) if outlet.latitude is not None else None,
                "longitude": float(outlet.longitude) if outlet.longitude is not None else None,
                "land_status": outlet.land_status,
            }
            for outlet in page["outlets"]
        ],
        "annual_meetings": [{"book_year": r.book_year, "held": r.held, "held_on": r.held_on} for r in page["rats"]],
        "health_score": health.score,
        "health_out_of": health.out_of,
        "health": [{"key": c.key, "passed": c.passed, "why": str(c.why)} for c in health.components],
    }


class BuildingRowOut(Schema):
    cooperative_id: int
    cooperative: str
    region_code: str
    step: int | None
    step_key: str | None
    band: int | None
    trading: bool
    first_sale_on: date | None


class BuildingStepOut(Schema):
    number: int
    key: str
    status: str


class BandOut(Schema):
    band: int
    photos_on: date | None


class ChannelOut(Schema):
    kind: str
    state: str
    registered_on: date | None
    verified_on: date | None
    active_on: date | None


class BuildingOut(BuildingRowOut):
    land_owner: str
    land_area_m2: float | None
    land_proposed_on: date | None
    surveyed_on: date | None
    band_on: date | None
    handover_on: date | None
    asset_register: str
    steps: list[BuildingStepOut]
    bands: list[BandOut]
    channels: list[ChannelOut]
    vehicles: list[str]


def _building_row(cooperative, building) -> dict:
    step = building.step if building else None
    return {
        "cooperative_id": cooperative.pk,
        "cooperative": cooperative.name,
        "region_code": cooperative.region_code,
        "step": step,
        "step_key": building_workflow.step(step).key if step else None,
        "band": building.band if building else None,
        "trading": bool(building and building.is_trading),
        "first_sale_on": building.first_sale_on if building else None,
    }


@api.get(
    "/gerai/wilayah/{code}",
    response=list[BuildingRowOut],
    summary="The buildings (gerai and warehouse) of the cooperatives of a region in the caller's scope",
)
def buildings_of_region(request: AuthenticatedRequest, code: OneLine):
    """Each active cooperative in the region and the caller's scope: its building's last verified step, band and
    whether it trades (null step: nothing verified yet). A region outside the scope answers 404."""
    region = get_region_for_user(request.user, code)
    rows = building_selectors.buildings_in_region(request.user, region.code)
    return [_building_row(c, getattr(c, "building", None)) for c in rows]


@api.get("/gerai/{pk}", response=BuildingOut, summary="A cooperative's building in the caller's scope")
def building_detail(request: AuthenticatedRequest, pk: int):
    """The building's verified facts, each step's status, the verified construction bands with their photo dates, the
    channels and the vehicles' registrations. No person and no file. A cooperative outside the scope answers 404."""
    cooperative = building_selectors.get_cooperative_for_user(request.user, pk)
    building = building_selectors.building_of(cooperative)
    saved = building if building.pk else None
    return {
        **_building_row(cooperative, saved),
        "land_owner": building.land_owner,
        "land_area_m2": float(building.land_area_m2) if building.land_area_m2 is not None else None,
        "land_proposed_on": building.land_proposed_on,
        "surveyed_on": building.surveyed_on,
        "band_on": building.band_on,
        "handover_on": building.handover_on,
        "asset_register": building.asset_register,
        "steps": [
            {"number": row["step"].number, "key": row["step"].key, "status": str(row["status"])}
            for row in building_selectors.steps(building)
        ],
        "bands": [{"band": s.band, "photos_on": s.evidence_date} for s in building_selectors.verified_bands(building)],
        "channels": [
            {
                "kind": c.kind.name,
                "state": c.state,
                "registered_on": c.registered_on,
                "verified_on": c.verified_on,
                "active_on": c.active_on,
            }
            for c in building_selectors.channels(building)
        ],
        "vehicles": [f"{v.kind} {v.registration}" for v in building.vehicles.all()] if saved else [],
    }


class ReturnMonthOut(Schema):
    month: date  # the first day of the month
    submitted: int
    on_time: int
    cooperatives_trading: int
    units_trading: int
    revenue: int  # whole rupiah
    members_joined: int
    members_left: int
    simpanan_pokok: int
    simpanan_wajib: int
    simpanan_sukarela: int


class ReturnChildOut(Schema):
    code: str
    name: str
    expected: int
    submitted: int
    on_time: int
    revenue: int
    units_trading: int


class ReturnsOut(Schema):
    code: str  # "" for the nation
    name: str
    latest_month: date | None
    expected: int | None  # cooperatives expected to send the latest month's return
    months: list[ReturnMonthOut]
    children: list[ReturnChildOut]
    silent_two_months: int  # cooperatives expected with no return for the last two months (101: more than 100)


def _returns_out(region) -> dict:
    code = region.code if region is not None else ""
    data = return_dashboard(region, local_today(code or "64"))
    fields = [f for f in ReturnMonthOut.model_fields if f != "month"]
    return {
        "code": code,
        "name": region.name if region is not None else "Indonesia",
        "latest_month": data.latest.period.start if data.latest and data.latest.period else None,
        "expected": data.latest.expected if data.latest else None,
        "months": [{"month": m.period.start, **{f: getattr(m, f) for f in fields}} for m in data.months if m.period],
        "children": [
            {
                "code": c.code,
                "name": c.label,
                "expected": c.expected,
                "submitted": c.submitted,
                "on_time": c.on_time,
                "revenue": c.revenue,
                "units_trading": c.units_trading,
            }
            for c in data.children
        ],
        "silent_two_months": data.missing_count,
    }


@api.get("/laporan-usaha", response=ReturnsOut, summary="The nation's monthly returns (national accounts only)")
def national_returns(request: AuthenticatedRequest):
    """The returns dashboard's figures for the nation, month by month, with the provinces' latest month."""
    if not can_read_recaps(request.user, ""):
        raise HttpError(404, "Not found")
    return _returns_out(None)


@api.get("/laporan-usaha/{code}", response=ReturnsOut, summary="A region's monthly returns in the caller's scope")
def region_returns(request: AuthenticatedRequest, code: OneLine):
    """As the returns dashboard of the region (province, regency or kecamatan): whoever sees it or recaps it;
    anything else 404."""
    if not can_read_recaps(request.user, code):
        raise HttpError(404, "Not found")
    region = Region.objects.filter(code=code, level__lte=Level.KECAMATAN).first()
    if region is None:
        raise HttpError(404, "Not found")
    return _returns_out(region)

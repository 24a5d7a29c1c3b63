"""The JSON API (django-ninja): thin routers over the same selectors and access layer as the pages."""

from datetime import date

from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.security import HttpBearer

from kopdes.accounts.scope import get_region_for_user
from kopdes.api.models import ApiToken, hash_token
from kopdes.formation.selectors import dashboard
from kopdes.regions.selectors import region_children


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
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
def region_detail(request, code: str):
    region = get_region_for_user(request.user, code)
    children = [_region_out(row["region"], row["villages"]) for row in region_children(region)]
    return {**_region_out(region), "children": children}


@api.get("/dasbor/{code}", response=DashboardOut, summary="Formation progress of a region in the caller's scope")
def region_dashboard(request, code: str):
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

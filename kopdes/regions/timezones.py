"""Indonesia's three time zones by province code.

Source: Keputusan Presiden No. 41 Tahun 1987 (Pembagian Wilayah Republik Indonesia menjadi 3 Wilayah Waktu); provinces
formed since then are placed in the zone of the province they were split from. The importer stores the zone on each
province row (editable in the admin); pages read it through `zone_for_code`.
"""

from functools import lru_cache

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"
ZONE_LABELS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}

_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def default_zone_for_province(province_code: str) -> str:
    if province_code in _WIT:
        return WIT
    if province_code in _WITA:
        return WITA
    return WIB


@lru_cache(maxsize=1)
def _stored_zones() -> dict[str, str]:
    from kopdes.regions.models import Level, Region

    return dict(Region.objects.filter(level=Level.PROVINSI).exclude(tz="").values_list("code", "tz"))


def zone_for_code(code: str) -> str:
    province = code[:2]
    return _stored_zones().get(province) or default_zone_for_province(province)


def forget_stored_zones() -> None:
    _stored_zones.cache_clear()

from kopdes.audit.stale import read_token
from kopdes.documents.models import Letterhead
from kopdes.regions.models import Kind, Level, Region


def letterhead_for(code: str) -> Letterhead:
    """The letterhead of the nearest office above (or at) `code`; an unsaved default from the region names if none."""
    parts = code.split(".")
    candidates = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    saved = Letterhead.objects.select_related("region").filter(region__code__in=candidates)
    found = {letterhead.region.code: letterhead for letterhead in saved}
    for candidate in candidates:
        if candidate in found:
            return found[candidate]
    kabupaten = Region.objects.filter(code__in=candidates, level=Level.KABUPATEN).first()
    province = Region.objects.filter(code=parts[0]).first()
    top = kabupaten or province
    if top is None:
        return Letterhead(government="PEMERINTAH REPUBLIK INDONESIA", office="DINAS KOPERASI", city="")
    word = "KOTA" if top.kind == Kind.KOTA else ("PROVINSI" if top.level == Level.PROVINSI else "KABUPATEN")
    name = top.name.upper().removeprefix("KABUPATEN ").removeprefix("KOTA ")
    return Letterhead(
        region=top,
        government=f"PEMERINTAH {word} {name}",
        office="DINAS KOPERASI DAN USAHA MIKRO",
        city=top.name.removeprefix("Kabupaten ").removeprefix("Kota "),
    )


FIELDS = ["government", "office", "address", "contact", "city", "head_title", "head_name", "head_nip"]


READ_FIELDS = [*FIELDS, "logo"]


def read_key(region: Region) -> str:
    return f"documents.letterhead:region={region.code}"  # the same before and after the first save


def letterhead_token(region: Region) -> str:
    """The read token (`audit.stale`) of the office's own letterhead (none saved yet: its empty defaults)."""
    own = Letterhead.objects.filter(region=region).first() or Letterhead(region=region)
    return read_token(own, READ_FIELDS, key=read_key(region))

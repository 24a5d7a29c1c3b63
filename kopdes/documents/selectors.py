"""Reads of issuers, their letterheads, signers and registers (documents.models)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from kopdes.audit.stale import read_token
from kopdes.cleaners.nip import format_nip
from kopdes.documents.models import IssuedPaper, Issuer, IssuerKind, PaperDraft, Signer
from kopdes.documents.policy import may_edit_issuer
from kopdes.regions.models import Kind, Level, Region, subtree_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kopdes.accounts.models import User

FIELDS = [
    "government",
    "unit_line",
    "office",
    "address",
    "contact",
    "city",
    "number_template",
    "classification",
    "unit_code",
]
READ_FIELDS = [*FIELDS, "logo"]
SIGNER_FIELDS = ["role", "name", "position", "rank", "nip", "order", "is_active"]


def _top(region: Region) -> Region | None:
    """The regency (or city, or province) whose government a region's papers name."""
    codes = [*region.ancestor_codes(), region.code]
    found = {r.code: r for r in Region.objects.filter(code__in=codes, level__in=(Level.PROVINSI, Level.KABUPATEN))}
    return next((found[c] for c in reversed(codes) if c in found), None)


def _government(top: Region | None) -> str:
    if top is None:
        return "PEMERINTAH REPUBLIK INDONESIA"
    word = "KOTA" if top.kind == Kind.KOTA else ("PROVINSI" if top.level == Level.PROVINSI else "KABUPATEN")
    name = top.name.upper().removeprefix("KABUPATEN ").removeprefix("KOTA ").removeprefix("PROVINSI ")
    return f"PEMERINTAH {word} {name}"


def _plain(name: str) -> str:
    return name.removeprefix("Kabupaten ").removeprefix("Kota ").removeprefix("Provinsi ")


UNIT_CODES: dict[str, str] = {IssuerKind.OFFICE: "KOP", IssuerKind.KECAMATAN: "KEC", IssuerKind.BPD: "BPD"}


def default_issuer(kind: str, region: Region, *, cooperative_pk: int | None = None, name: str = "") -> Issuer:
    """An unsaved issuer with the letterhead a body of `kind` on `region` has before anyone edits it: the government's
    name from the regency, the office's name from the region, the place of signing from the region's name.
    `name`: a cooperative's name (cooperatives only)."""
    top = _top(region)
    kecamatan = region.parent if region.level == Level.DESA else None
    village = region.name.upper()
    unit_line = f"KECAMATAN {kecamatan.name.upper()}" if kecamatan is not None else ""
    office: str = {
        IssuerKind.OFFICE: "DINAS KOPERASI DAN USAHA MIKRO",
        IssuerKind.KECAMATAN: f"KECAMATAN {village}",
        IssuerKind.DESA: f"DESA {village}",
        IssuerKind.BPD: f"BADAN PERMUSYAWARATAN DESA {village}",
        IssuerKind.KELURAHAN: f"KELURAHAN {village}",
        IssuerKind.COOPERATIVE: (name or f"Koperasi Desa Merah Putih {region.name}").upper(),
    }[IssuerKind(kind)]
    government = _government(top)
    if kind == IssuerKind.COOPERATIVE:  # a cooperative's own kop: its name, then its village (no pemda lambang)
        government, office, unit_line = office, f"{region.display_name}, {unit_line.title()}".strip(", "), ""
    return Issuer(
        kind=kind,
        region=region,
        cooperative_pk=cooperative_pk,
        government=government,
        unit_line=unit_line if kind != IssuerKind.OFFICE else "",
        office=office,
        city=_plain((top or region).name) if kind == IssuerKind.OFFICE else region.name,
        unit_code=UNIT_CODES.get(kind, ""),
    )


def issuer_for(kind: str, region: Region) -> Issuer:
    """The saved issuer of `kind` on `region`, else its unsaved default (not for cooperatives: `cooperative_issuer`)."""
    return Issuer.objects.filter(kind=kind, region=region).select_related("region").first() or default_issuer(
        kind, region
    )


def cooperative_issuer(cooperative_pk: int) -> Issuer | None:
    return Issuer.objects.filter(kind=IssuerKind.COOPERATIVE, cooperative_pk=cooperative_pk).first()


def letterhead_for(code: str) -> Issuer:
    """The office issuer nearest above (or at) `code`, else an unsaved default from the regency's name. Its
    `head_title`, `head_name` and `head_nip` are those of its first signer."""
    parts = code.split(".")
    candidates = [".".join(parts[:i]) for i in range(len(parts), 0, -1)]
    found = {
        issuer.region.code: issuer
        for issuer in Issuer.objects.select_related("region").filter(
            kind=IssuerKind.OFFICE, region__code__in=candidates
        )
    }
    for candidate in candidates:
        if candidate in found:
            return found[candidate]
    region = Region.objects.filter(code__in=candidates).order_by("-level").first()
    top = _top(region) if region is not None else None
    if top is None:
        return Issuer(kind=IssuerKind.OFFICE, government=_government(None), office="DINAS KOPERASI", city="")
    return default_issuer(IssuerKind.OFFICE, top)


def read_key(issuer: Issuer) -> str:
    """The same before and after the first save."""
    if issuer.kind == IssuerKind.COOPERATIVE:
        return f"documents.issuer:cooperative={issuer.cooperative_pk}"
    return f"documents.issuer:{issuer.kind}:region={issuer.region.code}"


def issuer_token(issuer: Issuer) -> str:
    """The read token (`audit.stale`) of the issuer's letterhead as stored (none saved yet: its empty defaults)."""
    own = issuer if issuer.pk is not None else Issuer(kind=issuer.kind, region=issuer.region)
    return read_token(own, READ_FIELDS, key=read_key(issuer))


def signer_token(signer: Signer) -> str:
    return read_token(signer, SIGNER_FIELDS)


@dataclass(frozen=True)
class EditableIssuer:
    issuer: Issuer  # saved, or the unsaved default
    label: str


KIND_ORDER = [IssuerKind.OFFICE, IssuerKind.KECAMATAN, IssuerKind.DESA, IssuerKind.BPD, IssuerKind.KELURAHAN]


def editable_issuers(user: User | AnonymousUser, *, limit: int = 200) -> list[EditableIssuer]:
    """The issuers `user` may edit: for each region of its role assignments, the bodies its role edits there (a camat:
    its kecamatan; an operator desa: the desa and its BPD, or the kelurahan; admin dinas: its office), then the
    saved cooperative issuers of those villages."""
    if not user.is_authenticated:
        return []
    assignments = user.active_assignments()
    regions = [a.region for a in assignments if a.region is not None]
    if user.is_superuser or any(a.region is None for a in assignments):
        regions = list(Region.objects.filter(level__in=(Level.PROVINSI, Level.KABUPATEN))[:limit])
    saved = {
        (i.kind, i.region_id): i
        for i in Issuer.objects.filter(region__in=regions).exclude(kind=IssuerKind.COOPERATIVE).select_related("region")
    }
    out: list[EditableIssuer] = []
    for region in regions:
        for kind in KIND_ORDER:
            if may_edit_issuer(user, kind, region):
                issuer = saved.get((kind, region.pk)) or default_issuer(kind, region)
                out.append(EditableIssuer(issuer, f"{IssuerKind(kind).label} · {region.display_name}"))
    out += _cooperatives(user, [r for r in regions if r.level == Level.DESA])
    return out[:limit]


def _cooperatives(user: User, villages: list[Region]) -> list[EditableIssuer]:
    if not villages:
        return []
    q = subtree_q(villages[0].code, "region__code")
    for village in villages[1:]:
        q |= subtree_q(village.code, "region__code")
    return [
        EditableIssuer(issuer, f"{issuer.government} · {issuer.region.display_name}")
        for issuer in Issuer.objects.filter(q, kind=IssuerKind.COOPERATIVE).select_related("region")
        if may_edit_issuer(user, issuer.kind, issuer.region)
    ]


def signers_of(issuer: Issuer, *, active_only: bool = True) -> list[Signer]:
    if issuer.pk is None:
        return []
    rows = issuer.signers.all()
    return list(rows.filter(is_active=True) if active_only else rows)


def signer_for(issuer: Issuer, role: str) -> Signer | None:
    """The first active signer of `issuer` in `role` (a SignerRole), or None."""
    if issuer.pk is None:
        return None
    return issuer.signers.filter(role=role, is_active=True).order_by("order", "id").first()


def issued_paper(issuer: Issuer, kind: str, subject_key: str) -> IssuedPaper | None:
    """The paper already issued (number and date frozen), or None."""
    if issuer.pk is None:
        return None
    return IssuedPaper.objects.filter(issuer=issuer, kind=kind, subject_key=subject_key).first()


def register(issuer: Issuer, year: int) -> list[IssuedPaper]:
    """The issuer's agenda surat keluar of `year`, by serial."""
    if issuer.pk is None:
        return []
    return list(IssuedPaper.objects.filter(issuer=issuer, year=year).select_related("issued_by").order_by("serial"))


def register_years(issuer: Issuer) -> list[int]:
    if issuer.pk is None:
        return []
    return sorted(set(IssuedPaper.objects.filter(issuer=issuer).values_list("year", flat=True)), reverse=True)


DRAFT_FIELDS = ["planned_date"]


def _draft_key(issuer: Issuer, kind: str, subject_key: str) -> str:
    return f"{read_key(issuer)}:paper={kind}:{subject_key}"


def _draft(issuer: Issuer, kind: str, subject_key: str) -> PaperDraft | None:
    if issuer.pk is None:
        return None
    return PaperDraft.objects.filter(issuer=issuer, kind=kind, subject_key=subject_key).first()


def draft_token(issuer: Issuer, kind: str, subject_key: str) -> str:
    """The read token of a paper's planned date of issue (the date form on the page that makes the paper)."""
    draft = _draft(issuer, kind, subject_key) or PaperDraft(kind=kind, subject_key=subject_key)
    return read_token(draft, DRAFT_FIELDS, key=_draft_key(issuer, kind, subject_key))


@dataclass(frozen=True)
class PaperState:
    """A paper as printed now. Issued: its register number and frozen date. Not issued (a draft): no number, and
    the date it will carry (the planned date, else the caller's default); `fixed_date`: the date comes from the
    paper's subject (a Berita Acara: the meeting's date) and is not edited."""

    issued: IssuedPaper | None
    date_of_issue: date | None
    fixed_date: bool = False

    @property
    def is_draft(self) -> bool:
        return self.issued is None

    @property
    def number(self) -> str:
        return self.issued.number if self.issued is not None else ""


def paper_state(
    issuer: Issuer, kind: str, subject_key: str, *, default_date: date | None, fixed_date: bool = False
) -> PaperState:
    """Where a paper stands: issued (`issued_paper`), else a draft dated by its planned date (`PaperDraft`; ignored
    when `fixed_date`) or `default_date`."""
    issued = issued_paper(issuer, kind, subject_key)
    if issued is not None:
        return PaperState(issued, issued.date_of_issue, fixed_date)
    draft = None if fixed_date else _draft(issuer, kind, subject_key)
    return PaperState(None, draft.planned_date if draft is not None else default_date, fixed_date)


def signature(signer: Signer | None, *, title: str, fallback_name: str = "") -> dict:
    """One signature block as the papers print it (Permendagri 1/2023 Pasal 44): `title` (the signer's position as
    printed, else the given title), `name` (empty: the paper prints a blank line), `rank` and `nip` (formatted
    8-6-1-3) for civil servants only, `missing` (no active signer recorded: the page that makes the paper says so)."""
    if signer is None:
        return {"title": title, "name": fallback_name, "rank": "", "nip": "", "missing": True}
    civil = signer.is_civil_servant
    return {
        "title": signer.position or title,
        "name": signer.name,
        "rank": signer.rank if civil else "",
        "nip": format_nip(signer.nip) if civil and signer.nip else "",
        "missing": False,
    }


def letterhead_context(issuer: Issuer) -> dict:
    """The kop lines of `issuer` as plain strings (both renderers print them)."""
    return {
        "government": issuer.government,
        "unit_line": issuer.unit_line,
        "office": issuer.office,
        "address": issuer.address,
        "contact": issuer.contact,
        "city": issuer.city,
    }

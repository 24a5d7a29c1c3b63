"""Building blocks of the permission matrix (kopdes/core/tests/test_permission_matrix.py).

An app adds its URLs in `kopdes/<app>/tests/matrix.py`: a dict `ENTRIES` ("namespace:name" -> Entry) and, when its
kwargs need objects, a function `context(role) -> dict` whose result the matrix puts in `ctx[<app>]` for that app's
entries only. The test fails while any named URL of the project is in no matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.accounts.roles import Role
from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme, submit_stage
from kopdes.regions.models import Kind, Level, Region
from kopdes.tests.factories import make_user
from kopdes.tests.samples import PDF_BYTES

ANONYMOUS = "anonymous"
ROLES = (
    "admin_dinas",
    "pimpinan",
    "mitra",
    "camat",
    "operator_desa",
    "pendamping",
    "business_assistant",
    "pmo",
    ANONYMOUS,
)
# Roles that see no region subtree (a BA works on assigned cooperatives, a PMO on the BA reports): every page of
# region-scoped data answers them 404 unless an entry names them.
NO_REGION_SCOPE = ("business_assistant", "pmo")


@dataclass(frozen=True)
class Cast:
    """Who plays a role in the matrix: its fixture, a village inside its scope and a region outside it."""

    fixture: str | None
    inside: str
    outside: str


CAST = {
    "admin_dinas": Cast("admin_dinas", inside=JANJU, outside="64"),
    "pimpinan": Cast("pimpinan", inside=JANJU, outside="64"),
    "mitra": Cast("mitra", inside=JANJU, outside="64"),
    "camat": Cast("camat_batu_sopang", inside=SUNGAI_TERIK, outside=TANAH_GROGOT),
    "operator_desa": Cast("operator_janju", inside=JANJU, outside=SUNGAI_TERIK),
    "pendamping": Cast("pendamping", inside=JANJU, outside=BATU_SOPANG),
    "business_assistant": Cast("business_assistant", inside=JANJU, outside="64"),
    "pmo": Cast("pmo", inside=JANJU, outside="64"),
    ANONYMOUS: Cast(None, inside=JANJU, outside="64"),
}
# A village whose cooperative lies outside the role's scope (for the regency's roles: a village of another regency).
OUTSIDE_VILLAGE = {
    "admin_dinas": "64.02.01.2001",
    "pimpinan": "64.02.01.2001",
    "mitra": "64.02.01.2001",
    "camat": JANJU,
    "operator_desa": SUNGAI_TERIK,
    "pendamping": SUNGAI_TERIK,
    "business_assistant": "64.02.01.2001",
    "pmo": "64.02.01.2001",
    ANONYMOUS: "64.02.01.2001",
}
# The role an account gets on the outside region, by the region's level.
ROLE_ON_LEVEL = {
    Level.PROVINSI: Role.ADMIN_DINAS,
    Level.KABUPATEN: Role.ADMIN_DINAS,
    Level.KECAMATAN: Role.CAMAT,
    Level.DESA: Role.OPERATOR_DESA,
}

Kwargs = Callable[[dict], dict]


def answers(default: int, **by_role: int) -> dict[str, int]:
    """Expected status per role: `default` for every signed-in role unless named, but 404 for the roles without a
    region scope (NO_REGION_SCOPE) unless named; anonymous 302 unless named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {
        role: by_role.get(role, 302 if role == ANONYMOUS else 404 if role in NO_REGION_SCOPE else default)
        for role in ROLES
    }


def everyone(default: int, **by_role: int) -> dict[str, int]:
    """As `answers`, but the roles without a region scope get `default` too: a page of one's own (account,
    notifications, the menu) or a list that is empty for them."""
    base = dict.fromkeys(NO_REGION_SCOPE, default)
    return answers(default, **{**base, **by_role})


def no_kwargs(ctx: dict) -> dict:
    return {}


def region(where: str) -> Kwargs:
    return lambda ctx: {"code": ctx[f"{where}_region"]}


def account(where: str) -> Kwargs:
    return lambda ctx: {"pk": ctx[f"{where}_account"].pk}


@dataclass(frozen=True)
class Entry:
    method: str
    inside: dict[str, int]  # per role, for the in-scope object (or the page, when the URL takes no object)
    outside: dict[str, int] | None = None  # per role, for the out-of-scope object; None: the URL takes no object
    inside_kwargs: Kwargs = no_kwargs
    outside_kwargs: Kwargs | None = None
    # where a signed-in user's 302 leads (a URL name, or the start of an address off the site); anonymous 302s always
    # lead to the login page
    redirects_to: str | None = None
    # a public URL: anonymous users are served like the others instead of being sent to the login page
    public: bool = False


def cooperative(where: str) -> Kwargs:
    return lambda ctx: {"pk": ctx["formation"][where].pk}


def submission(where: str) -> Kwargs:
    return lambda ctx: {"pk": ctx["formation"][where].pk, "submission_pk": ctx["formation"][f"{where}_submission"].pk}


def evidence(where: str) -> Kwargs:
    return lambda ctx: {"pk": ctx["formation"][f"{where}_file"].pk}


def case_action(method: str, inside: dict[str, int]) -> Entry:
    """A page about one cooperative: out of scope it is 404 for everyone."""
    return Entry(
        method,
        inside=inside,
        outside=answers(404),
        inside_kwargs=cooperative("inside"),
        outside_kwargs=cooperative("outside"),
    )


def managers(status: int) -> dict[str, int]:
    return answers(404, admin_dinas=status, camat=status)


def account_action(method: str, status: int, redirects_to: str | None = None) -> Entry:
    """A page about one account: only its managers may open it; an account outside their scope is 404."""
    return Entry(
        method,
        inside=managers(status),
        outside=answers(404),
        inside_kwargs=account("inside"),
        outside_kwargs=account("outside"),
        redirects_to=redirects_to,
    )


def formation_cases(role: str) -> dict:
    """Paser's programme started, plus one village of a made-up neighbouring regency with its own programme; for the
    role's inside and outside village: the cooperative, a pending submission and its evidence file."""
    province = Region.objects.get(code="64")
    kabupaten = Region.objects.create(
        code="64.02", name="Luar", level=Level.KABUPATEN, kind=Kind.KABUPATEN, parent=province
    )
    kecamatan = Region.objects.create(
        code="64.02.01", name="Luar", level=Level.KECAMATAN, kind=Kind.KECAMATAN, parent=kabupaten
    )
    Region.objects.create(code="64.02.01.2001", name="Desa Luar", level=Level.DESA, kind=Kind.DESA, parent=kecamatan)
    office = make_user("matrix.office", Role.ADMIN_DINAS, "64")
    for top in (Region.objects.get(code="64.01"), kabupaten):
        programme = Programme.objects.create(region=top, name=f"P {top.code}", start_date=date(2025, 4, 1))
        start_programme(actor=office, programme=programme)
    cases = {}
    for where, code in (("inside", CAST[role].inside), ("outside", OUTSIDE_VILLAGE[role])):
        case = Cooperative.objects.get(region_code=code)
        pending = submit_stage(
            actor=office,
            cooperative=case,
            version=case.version,
            stage=1,
            evidence_date=date(2025, 5, 2),
            files=[SimpleUploadedFile("foto.pdf", PDF_BYTES, content_type="application/pdf")],
        )
        cases.update({where: case, f"{where}_submission": pending, f"{where}_file": pending.files.get()})
    return cases

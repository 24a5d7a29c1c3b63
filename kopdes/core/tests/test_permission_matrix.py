"""The permission matrix: every named URL × every role × an object inside and outside the role's scope.

Adding a URL? Add its entry to MATRIX (`test_every_named_url_is_in_the_matrix` fails until you do). An entry says which
HTTP method to send, how to build the URL's kwargs for an object inside and outside the user's scope (callables taking
the context dict built by the `ctx` fixture), and the status each role expects. `answers(default, role=status, …)`
keeps entries short: anonymous users are sent to the login page (302) unless the entry says otherwise. Out of scope
answers 404, the same as missing. The `admin` namespace and `api` namespaces are tested apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, resolve, reverse

from kopdes.accounts.roles import Role
from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme, submit_stage
from kopdes.regions.models import Kind, Level, Region
from kopdes.tests.factories import make_user

ANONYMOUS = "anonymous"
ROLES = ("admin_dinas", "pimpinan", "mitra", "camat", "operator_desa", "pendamping", ANONYMOUS)


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
    """Expected status per role: `default` for every signed-in role unless named; anonymous 302 unless named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, 302 if role == ANONYMOUS else default) for role in ROLES}


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
    # where a signed-in user's 302 leads (a URL name); anonymous 302s always lead to the login page
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


MATRIX: dict[str, Entry] = {
    # core
    "core:home": Entry("GET", inside=answers(200)),
    # choosing the interface language: open to everyone, then back to the page (here: home)
    "core:set_language": Entry("POST", inside=answers(302), redirects_to="core:home", public=True),
    # accounts
    "accounts:login": Entry("GET", inside=answers(302, anonymous=200), redirects_to="core:home"),
    "accounts:logout": Entry("POST", inside=answers(302), redirects_to="accounts:login"),
    "accounts:password_change": Entry("GET", inside=answers(200)),
    "accounts:user_list": Entry("GET", inside=managers(200)),
    "accounts:user_create": Entry("GET", inside=managers(200)),
    "accounts:user_detail": account_action("GET", 200),
    "accounts:user_deactivate": account_action("POST", 302, redirects_to="accounts:user_detail"),
    "accounts:user_activate": account_action("POST", 302, redirects_to="accounts:user_detail"),
    "accounts:user_reset_password": account_action("POST", 200),
    # regions: every role in the matrix has one root region, so the index sends it there
    "regions:tree": Entry("GET", inside=answers(302), redirects_to="regions:detail"),
    "regions:detail": Entry(
        "GET",
        inside=answers(200),
        outside=answers(404),
        inside_kwargs=region("inside"),
        outside_kwargs=region("outside"),
    ),
    # audit
    "audit:list": Entry("GET", inside=answers(404, admin_dinas=200)),
    # formation: a cooperative (or its submission, its file) inside and outside the role's scope
    "formation:dashboard_home": Entry("GET", inside=answers(302), redirects_to="formation:dashboard"),
    "formation:dashboard": Entry(
        "GET",
        inside=answers(200),
        outside=answers(404),
        inside_kwargs=region("inside"),
        outside_kwargs=region("outside"),
    ),
    "formation:case_detail": case_action("GET", answers(200)),
    "formation:submit_stage": case_action("GET", answers(200, pimpinan=404, mitra=404)),
    "formation:step_back": case_action("GET", answers(404, admin_dinas=200)),
    "formation:merge": case_action("GET", answers(404, admin_dinas=200)),
    # without a decision nor a reason the office's POST is refused with a message and sent back to the case
    "formation:decide": Entry(
        "POST",
        inside=answers(404, admin_dinas=302),
        outside=answers(404),
        inside_kwargs=submission("inside"),
        outside_kwargs=submission("outside"),
        redirects_to="formation:case_detail",
    ),
    "formation:queue": Entry("GET", inside=answers(404, admin_dinas=200)),
    # documents name people: never for the read-only partner (mitra)
    "formation:evidence_file": Entry(
        "GET",
        inside=answers(200, mitra=404),
        outside=answers(404),
        inside_kwargs=evidence("inside"),
        outside_kwargs=evidence("outside"),
    ),
}


def is_tested_apart(namespace: str) -> bool:
    return namespace == "admin" or namespace == "api" or namespace.startswith("api-")


def named_urls(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """'namespace:name' of every named URL pattern, nested namespaces included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            if namespace and is_tested_apart(namespace):
                continue
            yield from named_urls(pattern, f"{prefix}{namespace}:" if namespace else prefix)
        elif pattern.name:
            yield prefix + pattern.name


def cells() -> Iterator:
    for name, entry in MATRIX.items():
        for role in ROLES:
            for scope in ("inside", "outside") if entry.outside is not None else ("inside",):
                yield pytest.param(name, role, scope, id=f"{name}-{role}-{scope}")


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
            files=[SimpleUploadedFile("foto.pdf", b"%PDF-1.4 matrix", content_type="application/pdf")],
        )
        cases.update({where: case, f"{where}_submission": pending, f"{where}_file": pending.files.get()})
    return cases


@pytest.fixture
def ctx(request, paser, role, name) -> dict:
    """The fixtures a matrix entry may use: the role's user and, for that user, an in-scope and an out-of-scope
    region and account."""
    cast = CAST[role]
    outside = Region.objects.get(code=cast.outside)
    return {
        "role": role,
        "user": request.getfixturevalue(cast.fixture) if cast.fixture else None,
        "inside_region": cast.inside,
        "outside_region": cast.outside,
        "inside_account": make_user("sasaran.dalam", Role.OPERATOR_DESA, cast.inside),
        "outside_account": make_user("sasaran.luar", ROLE_ON_LEVEL[outside.level], cast.outside),
        "formation": formation_cases(role) if name.startswith("formation:") else None,
    }


def test_every_named_url_is_in_the_matrix():
    missing = sorted(set(named_urls()) - set(MATRIX))

    assert not missing, (
        f"URL names missing from MATRIX in {__file__}: {', '.join(missing)}. "
        "Add an entry for each (method, kwargs inside/outside the scope, expected status per role) — every URL is "
        "checked against every role."
    )


def test_matrix_lists_only_urls_that_exist():
    stale = sorted(set(MATRIX) - set(named_urls()))

    assert not stale, f"MATRIX entries without a URL (renamed or removed?): {', '.join(stale)}"


def test_anonymous_is_sent_to_login_everywhere_but_the_login_page():
    lets_anonymous_in = {
        name
        for name, entry in MATRIX.items()
        for statuses in (entry.inside, entry.outside)
        if entry.public or (statuses is not None and statuses[ANONYMOUS] != 302)
    }

    assert lets_anonymous_in == {"accounts:login", "core:set_language"}


@pytest.mark.parametrize("name, role, scope", list(cells()))
def test_permission(client, ctx, name, role, scope):
    entry = MATRIX[name]
    build = entry.inside_kwargs if scope == "inside" else entry.outside_kwargs
    expected = (entry.inside if scope == "inside" else entry.outside)[role]
    if ctx["user"] is not None:
        client.force_login(ctx["user"])

    response = client.generic(entry.method, reverse(name, kwargs=build(ctx)))

    assert response.status_code == expected, f"{entry.method} {name} as {role} ({scope} scope)"
    if expected == 302:
        target = resolve(urlsplit(response.url).path).view_name
        if role == ANONYMOUS and not entry.public:
            assert target == "accounts:login"
        else:
            assert target == entry.redirects_to

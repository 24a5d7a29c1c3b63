"""The permission matrix: every named URL × every role × an object inside and outside the role's scope.

Adding a URL? Add its entry to the app's `tests/matrix.py` (see kopdes/tests/matrix.py; core, accounts, regions and
audit are listed here) — `test_every_named_url_is_in_the_matrix` fails until you do. An entry says which
HTTP method to send, how to build the URL's kwargs for an object inside and outside the user's scope (callables taking
the context dict built by the `ctx` fixture), and the status each role expects. `answers(default, role=status, …)`
keeps entries short: anonymous users are sent to the login page (302) unless the entry says otherwise. Out of scope
answers 404, the same as missing. The `admin` namespace and `api` namespaces are tested apart.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver, resolve, reverse

from kopdes.accounts.roles import Role
from kopdes.regions.models import Region
from kopdes.tests.factories import make_user
from kopdes.tests.matrix import (
    ANONYMOUS,
    CAST,
    ROLE_ON_LEVEL,
    ROLES,
    Entry,
    account_action,
    answers,
    everyone,
    managers,
    region,
)

MATRIX: dict[str, Entry] = {
    # core
    "web:home": Entry("GET", inside=everyone(200)),
    # choosing the interface language: open to everyone, then back to the page (here: home)
    "web:set_language": Entry("POST", inside=everyone(302), redirects_to="web:home", public=True),
    # accounts
    "accounts:login": Entry("GET", inside=everyone(302, anonymous=200), redirects_to="web:home"),
    # the second step of logging in: without a password checked first, back to the first step (for everyone)
    "accounts:login_code": Entry("GET", inside=everyone(302), redirects_to="accounts:login", public=True),
    "accounts:logout": Entry("POST", inside=everyone(302), redirects_to="accounts:login"),
    "accounts:password_change": Entry("GET", inside=everyone(200)),
    # self-service reset by email: open to everyone (it tells no one whether an address has an account)
    "accounts:password_reset": Entry("GET", inside=everyone(200, anonymous=200), public=True),
    "accounts:password_reset_sent": Entry("GET", inside=everyone(200, anonymous=200), public=True),
    "accounts:password_reset_confirm": Entry(
        "GET",
        inside=everyone(200, anonymous=200),
        inside_kwargs=lambda ctx: {"uidb64": "MQ", "token": "x-y"},
        public=True,
    ),
    "accounts:account": Entry("GET", inside=everyone(200)),
    # a confirmation link that is not valid for the user: the page says so (400), nothing is confirmed
    "accounts:confirm_email": Entry("GET", inside=everyone(400), inside_kwargs=lambda ctx: {"token": "bad"}),
    "accounts:second_factor_setup": Entry("GET", inside=everyone(200)),
    # new recovery codes need a second factor first: the account page says so
    "accounts:recovery_codes": Entry("POST", inside=everyone(302), redirects_to="accounts:account"),
    "accounts:second_factor_disable": Entry("GET", inside=everyone(200)),
    "accounts:user_list": Entry("GET", inside=managers(200)),
    "accounts:user_create": Entry("GET", inside=managers(200)),
    "accounts:user_detail": account_action("GET", 200),
    # a manager's action on an account: a POST without the confirmation page's field shows that page
    "accounts:user_deactivate": account_action("POST", 200),
    # the account is active already: nothing to confirm, back to its page with a message
    "accounts:user_activate": account_action("POST", 302, redirects_to="accounts:user_detail"),
    "accounts:user_reset_password": account_action("POST", 200),
    "accounts:user_reset_second_factor": account_action("POST", 200),
    # regions: every role in the matrix has one root region, so the index sends it there
    "web:regions": Entry("GET", inside=answers(302, business_assistant=200, pmo=200), redirects_to="web:region"),
    "web:region": Entry(
        "GET",
        inside=answers(200),
        outside=answers(404),
        inside_kwargs=region("inside"),
        outside_kwargs=region("outside"),
    ),
    # audit
    "web:audit_log": Entry("GET", inside=answers(404, admin_dinas=200)),
    "web:audit_log_xlsx": Entry("GET", inside=answers(404, admin_dinas=200)),
}


def app_matrices() -> Iterator[tuple[str, object]]:
    """(app label, module) of every kopdes app with a tests/matrix.py."""
    for config in apps.get_app_configs():
        if config.name.startswith("kopdes."):
            try:
                yield config.label, importlib.import_module(f"{config.name}.tests.matrix")
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.tests.matrix":
                    raise


MODULES = dict(app_matrices())
OWNER: dict[str, str] = {}  # URL name -> label of the app whose matrix lists it
for _label, _module in MODULES.items():
    for _name, _entry in _module.ENTRIES.items():
        assert _name not in MATRIX, f"{_name} is in two matrices"
        MATRIX[_name] = _entry
        OWNER[_name] = _label


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


@pytest.fixture
def ctx(request, paser, role, name) -> dict:
    """The fixtures a matrix entry may use: the role's user and, for that user, an in-scope and an out-of-scope
    region and account; for an app's URL, what the app's matrix `context(role)` builds, under the app's label."""
    cast = CAST[role]
    outside = Region.objects.get(code=cast.outside)
    owner = OWNER.get(name)
    build_app_objects = getattr(MODULES.get(owner), "context", None)
    return {
        "role": role,
        "user": request.getfixturevalue(cast.fixture) if cast.fixture else None,
        "inside_region": cast.inside,
        "outside_region": cast.outside,
        "inside_account": make_user("sasaran.dalam", Role.OPERATOR_DESA, cast.inside),
        "outside_account": make_user("sasaran.luar", ROLE_ON_LEVEL[outside.level], cast.outside),
        **({owner: build_app_objects(role)} if build_app_objects else {}),
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

    assert lets_anonymous_in == {
        "accounts:login",
        "accounts:login_code",
        "accounts:password_reset",
        "accounts:password_reset_sent",
        "accounts:password_reset_confirm",
        "web:set_language",
        # the public transparency page (no personal data; kopdes/dashboards/tests/test_public.py scans it)
        "dashboards:public_index",
        "dashboards:public",
        "dashboards:public_map_data",
        # the public FAQ: only anonymised texts (kopdes/assistance/tests/test_consultations_faq.py scans it)
        "assistance:faq",
        # the buildings' public pages: steps, counts and the photos the office marked public, re-encoded without
        # metadata (kopdes/buildings/tests/test_photos.py scans them for personal data)
        "buildings:public_list",
        "buildings:public_village",
        "buildings:public_photo",
    }


@pytest.mark.parametrize("name, role, scope", list(cells()))
def test_permission(client, ctx, name, role, scope):
    entry = MATRIX[name]
    build = entry.inside_kwargs if scope == "inside" else entry.outside_kwargs
    expected = (entry.inside if scope == "inside" else entry.outside)[role]
    if ctx["user"] is not None:
        client.force_login(ctx["user"])

    response = client.generic(entry.method, reverse(name, kwargs=build(ctx)))

    assert response.status_code == expected, f"{entry.method} {name} as {role} ({scope} scope)"
    if ctx["user"] is not None:
        # pages for a signed-in user carry names and NIKs: no browser or proxy cache may keep them
        assert "no-store" in response.get("Cache-Control", ""), f"{name} as {role}: Cache-Control without no-store"
    if expected == 302:
        if role == ANONYMOUS and not entry.public:
            assert resolve(urlsplit(response.url).path).view_name == "accounts:login"
        elif entry.redirects_to.startswith("https://"):  # off the site (a share link)
            assert response.url.startswith(entry.redirects_to)
        else:
            assert resolve(urlsplit(response.url).path).view_name == entry.redirects_to

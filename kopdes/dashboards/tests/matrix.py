"""The dashboards URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py)."""

from kopdes.tests.matrix import Entry, answers, formation_cases, region


def _table(where: str, table: str = "tren"):
    return lambda ctx: {"code": ctx[f"{where}_region"], "table": table}


def _public(code: str):
    return lambda ctx: {"code": code}


def scoped(**extra) -> Entry:
    """A page about one region: in scope 200, outside (or missing) 404."""
    return Entry(
        "GET",
        inside=answers(200),
        outside=answers(404),
        inside_kwargs=extra.get("inside", region("inside")),
        outside_kwargs=extra.get("outside", region("outside")),
    )


def public(inside: int = 200) -> Entry:
    """Open to everyone, anonymous included: Paser's programme inside, a region no programme covers outside."""
    everyone = {role: inside for role in answers(inside)}
    return Entry(
        "GET",
        inside=everyone,
        outside={role: 404 for role in everyone},
        inside_kwargs=_public("64.01"),
        outside_kwargs=_public("64"),
        public=True,
    )


ENTRIES: dict[str, Entry] = {
    "dashboards:home": Entry(
        "GET", inside=answers(302, business_assistant=200, pmo=200), redirects_to="dashboards:region"
    ),
    "dashboards:region": scoped(),
    "dashboards:villages_xlsx": scoped(),
    # names of people: not for the read-only partner
    "dashboards:untrained_board": Entry("GET", inside=answers(200, mitra=404)),
    "dashboards:whatsapp": Entry(
        "GET",
        inside=answers(302),
        outside=answers(404),
        inside_kwargs=region("inside"),
        outside_kwargs=region("outside"),
        redirects_to="https://wa.me/?text=",
    ),
    # the national dashboard: only for users whose scope is the nation (none of the matrix's roles)
    "dashboards:national": Entry("GET", inside=answers(404)),
    "dashboards:national_csv": Entry("GET", inside=answers(404), inside_kwargs=lambda ctx: {"table": "tren"}),
    "dashboards:csv": scoped(inside=_table("inside"), outside=_table("outside")),
    "dashboards:map": scoped(),
    "dashboards:map_data": scoped(),
    "dashboards:public_index": Entry("GET", inside={role: 200 for role in answers(200)}, public=True),
    "dashboards:public": public(),
    "dashboards:public_map_data": public(),
}


def context(role: str) -> dict:
    return formation_cases(role)

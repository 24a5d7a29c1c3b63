"""The buildings' URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py).

Seeing follows the cooperative (out of scope: 404). Land steps: the village operator and the office; the building's use
(step 3 onward): the pengurus and the pendamping; verifying and the instalment plan: the office
(kopdes/buildings/policy.py)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.accounts.models import User
from kopdes.audit.stale import read_token
from kopdes.buildings import services
from kopdes.buildings.models import Building
from kopdes.buildings.selectors import step_state, token_key
from kopdes.buildings.workflow import LAND_PROPOSED
from kopdes.tests.matrix import Entry, answers, everyone, formation_cases, no_kwargs
from kopdes.tests.samples import PDF_BYTES


def _coop(where: str, step: int | None = None):
    def kwargs(ctx):
        found = {"pk": ctx["buildings"][where]["cooperative"].pk}
        return {**found, "step": step} if step else found

    return kwargs


def _submission(where: str):
    return lambda ctx: {"pk": ctx["buildings"][where]["submission"].pk}


def _file(where: str):
    return lambda ctx: {"pk": ctx["buildings"][where]["file"].pk}


def _entry(method, inside, kwargs, redirects_to=None) -> Entry:
    return Entry(
        method,
        inside=inside,
        outside=answers(404),
        inside_kwargs=kwargs("inside"),
        outside_kwargs=kwargs("outside"),
        redirects_to=redirects_to,
    )


ENTRIES: dict[str, Entry] = {
    # the cooperatives in the user's scope: a BA's assigned ones, an empty list for a PMO
    "buildings:list": Entry("GET", inside=everyone(200), inside_kwargs=no_kwargs),
    "buildings:detail": _entry("GET", answers(200), _coop),
    "buildings:submit_step": _entry(
        "GET", answers(404, admin_dinas=200, operator_desa=200), lambda where: _coop(where, LAND_PROPOSED)
    ),
    "buildings:instalments": _entry("GET", answers(404, admin_dinas=200), _coop),
    "buildings:verify_item": _entry("GET", answers(404, admin_dinas=200), _submission),
    # no decision chosen and no reason: refused with a message, back to the evidence
    "buildings:decide": _entry(
        "POST", answers(404, admin_dinas=302), _submission, redirects_to="buildings:verify_item"
    ),
    "buildings:evidence_file": _entry("GET", answers(200), _file),
}


def context(role: str) -> dict:
    cases = formation_cases(role)
    office = User.objects.get(username="matrix.office")
    built = {}
    for where in ("inside", "outside"):
        cooperative = cases[where]
        token = read_token(
            Building(), [], extra=step_state(Building(), LAND_PROPOSED), key=token_key(cooperative.pk, LAND_PROPOSED)
        )
        submission = services.submit_step(
            actor=office,
            cooperative=cooperative,
            step=LAND_PROPOSED,
            token=token,
            evidence_date=date(2026, 1, 6),
            data={"land_owner": "village", "land_certificate": f"SHM {cooperative.pk}", "land_area_m2": "600"},
            files=[SimpleUploadedFile("surat.pdf", PDF_BYTES, content_type="application/pdf")],
        )
        built[where] = {"cooperative": cooperative, "submission": submission, "file": submission.files.get()}
    return built

"""The buildings' URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py).

Seeing follows the cooperative (out of scope: 404). Land steps: the village operator and the office; the building's use
(step 3 onward): the pengurus and the pendamping; verifying and the instalment plan: the office
(kopdes/buildings/policy.py)."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.accounts.models import User
from kopdes.audit.stale import read_token
from kopdes.buildings import services
from kopdes.buildings.models import Building, EvidenceFile
from kopdes.buildings.selectors import step_state, token_key
from kopdes.buildings.workflow import LAND_PROPOSED
from kopdes.tests.matrix import Entry, answers, everyone, formation_cases, no_kwargs, region
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES


def _coop(where: str, step: int | None = None):
    def kwargs(ctx):
        found = {"pk": ctx["buildings"][where]["cooperative"].pk}
        return {**found, "step": step} if step else found

    return kwargs


def _submission(where: str):
    return lambda ctx: {"pk": ctx["buildings"][where]["submission"].pk}


def _file(where: str):
    return lambda ctx: {"pk": ctx["buildings"][where]["file"].pk}


def _photo(where: str):
    return lambda ctx: {"pk": ctx["buildings"][where]["photo"].pk}


def _public(inside, outside) -> Entry:
    everyone = {role: 200 for role in answers(200)}
    return Entry(
        "GET",
        inside=everyone,
        outside={role: 404 for role in everyone},
        inside_kwargs=inside,
        outside_kwargs=outside,
        public=True,
    )


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
    # the office shows a photo on the public pages; no token posted: refused with a message, back to the evidence
    "buildings:photo_public": _entry(
        "POST", answers(404, admin_dinas=302), _photo, redirects_to="buildings:verify_item"
    ),
    # public pages, anonymous included: Paser (a regency with a programme) inside, the province outside
    "buildings:public_list": _public(lambda ctx: {"code": "64.01"}, lambda ctx: {"code": "64"}),
    # a village with its cooperative inside; a kecamatan code (no village) outside
    "buildings:public_village": _public(
        lambda ctx: {"code": ctx["buildings"]["inside"]["cooperative"].region_code}, lambda ctx: {"code": "64.01.01"}
    ),
    # the photo marked public inside; a photo nobody marked public outside
    "buildings:public_photo": _public(_photo("inside"), _photo("outside")),
    # the dashboard and its exports: a region in scope 200, outside (or missing) 404; the home goes to the one region
    "buildings:dashboard_home": Entry("GET", inside=answers(302), redirects_to="buildings:dashboard"),
    **{
        f"buildings:{name}": Entry(
            "GET",
            inside=answers(200),
            outside=answers(404),
            inside_kwargs=region("inside"),
            outside_kwargs=region("outside"),
        )
        for name in ("dashboard", "dashboard_map", "dashboard_xlsx", "dashboard_pdf")
    },
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
            files=[
                SimpleUploadedFile("surat.pdf", PDF_BYTES, content_type="application/pdf"),
                SimpleUploadedFile("lahan.jpg", JPEG_BYTES, content_type="image/jpeg"),
            ],
        )
        photo = submission.files.get(content_type="image/jpeg")
        if where == "inside":
            EvidenceFile.objects.filter(pk=photo.pk).update(is_public=True)
        built[where] = {
            "cooperative": cooperative,
            "submission": submission,
            "file": submission.files.get(content_type="application/pdf"),
            "photo": photo,
        }
    return built

"""The import URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py).

Only the office's administrators import; everyone else gets 404, as on the verification queue. A cooperative or an
upload outside the administrator's regency is 404 too."""

from django.utils import timezone

from kopdes.accounts.models import User
from kopdes.imports.models import BatchStatus, ImportBatch, ImportKind
from kopdes.tests.matrix import Entry, answers, formation_cases

OFFICE = answers(404, admin_dinas=200)


def _cooperative(where):
    return lambda ctx: {"cooperative_pk": ctx["imports"][where].pk}


def _batch(where):
    return lambda ctx: {"pk": ctx["imports"][f"{where}_batch"].pk}


def _on_batch(method: str) -> Entry:
    """An action on an upload that the office is refused (with a message, sent back to the upload); 404 for others."""
    return Entry(
        method,
        inside=answers(404, admin_dinas=302),
        outside=answers(404),
        inside_kwargs=_batch("inside"),
        outside_kwargs=_batch("outside"),
        redirects_to="imports:batch",
    )


ENTRIES: dict[str, Entry] = {
    "imports:village_status": Entry("GET", inside=OFFICE),
    "imports:buildings": Entry("GET", inside=OFFICE),
    "imports:members_template": Entry("GET", inside=OFFICE),
    "imports:members": Entry(
        "GET",
        inside=OFFICE,
        outside=answers(404),
        inside_kwargs=_cooperative("inside"),
        outside_kwargs=_cooperative("outside"),
    ),
    "imports:batch": Entry(
        "GET", inside=OFFICE, outside=answers(404), inside_kwargs=_batch("inside"), outside_kwargs=_batch("outside")
    ),
    # an upload already imported: the office's confirmation is refused with a message and sent back to the upload
    "imports:confirm": _on_batch("POST"),
    # an upload already imported: its columns are not mapped again (a message, back to the upload)
    "imports:map_columns": _on_batch("POST"),
    # an upload without errors: no rows left out to download (a message, back to the upload)
    "imports:left_out": _on_batch("GET"),
    # an upload already imported: the labels are not decided again (a message, back to the upload)
    "imports:decide_labels": _on_batch("POST"),
    # bulk accounts and the users' sheet: the account managers (the office and the camat), 404 for everyone else
    "imports:accounts_template": Entry("GET", inside=answers(404, admin_dinas=200, camat=200)),
    "imports:accounts_upload": Entry("GET", inside=answers(404, admin_dinas=200, camat=200)),
    # a confirmation without a signed, checked preview: refused (400), nothing created
    "imports:accounts_confirm": Entry("POST", inside=answers(404, admin_dinas=400, camat=400)),
    "imports:users_xlsx": Entry("GET", inside=answers(404, admin_dinas=200, camat=200)),
}


def context(role: str) -> dict:
    cases = formation_cases(role)
    office = User.objects.get(username="matrix.office")
    for where in ("inside", "outside"):
        cooperative = cases[where]
        cases[f"{where}_batch"] = ImportBatch.objects.create(
            kind=ImportKind.MEMBERS,
            file="imports/matrix.xlsx",
            original_name="matrix.xlsx",
            sha256="0" * 64,
            cooperative=cooperative,
            region_code=cooperative.region_code,
            uploaded_by=office,
            uploaded_at=timezone.now(),
            status=BatchStatus.APPLIED,
            summary={"new": 0, "changed": 0, "unchanged": 0, "errors": 0, "warnings": 0, "messages": []},
        )
    return cases

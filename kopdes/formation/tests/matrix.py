"""The formation URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py)."""

from kopdes.tests.matrix import Entry, answers, case_action, evidence, formation_cases, submission

ENTRIES: dict[str, Entry] = {
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


# The facilitator team and the Musdesus: names of people (never for mitra); recording them needs the edit capability.
PEOPLE = answers(200, mitra=404)
EDITORS = answers(200, pimpinan=404, mitra=404)
ENTRIES.update(
    {
        "formation:team": case_action("GET", PEOPLE),
        "formation:musdesus": case_action("GET", PEOPLE),
        "formation:musdesus_schedule": case_action("GET", EDITORS),
        "formation:musdesus_attendance": case_action("GET", EDITORS),
        "formation:musdesus_decisions": case_action("GET", EDITORS),
        "formation:musdesus_scan": case_action("GET", EDITORS),
        "formation:musdesus_document": Entry(
            "GET",
            inside=PEOPLE,
            outside=answers(404),
            inside_kwargs=lambda ctx: {"pk": ctx["formation"]["inside"].pk, "slug": "undangan", "fmt": "docx"},
            outside_kwargs=lambda ctx: {"pk": ctx["formation"]["outside"].pk, "slug": "undangan", "fmt": "docx"},
        ),
        # a numbered paper's page (date of issue, issue): editors only
        "formation:musdesus_paper": Entry(
            "GET",
            inside=EDITORS,
            outside=answers(404),
            inside_kwargs=lambda ctx: {"pk": ctx["formation"]["inside"].pk, "slug": "undangan"},
            outside_kwargs=lambda ctx: {"pk": ctx["formation"]["outside"].pk, "slug": "undangan"},
        ),
        "formation:musdesus_issue": Entry(
            "POST",
            inside=answers(302, pimpinan=404, mitra=404),
            outside=answers(404),
            inside_kwargs=lambda ctx: {"pk": ctx["formation"]["inside"].pk, "slug": "sk-tim"},
            outside_kwargs=lambda ctx: {"pk": ctx["formation"]["outside"].pk, "slug": "sk-tim"},
            redirects_to="formation:musdesus_paper",
        ),
    }
)


def context(role: str) -> dict:
    return formation_cases(role)


def _pending(where: str):
    return lambda ctx: {"pk": ctx["formation"][f"{where}_submission"].pk}


ENTRIES.update(
    {
        # one waiting submission at a glance: the office only (others and out of scope: 404)
        "formation:verify_item": Entry(
            "GET",
            inside=answers(404, admin_dinas=200),
            outside=answers(404),
            inside_kwargs=_pending("inside"),
            outside_kwargs=_pending("outside"),
        ),
        # nothing chosen: refused with a message, back to the queue
        "formation:verify_many": Entry("POST", inside=answers(404, admin_dinas=302), redirects_to="formation:queue"),
    }
)

"""The consultations URLs of the assistance app in the permission matrix (merged in matrix.py).

Who reads a question: its asker, the pendamping and camat of its village and the office; pimpinan and the partner
(mitra) do not. Who asks: operator desa, camat, pengurus. Who answers: pendamping and the office. The FAQ is public.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.accounts.models import User
from kopdes.accounts.roles import Role
from kopdes.assistance.services.consultations import ask_question
from kopdes.regions.models import Kind, Level, Region
from kopdes.tests.factories import make_user
from kopdes.tests.matrix import CAST, OUTSIDE_VILLAGE, Entry, answers, everyone
from kopdes.tests.samples import PDF_BYTES


def _question(where):
    return lambda ctx: {"pk": ctx["assistance"][f"{where}_question"]}


def _attachment(where):
    return lambda ctx: {"pk": ctx["assistance"][f"{where}_attachment"]}


READERS = answers(200, pimpinan=404, mitra=404)


def _on(kwargs, inside, method="GET", redirects_to=None) -> Entry:
    return Entry(
        method,
        inside=inside,
        outside=answers(404),
        inside_kwargs=kwargs("inside"),
        outside_kwargs=kwargs("outside"),
        redirects_to=redirects_to,
    )


ENTRIES: dict[str, Entry] = {
    # the pendamping and the office are sent to their inbox
    "assistance:question_list": Entry(
        "GET",
        inside=answers(404, camat=200, operator_desa=200, pendamping=302, admin_dinas=302),
        redirects_to="assistance:inbox",
    ),
    # the camat reads its kecamatan's questions there (without answering)
    "assistance:inbox": Entry("GET", inside=answers(404, admin_dinas=200, pendamping=200, camat=200)),
    "assistance:ask": Entry("GET", inside=answers(404, camat=200, operator_desa=200)),
    "assistance:question_detail": _on(_question, READERS),
    # an empty message: the asker and who answers get the form back (400); the camat reads but may not write
    "assistance:post_message": _on(_question, answers(404, admin_dinas=400, operator_desa=400, pendamping=400), "POST"),
    # without an action every reader is sent back to the question with a message
    "assistance:change_status": _on(
        _question, answers(302, pimpinan=404, mitra=404), "POST", "assistance:question_detail"
    ),
    "assistance:publish": _on(_question, answers(404, admin_dinas=200)),
    "assistance:attachment": _on(_attachment, READERS),
    "assistance:faq": Entry("GET", inside=everyone(200, anonymous=200), public=True),
}


def _village(code: str) -> Region:
    """A village; the made-up neighbouring regency's one is created when missing."""
    if code.startswith("64.02") and not Region.objects.filter(code=code).exists():
        province = Region.objects.get(code="64")
        kabupaten, _ = Region.objects.get_or_create(
            code="64.02",
            defaults={"name": "Luar", "level": Level.KABUPATEN, "kind": Kind.KABUPATEN, "parent": province},
        )
        kecamatan, _ = Region.objects.get_or_create(
            code="64.02.01",
            defaults={"name": "Luar", "level": Level.KECAMATAN, "kind": Kind.KECAMATAN, "parent": kabupaten},
        )
        Region.objects.create(code=code, name="Desa Luar", level=Level.DESA, kind=Kind.DESA, parent=kecamatan)
    return Region.objects.get(code=code)


def context(role):
    """A question with a PDF about the role's inside village (for a village operator: asked by that operator) and one
    about a village outside its scope."""
    found = {}
    for where, code in (("inside", CAST[role].inside), ("outside", OUTSIDE_VILLAGE[role])):
        village = _village(code)
        if where == "inside" and role == "operator_desa":
            asker = User.objects.get(username="operator.janju")
        else:
            asker = make_user(f"matrix.asker.{where}", Role.OPERATOR_DESA, code)
        question = ask_question(
            actor=asker,
            village=village,
            category="legal",
            subject="Akta notaris",
            text="Bagaimana?",
            files=[SimpleUploadedFile("akta.pdf", PDF_BYTES, content_type="application/pdf")],
        )
        found[f"{where}_question"] = question.pk
        found[f"{where}_attachment"] = question.attachments.get().pk
    return found

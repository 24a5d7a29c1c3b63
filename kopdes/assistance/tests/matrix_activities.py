"""The activities URLs of the assistance app in the permission matrix (merged in matrix.py).

Trainings are read by everyone whose scope holds an invited village (the read-only partner, mitra, sees no names and
prints no certificates); the office creates them, the office and the pendamping record attendance. Visits name people:
mitra reads none; only a pendamping records them; whoever edits the village marks a follow-up done."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.accounts.roles import Role
from kopdes.assistance.services import activities as services
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.regions.models import Kind, Level, Region
from kopdes.tests.factories import make_user
from kopdes.tests.matrix import CAST, Entry, answers, no_kwargs
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES

OUTSIDE_VILLAGE = "64.02.01.2001"  # a village of a made-up neighbouring regency: outside every role's scope


def _obj(kind):
    return {
        "inside_kwargs": lambda ctx: {"pk": ctx["assistance"][f"inside_{kind}"]},
        "outside_kwargs": lambda ctx: {"pk": ctx["assistance"][f"outside_{kind}"]},
    }


def _on(kind, inside, method="GET", redirects_to=None):
    return Entry(method, inside=inside, outside=answers(404), redirects_to=redirects_to, **_obj(kind))


READ = answers(200)
PEOPLE = answers(200, mitra=404)
RECORDERS = answers(404, admin_dinas=200, pendamping=200)

NO_SCOPE_LISTS = {"business_assistant": 200, "pmo": 200}
ENTRIES: dict[str, Entry] = {
    "assistance:dashboard": Entry(
        "GET", inside={**READ, "business_assistant": 200, "pmo": 200}, inside_kwargs=no_kwargs
    ),
    "assistance:training_list": Entry("GET", inside={**READ, "business_assistant": 200, "pmo": 200}),
    "assistance:training_create": Entry("GET", inside=answers(404, admin_dinas=200, pendamping=200)),
    "assistance:training_detail": _on("training", READ),
    # edit and cancel: the office only; the GET of the form (the POST is in test_training_edit.py)
    "assistance:training_edit": _on("training", answers(404, admin_dinas=200)),
    "assistance:training_cancel": _on("training", answers(404, admin_dinas=200)),
    "assistance:training_attendance": _on("training", RECORDERS),
    "assistance:material_upload": _on("training", answers(404, admin_dinas=200)),
    "assistance:training_certificates": _on("training", PEOPLE),
    "assistance:material_file": _on("material", READ),
    "assistance:attendee_certificate": _on("attendee", PEOPLE),
    "assistance:attendee_withdraw": _on(
        "attendee", answers(404, admin_dinas=302, pendamping=302), "POST", "assistance:training_detail"
    ),
    "assistance:visit_list": Entry("GET", inside=PEOPLE),
    "assistance:visit_create": Entry("GET", inside=answers(404, pendamping=200)),
    "assistance:visit_detail": _on("visit", PEOPLE),
    "assistance:visit_photo": _on("photo", PEOPLE),
    # edit and cancel: the pendamping who recorded it (the matrix's own pendamping, not the cast's) or the office
    "assistance:visit_edit": _on("visit", answers(404, admin_dinas=200)),
    "assistance:visit_cancel": _on("visit", answers(404, admin_dinas=200)),
    "assistance:follow_up_done": _on(
        "follow_up",
        answers(302, pimpinan=404, mitra=404),
        "POST",
        "assistance:visit_detail",
    ),
}

JPEG = JPEG_BYTES


def _outside_regency() -> None:
    """The neighbouring regency (get_or_create: the consultations matrix may build it too)."""
    province = Region.objects.get(code="64")
    kabupaten, _ = Region.objects.get_or_create(
        code="64.02", defaults={"name": "Luar", "level": Level.KABUPATEN, "kind": Kind.KABUPATEN, "parent": province}
    )
    kecamatan, _ = Region.objects.get_or_create(
        code="64.02.01",
        defaults={"name": "Luar", "level": Level.KECAMATAN, "kind": Kind.KECAMATAN, "parent": kabupaten},
    )
    Region.objects.get_or_create(
        code=OUTSIDE_VILLAGE,
        defaults={"name": "Desa Luar", "level": Level.DESA, "kind": Kind.DESA, "parent": kecamatan},
    )


def context(role):
    """A Paser training inviting Janju and Sungai Terik (an attendee of each) and one in the neighbouring regency; a
    visit with a follow-up and a photo in the role's own village and one in the neighbouring regency."""
    _outside_regency()
    office = make_user("matrix.activities.office", Role.ADMIN_DINAS, "64")
    pendamping = make_user("matrix.activities.pendamping", Role.PENDAMPING, "64")
    inside_village = CAST[role].inside
    found = {}
    for where, regency, villages in (
        ("inside", "64.01", [JANJU, SUNGAI_TERIK]),
        ("outside", "64.02", [OUTSIDE_VILLAGE]),
    ):
        training = services.create_training(
            actor=office,
            region=Region.objects.get(code=regency),
            topic="Tata kelola koperasi",
            start_date=date(2025, 8, 1),
            end_date=None,
            place="Aula",
            trainer="Narasumber",
            organiser="Dinas",
            village_codes=villages,
        )
        attendees = services.record_attendance(
            actor=office,
            training=training,
            rows=[
                services.AttendeeRow(name=f"Peserta {code}", role="pengurus", village_code=code) for code in villages
            ],
        )
        attendee = next(
            a for a in attendees if a.village_code == (inside_village if where == "inside" else OUTSIDE_VILLAGE)
        )
        material = services.upload_material(
            actor=office,
            training=training,
            title="Materi",
            uploaded=SimpleUploadedFile("materi.pdf", PDF_BYTES, content_type="application/pdf"),
        )
        visit = services.record_visit(
            actor=pendamping,
            village=Region.objects.get(code=inside_village if where == "inside" else OUTSIDE_VILLAGE),
            visit_date=date(2025, 8, 2),
            purpose="Pendampingan RAT",
            findings="Buku kas belum rapi",
            follow_ups=[
                services.FollowUpRow(text="Rapikan buku kas", owner_name="Bendahara", due_date=date(2025, 8, 9))
            ],
            photos=[SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg")],
        )
        found.update(
            {
                f"{where}_training": training.pk,
                f"{where}_attendee": attendee.pk,
                f"{where}_material": material.pk,
                f"{where}_visit": visit.pk,
                f"{where}_follow_up": visit.follow_ups.get().pk,
                f"{where}_photo": visit.photos.get().pk,
            }
        )
    return found

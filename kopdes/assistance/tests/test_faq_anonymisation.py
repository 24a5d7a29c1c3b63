"""The public FAQ's anonymisation: phone numbers whatever their separators; the full names of the people
the system knows in the village removed automatically; their single-word names put to the publisher, who confirms
each; village names, amounts, dates and ordinary words kept; publishing refused while known personal data remain.

Reads the fixture `kopdes/tests/fixtures/cases/faq-phone-separators.txt` (the field case, made up)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.assistance import consultations_text as text
from kopdes.assistance.selectors import consultations as selectors
from kopdes.assistance.services import consultations as services
from kopdes.audit.models import AuditEntry
from kopdes.conftest import CASES, JANJU, SUNGAI_TERIK
from kopdes.cooperatives import services as registry
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik
from kopdes.formation.known_people import known_people
from kopdes.formation.models import FacilitatorMember, FacilitatorTeam, Musdesus, Participant, ParticipantKind
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the fixture, reused)
from kopdes.formation.tests.helpers import case_for
from kopdes.regions.models import Region
from kopdes.tests.factories import make_user

FIELD_CASE = CASES / "faq-phone-separators.txt"


def ask_and_answer(operator, pendamping, question_text: str, answer: str = "Silakan datang ke kantor desa."):
    question = services.ask_question(
        actor=operator,
        village=Region.objects.get(code=JANJU),
        category="other",
        subject="Pertanyaan",
        text=question_text,
    )
    services.post_message(actor=pendamping, question=question, text=answer)
    question.refresh_from_db()
    return question


# --- phone numbers ------------------------------------------------------------------------------------------------


def test_the_field_case_loses_both_numbers_in_the_draft_and_cannot_be_published_as_written(
    operator_janju, pendamping, admin_dinas
):
    written = FIELD_CASE.read_text(encoding="utf-8").strip()
    assert "0812 - 3456 - 7890" in written and "0812–3456–7891" in written  # the case as the field wrote it
    question = ask_and_answer(operator_janju, pendamping, written)

    draft = selectors.public_draft(question)

    assert draft["public_question"].count("[telepon]") == 2
    for digits in ("0812", "3456", "7890", "7891"):
        assert digits not in draft["public_question"]
    assert "bagaimana cara daftar anggota?" in draft["public_question"]
    with pytest.raises(ValidationError) as refused:
        services.publish_question(
            actor=admin_dinas, question=question, public_question=written, public_answer=draft["public_answer"]
        )
    assert "public_question" in refused.value.message_dict
    services.publish_question(actor=admin_dinas, question=question, **draft)
    question.refresh_from_db()
    assert question.published_at is not None


@pytest.mark.parametrize(
    "number",
    [
        "0812 3456 7890",  # spaces
        "0812-3456-7890",  # hyphens
        "0812 - 3456 - 7890",  # spaced hyphens
        "0812–3456–7890",  # en dashes
        "0812 — 3456 — 7890",  # spaced em dashes
        "0812.3456.7890",  # dots
        "(0812) 3456 7890",  # brackets
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "(+62) 812 3456 7890",
        "+6281234567890",
        "62 812 3456 7890",
        "6281234567890",
        "081234567890",
        "0812 345 678",  # a ten-digit mobile
        "(0543) 21234",  # Paser's area code, a landline
        "021-5551234",
    ],
)
def test_a_phone_number_is_removed_whatever_the_separators(number):
    redacted = text.redact(f"Hubungi {number} (WA) ya.")

    assert redacted == "Hubungi [telepon] (WA) ya." or redacted == "Hubungi [telepon] ya."
    assert text.personal_data_left(f"Hubungi {number}")


@pytest.mark.parametrize(
    "kept",
    [
        "Simpanan pokok Rp 100.000 dan modal awal Rp 10.000.000,00",
        "Iuran Rp 50.000 - 100.000 per bulan",
        "Musdesus tanggal 05-06-2025, periode 2025 - 2026",
        "SK nomor 12/2025",
        "Koperasi Desa Merah Putih Seniung Jaya sudah berbadan hukum",
    ],
)
def test_amounts_dates_village_names_and_ordinary_words_are_not_personal_data(kept):
    assert text.redact(kept) == kept
    assert not text.personal_data_left(kept)


# --- people known in the village -------------------------------------------------------------------------------------


@pytest.fixture
def janju_people(programme, admin_dinas, operator_janju, pendamping):  # noqa: F811
    """Janju's cooperative with a member, a board seat, Musdesus papers and a facilitator team; an account scoped
    there; and a single-word member name that is also a word of another village's name (Seniung Jaya)."""
    # the thread's accounts get fixed names (the factory's are random and could meet a word of the texts)
    for user, name in ((operator_janju, "Siti Aminah"), (pendamping, "Yohanes Kurniawan")):
        user.full_name = name
        user.save()
    cooperative = case_for(JANJU)
    registry.add_member(
        actor=admin_dinas, cooperative=cooperative, nik=nik(TANAH_GROGOT_NIK, date(1980, 3, 12)), name="Budi Santoso"
    )
    registry.add_member(
        actor=admin_dinas, cooperative=cooperative, nik=nik(TANAH_GROGOT_NIK, date(1979, 1, 2), serial=2), name="Jaya"
    )
    registry.add_seat(actor=admin_dinas, cooperative=cooperative, organ="pengurus", name="  RAHMAT   HIDAYAT ")
    musdesus = Musdesus.objects.create(cooperative=cooperative)
    Participant.objects.create(musdesus=musdesus, kind=ParticipantKind.ATTENDEE, name="Dewi Lestari")
    team = FacilitatorTeam.objects.create(cooperative=cooperative, village_head_name="Ahmad Yani")
    FacilitatorMember.objects.create(team=team, name="Rina Marlina", element="bpd")
    make_user("pengurus.janju", Role.PENGURUS, JANJU, full_name="Suryani Putri")
    # a person of another village is not Janju's
    registry.add_member(
        actor=admin_dinas,
        cooperative=case_for(SUNGAI_TERIK),
        nik=nik("640101", date(1985, 5, 5)),
        name="Andi Wijaya",
    )
    return cooperative


QUESTION = (
    "Budi Santoso, RAHMAT hidayat dan dewi  lestari bertanya: apakah Koperasi Seniung Jaya sudah berbadan hukum? "
    "Kata Pak Kades Ahmad Yani, Rina Marlina dan Suryani Putri sudah mengirim berkas. Jaya juga ikut. "
    "Andi Wijaya dari Sungai Terik juga bertanya."
)


def test_known_people_of_a_village_come_from_every_app_that_holds_them(janju_people):
    names = {name.casefold() for name in known_people(JANJU)}

    for person in (
        "Budi Santoso",
        "Jaya",
        "RAHMAT HIDAYAT",
        "Dewi Lestari",
        "Ahmad Yani",
        "Rina Marlina",
        "Suryani Putri",
    ):
        assert person.casefold() in names, person
    assert "andi wijaya" not in names


def test_full_names_of_known_people_go_and_single_names_are_put_to_the_publisher(
    janju_people, operator_janju, pendamping
):
    question = ask_and_answer(operator_janju, pendamping, QUESTION, answer="Budi Santoso silakan ke kantor dinas.")

    draft = selectors.public_draft(question)

    asked, answered = draft["public_question"], draft["public_answer"]
    for person in ("Budi", "Santoso", "RAHMAT", "hidayat", "dewi", "lestari", "Ahmad", "Yani", "Rina", "Suryani"):
        assert person not in asked, person
    assert answered == "[nama] silakan ke kantor dinas."
    assert "Koperasi Seniung Jaya sudah berbadan hukum" in asked  # a village name and ordinary words survive
    assert "Andi Wijaya dari Sungai Terik" in asked  # not a person of Janju
    assert selectors.names_to_confirm(question, asked, answered) == ["Jaya"]


def test_publishing_is_refused_while_a_known_full_name_is_left_whatever_its_case_or_spacing(
    janju_people, operator_janju, pendamping, admin_dinas
):
    question = ask_and_answer(operator_janju, pendamping, "Bagaimana cara mendaftar?")

    with pytest.raises(ValidationError) as refused:
        services.publish_question(
            actor=admin_dinas,
            question=question,
            public_question="Bagaimana cara mendaftar?",
            public_answer="Tanya ke  budi\nSANTOSO di kantor.",
        )

    assert set(refused.value.message_dict) == {"public_answer"}
    question.refresh_from_db()
    assert question.published_at is None


def test_a_single_word_name_must_be_confirmed_one_by_one(janju_people, operator_janju, pendamping, admin_dinas):
    question = ask_and_answer(operator_janju, pendamping, "Apakah Jaya boleh jadi pengurus?")
    public = {"public_question": "Apakah Jaya boleh jadi pengurus?", "public_answer": "Boleh, bila anggota."}

    with pytest.raises(ValidationError) as refused:
        services.publish_question(actor=admin_dinas, question=question, **public, confirmed_names=["Budi"])

    assert "Jaya" in refused.value.message_dict["confirmed_names"][0]
    question.refresh_from_db()
    assert question.published_at is None

    services.publish_question(actor=admin_dinas, question=question, **public, confirmed_names=["jaya"])

    question.refresh_from_db()
    assert question.published_at is not None
    entry = AuditEntry.objects.filter(action="assistance.publish_question").latest("id")
    assert entry.after["names_confirmed"] == ["Jaya"]


def test_the_publish_page_highlights_the_single_names_and_needs_a_tick_for_each(
    client, janju_people, operator_janju, pendamping, admin_dinas
):
    question = ask_and_answer(operator_janju, pendamping, QUESTION)
    client.force_login(admin_dinas)
    url = reverse("assistance:publish", kwargs={"pk": question.pk})

    read = client.get(url)
    page = read.content.decode()
    assert "<mark>Jaya</mark>" in page
    assert 'name="confirmed_names" value="Jaya"' in page
    assert "Budi Santoso" not in page

    draft = {**selectors.public_draft(question), "dibaca": read.context["form"].initial["dibaca"]}
    refused = client.post(url, {"action": "publish", **draft})
    assert refused.status_code == 400
    assert "Jaya" in " ".join(refused.context["form"].errors["confirmed_names"])  # refused for the name, not the token
    question.refresh_from_db()
    assert question.published_at is None

    published = client.post(url, {"action": "publish", **draft, "confirmed_names": ["Jaya"]})
    assert published.status_code == 302
    question.refresh_from_db()
    assert question.published_at is not None
    assert "Seniung Jaya" in question.public_question


def test_a_text_without_known_single_names_asks_for_no_confirmation(
    janju_people, operator_janju, pendamping, client, admin_dinas
):
    question = ask_and_answer(operator_janju, pendamping, "Bagaimana cara mendaftar anggota?")
    client.force_login(admin_dinas)

    page = client.get(reverse("assistance:publish", kwargs={"pk": question.pk})).content.decode()

    assert "names-to-confirm" not in page


def test_a_full_name_matches_across_case_spacing_and_a_title_dot_but_not_across_punctuation_or_inside_a_word():
    full = ["Budi Santoso", "H. Ahmad Yani", "Ma'ruf Amin"]

    redacted = text.redact("budi  SANTOSO, h ahmad\nyani, Ma’ruf Amin; Budi, Santoso; Budi Santosoa", full_names=full)

    assert redacted == "[nama], [nama], [nama]; Budi, Santoso; Budi Santosoa"


def test_role_words_and_places_are_no_known_names():
    full, single = text.split_known_names(
        ["Operator Desa Janju", "Pendamping Kecamatan Tanah Grogot", "Budi Santoso", "Jaya", "Al", "Ketua"],
        ["Janju", "Tanah Grogot"],
    )

    assert (full, single) == (["Budi Santoso"], ["Jaya"])


def test_the_people_of_a_village_are_read_in_a_fixed_number_of_queries(
    janju_people, admin_dinas, django_assert_num_queries
):
    with django_assert_num_queries(8):  # one more: the roster (people)
        before = len(known_people(JANJU))
    for serial in range(3, 13):
        registry.add_member(
            actor=admin_dinas,
            cooperative=janju_people,
            nik=nik(TANAH_GROGOT_NIK, date(1990, 1, serial), serial=serial),
            name=f"Anggota Nomor{serial}",
        )

    with django_assert_num_queries(8):  # one more: the roster (people)
        assert len(known_people(JANJU)) == before + 10

"""The public FAQ: the office publishes a reviewed, anonymised version; the public page shows no names, NIK-like
numbers or phone numbers, and its search matches Indonesian words regardless of case, accents and affixes."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kopdes.assistance import consultations_text as text
from kopdes.assistance.models import Question
from kopdes.assistance.selectors import consultations as selectors
from kopdes.assistance.services import consultations as services
from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU
from kopdes.regions.models import Region

NIK = "6401041203850001"
PHONE = "0812-3456-7890"


@pytest.fixture
def answered(operator_janju, pendamping):
    operator_janju.full_name = "Siti Aminah"
    operator_janju.save()
    question = services.ask_question(
        actor=operator_janju,
        village=Region.objects.get(code=JANJU),
        category="legal",
        subject="Notaris untuk akta pendirian",
        text=f"Saya Siti Aminah (NIK {NIK}, HP {PHONE}). Bagaimana memilih notaris untuk akta pendirian koperasi?",
    )
    services.post_message(
        actor=pendamping,
        question=question,
        text="Bu Siti, pilih Notaris Pembuat Akta Koperasi (NPAK) yang terdaftar. Biayanya ditanggung program.",
    )
    return question


def publish(question, office):
    draft = selectors.public_draft(question)
    services.publish_question(actor=office, question=question, **draft)
    return draft


def test_the_draft_removes_names_nik_and_phone(answered):
    draft = selectors.public_draft(answered)

    joined = draft["public_question"] + draft["public_answer"]
    assert "Siti" not in joined and "Aminah" not in joined
    assert NIK not in joined and "3456" not in joined
    assert "[nama]" in joined and "[telepon]" in joined and "[nomor]" in joined
    assert "notaris" in joined.lower()


def test_redaction_of_titled_names_and_emails():
    assert text.redact("Tanya ke Pak Budi Santoso atau budi@desa.id") == "Tanya ke [nama] atau [email]"
    assert text.redact("Hubungi +62 812 3456 7890") == "Hubungi [telepon]"


def test_role_words_of_account_names_stay_and_the_village_is_marked():
    names = ["Operator Desa Janju", "Pendamping Kecamatan Tanah Grogot"]

    redacted = text.redact("Koperasi Desa Merah Putih di Janju, kata Grogot.", names, ["Janju"])

    assert redacted == "Koperasi Desa Merah Putih di [desa], kata [nama]."


def test_publishing_is_refused_while_personal_data_is_left(answered, admin_dinas):
    with pytest.raises(ValidationError) as refused:
        services.publish_question(
            actor=admin_dinas, question=answered, public_question=f"NIK saya {NIK}", public_answer="Siti, silakan."
        )

    assert set(refused.value.message_dict) == {"public_question", "public_answer"}
    answered.refresh_from_db()
    assert answered.published_at is None


def test_only_the_office_publishes(answered, pendamping):
    with pytest.raises(PermissionDenied):
        publish(answered, pendamping)


def test_an_unanswered_question_cannot_be_published(operator_janju, pendamping, admin_dinas):
    question = services.ask_question(
        actor=operator_janju, village=Region.objects.get(code=JANJU), category="other", subject="Tanya", text="Apa?"
    )

    with pytest.raises(ValidationError):
        services.publish_question(actor=admin_dinas, question=question, public_question="Apa?", public_answer="Itu.")


def test_office_publishes_through_the_page_and_the_public_faq_shows_no_personal_data(client, answered, admin_dinas):
    client.force_login(admin_dinas)
    url = reverse("assistance:publish", kwargs={"pk": answered.pk})
    draft = client.get(url).content.decode()
    assert "[nama]" in draft and NIK not in draft

    token = selectors.publish_token(answered)
    response = client.post(url, {"action": "publish", "dibaca": token, **selectors.public_draft(answered)})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="assistance.publish_question").exists()
    client.logout()

    page = client.get(reverse("assistance:faq")).content.decode()

    assert "akta pendirian" in page
    for name in ("Siti", "Aminah", "operator.janju", str(answered.routed_to)):
        assert name not in page
    assert not re.search(r"\d{8,}", re.sub(r"[\s.\-]", "", re.sub(r"<[^>]+>", " ", page).split("<main")[-1]))
    assert "0812" not in page and "3456" not in page


def test_unpublish_takes_it_off_the_public_page(client, answered, admin_dinas):
    publish(answered, admin_dinas)
    client.force_login(admin_dinas)
    client.post(reverse("assistance:publish", kwargs={"pk": answered.pk}), {"action": "unpublish"})
    client.logout()

    assert "akta pendirian" not in client.get(reverse("assistance:faq")).content.decode()
    assert Question.objects.get().public_answer  # kept for a later republication


def test_the_public_page_links_to_the_faq(client, paser):
    assert reverse("assistance:faq") in client.get(reverse("dashboards:public_index")).content.decode()


@pytest.mark.parametrize(
    "query, found",
    [
        ("NOTARIS", True),  # case
        ("notarís", True),  # accents
        ("akta pendirian", True),  # all words
        ("akta simpanan", False),  # one word missing
        ("mendirikan", True),  # me-…-kan against pendirian (pe-…-an): both stem to 'diri'
        ("terdaftarnya", True),  # ter-, -nya
        ("pilihan", True),  # -an against 'pilih'
        ("ditanggung", True),  # di-
        ("koperasinya", True),
    ],
)
def test_search_ignores_case_accents_and_affixes(client, answered, admin_dinas, query, found):
    publish(answered, admin_dinas)

    page = client.get(reverse("assistance:faq"), {"q": query}).content.decode()

    assert ("akta pendirian" in page) is found, query


def test_search_with_html_in_the_query_is_shown_as_text(client, paser):
    page = client.get(reverse("assistance:faq"), {"q": "<script>x</script>"}).content.decode()

    assert "<script>x</script>" not in page


def test_stems():
    assert text.stem("menyimpan") == text.stem("simpanan") == text.stem("simpan")
    assert text.stem("pembayaran") == text.stem("membayar") == "bayar"
    assert text.stem("Koperasinya") == text.stem("KOPERASI")
    assert text.stem("pendirian") == text.stem("mendirikan") == "diri"


def test_faq_page_queries_do_not_grow(client, answered, admin_dinas, django_assert_max_num_queries):
    publish(answered, admin_dinas)
    with django_assert_max_num_queries(3):
        client.get(reverse("assistance:faq"), {"q": "notaris"})

"""Consultations: routing, the thread and its statuses, overdue, scope per role, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.assistance.models import Attachment, Message, Question, QuestionStatus, add_working_days, due_from
from kopdes.assistance.services import consultations as services
from kopdes.audit.models import AuditEntry
from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK
from kopdes.notifications.models import Notification
from kopdes.regions.models import Region
from kopdes.tests.factories import make_user
from kopdes.tests.samples import PDF_BYTES


def pdf(name="akta.pdf", size=None):
    body = PDF_BYTES
    if size:
        body += b"\n" * (size - len(body))  # padding after %%EOF is allowed
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def ask(user, code=JANJU, **overrides):
    data = {
        "category": "legal",
        "subject": "Notaris untuk akta pendirian",
        "text": "Siapa notaris yang bisa membuat akta pendirian koperasi kami?",
    }
    data.update(overrides)
    return services.ask_question(actor=user, village=Region.objects.get(code=code), **data)


def detail_url(question):
    return reverse("assistance:question_detail", kwargs={"pk": question.pk})


# --- routing ----------------------------------------------------------------------------------------------------


def test_question_goes_to_the_pendamping_of_the_kecamatan(operator_janju, pendamping):
    question = ask(operator_janju)

    assert question.routed_to == pendamping
    assert question.kecamatan.code == JANJU.rsplit(".", 1)[0]
    assert Notification.objects.filter(user=pendamping, kind="question_asked").count() == 1


def test_a_pendamping_of_the_village_itself_comes_first(operator_janju, pendamping):
    own = make_user("pendamping.janju", Role.PENDAMPING, JANJU)

    assert ask(operator_janju).routed_to == own


def test_without_a_pendamping_the_office_answers(operator_sungai_terik, admin_dinas, pendamping):
    question = ask(operator_sungai_terik, SUNGAI_TERIK)  # Batu Sopang has no pendamping

    assert question.routed_to is None
    assert Notification.objects.filter(user=admin_dinas, kind="question_asked").count() == 1
    assert not Notification.objects.filter(user=pendamping).exists()


def test_an_ended_pendamping_assignment_does_not_route(operator_janju, pendamping):
    pendamping.assignments.update(ended_at=datetime(2025, 1, 1, tzinfo=UTC))

    assert ask(operator_janju).routed_to is None


# --- the thread -------------------------------------------------------------------------------------------------


def test_answer_marks_answered_and_notifies_the_asker(client, operator_janju, pendamping):
    question = ask(operator_janju)
    client.force_login(pendamping)

    response = client.post(
        reverse("assistance:post_message", kwargs={"pk": question.pk}),
        {"text": "Hubungi notaris pembuat akta koperasi (NPAK) terdekat."},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.first_answered_at is not None
    notice = Notification.objects.get(user=operator_janju, kind="question_answered")
    assert notice.url == detail_url(question)
    assert AuditEntry.objects.filter(action="assistance.answer_question", object_id=str(question.pk)).exists()


def test_asker_reopens_then_closes(client, operator_janju, pendamping):
    question = ask(operator_janju)
    services.post_message(actor=pendamping, question=question, text="Jawaban")
    client.force_login(operator_janju)

    client.post(reverse("assistance:change_status", kwargs={"pk": question.pk}), {"action": "reopen"})
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    client.post(reverse("assistance:change_status", kwargs={"pk": question.pk}), {"action": "close"})
    question.refresh_from_db()
    assert question.status == QuestionStatus.CLOSED
    assert AuditEntry.objects.filter(action="assistance.reopen_question").count() == 1


def test_pendamping_may_not_reopen(operator_janju, pendamping):
    question = ask(operator_janju)
    services.post_message(actor=pendamping, question=question, text="Jawaban")

    with pytest.raises(PermissionDenied):
        services.reopen_question(actor=pendamping, question=question)


def test_office_may_reopen(operator_janju, pendamping, admin_dinas):
    question = ask(operator_janju)
    services.post_message(actor=pendamping, question=question, text="Jawaban")

    services.reopen_question(actor=admin_dinas, question=question)

    assert question.status == QuestionStatus.OPEN


def test_a_closed_question_takes_no_message(operator_janju, pendamping):
    question = ask(operator_janju)
    services.close_question(actor=operator_janju, question=question)

    with pytest.raises(ValidationError):
        services.post_message(actor=pendamping, question=question, text="Terlambat")
    assert question.messages.count() == 1


def test_asker_adds_information_while_open(client, operator_janju, pendamping):
    question = ask(operator_janju)
    client.force_login(operator_janju)

    client.post(reverse("assistance:post_message", kwargs={"pk": question.pk}), {"text": "Tambahan: desa kami kecil."})

    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    assert question.messages.filter(is_answer=False).count() == 2


# --- overdue ----------------------------------------------------------------------------------------------------


def test_due_time_counts_working_days_only():
    friday = datetime(2025, 5, 16, 9, tzinfo=UTC)

    assert add_working_days(friday, 1) == datetime(2025, 5, 19, 9, tzinfo=UTC)  # Monday
    assert due_from(friday, "legal") == datetime(2025, 5, 23, 9, tzinfo=UTC)  # 5 working days
    assert due_from(friday, "digital") == datetime(2025, 5, 20, 9, tzinfo=UTC)


def test_an_old_open_question_is_overdue_and_highlighted(client, operator_janju, pendamping):
    old = ask(operator_janju, at=datetime(2025, 5, 1, 9, tzinfo=UTC), subject="Lama")
    fresh = ask(operator_janju, subject="Baru")
    client.force_login(pendamping)

    page = client.get(reverse("assistance:inbox")).content.decode()
    only = client.get(reverse("assistance:inbox"), {"overdue": "on"}).content.decode()

    assert page.count('data-testid="overdue"') == 1
    assert "lewat tenggat" in page
    assert "Lama" in only and fresh.subject not in only
    assert old.due_at < fresh.due_at


def test_an_answered_question_is_not_overdue(client, operator_janju, pendamping):
    old = ask(operator_janju, at=datetime(2025, 5, 1, 9, tzinfo=UTC))
    services.post_message(actor=pendamping, question=old, text="Jawaban")
    client.force_login(pendamping)

    assert 'data-testid="overdue"' not in client.get(reverse("assistance:inbox")).content.decode()


# --- scope ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture, status",
    [
        ("operator_janju", 200),  # the asker
        ("pendamping", 200),  # routed to
        ("admin_dinas", 200),  # the office
        ("camat_tanah_grogot", 200),  # the camat of the kecamatan
        ("camat_batu_sopang", 404),
        ("operator_sungai_terik", 404),
        ("pimpinan", 404),
        ("mitra", 404),
    ],
)
def test_who_reads_a_question(client, request, operator_janju, pendamping, fixture, status):
    question = ask(operator_janju)
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(detail_url(question)).status_code == status


def test_another_operator_of_the_same_village_does_not_read_it(client, operator_janju, pendamping):
    question = ask(operator_janju)
    client.force_login(make_user("operator.janju2", Role.OPERATOR_DESA, JANJU))

    assert client.get(detail_url(question)).status_code == 404


def test_a_pendamping_answering_outside_its_scope_gets_404_and_nothing_is_saved(
    client, operator_sungai_terik, pendamping
):
    question = ask(operator_sungai_terik, SUNGAI_TERIK)
    client.force_login(pendamping)  # Tanah Grogot's

    response = client.post(reverse("assistance:post_message", kwargs={"pk": question.pk}), {"text": "Jawaban"})

    assert response.status_code == 404
    assert question.messages.count() == 1
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    with pytest.raises(PermissionDenied):
        services.post_message(actor=pendamping, question=question, text="Jawaban")
    assert not AuditEntry.objects.filter(action="assistance.answer_question").exists()


def test_the_camat_reads_but_does_not_answer(client, operator_janju, pendamping, camat_tanah_grogot):
    question = ask(operator_janju)
    client.force_login(camat_tanah_grogot)

    response = client.post(reverse("assistance:post_message", kwargs={"pk": question.pk}), {"text": "Jawaban"})

    assert response.status_code == 404
    assert question.messages.count() == 1


def test_an_operator_cannot_ask_about_another_village(operator_janju):
    with pytest.raises(PermissionDenied):
        ask(operator_janju, SUNGAI_TERIK)
    assert not Question.objects.exists()


def test_camat_asks_about_a_village_of_its_kecamatan(client, camat_batu_sopang, admin_dinas):
    client.force_login(camat_batu_sopang)
    village = Region.objects.get(code=SUNGAI_TERIK)

    response = client.post(
        reverse("assistance:ask"),
        {"village": village.pk, "category": "capital", "subject": "Simpanan pokok", "text": "Berapa besarnya?"},
    )

    assert response.status_code == 302
    question = Question.objects.get()
    assert question.asked_by == camat_batu_sopang and question.kecamatan.code == BATU_SOPANG


def test_a_pengurus_asks_about_its_village(paser):
    pengurus = make_user("pengurus.janju", Role.PENGURUS, JANJU)

    assert ask(pengurus).asked_by == pengurus


def test_attachment_download_is_scoped(client, operator_janju, pendamping, operator_sungai_terik):
    question = ask(operator_janju, files=[pdf()])
    url = reverse("assistance:attachment", kwargs={"pk": question.attachments.get().pk})

    client.force_login(pendamping)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_login(operator_sungai_terik)
    assert client.get(url).status_code == 404


# --- bad input --------------------------------------------------------------------------------------------------


def test_a_village_outside_the_asker_scope_is_refused_with_a_clear_message(client, operator_janju, pendamping):
    client.force_login(operator_janju)
    other = Region.objects.get(code=SUNGAI_TERIK)

    page = client.get(reverse("assistance:ask"))
    response = client.post(
        reverse("assistance:ask"), {"village": other.pk, "category": "legal", "subject": "Akta", "text": "Tanya"}
    )

    assert [v.code for v in page.context["form"].fields["village"].queryset] == [JANJU]
    assert response.status_code == 400
    assert "bukan wilayah kerja Anda: pilih salah satu dari daftar" in response.content.decode()
    assert 'value="Akta"' in response.content.decode()
    assert not Question.objects.exists()


def test_an_empty_question_is_refused_in_indonesian_and_nothing_saved(client, operator_janju, pendamping):
    client.force_login(operator_janju)
    village = Region.objects.get(code=JANJU)

    response = client.post(
        reverse("assistance:ask"), {"village": village.pk, "category": "legal", "subject": "Notaris", "text": "   "}
    )

    assert response.status_code == 400
    assert "wajib diisi" in response.content.decode() or "kosong" in response.content.decode()
    assert 'value="Notaris"' in response.content.decode()  # what the user typed stays
    assert not Question.objects.exists()


def test_an_empty_answer_is_refused(client, operator_janju, pendamping):
    question = ask(operator_janju)
    client.force_login(pendamping)

    response = client.post(reverse("assistance:post_message", kwargs={"pk": question.pk}), {"text": ""})

    assert response.status_code == 400
    assert question.messages.count() == 1


def test_a_huge_attachment_is_refused_and_nothing_saved(client, operator_janju, pendamping, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(operator_janju)
    village = Region.objects.get(code=JANJU)

    response = client.post(
        reverse("assistance:ask"),
        {
            "village": village.pk,
            "category": "legal",
            "subject": "Akta",
            "text": "Lihat lampiran",
            "files": pdf(size=5000),
        },
    )

    assert response.status_code == 400
    assert "ukuran maksimum yang diizinkan" in response.content.decode()
    assert not Question.objects.exists() and not Attachment.objects.exists()


def test_a_file_that_is_not_a_pdf_by_its_content_is_refused(operator_janju, pendamping):
    fake = SimpleUploadedFile("akta.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    with pytest.raises(ValidationError):
        ask(operator_janju, files=[fake])
    assert not Question.objects.exists()


def test_html_in_the_text_renders_as_text(client, operator_janju, pendamping):
    question = ask(operator_janju, subject="<b>tebal</b>", text="<script>alert('x')</script> tolong")
    services.post_message(actor=pendamping, question=question, text="<img src=x onerror=alert(1)>")
    client.force_login(operator_janju)

    page = client.get(detail_url(question)).content.decode()
    listing = client.get(reverse("assistance:question_list")).content.decode()

    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>tebal</b>" not in listing and "&lt;b&gt;tebal&lt;/b&gt;" in listing
    assert page.count('data-testid="message"') == 1 and page.count('data-testid="answer"') == 1
    assert "{&#x27;author&#x27;" not in page  # the thread is not mistaken for the flash messages


# --- lists ------------------------------------------------------------------------------------------------------


def test_my_questions_lists_only_mine_filtered(client, operator_janju, pendamping):
    ask(operator_janju, subject="Tentang notaris")
    ask(operator_janju, subject="Tentang SIMKOPDES", category="digital")
    ask(make_user("operator.janju2", Role.OPERATOR_DESA, JANJU), subject="Bukan milik saya")
    client.force_login(operator_janju)

    page = client.get(reverse("assistance:question_list"), {"category": "digital"}).content.decode()

    assert "Tentang SIMKOPDES" in page
    assert "Tentang notaris" not in page and "Bukan milik saya" not in page


def test_the_camat_lists_the_questions_of_its_kecamatan(
    client, operator_janju, operator_sungai_terik, camat_batu_sopang
):
    ask(operator_janju, subject="Dari Janju")
    ask(operator_sungai_terik, SUNGAI_TERIK, subject="Dari Sungai Terik")
    client.force_login(camat_batu_sopang)

    page = client.get(reverse("assistance:inbox")).content.decode()

    assert "Dari Sungai Terik" in page and "Dari Janju" not in page
    assert "Pertanyaan dari kecamatan saya" in page
    assert (
        'data-testid="message-form"'
        not in client.get(detail_url(Question.objects.get(subject="Dari Sungai Terik"))).content.decode()
    )


def test_inbox_query_count_does_not_grow(client, operator_janju, pendamping, django_assert_max_num_queries):
    client.force_login(pendamping)
    ask(operator_janju)
    client.get(reverse("assistance:inbox"))
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("assistance:inbox"))
    for n in range(5):
        ask(operator_janju, subject=f"Pertanyaan {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("assistance:inbox"))


def test_office_inbox_shows_the_summary_in_constant_queries(
    client, operator_janju, pendamping, admin_dinas, django_assert_max_num_queries
):
    client.force_login(admin_dinas)
    ask(operator_janju)
    with django_assert_max_num_queries(12) as few:
        page = client.get(reverse("assistance:inbox")).content.decode()
    assert 'data-testid="question-summary"' in page
    for n in range(4):
        ask(operator_janju, subject=f"Pertanyaan {n}", category="musdesus")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("assistance:inbox"))


def test_message_thread_keeps_order(operator_janju, pendamping):
    question = ask(operator_janju)
    services.post_message(actor=pendamping, question=question, text="Jawaban 1", at=question.asked_at + timedelta(1))

    assert list(Message.objects.filter(question=question).values_list("is_answer", flat=True)) == [False, True]

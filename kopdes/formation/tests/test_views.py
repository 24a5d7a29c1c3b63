"""The formation pages over HTTP: submitting evidence, the office's queue and decision, refused forms, forged ids,
evidence files behind the access check, and an operator never shown another village."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kopdes.clock import local_today
from kopdes.conftest import JANJU, PASER, SUNGAI_TERIK
from kopdes.formation import services
from kopdes.formation.models import StageSubmission
from kopdes.formation.tests.helpers import (
    EXE_BYTES,
    PDF_BYTES,
    advance,
    case_for,
    case_url,
    pdf,
    saved_state,
    submit,
    submit_url,
    upload,
)
from kopdes.formation.workflow import Sensitivity, SubmissionStatus
from kopdes.regions.models import Region


def decide_url(submission) -> str:
    return reverse("formation:decide", args=[submission.cooperative_id, submission.pk])


def musdesus_form(cooperative, **overrides) -> dict:
    data = {
        "version": cooperative.version,
        "stage": 4,
        "evidence_date": "2025-05-10",
        "evidence_number": "BA/2002/V/2025",
        "note": "Dihadiri 87 warga dan BPD.",
        "sensitivity": Sensitivity.INTERNAL,
        "skip_reason": "",
        "files": pdf("Berita Acara Musdesus Janju.pdf"),
    }
    data.update(overrides)
    return data


def stage_4_count(client) -> int:
    response = client.get(reverse("dashboards:region", args=[PASER]))
    return response.context["d"].funnel[4]["count"]


# --- the whole round: village submits, office verifies, dashboard moves -------------------------------------------


def test_janju_submits_its_musdesus_and_the_office_verifies_it(
    client, janju_scheduled, operator_janju, admin_dinas, operator_sungai_terik
):
    # Sungai Terik's evidence came in earlier: the queue shows the oldest first
    sungai_terik = advance(case_for(SUNGAI_TERIK), 3, submitter=admin_dinas)
    earlier = submit(operator_sungai_terik, sungai_terik, 4, at=timezone.now() - timedelta(days=2))
    client.force_login(admin_dinas)
    assert stage_4_count(client) == 0

    client.force_login(operator_janju)
    form_page = client.get(submit_url(janju_scheduled))
    response = client.post(submit_url(janju_scheduled), musdesus_form(janju_scheduled))

    assert form_page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == case_url(janju_scheduled)
    submission = StageSubmission.objects.get(cooperative=janju_scheduled, status=SubmissionStatus.PENDING)
    assert (submission.stage, submission.evidence_number, submission.submitted_by) == (
        4,
        "BA/2002/V/2025",
        operator_janju,
    )
    assert submission.files.get().original_name == "Berita_Acara_Musdesus_Janju.pdf"
    assert case_for(JANJU).stage == 3  # waiting, not counted

    client.force_login(admin_dinas)
    queue = client.get(reverse("formation:queue"))
    assert queue.status_code == 200
    assert list(queue.context["submissions"]) == [earlier, submission]
    html = queue.content.decode()
    assert html.index("Koperasi Desa Merah Putih Sungai Terik") < html.index("Koperasi Desa Merah Putih Janju")

    decided = client.post(decide_url(submission), {"decision": "verify"})

    assert decided.status_code == 302
    verified = case_for(JANJU)
    assert (verified.stage, verified.musdesus_date) == (4, submission.evidence_date)
    assert stage_4_count(client) == 1
    assert list(client.get(reverse("formation:queue")).context["submissions"]) == [earlier]


def test_the_office_returns_evidence_from_the_queue_with_a_reason(client, janju_scheduled, operator_janju, admin_dinas):
    submission = submit(operator_janju, janju_scheduled, 4)
    client.force_login(admin_dinas)

    response = client.post(
        decide_url(submission), {"decision": "return", "reason": "Daftar hadir belum dilampirkan", "next": "queue"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("formation:queue")
    submission.refresh_from_db()
    assert (submission.status, submission.decision_reason) == (
        SubmissionStatus.RETURNED,
        "Daftar hadir belum dilampirkan",
    )
    assert case_for(JANJU).stage == 3


def test_returning_without_a_reason_over_http_changes_nothing(client, janju_scheduled, operator_janju, admin_dinas):
    submission = submit(operator_janju, janju_scheduled, 4)
    client.force_login(admin_dinas)

    response = client.post(decide_url(submission), {"decision": "return", "reason": ""}, follow=True)

    assert response.status_code == 200
    assert StageSubmission.objects.get(pk=submission.pk).status == SubmissionStatus.PENDING
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_office_steps_a_case_back_over_http(client, programme, admin_dinas):
    janju = advance(case_for(JANJU), 4, submitter=admin_dinas)
    client.force_login(admin_dinas)
    url = reverse("formation:step_back", args=[janju.pk])

    refused = client.post(url, {"version": janju.version, "stage": 2, "reason": ""})
    response = client.post(url, {"version": janju.version, "stage": 2, "reason": "Musdesus diulang"})

    assert refused.status_code == 400
    assert response.status_code == 302
    assert (case_for(JANJU).stage, case_for(JANJU).musdesus_date) == (2, None)


# --- refused forms: 400, what was typed is kept, nothing saved -----------------------------------------------------


def test_a_musdesus_dated_tomorrow_is_refused_and_the_typed_text_kept(client, janju_scheduled, operator_janju):
    client.force_login(operator_janju)
    tomorrow = local_today(JANJU) + timedelta(days=1)
    before = saved_state(janju_scheduled)

    response = client.post(
        submit_url(janju_scheduled), musdesus_form(janju_scheduled, evidence_date=tomorrow.isoformat())
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["evidence_date"]
    html = response.content.decode()
    assert "Dihadiri 87 warga dan BPD." in html
    assert 'value="BA/2002/V/2025"' in html
    assert f'value="{tomorrow.isoformat()}"' in html
    assert saved_state(janju_scheduled) == before


def test_a_program_renamed_pdf_is_refused_over_http_and_nothing_saved(client, janju_scheduled, operator_janju):
    client.force_login(operator_janju)
    before = saved_state(janju_scheduled)

    response = client.post(
        submit_url(janju_scheduled), musdesus_form(janju_scheduled, files=upload("berita-acara.pdf", EXE_BYTES))
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["files"]
    assert "berita-acara.pdf" in response.context["form"].errors["files"][0]
    html = response.content.decode()
    assert "Dihadiri 87 warga dan BPD." in html
    assert 'value="BA/2002/V/2025"' in html
    assert saved_state(janju_scheduled) == before


def test_a_file_over_10_mb_is_refused_over_http(client, janju_scheduled, operator_janju):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    client.force_login(operator_janju)
    big = SimpleUploadedFile("scan-besar.pdf", PDF_BYTES + b"\0" * (10 * 1024 * 1024), "application/pdf")
    before = saved_state(janju_scheduled)

    response = client.post(submit_url(janju_scheduled), musdesus_form(janju_scheduled, files=big))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["files"]
    assert "scan-besar.pdf" in response.context["form"].errors["files"][0]
    assert saved_state(janju_scheduled) == before


def test_a_form_read_before_someone_elses_submission_is_refused_and_kept(
    client, janju_scheduled, operator_janju, camat_tanah_grogot
):
    client.force_login(operator_janju)
    stale = musdesus_form(janju_scheduled)
    submit(camat_tanah_grogot, janju_scheduled, 4)
    before = saved_state(janju_scheduled)

    response = client.post(submit_url(janju_scheduled), stale)

    assert response.status_code == 409  # the stale-save refusal, by the record's version
    assert response.context["form"].non_field_errors()
    assert "Dihadiri 87 warga dan BPD." in response.content.decode()
    assert response.context["form"]["version"].value() == case_for(JANJU).version  # a resend is judged afresh
    assert saved_state(janju_scheduled) == before


def test_the_submit_form_offers_only_later_stages(client, janju_scheduled, operator_janju):
    client.force_login(operator_janju)

    response = client.get(submit_url(janju_scheduled))

    stages = [value for value, _label in response.context["form"].fields["stage"].choices]
    assert stages == list(range(4, 12))
    assert response.context["form"]["stage"].value() == 4


# --- forged ids answer 404 ----------------------------------------------------------------------------------------


def test_operator_cannot_open_another_villages_case(client, programme, operator_janju):
    client.force_login(operator_janju)
    sungai_terik = case_for(SUNGAI_TERIK)

    assert client.get(case_url(case_for(JANJU))).status_code == 200
    assert client.get(case_url(sungai_terik)).status_code == 404
    assert client.get(reverse("formation:case_detail", args=[999999])).status_code == 404
    assert client.get(submit_url(sungai_terik)).status_code == 404


def test_operator_cannot_post_evidence_for_another_village(client, programme, operator_janju):
    client.force_login(operator_janju)
    sungai_terik = case_for(SUNGAI_TERIK)
    before = saved_state(sungai_terik)

    response = client.post(submit_url(sungai_terik), musdesus_form(sungai_terik, stage=1))

    assert response.status_code == 404
    assert saved_state(sungai_terik) == before


@pytest.mark.parametrize("role", ["camat_tanah_grogot", "pendamping", "operator_janju", "pimpinan"])
def test_deciding_without_the_verify_right_answers_404(client, janju_scheduled, operator_janju, request, role):
    submission = submit(operator_janju, janju_scheduled, 4)
    client.force_login(request.getfixturevalue(role))

    response = client.post(decide_url(submission), {"decision": "verify"})

    assert response.status_code == 404
    assert StageSubmission.objects.get(pk=submission.pk).status == SubmissionStatus.PENDING


def test_a_submission_id_of_another_cooperative_answers_404(
    client, programme, admin_dinas, operator_janju, operator_sungai_terik
):
    theirs = submit(operator_sungai_terik, case_for(SUNGAI_TERIK), 1)
    client.force_login(admin_dinas)

    forged = reverse("formation:decide", args=[case_for(JANJU).pk, theirs.pk])
    response = client.post(forged, {"decision": "verify"})

    assert response.status_code == 404
    assert StageSubmission.objects.get(pk=theirs.pk).status == SubmissionStatus.PENDING


def test_deciding_answers_only_post(client, janju_scheduled, operator_janju, admin_dinas):
    submission = submit(operator_janju, janju_scheduled, 4)
    client.force_login(admin_dinas)

    assert client.get(decide_url(submission)).status_code == 405


@pytest.mark.parametrize("role", ["operator_janju", "camat_tanah_grogot", "pimpinan", "mitra"])
def test_queue_and_step_back_are_hidden_from_those_who_cannot_verify(client, programme, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("formation:queue")).status_code == 404
    assert client.get(reverse("formation:step_back", args=[case_for(JANJU).pk])).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["dashboards:home", "formation:queue", ("formation:case_detail", 1), ("dashboards:region", PASER)],
)
def test_formation_pages_need_a_login(client, programme, name):
    url = reverse(name[0], args=[name[1]]) if isinstance(name, tuple) else reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- an operator is never shown another village -------------------------------------------------------------------


def other_village_names() -> list[str]:
    """Names of Paser's other villages, except those that are part of text Janju's pages may show (its kecamatan
    Tanah Grogot shares its name with Kelurahan Tanah Grogot)."""
    janju = Region.objects.get(code=JANJU)
    allowed = " ".join(Region.objects.filter(code__in=janju.ancestor_codes()).values_list("name", flat=True))
    names = Region.objects.subtree(PASER).villages().exclude(code=JANJU).values_list("name", flat=True)
    return [name for name in names if name not in allowed]


def named_villages(html: str, names: list[str]) -> list[str]:
    return [name for name in names if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", html)]


def test_pages_shown_to_janjus_operator_name_no_other_village(client, programme, operator_janju, admin_dinas):
    for person, full_name in ((operator_janju, "Operator Janju"), (admin_dinas, "Admin Dinas")):
        person.full_name = full_name
        person.save()
    janju = advance(case_for(JANJU), 3, submitter=admin_dinas)
    submit(operator_janju, janju, 4)  # a pending submission with a file: the case page shows more
    names = other_village_names()
    assert len(names) > 130
    client.force_login(operator_janju)

    pages = {
        "dashboard": client.get(reverse("dashboards:home"), follow=True),
        "case": client.get(case_url(janju)),
        "refused form": client.post(submit_url(janju), {"version": janju.version, "stage": 5}),
    }
    services.verify_submission(actor=admin_dinas, submission=janju.submissions.get(status="pending"))
    pages["submit form"] = client.get(submit_url(janju))

    for page, response in pages.items():
        html = response.content.decode()
        assert "Janju" in html, page
        assert named_villages(html, names) == [], page
    # the check does find names where they belong: the office's page of the kecamatan lists its other villages
    client.force_login(admin_dinas)
    kecamatan_page = client.get(reverse("dashboards:region", args=["64.01.04"])).content.decode()
    assert "Tepian Batang" in named_villages(kecamatan_page, names)


def test_a_return_reason_over_the_length_limit_is_refused_not_a_server_error(
    client, janju_scheduled, operator_janju, admin_dinas
):
    submission = submit(operator_janju, janju_scheduled, 4)
    client.force_login(admin_dinas)

    response = client.post(decide_url(submission), {"decision": "return", "reason": "x" * 2001}, follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert StageSubmission.objects.get(pk=submission.pk).status == SubmissionStatus.PENDING

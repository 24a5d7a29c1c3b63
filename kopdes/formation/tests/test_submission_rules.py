"""Submitting a stage: each rule of the workflow table fires on bad input, stays silent on good input, and a refused
submission leaves nothing behind (no submission, no file record, no file on disk, version unchanged)."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from PIL import Image

from kopdes.clock import local_today
from kopdes.conftest import JANJU
from kopdes.formation import services
from kopdes.formation.models import StageMove, StageSubmission
from kopdes.formation.services import ConcurrentChange
from kopdes.formation.tests.helpers import (
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    advance,
    case_for,
    day_of,
    pdf,
    saved_state,
    stored_files,
    submit,
    upload,
)
from kopdes.formation.workflow import MoveKind, SubmissionStatus


@pytest.fixture
def janju(programme):
    return case_for(JANJU)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- dates -------------------------------------------------------------------------------------------------------


def test_musdesus_held_tomorrow_in_the_village_is_refused_and_nothing_is_saved(janju, operator_janju, admin_dinas):
    advance(janju, 3, submitter=admin_dinas)
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        submit(operator_janju, janju, 4, evidence_date=local_today(JANJU) + timedelta(days=1), files=[pdf()])

    assert list(errors_of(excinfo)) == ["evidence_date"]
    assert saved_state(janju) == before
    assert not StageSubmission.objects.filter(cooperative=janju, stage=4).exists()


def test_musdesus_held_today_in_the_village_is_accepted(janju, operator_janju, admin_dinas):
    advance(janju, 3, submitter=admin_dinas)

    submission = submit(operator_janju, janju, 4, evidence_date=local_today(JANJU))

    assert submission.status == SubmissionStatus.PENDING


def test_the_future_is_judged_by_the_village_calendar_not_utc(janju, operator_janju, admin_dinas, monkeypatch):
    advance(janju, 3, submitter=admin_dinas)
    # 17:30 UTC on 10 May is 01:30 on 11 May in WITA (UTC+8), Paser's zone.
    monkeypatch.setattr(services.timezone, "now", lambda: datetime(2025, 5, 10, 17, 30, tzinfo=UTC))

    with pytest.raises(ValidationError) as excinfo:
        submit(operator_janju, janju, 4, evidence_date=date(2025, 5, 12))
    submission = submit(operator_janju, janju, 4, evidence_date=date(2025, 5, 11))

    assert "evidence_date" in errors_of(excinfo)
    assert submission.evidence_date == date(2025, 5, 11)


def test_a_scheduled_musdesus_may_be_in_the_future(janju, operator_janju, admin_dinas):
    advance(janju, 2, submitter=admin_dinas)

    submission = submit(operator_janju, janju, 3, evidence_date=local_today(JANJU) + timedelta(days=10))

    assert submission.stage == 3
    assert submission.status == SubmissionStatus.PENDING


def test_a_new_cooperatives_deed_dated_before_the_verified_musdesus_is_refused(janju, admin_dinas):
    """Pendirian baru: the deed founds the cooperative the Musdesus decided on, so it cannot come first."""
    advance(janju, 6, submitter=admin_dinas)
    musdesus = case_for(JANJU).musdesus_date
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        submit(admin_dinas, janju, 7, evidence_date=musdesus - timedelta(days=1))

    assert list(errors_of(excinfo)) == ["evidence_date"]
    assert any("Musdesus" in message for message in excinfo.value.message_dict["evidence_date"])
    assert saved_state(janju) == before


def test_an_existing_cooperatives_older_deed_is_accepted(janju, admin_dinas):
    """Pengembangan: the cooperative exists already, so its deed may be older than the programme's Musdesus."""
    advance(janju, 4, submitter=admin_dinas)
    older = case_for(JANJU).musdesus_date - timedelta(days=400)

    submission = submit(
        admin_dinas,
        janju,
        7,
        evidence_date=older,
        skip_reason="Koperasi lama: nama sudah ada",
        pathway="pengembangan",
    )

    assert (submission.stage, submission.evidence_date) == (7, older)


def test_a_deed_dated_on_the_musdesus_day_is_accepted(janju, admin_dinas):
    advance(janju, 4, submitter=admin_dinas)

    submission = submit(
        admin_dinas,
        janju,
        7,
        evidence_date=case_for(JANJU).musdesus_date,
        skip_reason="Koperasi lama: nama sudah ada",
        pathway="pengembangan",
    )

    assert submission.stage == 7


def test_a_missing_date_is_refused(janju, operator_janju):
    with pytest.raises(ValidationError) as excinfo:
        submit(operator_janju, janju, 1, evidence_date=None)

    assert list(errors_of(excinfo)) == ["evidence_date"]


# --- required number and file --------------------------------------------------------------------------------------


def test_musdesus_held_without_its_berita_acara_file_is_refused(janju, operator_janju, admin_dinas):
    advance(janju, 3, submitter=admin_dinas)
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        submit(operator_janju, janju, 4, files=[])

    assert list(errors_of(excinfo)) == ["files"]
    assert saved_state(janju) == before


def test_legal_entity_without_the_sk_ahu_number_is_refused(janju, admin_dinas):
    advance(janju, 7, submitter=admin_dinas)
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        submit(admin_dinas, janju, 8, evidence_number="   ")

    assert list(errors_of(excinfo)) == ["evidence_number"]
    assert saved_state(janju) == before


def test_a_stage_needing_neither_number_nor_file_is_accepted_without_them(janju, operator_janju):
    submission = submit(operator_janju, janju, 1, evidence_number="", files=[])

    assert submission.stage == 1
    assert not submission.files.exists()


# --- files -------------------------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused(janju, operator_janju, admin_dinas, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    advance(janju, 3, submitter=admin_dinas)
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        submit(operator_janju, janju, 4, files=[pdf("besar.pdf", size=1025)])

    assert list(errors_of(excinfo)) == ["files"]
    assert "besar.pdf" in errors_of(excinfo)["files"][0]
    assert saved_state(janju) == before


def test_a_file_at_the_size_limit_is_accepted(janju, operator_janju, admin_dinas, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    advance(janju, 3, submitter=admin_dinas)

    submission = submit(operator_janju, janju, 4, files=[pdf("pas.pdf", size=1024)])

    assert submission.files.get().size == 1024


def test_a_program_renamed_pdf_is_refused_by_its_content(janju, operator_janju, admin_dinas):
    advance(janju, 3, submitter=admin_dinas)
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        submit(operator_janju, janju, 4, files=[upload("berita-acara.pdf", EXE_BYTES, "application/pdf")])

    expected = gettext("The file %(name)s is not a PDF, JPEG or PNG (checked by its content, not its name).") % {
        "name": "berita-acara.pdf"
    }
    assert errors_of(excinfo) == {"files": [expected]}
    assert saved_state(janju) == before
    assert stored_files() == []


def test_one_bad_file_among_good_ones_refuses_the_whole_submission(janju, operator_janju, admin_dinas):
    advance(janju, 3, submitter=admin_dinas)
    before = saved_state(janju)

    with pytest.raises(ValidationError):
        submit(operator_janju, janju, 4, files=[pdf("baik.pdf"), upload("foto.png", EXE_BYTES, "image/png")])

    assert saved_state(janju) == before


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("berita-acara.pdf", PDF_BYTES, "application/pdf", ".pdf"),
        ("daftar-hadir.jpg", JPEG_BYTES, "image/jpeg", ".jpg"),
        ("foto-musdesus.png", PNG_BYTES, "image/png", ".png"),
        ("scan-tanpa-ekstensi", PNG_BYTES, "image/png", ".png"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_by_their_content(
    janju, operator_janju, admin_dinas, name, content, content_type, extension
):
    advance(janju, 3, submitter=admin_dinas)

    submission = submit(operator_janju, janju, 4, files=[upload(name, content, "application/octet-stream")])

    evidence = submission.files.get()
    assert evidence.content_type == content_type
    assert evidence.original_name == name
    assert evidence.file.name.endswith(extension)
    with evidence.file.open("rb") as stored:
        kept = stored.read()
    assert evidence.size == len(kept) and evidence.sha256 == hashlib.sha256(kept).hexdigest()
    if content_type == "application/pdf":
        assert kept == content  # a PDF is kept byte for byte
    else:  # an image is decoded and encoded again: the same picture, new bytes
        assert Image.open(io.BytesIO(kept)).size == Image.open(io.BytesIO(content)).size


# --- skipping stages ---------------------------------------------------------------------------------------------


def test_skipping_stages_without_a_reason_is_refused(janju, admin_dinas):
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        submit(admin_dinas, janju, 2, skip_reason="  ")

    assert list(errors_of(excinfo)) == ["skip_reason"]
    assert saved_state(janju) == before


def test_skipped_stages_are_recorded_not_applicable_once_verified(janju, admin_dinas):
    reason = "Koperasi lama (pengembangan) sudah berbadan hukum sejak 2019."
    advance(janju, 4, submitter=admin_dinas)
    submission = submit(admin_dinas, janju, 8, skip_reason=reason, pathway="pengembangan")
    assert not StageMove.objects.filter(cooperative=janju, kind=MoveKind.NOT_APPLICABLE).exists()

    services.verify_submission(actor=admin_dinas, submission=submission)

    not_applicable = StageMove.objects.filter(cooperative=janju, kind=MoveKind.NOT_APPLICABLE)
    assert sorted(not_applicable.values_list("to_stage", flat=True)) == [5, 6, 7]
    assert set(not_applicable.values_list("reason", "actor", "submission")) == {(reason, admin_dinas.pk, submission.pk)}
    assert case_for(JANJU).stage == 8
    assert case_for(JANJU).pathway == "pengembangan"


@pytest.mark.parametrize("target, required", [(3, 2), (5, 4), (9, 8)])
def test_stages_that_carry_the_decision_or_the_legal_status_cannot_be_skipped(janju, admin_dinas, target, required):
    """The facilitator team, the Musdesus held and the SK AHU are never "tidak berlaku", whatever the pathway."""
    advance(janju, required - 1, submitter=admin_dinas)
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        submit(admin_dinas, janju, target, skip_reason="Sudah ada", pathway="pengembangan")

    assert "stage" in errors_of(excinfo)
    assert saved_state(janju) == before


def test_a_new_cooperative_cannot_skip_its_name_booking_and_deed(janju, admin_dinas):
    advance(janju, 5, submitter=admin_dinas)

    with pytest.raises(ValidationError) as excinfo:
        submit(admin_dinas, janju, 8, skip_reason="Belum sempat", pathway="pendirian_baru")

    assert len(errors_of(excinfo)["stage"]) == 2  # name booking (6) and deed (7)


def test_an_existing_cooperative_may_skip_name_booking_and_deed(janju, admin_dinas):
    advance(janju, 5, submitter=admin_dinas)

    submission = submit(admin_dinas, janju, 8, skip_reason="Akta lama 2019, diubah", pathway="revitalisasi")

    assert submission.pathway == "revitalisasi"


def test_the_next_stage_needs_no_skip_reason(janju, operator_janju):
    submission = submit(operator_janju, janju, 1, skip_reason="")

    assert submission.skip_reason == ""


# --- one pending submission, forward only --------------------------------------------------------------------------


def test_a_second_submission_while_one_is_pending_is_refused(janju, operator_janju, camat_tanah_grogot):
    submit(operator_janju, janju, 1)
    before = saved_state(janju)

    with pytest.raises(ValidationError):
        submit(camat_tanah_grogot, janju, 2, skip_reason="Tim sudah ada")

    assert saved_state(janju) == before
    assert StageSubmission.objects.filter(cooperative=janju, status=SubmissionStatus.PENDING).count() == 1


@pytest.mark.parametrize("stage", [2, 3, 99, -1])
def test_a_stage_at_or_before_the_current_one_or_unknown_is_refused(janju, admin_dinas, stage):
    advance(janju, 3, submitter=admin_dinas)
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        services.submit_stage(
            actor=admin_dinas, cooperative=janju, version=janju.version, stage=stage, evidence_date=day_of(1)
        )

    assert list(errors_of(excinfo)) == ["stage"]
    assert saved_state(janju) == before


# --- concurrency -------------------------------------------------------------------------------------------------


def test_a_second_submission_made_with_the_same_version_is_a_concurrent_change(
    janju, operator_janju, camat_tanah_grogot
):
    version = janju.version
    services.submit_stage(
        actor=operator_janju, cooperative=janju, version=version, stage=1, evidence_date=day_of(1), note="pertama"
    )
    seen_by_the_camat = case_for(JANJU)  # what the camat's request loads after the operator's submission
    before = saved_state(janju)

    with pytest.raises(ConcurrentChange):
        services.submit_stage(
            actor=camat_tanah_grogot,
            cooperative=seen_by_the_camat,
            version=version,
            stage=1,
            evidence_date=day_of(1),
            note="kedua",
        )

    assert saved_state(janju) == before
    assert list(StageSubmission.objects.filter(cooperative=janju).values_list("note", flat=True)) == ["pertama"]


def test_a_submission_on_a_version_read_before_a_decision_is_a_concurrent_change(janju, operator_janju, admin_dinas):
    version = janju.version
    first = submit(operator_janju, janju, 1)
    services.return_submission(actor=admin_dinas, submission=first, reason="Foto kabur")
    before = saved_state(janju)

    with pytest.raises(ConcurrentChange):
        services.submit_stage(
            actor=operator_janju, cooperative=case_for(JANJU), version=version, stage=1, evidence_date=day_of(1)
        )

    assert saved_state(janju) == before


def test_a_submission_on_the_current_version_bumps_it(janju, operator_janju):
    version = janju.version

    submit(operator_janju, janju, 1)

    assert case_for(JANJU).version == version + 1

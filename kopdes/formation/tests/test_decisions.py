"""The office's decisions: verify, return, step back and merge — what each writes, refuses, and leaves as history."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation import services, workflow
from kopdes.formation.models import Cooperative, CooperativeVillage, StageMove, StageSubmission
from kopdes.formation.services import ConcurrentChange
from kopdes.formation.tests.helpers import advance, case_for, day_of, evidence_for, saved_state, submit
from kopdes.formation.workflow import MoveKind, SubmissionStatus

KASUNGAI = "64.01.01.2014"


@pytest.fixture
def janju(programme):
    return case_for(JANJU)


# --- verify ------------------------------------------------------------------------------------------------------


def test_a_pending_submission_does_not_count_until_verified(janju, operator_janju, admin_dinas):
    advance(janju, 3, submitter=admin_dinas)

    submit(operator_janju, janju, 4)

    waiting = case_for(JANJU)
    assert waiting.stage == 3
    assert waiting.musdesus_date is None


@pytest.mark.parametrize(
    ("stage", "fields"),
    [
        (2, {"team_formed_date": day_of(2), "team_decree_number": ""}),
        (3, {"musdesus_scheduled_date": day_of(3)}),
        (4, {"musdesus_date": day_of(4)}),
        (7, {"deed_date": day_of(7), "deed_number": "AKTA_NOTARIS/07/2025"}),
        (8, {"sk_ahu_date": day_of(8), "sk_ahu_number": "BERBADAN_HUKUM/08/2025"}),
        (9, {"nib_date": day_of(9), "nib": "LEGALITAS_USAHA/09/2025"}),
    ],
)
def test_verification_writes_the_evidence_into_the_cooperative(janju, admin_dinas, stage, fields):
    advance(janju, stage - 1, submitter=admin_dinas)
    submission = submit(admin_dinas, janju, stage)

    services.verify_submission(actor=admin_dinas, submission=submission)

    verified = case_for(JANJU)
    assert verified.stage == stage
    assert {name: getattr(verified, name) for name in fields} == fields


def test_verification_records_who_decided_and_when(janju, operator_janju, admin_dinas):
    submission = submit(operator_janju, janju, 1)
    decided_at = timezone.now().replace(microsecond=0)

    services.verify_submission(actor=admin_dinas, submission=submission, at=decided_at)

    submission.refresh_from_db()
    assert (submission.status, submission.decided_by, submission.decided_at) == (
        SubmissionStatus.VERIFIED,
        admin_dinas,
        decided_at,
    )
    assert case_for(JANJU).updated_by == admin_dinas


def test_verifying_an_already_verified_submission_is_a_concurrent_change(janju, operator_janju, admin_dinas):
    submission = submit(operator_janju, janju, 1)
    services.verify_submission(actor=admin_dinas, submission=submission)
    before = saved_state(janju)

    with pytest.raises(ConcurrentChange):
        services.verify_submission(actor=admin_dinas, submission=submission)

    assert saved_state(janju) == before


def test_returning_an_already_verified_submission_is_a_concurrent_change(janju, operator_janju, admin_dinas):
    submission = submit(operator_janju, janju, 1)
    services.verify_submission(actor=admin_dinas, submission=submission)

    with pytest.raises(ConcurrentChange):
        services.return_submission(actor=admin_dinas, submission=submission, reason="Terlambat")

    assert StageSubmission.objects.get(pk=submission.pk).status == SubmissionStatus.VERIFIED


# --- return ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_needs_a_reason(janju, operator_janju, admin_dinas, reason):
    submission = submit(operator_janju, janju, 1)
    before = saved_state(janju)

    with pytest.raises(ValidationError) as excinfo:
        services.return_submission(actor=admin_dinas, submission=submission, reason=reason)

    assert list(excinfo.value.message_dict) == ["reason"]
    assert saved_state(janju) == before
    assert StageSubmission.objects.get(pk=submission.pk).status == SubmissionStatus.PENDING


def test_returning_keeps_the_stage_and_records_the_reason(janju, operator_janju, admin_dinas):
    advance(janju, 2, submitter=admin_dinas)
    submission = submit(operator_janju, janju, 3)

    services.return_submission(actor=admin_dinas, submission=submission, reason=" Tanggal belum pasti ")

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.decision_reason == "Tanggal belum pasti"
    returned = case_for(JANJU)
    assert returned.stage == 2
    assert returned.musdesus_scheduled_date is None
    move = StageMove.objects.filter(cooperative=janju).latest("id")
    assert (move.kind, move.from_stage, move.to_stage, move.reason, move.actor) == (
        MoveKind.RETURNED,
        2,
        3,
        "Tanggal belum pasti",
        admin_dinas,
    )
    audit = AuditEntry.objects.filter(action="formation.return_stage").get()
    assert audit.after == {"stage": 3, "reason": "Tanggal belum pasti"}


def test_a_returned_stage_may_be_submitted_again(janju, operator_janju, admin_dinas):
    services.return_submission(actor=admin_dinas, submission=submit(operator_janju, janju, 1), reason="Foto kabur")

    again = submit(operator_janju, janju, 1)

    assert again.status == SubmissionStatus.PENDING


# --- step back ---------------------------------------------------------------------------------------------------


@pytest.fixture
def janju_at_8(janju, admin_dinas):
    return advance(janju, 8, submitter=admin_dinas)


def test_step_back_needs_a_reason(janju_at_8, admin_dinas):
    before = saved_state(janju_at_8)

    with pytest.raises(ValidationError) as excinfo:
        services.step_back(actor=admin_dinas, cooperative=janju_at_8, version=janju_at_8.version, stage=4, reason="")

    assert list(excinfo.value.message_dict) == ["reason"]
    assert saved_state(janju_at_8) == before


@pytest.mark.parametrize("stage", [8, 9, -1])
def test_step_back_must_go_to_an_earlier_stage(janju_at_8, admin_dinas, stage):
    with pytest.raises(ValidationError) as excinfo:
        services.step_back(
            actor=admin_dinas, cooperative=janju_at_8, version=janju_at_8.version, stage=stage, reason="Koreksi"
        )

    assert list(excinfo.value.message_dict) == ["stage"]
    assert case_for(JANJU).stage == 8


def test_step_back_is_refused_while_a_submission_waits(janju, operator_janju, admin_dinas):
    advance(janju, 2, submitter=admin_dinas)
    submit(operator_janju, janju, 3)
    janju.refresh_from_db()

    with pytest.raises(ValidationError):
        services.step_back(actor=admin_dinas, cooperative=janju, version=janju.version, stage=1, reason="Koreksi")

    assert case_for(JANJU).stage == 2


def test_step_back_with_a_stale_version_is_a_concurrent_change(janju_at_8, admin_dinas):
    with pytest.raises(ConcurrentChange):
        services.step_back(
            actor=admin_dinas, cooperative=janju_at_8, version=janju_at_8.version - 1, stage=4, reason="Koreksi"
        )

    assert case_for(JANJU).stage == 8


def test_step_back_clears_the_later_stages_and_keeps_history_and_audit(janju_at_8, admin_dinas):
    moves_before = list(StageMove.objects.filter(cooperative=janju_at_8).values_list("pk", flat=True))

    services.step_back(
        actor=admin_dinas,
        cooperative=janju_at_8,
        version=janju_at_8.version,
        stage=4,
        reason="Akta salah nama koperasi",
    )

    back = case_for(JANJU)
    assert back.stage == 4
    assert back.musdesus_date == day_of(4)  # the stage stepped back to keeps its evidence
    assert (back.deed_date, back.deed_number, back.sk_ahu_date, back.sk_ahu_number) == (None, "", None, "")
    assert back.founding_meeting_date is None and back.name_booked_date is None
    # history is never rewritten: every earlier move is still there, plus the step back
    assert set(moves_before) <= set(StageMove.objects.filter(cooperative=back).values_list("pk", flat=True))
    move = StageMove.objects.filter(cooperative=back).latest("id")
    assert (move.kind, move.from_stage, move.to_stage, move.reason, move.actor) == (
        MoveKind.STEP_BACK,
        8,
        4,
        "Akta salah nama koperasi",
        admin_dinas,
    )
    # the verified submissions still hold the cleared values
    assert StageSubmission.objects.get(cooperative=back, stage=7).evidence_number == "AKTA_NOTARIS/07/2025"
    audit = AuditEntry.objects.get(action="formation.step_back")
    assert audit.before["stage"] == 8 and audit.after["stage"] == 4
    assert audit.before["deed_number"] == "AKTA_NOTARIS/07/2025" and audit.after["deed_number"] == ""
    assert audit.before["sk_ahu_date"] == day_of(8).isoformat() and audit.after["sk_ahu_date"] is None
    assert audit.after["reason"] == "Akta salah nama koperasi"


def test_after_a_step_back_the_next_stage_can_be_submitted_again(janju_at_8, admin_dinas):
    services.step_back(
        actor=admin_dinas, cooperative=janju_at_8, version=janju_at_8.version, stage=6, reason="Akta diulang"
    )

    submission = submit(admin_dinas, janju_at_8, 7)

    assert (submission.from_stage, submission.stage) == (6, 7)


# --- merge -------------------------------------------------------------------------------------------------------


def test_merging_two_villages_makes_one_cooperative_serve_both(programme, admin_dinas):
    target, other = case_for(SUNGAI_TERIK), case_for(KASUNGAI)

    services.merge_cooperatives(
        actor=admin_dinas, target=target, others=[other], reason="Penduduk Kasungai di bawah 500 jiwa"
    )

    other.refresh_from_db()
    assert (other.is_active, other.merged_into) == (False, target)
    active = CooperativeVillage.objects.filter(cooperative=target, left_at__isnull=True)
    assert sorted(active.values_list("village_code", flat=True)) == [SUNGAI_TERIK, KASUNGAI]
    for code in (SUNGAI_TERIK, KASUNGAI):
        assert CooperativeVillage.objects.filter(village_code=code, left_at__isnull=True).count() == 1
        assert case_for(code) == target
    # the old membership is kept, ended
    assert CooperativeVillage.objects.get(cooperative=other, village_code=KASUNGAI).left_at is not None
    for case in (target, other):
        move = StageMove.objects.filter(cooperative=case, kind=MoveKind.MERGED).get()
        assert (move.actor, move.reason) == (admin_dinas, "Penduduk Kasungai di bawah 500 jiwa")
    audit = AuditEntry.objects.get(action="formation.merge")
    assert audit.object_id == str(target.pk)
    assert audit.before == {"merged": other.name, "villages": [KASUNGAI]}
    assert Cooperative.objects.filter(programme=programme, is_active=True).count() == 143


def test_merging_needs_a_reason(programme, admin_dinas):
    target, other = case_for(SUNGAI_TERIK), case_for(KASUNGAI)
    before = saved_state(other)

    with pytest.raises(ValidationError) as excinfo:
        services.merge_cooperatives(actor=admin_dinas, target=target, others=[other], reason=" ")

    assert list(excinfo.value.message_dict) == ["reason"]
    assert saved_state(other) == before
    assert case_for(KASUNGAI) == other


def test_merging_a_cooperative_with_itself_is_refused(programme, admin_dinas):
    target = case_for(SUNGAI_TERIK)

    with pytest.raises(ValidationError) as excinfo:
        services.merge_cooperatives(actor=admin_dinas, target=target, others=[target], reason="Gabung")

    assert list(excinfo.value.message_dict) == ["others"]


def test_merging_a_cooperative_waiting_for_verification_is_refused(programme, admin_dinas, operator_sungai_terik):
    target, other = case_for(KASUNGAI), case_for(SUNGAI_TERIK)
    submit(operator_sungai_terik, other, 1)

    with pytest.raises(ValidationError) as excinfo:
        services.merge_cooperatives(actor=admin_dinas, target=target, others=[other], reason="Gabung")

    assert list(excinfo.value.message_dict) == ["others"]
    assert case_for(SUNGAI_TERIK) == other


def test_an_already_merged_cooperative_cannot_be_merged_again(programme, admin_dinas):
    target, other = case_for(SUNGAI_TERIK), case_for(KASUNGAI)
    services.merge_cooperatives(actor=admin_dinas, target=target, others=[other], reason="Gabung")
    other.refresh_from_db()
    janju = case_for(JANJU)

    # a merged record serves no village any more, so nobody holds a scope over it to act on
    with pytest.raises(PermissionDenied):
        services.merge_cooperatives(actor=admin_dinas, target=janju, others=[other], reason="Lagi")

    assert Cooperative.objects.get(pk=other.pk).merged_into == target
    assert not CooperativeVillage.objects.filter(cooperative=janju).exclude(village_code=JANJU).exists()


def test_the_database_refuses_a_second_active_cooperative_for_a_village(programme):
    janju_membership = CooperativeVillage.objects.get(village_code=JANJU)

    with pytest.raises(IntegrityError), transaction.atomic():
        CooperativeVillage.objects.create(
            cooperative=case_for(SUNGAI_TERIK), village_id=janju_membership.village_id, village_code=JANJU
        )

    assert CooperativeVillage.objects.filter(village_code=JANJU, left_at__isnull=True).count() == 1


def test_a_merged_villages_operator_may_submit_for_the_joint_cooperative(programme, admin_dinas, operator_sungai_terik):
    target, other = case_for(KASUNGAI), case_for(SUNGAI_TERIK)
    services.merge_cooperatives(actor=admin_dinas, target=target, others=[other], reason="Gabung")

    submission = submit(operator_sungai_terik, target, 1)

    assert submission.cooperative == target


# --- every move is history and audit -----------------------------------------------------------------------------


def test_every_move_writes_a_history_row_and_an_audit_entry(janju, operator_janju, admin_dinas):
    noon = timezone.make_aware(datetime(2025, 5, 2, 12, 0))

    def moves_and_audit():
        return StageMove.objects.count(), AuditEntry.objects.count()

    def one_more_of_each(before):
        return moves_and_audit() == (before[0] + 1, before[1] + 1)

    before = moves_and_audit()
    first = services.submit_stage(
        actor=operator_janju,
        cooperative=janju,
        version=janju.version,
        stage=1,
        source="impor: rekap-sosialisasi.xlsx",
        at=noon,
        **evidence_for(1),
    )
    assert one_more_of_each(before)
    move = StageMove.objects.latest("id")
    assert (move.kind, move.actor, move.at, move.from_stage, move.to_stage, move.source, move.submission) == (
        MoveKind.SUBMITTED,
        operator_janju,
        noon,
        0,
        1,
        "impor: rekap-sosialisasi.xlsx",
        first,
    )
    assert AuditEntry.objects.latest("id").action == "formation.submit_stage"
    assert AuditEntry.objects.latest("id").source == "impor: rekap-sosialisasi.xlsx"

    before = moves_and_audit()
    services.return_submission(actor=admin_dinas, submission=first, reason="Jumlah peserta tidak terbaca")
    assert one_more_of_each(before)

    second = submit(operator_janju, janju, 1)
    before = moves_and_audit()
    services.verify_submission(actor=admin_dinas, submission=second, at=noon + timedelta(hours=1))
    assert one_more_of_each(before)
    move = StageMove.objects.latest("id")
    assert (move.kind, move.actor, move.at, move.from_stage, move.to_stage) == (
        MoveKind.VERIFIED,
        admin_dinas,
        noon + timedelta(hours=1),
        0,
        1,
    )
    audit = AuditEntry.objects.latest("id")
    assert (audit.action, audit.before["stage"], audit.after["stage"]) == ("formation.verify_stage", 0, 1)

    janju.refresh_from_db()
    before = moves_and_audit()
    services.step_back(actor=admin_dinas, cooperative=janju, version=janju.version, stage=0, reason="Salah desa")
    assert one_more_of_each(before)

    kinds = list(StageMove.objects.filter(cooperative=janju).order_by("id").values_list("kind", flat=True))
    assert kinds == [
        MoveKind.CREATED,
        MoveKind.SUBMITTED,
        MoveKind.RETURNED,
        MoveKind.SUBMITTED,
        MoveKind.VERIFIED,
        MoveKind.STEP_BACK,
    ]


def test_workflow_table_keeps_musdesus_held_as_the_first_dated_stage():
    # the deed-before-Musdesus rule reads this table; scheduling (stage 3) must not constrain later dates
    assert [s.number for s in workflow.dated_stages_before(7)] == [4, 5, 6]

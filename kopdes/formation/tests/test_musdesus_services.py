"""Musdesus and facilitator-team services: recording, feeding stages 2–4, blocking on rule errors, writing the decisions
into the cooperative on verification, audit entries with NIKs masked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation import services as formation
from kopdes.formation.models import FacilitatorTeam, Musdesus, Participant, StageSubmission
from kopdes.formation.musdesus import documents, services
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import advance, case_for, pdf, saved_state
from kopdes.formation.workflow import Pathway, SubmissionStatus

pytestmark = pytest.mark.django_db

MEMBERS = [
    {"name": "Siti Nur'aini", "position": "Ketua", "element": "tokoh_masyarakat", "phone": "0812 5555 1234"},
    {"name": "Ahmad", "position": "Anggota", "element": "bpd", "phone": ""},
]


@pytest.fixture
def janju(programme, admin_dinas):
    return advance(case_for(JANJU), 1, submitter=admin_dinas)


def test_recording_the_team_and_submitting_it_feeds_stage_2(janju, operator_janju, admin_dinas):
    """The decree's number comes from the desa's register once issued (no number is typed any more)."""
    services.save_team(actor=operator_janju, cooperative=janju, members=MEMBERS, decree_date=date(2025, 4, 20))
    issued = documents.issue(janju, "sk-tim", operator_janju)
    submission = services.submit_team(actor=operator_janju, cooperative=janju)
    assert (submission.stage, submission.evidence_number) == (2, issued.number)
    formation.verify_submission(actor=admin_dinas, submission=submission)
    janju.refresh_from_db()
    assert janju.stage == 2 and janju.team_decree_number == issued.number
    assert janju.team_formed_date == date(2025, 4, 20)
    assert AuditEntry.objects.filter(action="formation.save_team").count() == 1


def test_a_number_typed_before_the_register_is_kept_as_history(janju, operator_janju):
    team = services.save_team(actor=operator_janju, cooperative=janju, members=MEMBERS, decree_date=date(2025, 4, 20))
    FacilitatorTeam.objects.filter(pk=team.pk).update(decree_number="141/05/2025")  # typed in an earlier version
    services.save_team(actor=operator_janju, cooperative=janju, members=MEMBERS[:1], decree_date=date(2025, 4, 20))
    assert FacilitatorTeam.objects.get(pk=team.pk).decree_number == "141/05/2025"  # saving no longer clears it
    submission = services.submit_team(actor=operator_janju, cooperative=janju)
    assert submission.evidence_number == "141/05/2025"  # not issued from the register: the old number stands


def test_recording_the_team_again_replaces_its_members(janju, operator_janju):
    services.save_team(actor=operator_janju, cooperative=janju, members=MEMBERS, formed_date=date(2025, 4, 20))
    team = services.save_team(actor=operator_janju, cooperative=janju, members=MEMBERS[:1])
    assert [m.name for m in team.members.all()] == ["Siti Nur'aini"]


def test_a_team_without_members_is_refused(janju, operator_janju):
    with pytest.raises(ValidationError):
        services.save_team(actor=operator_janju, cooperative=janju, members=[])


def test_an_operator_of_another_village_cannot_record_the_team(janju, operator_sungai_terik):
    with pytest.raises(PermissionDenied):
        services.save_team(actor=operator_sungai_terik, cooperative=janju, members=MEMBERS)


def test_pimpinan_cannot_record_decisions(janju, pimpinan):
    with pytest.raises(PermissionDenied):
        data.record_valid(pimpinan, janju)


def test_the_schedule_feeds_stage_3(programme, admin_dinas, operator_janju):
    case = advance(case_for(JANJU), 2, submitter=admin_dinas)
    data.record_valid(operator_janju, case)
    submission = services.submit_schedule(actor=operator_janju, cooperative=case)
    formation.verify_submission(actor=admin_dinas, submission=submission)
    case.refresh_from_db()
    assert case.stage == 3 and case.musdesus_scheduled_date == date(2025, 5, 14)


def test_empty_attendance_is_refused_and_nothing_saved(janju, operator_janju):
    before = saved_state(janju)
    with pytest.raises(ValidationError):
        services.record_attendance(actor=operator_janju, cooperative=janju, attendees=[])
    assert saved_state(janju) == before and not Musdesus.objects.exists()


@pytest.fixture
def janju_scheduled(programme, admin_dinas):
    return advance(case_for(JANJU), 3, submitter=admin_dinas)


def test_signed_berita_acara_feeds_stage_4_and_verification_writes_the_decisions(
    janju_scheduled, operator_janju, admin_dinas
):
    case = janju_scheduled
    data.record_valid(
        operator_janju,
        case,
        cooperative_name="Koperasi Desa Merah Putih Janju Kecamatan Tanah Grogot",
        pathway=Pathway.REVITALISASI,
        revitalisation_method="penggabungan",
        existing_cooperative="KUD Janju Makmur",
    )
    case.refresh_from_db()
    submission = services.submit_berita_acara(
        actor=operator_janju, cooperative=case, version=case.version, scan=pdf("ba-ttd.pdf")
    )
    assert submission.status == SubmissionStatus.PENDING and submission.files.count() == 1
    assert submission.files.get().sensitivity == "sensitive"
    formation.verify_submission(actor=admin_dinas, submission=submission)
    case.refresh_from_db()
    assert case.stage == 4 and case.musdesus_date == date(2025, 5, 14)
    assert case.name == "Koperasi Desa Merah Putih Janju Kecamatan Tanah Grogot"
    assert case.pathway == Pathway.REVITALISASI


def test_a_rule_error_blocks_submitting_but_not_saving(janju_scheduled, operator_janju):
    case = janju_scheduled
    musdesus, findings = data.record_valid(operator_janju, case, founders=data.founders(5))
    assert any(f.is_error for f in findings)
    assert Participant.objects.filter(musdesus=musdesus, kind="founder").count() == 5  # saved as decided
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.submit_berita_acara(actor=operator_janju, cooperative=case, version=case.version, scan=pdf())
    assert "9" in " ".join(error.value.messages)
    assert not StageSubmission.objects.filter(cooperative=case, stage=4).exists()


def test_berita_acara_without_attendance_is_refused(janju_scheduled, operator_janju):
    case = janju_scheduled
    data.record_valid(operator_janju, case)
    Participant.objects.filter(kind="attendee").delete()
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.submit_berita_acara(actor=operator_janju, cooperative=case, version=case.version, scan=pdf())


def test_berita_acara_dated_in_the_future_is_refused(janju_scheduled, operator_janju):
    case = janju_scheduled
    data.record_valid(operator_janju, case)
    Musdesus.objects.filter(cooperative=case).update(date=date.today() + timedelta(days=30))
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.submit_berita_acara(actor=operator_janju, cooperative=case, version=case.version, scan=pdf())


def test_niks_are_masked_in_the_audit_log(janju, operator_janju):
    data.record_valid(operator_janju, janju)
    text = " ".join(str(e.before) + str(e.after) for e in AuditEntry.objects.filter(action__startswith="formation."))
    assert data.nik(1) not in text
    assert "640104********01" in text


def test_rule_findings_are_recorded_on_the_musdesus_and_in_the_audit(janju, operator_janju):
    musdesus, _findings = data.record_valid(operator_janju, janju, founders=data.founders(12))
    musdesus.refresh_from_db()
    assert [f["rule"] for f in musdesus.findings] == ["founders_below_20"]
    entry = AuditEntry.objects.filter(action="formation.record_decisions").latest("id")
    assert entry.after["findings"] == [{"rule": "founders_below_20", "severity": "warning"}]


def test_other_village_is_untouched(janju, operator_janju):
    data.record_valid(operator_janju, janju)
    assert not Musdesus.objects.filter(cooperative=case_for(SUNGAI_TERIK)).exists()

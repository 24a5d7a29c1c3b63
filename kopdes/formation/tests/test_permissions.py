"""Who may do what to a case, enforced by the services themselves (the views add 404s on top)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kopdes.accounts.roles import Role
from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK
from kopdes.formation import services
from kopdes.formation.models import StageSubmission
from kopdes.formation.tests.helpers import advance, case_for, evidence_for, saved_state, submit
from kopdes.formation.workflow import SubmissionStatus
from kopdes.tests.factories import make_user


@pytest.fixture
def janju(programme):
    return case_for(JANJU)


@pytest.fixture
def pending(janju, operator_janju):
    return submit(operator_janju, janju, 1)


def test_operator_of_janju_cannot_submit_for_sungai_terik(programme, operator_janju):
    sungai_terik = case_for(SUNGAI_TERIK)
    before = saved_state(sungai_terik)

    with pytest.raises(PermissionDenied):
        services.submit_stage(
            actor=operator_janju, cooperative=sungai_terik, version=sungai_terik.version, stage=1, **evidence_for(1)
        )

    assert saved_state(sungai_terik) == before


@pytest.mark.parametrize("role", ["operator_janju", "camat_tanah_grogot", "pendamping", "admin_dinas"])
def test_those_who_enter_data_for_janju_may_submit(janju, request, role):
    submission = submit(request.getfixturevalue(role), janju, 1)

    assert submission.status == SubmissionStatus.PENDING


@pytest.mark.parametrize("role", ["pimpinan", "mitra", "camat_batu_sopang", "operator_sungai_terik"])
def test_read_only_roles_and_other_regions_cannot_submit(janju, request, role):
    before = saved_state(janju)

    with pytest.raises(PermissionDenied):
        submit(request.getfixturevalue(role), janju, 1)

    assert saved_state(janju) == before


@pytest.mark.parametrize(
    "role", ["camat_tanah_grogot", "operator_janju", "pendamping", "pimpinan", "mitra", "camat_batu_sopang"]
)
def test_only_the_office_may_verify(pending, request, role):
    with pytest.raises(PermissionDenied):
        services.verify_submission(actor=request.getfixturevalue(role), submission=pending)

    assert StageSubmission.objects.get(pk=pending.pk).status == SubmissionStatus.PENDING
    assert case_for(JANJU).stage == 0


def test_admin_dinas_verifies(pending, admin_dinas):
    services.verify_submission(actor=admin_dinas, submission=pending)

    assert case_for(JANJU).stage == 1


@pytest.mark.parametrize("role", ["camat_tanah_grogot", "operator_janju", "pimpinan"])
def test_only_the_office_may_return(pending, request, role):
    with pytest.raises(PermissionDenied):
        services.return_submission(actor=request.getfixturevalue(role), submission=pending, reason="Tidak lengkap")

    assert StageSubmission.objects.get(pk=pending.pk).status == SubmissionStatus.PENDING


@pytest.mark.parametrize("role", ["camat_tanah_grogot", "operator_janju", "pendamping"])
def test_only_the_office_may_step_back(janju, admin_dinas, request, role):
    advance(janju, 2, submitter=admin_dinas)

    with pytest.raises(PermissionDenied):
        services.step_back(
            actor=request.getfixturevalue(role), cooperative=janju, version=janju.version, stage=1, reason="Koreksi"
        )

    assert case_for(JANJU).stage == 2


@pytest.mark.parametrize("role", ["camat_batu_sopang", "operator_sungai_terik"])
def test_only_the_office_may_merge(programme, request, role):
    target, other = case_for(SUNGAI_TERIK), case_for("64.01.01.2014")

    with pytest.raises(PermissionDenied):
        services.merge_cooperatives(actor=request.getfixturevalue(role), target=target, others=[other], reason="Gabung")

    assert case_for("64.01.01.2014") == other


def test_merging_checks_the_scope_over_every_cooperative_not_only_the_target(programme):
    # an office whose scope holds the target's village (Sungai Terik) but not the other's (Janju)
    office_of_batu_sopang = make_user("admin.batusopang", Role.ADMIN_DINAS, BATU_SOPANG)

    with pytest.raises(PermissionDenied):
        services.merge_cooperatives(
            actor=office_of_batu_sopang, target=case_for(SUNGAI_TERIK), others=[case_for(JANJU)], reason="Gabung"
        )

    assert case_for(JANJU) != case_for(SUNGAI_TERIK)

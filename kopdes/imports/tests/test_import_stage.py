"""The formation service behind imported stage moves: forward only, verified by the importing office, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU
from kopdes.formation import services
from kopdes.formation.models import StageMove
from kopdes.formation.tests.helpers import advance, case_for, submit
from kopdes.formation.workflow import MoveKind


def test_an_imported_stage_counts_as_verified_with_the_file_as_source(programme, admin_dinas):
    janju = case_for(JANJU)
    changed = services.import_stage(
        actor=admin_dinas,
        cooperative=janju,
        stage=8,
        fields={"musdesus_date": date(2025, 5, 16), "sk_ahu_number": "AHU-1"},
        source="impor:status.xlsx",
    )
    janju = case_for(JANJU)
    move = StageMove.objects.get(cooperative=janju, kind=MoveKind.VERIFIED)
    assert changed and (janju.stage, janju.sk_ahu_number, janju.updated_by) == (8, "AHU-1", admin_dinas)
    assert (move.source, move.actor, move.from_stage, move.to_stage) == ("impor:status.xlsx", admin_dinas, 0, 8)
    entry = AuditEntry.objects.get(action="formation.import_stage")
    assert entry.before["stage"] == 0 and entry.after["musdesus_date"] == "2025-05-16"


def test_the_same_values_again_change_nothing(programme, admin_dinas):
    services.import_stage(actor=admin_dinas, cooperative=case_for(JANJU), stage=4, fields={}, source="a")
    again = services.import_stage(actor=admin_dinas, cooperative=case_for(JANJU), stage=4, fields={}, source="a")
    assert again is False and StageMove.objects.filter(kind=MoveKind.VERIFIED).count() == 1


def test_evidence_only_is_written_without_a_stage_move(programme, admin_dinas):
    services.import_stage(actor=admin_dinas, cooperative=case_for(JANJU), stage=4, fields={}, source="a")
    services.import_stage(
        actor=admin_dinas, cooperative=case_for(JANJU), stage=4, fields={"musdesus_date": date(2025, 5, 2)}, source="b"
    )
    assert case_for(JANJU).musdesus_date == date(2025, 5, 2)
    assert StageMove.objects.filter(kind=MoveKind.VERIFIED).count() == 1
    assert AuditEntry.objects.filter(action="formation.import_stage").count() == 2


def test_an_import_never_moves_back(programme, admin_dinas):
    janju = advance(case_for(JANJU), 5, submitter=admin_dinas)
    with pytest.raises(ValidationError):
        services.import_stage(actor=admin_dinas, cooperative=janju, stage=4, fields={}, source="a")
    assert case_for(JANJU).stage == 5


def test_evidence_of_a_later_stage_is_refused(programme, admin_dinas):
    with pytest.raises(ValidationError):
        services.import_stage(
            actor=admin_dinas, cooperative=case_for(JANJU), stage=4, fields={"sk_ahu_number": "X"}, source="a"
        )


def test_a_pending_submission_blocks_the_import(programme, admin_dinas, operator_janju):
    submit(operator_janju, case_for(JANJU), 1)
    with pytest.raises(ValidationError):
        services.import_stage(actor=admin_dinas, cooperative=case_for(JANJU), stage=4, fields={}, source="a")
    assert case_for(JANJU).stage == 0


def test_only_those_who_verify_import_stages(programme, camat_tanah_grogot):
    with pytest.raises(PermissionDenied):
        services.import_stage(actor=camat_tanah_grogot, cooperative=case_for(JANJU), stage=4, fields={}, source="a")

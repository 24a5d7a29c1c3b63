"""The stage-label cleaner: the clerks' forms, and labels that say a step is under way (never counted as done)."""

from __future__ import annotations

import pytest

from kopdes.cleaners.stage_labels import EXACT, INFERRED, STAGE_NAMES, UNKNOWN, WORKFLOW_KEYS, read_stage
from kopdes.cleaners.text import norm
from kopdes.formation import workflow


@pytest.mark.parametrize(
    "label,stage",
    [("Sudah Musdes", 4), ("Musdesus", 4), ("MUSDESUS TERLAKSANA", 4), ("MUSDESUS SELESAI", 4),
     ("Musdesus sdh dilaksanakan", 4), ("musdesus tlh terlaksana.", 4), ("Musdesus - OK", 4), ("✓ Musdesus", 4),
     ("Musdesus ✓", 4), ("Musdesus rampung", 4), ("Akta Notaris", 7), ("akta notaris (selesai)", 7), ("SK AHU", 8),
     ("SK AHU sudah terbit", 8), ("SK Kemenkum", 8), ("belum", 0), ("Belum ", 0), ("BLM MULAI", 0), ("-", 0),
     ("Sosialisasi", 1), ("Tim fasilitator terbentuk", 2), ("Musdesus dijadwalkan", 3), ("Tahap 6", 6), (3, 3),
     (9.0, 9), ("sudah beroperasi", 11), ("Terdaftar SIMKOPDES", 10), ("NIB sdh terbit", 9),
     ("Rapat pendirian telah dilaksanakan", 5)],
)  # fmt: skip
def test_clerks_labels_are_understood_exactly(label, stage):
    reading = read_stage(label)
    assert (reading.stage, reading.certainty) == (stage, EXACT)


@pytest.mark.parametrize(
    "label,named",
    [("Proses Akta Notaris", 7), ("Proses SK AHU", 8), ("sedang musdesus", 4), ("Dalam proses SK AHU", 8),
     ("dlm proses akta", 7), ("Menunggu SK AHU", 8), ("Akta notaris (proses)", 7), ("SK AHU dalam proses", 8),
     ("sdg proses NIB", 9), ("belum akta", 7), ("pengajuan SK AHU", 8)],
)  # fmt: skip
def test_a_step_under_way_is_not_reached(label, named):
    reading = read_stage(label)
    assert reading.certainty == INFERRED and not reading.reached
    assert reading.named == named and reading.stage == named - 1


def test_a_close_misspelling_is_inferred_not_exact():
    reading = read_stage("Musdesuss selesai")
    assert (reading.stage, reading.certainty) == (4, INFERRED)


@pytest.mark.parametrize("label", ["hampir selesai", "ok", "proses", "???", "tahap 14", 15, "lihat catatan"])
def test_what_is_not_understood_is_unknown_and_never_raises(label):
    reading = read_stage(label)
    assert reading.certainty == UNKNOWN and reading.stage is None


def test_labels_written_alike_share_one_key():
    assert read_stage("PROSES AKTA NOTARIS").label == read_stage("proses  akta-notaris").label
    assert read_stage("Musdesus sdh").label == read_stage("musdesus sudah").label


def test_the_cleaner_knows_every_stage_of_the_workflow_by_its_key():
    assert {norm(s.key): s.number for s in workflow.STAGES} == WORKFLOW_KEYS
    assert set(STAGE_NAMES) == set(workflow.BY_NUMBER)
    for stage in workflow.STAGES:
        assert read_stage(stage.key).stage == stage.number

"""Every file of the bad input corpus (tests/corpus/): a clear Indonesian message and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.cooperatives.models import Member
from kopdes.formation.models import Cooperative, StageMove
from kopdes.formation.tests.helpers import case_for
from kopdes.imports.models import BatchStatus, ImportBatch
from kopdes.imports.tests.sheets import upload

CORPUS = Path(__file__).parent / "corpus"
# file -> a fragment of the message the members upload must show
EXPECTED = {
    "pdf-renamed.xlsx": "bukan buku kerja Excel (.xlsx) atau berkas CSV",
    "png-renamed.xlsx": "bukan buku kerja Excel (.xlsx) atau berkas CSV",
    "random-bytes.xlsx": "bukan buku kerja Excel (.xlsx) atau berkas CSV",
    "truncated.xlsx": "tidak dapat dibaca sebagai buku kerja Excel",
    "zero-bytes.csv": "kosong",
    "empty-sheet.xlsx": "tidak berisi data",
    "no-header.xlsx": "Baris judul kolom tidak ditemukan",
    "only-header.xlsx": "tidak berisi baris anggota",
    "200-columns.xlsx": "memiliki 200 kolom",
    "formulas.xlsx": "rumus tanpa nilai",
    "nik-letters.xlsx": "yang bukan angka: NIK terdiri atas 16 angka",
    "nik-number-too-large.xlsx": "NIK ada di sel angka: Excel hanya menyimpan 15 digit",
    "nik-scientific.csv": "notasi ilmiah",
    "utf16.csv": "CSV UTF-8",
    "broken-encoding.csv": "CSV UTF-8",
    "binary.csv": "CSV UTF-8",
}
FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".xlsx", ".csv"))


def test_every_corpus_file_has_its_expected_message():
    assert set(FILES) == set(EXPECTED)


def _messages(client, response) -> str:
    """The page's text: the upload form's error, or the batch page's error list."""
    if response.status_code == 302:
        batch = ImportBatch.objects.latest("id")
        assert batch.status == BatchStatus.INVALID
        response = client.get(response["Location"])
    assert response.status_code == 200
    return response.content.decode()


def _nothing_written(stages_before):
    assert Member.objects.count() == 0
    assert not StageMove.objects.filter(source__startswith="impor").exists()
    assert dict(Cooperative.objects.values_list("id", "stage")) == stages_before


@pytest.mark.parametrize("name", FILES)
def test_a_bad_members_file_gets_a_clear_message_and_nothing_is_written(client, programme, admin_dinas, name):
    stages = dict(Cooperative.objects.values_list("id", "stage"))
    client.force_login(admin_dinas)
    response = client.post(
        reverse("imports:members", args=[case_for(JANJU).pk]), {"file": upload((CORPUS / name).read_bytes(), name)}
    )
    assert EXPECTED[name] in _messages(client, response)
    _nothing_written(stages)


@pytest.mark.parametrize("name", FILES)
def test_a_bad_village_status_file_gets_a_message_and_nothing_is_written(client, programme, admin_dinas, name):
    stages = dict(Cooperative.objects.values_list("id", "stage"))
    client.force_login(admin_dinas)
    response = client.post(reverse("imports:village_status"), {"file": upload((CORPUS / name).read_bytes(), name)})
    html = _messages(client, response)
    assert "invalid-feedback" in html or 'data-testid="errors"' in html
    _nothing_written(stages)


def test_a_50_mb_file_is_refused_by_its_size_before_it_is_read(client, programme, admin_dinas, tmp_path, monkeypatch):
    path = tmp_path / "besar.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(50 * 1024 * 1024)
    read = []
    monkeypatch.setattr("kopdes.imports.reader.find_table", lambda *a, **k: read.append(1))
    client.force_login(admin_dinas)
    with path.open("rb") as handle:
        response = client.post(reverse("imports:members", args=[case_for(JANJU).pk]), {"file": handle})
    html = response.content.decode()
    assert response.status_code == 200 and "50,0" in html and "maksimum yang diizinkan 20,0" in html, html[-3000:]
    assert read == [] and not ImportBatch.objects.exists() and Member.objects.count() == 0

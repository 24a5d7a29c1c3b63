"""A storage error while keeping an import's spreadsheet: the upload page says so in Indonesian, no batch
is created and no file (not even a partly written one) is left in MEDIA_ROOT."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.formation.tests.helpers import case_for
from kopdes.imports.models import ImportBatch
from kopdes.imports.tests.sheets import upload, xlsx

MEMBERS = [
    ["No", "NIK", "Nama Anggota", "Dusun", "Tgl Masuk"],
    [1, "'6401044112950003", "Siti Aminah", "Dusun I", "11/05/2025"],
]
STATUS_CSV = "Kode Desa,Nama Desa,Tahapan\n64.01.04.2001,Janju,Sudah Musdes\n"


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def failing_storage(monkeypatch, code: int) -> list[str]:
    """The storage's save fails with `code` after writing part of the file, as a full disk does (FileSystemStorage
    leaves those bytes behind itself)."""
    calls = []

    def save(self, name, content):
        calls.append(name)
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:10])
        raise OSError(code, "storage error")

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return calls


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_storage_error_on_a_members_upload_says_so_and_keeps_nothing(
    client, programme, admin_dinas, monkeypatch, code
):
    cooperative = case_for(JANJU)
    calls = failing_storage(monkeypatch, code)
    client.force_login(admin_dinas)

    response = client.post(
        reverse("imports:members", args=[cooperative.pk]), {"file": upload(xlsx(MEMBERS), "anggota.xlsx")}
    )

    assert len(calls) == 1  # the file was read and planned; storing it failed
    page = response.content.decode()
    assert response.status_code == 200
    assert "Berkas anggota.xlsx tidak dapat disimpan: ruang penyimpanan server penuh" in page
    assert "Tidak ada yang diimpor" in page
    assert not ImportBatch.objects.exists()
    assert stored_files() == []


def test_a_full_disk_on_a_village_status_upload_says_so_and_keeps_nothing(client, programme, admin_dinas, monkeypatch):
    failing_storage(monkeypatch, errno.ENOSPC)
    client.force_login(admin_dinas)

    response = client.post(reverse("imports:village_status"), {"file": upload(STATUS_CSV.encode(), "status.csv")})

    assert "Berkas status.csv tidak dapat disimpan" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert stored_files() == []


def test_a_stored_spreadsheet_is_the_batch_file_under_a_random_name(client, programme, admin_dinas):
    cooperative = case_for(JANJU)
    client.force_login(admin_dinas)
    data = xlsx(MEMBERS)

    response = client.post(reverse("imports:members", args=[cooperative.pk]), {"file": upload(data, "anggota.xlsx")})

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert stored_files() == [Path(settings.MEDIA_ROOT) / batch.file.name]
    assert batch.file.name.startswith("imports/") and batch.file.name.endswith(".xlsx")
    assert "anggota" not in batch.file.name and batch.file.read() == data

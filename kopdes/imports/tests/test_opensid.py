"""People picked from an OpenSID resident export into a village's roster: only the ticked rows come in, only name,
NIK, sex, dusun, RT/RW and phone, and bad rows are shown with their row number.

The fixture is built here in the layout of OpenSID's own export (OpenSID/OpenSID,
donjo-app/models/Export_model.php, `expor()`): headed by the database field names — alamat, dusun, rw, rt, nama,
no_kk, nik, sex (1 laki-laki, 2 perempuan), tempatlahir, tanggallahir, agama_id, …, nama_ayah, nama_ibu — with "-" for
an empty dusun/RT/RW.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kopdes.conftest import JANJU
from kopdes.people.models import Person

HEADER = ["alamat", "dusun", "rw", "rt", "nama", "no_kk", "nik", "sex", "tempatlahir", "tanggallahir", "agama_id",
          "pendidikan_kk_id", "pekerjaan_id", "status_kawin", "kk_level", "nama_ayah", "nama_ibu"]  # fmt: skip
ROWS = [
    ["Jl. Poros", "Dusun I", "001", "003", "SITI AMINAH", "6401040101100001", "6401045708900001", "2", "PASER",
     "1990-08-17", "1", "5", "2", "2", "3", "AHMAD", "FATIMAH"],
    ["Jl. Poros", "Dusun II", "-", "-", "BUDI SANTOSO", "6401040101100001", "6401041203850002", "1", "PASER",
     "1985-03-12", "1", "5", "2", "2", "1", "HASAN", "AISYAH"],
    ["Jl. Poros", "Dusun II", "002", "001", "ANI RAHMA", "6401040101100002", "12345", "2", "PASER", "2000-01-01",
     "1", "5", "2", "1", "4", "JONO", "SRI"],
]  # fmt: skip


def opensid_export() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Penduduk"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.number_format = "@"  # OpenSID writes every value as text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def url():
    return reverse("imports:opensid", kwargs={"code": JANJU})


def _upload(client, url):
    file = SimpleUploadedFile("penduduk.xlsx", opensid_export())
    return client.post(url, {"file": file})


def test_preview_shows_every_row_and_the_bad_one_with_its_number(client, operator_janju, url):
    client.force_login(operator_janju)
    response = _upload(client, url)
    assert response.status_code == 200
    candidates = response.context["candidates"]
    assert [(c.row, c.data["name"], c.data["sex"], bool(c.errors)) for c in candidates] == [
        (2, "SITI AMINAH", "P", False),
        (3, "BUDI SANTOSO", "L", False),
        (4, "ANI RAHMA", "P", True),
    ]
    assert (candidates[0].data["rt"], candidates[0].data["rw"], candidates[1].data["rt"]) == ("003", "001", "")
    assert not Person.objects.exists()  # nothing is saved by the preview


def test_only_the_ticked_rows_and_fields_come_in(client, operator_janju, url):
    client.force_login(operator_janju)
    preview = _upload(client, url).context["preview"]
    response = client.post(url, {"preview": preview, "pick": ["3"]})
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.name, person.nik, person.sex, person.dusun, person.source) == (
        "BUDI SANTOSO",
        "6401041203850002",
        "L",
        "Dusun II",
        "opensid",
    )
    stored = " ".join(str(getattr(person, f.attname)) for f in Person._meta.fields)
    assert "HASAN" not in stored and "6401040101100001" not in stored and "1985" not in stored


def test_a_tampered_or_foreign_preview_is_refused(client, operator_janju, url):
    client.force_login(operator_janju)
    preview = _upload(client, url).context["preview"]
    client.post(url, {"preview": preview + "x", "pick": ["2"]})
    other = reverse("imports:opensid", kwargs={"code": "64.01.04.2003"})
    client.post(other, {"preview": preview, "pick": ["2"]})
    assert not Person.objects.exists()

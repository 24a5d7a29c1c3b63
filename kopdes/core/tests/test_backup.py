"""Backup and restore: the database and the uploads together, encrypted with a passphrase; a
round trip brings back every row of every model and every file byte for byte, on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import sys
import tarfile
from pathlib import Path

import pyrage
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pyrage import x25519

from kopdes.accounts.models import User
from kopdes.assistance.services.consultations import ask_question
from kopdes.conftest import JANJU
from kopdes.regions.models import Region
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES

PASSPHRASE = "kunci cadangan dinas paser"
pytestmark = pytest.mark.django_db(transaction=True)  # the database is replaced outside any test transaction


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch):
    monkeypatch.setenv("KOPDES_BACKUP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal: nothing is asked


def rows_of_every_model() -> dict[str, list[tuple]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def uploads() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def ask(user, subject: str, *files):
    return ask_question(
        actor=user,
        village=Region.objects.get(code=JANJU),
        category="legal",
        subject=subject,
        text="Bagaimana cara mendaftarkan akta pendirian?",
        files=[SimpleUploadedFile(name, content) for name, content in files],
    )


@pytest.fixture
def office(operator_janju, pendamping):
    """An office with people, a question with two attachments, and their files under MEDIA_ROOT."""
    ask(operator_janju, "Akta pendirian", ("akta.pdf", PDF_BYTES), ("papan.jpg", JPEG_BYTES))
    return operator_janju


def round_trip(tmp_path, operator):
    before, files_before = rows_of_every_model(), uploads()
    assert len(files_before) == 2 and before["accounts.User"]
    backup = tmp_path / "cadangan.kopdes-backup"

    call_command("backup", output=backup, stdout=io.StringIO())
    # the office goes on, then loses things: a new question and its file, a changed name, a lost upload
    ask(operator, "Pertanyaan sesudah cadangan", ("baru.pdf", PDF_BYTES))
    User.objects.filter(pk=operator.pk).update(first_name="Diubah")
    (Path(settings.MEDIA_ROOT) / next(iter(files_before))).unlink()
    assert rows_of_every_model() != before

    out = io.StringIO()
    call_command("restore", backup, force=True, stdout=out)

    assert rows_of_every_model() == before
    assert uploads() == files_before
    assert "Restored the backup" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
def test_a_round_trip_on_sqlite_restores_every_row_and_file(tmp_path, office):
    round_trip(tmp_path, office)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: runs when DATABASE_URL is postgres")
def test_a_round_trip_on_postgresql_restores_every_row_and_file(tmp_path, office):
    round_trip(tmp_path, office)


def test_the_backup_is_two_age_files_readable_only_with_the_passphrase(tmp_path, db):
    backup = tmp_path / "cadangan.kopdes-backup"
    call_command("backup", output=backup, stdout=io.StringIO())

    with tarfile.open(backup) as outer:
        sealed_key, data = (outer.extractfile(name).read() for name in ("key.age", "data.age"))
    assert sealed_key.startswith(b"age-encryption.org/v1\n-> scrypt ")  # the passphrase guards the key
    assert data.startswith(b"age-encryption.org/v1\n-> X25519 ")  # the key guards the data
    identity = x25519.Identity.from_str(pyrage.passphrase.decrypt(sealed_key, PASSPHRASE).decode())
    assert pyrage.decrypt(data, [identity]).startswith(b"\x1f\x8b")  # a gzip'd tar, as docs/deployment.md says
    assert oct(backup.stat().st_mode & 0o777) == "0o600"


def test_a_refused_restore_says_why_and_changes_nothing(tmp_path, office, monkeypatch):
    backup = tmp_path / "cadangan.kopdes-backup"
    call_command("backup", output=backup, stdout=io.StringIO())
    ask(office, "Sesudah cadangan", ("baru.pdf", PDF_BYTES))
    now, files_now = rows_of_every_model(), uploads()
    damaged = tmp_path / "rusak.kopdes-backup"
    data = bytearray(backup.read_bytes())
    with tarfile.open(backup) as outer:
        sealed = outer.getmember("data.age")
    data[sealed.offset_data + sealed.size // 2] ^= 0xFF  # one flipped byte in the middle of the encrypted data
    damaged.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="--force"):  # a database with data, no terminal to ask
        call_command("restore", backup)
    terminal = io.StringIO("")
    terminal.isatty = lambda: True
    monkeypatch.setattr(sys, "stdin", terminal)
    monkeypatch.setattr("builtins.input", lambda prompt: "tidak")
    with pytest.raises(CommandError, match="Not restored"):  # asked, and the answer was no
        call_command("restore", backup)
    with pytest.raises(CommandError, match="damaged.*Nothing was changed"):
        call_command("restore", damaged, force=True)
    monkeypatch.setenv("KOPDES_BACKUP_PASSPHRASE", "bukan kata sandinya")
    with pytest.raises(CommandError, match="Wrong passphrase.*Nothing was changed.*lost passphrase"):
        call_command("restore", backup, force=True)

    assert rows_of_every_model() == now and uploads() == files_now
    assert [p.name for p in Path(settings.MEDIA_ROOT).parent.iterdir() if "restore" in p.name] == []


def test_the_passphrase_is_never_a_command_line_argument_and_must_be_long(tmp_path, db, monkeypatch):
    with pytest.raises(TypeError, match="passphrase"):
        call_command("backup", output=tmp_path / "a.kopdes-backup", passphrase=PASSPHRASE)
    monkeypatch.setenv("KOPDES_BACKUP_PASSPHRASE", "pendek")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("backup", output=tmp_path / "b.kopdes-backup")
    assert not list(tmp_path.iterdir())

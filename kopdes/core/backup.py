"""Backup and restore of a Kopdes installation: the database and the uploaded files together, encrypted with a
passphrase. The commands `manage.py backup` and `manage.py restore` are thin wrappers.

Why encrypted: the database holds members' full NIKs and the uploads hold scans of identity documents. The passphrase
goes through age's scrypt recipient (pyrage, the age format), so a backup can also be read without Kopdes, with the
`age` tool (docs/deployment.md). There is no key escrow: a lost passphrase is a lost backup.

The file (`*.kopdes-backup`) is a plain tar of two age files, so the passphrase's deliberately slow key derivation
(scrypt) runs once and the data streams through in bounded memory, whatever the size of the uploads:
    key.age     a fresh age identity made for this backup, encrypted with the passphrase (age's scrypt recipient)
    data.age    a gzip'd tar encrypted to that identity (age's X25519 recipient), holding
    manifest.json           format, time, database vendor, Kopdes' migrations, every file's size and sha256
    database.sqlite3        SQLite: a consistent copy taken with SQLite's online backup API, byte for byte
    database.pgdump         PostgreSQL: `pg_dump --format=custom` (schema, rows, sequences, indexes: everything)
    media/…                 every uploaded file, read through Django's storage API (`default_storage`: MEDIA_ROOT
                            on disk, or a shared volume or bucket through django-storages)

Why these database formats, not Django's dumpdata: they keep everything the database holds (sequences, the migration
table, the cache table, constraints) exactly, and each restores in one transaction — all or nothing. Moving between
SQLite and PostgreSQL is not a backup's job.

Order: the database is copied first, then the files. An upload's file is written before its row commits
(`files.uploads.atomic_with_files`), so every file the copied rows name is in the backup; a file uploaded during the
backup may be there without its row, which is harmless.

Restore: the passphrase is checked and the whole backup decrypted and verified (every file's sha256) into a staging
folder before anything is touched. Then the database is replaced in one transaction, then, on disk storage, MEDIA_ROOT
is swapped for the staged files by a rename; the previous uploads are kept beside it (`<media>.before-restore-<time>`),
never deleted. On any other storage (S3-compatible, through django-storages) every file of the backup is written
through the storage API under its own name (an existing object of that name is replaced: keep the bucket's
versioning on); files not in the backup are left alone. Stop the application (and its task worker) while restoring.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyrage
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from pyrage import x25519

FORMAT = "kopdes-backup/1"
MIN_PASSPHRASE = 12
LOST_PASSPHRASE = (
    "Without this passphrase the backup cannot be read by anyone, Kopdes and its developers included: "
    "keep it apart from the backup (e.g. in the office's safe or a password manager), never beside it."
)


class BackupError(Exception):
    """A backup or restore refused or failed; the message says what happened and what was (not) changed."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds (or a restore brought back): the database vendor, the number of uploaded files and their
    total bytes, when it was made, and its path."""

    path: Path
    vendor: str
    files: int
    file_bytes: int
    created_at: str


def check_passphrase(passphrase: str) -> None:
    """Refuse a passphrase shorter than `MIN_PASSPHRASE` characters (BackupError)."""
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise BackupError(f"The passphrase needs at least {MIN_PASSPHRASE} characters (a few words make a good one).")


# --- backup --------------------------------------------------------------------------------------------------------


def create_backup(*, destination: Path, passphrase: str, using: str = "default") -> Summary:
    """Write an encrypted backup of the database `using` and of MEDIA_ROOT to `destination` (a file, created; an
    existing file is refused). Raises BackupError (short passphrase, pg_dump missing or failing, unknown vendor)."""
    check_passphrase(passphrase)
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already: choose a new file name.")
    connection = connections[using]
    storage = default_storage
    with tempfile.TemporaryDirectory(prefix="kopdes-backup-") as work:
        work_dir = Path(work)
        database = _dump_database(connection, work_dir)
        media = stored_names(storage)
        files = {name: _describe_stored(storage, name) for name in media}
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "database": {"name": database.name, **_describe(database)},
            "migrations": sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()),
            "files": files,
        }
        inner = work_dir / "inner.tar.gz"
        with tarfile.open(inner, "w:gz", compresslevel=6) as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
            archive.add(database, arcname=database.name)
            for name in media:
                info = tarfile.TarInfo(f"media/{name}")
                info.size, info.mode = files[name]["size"], 0o600
                with storage.open(name, "rb") as stream:
                    archive.addfile(info, stream)
        identity = x25519.Identity.generate()
        encrypted = work_dir / "data.age"
        with inner.open("rb") as plain, encrypted.open("wb") as sealed:
            pyrage.encrypt_io(plain, sealed, [identity.to_public()])
        partial = destination.with_name(destination.name + ".partial")
        try:
            with tarfile.open(partial, "w") as outer:
                _add_bytes(outer, "key.age", pyrage.passphrase.encrypt(str(identity).encode(), passphrase))
                outer.add(encrypted, arcname="data.age")
            os.chmod(partial, 0o600)
            partial.replace(destination)
        finally:
            partial.unlink(missing_ok=True)
    return Summary(
        path=destination,
        vendor=connection.vendor,
        files=len(files),
        file_bytes=sum(f["size"] for f in files.values()),
        created_at=manifest["created_at"],
    )


def _dump_database(connection, work_dir: Path) -> Path:
    if connection.vendor == "sqlite":
        target = work_dir / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # a consistent snapshot, even while the application writes
        finally:
            copy.close()
        return target
    if connection.vendor == "postgresql":
        target = work_dir / "database.pgdump"
        _run_pg("pg_dump", connection, ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
        return target
    raise BackupError(f"Backups know SQLite and PostgreSQL, not {connection.vendor}.")


def _pg_env_and_args(connection) -> tuple[dict, list[str]]:
    params = connection.get_connection_params()
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])  # never on the command line, where `ps` would show it
    args = [f"--dbname={params.get('dbname') or connection.settings_dict['NAME']}"]
    for key, flag in (("host", "--host"), ("port", "--port"), ("user", "--username")):
        if params.get(key):
            args.append(f"{flag}={params[key]}")
    return env, args


def _run_pg(tool: str, connection, extra: list[str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed: install PostgreSQL's client tools (Debian: postgresql-client).")
    env, args = _pg_env_and_args(connection)
    result = subprocess.run([tool, *extra, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")


def stored_names(storage: Storage, folder: str = "") -> list[str]:
    """Every file's name in `storage` (paths with `/`, sorted), found through `listdir` alone, so any storage works."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:  # no upload yet: MEDIA_ROOT not created
        return []
    found = [f"{folder}{name}" for name in names]
    for sub in folders:
        found.extend(stored_names(storage, f"{folder}{sub}/"))
    return sorted(found)


def _describe_stored(storage: Storage, name: str) -> dict:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
            size += len(block)
    return {"size": size, "sha256": digest.hexdigest()}


def _write_through(storage: Storage, staged: Path, files: dict) -> None:
    """Put every staged file into a storage that is not a local folder, under its own name (replacing an object of
    that name); a storage that hands back another name is an error, since the restored rows name these files."""
    for name in sorted(files):
        if storage.exists(name):
            storage.delete(name)
        with (staged / name).open("rb") as stream:
            kept = storage.save(name, stream)
        if kept != name:
            raise BackupError(f"The storage kept {name} as {kept}: the restored rows would not find it.")


def _describe(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def _member(archive: tarfile.TarFile, name: str) -> IO[bytes]:
    """The content of the regular file `name` in `archive`; a link or folder of that name is a damaged archive."""
    member = archive.extractfile(name)
    if member is None:
        raise tarfile.TarError(f"{name} is not a file")
    return member


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


# --- restore -------------------------------------------------------------------------------------------------------


def database_has_data(using: str = "default") -> bool:
    """True when the database holds any user account: every record of Kopdes was written by one, so a database
    without users holds nothing a restore could destroy (a fresh `migrate`)."""
    return get_user_model().objects.using(using).exists()


def restore_backup(*, source: Path, passphrase: str, force: bool = False, using: str = "default") -> Summary:
    """Replace the database `using` and MEDIA_ROOT with the backup at `source`. Refused (BackupError, nothing
    changed) for a wrong passphrase, a file that is not a Kopdes backup or is damaged, a backup of another database
    vendor, or a database holding data without `force`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    connection = connections[using]
    storage = default_storage
    media_root = Path(storage.location) if isinstance(storage, FileSystemStorage) else None
    # on disk, staged beside MEDIA_ROOT, so the final swap is a rename on one file system
    stage_in = media_root.parent if media_root is not None else None
    if stage_in is not None:
        stage_in.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kopdes-restore-", dir=stage_in) as work:
        work_dir = Path(work)
        inner = work_dir / "inner.tar.gz"
        _decrypt(source, passphrase, inner)
        manifest, database, staged_media = _unpack(inner, work_dir)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest['vendor']} database; this installation uses {connection.vendor}. "
                "Nothing was changed."
            )
        if not force and database_has_data(using):
            raise BackupError("The database holds data: restoring replaces all of it. Nothing was changed.")
        _load_database(connection, database)
        if media_root is not None:
            if media_root.exists():
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
            staged_media.rename(media_root)
        else:
            _write_through(storage, staged_media, manifest["files"])
    return Summary(
        path=source,
        vendor=manifest["vendor"],
        files=len(manifest["files"]),
        file_bytes=sum(f["size"] for f in manifest["files"].values()),
        created_at=manifest["created_at"],
    )


def _decrypt(source: Path, passphrase: str, inner: Path) -> None:
    not_a_backup = f"{source} is not a Kopdes backup or is damaged ({{}}). Nothing was changed."
    try:
        with tarfile.open(source, "r:") as outer:
            names = outer.getnames()
            if sorted(names) != ["data.age", "key.age"]:
                raise BackupError(not_a_backup.format(f"it holds {names}"))
            sealed_key = _member(outer, "key.age").read()
            try:
                identity = x25519.Identity.from_str(pyrage.passphrase.decrypt(sealed_key, passphrase).decode())
            except pyrage.DecryptError as error:
                raise BackupError(
                    "Wrong passphrase: the backup cannot be opened with it. Nothing was changed. "
                    "A lost passphrase cannot be recovered; the backup is then lost."
                ) from error
            with _member(outer, "data.age") as sealed, inner.open("wb") as plain:
                pyrage.decrypt_io(sealed, plain, [identity])
    except BackupError:
        raise
    except (tarfile.TarError, OSError, ValueError, pyrage.DecryptError, pyrage.IdentityError) as error:
        raise BackupError(not_a_backup.format(error)) from error


def _unpack(inner: Path, work_dir: Path) -> tuple[dict, Path, Path]:
    staged_media = work_dir / "media"
    staged_media.mkdir()
    damaged = "The backup is damaged ({}). Nothing was changed."
    try:
        with tarfile.open(inner, "r:gz") as archive:
            names = archive.getnames()
            if "manifest.json" not in names:
                raise BackupError("This is not a Kopdes backup (no manifest). Nothing was changed.")
            manifest = json.loads(_member(archive, "manifest.json").read())
            if manifest.get("format") != FORMAT:
                raise BackupError(f"Unknown backup format {manifest.get('format')!r}. Nothing was changed.")
            archive.extractall(work_dir / "unpacked", filter="data")  # refuses absolute paths, `..` and links out
    except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile, json.JSONDecodeError) as error:
        raise BackupError(damaged.format(error)) from error
    unpacked = work_dir / "unpacked"
    database = unpacked / manifest["database"]["name"]
    expected = {f"media/{name}": facts for name, facts in manifest["files"].items()}
    expected[manifest["database"]["name"]] = {
        "size": manifest["database"]["size"],
        "sha256": manifest["database"]["sha256"],
    }
    for name, facts in expected.items():
        path = unpacked / name
        if not path.is_file() or _describe(path) != facts:
            raise BackupError(damaged.format(f"{name} differs from the manifest"))
    found = {p.relative_to(unpacked / "media").as_posix() for p in (unpacked / "media").rglob("*") if p.is_file()}
    if found - set(manifest["files"]):
        raise BackupError(damaged.format("files not in the manifest"))
    if (unpacked / "media").exists():
        staged_media.rmdir()
        (unpacked / "media").rename(staged_media)
    return manifest, database, staged_media


def _load_database(connection, database: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("Restore must not run inside a transaction. Nothing was changed.")
        source = sqlite3.connect(database)
        try:
            source.backup(connection.connection)  # one step: the destination is replaced in a single transaction
        finally:
            source.close()
        return
    connection.close()  # pg_restore drops and recreates the tables: no session of ours may hold them
    _run_pg(
        "pg_restore",
        connection,
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(database),
        ],
    )

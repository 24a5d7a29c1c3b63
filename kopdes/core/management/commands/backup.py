"""Write an encrypted backup of the database and the uploaded files (kopdes.core.backup)."""

import getpass
import os
import sys
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kopdes.core.backup import LOST_PASSPHRASE, BackupError, check_passphrase, create_backup

PASSPHRASE_VARIABLE = "KOPDES_BACKUP_PASSPHRASE"


def read_passphrase(*, confirm: bool) -> str:
    """The passphrase from KOPDES_BACKUP_PASSPHRASE, else asked at the terminal (never a command-line argument, which
    `ps` and the shell history would show)."""
    passphrase = os.environ.get(PASSPHRASE_VARIABLE)
    if passphrase:
        return passphrase
    if not sys.stdin.isatty():
        raise CommandError(f"Give the passphrase in the environment variable {PASSPHRASE_VARIABLE} or at a terminal.")
    passphrase = getpass.getpass("Backup passphrase: ")
    if confirm:
        check_passphrase(passphrase)
        if getpass.getpass("The same passphrase again: ") != passphrase:
            raise CommandError("The two passphrases differ: nothing was written.")
    return passphrase


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded files, encrypted with a passphrase, to one file. "
        f"Passphrase: ${PASSPHRASE_VARIABLE} or asked. {LOST_PASSPHRASE}"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the backup file (default: kopdes-<date-time>.kopdes-backup in the current folder)",
        )
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, **options):
        destination = options["output"] or Path(f"kopdes-{datetime.now():%Y%m%d-%H%M%S}.kopdes-backup")
        try:
            summary = create_backup(
                destination=destination, passphrase=read_passphrase(confirm=True), using=options["database"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written: {summary.path} ({megabytes(summary.path.stat().st_size)}; {summary.vendor} "
            f"database and {summary.files} uploaded file(s), {megabytes(summary.file_bytes)})."
        )
        self.stdout.write(f"It holds personal data (NIKs) and is encrypted. {LOST_PASSPHRASE}")

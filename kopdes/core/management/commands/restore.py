"""Replace the database and the uploaded files with an encrypted backup (kopdes.core.backup)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kopdes.core.backup import LOST_PASSPHRASE, BackupError, database_has_data, restore_backup
from kopdes.core.management.commands.backup import PASSPHRASE_VARIABLE, read_passphrase


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with a backup written by `manage.py backup`. Stop the "
        f"application first. Passphrase: ${PASSPHRASE_VARIABLE} or asked. {LOST_PASSPHRASE}"
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the .kopdes-backup file")
        parser.add_argument("--force", action="store_true", help="replace a database that holds data without asking")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, **options):
        force = options["force"]
        passphrase = read_passphrase(confirm=False)
        if not force and database_has_data(options["database"]):
            if not sys.stdin.isatty():
                raise CommandError(
                    "The database holds data and restoring replaces all of it: run again with --force. "
                    "Nothing was changed."
                )
            answer = input(
                "The database holds data; restoring replaces all of it and the uploads. Type 'ya' to go on: "
            )
            if answer.strip().lower() != "ya":
                raise CommandError("Not restored. Nothing was changed.")
            force = True
        try:
            summary = restore_backup(
                source=options["backup"], passphrase=passphrase, force=force, using=options["database"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {summary.created_at}: {summary.vendor} database and {summary.files} uploaded "
            "file(s). The uploads that were there before are kept beside the media folder (*.before-restore-*). "
            "Run `manage.py migrate` if this version of Kopdes is newer than the backup."
        )

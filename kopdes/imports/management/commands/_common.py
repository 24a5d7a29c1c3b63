"""What the two import commands share: the user, the file, printing the same row-numbered messages as the screen."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kopdes.imports import policy, reader, services
from kopdes.imports.reader import FileProblem


def add_arguments(parser) -> None:
    parser.add_argument("file", help="an .xlsx or .csv file")
    parser.add_argument("--user", required=True, help="username of the importing office administrator")
    parser.add_argument("--dry-run", action="store_true", help="validate and show what would change, write nothing")
    parser.add_argument(
        "--valid-only",
        action="store_true",
        help="import the rows without errors and leave the others out (default: nothing unless every row is valid)",
    )


def user(username: str):
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist as missing:
        raise CommandError(f"No active user {username!r}.") from missing


def run(command, *, options, kind: str, cooperative=None) -> None:
    translation.activate("id")
    actor = user(options["user"])
    if not policy.may_import(actor):
        raise CommandError(_("Only the office's administrators import."))
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"No file {path}.")
    try:
        reader.check_size(path.stat().st_size, path.name)
        result = services.run_import(
            actor=actor,
            kind=kind,
            data=path.read_bytes(),
            name=path.name,
            cooperative=cooperative,
            dry_run=options["dry_run"],
            valid_only=options["valid_only"],
        )
    except FileProblem as problem:
        raise CommandError(problem.message) from problem
    except PermissionError as denied:
        raise CommandError(_("Only the office's administrators import.")) from denied
    plan = result.plan
    labels = {"error": _("Error"), "warning": _("Warning"), "info": _("Note")}
    for message in sorted(plan.messages, key=lambda m: (m.row or 0, m.level != "error")):
        where = _("Row %(row)s") % {"row": message.row} if message.row else "—"
        command.stdout.write(f"{where}: {labels[message.level]}: {message.text}")
    counts = _(
        "%(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(errors)s errors, %(warnings)s warnings."
    ) % {
        "new": plan.new_count,
        "changed": plan.changed_count,
        "unchanged": plan.unchanged_count,
        "errors": plan.error_count,
        "warnings": plan.warning_count,
    }
    command.stdout.write(counts)
    if plan.error_count and not result.applied:
        raise CommandError(_("Nothing has been imported: fix the errors and run again."))
    if not plan.has_changes:
        command.stdout.write(_("No changes"))
    elif result.applied:
        command.stdout.write(command.style.SUCCESS(_("Imported.")))
    else:
        command.stdout.write(_("Dry run: nothing was written."))

"""Import the office's village status sheet (stages, dates, numbers of many villages; the same importer as the
screen)."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kopdes.imports.management.commands import _common
from kopdes.imports.models import ImportKind


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        _common.add_arguments(parser)

    def handle(self, *args, **options):
        try:
            _common.run(self, options=options, kind=ImportKind.VILLAGE_STATUS)
        except PermissionDenied as denied:
            raise CommandError("The user may not import.") from denied

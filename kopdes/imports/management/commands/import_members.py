"""Import the members of one cooperative from an .xlsx or .csv file (the same importer as the screen)."""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kopdes.formation.models import Cooperative
from kopdes.imports.management.commands import _common
from kopdes.imports.models import ImportKind


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        _common.add_arguments(parser)
        parser.add_argument("--cooperative", required=True, help="the cooperative's id or its village code")

    def handle(self, *args, **options):
        key = options["cooperative"].strip()
        found = Cooperative.objects.active()
        found = (
            found.filter(pk=int(key)) if key.isdigit() else found.in_region(key).filter(memberships__village_code=key)
        )
        cooperative = found.distinct().first()
        if cooperative is None:
            raise CommandError(f"No active cooperative {key!r}.")
        try:
            _common.run(self, options=options, kind=ImportKind.MEMBERS, cooperative=cooperative)
        except PermissionDenied as denied:
            raise CommandError("The user may not import members of this cooperative.") from denied

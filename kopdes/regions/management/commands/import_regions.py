from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kopdes.regions.importer import RegionImportError, import_regions
from kopdes.regions.models import Level

DEFAULT_DECREE = "Kepmendagri No. 300.2.2-2138 Tahun 2025"


class Command(BaseCommand):
    help = "Import or update the region tree from idn-area-data (default) or a wilayah/indonesia CSV folder."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=None, help="folder with the CSV files (default: the npm package)"
        )
        parser.add_argument("--prefix", default="", help="import one subtree only, e.g. 64.01")
        parser.add_argument("--decree", default=DEFAULT_DECREE, help="the decree edition these codes follow")

    def handle(self, *args, path, prefix, decree, **options):
        directory = path or settings.REGION_NPM_DATA_DIR
        if not Path(directory).is_dir():
            raise CommandError(f"{directory} not found (run 'npm ci' for the idn-area-data package, or pass --path)")
        try:
            result = import_regions(directory=Path(directory), decree=decree, prefix=prefix)
        except RegionImportError as error:
            raise CommandError(_("nothing imported:") + f"\n{error}") from error
        levels = ", ".join(f"{Level(level).label}: {count}" for level, count in result.by_level.items())
        self.stdout.write(
            f"regions {prefix or 'all'} ({levels}) from {directory}: {result.created} created, "
            f"{result.updated} updated, {result.unchanged} unchanged, {result.deactivated} deactivated; "
            f"edition '{decree}'"
        )

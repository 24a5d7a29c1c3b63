"""manage.py load_boundaries PATH [PATH …]: region boundaries from GeoJSON files or directories (*.geojson)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kopdes.regions.boundaries import BoundaryError, load_boundaries


class Command(BaseCommand):
    help = "Load region boundaries (GeoJSON FeatureCollections with a 'kode' property) for the dashboard map."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="GeoJSON files, or directories holding *.geojson files")

    def handle(self, *args, paths, **options):
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                found = sorted(path.glob("*.geojson"))
                if not found:
                    raise CommandError(f"No *.geojson file in {path}.")
                files += found
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"File not found: {path}")
        try:
            result = load_boundaries(files)
        except BoundaryError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.loaded} boundaries loaded from {len(files)} file(s); {result.unknown} unknown codes."
        )

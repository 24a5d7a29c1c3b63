"""The building's region code compares byte by byte on PostgreSQL, as every region-code column (regions/collation.py)."""

from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    dependencies = [("buildings", "0003_photo_positions")]

    operations = [use_c_collation("buildings_building", "region_code")]

"""The BA report's region code compares byte by byte on PostgreSQL, as every region-code column
(regions/collation.py)."""

from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    dependencies = [("returns", "0003_ba_report")]

    operations = [use_c_collation("returns_bareport", "region_code")]

"""The roster's village code compares byte by byte on PostgreSQL, as every region-code column (regions/collation.py)."""

from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    dependencies = [("people", "0003_fill_search_name")]

    operations = [use_c_collation("people_person", "village_code")]

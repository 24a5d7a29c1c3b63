from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    # Label decisions are looked up by the regency's code, compared byte by byte like every region code
    # (kopdes/regions/collation.py).
    dependencies = [("imports", "0004_stage_label_decision")]

    operations = [use_c_collation("imports_stagelabeldecision", "regency_code")]

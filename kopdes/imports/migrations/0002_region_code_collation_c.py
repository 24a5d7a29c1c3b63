from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    # Batches are listed by scope ranges on the region code (kopdes/regions/collation.py).
    dependencies = [("imports", "0001_initial")]

    operations = [use_c_collation("imports_importbatch", "region_code")]

from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [use_c_collation("regions_region", "code")]

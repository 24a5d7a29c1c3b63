from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    dependencies = [("formation", "0001_initial"), ("regions", "0002_code_collation_c")]
    operations = [
        use_c_collation("formation_cooperative", "region_code"),
        use_c_collation("formation_cooperativevillage", "village_code"),
    ]

from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    # The camat report's kecamatan code is filtered by scope ranges too (found by
    # test_every_region_code_column_compares_bytes_on_postgresql).
    dependencies = [("reports", "0003_notification_email_preferences")]

    operations = [use_c_collation("reports_camatreport", "kecamatan_code")]

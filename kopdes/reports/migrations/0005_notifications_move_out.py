from django.db import migrations


class Migration(migrations.Migration):
    """Notifications moved to their own app (kopdes/notifications, its migration 0001): out of reports' state only; the
    tables and their rows stay where they are (`db_table` on the moved models)."""

    dependencies = [
        ("reports", "0004_kecamatan_code_collation_c"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="notificationpreference", name="user"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="NotificationPreference"),
            ],
            database_operations=[],
        )
    ]

from django.db import migrations


class Migration(migrations.Migration):
    """RegionBoundary moved to `regions` (its migration 0004): out of dashboards' state only; the table and its rows
    stay where they are (`db_table` on the moved model)."""

    dependencies = [
        ("dashboards", "0001_initial"),
        ("regions", "0004_region_boundary_moved_in"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RegionBoundary")],
            database_operations=[],
        )
    ]

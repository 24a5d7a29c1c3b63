import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Region outlines move here from `dashboards` (region data that the registry's map needs too, not a part of the
    dashboards). State only: the table made by dashboards' migration 0001 keeps its name and rows (`db_table`), on
    SQLite and PostgreSQL alike; dashboards drops the model from its own state in its migration 0002."""

    dependencies = [
        ("regions", "0003_kecamatan_labels"),
        ("dashboards", "0001_initial"),
    ]

    state_operations = [
        migrations.CreateModel(
            name='RegionBoundary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('geojson', models.TextField(verbose_name='geometry (GeoJSON)')),
                ('simplified', models.TextField(verbose_name='simplified geometry (GeoJSON)')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                ('loaded_at', models.DateTimeField(auto_now=True, verbose_name='loaded at')),
                ('region', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='boundary', to='regions.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'region boundary',
                'verbose_name_plural': 'region boundaries',
                'db_table': 'dashboards_regionboundary',
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])]

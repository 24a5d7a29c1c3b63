"""The per-region village counts (RegionVillageCount), filled from the tree by the same recount as the importer's."""

from django.db import migrations, models

from kopdes.regions.collation import use_c_collation


def fill(apps, schema_editor):
    from kopdes.regions.village_counts import recount

    recount(apps.get_model("regions", "Region"), apps.get_model("regions", "RegionVillageCount"))


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0004_region_boundary_moved_in'),
    ]

    operations = [
        migrations.CreateModel(
            name='RegionVillageCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('region_code', models.CharField(max_length=20)),
                ('kind', models.CharField(choices=[('provinsi', 'Province'), ('kabupaten', 'Regency'), ('kota', 'City'), ('kecamatan', 'Kecamatan'), ('desa', 'Village (desa)'), ('kelurahan', 'Urban village (kelurahan)'), ('desa_adat', 'Customary village (desa adat)')], max_length=12)),
                ('villages', models.IntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('region_code', 'kind'), name='region_village_count_key')],
            },
        ),
        use_c_collation("regions_regionvillagecount", "region_code"),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]


"""The channels named for the gerai (Inpres 17/2025; Pertamina, Bulog, fertiliser and Kimia Farma agreements): the
office adds others in the admin."""

from django.db import migrations

KINDS = ["LPG 3 kg", "Minyak tanah", "Beras SPHP", "Pupuk bersubsidi", "Apotek", "Klinik"]


def seed(apps, schema_editor):
    ChannelKind = apps.get_model("buildings", "ChannelKind")
    for order, name in enumerate(KINDS, start=1):
        ChannelKind.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("buildings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The seven standard business units of a Koperasi Desa/Kelurahan Merah Putih (announced by the Ministry of Cooperatives, April 2025; PMK 49/2025 Art. 3): a lookup table, not an
enum, so the office may add more. Names are the official Indonesian terms (data, not interface text)."""

from django.db import migrations

STANDARD_UNITS = [
    "Kantor koperasi",
    "Kios sembako",
    "Unit simpan pinjam",
    "Klinik desa/kelurahan",
    "Apotek desa/kelurahan",
    "Pergudangan/cold storage",
    "Logistik",
]


def seed(apps, schema_editor):
    BusinessUnit = apps.get_model("formation", "BusinessUnit")
    for order, name in enumerate(STANDARD_UNITS, start=1):
        BusinessUnit.objects.update_or_create(name=name, defaults={"is_standard": True, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("formation", "BusinessUnit").objects.filter(name__in=STANDARD_UNITS, is_standard=True).delete()


class Migration(migrations.Migration):
    dependencies = [("formation", "0005_musdesus_and_facilitator_team")]

    operations = [migrations.RunPython(seed, unseed)]

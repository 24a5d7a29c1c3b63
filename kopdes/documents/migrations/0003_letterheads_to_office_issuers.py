"""Each region-level letterhead becomes its office's issuer: the kop lines, place of signing and logo move as they are;
the head of office (title, name, NIP) becomes the issuer's first signer. Nothing is dropped: a head without a name is
still kept when its title was changed from the default, and an NIP that is not 18 digits is kept as typed."""

from django.db import migrations

CIVIL = "kepala_dinas"


def forward(apps, schema_editor):
    Letterhead = apps.get_model("documents", "Letterhead")
    Issuer = apps.get_model("documents", "Issuer")
    Signer = apps.get_model("documents", "Signer")
    for old in Letterhead.objects.all():
        issuer = Issuer.objects.create(
            kind="office",
            region_id=old.region_id,
            government=old.government,
            office=old.office,
            address=old.address,
            contact=old.contact,
            city=old.city,
            logo=old.logo.name if old.logo else "",
            updated_at=old.updated_at,
            updated_by_id=old.updated_by_id,
        )
        if old.head_name or old.head_nip or (old.head_title and old.head_title != "Kepala Dinas"):
            nip = "".join(ch for ch in old.head_nip if ch.isdigit())
            Signer.objects.create(
                issuer=issuer,
                role=CIVIL,
                name=old.head_name,
                position=old.head_title or "Kepala Dinas",
                nip=nip if len(nip) == 18 else old.head_nip[:18],
                updated_at=old.updated_at,
                updated_by_id=old.updated_by_id,
            )


def backward(apps, schema_editor):
    Letterhead = apps.get_model("documents", "Letterhead")
    Issuer = apps.get_model("documents", "Issuer")
    for issuer in Issuer.objects.filter(kind="office"):
        head = issuer.signers.filter(is_active=True).order_by("order", "id").first()
        Letterhead.objects.update_or_create(
            region_id=issuer.region_id,
            defaults={
                "government": issuer.government,
                "office": issuer.office,
                "address": issuer.address,
                "contact": issuer.contact,
                "city": issuer.city,
                "logo": issuer.logo.name if issuer.logo else "",
                "head_title": head.position if head else "Kepala Dinas",
                "head_name": head.name if head else "",
                "head_nip": head.nip if head else "",
                "updated_at": issuer.updated_at,
                "updated_by_id": issuer.updated_by_id,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_issuers")]
    operations = [migrations.RunPython(forward, backward)]

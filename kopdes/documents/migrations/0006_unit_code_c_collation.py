"""The issuers' and papers' unit codes compare byte by byte on PostgreSQL, as every code column (regions/collation.py)."""

from django.db import migrations

from kopdes.regions.collation import use_c_collation


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_paper_drafts")]

    operations = [
        use_c_collation("documents_issuer", "unit_code", 30),
        use_c_collation("documents_issuedpaper", "unit_code", 30),
    ]

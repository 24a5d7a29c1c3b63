"""Region-code columns compare byte by byte on PostgreSQL.

Scope filters are ranges on dotted codes ('64.01.' <= code < '64.01/'). Under a linguistic collation (glibc en_US.UTF-8,
common on Debian/Ubuntu and in the postgres Docker image) punctuation is ignored when comparing, so those ranges would
be wrong. The migrations that create code columns call `use_c_collation` so the columns use the "C" collation on
PostgreSQL; SQLite already compares bytes (BINARY).
"""

from django.db import migrations


def use_c_collation(table: str, column: str, length: int = 20) -> migrations.RunPython:
    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar({length}) COLLATE "C"')

    return migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)

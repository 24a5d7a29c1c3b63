"""Fill the stage counts and last-move dates from the existing stage history (formation.counts.rebuild, the same code
as `manage.py rebuild_stage_counts`). A database without cooperatives (a new install) has nothing to fill; the
tables are then kept by the formation services from the first move on."""

from django.db import migrations


def fill(apps, schema_editor):
    Cooperative = apps.get_model("formation", "Cooperative")
    if not Cooperative.objects.exists():
        return
    from kopdes.formation import counts

    counts.rebuild()


class Migration(migrations.Migration):
    dependencies = [("formation", "0012_stage_counts")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

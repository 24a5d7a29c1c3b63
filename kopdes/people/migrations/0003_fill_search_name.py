"""Fill `Person.search_name` for the people entered before it existed (the search ignores accents and case)."""

import unicodedata

from django.db import migrations


def _search_key(text: str) -> str:
    # a frozen copy of people.cleaning.search_key (a migration never imports the app's code)
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def fill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("pk", "name").iterator(chunk_size=2000):
        person.search_name = _search_key(person.name)
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_search_name")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

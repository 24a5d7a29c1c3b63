"""Bahasa Indonesia first: the `id` catalogue is complete, covers every msgid in the code, keeps
every placeholder, and pages and formats come out in Indonesian."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "kopdes" / "locale" / "id" / "LC_MESSAGES" / "django.po"
# The same options as `make messages`.
MAKEMESSAGES = "makemessages -l id --no-obsolete --add-location file -i node_modules -i .venv".split()
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd%]|<[^>]+>")


def load_catalogue() -> polib.POFile:
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing: run `make messages` and translate it"
    return polib.pofile(str(CATALOGUE))


def describe(entry: polib.POEntry) -> str:
    where = ", ".join(sorted({path for path, _line in entry.occurrences}))
    return f"{entry.msgid!r} ({where})"


def test_indonesian_catalogue_is_complete():
    catalogue = load_catalogue()

    live = [entry for entry in catalogue if not entry.obsolete]
    fuzzy = [describe(entry) for entry in live if entry.fuzzy]
    untranslated = [describe(entry) for entry in live if not entry.fuzzy and not entry.translated()]

    assert live, "the catalogue has no entries"
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy entries (check the translation, then remove the flag):\n" + "\n".join(fuzzy)
    assert not catalogue.metadata_is_fuzzy, "the header is marked fuzzy"
    assert catalogue.metadata.get("Language") == "id"
    assert catalogue.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"


def test_translations_keep_every_placeholder():
    """A lost or misspelt %(name)s raises KeyError at runtime; the pure-Python compiler behind `make run` does not check
    placeholders the way `msgfmt --check` does."""
    mismatched = []
    for entry in load_catalogue():
        if entry.obsolete or not entry.translated():
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            if sorted(PLACEHOLDER.findall(text)) != expected:
                mismatched.append(f"{entry.msgid!r} -> {text!r}")

    assert not mismatched, "placeholders or HTML tags differ:\n" + "\n".join(mismatched)


def test_catalogue_covers_every_msgid_in_the_code(tmp_path):
    """Regenerates the catalogue from a copy of the code (the real one stays untouched) and fails on any msgid the
    committed catalogue lacks: a string added to the code without `make messages` would show in English."""
    if not all(shutil.which(tool) for tool in GETTEXT_TOOLS):
        message = "GNU gettext (xgettext, msguniq, msgmerge, msgattrib) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must install it (apt-get install gettext)")
        pytest.skip(message)
    base = Path(settings.BASE_DIR)
    shutil.copy2(base / "manage.py", tmp_path / "manage.py")
    shutil.copytree(
        base / "kopdes",
        tmp_path / "kopdes",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.po", "*.mo", "node_modules", ".venv", "media"),
    )

    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    regenerated = polib.pofile(str(tmp_path / CATALOGUE.relative_to(base)))
    committed = {(entry.msgctxt, entry.msgid) for entry in load_catalogue() if not entry.obsolete}
    missing = [describe(entry) for entry in regenerated if (entry.msgctxt, entry.msgid) not in committed]
    assert len(regenerated) > 0
    assert not missing, "msgids in the code but not in the catalogue (run `make messages`, translate):\n" + "\n".join(
        missing
    )


def english_msgids_left(html: str) -> list[str]:
    """Multi-word English msgids whose translation differs and that still appear in the page as they are."""
    return [
        entry.msgid
        for entry in load_catalogue()
        if not entry.obsolete
        and " " in entry.msgid
        and "%" not in entry.msgid
        and entry.msgstr != entry.msgid
        and entry.msgid in html
    ]


INDONESIAN_NAVIGATION = ("Beranda", "Dasbor", "Wilayah", "Pengguna", "Log audit", "Keluar", "Akun saya")
ENGLISH_NAVIGATION = ("Home", "Dashboard", "Regions", "Users", "Audit log", "Log out", "My account")


def test_pages_render_in_indonesian(client, admin_dinas):
    login_page = client.get("/masuk/").content.decode()

    assert "Masuk ke Kopdes" in login_page
    assert "Lupa kata sandi?" in login_page
    assert "Log in to Kopdes" not in login_page
    assert "Forgot your password?" not in login_page
    assert not english_msgids_left(login_page)

    client.force_login(admin_dinas)
    response = client.get("/")
    home = response.content.decode()

    assert response.status_code == 200
    for indonesian in INDONESIAN_NAVIGATION:
        assert indonesian in home
    for english in ENGLISH_NAVIGATION:
        assert f">{english}<" not in home
    assert "Admin dinas" in home and "Office administrator" not in home
    assert not english_msgids_left(home)


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_indonesian_formats():
    template = Template(
        "{% load humanize %}{{ day|date:'j F Y' }}|{{ day|date }}|{{ number }}|{{ number|intcomma }}|{{ share }}"
    )
    context = Context({"day": datetime.date(2025, 5, 11), "number": 1234567, "share": 80.5})

    with translation.override("id"):
        rendered = template.render(context).split("|")

    assert rendered == ["11 Mei 2025", "11 Mei 2025", "1.234.567", "1.234.567", "80,5"]

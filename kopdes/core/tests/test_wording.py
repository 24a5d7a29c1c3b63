"""Formal Indonesian (EYD V) where Django's own catalogue reads badly: the password pages, the stock form messages,
the pronoun "Anda" capitalised everywhere, and office names in title case with "dan" in lower case."""

from __future__ import annotations

import re

import polib
import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from kopdes.core.tests.test_i18n import english_msgids_left, load_catalogue
from kopdes.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOWER_ANDA = re.compile(r"\banda\b")  # the pronoun is always "Anda" (EYD V); "anda" alone is Django's old catalogue


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_the_catalogue_never_writes_the_pronoun_anda_in_lower_case():
    offending = [entry.msgid for entry in load_catalogue() for text in translations(entry) if LOWER_ANDA.search(text)]
    assert not offending, offending


def test_djangos_stock_messages_are_translated_by_the_project():
    """Django's `id` catalogue says "Sandi anda tidak dapat…", "Sandi lama"; the project's own entries win."""
    catalogue = {entry.msgid: entry for entry in load_catalogue()}
    for msgid in ("Old password", "New password", "The two password fields didn’t match.", "This field is required."):
        assert msgid in catalogue, msgid
        assert "Sandi" not in catalogue[msgid].msgstr


def change_password(client, user, **data):
    client.force_login(user)
    return client.post(reverse("accounts:password_change"), data)


def test_password_change_page_speaks_formal_indonesian(client, admin_dinas):
    client.force_login(admin_dinas)
    page = client.get(reverse("accounts:password_change")).content.decode()

    assert "Kata sandi lama" in page and "Kata sandi baru" in page
    assert "Sandi lama" not in page and "Konfirmasi sandi baru" not in page
    assert "anda" not in re.findall(r"\w+", page)
    assert not english_msgids_left(page)


def test_a_password_like_the_username_is_refused_in_formal_indonesian(client, admin_dinas):
    response = change_password(
        client,
        admin_dinas,
        old_password=TEST_PASSWORD,
        new_password1="admin.dinas1",
        new_password2="admin.dinas1",
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Kata sandi ini terlalu mirip dengan" in page
    assert "Sandi anda" not in page and "tidak dapat terlalu mirip" not in page


def test_mismatched_and_wrong_old_passwords_are_refused_in_formal_indonesian(client, admin_dinas):
    response = change_password(
        client,
        admin_dinas,
        old_password="bukan-sandinya",
        new_password1="Kelapa-Sawit-2026",
        new_password2="Kelapa-Sawit-2027",
    )
    page = response.content.decode()

    assert "Kata sandi lama yang Anda masukkan salah" in page
    assert "Kedua kata sandi yang Anda ketik tidak sama." in page
    assert "Sandi lama Anda" not in page and "Dua bidang sandi" not in page
    admin_dinas.refresh_from_db()
    assert admin_dinas.check_password(TEST_PASSWORD)


def test_an_empty_login_says_which_fields_are_required(client):
    page = client.post(reverse("accounts:login"), {"username": "", "password": ""}).content.decode()

    assert "Kolom ini wajib diisi." in page
    assert "Bidang ini tidak boleh kosong." not in page


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("DINAS KOPERASI DAN USAHA MIKRO", "Dinas Koperasi dan Usaha Mikro"),
        ("Dinas Koperasi Dan Usaha Mikro", "Dinas Koperasi dan Usaha Mikro"),
        ("DINAS KOPERASI, UKM DAN PERDAGANGAN", "Dinas Koperasi, UKM dan Perdagangan"),
        ("DINAS PMD", "Dinas PMD"),
        ("", ""),
    ],
)
def test_office_names_are_title_case_with_function_words_in_lower_case(written, shown):
    rendered = Template("{% load kopdes %}{{ office|name_case }}").render(Context({"office": written}))
    assert rendered == shown


def test_no_template_title_cases_an_office_name_with_djangos_title_filter():
    """`|title` writes "Dinas Koperasi Dan Usaha Mikro"; office names use `|name_case`."""
    templates = settings.BASE_DIR / "kopdes" / "templates"
    offending = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r"office\s*\|\s*title", path.read_text())
    ]
    assert not offending, offending

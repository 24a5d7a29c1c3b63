"""Session lifetimes per role and the form a user was filling in when the session ended."""

from __future__ import annotations

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kopdes.accounts.sessions import FORM_KEY, SEEN_KEY, STARTED_KEY
from kopdes.audit.models import AuditEntry
from kopdes.tests.factories import TEST_PASSWORD
from kopdes.tests.samples import PDF_BYTES

LOGIN = reverse("accounts:login")
HOME = reverse("web:home")
USER_CREATE = reverse("accounts:user_create")


def log_in(client, user):
    response = client.post(LOGIN, {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def age_session(client, *, idle_minutes: float = 0, started_hours_ago: float | None = None) -> None:
    """Move the session's marks into the past, as if the user had been away."""
    session = client.session
    now = time.time()
    session[SEEN_KEY] = now - idle_minutes * 60
    if started_hours_ago is not None:
        session[STARTED_KEY] = now - started_hours_ago * 3600
    session.save()


def test_the_defaults_are_the_issue_s(settings):
    assert settings.SESSION_IDLE_SECONDS == {"admin_dinas": 1800, "pimpinan": 1800, "default": 8 * 3600}
    assert settings.SESSION_ABSOLUTE_SECONDS["default"] >= 8 * 3600
    assert settings.SESSION_COOKIE_AGE < 14 * 24 * 3600  # Django's two weeks are gone


@pytest.mark.parametrize("fixture", ["admin_dinas", "pimpinan"])
def test_the_office_and_leadership_are_signed_out_after_30_idle_minutes(client, request, fixture):
    user = request.getfixturevalue(fixture)
    log_in(client, user)
    age_session(client, idle_minutes=29)
    assert client.get(HOME).status_code == 200

    age_session(client, idle_minutes=31)
    response = client.get(reverse("web:regions"))

    assert response.status_code == 302 and response.url.startswith(LOGIN)
    assert not client.get(HOME).wsgi_request.user.is_authenticated
    entry = AuditEntry.objects.get(action="accounts.logout")
    assert entry.actor == user and entry.after["reason"] == "idle"
    page = client.get(LOGIN).content.decode()
    assert 'data-testid="session-expired"' in page
    assert "beberapa lama tidak ada aktivitas" in page


def test_a_camat_stays_signed_in_through_a_long_idle_morning_but_not_past_eight_hours(client, camat_batu_sopang):
    log_in(client, camat_batu_sopang)
    age_session(client, idle_minutes=7 * 60)
    assert client.get(HOME).status_code == 200

    age_session(client, idle_minutes=8 * 60 + 1)
    assert client.get(HOME).status_code == 302


def test_the_absolute_lifetime_ends_even_a_busy_session(client, settings, camat_batu_sopang):
    log_in(client, camat_batu_sopang)
    age_session(client, started_hours_ago=settings.SESSION_ABSOLUTE_SECONDS["default"] / 3600 + 0.1)

    assert client.get(HOME).status_code == 302
    assert AuditEntry.objects.get(action="accounts.logout").after["reason"] == "absolute"


def test_the_idle_time_is_a_setting(client, settings, camat_batu_sopang):
    settings.SESSION_IDLE_SECONDS = {**settings.SESSION_IDLE_SECONDS, "camat": 5 * 60}
    log_in(client, camat_batu_sopang)

    age_session(client, idle_minutes=6)

    assert client.get(HOME).status_code == 302


def test_a_form_posted_after_the_session_ended_is_offered_again_after_login(client, admin_dinas):
    log_in(client, admin_dinas)
    client.get(USER_CREATE)
    age_session(client, idle_minutes=45)
    typed = {"username": "operator.baru", "full_name": "Siti Rahmawati", "phone": "0812 5555 0101", "role": ""}

    response = client.post(USER_CREATE, typed, HTTP_REFERER=f"http://testserver{USER_CREATE}")

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=%2Fpengguna%2Fbaru%2F"
    assert "Siti" not in response.url and "0812" not in response.url  # nothing typed in the address
    assert "Isian formulir Anda disimpan" in client.get(LOGIN).content.decode()

    after = client.post(LOGIN, {"username": admin_dinas.username, "password": TEST_PASSWORD, "next": USER_CREATE})
    assert after.url == USER_CREATE
    page = client.get(USER_CREATE)
    html = page.content.decode()
    assert 'data-testid="restored-form"' in html
    assert "/static/js/restore_form.js" in html
    kept = page.context["restored_form"]
    assert kept["action"] == USER_CREATE
    assert ["full_name", "Siti Rahmawati"] in kept["fields"]
    assert ["phone", "0812 5555 0101"] in kept["fields"]
    assert not any(name == "csrfmiddlewaretoken" for name, _value in kept["fields"])
    assert json.loads(html.split('id="kd-restored-form" type="application/json">')[1].split("</script>")[0]) == kept
    # shown once
    assert "restored_form" not in client.get(USER_CREATE).context


def test_a_kept_form_is_never_shown_to_another_user_on_the_same_browser(client, admin_dinas, camat_batu_sopang):
    log_in(client, admin_dinas)
    age_session(client, idle_minutes=45)
    client.post(USER_CREATE, {"full_name": "Siti Rahmawati"})

    log_in(client, camat_batu_sopang)
    page = client.get(USER_CREATE)

    assert "restored_form" not in page.context
    assert "Siti Rahmawati" not in page.content.decode()
    assert FORM_KEY not in client.session


def test_files_cannot_be_kept_and_the_page_says_so(client, admin_dinas):
    log_in(client, admin_dinas)
    age_session(client, idle_minutes=45)
    upload = SimpleUploadedFile("ktp.pdf", PDF_BYTES, content_type="application/pdf")

    client.post(USER_CREATE, {"full_name": "Siti", "lampiran": upload})
    log_in(client, admin_dinas)
    page = client.get(USER_CREATE)

    assert page.context["restored_form"]["files"] == ["lampiran"]
    assert "Berkas tidak dapat disimpan" in page.content.decode()


def test_a_post_without_a_session_at_all_keeps_nothing(client, admin_dinas):
    response = client.post(USER_CREATE, {"full_name": "Siti"})

    assert response.status_code == 302
    assert FORM_KEY not in client.session

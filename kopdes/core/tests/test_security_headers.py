"""Production headers and checks: a Content-Security-Policy without inline script or style, HSTS and
the SSL redirect in production mode, Referrer-Policy, Permissions-Policy, `Cache-Control: no-store` on pages with
personal data, and `manage.py check --deploy` clean with production settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from kopdes.cooperatives.services import add_member
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme

TEMPLATES = Path(settings.BASE_DIR) / "kopdes" / "templates"
# Rendered to PDF by WeasyPrint on the server, never shown by a browser: the policy does not apply to them.
PDF_ONLY = {
    "documents/pdf_base.html",
    "documents/team_decree.html",
    "documents/musdesus_attendance.html",
    "documents/musdesus_berita_acara.html",
    "documents/musdesus_invitation.html",
}
PRODUCTION_ENV = {
    "KOPDES_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": "ci-only-" + "k3y-for-the-deploy-check-" * 3,
    "DJANGO_ALLOWED_HOSTS": "kopdes.example.go.id",
}


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_pages_carry_a_policy_without_inline_script_or_style(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    policy = directives(client.get(reverse("web:home")))

    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in " ".join(policy.values())
    assert "unsafe-eval" not in " ".join(policy.values())


def test_the_login_page_carries_the_policy_too(client, paser):
    assert "script-src 'self'" in client.get(reverse("accounts:login"))["Content-Security-Policy"]


def browser_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in PDF_ONLY and not name.endswith("_pdf.html"):
            yield name


@pytest.mark.parametrize("name", list(browser_templates()))
def test_no_page_template_has_inline_script_style_or_event_handlers(name):
    text = (TEMPLATES / name).read_text()

    inline_scripts = [m for m in re.findall(r"<script\b[^>]*>", text) if "src=" not in m]
    assert inline_scripts == [], f"{name}: move the script into a static file"
    assert not re.search(r"\son[a-z]+\s*=", text), f"{name}: an inline event handler (onclick=…)"
    assert not re.search(r"\sstyle\s*=", text), f"{name}: an inline style attribute (use a class in kopdes.css)"
    assert "<style" not in text, f"{name}: a <style> element (use kopdes.css)"


def test_static_scripts_write_no_style_attributes_into_markup():
    for path in (Path(settings.BASE_DIR) / "kopdes").rglob("static/**/*.js"):
        assert 'style="' not in path.read_text(), f"{path}: style attributes in generated markup are refused"


def test_referrer_and_permissions_policy(client, paser):
    response = client.get(reverse("accounts:login"))

    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=(self)" in response["Permissions-Policy"]  # the building photos' form only, never a frame
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def member_pages(admin_dinas):
    region = admin_dinas.active_assignments()[0].region
    start_programme(
        actor=admin_dinas, programme=Programme.objects.create(region=region, name="P", start_date="2025-04-01")
    )
    cooperative = Cooperative.objects.filter(region_code__startswith="64.01.04.").first()
    member = add_member(actor=admin_dinas, cooperative=cooperative, nik="6401045203850001", name="Siti Rahmawati")
    return [
        reverse("cooperatives:members", args=[cooperative.pk]),
        reverse("cooperatives:edit_member", args=[cooperative.pk, member.pk]),
        reverse("cooperatives:detail", args=[cooperative.pk]),
        reverse("accounts:user_list"),
        reverse("web:audit_log"),
        reverse("accounts:account"),
        reverse("api_tokens:list"),
    ]


def test_pages_with_personal_data_are_never_stored_by_a_cache(client, admin_dinas, member_pages):
    """Once broken: member pages had no `Cache-Control: no-store`. Every page for a signed-in user has it now (the
    permission matrix checks every URL the same way)."""
    client.force_login(admin_dinas)

    for url in member_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_anonymous_public_pages_may_be_cached(client, paser):
    response = client.get(reverse("dashboards:public_index"), follow=True)

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def run_with_production_settings(*args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KOPDES_", "DJANGO_"))}
    env.update(PRODUCTION_ENV)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    """Once broken: `check --deploy` in production mode gave 2 warnings (no HSTS, no SSL redirect)."""
    result = run_with_production_settings("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_redirects_to_https_and_sends_hsts():
    probe = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE)"
    )
    result = run_with_production_settings("shell", "-v", "0", "-c", probe)

    assert result.stdout.split() == ["True", str(365 * 24 * 3600), "True", "True"], result.stderr

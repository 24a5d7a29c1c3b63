"""Real Chromium at 360 px: a camat turns the second factor on (QR code, code from the app, recovery codes), logs out
and back in with password and code; no page breaks the Content-Security-Policy or sticks out sideways."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in
from kopdes.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def code_for(secret: str) -> str:
    return f"{totp(b32decode(secret.replace(' ', ''))):06d}"


def test_turning_on_the_second_factor_and_logging_in_with_it_on_a_phone(live_server, page, camat_batu_sopang):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    base = live_server.url
    log_in(page, base, camat_batu_sopang.username)

    page.goto(f"{base}/akun/")
    page.click("text=Aktifkan")
    page.wait_for_url(f"{base}/akun/dua-langkah/")
    assert page.wait_for_selector("[data-testid=qr] svg.kd-qr").is_visible()
    assert horizontal_overflow(page) == 0
    page.click("text=Tidak bisa memindai? Ketik kunci ini")
    secret = page.locator("[data-testid=secret]").inner_text()

    page.fill("input[name=code]", "000000" if code_for(secret) != "000000" else "111111")
    page.click("main form button[type=submit]")
    assert page.wait_for_selector(".invalid-feedback").is_visible()
    TOTPDevice.objects.filter(user=camat_batu_sopang).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )

    page.fill("input[name=code]", code_for(secret))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=recovery-codes] li")
    codes = page.locator("[data-testid=recovery-codes] li").all_inner_texts()
    assert len(codes) == 10 and all(len(code) == 9 and code[4] == "-" for code in codes)
    assert horizontal_overflow(page) == 0

    page.click("button.kd-logout")
    page.wait_for_url(f"{base}/masuk/")
    TOTPDevice.objects.filter(user=camat_batu_sopang).update(last_t=-1)  # the same 30-second code may serve again
    page.goto(f"{base}/masuk/")
    page.fill("input[name=username]", camat_batu_sopang.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/masuk/kode/")
    assert horizontal_overflow(page) == 0
    page.fill("input[name=code]", code_for(secret))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")

    assert page.locator(".kd-user-name").is_visible()
    assert violations == []

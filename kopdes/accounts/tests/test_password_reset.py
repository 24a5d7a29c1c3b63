"""Self-service password reset by email: only to a confirmed address; the manager's reset stays."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from kopdes.accounts.models import User
from kopdes.audit.models import AuditEntry
from kopdes.tests.factories import TEST_PASSWORD

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "pisang-goreng-manis-77"


def set_email(client, email: str):
    """Save an address on the account page as the browser does: with the page's read token (audit.stale)."""
    token = client.get(reverse("accounts:account")).context["form"]["dibaca"].value()
    return client.post(reverse("accounts:account"), {"email": email, "dibaca": token})


def link_in(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def confirm(user, email: str = "camat@example.go.id") -> None:
    User.objects.filter(pk=user.pk).update(email=email, email_confirmed=email)


def test_a_confirmed_address_gets_a_link_that_sets_a_new_password_once(client, camat_batu_sopang):
    confirm(camat_batu_sopang)

    response = client.post(RESET, {"email": "CAMAT@example.go.id"})

    assert response.status_code == 302 and response.url == reverse("accounts:password_reset_sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["camat@example.go.id"]
    assert "Kata sandi baru untuk Kopdes" in mail.outbox[0].subject
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]

    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done.url == reverse("accounts:login")
    camat_batu_sopang.refresh_from_db()
    assert camat_batu_sopang.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.reset_password_by_email")
    assert entry.actor == camat_batu_sopang and NEW_PASSWORD not in str(entry.after)
    # the link works once
    assert client.get(link, follow=True).context["validlink"] is False


def test_an_unconfirmed_address_gets_no_mail_and_the_same_answer(client, camat_batu_sopang, operator_janju):
    User.objects.filter(pk=camat_batu_sopang.pk).update(email="camat@example.go.id", email_confirmed="")

    unconfirmed = client.post(RESET, {"email": "camat@example.go.id"})
    unknown = client.post(RESET, {"email": "siapa@example.go.id"})

    assert unconfirmed.status_code == unknown.status_code == 302
    assert unconfirmed.url == unknown.url
    assert mail.outbox == []


def test_a_changed_address_is_no_longer_confirmed(client, camat_batu_sopang):
    confirm(camat_batu_sopang, "lama@example.go.id")
    client.force_login(camat_batu_sopang)

    set_email(client, "baru@example.go.id")
    client.logout()
    client.post(RESET, {"email": "baru@example.go.id"})
    client.post(RESET, {"email": "lama@example.go.id"})

    assert [m.subject for m in mail.outbox] == ["Konfirmasi alamat email Anda untuk Kopdes"]  # only the confirmation


def test_confirming_an_address_through_the_link_sent_to_it(client, camat_batu_sopang, operator_janju):
    client.force_login(camat_batu_sopang)
    set_email(client, "camat@example.go.id")
    link = link_in(mail.outbox[0])
    assert mail.outbox[0].to == ["camat@example.go.id"]

    shown = client.get(link)  # opening the link (or a mail scanner) confirms nothing yet
    assert shown.status_code == 200
    assert User.objects.get(pk=camat_batu_sopang.pk).has_confirmed_email is False

    client.post(link)
    assert User.objects.get(pk=camat_batu_sopang.pk).has_confirmed_email is True
    assert AuditEntry.objects.filter(action="accounts.confirm_email", actor=camat_batu_sopang).exists()

    # the same link opened by someone else confirms nothing for them
    client.force_login(operator_janju)
    assert client.post(link).status_code == 400
    assert User.objects.get(pk=operator_janju.pk).email_confirmed == ""


def test_a_tampered_confirmation_link_is_refused(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)
    set_email(client, "camat@example.go.id")
    link = link_in(mail.outbox[0])

    response = client.post(link.replace("/akun/email/", "/akun/email/x"))

    assert response.status_code == 400
    assert User.objects.get(pk=camat_batu_sopang.pk).has_confirmed_email is False


def test_the_reset_refuses_the_current_password_as_the_new_one(client, camat_batu_sopang):
    confirm(camat_batu_sopang)
    client.post(RESET, {"email": "camat@example.go.id"})
    set_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    response = client.post(set_url, {"new_password1": TEST_PASSWORD, "new_password2": TEST_PASSWORD})

    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors


def test_the_login_page_offers_the_reset(client, paser):
    page = client.get(reverse("accounts:login")).content.decode()

    assert f'href="{RESET}"' in page
    assert "Lupa kata sandi?" in page

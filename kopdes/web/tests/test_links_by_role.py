"""Every link a role is shown on its main pages (home with the menu, the assistance pages) opens for that role: none
answers 404 or 403 (issue 16: "Pendampingan → Kecamatan Tanah Grogot" was a 404 for a village's operator)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.assistance.tests.activities_helpers import attend, make_training, make_visit
from kopdes.conftest import JANJU
from kopdes.tests.factories import make_user

pytestmark = pytest.mark.django_db

START_PAGES = [
    "web:home",
    "assistance:dashboard",
    "assistance:training_list",
    "assistance:visit_list",
    "assistance:question_list",
    "assistance:faq",
]
HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)')
SKIPPED = ("/static/", "/media/", "/logout", "/keluar")


@pytest.fixture
def cast(users_by_role, admin_dinas, pendamping, operator_janju):
    """The demo-like cast with one training (attended) and one visit, so the assistance pages show their links."""
    training = make_training(admin_dinas)
    attend(admin_dinas, training, ("Siti Aminah", JANJU))
    make_visit(pendamping, JANJU, due=date(2025, 5, 12))
    return {**users_by_role, Role.PENGURUS: make_user("pengurus.janju", Role.PENGURUS, JANJU)}


def links(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in HREF.findall(html) if not href.startswith(SKIPPED)}


ASSISTANCE = ("/pendampingan/", "/konsultasi/", "/tanya-jawab/")  # pages whose own links are followed too


@pytest.mark.parametrize("role", sorted(Role.values))
def test_no_link_on_a_role_main_pages_answers_404_or_403(client, cast, role):
    client.force_login(cast[role])
    seen: dict[str, int] = {}
    to_read = []
    for name in START_PAGES:
        start = reverse(name)
        response = client.get(start, follow=True)
        if response.status_code == 404 and name != "web:home":  # a page the role has no menu entry for
            continue
        assert response.status_code == 200, (start, response.status_code)
        seen[start] = 200
        to_read.append(response)
    while to_read:
        response = to_read.pop()
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in links(response.content.decode()) - seen.keys():
            answer = client.get(href, follow=True)
            seen[href] = answer.status_code
            if href.startswith(ASSISTANCE) and answer.status_code == 200:
                to_read.append(answer)  # the assistance pages: their links are checked as well

    dead = {href: status for href, status in seen.items() if status in (403, 404)}
    assert not dead, f"{role}: {dead}"
    assert len(seen) > len(START_PAGES)  # the crawl did reach the menu

"""The audit log: NIKs are masked when written; the log page is for admin dinas, filtered, and scoped by region."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.audit.services import record_audit
from kopdes.conftest import BATU_SOPANG, JANJU, PASER, TANAH_GROGOT
from kopdes.tests.factories import UserFactory

AUDIT = reverse("web:audit_log")
NIK = "6401045208900012"
MASKED = "640104********12"
UTC = ZoneInfo("UTC")


def listed(response) -> list[AuditEntry]:
    return list(response.context["page"].object_list)


# --- masking -----------------------------------------------------------------------------------------------------


def test_record_audit_masks_niks_in_before_after_and_object(db):
    entry = record_audit(
        actor=None,
        action="test.nik",
        object_type="formation.member",
        object_id="1",
        object_repr=f"Siti ({NIK})",
        before={"nik": NIK, "members": [{"nik": NIK, "name": "Siti"}]},
        after={"note": f"NIK {NIK} diperbaiki", "phone": "081255550101"},
    )

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.object_repr == f"Siti ({MASKED})"
    assert stored.before == {"nik": MASKED, "members": [{"nik": MASKED, "name": "Siti"}]}
    assert stored.after == {"note": f"NIK {MASKED} diperbaiki", "phone": "081255550101"}
    assert NIK not in str(AuditEntry.objects.filter(pk=entry.pk).values().get())


def test_record_audit_leaves_numbers_that_are_not_16_digits(db):
    entry = record_audit(
        actor=None,
        action="test.numbers",
        after={"phone": "6281255550101", "long": "64010452089000123", "short": "640104520890001"},
    )

    assert entry.after == {"phone": "6281255550101", "long": "64010452089000123", "short": "640104520890001"}


def test_record_audit_takes_type_id_and_text_from_the_object(admin_dinas):
    entry = record_audit(actor=admin_dinas, action="test.object", obj=admin_dinas, region_code=PASER)

    assert (entry.object_type, entry.object_id, entry.object_repr) == (
        "accounts.user",
        str(admin_dinas.pk),
        str(admin_dinas),
    )
    assert entry.actor == admin_dinas


def test_audit_page_shows_niks_masked(client, admin_dinas):
    record_audit(actor=admin_dinas, action="test.nik", region_code=JANJU, object_repr=NIK, after={"nik": NIK})
    client.force_login(admin_dinas)

    html = client.get(AUDIT).content.decode()

    assert MASKED in html
    assert NIK not in html


# --- who may read it ---------------------------------------------------------------------------------------------


def test_admin_dinas_reads_the_audit_log(client, admin_dinas):
    record_audit(actor=admin_dinas, action="test.read", region_code=JANJU, object_repr="Koperasi Janju")
    client.force_login(admin_dinas)

    response = client.get(AUDIT)

    assert response.status_code == 200
    assert "test.read" in response.content.decode()


@pytest.mark.parametrize("fixture", ["camat_batu_sopang", "operator_janju", "pimpinan", "mitra", "pendamping"])
def test_other_roles_get_404_for_the_audit_log(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(AUDIT).status_code == 404


def test_anonymous_is_sent_to_log_in_for_the_audit_log(client, db):
    response = client.get(AUDIT)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_admin_dinas_of_paser_does_not_see_entries_outside_paser(client, admin_dinas):
    for code, action in [(JANJU, "in.janju"), (PASER, "in.paser"), ("63.01", "out.kalsel"), ("64", "out.kaltim")]:
        record_audit(actor=None, action=action, region_code=code)
    record_audit(actor=None, action="out.system")  # no region: national readers only
    client.force_login(admin_dinas)

    actions = {entry.action for entry in listed(client.get(AUDIT))}

    assert {"in.janju", "in.paser"} <= actions
    assert not {"out.kalsel", "out.kaltim", "out.system"} & actions
    assert all(entry.region_code.startswith(PASER) for entry in listed(client.get(AUDIT)))


def test_national_reader_sees_every_entry_including_system_ones(client, paser):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    record_audit(actor=None, action="out.kalsel", region_code="63.01")
    record_audit(actor=None, action="out.system")
    client.force_login(root)

    actions = {entry.action for entry in listed(client.get(AUDIT))}

    assert {"out.kalsel", "out.system", "regions.import"} <= actions


# --- filters -----------------------------------------------------------------------------------------------------


@pytest.fixture
def entries(admin_dinas, camat_batu_sopang, camat_tanah_grogot):
    """Three entries by different actors on different objects and days."""
    made = {
        "january": record_audit(
            actor=camat_batu_sopang, action="a.january", obj=camat_batu_sopang, region_code=BATU_SOPANG
        ),
        "march": record_audit(
            actor=camat_tanah_grogot,
            action="a.march",
            object_type="formation.case",
            object_id="7",
            region_code=TANAH_GROGOT,
        ),
        "may": record_audit(actor=admin_dinas, action="a.may", obj=camat_tanah_grogot, region_code=TANAH_GROGOT),
    }
    days = {"january": datetime(2025, 1, 10, 3, tzinfo=UTC), "march": datetime(2025, 3, 10, 3, tzinfo=UTC)}
    days["may"] = datetime(2025, 5, 10, 3, tzinfo=UTC)
    for key, entry in made.items():
        AuditEntry.objects.filter(pk=entry.pk).update(at=days[key])
    return made


def filtered_actions(client, **params) -> set[str]:
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    assert response.context["form"].is_valid(), response.context["form"].errors
    return {entry.action for entry in listed(response)} - {"regions.import"}


def test_filter_by_user(client, admin_dinas, camat_tanah_grogot, entries):
    client.force_login(admin_dinas)

    assert filtered_actions(client, actor=camat_tanah_grogot.pk) == {"a.march"}
    assert filtered_actions(client, actor=admin_dinas.pk) == {"a.may"}


def test_filter_by_object_type(client, admin_dinas, entries):
    client.force_login(admin_dinas)

    assert filtered_actions(client, object_type="formation.case") == {"a.march"}
    assert filtered_actions(client, object_type="accounts.user") == {"a.january", "a.may"}


def test_filter_by_object(client, admin_dinas, camat_tanah_grogot, entries):
    client.force_login(admin_dinas)

    assert filtered_actions(client, object_type="accounts.user", object_id=camat_tanah_grogot.pk) == {"a.may"}


def test_filter_by_date_range(client, admin_dinas, entries):
    client.force_login(admin_dinas)

    assert filtered_actions(client, date_from="2025-03-01", date_to="2025-03-31") == {"a.march"}
    assert filtered_actions(client, date_from="2025-03-10") == {"a.march", "a.may"}
    assert filtered_actions(client, date_to="2025-03-10") == {"a.january", "a.march"}


def test_date_range_follows_the_reader_time_zone(client, admin_dinas, entries):
    # 22:30 UTC on 31 March is already 1 April 06:30 in Paser (WITA, UTC+8)
    AuditEntry.objects.filter(pk=entries["march"].pk).update(at=datetime(2025, 3, 31, 22, 30, tzinfo=UTC))
    client.force_login(admin_dinas)

    assert filtered_actions(client, date_from="2025-04-01", date_to="2025-04-01") == {"a.march"}
    assert filtered_actions(client, date_from="2025-03-31", date_to="2025-03-31") == set()


def test_end_date_before_start_date_is_a_form_error(client, admin_dinas, entries):
    client.force_login(admin_dinas)

    response = client.get(AUDIT, {"date_from": "2025-05-01", "date_to": "2025-01-01"})

    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors


def test_user_filter_offers_only_accounts_the_reader_manages(client, admin_dinas, camat_batu_sopang, paser):
    outsider = UserFactory(username="orang.luar")
    client.force_login(admin_dinas)

    offered = set(client.get(AUDIT).context["form"].fields["actor"].queryset)
    response = client.get(AUDIT, {"actor": outsider.pk})

    assert {admin_dinas, camat_batu_sopang} <= offered
    assert outsider not in offered
    assert "actor" in response.context["form"].errors


def test_audit_log_is_newest_first_and_paginated(client, admin_dinas):
    for number in range(55):
        record_audit(actor=admin_dinas, action=f"bulk.{number:02d}", region_code=PASER)
    client.force_login(admin_dinas)

    first = client.get(AUDIT)
    second = client.get(AUDIT, {"halaman": 2})

    assert len(listed(first)) == 50
    assert listed(first)[0].action == "bulk.54"
    assert "bulk.00" in {entry.action for entry in listed(second)}

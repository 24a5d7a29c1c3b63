"""The office edits its programme and dated targets in the Django admin: scoped to its region, every save audited."""

import pytest

from kopdes.audit.models import AuditEntry
from kopdes.formation.models import Programme, ProgrammeTarget
from kopdes.regions.models import Kind, Level, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(admin_dinas):
    from kopdes.accounts.services import grant_office_admin

    grant_office_admin(admin_dinas)
    return admin_dinas


@pytest.fixture
def other_programme(paser):
    other = Region.objects.create(
        code="64.02", name="Luar", level=Level.KABUPATEN, kind=Kind.KABUPATEN, parent=Region.objects.get(code="64")
    )
    return Programme.objects.create(region=other, name="Program luar", start_date="2025-04-01")


def test_office_sees_its_programme_and_not_another_regencys(client, office, programme, other_programme):
    client.force_login(office)
    listing = client.get("/admin/formation/programme/").content.decode()
    assert programme.name in listing
    assert other_programme.name not in listing
    assert client.get(f"/admin/formation/programme/{other_programme.pk}/change/").status_code == 302  # "not found"


def test_office_adds_a_new_dated_target_and_it_is_audited(client, office, programme):
    client.force_login(office)
    url = f"/admin/formation/programme/{programme.pk}/change/"
    target = programme.targets.get()
    data = {
        "name": programme.name,
        "region": programme.region_id,
        "legal_basis": programme.legal_basis,
        "threshold_percent": "80",
        "formed_stage": "8",
        "reporting_period": "weekly",
        "start_date": "2025-04-01",
        "is_active": "on",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "1",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-id": target.pk,
        "targets-0-programme": programme.pk,
        "targets-0-count": "60",
        "targets-0-deadline": "2025-06-30",
        "targets-0-effective_from": "2025-04-01",
        "targets-0-note": "",
        "targets-1-programme": programme.pk,
        "targets-1-count": "144",
        "targets-1-deadline": "2025-07-31",
        "targets-1-effective_from": "2025-05-29",
        "targets-1-note": "Semua desa",
        # the rule-severity inline, left empty
        "rule_severities-TOTAL_FORMS": "0",
        "rule_severities-INITIAL_FORMS": "0",
        "rule_severities-MIN_NUM_FORMS": "0",
        "rule_severities-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["errors"],
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    )
    assert list(ProgrammeTarget.objects.filter(programme=programme).values_list("count", flat=True)) == [144, 60]
    assert AuditEntry.objects.filter(action="formation.set_target", actor=office, after__count=144).exists()
    assert AuditEntry.objects.filter(action="formation.change_programme", actor=office).exists()


def test_camat_cannot_enter_the_admin(client, camat_batu_sopang, programme):
    client.force_login(camat_batu_sopang)
    assert client.get("/admin/formation/programme/").status_code == 302  # to the admin login

"""Stages 9–11 write into the same record the profile shows: the NIB submission carries its KBLI codes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kopdes.formation import services as formation
from kopdes.formation.tests.helpers import advance, evidence_for

pytestmark = pytest.mark.django_db


def test_the_nib_submission_carries_kbli_codes_into_the_profile_on_verification(
    client, admin_dinas, operator_janju, janju
):
    advance(janju, 8, submitter=admin_dinas)
    client.force_login(operator_janju)
    response = client.post(
        reverse("formation:submit_stage", args=[janju.pk]),
        {
            "version": janju.version,
            "stage": 9,
            "evidence_date": evidence_for(9)["evidence_date"].isoformat(),
            "evidence_number": "9120001234567",
            "kbli_codes": "47111, 46201",
            "sensitivity": "internal",
        },
    )
    assert response.status_code == 302
    submission = janju.submissions.get(status="pending")
    assert submission.kbli_codes == ["47111", "46201"]

    formation.verify_submission(actor=admin_dinas, submission=submission)

    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "9120001234567" in page and "47111, 46201" in page
    case_page = client.get(reverse("formation:case_detail", args=[janju.pk])).content.decode()
    assert "47111, 46201" in case_page


def test_kbli_codes_before_the_nib_stage_or_malformed_are_refused(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    url = reverse("formation:submit_stage", args=[janju.pk])
    base = {"version": janju.version, "stage": 1, "evidence_date": "2025-04-21", "sensitivity": "internal"}

    early = client.post(url, {**base, "kbli_codes": "47111"})
    malformed = client.post(url, {**base, "stage": 9, "kbli_codes": "4711"})

    assert early.status_code == 400 and "Kode KBLI menyertai NIB" in early.content.decode()
    assert malformed.status_code == 400 and "bukan kode KBLI" in malformed.content.decode()
    assert not janju.submissions.exists()

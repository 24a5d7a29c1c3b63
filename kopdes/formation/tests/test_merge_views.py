"""Merging villages into one cooperative over HTTP, and the merged-away record: readable, never changed again."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK
from kopdes.formation import services
from kopdes.formation.tests.helpers import case_for, case_url, pdf, submit, submit_url
from kopdes.regions.models import Region

KASUNGAI = "64.01.01.2014"


def merge_url(cooperative) -> str:
    return reverse("formation:merge", args=[cooperative.pk])


def test_the_office_merges_two_villages_of_a_kecamatan(client, programme, admin_dinas):
    target, other = case_for(SUNGAI_TERIK), case_for(KASUNGAI)
    client.force_login(admin_dinas)

    page = client.get(merge_url(target))
    candidates = sorted(c.region_code for c in page.context["form"].fields["others"].queryset)
    response = client.post(merge_url(target), {"others": [other.pk], "reason": "Penduduk di bawah 500 jiwa"})

    batu_sopang = Region.objects.subtree(BATU_SOPANG).villages().exclude(code=SUNGAI_TERIK)
    assert candidates == sorted(batu_sopang.values_list("code", flat=True))  # the kecamatan's other villages
    assert response.status_code == 302
    assert case_for(KASUNGAI) == target


def test_a_merge_without_a_reason_is_refused_over_http(client, programme, admin_dinas):
    target, other = case_for(SUNGAI_TERIK), case_for(KASUNGAI)
    client.force_login(admin_dinas)

    response = client.post(merge_url(target), {"others": [other.pk], "reason": ""})

    assert response.status_code == 400
    assert case_for(KASUNGAI) == other


def test_a_forged_merge_candidate_from_another_kecamatan_is_refused(client, programme, admin_dinas):
    target, janju = case_for(SUNGAI_TERIK), case_for(JANJU)
    client.force_login(admin_dinas)

    response = client.post(merge_url(target), {"others": [janju.pk], "reason": "Gabung"})

    assert response.status_code == 400
    assert case_for(JANJU) == janju


@pytest.mark.parametrize("role", ["camat_batu_sopang", "operator_sungai_terik", "pimpinan"])
def test_merging_is_hidden_from_those_who_cannot_verify(client, programme, request, role):
    target, other = case_for(SUNGAI_TERIK), case_for(KASUNGAI)
    client.force_login(request.getfixturevalue(role))

    response = client.post(merge_url(target), {"others": [other.pk], "reason": "Gabung"})

    assert response.status_code == 404
    assert case_for(KASUNGAI) == other


@pytest.fixture
def merged_away(programme, admin_dinas, camat_batu_sopang):
    """Kasungai's own record, with one verified stage and its file, merged into Sungai Terik's."""
    kasungai = case_for(KASUNGAI)
    submission = submit(camat_batu_sopang, kasungai, 1, files=[pdf("sosialisasi.pdf")])
    services.verify_submission(actor=admin_dinas, submission=submission)
    services.merge_cooperatives(
        actor=admin_dinas, target=case_for(SUNGAI_TERIK), others=[case_for(KASUNGAI)], reason="Gabung"
    )
    kasungai.refresh_from_db()
    return kasungai


@pytest.mark.parametrize("role", ["admin_dinas", "camat_batu_sopang"])
def test_a_merged_record_stays_readable_with_a_link_to_the_joint_one(client, merged_away, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(case_url(merged_away))

    assert response.status_code == 200
    assert response.context["can_edit"] is False and response.context["can_verify"] is False
    assert case_url(case_for(SUNGAI_TERIK)) in response.content.decode()
    evidence = merged_away.files.get()
    download = client.get(reverse("formation:evidence_file", args=[evidence.pk]))
    assert download.status_code == 200
    download.close()


def test_a_merged_record_is_hidden_outside_its_villages_scope(client, merged_away, camat_tanah_grogot):
    client.force_login(camat_tanah_grogot)

    assert client.get(case_url(merged_away)).status_code == 404


def test_a_merged_record_takes_no_more_evidence_or_decisions(client, merged_away, admin_dinas):
    client.force_login(admin_dinas)

    assert client.get(submit_url(merged_away)).status_code == 404
    assert client.get(merge_url(merged_away)).status_code == 404
    assert client.get(reverse("formation:step_back", args=[merged_away.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.submit_stage(
            actor=admin_dinas, cooperative=merged_away, version=merged_away.version, stage=2, evidence_date=None
        )

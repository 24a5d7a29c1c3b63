"""Saving the team or schedule without submitting: the message names the stage the village is at and what must happen
first (it used to say only "desa belum berada di tahap sebelumnya")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.formation.models import FacilitatorTeam, StageSubmission
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.formation.tests.test_musdesus_views import TEAM_POST, send

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_team_saved_before_the_sosialisasi_is_verified_says_what_must_happen_first(client, programme, operator_janju):
    case = case_for(JANJU)  # stage 0: the sosialisasi is not verified yet
    client.force_login(operator_janju)

    response = send(client, reverse("formation:team", kwargs={"pk": case.pk}), TEAM_POST)
    shown = messages_of(client.get(response.url))

    assert FacilitatorTeam.objects.filter(cooperative=case).exists()
    assert not StageSubmission.objects.filter(cooperative=case).exists()
    assert any(
        "desa berada di tahap “Belum mulai”" in m and "Tahap “Sosialisasi” harus diverifikasi" in m for m in shown
    ), shown
    assert not any("belum berada di tahap sebelumnya" in m for m in shown)


def test_a_team_saved_while_another_submission_waits_names_the_waiting_stage(
    client, programme, admin_dinas, operator_janju
):
    case = advance(case_for(JANJU), 1, submitter=admin_dinas)
    client.force_login(operator_janju)
    send(client, reverse("formation:team", kwargs={"pk": case.pk}), TEAM_POST)  # submits stage 2

    response = send(client, reverse("formation:team", kwargs={"pk": case.pk}), TEAM_POST)
    shown = messages_of(client.get(response.url))

    assert any("pengajuan tahap “Tim fasilitator dibentuk” masih menunggu verifikasi dinas" in m for m in shown), shown

"""The region list of the new-account form: only regions the editor manages, each with its level for the role filter;
a posted region outside the scope is refused with a message of its own and nothing is created."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from kopdes.accounts.models import User
from kopdes.accounts.roles import Role
from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK
from kopdes.regions.models import Level, Region

pytestmark = pytest.mark.django_db
USER_CREATE = reverse("accounts:user_create")


def region_choices(response) -> set[str]:
    field = response.context["form"].fields["region"]
    return {region.code for region in field.queryset}


def test_a_camat_sees_only_the_villages_of_its_kecamatan(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    response = client.get(USER_CREATE)

    codes = region_choices(response)
    assert codes and all(code == BATU_SOPANG or code.startswith(BATU_SOPANG + ".") for code in codes)
    assert SUNGAI_TERIK in codes and JANJU not in codes
    page = response.content.decode()
    assert f">{JANJU} " not in page
    assert 'data-level="4"' in page and "accounts/user_form.js" in page


def test_the_role_list_tells_the_script_which_levels_each_role_takes(client, admin_dinas):
    client.force_login(admin_dinas)

    form = client.get(USER_CREATE).context["form"]

    levels = json.loads(form.fields["role"].widget.attrs["data-levels"])
    assert levels[Role.OPERATOR_DESA] == [Level.DESA]
    assert levels[Role.ADMIN_DINAS] == [-1, Level.PROVINSI, Level.KABUPATEN]


def test_a_region_outside_the_scope_is_refused_plainly_and_nothing_is_created(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)
    data = {
        "username": "operator.baru",
        "full_name": "Siti Rahmawati",
        "role": Role.OPERATOR_DESA,
        "region": Region.objects.get(code=JANJU).pk,
    }

    response = client.post(USER_CREATE, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Wilayah ini di luar wilayah yang Anda kelola" in page
    assert "Operator.baru" not in page and 'value="operator.baru"' in page  # what was typed stays
    assert not User.objects.filter(username="operator.baru").exists()


def test_an_admin_dinas_of_a_kabupaten_cannot_post_its_province(client, admin_dinas):
    client.force_login(admin_dinas)
    province = Region.objects.get(code=PASER.split(".")[0])

    response = client.post(
        USER_CREATE,
        {"username": "pimpinan.prov", "full_name": "Budi", "role": Role.PIMPINAN, "region": province.pk},
    )

    assert response.status_code == 400
    assert "Wilayah ini di luar wilayah yang Anda kelola" in response.content.decode()
    assert not User.objects.filter(username="pimpinan.prov").exists()

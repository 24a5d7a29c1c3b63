"""Managing accounts: who may create, see, deactivate and reset whom, and what the audit log keeps of it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kopdes.accounts import services
from kopdes.accounts.models import RoleAssignment, User
from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.regions.models import Region
from kopdes.tests.factories import TEST_PASSWORD, make_user

USER_LIST = reverse("accounts:user_list")
USER_CREATE = reverse("accounts:user_create")

CONFIRMED = {"confirmed": "yes"}  # the field of the confirmation page


def region_pk(code: str) -> int:
    return Region.objects.get(code=code).pk


def new_account(role: str, code: str | None, username: str = "akun.baru") -> dict:
    return {
        "username": username,
        "full_name": "Siti Rahmawati",
        "phone": "0812 5555 0101",
        "email": "",
        "role": role,
        "region": region_pk(code) if code else "",
    }


def can_log_in(client, username: str, password: str) -> bool:
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    client.logout()
    return response.status_code == 302


# --- creating ----------------------------------------------------------------------------------------------------


def test_admin_dinas_creates_a_camat_and_sees_its_one_time_password_once(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.post(USER_CREATE, new_account(Role.CAMAT, TANAH_GROGOT, "camat.baru"))

    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    account = User.objects.get(username="camat.baru")
    assert account.must_change_password is True
    assert account.check_password(password)
    assert [(a.role, a.region.code, a.created_by) for a in account.assignments.all()] == [
        (Role.CAMAT, TANAH_GROGOT, admin_dinas)
    ]
    # the account page never shows it again
    detail = client.get(reverse("accounts:user_detail", args=[account.pk]))
    assert detail.status_code == 200
    assert password not in detail.content.decode()


def test_creating_an_account_is_audited_with_its_actor(client, admin_dinas):
    client.force_login(admin_dinas)

    client.post(USER_CREATE, new_account(Role.CAMAT, TANAH_GROGOT, "camat.baru"))

    account = User.objects.get(username="camat.baru")
    entry = AuditEntry.objects.get(action="accounts.create_user")
    assert entry.actor == admin_dinas
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(account.pk))
    assert entry.region_code == TANAH_GROGOT
    assert entry.after["role"] == Role.CAMAT
    assert entry.after["region"] == TANAH_GROGOT
    assert entry.after["must_change_password"] is True
    assert "password" not in entry.after


def test_new_account_logs_in_with_its_one_time_password_and_must_change_it(client, admin_dinas):
    client.force_login(admin_dinas)
    password = client.post(USER_CREATE, new_account(Role.CAMAT, TANAH_GROGOT, "camat.baru")).context["password"]
    client.logout()

    client.post(reverse("accounts:login"), {"username": "camat.baru", "password": password})

    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")


def test_camat_creates_an_operator_desa_in_its_kecamatan(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    response = client.post(USER_CREATE, new_account(Role.OPERATOR_DESA, SUNGAI_TERIK, "operator.baru"))

    assert response.status_code == 200
    account = User.objects.get(username="operator.baru")
    assert account.assignments.get().region.code == SUNGAI_TERIK
    assert AuditEntry.objects.get(action="accounts.create_user").actor == camat_batu_sopang


def test_camat_cannot_create_an_operator_desa_in_another_kecamatan(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)
    before = User.objects.count()

    response = client.post(USER_CREATE, new_account(Role.OPERATOR_DESA, JANJU, "operator.nakal"))

    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert User.objects.count() == before
    assert not User.objects.filter(username="operator.nakal").exists()
    assert not AuditEntry.objects.filter(action="accounts.create_user").exists()
    # what was typed is kept for the next try
    html = response.content.decode()
    assert 'value="operator.nakal"' in html
    assert 'value="Siti Rahmawati"' in html
    assert 'value="0812 5555 0101"' in html


def test_camat_region_dropdown_offers_only_its_own_kecamatan(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    response = client.get(USER_CREATE)

    offered = {region.code for region in response.context["form"].fields["region"].queryset}
    assert offered == {BATU_SOPANG} | set(Region.objects.subtree(BATU_SOPANG).villages().values_list("code", flat=True))
    assert "Janju" not in response.content.decode()


def test_camat_cannot_create_a_camat(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    response = client.post(USER_CREATE, new_account(Role.CAMAT, BATU_SOPANG, "camat.kedua"))

    assert response.status_code == 400
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(username="camat.kedua").exists()
    assert [value for value, _label in response.context["form"].fields["role"].choices if value] == [Role.OPERATOR_DESA]


def test_role_on_the_wrong_level_is_refused(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.post(USER_CREATE, new_account(Role.OPERATOR_DESA, TANAH_GROGOT, "operator.kecamatan"))

    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="operator.kecamatan").exists()


def test_admin_dinas_of_paser_cannot_create_a_national_account(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.post(USER_CREATE, new_account(Role.ADMIN_DINAS, None, "admin.nasional"))

    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="admin.nasional").exists()


def test_taken_username_is_refused_whatever_its_case(client, admin_dinas, camat_batu_sopang):
    client.force_login(admin_dinas)

    response = client.post(USER_CREATE, new_account(Role.CAMAT, TANAH_GROGOT, camat_batu_sopang.username.upper()))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert User.objects.filter(username__iexact=camat_batu_sopang.username).count() == 1


def test_create_user_service_refuses_a_role_outside_the_actor_scope(camat_batu_sopang):
    with pytest.raises(PermissionDenied):
        services.create_user(
            actor=camat_batu_sopang,
            username="operator.nakal",
            full_name="X",
            role=Role.OPERATOR_DESA,
            region=Region.objects.get(code=JANJU),
        )

    assert not User.objects.filter(username="operator.nakal").exists()


# --- seeing ------------------------------------------------------------------------------------------------------


@pytest.fixture
def operators(paser):
    """Two operator desa in Batu Sopang and one in Tanah Grogot (besides operator.janju)."""
    return {
        "busui": make_user("operator.busui", Role.OPERATOR_DESA, "64.01.01.2010", full_name="Operator Busui"),
        "legai": make_user("operator.legai", Role.OPERATOR_DESA, "64.01.01.2012", full_name="Operator Legai"),
        "pepara": make_user("operator.pepara", Role.OPERATOR_DESA, "64.01.04.2005", full_name="Operator Pepara"),
    }


def test_camat_lists_only_the_operator_desa_of_its_kecamatan(
    client, camat_batu_sopang, camat_tanah_grogot, operator_janju, pendamping, operators
):
    client.force_login(camat_batu_sopang)

    response = client.get(USER_LIST)

    assert response.status_code == 200
    assert [account.username for account in response.context["users"]] == ["operator.busui", "operator.legai"]
    html = response.content.decode()
    for hidden in (operator_janju, camat_tanah_grogot, pendamping, operators["pepara"], camat_batu_sopang):
        assert reverse("accounts:user_detail", args=[hidden.pk]) not in html


def test_admin_dinas_lists_every_account_of_paser_but_itself(client, users_by_role, operators):
    client.force_login(users_by_role[Role.ADMIN_DINAS])

    response = client.get(USER_LIST)

    listed = {account.username for account in response.context["users"]}
    expected = {user.username for role, user in users_by_role.items() if role != Role.ADMIN_DINAS}
    assert listed == expected | {user.username for user in operators.values()}


def test_user_list_search_finds_by_username_or_name(client, admin_dinas, operators):
    User.objects.filter(pk=operators["legai"].pk).update(full_name="Budi Koperasiwan")
    client.force_login(admin_dinas)

    by_username = client.post(USER_LIST, {"q": "busui"}, follow=True).context["users"]
    by_name = client.post(USER_LIST, {"q": "KOPERASIWAN"}, follow=True).context["users"]

    assert [u.username for u in by_username] == ["operator.busui"]
    assert [u.username for u in by_name] == ["operator.legai"]


def test_account_with_a_role_outside_the_camat_scope_is_hidden_from_the_camat(client, camat_batu_sopang, operators):
    # an operator of Busui who is also pendamping in Tanah Grogot is not wholly the camat's
    services.assign_role(
        actor=None, user=operators["busui"], role=Role.PENDAMPING, region=Region.objects.get(code=TANAH_GROGOT)
    )
    client.force_login(camat_batu_sopang)

    assert [u.username for u in client.get(USER_LIST).context["users"]] == ["operator.legai"]
    assert client.get(reverse("accounts:user_detail", args=[operators["busui"].pk])).status_code == 404


def test_camat_gets_404_for_an_operator_of_another_kecamatan(client, camat_batu_sopang, operator_janju):
    client.force_login(camat_batu_sopang)

    assert client.get(reverse("accounts:user_detail", args=[operator_janju.pk])).status_code == 404


def test_missing_account_answers_404_like_one_out_of_scope(client, admin_dinas):
    client.force_login(admin_dinas)

    assert client.get(reverse("accounts:user_detail", args=[999_999])).status_code == 404


def test_camat_opens_an_operator_of_its_kecamatan(client, camat_batu_sopang, operator_sungai_terik):
    client.force_login(camat_batu_sopang)

    response = client.get(reverse("accounts:user_detail", args=[operator_sungai_terik.pk]))

    assert response.status_code == 200
    assert response.context["account"] == operator_sungai_terik


@pytest.mark.parametrize("fixture", ["operator_janju", "pimpinan", "mitra", "pendamping"])
def test_non_managers_get_404_for_the_user_pages(client, request, fixture, operator_sungai_terik):
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(USER_LIST).status_code == 404
    assert client.get(USER_CREATE).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[operator_sungai_terik.pk])).status_code == 404


# --- deactivating and resetting ----------------------------------------------------------------------------------


def test_deactivating_keeps_the_account_and_is_audited(client, admin_dinas, camat_tanah_grogot):
    client.force_login(admin_dinas)

    response = client.post(reverse("accounts:user_deactivate", args=[camat_tanah_grogot.pk]), CONFIRMED)

    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[camat_tanah_grogot.pk])
    account = User.objects.get(pk=camat_tanah_grogot.pk)  # never deleted
    assert account.is_active is False
    assert RoleAssignment.objects.filter(user=account, ended_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="accounts.deactivate_user")
    assert entry.actor == admin_dinas
    assert entry.object_id == str(account.pk)
    assert entry.region_code == TANAH_GROGOT
    assert entry.before["is_active"] is True
    assert entry.after["is_active"] is False


def test_deactivated_account_cannot_log_in_and_can_be_reactivated(client, admin_dinas, camat_tanah_grogot):
    client.force_login(admin_dinas)
    client.post(reverse("accounts:user_deactivate", args=[camat_tanah_grogot.pk]), CONFIRMED)
    client.logout()
    assert not can_log_in(client, camat_tanah_grogot.username, TEST_PASSWORD)

    client.force_login(admin_dinas)
    response = client.post(reverse("accounts:user_activate", args=[camat_tanah_grogot.pk]), CONFIRMED)
    client.logout()

    assert response.status_code == 302
    assert User.objects.get(pk=camat_tanah_grogot.pk).is_active is True
    assert AuditEntry.objects.filter(action="accounts.activate_user", actor=admin_dinas).count() == 1
    assert can_log_in(client, camat_tanah_grogot.username, TEST_PASSWORD)


def test_camat_deactivates_an_operator_of_its_kecamatan(client, camat_batu_sopang, operator_sungai_terik):
    client.force_login(camat_batu_sopang)

    response = client.post(reverse("accounts:user_deactivate", args=[operator_sungai_terik.pk]), CONFIRMED)

    assert response.status_code == 302
    assert User.objects.get(pk=operator_sungai_terik.pk).is_active is False


def test_camat_cannot_deactivate_an_operator_of_another_kecamatan(client, camat_batu_sopang, operator_janju):
    client.force_login(camat_batu_sopang)

    response = client.post(reverse("accounts:user_deactivate", args=[operator_janju.pk]), CONFIRMED)

    assert response.status_code == 404
    assert User.objects.get(pk=operator_janju.pk).is_active is True
    assert not AuditEntry.objects.filter(action="accounts.deactivate_user").exists()


def test_resetting_a_password_gives_a_new_one_time_password(client, admin_dinas, camat_tanah_grogot):
    client.force_login(admin_dinas)

    response = client.post(reverse("accounts:user_reset_password", args=[camat_tanah_grogot.pk]), CONFIRMED)

    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    account = User.objects.get(pk=camat_tanah_grogot.pk)
    assert account.must_change_password is True
    assert account.check_password(password)
    assert not account.check_password(TEST_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.reset_password")
    assert entry.actor == admin_dinas
    assert entry.object_id == str(account.pk)
    assert password not in str(entry.after)


def test_old_password_no_longer_logs_in_after_a_reset(client, admin_dinas, camat_tanah_grogot):
    client.force_login(admin_dinas)
    url = reverse("accounts:user_reset_password", args=[camat_tanah_grogot.pk])
    password = client.post(url, CONFIRMED).context["password"]
    client.logout()

    assert not can_log_in(client, camat_tanah_grogot.username, TEST_PASSWORD)
    assert can_log_in(client, camat_tanah_grogot.username, password)


def test_each_reset_gives_a_different_password(client, admin_dinas, camat_tanah_grogot):
    client.force_login(admin_dinas)
    url = reverse("accounts:user_reset_password", args=[camat_tanah_grogot.pk])

    first, second = client.post(url, CONFIRMED).context["password"], client.post(url, CONFIRMED).context["password"]

    assert first != second
    assert not User.objects.get(pk=camat_tanah_grogot.pk).check_password(first)


MANAGER_ACTIONS = ["accounts:user_deactivate", "accounts:user_activate", "accounts:user_reset_password"]


@pytest.mark.parametrize("name", MANAGER_ACTIONS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_manager_action_without_confirmation_only_asks_and_changes_nothing(
    client, admin_dinas, camat_tanah_grogot, name, method
):
    """Once broken: a manager's reset happened on one click. Now GET, or a POST without the confirmation page's field,
    shows the confirmation page and changes nothing."""
    client.force_login(admin_dinas)
    User.objects.filter(pk=camat_tanah_grogot.pk).update(is_active=name != "accounts:user_activate")
    before = User.objects.filter(pk=camat_tanah_grogot.pk).values("is_active", "password", "must_change_password").get()

    response = getattr(client, method)(reverse(name, args=[camat_tanah_grogot.pk]))

    assert response.status_code == 200
    assert 'data-testid="confirm-action"' in response.content.decode()
    assert re.search(r'name="confirmed"\s+value="yes"', response.content.decode())  # any attribute layout
    assert "password" not in response.context or response.context.get("password") is None
    after = User.objects.filter(pk=camat_tanah_grogot.pk).values("is_active", "password", "must_change_password").get()
    assert after == before
    assert (
        not AuditEntry.objects.filter(object_id=str(camat_tanah_grogot.pk), action__startswith="accounts.")
        .exclude(action="accounts.create_user")
        .exists()
    )


def test_the_confirmation_page_names_the_account_and_what_happens(client, admin_dinas, camat_tanah_grogot):
    client.force_login(admin_dinas)

    page = client.get(reverse("accounts:user_reset_password", args=[camat_tanah_grogot.pk])).content.decode()

    assert camat_tanah_grogot.username in page
    assert "Atur ulang kata sandi?" in page


def test_operator_desa_gets_404_for_the_user_list(client, operator_janju):
    client.force_login(operator_janju)

    assert client.get(USER_LIST).status_code == 404


@pytest.mark.parametrize("name", ["accounts:user_deactivate", "accounts:user_reset_password", "accounts:user_detail"])
@pytest.mark.parametrize("fixture", ["admin_dinas", "camat_batu_sopang"])
def test_manager_cannot_act_on_itself(client, request, fixture, name):
    manager = request.getfixturevalue(fixture)
    client.force_login(manager)

    method = client.get if name == "accounts:user_detail" else client.post
    response = method(reverse(name, args=[manager.pk]), CONFIRMED)

    assert response.status_code == 404
    manager.refresh_from_db()
    assert manager.is_active is True
    assert manager.check_password(TEST_PASSWORD)


def test_camat_cannot_reset_the_password_of_its_admin_dinas(client, camat_batu_sopang, admin_dinas):
    client.force_login(camat_batu_sopang)

    response = client.post(reverse("accounts:user_reset_password", args=[admin_dinas.pk]), CONFIRMED)

    assert response.status_code == 404
    assert User.objects.get(pk=admin_dinas.pk).check_password(TEST_PASSWORD)


def test_admin_dinas_of_paser_cannot_manage_a_superuser(client, admin_dinas, paser):
    root = User.objects.create_superuser("root", "root@example.org", TEST_PASSWORD)
    client.force_login(admin_dinas)

    assert client.post(reverse("accounts:user_deactivate", args=[root.pk]), CONFIRMED).status_code == 404
    assert User.objects.get(pk=root.pk).is_active is True


def test_deactivate_service_refuses_an_account_outside_the_actor_scope(camat_batu_sopang, operator_janju):
    with pytest.raises(PermissionDenied):
        services.set_user_active(actor=camat_batu_sopang, user=operator_janju, active=False)

    assert User.objects.get(pk=operator_janju.pk).is_active is True


def test_admin_dinas_of_paser_creates_a_camat_through_the_service(admin_dinas):
    user, password = services.create_user(
        actor=admin_dinas,
        username="camat.kuaro",
        full_name="Camat Kuaro",
        role=Role.CAMAT,
        region=Region.objects.get(code="64.01.05"),
    )

    assert user.check_password(password)
    assert len(password) == 14
    assert RoleAssignment.objects.get(user=user).region.code == "64.01.05"
    assert AuditEntry.objects.filter(action="accounts.create_user", region_code="64.01.05").count() == 1


def test_account_whose_roles_all_ended_stays_reachable_for_its_manager(client, admin_dinas, paser):
    former_kades = make_user("kades.lama", Role.OPERATOR_DESA, "64.01.04.2002")
    services.end_assignment(actor=admin_dinas, assignment=former_kades.assignments.get())
    client.force_login(admin_dinas)

    assert client.get(f"/pengguna/{former_kades.pk}/").status_code == 200
    assert former_kades.username in client.get("/pengguna/").content.decode()
    response = client.post(f"/pengguna/{former_kades.pk}/nonaktifkan/", CONFIRMED)
    assert response.status_code == 302
    former_kades.refresh_from_db()
    assert former_kades.is_active is False


def test_account_whose_roles_all_ended_is_not_reachable_outside_its_last_region(client, camat_batu_sopang, admin_dinas):
    former_kades = make_user("kades.janju.lama", Role.OPERATOR_DESA, "64.01.04.2002")
    services.end_assignment(actor=admin_dinas, assignment=former_kades.assignments.get())
    client.force_login(camat_batu_sopang)

    assert client.get(f"/pengguna/{former_kades.pk}/").status_code == 404

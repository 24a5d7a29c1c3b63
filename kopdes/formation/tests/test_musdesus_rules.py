"""Each rule check on the Musdesus decisions: one test where it fires, and all silent on valid input."""

from __future__ import annotations

import pytest
from django.utils import translation

from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.models import BoardPosition, RuleSeverity, Severity, VillageOffice
from kopdes.formation.musdesus import rules
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import case_for

pytestmark = pytest.mark.django_db


def fired(findings) -> dict[str, str]:
    return {f.rule: f.severity for f in findings}


@pytest.fixture
def janju(programme):
    return case_for(JANJU)


def test_valid_decisions_fire_no_rule(janju, admin_dinas):
    _musdesus, findings = data.record_valid(admin_dinas, janju)
    assert findings == []


@pytest.mark.parametrize("rule", sorted(rules.RULES))
def test_every_rule_is_silent_on_valid_input(rule, janju, admin_dinas):
    _musdesus, findings = data.record_valid(admin_dinas, janju)
    assert rule not in fired(findings)


def test_fewer_than_9_founders_is_an_error(janju, admin_dinas):
    _m, findings = data.record_valid(admin_dinas, janju, founders=data.founders(8))
    assert fired(findings)["founders_min_law"] == Severity.ERROR
    assert "founders_below_20" not in fired(findings)


def test_fewer_than_20_founders_is_a_warning(janju, admin_dinas):
    _m, findings = data.record_valid(admin_dinas, janju, founders=data.founders(12))
    assert fired(findings) == {"founders_below_20": Severity.WARNING}


def test_same_person_in_two_positions_of_one_board_is_an_error(janju, admin_dinas):
    pengurus, pengawas = data.board()
    pengurus[4] = {**pengurus[0], "position": BoardPosition.BENDAHARA}  # the ketua is also bendahara
    _m, findings = data.record_valid(admin_dinas, janju, pengurus=pengurus, pengawas=pengawas)
    assert fired(findings)["same_person_two_positions"] == Severity.ERROR


def test_same_person_without_nik_is_recognised_by_name(janju, admin_dinas):
    pengurus, pengawas = data.board()
    pengawas[2] = {"name": " " + pengawas[1]["name"].upper(), "nik": "", "position": "anggota", "village_office": ""}
    pengawas[1] = {**pengawas[1], "nik": ""}
    _m, findings = data.record_valid(admin_dinas, janju, pengurus=pengurus, pengawas=pengawas)
    assert "same_person_two_positions" in fired(findings)


@pytest.mark.parametrize("count", [4, 6])
def test_pengurus_even_or_below_5_warns(count, janju, admin_dinas):
    pengurus, pengawas = data.board()
    pengurus = (pengurus + [{**data.person(150), "position": "anggota", "village_office": ""}])[:count]
    _m, findings = data.record_valid(admin_dinas, janju, pengurus=pengurus, pengawas=pengawas)
    assert fired(findings)["pengurus_count"] == Severity.WARNING


def test_missing_required_position_warns(janju, admin_dinas):
    pengurus, pengawas = data.board()
    pengurus[2] = {**pengurus[2], "position": BoardPosition.ANGGOTA}
    _m, findings = data.record_valid(admin_dinas, janju, pengurus=pengurus, pengawas=pengawas)
    assert fired(findings) == {"pengurus_position_missing": Severity.WARNING}


def test_ketua_pengawas_not_the_village_head_warns(janju, admin_dinas):
    pengurus, pengawas = data.board()
    pengawas[0] = {**pengawas[0], "village_office": ""}
    _m, findings = data.record_valid(admin_dinas, janju, pengurus=pengurus, pengawas=pengawas)
    assert fired(findings) == {"ketua_pengawas_not_head": Severity.WARNING}


def test_pengurus_from_village_leadership_warns(janju, admin_dinas):
    pengurus, pengawas = data.board()
    pengurus[3] = {**pengurus[3], "village_office": VillageOffice.APPARATUS}
    _m, findings = data.record_valid(admin_dinas, janju, pengurus=pengurus, pengawas=pengawas)
    assert fired(findings) == {"pengurus_village_leadership": Severity.WARNING}


def test_no_family_ties_declaration_warns(janju, admin_dinas):
    _m, findings = data.record_valid(admin_dinas, janju, no_family_ties_declared=False)
    assert fired(findings) == {"no_family_ties_declaration": Severity.WARNING}


def test_name_not_in_the_standard_form_warns(janju, admin_dinas):
    _m, findings = data.record_valid(admin_dinas, janju, cooperative_name="KUD Maju Jaya")
    assert fired(findings) == {"name_format": Severity.WARNING}
    assert "Koperasi Desa Merah Putih Janju" in findings[0].message


def test_name_clashing_in_the_regency_warns_unless_kecamatan_appended(janju, admin_dinas):
    other = case_for(SUNGAI_TERIK)
    other.name = "Koperasi Desa Merah Putih Janju"
    other.save()
    _m, findings = data.record_valid(admin_dinas, janju)
    assert fired(findings) == {"name_clash": Severity.WARNING}
    _m, findings = data.record_valid(
        admin_dinas, janju, cooperative_name="Koperasi Desa Merah Putih Janju Kecamatan Tanah Grogot"
    )
    assert findings == []


def test_same_nik_on_two_boards_across_villages_warns(janju, admin_dinas):
    other = case_for(SUNGAI_TERIK)
    pengurus, pengawas = data.board(start=500)
    pengurus[0] = {**pengurus[0], "nik": data.nik(101)}  # Janju's wakil ketua bidang usaha (person 100 + 1)
    data.record_valid(admin_dinas, other, start=300, pengurus=pengurus, pengawas=pengawas)
    _m, findings = data.record_valid(admin_dinas, janju)
    assert fired(findings).get("nik_on_two_boards") == Severity.WARNING
    message = next(f.message for f in findings if f.rule == "nik_on_two_boards")
    assert data.nik(101) not in message  # masked: the finding is shown to every reader of the case


def test_attendance_copied_from_another_village_warns(janju, admin_dinas):
    other = case_for(SUNGAI_TERIK)
    data.record_valid(admin_dinas, other, start=0)  # Sungai Terik's list has the same 30 NIKs
    _m, findings = data.record_valid(admin_dinas, janju, start=0)
    assert fired(findings).get("copied_attendance") == Severity.WARNING


def test_a_few_shared_attendees_are_not_a_copied_list(janju, admin_dinas):
    other = case_for(SUNGAI_TERIK)
    data.record_valid(admin_dinas, other, start=26)  # shares 4 NIKs with Janju's 0..29
    _m, findings = data.record_valid(admin_dinas, janju, start=0)
    assert "copied_attendance" not in fired(findings)


def test_nik_registered_outside_the_kecamatan_warns(janju, admin_dinas):
    founders = data.founders(21)
    founders[0] = {**founders[0], "nik": data.nik(999, region="640101")}
    _m, findings = data.record_valid(admin_dinas, janju, founders=founders)
    assert fired(findings) == {"nik_outside_kecamatan": Severity.WARNING}


def test_a_nik_whose_region_code_is_not_in_the_latest_list_is_an_old_code_not_outside_the_kecamatan(janju, admin_dinas):
    """Paser has kecamatan 64.01.01–64.01.10: a NIK of 64.01.15 was registered under a code given up since."""
    founders = data.founders(21)
    founders[0] = {**founders[0], "nik": data.nik(998, region="640115")}
    founders[1] = {**founders[1], "nik": data.nik(999, region="640115")}
    _m, findings = data.record_valid(admin_dinas, janju, founders=founders)
    assert fired(findings) == {"nik_old_region_code": Severity.WARNING}
    [finding] = findings
    with translation.override("id"):
        assert finding.message == (
            "2 NIK: kode wilayah tidak ada dalam daftar terbaru — mungkin kode lama sebelum pemekaran "
            "(periksa KTP-nya)."
        )


def test_a_programme_may_change_a_severity(janju, admin_dinas, programme):
    RuleSeverity.objects.create(programme=programme, rule="founders_below_20", severity=Severity.ERROR)
    RuleSeverity.objects.create(programme=programme, rule="no_family_ties_declaration", severity=Severity.OFF)
    _m, findings = data.record_valid(admin_dinas, janju, founders=data.founders(12), no_family_ties_declared=False)
    assert fired(findings) == {"founders_below_20": Severity.ERROR}


def test_every_rule_has_a_message_for_its_params():
    assert set(rules.RULES) >= {
        "founders_min_law",
        "same_person_two_positions",
        "founders_below_20",
        "pengurus_count",
        "pengurus_position_missing",
        "ketua_pengawas_not_head",
        "pengurus_village_leadership",
        "no_family_ties_declaration",
        "name_format",
        "name_clash",
        "nik_on_two_boards",
        "copied_attendance",
    }

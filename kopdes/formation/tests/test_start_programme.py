"""Starting a programme: one cooperative record per village at stage 0, a provisional name, history and audit."""

from __future__ import annotations

from datetime import date

from kopdes.audit.models import AuditEntry
from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.formation import services
from kopdes.formation.models import Cooperative, CooperativeVillage, Programme, StageMove
from kopdes.formation.tests.helpers import case_for
from kopdes.formation.workflow import MoveKind
from kopdes.regions.models import Kind, Level, Region

KELURAHAN_TANAH_GROGOT = "64.01.04.1001"


def new_programme(region: Region) -> Programme:
    return Programme.objects.create(region=region, name="Program uji", start_date=date(2025, 4, 1))


def add_village(code: str, name: str, kecamatan: str) -> Region:
    return Region.objects.create(
        code=code, name=name, level=Level.DESA, kind=Kind.DESA, parent=Region.objects.get(code=kecamatan)
    )


def test_every_village_of_paser_gets_one_cooperative_at_stage_0(programme):
    cooperatives = Cooperative.objects.filter(programme=programme)

    assert cooperatives.count() == 144
    assert set(cooperatives.values_list("stage", flat=True)) == {0}
    assert set(cooperatives.values_list("is_active", flat=True)) == {True}
    villages = set(Region.objects.subtree(PASER).villages().values_list("code", flat=True))
    memberships = CooperativeVillage.objects.filter(cooperative__programme=programme, left_at__isnull=True)
    assert sorted(memberships.values_list("village_code", flat=True)) == sorted(villages)
    assert set(cooperatives.values_list("region_code", flat=True)) == villages


def test_desa_and_kelurahan_get_their_provisional_names(programme):
    assert case_for(JANJU).name == "Koperasi Desa Merah Putih Janju"
    assert case_for(SUNGAI_TERIK).name == "Koperasi Desa Merah Putih Sungai Terik"
    assert case_for(KELURAHAN_TANAH_GROGOT).name == "Koperasi Kelurahan Merah Putih Tanah Grogot"
    kelurahan_names = Cooperative.objects.filter(name__startswith="Koperasi Kelurahan ").count()
    assert kelurahan_names == 5  # Paser's five kelurahan


def test_a_name_clash_appends_the_kecamatan_to_both(paser, admin_dinas):
    add_village("64.01.01.2099", "Janju", BATU_SOPANG)

    services.start_programme(actor=admin_dinas, programme=new_programme(paser))

    assert case_for(JANJU).name == "Koperasi Desa Merah Putih Janju Kecamatan Tanah Grogot"
    assert case_for("64.01.01.2099").name == "Koperasi Desa Merah Putih Janju Kecamatan Batu Sopang"
    assert case_for(SUNGAI_TERIK).name == "Koperasi Desa Merah Putih Sungai Terik"  # no clash, nothing appended


def test_a_new_village_clashing_with_an_existing_record_gets_the_kecamatan(programme, admin_dinas):
    add_village("64.01.01.2099", "Janju", BATU_SOPANG)

    created = services.start_programme(actor=admin_dinas, programme=programme)

    assert created == 1
    assert case_for("64.01.01.2099").name == "Koperasi Desa Merah Putih Janju Kecamatan Batu Sopang"


def test_rerunning_start_programme_creates_nothing(programme, admin_dinas):
    before = (Cooperative.objects.count(), CooperativeVillage.objects.count(), StageMove.objects.count())

    created = services.start_programme(actor=admin_dinas, programme=programme)

    assert created == 0
    assert (Cooperative.objects.count(), CooperativeVillage.objects.count(), StageMove.objects.count()) == before


def test_inactive_villages_get_no_cooperative(paser, admin_dinas):
    Region.objects.filter(code=JANJU).update(is_active=False)

    created = services.start_programme(actor=admin_dinas, programme=new_programme(paser))

    assert created == 143
    assert not CooperativeVillage.objects.filter(village_code=JANJU).exists()


def test_a_programme_over_one_kecamatan_covers_only_its_villages(admin_dinas):
    created = services.start_programme(
        actor=admin_dinas, programme=new_programme(Region.objects.get(code=TANAH_GROGOT))
    )

    assert created == 16
    assert all(
        code.startswith(TANAH_GROGOT + ".") for code in Cooperative.objects.values_list("region_code", flat=True)
    )


def test_each_new_record_has_a_created_history_row(programme, admin_dinas):
    moves = StageMove.objects.filter(cooperative__programme=programme)

    assert moves.count() == 144
    assert set(moves.values_list("kind", "from_stage", "to_stage", "actor", "source")) == {
        (MoveKind.CREATED, None, 0, admin_dinas.pk, "form")
    }
    assert moves.values("cooperative").distinct().count() == 144


def test_starting_a_programme_is_audited(programme, admin_dinas):
    entry = AuditEntry.objects.get(action="formation.start_programme")

    assert entry.actor == admin_dinas
    assert entry.object_id == str(programme.pk)
    assert entry.region_code == PASER
    assert entry.after == {"cooperatives_created": 144}

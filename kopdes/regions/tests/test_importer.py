"""The region importer and its management command: both sources, reruns, editions, bad rows, kinds and time zones."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from kopdes.audit.models import AuditEntry
from kopdes.conftest import PASER
from kopdes.regions.importer import RegionImportError, import_regions
from kopdes.regions.models import Kind, Level, Region, RegionEdition
from kopdes.regions.timezones import WIB, WIT, WITA, forget_stored_zones

NPM = settings.REGION_NPM_DATA_DIR
# the same Paser rows in the `wilayah` layout (provinsi.csv …), carried in the repository (fixtures/…/README.md)
WILAYAH_INDONESIA = Path(__file__).parent / "fixtures" / "wilayah-64.01"

# idn-area-data layout: file name and header per level (parent column left out for provinces)
NPM_FILES = {
    1: ("provinces.csv", "code,name"),
    2: ("regencies.csv", "code,province_code,name"),
    3: ("districts.csv", "code,regency_code,name"),
    4: ("villages.csv", "code,district_code,name"),
}

# A small made-up province: two kecamatan, a kelurahan (type digit 1) and desa (type digit 2).
TEST_TREE = {
    "99": "Provinsi Uji",
    "99.01": "Kabupaten Uji",
    "99.01.01": "Satu",
    "99.01.01.1001": "Kota Satu",
    "99.01.01.2002": "Sukamaju",
    "99.01.01.2003": "Sukamundur",
    "99.01.02": "Dua",
    "99.01.02.2001": "Hulu",
}


def write_npm_tree(directory: Path, names: dict[str, str], extra: dict[str, list[str]] | None = None) -> Path:
    """Write the four idn-area-data files for `names` (code → name, parents from the codes), then `extra` raw lines."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = {level: [header] for level, (_file, header) in NPM_FILES.items()}
    for code, name in names.items():
        level = code.count(".") + 1
        parent = [code.rsplit(".", 1)[0]] if level > 1 else []
        lines[level].append(",".join([code, *parent, name]))
    for level, (filename, _header) in NPM_FILES.items():
        body = lines[level] + (extra or {}).get(filename, [])
        (directory / filename).write_text("\n".join(body) + "\n", encoding="utf-8")
    return directory


def clear_tree() -> None:
    """Empty the region tree inside the test's transaction (the session loads Paser; these tests start from nothing)."""
    for level in sorted(Level.values, reverse=True):
        Region.objects.filter(level=level).delete()
    RegionEdition.objects.all().delete()
    forget_stored_zones()


@pytest.fixture(autouse=True)
def empty_tree(db):
    clear_tree()
    yield
    forget_stored_zones()


def villages_of(prefix: str) -> dict[str, str]:
    return dict(Region.objects.subtree(prefix).villages().values_list("code", "name"))


def written_counts() -> tuple[int, int, int]:
    return Region.objects.count(), RegionEdition.objects.count(), AuditEntry.objects.count()


# --- the real sources ---------------------------------------------------------------------------------------------


def test_npm_and_wilayah_sources_give_paser_the_same_144_villages():
    import_regions(directory=NPM, decree="npm", prefix=PASER)
    from_npm = villages_of(PASER)
    clear_tree()
    import_regions(directory=WILAYAH_INDONESIA, decree="wilayah", prefix=PASER)
    from_wilayah = villages_of(PASER)

    assert len(from_npm) == 144
    assert from_wilayah == from_npm


def test_wilayah_source_over_npm_import_changes_nothing():
    import_regions(directory=NPM, decree="npm", prefix=PASER)

    result = import_regions(directory=WILAYAH_INDONESIA, decree="wilayah", prefix=PASER)

    assert (result.created, result.updated, result.deactivated) == (0, 0, 0)
    assert result.unchanged == 1 + 1 + 10 + 144


def test_rerun_changes_nothing_but_records_the_run():
    first = import_regions(directory=NPM, decree="Kepmendagri 2025", prefix=PASER)
    second = import_regions(directory=NPM, decree="Kepmendagri 2025", prefix=PASER)

    assert first.created == 156
    assert (second.created, second.updated, second.deactivated, second.unchanged) == (0, 0, 0, 156)
    assert Region.objects.count() == 156
    assert RegionEdition.objects.count() == 2
    # the regions still point at the edition that last changed them
    assert set(Region.objects.values_list("edition", flat=True)) == {first.edition.pk}


def test_prefix_imports_one_subtree_with_its_ancestors_only():
    result = import_regions(directory=NPM, decree="test", prefix=PASER)

    assert list(Region.objects.filter(level=Level.PROVINSI).values_list("code", flat=True)) == ["64"]
    assert list(Region.objects.filter(level=Level.KABUPATEN).values_list("code", flat=True)) == ["64.01"]
    assert Region.objects.filter(level=Level.KECAMATAN).count() == 10
    assert Region.objects.villages().count() == 144
    assert not Region.objects.filter(code__startswith="63").exists()
    assert not Region.objects.exclude(code__in=["64"]).exclude(code__startswith="64.01").exists()
    assert result.by_level == {Level.PROVINSI: 1, Level.KABUPATEN: 1, Level.KECAMATAN: 10, Level.DESA: 144}


def test_paser_has_139_desa_and_5_kelurahan_as_the_national_list_says():
    import_regions(directory=NPM, decree="test", prefix=PASER)
    with open(WILAYAH_INDONESIA / "desa.csv", encoding="utf-8") as handle:
        national = {row["kode"]: row["jenis"] for row in csv.DictReader(handle) if row["kode"].startswith("64.01.")}

    kinds = dict(Region.objects.subtree(PASER).villages().values_list("code", "kind"))

    assert kinds == national
    assert sum(kind == Kind.DESA for kind in kinds.values()) == 139
    assert sorted(code for code, kind in kinds.items() if kind == Kind.KELURAHAN) == [
        code for code in sorted(kinds) if code.split(".")[3].startswith("1")
    ]
    assert sum(kind == Kind.KELURAHAN for kind in kinds.values()) == 5


def test_kota_and_kabupaten_are_told_apart_by_the_code():
    import_regions(directory=NPM, decree="test", prefix=PASER)
    import_regions(directory=NPM, decree="test", prefix="64.74")

    assert Region.objects.get(code=PASER).kind == Kind.KABUPATEN
    bontang = Region.objects.get(code="64.74")
    assert bontang.kind == Kind.KOTA
    assert bontang.name == "Kota Bontang"
    # a city has kelurahan, not desa
    assert set(Region.objects.subtree("64.74").villages().values_list("kind", flat=True)) == {Kind.KELURAHAN}


def test_edition_is_recorded_with_its_decree_and_counts():
    decree = "Kepmendagri No. 300.2.2-2138 Tahun 2025"

    result = import_regions(directory=NPM, decree=decree, prefix=PASER)

    edition = RegionEdition.objects.get()
    assert edition == result.edition
    assert (edition.decree, edition.prefix, edition.source) == (decree, PASER, str(NPM))
    assert (edition.created, edition.updated, edition.unchanged, edition.deactivated) == (156, 0, 0, 0)
    assert Region.objects.filter(edition=edition).count() == 156
    entry = AuditEntry.objects.filter(action="regions.import").latest("id")
    assert entry.object_id == str(edition.pk)
    assert entry.region_code == PASER
    assert entry.after["decree"] == decree


# --- newer editions (small synthetic files) ----------------------------------------------------------------------


def test_code_missing_from_newer_edition_becomes_inactive_not_deleted(tmp_path):
    import_regions(directory=write_npm_tree(tmp_path / "v1", TEST_TREE), decree="v1")
    newer = {code: name for code, name in TEST_TREE.items() if code != "99.01.01.2003"}

    result = import_regions(directory=write_npm_tree(tmp_path / "v2", newer), decree="v2")

    gone = Region.objects.get(code="99.01.01.2003")
    assert gone.is_active is False
    assert gone.edition == result.edition
    assert result.deactivated == 1
    assert Region.objects.count() == len(TEST_TREE)
    assert Region.objects.active().count() == len(TEST_TREE) - 1


def test_code_listed_again_is_reactivated(tmp_path):
    import_regions(directory=write_npm_tree(tmp_path / "v1", TEST_TREE), decree="v1")
    without = {code: name for code, name in TEST_TREE.items() if code != "99.01.02.2001"}
    import_regions(directory=write_npm_tree(tmp_path / "v2", without), decree="v2")

    result = import_regions(directory=write_npm_tree(tmp_path / "v3", TEST_TREE), decree="v3")

    assert Region.objects.get(code="99.01.02.2001").is_active is True
    assert (result.created, result.updated, result.deactivated) == (0, 1, 0)


def test_renamed_village_is_updated(tmp_path):
    import_regions(directory=write_npm_tree(tmp_path / "v1", TEST_TREE), decree="v1")
    renamed = {**TEST_TREE, "99.01.01.2002": "Sukamaju Baru"}

    result = import_regions(directory=write_npm_tree(tmp_path / "v2", renamed), decree="v2")

    village = Region.objects.get(code="99.01.01.2002")
    assert village.name == "Sukamaju Baru"
    assert village.edition == result.edition
    assert (result.created, result.updated, result.deactivated) == (0, 1, 0)


def test_rerun_of_the_same_files_writes_nothing_and_a_renamed_village_is_updated_and_audited(tmp_path):
    first = write_npm_tree(tmp_path / "v1", TEST_TREE)
    import_regions(directory=first, decree="v1")
    stored = list(Region.objects.order_by("code").values_list("code", "name", "kind", "parent", "is_active", "edition"))

    rerun = import_regions(directory=first, decree="v1")

    assert (rerun.created, rerun.updated, rerun.deactivated, rerun.unchanged) == (0, 0, 0, len(TEST_TREE))
    assert list(
        Region.objects.order_by("code").values_list("code", "name", "kind", "parent", "is_active", "edition")
    ) == (stored)
    quiet = AuditEntry.objects.filter(action="regions.import").latest("id")
    assert (quiet.after["created"], quiet.after["updated"], quiet.after["unchanged"]) == (0, 0, len(TEST_TREE))
    assert "names" not in quiet.after and not quiet.before

    renamed = import_regions(
        directory=write_npm_tree(tmp_path / "v2", {**TEST_TREE, "99.01.02.2001": "Hulu  Baru "}), decree="v2"
    )

    assert (renamed.created, renamed.updated, renamed.deactivated) == (0, 1, 0)
    assert Region.objects.get(code="99.01.02.2001").name == "Hulu Baru"
    assert Region.objects.get(code="99.01.02.2001").edition == renamed.edition
    assert Region.objects.filter(edition=renamed.edition).count() == 1  # the other rows keep their edition
    entry = AuditEntry.objects.filter(action="regions.import").latest("id")
    assert entry.object_id == str(renamed.edition.pk)
    assert entry.before == {"names": {"99.01.02.2001": "Hulu"}}
    assert entry.after["names"] == {"99.01.02.2001": "Hulu Baru"}
    assert entry.after["updated"] == 1


def test_names_are_normalised_to_single_spaces(tmp_path):
    import_regions(directory=write_npm_tree(tmp_path, {**TEST_TREE, "99.01.02.2001": "  Hulu   Sungai "}), decree="v1")

    assert Region.objects.get(code="99.01.02.2001").name == "Hulu Sungai"


def test_prefix_import_leaves_the_prefix_siblings_alone(tmp_path):
    import_regions(directory=write_npm_tree(tmp_path / "v1", TEST_TREE), decree="v1")
    only_satu = {code: name for code, name in TEST_TREE.items() if not code.startswith("99.01.02")}

    result = import_regions(directory=write_npm_tree(tmp_path / "v2", only_satu), decree="v2", prefix="99.01.01")

    assert result.deactivated == 0
    assert Region.objects.filter(code__startswith="99.01.02", is_active=True).count() == 2


BAD_ROWS = {
    # messages are in Indonesian (LANGUAGE_CODE "id"): "baris" is row
    "bad code pattern": ({"districts.csv": ["99.1.03,99.01,Tiga"]}, "districts.csv baris 4", "pola"),
    "orphan parent": ({"villages.csv": ["99.01.07.2001,99.01.07,Yatim"]}, "villages.csv baris 6", "99.01.07"),
    "duplicate code": ({"villages.csv": ["99.01.01.2002,99.01.01,Kembar"]}, "villages.csv baris 6", "ganda"),
    "parent column disagrees": ({"villages.csv": ["99.01.01.2009,99.01.02,Salah"]}, "villages.csv baris 6", "induk"),
    "empty name": ({"regencies.csv": ["99.02,99,"]}, "regencies.csv baris 3", "kosong"),
    "unknown village type": ({"villages.csv": ["99.01.01.4001,99.01.01,Aneh"]}, "villages.csv baris 6", "jenis"),
}


@pytest.mark.parametrize("extra, where, what", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_bad_row_is_reported_with_file_and_row_and_nothing_is_written(tmp_path, extra, where, what):
    directory = write_npm_tree(tmp_path, TEST_TREE, extra)
    before = written_counts()

    with pytest.raises(RegionImportError) as raised:
        import_regions(directory=directory, decree="bad")

    assert len(raised.value.errors) == 1
    assert raised.value.errors[0].startswith(where + ":")
    assert what in raised.value.errors[0]
    assert written_counts() == before


def test_every_bad_row_is_listed_at_once(tmp_path):
    directory = write_npm_tree(
        tmp_path,
        TEST_TREE,
        {"districts.csv": ["99.1.03,99.01,Tiga"], "villages.csv": ["99.01.01.2002,99.01.01,Kembar", "x,99.01.01,Y"]},
    )

    with pytest.raises(RegionImportError) as raised:
        import_regions(directory=directory, decree="bad")

    assert [error.split(":")[0] for error in raised.value.errors] == [
        "districts.csv baris 4",
        "villages.csv baris 6",
        "villages.csv baris 7",
    ]


def test_bad_row_in_an_update_leaves_the_previous_edition_untouched(tmp_path):
    import_regions(directory=write_npm_tree(tmp_path / "v1", TEST_TREE), decree="v1")
    broken = write_npm_tree(
        tmp_path / "v2", {**TEST_TREE, "99.01.01.2002": "Baru"}, {"villages.csv": ["99.01.01.2003,99.01.01,X"]}
    )

    with pytest.raises(RegionImportError):
        import_regions(directory=broken, decree="v2")

    assert Region.objects.get(code="99.01.01.2002").name == "Sukamaju"
    assert list(RegionEdition.objects.values_list("decree", flat=True)) == ["v1"]


def test_folder_without_either_layout_is_refused(tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name\n99,Uji\n", encoding="utf-8")

    with pytest.raises(RegionImportError) as raised:
        import_regions(directory=tmp_path, decree="x")

    assert "provinces.csv" in str(raised.value)
    assert Region.objects.count() == 0


def test_prefix_missing_from_the_source_is_refused(tmp_path):
    with pytest.raises(RegionImportError) as raised:
        import_regions(directory=write_npm_tree(tmp_path, TEST_TREE), decree="x", prefix="99.05")

    assert "99.05" in str(raised.value)
    assert Region.objects.count() == 0


# --- time zones --------------------------------------------------------------------------------------------------

ZONE_TREE = {
    "31": "DKI Jakarta",
    "31.71": "Kota Jakarta Pusat",
    "64": "Kalimantan Timur",
    "64.01": "Kabupaten Paser",
    "91": "Papua",
    "91.03": "Kabupaten Jayapura",
    "91.03.01": "Sentani",
    "91.03.01.1001": "Hinekombe",
}


@pytest.mark.parametrize(
    "province, zone, label",
    [("31", WIB, "WIB"), ("64", WITA, "WITA"), ("91", WIT, "WIT")],
)
def test_province_gets_its_time_zone(tmp_path, province, zone, label):
    import_regions(directory=write_npm_tree(tmp_path, ZONE_TREE), decree="test")

    region = Region.objects.get(code=province)
    assert region.tz == zone
    assert region.get_tz_display() == label


def test_regions_below_a_province_take_its_time_zone(tmp_path):
    import_regions(directory=write_npm_tree(tmp_path, ZONE_TREE), decree="test")

    assert Region.objects.get(code="91.03.01.1001").time_zone == WIT
    assert Region.objects.get(code="31.71").time_zone == WIB
    assert Region.objects.get(code="64.01").time_zone == WITA
    assert Region.objects.get(code="91.03").tz == ""


def test_paser_is_in_wita():
    import_regions(directory=NPM, decree="test", prefix=PASER)

    assert Region.objects.get(code="64").tz == WITA
    assert Region.objects.get(code="64.01.04.2002").time_zone == WITA


# --- the management command --------------------------------------------------------------------------------------


def test_command_imports_the_npm_package_by_default():
    out = StringIO()

    call_command("import_regions", prefix=PASER, decree="Kepmendagri 2025", stdout=out)

    assert Region.objects.villages().count() == 144
    assert "156 created" in out.getvalue()
    assert RegionEdition.objects.get().decree == "Kepmendagri 2025"


def test_command_reads_a_wilayah_folder_given_by_path():
    out = StringIO()

    call_command("import_regions", "--path", str(WILAYAH_INDONESIA), "--prefix", PASER, stdout=out)

    assert Region.objects.villages().count() == 144
    assert RegionEdition.objects.get().source == str(WILAYAH_INDONESIA)
    assert str(WILAYAH_INDONESIA) in out.getvalue()


def test_command_rerun_reports_nothing_changed():
    call_command("import_regions", prefix=PASER, stdout=StringIO())
    out = StringIO()

    call_command("import_regions", prefix=PASER, stdout=out)

    assert "0 created, 0 updated, 156 unchanged, 0 deactivated" in out.getvalue()


def test_command_refuses_a_missing_path(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        call_command("import_regions", path=tmp_path / "nowhere", stdout=StringIO())

    assert Region.objects.count() == 0


def test_command_reports_bad_rows_and_imports_nothing(tmp_path):
    directory = write_npm_tree(tmp_path, TEST_TREE, {"villages.csv": ["99.01.01.2002,99.01.01,Kembar"]})

    with pytest.raises(CommandError) as raised:
        call_command("import_regions", path=directory, stdout=StringIO())

    assert "tidak ada yang diimpor" in str(raised.value)
    assert "villages.csv baris 6" in str(raised.value)
    assert Region.objects.count() == 0


# The bulk path: plain INSERT for new codes and UPDATE by id for changed ones, executemany in batches.


def test_bulk_update_keeps_a_province_zone_and_reactivates(db):
    from kopdes.regions.importer import insert_regions, update_regions

    insert_regions([("99", "Uji", 1, "provinsi", None, "Asia/Jayapura", False, None)])
    province = Region.objects.get(code="99")
    insert_regions([("99.01", "Kabupaten Uji", 2, "kabupaten", province.id, "", True, None)])
    update_regions([("Uji Baru", "provinsi", None, None, province.id)])

    province.refresh_from_db()
    assert (province.name, province.tz, province.is_active) == ("Uji Baru", "Asia/Jayapura", True)
    assert Region.objects.get(code="99.01").parent_id == province.id


def test_an_import_in_many_batches_is_one_audit_entry(paser, monkeypatch):
    from kopdes.regions import importer

    Region.objects.filter(code__startswith="64.01.04.").delete()  # 16 villages to create again
    monkeypatch.setattr(importer, "WRITE_BATCH", 5)  # four batches, still one audited import
    before = AuditEntry.objects.filter(action="regions.import").count()

    result = import_regions(directory=WILAYAH_INDONESIA, decree="uji", prefix="64.01")

    assert result.created == 16
    assert Region.objects.subtree(PASER, include_self=False).villages().count() == 144
    assert AuditEntry.objects.filter(action="regions.import").count() == before + 1

"""The ketua pengurus columns of the village status sheet: compared with the sitting ketua, seated or replaced through
the registry's board services in the import's transaction, the history kept, NIKs masked in the preview and audit."""

from __future__ import annotations

import json
from datetime import date

from django.core.management import call_command
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.clock import local_today
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.cooperatives import services as registry
from kopdes.cooperatives.models import BoardMember, HealthSnapshot
from kopdes.formation.tests.helpers import case_for
from kopdes.imports.models import BatchStatus
from kopdes.imports.tests.sheets import xlsx
from kopdes.imports.tests.test_village_status_import import SAMPLE, send

OLD_NIK = "6401041203850007"  # Tanah Grogot, born 12/03/1985
NEW_NIK = "6401045506900011"  # Tanah Grogot, a woman born 15/06/1990
HEADERS = ["No", "Kode Desa", "Status Tahapan", "Tanggal Musdesus", "Nama Ketua Pengurus", "NIK Ketua"]


def chair_sheet(*rows) -> bytes:
    """A title over the header, then one row per (village code, stage, Musdesus date, chair name, chair NIK)."""
    return xlsx(
        [["DATA KETUA PENGURUS KOPERASI"], [], HEADERS, *[[i, *row] for i, row in enumerate(rows, start=1)]],
        merge_title=6,
    )


def janju_sheet(name="Siti Aminah", nik="'" + NEW_NIK, stage="Sudah Musdes", musdesus="16/05/2025") -> bytes:
    return chair_sheet([JANJU, stage, musdesus, name, nik])


def ketua(code: str) -> list[BoardMember]:
    return list(
        BoardMember.objects.filter(cooperative=case_for(code), position="ketua", organ="pengurus").order_by("id")
    )


def seat_ketua(actor, code=JANJU, name="Ahmad Yani", nik=OLD_NIK, term_start=date(2025, 1, 6)) -> BoardMember:
    return registry.add_seat(
        actor=actor,
        cooperative=case_for(code),
        organ="pengurus",
        position="ketua",
        name=name,
        nik=nik,
        term_start=term_start,
    )


def messages(batch, level):
    return {m["row"]: m["text"] for m in batch.summary["messages"] if m["level"] == level}


def test_a_chair_where_none_sits_is_seated_with_the_musdesus_as_term_start(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send(client, janju_sheet(name="SITI AMINAH  "))
    assert batch.status == BatchStatus.PREVIEWED, batch.summary["messages"]
    row = batch.summary["changed_rows"][0]
    assert ["Ketua pengurus", "—", "Siti Aminah (640104********11)"] in row["changes"]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Siti Aminah (640104********11)" in page and NEW_NIK not in page
    assert not ketua(JANJU)

    client.post(reverse("imports:confirm", args=[batch.pk]))
    [seat] = ketua(JANJU)
    assert (seat.name, seat.nik, seat.term_start, seat.ended_at) == ("Siti Aminah", NEW_NIK, date(2025, 5, 16), None)
    assert seat.created_by == admin_dinas and case_for(JANJU).stage == 4
    entry = AuditEntry.objects.get(action="board.seat_add")
    assert entry.source == "impor:status-desa.xlsx"
    assert case_for(JANJU).registry_updated_at is not None
    assert HealthSnapshot.objects.filter(cooperative=case_for(JANJU)).exists()


def test_the_same_chair_is_unchanged_and_a_rerun_reports_no_changes(client, programme, admin_dinas):
    seat_ketua(admin_dinas, name="Siti Aminah", nik=NEW_NIK)
    client.force_login(admin_dinas)
    # stage, date and ketua as on record: the ketua's name in capitals with its NIK in groups of four
    spaced = " ".join(NEW_NIK[i : i + 4] for i in range(0, 16, 4))
    first = send(client, janju_sheet(name="SITI AMINAH", nik=spaced))
    assert first.status == BatchStatus.PREVIEWED and first.summary["changed"] == 1
    assert not any("Ketua" in c[0] for c in first.summary["changed_rows"][0]["changes"])
    client.post(reverse("imports:confirm", args=[first.pk]))
    again = send(client, janju_sheet(name="SITI AMINAH", nik=spaced))
    assert again.status == BatchStatus.NO_CHANGES and again.summary["unchanged"] == 1
    assert "Tidak ada perubahan" in client.get(reverse("imports:batch", args=[again.pk])).content.decode()
    assert len(ketua(JANJU)) == 1


def test_the_same_name_counts_as_the_same_chair_when_either_has_no_nik(client, programme, admin_dinas):
    seat_ketua(admin_dinas, name="Siti Aminah", nik="")
    client.force_login(admin_dinas)
    client.post(reverse("imports:confirm", args=[send(client, janju_sheet()).pk]))  # moves the stage only
    batch = send(client, janju_sheet(name=" siti  aminah"))
    assert batch.status == BatchStatus.NO_CHANGES, batch.summary
    seat_ketua(admin_dinas, code=SUNGAI_TERIK, name="Budi", nik=OLD_NIK)
    other = send(client, chair_sheet([SUNGAI_TERIK, "Belum", "", "Budi", ""]))
    assert other.status == BatchStatus.NO_CHANGES, other.summary
    assert [s.nik for s in ketua(JANJU)] == [""] and len(ketua(SUNGAI_TERIK)) == 1


def test_a_different_chair_ends_the_old_seat_and_keeps_the_history(client, programme, admin_dinas):
    old = seat_ketua(admin_dinas, term_start=date(2025, 1, 6))
    client.force_login(admin_dinas)
    batch = send(client, janju_sheet())
    row = batch.summary["changed_rows"][0]
    assert ["Ketua pengurus", "Ahmad Yani (640104********07)", "Siti Aminah (640104********11)"] in row["changes"]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Ahmad Yani (640104********07)" in page and "Siti Aminah (640104********11)" in page
    assert OLD_NIK not in page and NEW_NIK not in page

    client.post(reverse("imports:confirm", args=[batch.pk]))
    ended, sitting = ketua(JANJU)
    assert ended.pk == old.pk and ended.name == "Ahmad Yani"
    assert ended.ended_at == local_today(JANJU) and ended.end_reason == "diganti melalui impor status-desa.xlsx"
    assert (sitting.name, sitting.nik, sitting.ended_at, sitting.term_start) == ("Siti Aminah", NEW_NIK, None, None)
    end_entry = AuditEntry.objects.get(action="board.seat_end")
    assert end_entry.source == "impor:status-desa.xlsx" and end_entry.before["ended_at"] is None
    assert send(client, janju_sheet()).status == BatchStatus.NO_CHANGES


def test_a_sheet_with_the_date_the_chair_took_office_uses_it(client, programme, admin_dinas):
    seat_ketua(admin_dinas, term_start=date(2025, 1, 6), nik="")
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["Kode Desa", "Tahapan", "Nama Ketua", "NIK Ketua Pengurus", "Mulai Menjabat"],
            [JANJU, "Sosialisasi", "Siti Aminah", NEW_NIK, "2 Juni 2025"],
        ]
    )
    batch = send(client, data)
    client.post(reverse("imports:confirm", args=[batch.pk]))
    ended, sitting = ketua(JANJU)
    assert (ended.ended_at, sitting.term_start) == (date(2025, 6, 2), date(2025, 6, 2))


def test_a_chair_change_dated_before_the_sitting_chairs_term_is_warned_and_left(client, programme, admin_dinas):
    seat_ketua(admin_dinas, term_start=date(2025, 7, 1))
    client.force_login(admin_dinas)
    header = ["Kode Desa", "Tahapan", "Ketua Pengurus", "TMT Ketua"]
    data = xlsx([header, [JANJU, "Belum", "Siti Aminah", "01/06/2025"]])
    batch = send(client, data)
    assert "Ahmad Yani" in messages(batch, "warning")[2] and "tidak diganti" in messages(batch, "warning")[2]
    assert batch.status == BatchStatus.NO_CHANGES and batch.summary["not_applied"] == 1
    assert [s.name for s in ketua(JANJU)] == ["Ahmad Yani"]


def test_a_bad_chair_nik_is_a_row_error_and_nothing_is_written(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    data = chair_sheet(
        [SUNGAI_TERIK, "Akta Notaris", "13/05/2025", "Budi", "'6401045506900012"],
        [JANJU, "Sudah Musdes", "16/05/2025", "Siti Aminah", "6401043206900011"],  # born 32/06
        ["64.01.02.2006", "Sudah Musdes", "16/05/2025", "Ali", "64010455069"],
    )
    batch = send(client, data)
    errors = messages(batch, "error")
    assert batch.status == BatchStatus.INVALID and set(errors) == {5, 6}, errors
    assert errors[5].startswith("NIK Ketua 640104********11:") and "tanggal lahir" in errors[5]
    assert "16 digit" in errors[6]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Baris 5" in page and "6401043206900011" not in page
    assert not BoardMember.objects.exists() and case_for(SUNGAI_TERIK).stage == 0


def test_a_chair_nik_without_a_name_is_a_row_error(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send(client, janju_sheet(name=""))
    errors = messages(batch, "error")
    assert batch.status == BatchStatus.INVALID and list(errors) == [4]
    assert "“NIK Ketua” diisi" in errors[4] and "nama ketua pengurus kosong" in errors[4]
    assert not BoardMember.objects.exists()


def test_a_chair_without_a_nik_is_warned_and_seated(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send(client, janju_sheet(nik=""))
    assert batch.status == BatchStatus.PREVIEWED
    assert "Siti Aminah" in messages(batch, "warning")[4] and "tanpa NIK" in messages(batch, "warning")[4]
    assert ["Ketua pengurus", "—", "Siti Aminah"] in batch.summary["changed_rows"][0]["changes"]
    client.post(reverse("imports:confirm", args=[batch.pk]))
    [seat] = ketua(JANJU)
    assert (seat.name, seat.nik) == ("Siti Aminah", "")


def test_a_chair_changed_between_preview_and_confirm_makes_the_confirm_refuse(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send(client, janju_sheet())
    assert ["Ketua pengurus", "—", "Siti Aminah (640104********11)"] in batch.summary["changed_rows"][0]["changes"]
    seat_ketua(admin_dinas)  # someone seats a ketua on the cooperative's page meanwhile
    response = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "berubah setelah pratinjau" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED and case_for(JANJU).stage == 0
    assert [s.name for s in ketua(JANJU)] == ["Ahmad Yani"]
    new_preview = batch.summary["changed_rows"][0]["changes"]
    assert ["Ketua pengurus", "Ahmad Yani (640104********07)", "Siti Aminah (640104********11)"] in new_preview


def test_a_board_change_the_plan_would_not_show_still_makes_the_confirm_refuse(client, programme, admin_dinas):
    seat = seat_ketua(admin_dinas, name="Siti Aminah", nik=NEW_NIK)
    client.force_login(admin_dinas)
    batch = send(client, janju_sheet())  # the stage moves; the ketua is the same
    # meanwhile her seat is ended and she is seated again for a new term: the sealed sitting ketua differs
    successor = {"name": "Siti Aminah", "nik": NEW_NIK}
    registry.replace_seat(actor=admin_dinas, seat=seat, ended_at=date(2025, 5, 20), reason="term", successor=successor)
    client.post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED and case_for(JANJU).stage == 0


def test_the_batch_audit_entry_lists_the_board_changes_with_nik_masked(client, programme, admin_dinas):
    seat_ketua(admin_dinas)
    client.force_login(admin_dinas)
    client.post(reverse("imports:confirm", args=[send(client, janju_sheet()).pk]))
    entry = AuditEntry.objects.get(action="imports.village_status")
    [change] = entry.after["board_changes"]
    assert change["row"] == 4 and change["village"] == "Janju"
    assert change["change"] == ["Ahmad Yani (640104********07)", "Siti Aminah (640104********11)"]
    for stored in AuditEntry.objects.all():
        text = json.dumps([stored.before, stored.after, stored.object_repr])
        assert OLD_NIK not in text and NEW_NIK not in text


def test_the_command_seats_the_chair_in_one_run(programme, admin_dinas, tmp_path):
    path = tmp_path / "ketua.xlsx"
    path.write_bytes(janju_sheet())
    call_command("import_village_status", str(path), "--user", "admin.dinas")
    [seat] = ketua(JANJU)
    assert seat.nik == NEW_NIK and AuditEntry.objects.get(action="board.seat_add").source == "impor:ketua.xlsx"


def test_the_offices_sample_sheet_seats_its_chairs(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    summary = batch.summary
    assert summary["errors"] == 0, summary["messages"]
    assert not any("Ketua" in m["text"] for m in summary["messages"] if m["row"] is None)  # read, not "not imported"
    client.post(reverse("imports:confirm", args=[batch.pk]))
    seats = BoardMember.objects.filter(position="ketua", ended_at__isnull=True)
    assert seats.count() == 10
    keladen = seats.get(cooperative=case_for("64.01.02.2004"))
    assert (keladen.name, keladen.nik, keladen.term_start) == ("Paulus Taka", "6401020202941543", date(2025, 5, 16))
    assert send(client, SAMPLE.read_bytes(), name=SAMPLE.name).status == BatchStatus.NO_CHANGES


def test_one_person_chairing_two_cooperatives_is_warned(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    data = chair_sheet(
        [JANJU, "Sudah Musdes", "16/05/2025", "Siti Aminah", NEW_NIK],
        [SUNGAI_TERIK, "Sudah Musdes", "16/05/2025", "Siti Aminah", NEW_NIK],
    )
    batch = send(client, data)
    assert batch.status == BatchStatus.PREVIEWED and "baris 4" in messages(batch, "warning")[5]


def test_a_new_chair_already_on_the_board_or_two_sitting_chairs_are_warned(client, programme, admin_dinas):
    registry.add_seat(
        actor=admin_dinas, cooperative=case_for(JANJU), organ="pengawas", position="anggota", name="Siti", nik=NEW_NIK
    )
    seat_ketua(admin_dinas, code=SUNGAI_TERIK, name="Budi")
    seat_ketua(admin_dinas, code=SUNGAI_TERIK, name="Ani", nik="")
    client.force_login(admin_dinas)
    data = chair_sheet(
        [JANJU, "Belum", "", "Siti Aminah", NEW_NIK],
        [SUNGAI_TERIK, "Belum", "", "Rudi", ""],
    )
    batch = send(client, data)
    warnings = messages(batch, "warning")
    assert "sudah duduk" in warnings[4] and "Pengawas" in warnings[4]
    assert "2 ketua pengurus" in warnings[5]
    assert (batch.summary["changed"], batch.summary["not_applied"]) == (1, 1)
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert [s.name for s in ketua(JANJU)] == ["Siti Aminah"]
    assert [s.name for s in ketua(SUNGAI_TERIK)] == ["Budi", "Ani"]

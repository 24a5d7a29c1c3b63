"""Changing and cancelling a visit: the pendamping who recorded it or the office; open follow-ups are changed, new ones
added, done ones left alone. A cancelled visit stays readable, leaves the counts, the case page and the reminders.
The visit list comes in pages of fifty and keeps its area filter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.assistance.models import FollowUp, Visit
from kopdes.assistance.reminders_activities import send_follow_up_reminders
from kopdes.assistance.services import activities as services
from kopdes.assistance.tests.activities_helpers import make_visit
from kopdes.audit.models import AuditEntry
from kopdes.audit.stale import READ_TOKEN_FIELD
from kopdes.conftest import BATU_SOPANG, JANJU, TANAH_GROGOT
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the case page needs the started programme)
from kopdes.formation.tests.helpers import case_for
from kopdes.notifications.models import Notification
from kopdes.tests.factories import make_user

pytestmark = pytest.mark.django_db


def edit_url(visit):
    return reverse("assistance:visit_edit", args=[visit.pk])


def cancel_url(visit):
    return reverse("assistance:visit_cancel", args=[visit.pk])


def edit_post(visit, *, existing=None, new=None, **overrides):
    """The edit form as the browser sends it: the open follow-ups (prefix f) as shown, new rows (prefix t)."""
    open_ones = list(visit.follow_ups.filter(done_date__isnull=True).order_by("due_date", "id"))
    data = {
        "visit_date": "2025-05-09",
        "purpose": "Persiapan Musdesus (lanjutan)",
        "findings": "Daftar hadir sudah lengkap, berita acara belum",
        READ_TOKEN_FIELD: services.visit_token(visit),
        "f-TOTAL_FORMS": str(len(open_ones)),
        "f-INITIAL_FORMS": str(len(open_ones)),
        "t-TOTAL_FORMS": "3",
        "t-INITIAL_FORMS": "0",
    }
    for index, follow_up in enumerate(open_ones):
        row = {
            "id": follow_up.pk,
            "text": follow_up.text,
            "owner_name": follow_up.owner_name,
            "owner_role": follow_up.owner_role,
            "due_date": follow_up.due_date.isoformat(),
        }
        row.update((existing or {}).get(index, {}))
        data.update({f"f-{index}-{key}": value for key, value in row.items()})
    for index, row in enumerate(new or []):
        data.update({f"t-{index}-{key}": value for key, value in row.items()})
    data.update(overrides)
    return data


@pytest.fixture
def pendamping_batu_sopang(paser):
    return make_user("pendamping.batusopang", Role.PENDAMPING, BATU_SOPANG)


# --- editing -------------------------------------------------------------------------------------------------------


def test_the_pendamping_who_recorded_it_changes_the_visit_its_open_follow_ups_and_adds_one(client, pendamping):
    visit = make_visit(pendamping, JANJU, follow_ups=2, due=date(2025, 5, 12))
    first, second = visit.follow_ups.order_by("id")
    services.mark_follow_up_done(actor=pendamping, follow_up=second)
    client.force_login(pendamping)

    form = client.get(edit_url(visit))
    response = client.post(
        edit_url(visit),
        edit_post(
            visit,
            existing={0: {"text": "Lengkapi berita acara", "owner_name": "Ketua panitia", "due_date": "2025-05-20"}},
            new=[{"text": "Unggah foto rapat", "owner_name": "Operator desa", "due_date": "2025-05-22"}],
        ),
    )

    assert form.status_code == 200
    assert len(form.context["existing"].forms) == 1  # the done one is not offered
    assert response.status_code == 302
    assert response.url == reverse("assistance:visit_detail", args=[visit.pk])
    visit.refresh_from_db()
    assert (visit.visit_date, visit.purpose) == (date(2025, 5, 9), "Persiapan Musdesus (lanjutan)")
    first.refresh_from_db()
    assert (first.text, first.owner_name, first.due_date) == (
        "Lengkapi berita acara",
        "Ketua panitia",
        date(2025, 5, 20),
    )
    second.refresh_from_db()
    assert second.text == "Tindak lanjut 2" and second.done_date is not None
    assert visit.follow_ups.count() == 3
    assert visit.follow_ups.filter(text="Unggah foto rapat", done_date__isnull=True).exists()
    entry = AuditEntry.objects.get(action="assistance.update_visit")
    assert entry.before["findings"] == "Daftar hadir belum lengkap"
    assert entry.after["findings"] == "Daftar hadir sudah lengkap, berita acara belum"
    assert entry.before["follow_ups"][0]["text"] == "Tindak lanjut 1"
    assert entry.after["follow_ups"][0]["text"] == "Lengkapi berita acara"
    assert entry.after["added_follow_ups"][0]["text"] == "Unggah foto rapat"
    assert "Perubahan kunjungan disimpan." in client.get(response.url).content.decode()


def test_the_office_changes_a_visit_too(client, pendamping, admin_dinas):
    visit = make_visit(pendamping, JANJU)
    client.force_login(admin_dinas)

    response = client.post(edit_url(visit), edit_post(visit, findings="Dikoreksi oleh dinas"))

    assert response.status_code == 302
    assert Visit.objects.get().findings == "Dikoreksi oleh dinas"
    assert AuditEntry.objects.get(action="assistance.update_visit").actor == admin_dinas


def test_a_wrong_change_keeps_what_was_typed_and_says_why_in_indonesian(client, pendamping):
    visit = make_visit(pendamping, JANJU)
    client.force_login(pendamping)
    future = (date.today() + timedelta(days=10)).isoformat()

    empty_findings = client.post(edit_url(visit), edit_post(visit, findings="", purpose="Tujuan yang diketik"))
    no_owner = client.post(edit_url(visit), edit_post(visit, existing={0: {"owner_name": "", "text": "Aksi baru"}}))
    in_future = client.post(edit_url(visit), edit_post(visit, visit_date=future))
    half_new_row = client.post(
        edit_url(visit), edit_post(visit, new=[{"text": "Rapikan arsip", "owner_name": "", "due_date": ""}])
    )

    assert {r.status_code for r in (empty_findings, no_owner, in_future, half_new_row)} == {400}
    assert "Kolom ini wajib diisi." in empty_findings.content.decode()
    assert "Tujuan yang diketik" in empty_findings.content.decode()
    assert 'value="Aksi baru"' in no_owner.content.decode()
    assert "Tanggal kunjungan tidak boleh di masa depan." in in_future.content.decode()
    assert "Rapikan arsip" in half_new_row.content.decode()
    visit.refresh_from_db()
    assert (visit.findings, visit.visit_date) == ("Daftar hadir belum lengkap", date(2025, 5, 8))
    assert visit.follow_ups.get().text == "Tindak lanjut 1"
    assert not AuditEntry.objects.filter(action="assistance.update_visit").exists()


def test_a_follow_up_done_after_the_form_was_read_refuses_the_save_and_keeps_the_input(client, pendamping):
    visit = make_visit(pendamping, JANJU)
    follow_up = visit.follow_ups.get()
    data = edit_post(visit, existing={0: {"text": "Diubah sesudah dibaca"}})
    services.mark_follow_up_done(actor=pendamping, follow_up=follow_up)  # done between showing and saving
    client.force_login(pendamping)

    response = client.post(edit_url(visit), data)

    assert response.status_code == 409  # the follow-up rows are part of the read (audit.stale)
    page = response.content.decode()
    assert "Tindak lanjut" in page and "Diubah sesudah dibaca" in page  # named, and the input kept
    follow_up.refresh_from_db()
    assert follow_up.text == "Tindak lanjut 1"


def test_a_done_follow_up_is_not_changed_even_by_a_forged_form(client, pendamping):
    visit = make_visit(pendamping, JANJU)
    follow_up = visit.follow_ups.get()
    data = edit_post(visit, existing={0: {"text": "Diubah diam-diam"}})
    services.mark_follow_up_done(actor=pendamping, follow_up=follow_up)
    data[READ_TOKEN_FIELD] = services.visit_token(visit)  # a form forged after the follow-up was done
    client.force_login(pendamping)

    response = client.post(edit_url(visit), data)

    assert response.status_code == 400
    assert "Tindak lanjut yang sudah ditandai selesai tidak dapat diubah." in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.text == "Tindak lanjut 1"


def test_a_follow_up_of_another_visit_cannot_be_slipped_into_the_form(client, pendamping):
    visit = make_visit(pendamping, JANJU)
    other = make_visit(pendamping, JANJU).follow_ups.get()
    client.force_login(pendamping)

    response = client.post(edit_url(visit), edit_post(visit, existing={0: {"id": other.pk, "text": "Curang"}}))

    assert response.status_code == 404
    assert not FollowUp.objects.filter(text="Curang").exists()


@pytest.mark.parametrize(
    "role", ["pendamping_batu_sopang", "camat_batu_sopang", "mitra", "pimpinan", "operator_janju", "other_pendamping"]
)
def test_nobody_else_changes_or_cancels_a_visit(client, request, pendamping, role):
    visit = make_visit(pendamping, JANJU)
    if role == "other_pendamping":  # a pendamping of the same kecamatan who did not record it
        user = make_user("pendamping.kedua", Role.PENDAMPING, TANAH_GROGOT)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)

    answers = [
        client.get(edit_url(visit)).status_code,
        client.post(edit_url(visit), edit_post(visit, findings="Diubah")).status_code,
        client.get(cancel_url(visit)).status_code,
        client.post(cancel_url(visit), {"reason": "Salah catat"}).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    visit.refresh_from_db()
    assert (visit.findings, visit.cancelled_at) == ("Daftar hadir belum lengkap", None)


# --- cancelling ----------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("programme")
def test_a_cancelled_visit_stays_readable_and_leaves_counts_case_page_and_reminders(
    client, pendamping, admin_dinas, operator_janju
):
    kept = make_visit(pendamping, JANJU, due=date(2025, 5, 12))
    visit = make_visit(pendamping, JANJU, due=date(2025, 5, 12), follow_ups=2)
    client.force_login(pendamping)

    response = client.post(cancel_url(visit), {"reason": "Tercatat dua kali"})

    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.cancel_reason, visit.cancelled_by) == ("Tercatat dua kali", pendamping)
    detail = client.get(reverse("assistance:visit_detail", args=[visit.pk]))
    content = detail.content.decode()
    assert detail.status_code == 200
    assert "Kunjungan ini dibatalkan pada" in content and "Tercatat dua kali" in content
    assert edit_url(visit) not in content and "Tandai selesai" not in content
    assert client.get(edit_url(visit)).status_code == 404
    listing = client.get(reverse("assistance:visit_list"))
    assert [(v["pk"], v["cancelled"]) for v in listing.context["visits"]] == [(visit.pk, True), (kept.pk, False)]
    assert "Dibatalkan" in listing.content.decode()
    done = client.post(reverse("assistance:follow_up_done", args=[visit.follow_ups.first().pk]), follow=True)
    assert "tindak lanjutnya ditutup" in done.content.decode()
    assert not visit.follow_ups.filter(done_date__isnull=False).exists()

    client.force_login(admin_dinas)
    totals = client.get(reverse("assistance:dashboard")).context["totals"]
    assert (totals["visits"], totals["open_follow_ups"], totals["villages_visited"]) == (1, 1, 1)
    case = client.get(reverse("formation:case_detail", args=[case_for(JANJU).pk]))
    assert [row["item"].pk for row in case.context["open_follow_ups"]] == [kept.follow_ups.get().pk]

    assert send_follow_up_reminders(today=date(2025, 5, 12)) == 2  # the kept visit's: pendamping and operator
    assert {n.url for n in Notification.objects.all()} == {f"/pendampingan/kunjungan/{kept.pk}/"}
    entry = AuditEntry.objects.get(action="assistance.cancel_visit")
    assert entry.before == {"cancelled_at": None, "cancel_reason": ""}
    assert entry.after["cancel_reason"] == "Tercatat dua kali"


def test_a_visit_whose_only_visit_is_cancelled_counts_as_not_visited(client, pendamping, admin_dinas):
    visit = make_visit(pendamping, JANJU)
    services.cancel_visit(actor=admin_dinas, visit=visit, reason="Salah desa")
    client.force_login(admin_dinas)

    rows = {r.code: r for r in client.get(reverse("assistance:dashboard")).context["rows"]}

    assert rows[TANAH_GROGOT].visits == 0
    assert "Janju" in rows[TANAH_GROGOT].not_visited


def test_cancelling_a_visit_needs_a_reason_and_happens_once(client, pendamping):
    visit = make_visit(pendamping, JANJU)
    client.force_login(pendamping)

    empty = client.post(cancel_url(visit), {"reason": ""})

    assert empty.status_code == 400
    assert "Isi alasan pembatalan." in empty.content.decode()
    assert Visit.objects.get().cancelled_at is None
    services.cancel_visit(actor=pendamping, visit=visit, reason="Salah catat")
    with pytest.raises(services.ValidationError, match="sudah dibatalkan"):
        services.cancel_visit(actor=pendamping, visit=visit, reason="Lagi")
    assert AuditEntry.objects.filter(action="assistance.cancel_visit").count() == 1


# --- the list in pages ---------------------------------------------------------------------------------------------


def test_the_visit_list_comes_in_pages_of_fifty_keeping_the_area_in_constant_queries(
    client, pendamping, admin_dinas, django_assert_max_num_queries
):
    for _n in range(52):
        make_visit(pendamping, JANJU, follow_ups=0)
    make_visit(pendamping, "64.01.04.2003", follow_ups=0)
    client.force_login(admin_dinas)
    url = reverse("assistance:visit_list")
    client.get(url, {"wilayah": JANJU})

    with django_assert_max_num_queries(12) as first:
        page_one = client.get(url, {"wilayah": JANJU})
    with django_assert_max_num_queries(len(first.captured_queries)):
        page_two = client.get(url, {"wilayah": JANJU, "halaman": 2})

    assert len(page_one.context["visits"]) == 50
    assert len(page_two.context["visits"]) == 2
    assert page_one.context["page"].paginator.count == 52  # the other village's visit is filtered out
    assert f"wilayah={JANJU}&amp;halaman=2" in page_one.content.decode()
    assert f"wilayah={JANJU}&amp;halaman=1" in page_two.content.decode()
    assert len(client.get(url, {"halaman": "x"}).context["visits"]) == 50  # a wrong number: the first page

"""The monthly return: who enters it, the sanity checks, the calendar (on time, late, locked, reopened), versions and
returning with a reason — through the services and through HTTP. A refused write leaves nothing behind."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.clock import local_date, midday_local
from kopdes.conftest import JANJU
from kopdes.periods.models import Timeliness, Window
from kopdes.periods.rules import window
from kopdes.returns import selectors, services
from kopdes.returns.models import MonthlyReturn, ReturnPeriod, ReturnStatus

MARCH = date(2026, 3, 1)


def month(start: date) -> ReturnPeriod:
    return ReturnPeriod.objects.get(start=start)


def values(**overrides) -> dict:
    base = {name: 0 for name in selectors.FIELDS if name != "problems"}
    base.update(cash_balance=1_500_000, bank_balance=2_000_000, total_assets=50_000_000, profit_loss=-250_000)
    base["problems"] = "Stok LPG terlambat datang."
    base.update(overrides)
    return base


def submit(actor, cooperative, period, *, on: date, lines=None, **kwargs):
    units = cooperative.units
    return services.submit_return(
        actor=actor,
        cooperative=cooperative,
        period=period,
        values=kwargs.pop("vals", values()),
        lines=lines if lines is not None else {units[0].pk: (3_000_000, 2_400_000)},
        at=midday_local(JANJU, on),
        **kwargs,
    )


def test_months_have_due_late_until_and_lock_dates(months):
    march = month(MARCH)

    assert (march.end, march.due, march.expires, march.locked_on) == (
        date(2026, 3, 31),
        date(2026, 4, 10),
        date(2026, 4, 20),
        date(2026, 5, 15),
    )
    assert window(march, date(2026, 3, 31)) == Window.NOT_ENDED
    assert window(march, date(2026, 4, 10)) == Window.ON_TIME
    assert window(march, date(2026, 4, 11)) == Window.LATE
    assert window(march, date(2026, 4, 21)) == Window.AFTER_EXPIRY
    assert window(march, date(2026, 5, 15)) == Window.LOCKED
    assert window(march, date(2026, 5, 20), reopened_until=date(2026, 5, 22)) == Window.AFTER_EXPIRY


@pytest.mark.parametrize(
    "on, timeliness",
    [(date(2026, 4, 5), Timeliness.ON_TIME), (date(2026, 4, 15), Timeliness.LATE), (date(2026, 4, 25), "after_expiry")],
)
def test_a_return_is_marked_on_time_or_late(ba_on_janju, janju, on, timeliness):
    created = submit(ba_on_janju, janju, month(MARCH), on=on)

    assert created.timeliness == timeliness
    assert created.revenue_total == 3_000_000
    assert created.lines.get().cost_of_goods == 2_400_000


def _nothing_written():
    assert not MonthlyReturn.objects.exists()
    assert not AuditEntry.objects.filter(action="returns.submit_return").exists()


def test_a_month_not_yet_ended_is_refused(ba_on_janju, janju):
    with pytest.raises(ValidationError, match="belum berakhir"):
        submit(ba_on_janju, janju, month(MARCH), on=date(2026, 3, 20))
    _nothing_written()


def test_a_locked_month_is_refused_and_names_who_reopens(ba_on_janju, janju):
    with pytest.raises(ValidationError) as refused:
        submit(ba_on_janju, janju, month(MARCH), on=date(2026, 5, 20))
    assert "admin dinas" in " ".join(refused.value.messages)
    _nothing_written()


@pytest.mark.parametrize("name", ["cash_balance", "bank_balance", "total_assets", "simpanan_wajib", "lpg_tubes"])
def test_a_negative_balance_or_count_is_refused(ba_on_janju, janju, name):
    with pytest.raises(ValidationError) as refused:
        submit(ba_on_janju, janju, month(MARCH), on=date(2026, 4, 5), vals=values(**{name: -1}))
    assert name in refused.value.message_dict
    _nothing_written()


def test_a_loss_may_be_negative(ba_on_janju, janju):
    created = submit(ba_on_janju, janju, month(MARCH), on=date(2026, 4, 5), vals=values(profit_loss=-900_000))
    assert created.profit_loss == -900_000


def test_a_unit_the_cooperative_does_not_run_is_refused(ba_on_janju, janju, sungai_terik):
    foreign = sungai_terik.units[0]
    with pytest.raises(ValidationError, match="unit"):
        submit(ba_on_janju, janju, month(MARCH), on=date(2026, 4, 5), lines={foreign.pk: (1, 0)})
    _nothing_written()


def test_revenue_ten_times_last_month_asks_for_confirmation(ba_on_janju, janju):
    unit = janju.units[0].pk
    submit(ba_on_janju, janju, month(date(2026, 2, 1)), on=date(2026, 3, 5), lines={unit: (1_000_000, 0)})

    with pytest.raises(ValidationError) as refused:
        submit(ba_on_janju, janju, month(MARCH), on=date(2026, 4, 5), lines={unit: (10_000_000, 0)})
    assert refused.value.code == "jump"
    assert MonthlyReturn.objects.count() == 1

    confirmed = submit(
        ba_on_janju, janju, month(MARCH), on=date(2026, 4, 5), lines={unit: (10_000_000, 0)}, confirm_jump=True
    )
    assert confirmed.revenue_total == 10_000_000


def test_only_its_board_or_its_ba_enters(ba, ba_on_janju, pengurus_janju, janju, sungai_terik, admin_dinas, pmo):
    assert submit(pengurus_janju, janju, month(MARCH), on=date(2026, 4, 5)).submitted_by == pengurus_janju
    for outsider, cooperative in [(ba, sungai_terik), (admin_dinas, janju), (pmo, janju)]:
        with pytest.raises(PermissionDenied):
            submit(outsider, cooperative, month(MARCH), on=date(2026, 4, 5))


def test_a_correction_is_a_new_version_and_the_first_stays_frozen(ba_on_janju, janju):
    first = submit(ba_on_janju, janju, month(MARCH), on=date(2026, 4, 5))
    second = submit(ba_on_janju, janju, month(MARCH), on=date(2026, 4, 6), vals=values(members_joined=4))

    first.refresh_from_db()
    assert (first.version, first.status, first.members_joined) == (1, ReturnStatus.SUPERSEDED, 0)
    assert (second.version, second.status, second.members_joined) == (2, ReturnStatus.SUBMITTED, 4)


def test_the_office_or_the_ba_returns_one_with_a_reason(ba_on_janju, janju, admin_dinas, pmo):
    created = submit(ba_on_janju, janju, month(MARCH), on=date(2026, 4, 5))
    with pytest.raises(ValidationError):
        services.send_back(actor=admin_dinas, monthly_return=created, reason="  ")
    with pytest.raises(PermissionDenied):
        services.send_back(actor=pmo, monthly_return=created, reason="Salah")

    returned = services.send_back(actor=admin_dinas, monthly_return=created, reason="Kas tidak cocok dengan bank.")

    assert (returned.status, returned.return_reason) == (ReturnStatus.RETURNED, "Kas tidak cocok dengan bank.")
    assert selectors.current_return(janju, month(MARCH)).pk == created.pk  # awaiting its correction
    corrected = submit(ba_on_janju, janju, month(MARCH), on=date(2026, 4, 8))
    assert corrected.version == 2


def test_the_office_reopens_a_locked_month_with_a_reason(ba_on_janju, janju, admin_dinas):
    today = local_date(JANJU)
    old = ReturnPeriod.objects.filter(locked_on__lte=today).order_by("-start").first()
    with pytest.raises(PermissionDenied):
        services.reopen(actor=ba_on_janju, cooperative=janju, period=old, until=today, reason="x")
    with pytest.raises(ValidationError):
        services.reopen(actor=admin_dinas, cooperative=janju, period=old, until=today, reason="")
    with pytest.raises(ValidationError):
        services.submit_return(
            actor=ba_on_janju, cooperative=janju, period=old, values=values(), lines={janju.units[0].pk: (1, 0)}
        )

    services.reopen(actor=admin_dinas, cooperative=janju, period=old, until=today + timedelta(days=3), reason="BA baru")
    created = services.submit_return(
        actor=ba_on_janju, cooperative=janju, period=old, values=values(), lines={janju.units[0].pk: (1, 0)}
    )
    assert created.timeliness == Timeliness.AFTER_EXPIRY


# --- through HTTP ------------------------------------------------------------------------------------------------


def _latest_open_month() -> ReturnPeriod:
    today = local_date(JANJU)
    return ReturnPeriod.objects.filter(end__lt=today, locked_on__gt=today).order_by("-start").first()


def _form(client, cooperative, period) -> dict:
    page = client.get(reverse("returns:enter", args=[cooperative.pk, period.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "confirm_jump"}
    return data


def test_the_ba_enters_a_return_through_the_form(client, ba_on_janju, janju):
    client.force_login(ba_on_janju)
    period = _latest_open_month()
    data = _form(client, janju, period)
    unit = janju.units[0].pk
    data.update({f"unit_{unit}_revenue": "Rp 2.500.000", f"unit_{unit}_cost": "1,8 jt", "cash_balance": "750.000"})
    data.update({"profit_loss": "-125.000", "members_joined": "3"})

    response = client.post(reverse("returns:enter", args=[janju.pk, period.pk]), data)

    assert response.status_code == 302
    created = MonthlyReturn.objects.get()
    assert (created.revenue_total, created.cash_balance, created.profit_loss) == (2_500_000, 750_000, -125_000)
    assert created.lines.get(outlet_id=unit).cost_of_goods == 1_800_000


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("cash_balance", "-5.000", "tidak boleh negatif"),
        ("bank_balance", "lima ribu", "bukan jumlah rupiah"),
        ("total_assets", "1.000,50", "tanpa sen"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, ba_on_janju, janju, field, typed, message):
    client.force_login(ba_on_janju)
    period = _latest_open_month()
    data = _form(client, janju, period)
    data[field] = typed

    response = client.post(reverse("returns:enter", args=[janju.pk, period.pk]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert f'value="{typed}"' in response.content.decode()
    assert not MonthlyReturn.objects.exists()


def test_a_unit_not_run_posted_by_hand_is_refused(client, ba_on_janju, janju, sungai_terik):
    client.force_login(ba_on_janju)
    period = _latest_open_month()
    data = _form(client, janju, period)
    data[f"unit_{sungai_terik.units[0].pk}_revenue"] = "1000"

    response = client.post(reverse("returns:enter", args=[janju.pk, period.pk]), data)

    assert response.status_code == 400
    assert "unit usaha" in response.content.decode()
    assert not MonthlyReturn.objects.exists()


def test_the_confirmation_box_shows_only_after_a_jump(client, ba_on_janju, janju):
    period = _latest_open_month()
    before = ReturnPeriod.objects.filter(start__lt=period.start).order_by("-start").first()
    unit = janju.units[0].pk
    services.submit_return(
        actor=ba_on_janju, cooperative=janju, period=before, values=values(), lines={unit: (100_000, 0)},
        at=midday_local(JANJU, before.due),
    )  # fmt: skip
    client.force_login(ba_on_janju)
    data = _form(client, janju, period)
    assert "confirm_jump" not in client.get(reverse("returns:enter", args=[janju.pk, period.pk])).content.decode()
    data[f"unit_{unit}_revenue"] = "5.000.000"

    refused = client.post(reverse("returns:enter", args=[janju.pk, period.pk]), data)
    assert refused.status_code == 400
    assert 'name="confirm_jump"' in refused.content.decode()
    assert MonthlyReturn.objects.filter(period=period).count() == 0

    data["confirm_jump"] = "on"
    assert client.post(reverse("returns:enter", args=[janju.pk, period.pk]), data).status_code == 302
    assert MonthlyReturn.objects.filter(period=period).count() == 1


def test_a_ba_gets_404_on_a_cooperative_not_assigned(client, ba_on_janju, sungai_terik):
    client.force_login(ba_on_janju)
    period = _latest_open_month()
    for url in (
        reverse("returns:cooperative", args=[sungai_terik.pk]),
        reverse("returns:enter", args=[sungai_terik.pk, period.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("returns:enter", args=[sungai_terik.pk, period.pk]), {}).status_code == 404


def test_an_ended_assignment_closes_the_cooperative(client, ba_on_janju, janju, admin_dinas):
    row = janju.ba_assignments.get()
    services.unassign(actor=admin_dinas, assignment=row, ended_on=local_date(JANJU))
    client.force_login(ba_on_janju)

    assert client.get(reverse("returns:cooperative", args=[janju.pk])).status_code == 404


def test_returned_with_a_reason_through_http(client, ba_on_janju, janju, admin_dinas):
    created = services.submit_return(
        actor=ba_on_janju, cooperative=janju, period=_latest_open_month(), values=values(),
        lines={janju.units[0].pk: (1, 0)},
    )  # fmt: skip
    client.force_login(admin_dinas)

    client.post(reverse("returns:send_back", args=[created.pk]), {"reason": ""})
    created.refresh_from_db()
    assert created.status == ReturnStatus.SUBMITTED

    client.post(reverse("returns:send_back", args=[created.pk]), {"reason": "Total aset belum diisi."})
    created.refresh_from_db()
    assert created.status == ReturnStatus.RETURNED
    client.force_login(ba_on_janju)
    assert "Total aset belum diisi." in client.get(reverse("returns:detail", args=[created.pk])).content.decode()


def test_completeness_per_kecamatan_and_per_ba(client, ba_on_janju, janju, sungai_terik, admin_dinas):
    period = _latest_open_month()
    services.submit_return(
        actor=ba_on_janju, cooperative=janju, period=period, values=values(), lines={janju.units[0].pk: (1, 0)}
    )
    by_kecamatan, by_ba, total = selectors.completeness("64.01", period)

    assert (total.expected, total.submitted) == (2, 1)
    assert [(r.expected, r.submitted) for r in by_ba] == [(1, 1)]
    assert sorted((r.expected, r.submitted) for r in by_kecamatan) == [(1, 0), (1, 1)]
    client.force_login(admin_dinas)
    page = client.get(reverse("returns:completeness", args=["64.01"]), {"bulan": period.pk})
    assert page.status_code == 200
    assert 'data-testid="by-ba"' in page.content.decode()
    download = client.get(reverse("returns:export_xlsx", args=["64.01"]), {"bulan": period.pk})
    assert download.status_code == 200


def test_the_office_assigns_a_ba_through_the_page(client, ba, janju, admin_dinas):
    client.force_login(admin_dinas)
    url = reverse("returns:assignments", args=["64.01"])
    today = local_date(JANJU)

    future = client.post(url, {"assistant": ba.pk, "cooperative": janju.pk, "started_on": today + timedelta(days=2)})
    assert future.status_code == 400
    assert client.post(url, {"assistant": ba.pk, "cooperative": janju.pk, "started_on": today}).status_code == 302
    twice = client.post(url, {"assistant": ba.pk, "cooperative": janju.pk, "started_on": today})
    assert twice.status_code == 400
    assert janju.ba_assignments.count() == 1
    assert AuditEntry.objects.filter(action="returns.assign").count() == 1

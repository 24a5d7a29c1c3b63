"""The building's track through the services and over HTTP: each refusal (nothing saved), the way to "trading",
history and audit rows, scope answers and a flat query count on the list."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.audit.stale import read_token
from kopdes.buildings import services
from kopdes.buildings.models import Building, Channel, ChannelKind, Move, Submission
from kopdes.buildings.selectors import step_state, token_key
from kopdes.buildings.workflow import (
    CHANNELS,
    CONSTRUCTION,
    EQUIPMENT,
    FIRST_SALE,
    HANDOVER,
    LAND_PROPOSED,
    LAND_SURVEYED,
)
from kopdes.clock import local_today
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.models import Cooperative, Programme
from kopdes.formation.services import start_programme
from kopdes.regions.models import Region
from kopdes.tests.factories import make_user
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES


@pytest.fixture
def cases(paser, admin_dinas):
    programme = Programme.objects.create(region=Region.objects.get(code="64.01"), name="P", start_date=date(2025, 4, 1))
    start_programme(actor=admin_dinas, programme=programme)
    return {c.region_code: c for c in Cooperative.objects.filter(region_code__in=[JANJU, SUNGAI_TERIK])}


@pytest.fixture
def pengurus(paser):
    return make_user("pengurus.janju", Role.PENGURUS, JANJU)


def token(cooperative, step, channel=None):
    building = Building.objects.filter(cooperative=cooperative).first() or Building()
    cid = channel.pk if channel else None
    return read_token(Building(), [], extra=step_state(building, step, cid), key=token_key(cooperative.pk, step, cid))


def photo(name="foto.jpg"):
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def pdf(name="ba.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def submit(actor, cooperative, step, **kwargs):
    kwargs.setdefault("evidence_date", date(2026, 1, 6))
    return services.submit_step(
        actor=actor, cooperative=cooperative, step=step, token=token(cooperative, step, kwargs.get("channel")), **kwargs
    )


def land(actor, cooperative, certificate="SHM 12/2025"):
    data = {"land_owner": "village", "land_certificate": certificate, "land_area_m2": Decimal("600")}
    return submit(actor, cooperative, LAND_PROPOSED, data=data)


def through(admin, pengurus, cooperative, upto: int):
    """Run the track up to `upto`, each step verified by the office."""
    services.verify(actor=admin, submission=land(admin, cooperative))
    if upto >= LAND_SURVEYED:
        services.verify(
            actor=admin,
            submission=submit(admin, cooperative, LAND_SURVEYED, data={"surveyed_by": "Agrinas dan Kodim 0904/Paser"}),
        )
    if upto >= CONSTRUCTION:
        for band in (20, 50, 75, 99, 100):
            services.verify(
                actor=admin,
                submission=submit(
                    pengurus,
                    cooperative,
                    CONSTRUCTION,
                    band=band,
                    files=[photo()],
                    latitude=Decimal("-1.8"),
                    longitude=Decimal("116.0"),
                ),
            )
    if upto >= HANDOVER:
        services.verify(
            actor=admin,
            submission=submit(
                pengurus,
                cooperative,
                HANDOVER,
                evidence_date=date(2026, 3, 20),
                data={
                    "handover_number": "BA-01/2026",
                    "asset_register": "village",
                    "asset_number": "KIB-C 7",
                    "asset_on": date(2026, 3, 25),
                },
                files=[pdf()],
            ),
        )


def test_the_track_from_land_to_trading(admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    through(admin_dinas, pengurus, janju, HANDOVER)
    vehicles = {"vehicles": [{"kind": "truck", "registration": "KT 8001 PA"}]}
    services.verify(
        actor=admin_dinas, submission=submit(pengurus, janju, EQUIPMENT, evidence_date=date(2026, 3, 26), data=vehicles)
    )
    lpg = ChannelKind.objects.get(name="LPG 3 kg")
    for state in ("registered", "verified", "active"):
        services.verify(
            actor=admin_dinas,
            submission=submit(
                pengurus, janju, CHANNELS, channel=lpg, data={"state": state}, evidence_date=date(2026, 4, 1)
            ),
        )
    sale = submit(pengurus, janju, FIRST_SALE, evidence_date=date(2026, 4, 2), data={"first_sale_what": "LPG 3 kg"})
    building = services.verify(actor=admin_dinas, submission=sale)

    building.refresh_from_db()
    assert building.is_trading and building.band == 100 and building.step == FIRST_SALE
    assert building.asset_number == "KIB-C 7" and building.vehicles.get().registration == "KT 8001 PA"
    assert Channel.objects.get(building=building, kind=lpg).state == "active"
    assert (
        Move.objects.filter(building=building, kind="verified").count()
        == Submission.objects.filter(building=building).count()
    )
    actions = set(AuditEntry.objects.filter(object_type="buildings.building").values_list("action", flat=True))
    assert actions == {"buildings.submit_step", "buildings.verify_step"}


def _refused(field, call, *args, **kwargs):
    before = (Submission.objects.count(), Move.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refusal:
        call(*args, **kwargs)
    assert field in refusal.value.message_dict, refusal.value.message_dict
    assert (Submission.objects.count(), Move.objects.count(), AuditEntry.objects.count()) == before
    return " ".join(refusal.value.message_dict[field])


def test_a_band_going_back_needs_a_reason(admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    through(admin_dinas, pengurus, janju, LAND_SURVEYED)
    services.verify(actor=admin_dinas, submission=submit(pengurus, janju, CONSTRUCTION, band=75, files=[photo()]))
    message = _refused("reason", submit, pengurus, janju, CONSTRUCTION, band=50, files=[photo()])
    assert "alasan" in message.lower() or "reason" in message.lower()
    # with a reason it goes through
    assert submit(pengurus, janju, CONSTRUCTION, band=50, files=[photo()], reason="Atap roboh diterpa angin").pk


def test_a_handover_before_100_percent_is_refused(admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    through(admin_dinas, pengurus, janju, LAND_SURVEYED)
    services.verify(actor=admin_dinas, submission=submit(pengurus, janju, CONSTRUCTION, band=99, files=[photo()]))
    data = {"handover_number": "BA-1", "asset_register": "village", "asset_number": "7", "asset_on": date(2026, 1, 6)}
    _refused("__all__", submit, pengurus, janju, HANDOVER, data=data, files=[pdf()])


def test_a_first_sale_before_the_handover_is_refused(admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    through(admin_dinas, pengurus, janju, CONSTRUCTION)
    _refused("__all__", submit, pengurus, janju, FIRST_SALE, data={"first_sale_what": "Beras SPHP"})


def test_a_first_sale_dated_before_the_handover_is_refused(admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    through(admin_dinas, pengurus, janju, HANDOVER)
    _refused(
        "evidence_date",
        submit,
        pengurus,
        janju,
        FIRST_SALE,
        evidence_date=date(2026, 3, 1),
        data={"first_sale_what": "x"},
    )


def test_dates_in_the_future_are_refused(admin_dinas, cases):
    janju = cases[JANJU]
    tomorrow = local_today(JANJU) + timedelta(days=1)
    data = {"land_owner": "village", "land_certificate": "SHM 1", "land_area_m2": Decimal("600")}
    message = _refused("evidence_date", submit, admin_dinas, janju, LAND_PROPOSED, data=data, evidence_date=tomorrow)
    assert "masa depan" in message


def test_a_certificate_used_by_another_village_is_refused(admin_dinas, cases):
    land(admin_dinas, cases[JANJU], "SHM 12/2025")
    _refused("land_certificate", land, admin_dinas, cases[SUNGAI_TERIK], " shm  12/2025")


def test_a_photo_without_a_position_is_kept_and_flagged(admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    through(admin_dinas, pengurus, janju, LAND_SURVEYED)
    submission = submit(pengurus, janju, CONSTRUCTION, band=20, files=[photo()])
    stored = submission.files.get()
    assert stored.taken_on == date(2026, 1, 6) and not stored.has_position
    entry = AuditEntry.objects.filter(action="buildings.submit_step").latest("at")
    assert entry.after["unpositioned_photos"] == 1


def test_not_applicable_needs_a_reason_and_a_step_that_may_not_apply(admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    _refused("reason", submit, pengurus, janju, EQUIPMENT, not_applicable=True)
    _refused("not_applicable", submit, pengurus, janju, FIRST_SALE, not_applicable=True, reason="x")
    done = services.verify(
        actor=admin_dinas,
        submission=submit(pengurus, janju, EQUIPMENT, not_applicable=True, reason="Kendaraan menyusul"),
    )
    assert EQUIPMENT in done.not_applicable


def test_who_submits_which_step(operator_janju, pengurus, cases):
    janju = cases[JANJU]
    with pytest.raises(PermissionDenied):
        land(pengurus, janju)
    with pytest.raises(PermissionDenied):
        submit(operator_janju, janju, CONSTRUCTION, band=20, files=[photo()])


def test_a_return_keeps_the_building_and_is_recorded(admin_dinas, cases):
    janju = cases[JANJU]
    pending = land(admin_dinas, janju)
    _refused("reason", services.return_submission, actor=admin_dinas, submission=pending, reason=" ")
    services.return_submission(actor=admin_dinas, submission=pending, reason="Nomor sertifikat tidak terbaca")
    building = Building.objects.get(cooperative=janju)
    assert building.land_certificate == "" and building.step is None
    assert AuditEntry.objects.filter(action="buildings.return_step").count() == 1


def test_instalments_from_the_allocation_letter(admin_dinas, cases):
    janju = cases[JANJU]
    from kopdes.buildings.selectors import plan_key, plan_state

    first = read_token(Building(), [], extra=plan_state(None), key=plan_key(janju.pk))
    plan = services.save_instalments(
        actor=admin_dinas,
        cooperative=janju,
        token=first,
        funding_source="dana_desa",
        regulation="PMK 7/2026",
        letter_number="900/12/2026",
        letter_date=date(2026, 2, 20),
        schedule=[(date(2026, 12, 31), Decimal("45000000")), (date(2026, 6, 30), Decimal("45000000"))],
    )
    assert plan.total_amount == 90000000 and plan.schedule[0]["due_on"] == "2026-06-30"
    # the same read again: refused as stale, nothing changed
    with pytest.raises(ValidationError):
        services.save_instalments(
            actor=admin_dinas,
            cooperative=janju,
            token=first,
            funding_source="dana_desa",
            regulation="PMK 7/2026",
            letter_number="900/13/2026",
            letter_date=date(2026, 2, 20),
            schedule=[(date(2026, 6, 30), Decimal("1"))],
        )
    assert AuditEntry.objects.filter(action="buildings.save_instalments").count() == 1


# --- over HTTP ------------------------------------------------------------------------------------------------------


def test_the_board_submits_a_band_with_photos_over_http(client, admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    through(admin_dinas, pengurus, janju, LAND_SURVEYED)
    client.force_login(pengurus)
    url = reverse("buildings:submit_step", kwargs={"pk": janju.pk, "step": CONSTRUCTION})
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    response = client.post(
        url,
        {"evidence_date": "2026-01-06", "band": "20", "files": [photo()], "dibaca": form.initial["dibaca"]},
    )
    assert response.status_code == 302
    detail = client.get(reverse("buildings:detail", kwargs={"pk": janju.pk}))
    assert "tanpa posisi" in detail.content.decode() or "no position" in detail.content.decode()


def test_a_refused_handover_over_http_keeps_the_input(client, admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    client.force_login(pengurus)
    url = reverse("buildings:submit_step", kwargs={"pk": janju.pk, "step": HANDOVER})
    token_value = client.get(url).context["form"].initial["dibaca"]
    response = client.post(
        url,
        {
            "evidence_date": "2026-01-06",
            "handover_number": "BA-77/2026",
            "asset_register": "village",
            "asset_number": "7",
            "asset_on": "2026-01-06",
            "files": [pdf()],
            "dibaca": token_value,
        },
    )
    assert response.status_code == 400
    assert "BA-77/2026" in response.content.decode()
    assert not Submission.objects.filter(step=HANDOVER).exists()


def test_out_of_scope_building_is_404(client, operator_janju, cases):
    client.force_login(operator_janju)
    other = cases[SUNGAI_TERIK]
    assert client.get(reverse("buildings:detail", kwargs={"pk": other.pk})).status_code == 404
    url = reverse("buildings:submit_step", kwargs={"pk": other.pk, "step": LAND_PROPOSED})
    assert client.get(url).status_code == 404


def test_the_office_verifies_at_a_glance(client, admin_dinas, cases):
    janju = cases[JANJU]
    pending = land(admin_dinas, janju)
    client.force_login(admin_dinas)
    page = client.get(reverse("buildings:verify_item", kwargs={"pk": pending.pk}))
    assert page.status_code == 200
    response = client.post(reverse("buildings:decide", kwargs={"pk": pending.pk}), {"decision": "verify"})
    assert response.status_code == 302
    assert Building.objects.get(cooperative=janju).land_certificate == "SHM 12/2025"


def test_the_list_takes_the_same_queries_for_more_buildings(client, admin_dinas, cases, django_assert_num_queries):
    client.force_login(admin_dinas)
    url = reverse("buildings:list")
    client.get(url)  # warm the session and caches
    land(admin_dinas, cases[JANJU])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    land(admin_dinas, cases[SUNGAI_TERIK], "SHM 99")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_trading_building_files_formation_stage_11_at_stage_10(admin_dinas, pengurus, cases):
    janju = cases[JANJU]
    through(admin_dinas, pengurus, janju, HANDOVER)
    Cooperative.objects.filter(pk=janju.pk).update(stage=10)
    sale = submit(pengurus, janju, FIRST_SALE, evidence_date=date(2026, 4, 2), data={"first_sale_what": "Beras SPHP"})
    services.verify(actor=admin_dinas, submission=sale)
    filed = janju.submissions.get(status="pending")
    assert filed.stage == 11 and filed.evidence_date == date(2026, 4, 2) and "Beras SPHP" in filed.note

"""The report's rules, through the services directly: each fires on bad input and stays silent on good."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kopdes.audit.models import AuditEntry
from kopdes.conftest import SUNGAI_TERIK
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.periods.models import Timeliness
from kopdes.reports import selectors, services
from kopdes.reports.models import CamatReport, ReportPeriod, ReportStatus


def test_camat_saves_a_draft_with_obstacles_per_village(camat_batu_sopang, batu_sopang, period):
    report = services.save_draft(
        actor=camat_batu_sopang,
        kecamatan=batu_sopang,
        period=period,
        obstacles="Notaris belum tersedia",
        village_obstacles={SUNGAI_TERIK: "Musdesus ditunda", "64.01.01.2001": "  "},
    )

    assert report.status == ReportStatus.DRAFT and report.version == 1
    assert report.village_obstacles == {SUNGAI_TERIK: "Musdesus ditunda"}  # blanks dropped
    assert AuditEntry.objects.filter(action="reports.save_draft", object_id=str(report.pk)).exists()


def test_saving_again_updates_the_same_draft(camat_batu_sopang, batu_sopang, period):
    first = services.save_draft(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, obstacles="a")
    second = services.save_draft(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, obstacles="b")

    assert first.pk == second.pk
    assert CamatReport.objects.get().obstacles == "b"


def test_obstacles_for_a_village_of_another_kecamatan_are_refused(camat_batu_sopang, batu_sopang, period):
    with pytest.raises(ValidationError):
        services.save_draft(
            actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, village_obstacles={"64.01.04.2002": "x"}
        )
    assert not CamatReport.objects.exists()


def test_overlong_narrative_is_refused(camat_batu_sopang, batu_sopang, period):
    with pytest.raises(ValidationError):
        services.save_draft(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, follow_up="x" * 5001)


@pytest.mark.parametrize("who", ["camat_tanah_grogot", "pendamping", "operator_janju", "pimpinan", "mitra"])
def test_only_the_camat_or_the_office_writes_the_report(request, who, tanah_grogot, batu_sopang, period):
    # the camat of Tanah Grogot writes Tanah Grogot's; nobody else here writes Batu Sopang's
    user = request.getfixturevalue(who)
    target = batu_sopang if who == "camat_tanah_grogot" else tanah_grogot
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=user, kecamatan=target, period=period, obstacles="x")


def test_the_office_may_write_a_kecamatan_report(admin_dinas, batu_sopang, period):
    report = services.submit_report(actor=admin_dinas, kecamatan=batu_sopang, period=period)

    assert report.status == ReportStatus.SUBMITTED


def test_a_report_is_for_a_kecamatan_only(admin_dinas, paser, period):
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=admin_dinas, kecamatan=paser, period=period)


def test_submit_freezes_the_village_table(camat_batu_sopang, admin_dinas, batu_sopang, period):
    report = services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, obstacles="x")
    advance(case_for(SUNGAI_TERIK), 2, submitter=admin_dinas)

    report.refresh_from_db()
    frozen = {row["code"]: row["stage"] for row in report.snapshot}
    live = {row["code"]: row["stage"] for row in selectors.live_snapshot(batu_sopang, period)}
    assert len(report.snapshot) == 9
    assert frozen[SUNGAI_TERIK] == 0 and live[SUNGAI_TERIK] == 2
    assert report.timeliness == Timeliness.ON_TIME
    assert report.submitted_by == camat_batu_sopang


def test_editing_a_submitted_report_is_refused(camat_batu_sopang, batu_sopang, period):
    services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, obstacles="x")

    with pytest.raises(ValidationError, match="versi baru"):  # the Indonesian message: "create a new version"
        services.save_draft(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, obstacles="changed")
    with pytest.raises(ValidationError):
        services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period)
    assert CamatReport.objects.get().obstacles == "x"


def test_a_new_version_copies_the_narrative_and_keeps_the_earlier(camat_batu_sopang, batu_sopang, period):
    first = services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, obstacles="x")

    second = services.start_new_version(actor=camat_batu_sopang, report=first)

    assert (second.version, second.status, second.obstacles) == (2, ReportStatus.DRAFT, "x")
    first.refresh_from_db()
    assert first.status == ReportStatus.SUBMITTED
    with pytest.raises(ValidationError):  # only from the newest version
        services.start_new_version(actor=camat_batu_sopang, report=first)
    with pytest.raises(ValidationError):  # a draft is edited, not versioned
        services.start_new_version(actor=camat_batu_sopang, report=second)


def test_an_accepted_report_is_final(camat_batu_sopang, admin_dinas, batu_sopang, period):
    report = services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period)
    services.accept_report(actor=admin_dinas, report=report)

    with pytest.raises(ValidationError):
        services.start_new_version(actor=camat_batu_sopang, report=report)
    with pytest.raises(ValidationError):
        services.return_report(actor=admin_dinas, report=report, comment="late change")


def test_return_needs_a_comment_and_the_office(camat_batu_sopang, admin_dinas, pimpinan, batu_sopang, period):
    report = services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period)

    with pytest.raises(ValidationError):
        services.return_report(actor=admin_dinas, report=report, comment="  ")
    with pytest.raises(PermissionDenied):
        services.return_report(actor=camat_batu_sopang, report=report, comment="sendiri")
    with pytest.raises(PermissionDenied):
        services.accept_report(actor=pimpinan, report=report)
    services.return_report(actor=admin_dinas, report=report, comment="Lengkapi kendala Desa Sungai Terik")

    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.decision_comment == "Lengkapi kendala Desa Sungai Terik"
    assert AuditEntry.objects.filter(action="reports.return_report").count() == 1


def test_a_draft_cannot_be_decided(camat_batu_sopang, admin_dinas, batu_sopang, period):
    draft = services.save_draft(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period)

    with pytest.raises(ValidationError):
        services.accept_report(actor=admin_dinas, report=draft)


def test_late_submission_is_accepted_and_marked(camat_batu_sopang, batu_sopang, programme, period):
    old = ReportPeriod.objects.filter(programme=programme).order_by("start").first()

    report = services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=old)

    assert report.status == ReportStatus.SUBMITTED
    assert report.timeliness == Timeliness.AFTER_EXPIRY


def test_the_next_report_shows_the_change_since_the_last(camat_batu_sopang, admin_dinas, batu_sopang, programme):
    services.ensure_periods(programme=programme, until=programme.start_date.replace(month=5))
    first, second = ReportPeriod.objects.filter(programme=programme).order_by("start")[:2]
    services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=first)
    advance(case_for(SUNGAI_TERIK), 3, submitter=admin_dinas)

    rows = {r["code"]: r for r in selectors.snapshot_rows(selectors.live_snapshot(batu_sopang, second))}

    assert rows[SUNGAI_TERIK]["previous_stage"] == 0
    assert rows[SUNGAI_TERIK]["change"] == 3
    assert rows[SUNGAI_TERIK]["last_evidence_date"] is not None
    others = [r for code, r in rows.items() if code != SUNGAI_TERIK]
    assert len(others) == 8 and all(r["change"] == 0 for r in others)

"""The formation dashboard: target against realisation, per-kecamatan rows, the village list, and each scope's view."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kopdes.clock import local_today
from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.formation import services
from kopdes.formation.models import ProgrammeTarget
from kopdes.formation.tests.helpers import advance, case_for, submit
from kopdes.regions.models import Region


def dashboard_url(code: str) -> str:
    return reverse("dashboards:region", args=[code])


def shown(text: str) -> str:
    """`text` as the page shows it (in the site's language, as no Accept-Language header is sent)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)


def table_rows(html: str, testid: str) -> int:
    table = re.search(rf'data-testid="{testid}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return table.count("<tr")


def form_directly(cooperative, stage, *, admin):
    """Bring an existing cooperative (pengembangan) to `stage`: through its Musdesus, then straight to `stage` with the
    legal stages it already had marked not applicable."""
    advance(cooperative, 4, submitter=admin)
    submission = submit(
        admin, cooperative, stage, skip_reason="Koperasi lama yang dikembangkan", pathway="pengembangan"
    )
    services.verify_submission(actor=admin, submission=submission)


def test_admin_dinas_lands_on_the_regency_dashboard(client, programme, admin_dinas):
    client.force_login(admin_dinas)

    response = client.get(reverse("dashboards:home"))

    assert response.status_code == 302
    assert response["Location"] == dashboard_url(PASER)


def test_regency_dashboard_shows_target_kecamatan_and_every_village(client, programme, admin_dinas):
    client.force_login(admin_dinas)

    response = client.get(dashboard_url(PASER))

    assert response.status_code == 200
    d = response.context["d"]
    assert (d.target.count, d.target.deadline) == (60, date(2025, 6, 30))
    assert (d.villages, d.cooperatives, d.formed, d.pending) == (144, 144, 0, 0)
    assert d.funnel[0]["count"] == 144
    assert len(d.children) == 10
    assert sum(row.villages for row in d.children) == 144
    assert len(d.village_rows) == 144
    html = response.content.decode()
    assert re.search(r'data-testid="target">\s*60\s*<', html)
    assert table_rows(html, "children") == 10
    assert table_rows(html, "villages") == 144
    for kecamatan in Region.objects.filter(parent__code=PASER):
        assert f">{kecamatan.name}</a>" in html


def test_camat_lands_on_its_kecamatan_with_its_nine_villages(client, programme, camat_batu_sopang):
    client.force_login(camat_batu_sopang)

    response = client.get(reverse("dashboards:home"), follow=True)

    assert response.redirect_chain == [(dashboard_url(BATU_SOPANG), 302)]
    d = response.context["d"]
    assert d.villages == 9
    codes = [row["village"].code for row in d.village_rows]
    assert codes == sorted(Region.objects.subtree(BATU_SOPANG).villages().values_list("code", flat=True))
    assert len(codes) == 9
    html = response.content.decode()
    assert table_rows(html, "villages") == 9
    assert "Sungai Terik" in html


@pytest.mark.parametrize("code", [PASER, TANAH_GROGOT, JANJU, "64", "99.99"])
def test_camat_cannot_open_dashboards_outside_its_kecamatan(client, programme, camat_batu_sopang, code):
    client.force_login(camat_batu_sopang)

    assert client.get(dashboard_url(code)).status_code == 404


def test_operator_lands_on_its_village_alone(client, programme, operator_janju):
    client.force_login(operator_janju)

    response = client.get(reverse("dashboards:home"), follow=True)

    assert response.redirect_chain == [(dashboard_url(JANJU), 302)]
    assert [row["village"].code for row in response.context["d"].village_rows] == [JANJU]


def test_only_verified_stages_count_on_the_dashboard(client, programme, admin_dinas, operator_janju):
    client.force_login(admin_dinas)
    janju = case_for(JANJU)
    submission = submit(operator_janju, janju, 1)

    waiting = client.get(dashboard_url(PASER)).context["d"]
    services.verify_submission(actor=admin_dinas, submission=submission)
    verified = client.get(dashboard_url(PASER)).context["d"]

    assert (waiting.pending, waiting.funnel[1]["count"], waiting.funnel[1]["reached"]) == (1, 0, 0)
    assert (verified.pending, verified.funnel[1]["count"], verified.funnel[1]["reached"]) == (0, 1, 1)
    tanah_grogot = next(row for row in verified.children if row.region.code == TANAH_GROGOT)
    assert tanah_grogot.per_stage[1] == 1


def test_results_above_the_target_are_shown_as_such(client, programme, admin_dinas):
    ProgrammeTarget.objects.create(
        programme=programme, count=1, deadline=date(2025, 6, 30), effective_from=date(2025, 5, 1), note="uji"
    )
    for code in (JANJU, SUNGAI_TERIK):
        form_directly(case_for(code), 8, admin=admin_dinas)
    client.force_login(admin_dinas)

    response = client.get(dashboard_url(PASER))

    d = response.context["d"]
    assert (d.target.count, d.formed, d.villages_covered) == (1, 2, 2)
    assert d.percent_of_target == 200.0
    assert d.threshold_met
    html = response.content.decode()
    assert re.search(r'data-testid="percent">200[,.]0%', html)
    assert shown("above target") in html


def test_the_latest_target_replaces_the_earlier_one(client, programme, admin_dinas):
    ProgrammeTarget.objects.create(
        programme=programme, count=144, deadline=date(2025, 10, 28), effective_from=date(2025, 6, 1)
    )
    client.force_login(admin_dinas)

    d = client.get(dashboard_url(PASER)).context["d"]

    assert (d.target.count, d.target.deadline) == (144, date(2025, 10, 28))


def test_a_passed_deadline_shows_the_days_past(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    days_past = (local_today(PASER) - date(2025, 6, 30)).days

    response = client.get(dashboard_url(PASER))

    assert response.context["d"].days_past_deadline == days_past
    html = response.content.decode()
    assert shown("days past the deadline") in html
    number = f"{days_past:,}".replace(",", "[.,]")  # intcomma in either language
    assert re.search(rf'class="kd-stat text-danger">{number}<', html)


def test_a_deadline_ahead_shows_the_days_left(client, programme, admin_dinas):
    ProgrammeTarget.objects.create(
        programme=programme,
        count=144,
        deadline=local_today(PASER) + timedelta(days=12),
        effective_from=local_today(PASER) - timedelta(days=1),
    )
    client.force_login(admin_dinas)

    response = client.get(dashboard_url(PASER))

    assert (response.context["d"].days_to_deadline, response.context["d"].days_past_deadline) == (12, None)
    assert shown("days left") in response.content.decode()
    assert shown("days past the deadline") not in response.content.decode()


def test_a_merge_counts_one_cooperative_for_two_villages(client, programme, admin_dinas):
    target, other = case_for(SUNGAI_TERIK), case_for("64.01.01.2014")
    services.merge_cooperatives(actor=admin_dinas, target=target, others=[other], reason="Gabung")
    form_directly(target, 8, admin=admin_dinas)
    client.force_login(admin_dinas)

    d = client.get(dashboard_url(PASER)).context["d"]

    assert (d.villages, d.cooperatives, d.formed, d.villages_covered) == (144, 143, 1, 2)
    batu_sopang = next(row for row in d.children if row.region.code == BATU_SOPANG)
    assert (batu_sopang.villages, batu_sopang.formed) == (9, 2)


def test_a_region_without_a_programme_says_so(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.get(dashboard_url(PASER))

    assert response.status_code == 200
    assert (response.context["d"].programme, response.context["d"].cooperatives) == (None, 0)
    assert shown("No formation programme covers this region yet.") in response.content.decode()

"""Models moved between apps keep their tables and every row: an existing database migrates without copying or
dropping anything (state-only migrations, `db_table` kept), on SQLite and PostgreSQL (the suite runs on both)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kopdes.notifications.models import Notification, NotificationPreference
from kopdes.regions.models import Region, RegionBoundary


def _migrate(targets):
    """Migrate the test database to `targets` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _migrate_to_latest():
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_notifications_written_before_their_move_out_of_reports_are_read_after_it(operator_janju):
    old = _migrate([("reports", "0004_kecamatan_code_collation_c"), ("notifications", None)])
    written = old.get_model("reports", "Notification").objects.create(
        user_id=operator_janju.pk, kind="report_due", key="before-the-move", text="Laporan", created_at=timezone.now()
    )
    old.get_model("reports", "NotificationPreference").objects.create(
        user_id=operator_janju.pk, kind="report_due", email=False
    )

    _migrate_to_latest()

    moved = Notification.objects.get(pk=written.pk)
    assert (moved.user_id, moved.key, moved.text) == (operator_janju.pk, "before-the-move", "Laporan")
    assert NotificationPreference.objects.get(user=operator_janju).email is False
    assert Notification._meta.db_table == "reports_notification"


@pytest.mark.django_db(transaction=True)
def test_region_boundaries_loaded_before_their_move_out_of_dashboards_are_read_after_it(paser):
    old = _migrate([("dashboards", "0001_initial"), ("regions", "0003_kecamatan_labels")])
    janju = Region.objects.get(code="64.01.04.2002")
    old.get_model("dashboards", "RegionBoundary").objects.create(
        region_id=janju.pk, geojson='{"type": "Point", "coordinates": [116, -1.9]}', simplified="{}", source="uji"
    )

    _migrate_to_latest()

    assert RegionBoundary.objects.get(region=janju).source == "uji"
    assert RegionBoundary._meta.db_table == "dashboards_regionboundary"

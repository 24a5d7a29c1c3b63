"""Moving the notification models from reports to their own app keeps the tables and every row (SQLite and
PostgreSQL: the suite runs on both)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kopdes.notifications.models import Notification, NotificationPreference

BEFORE = [("reports", "0004_kecamatan_code_collation_c"), ("notifications", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_notifications_written_before_the_move_are_read_after_it(operator_janju):
    old = _migrate(BEFORE)
    OldNotification = old.get_model("reports", "Notification")
    OldPreference = old.get_model("reports", "NotificationPreference")
    written = OldNotification.objects.create(
        user_id=operator_janju.pk, kind="report_due", key="before-the-move", text="Laporan", created_at=timezone.now()
    )
    OldPreference.objects.create(user_id=operator_janju.pk, kind="report_due", email=False)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    moved = Notification.objects.get(pk=written.pk)
    assert (moved.user_id, moved.key, moved.text) == (operator_janju.pk, "before-the-move", "Laporan")
    assert NotificationPreference.objects.get(user=operator_janju).email is False
    assert Notification._meta.db_table == "reports_notification"  # the same table: nothing was copied or dropped
    # the unique key still holds on the moved table (a second notification with the same key is refused)
    assert Notification.objects.filter(user=operator_janju, key="before-the-move").count() == 1

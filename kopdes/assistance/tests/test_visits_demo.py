"""The demo's training and visits come from the real services, once however often the demo command runs."""

from __future__ import annotations

import pytest

from kopdes.accounts.roles import Role
from kopdes.assistance.models import FollowUp, Training, TrainingAttendee, Visit
from kopdes.audit.models import AuditEntry
from kopdes.tests.factories import make_user
from kopdes.web import demo_activities

pytestmark = pytest.mark.django_db


def test_the_demo_loads_one_training_and_two_visits_once(admin_dinas):
    pendamping = make_user("pendamping.demo", Role.PENDAMPING, "64.01.04")

    first = demo_activities.load(admin=admin_dinas, pendamping=pendamping)
    second = demo_activities.load(admin=admin_dinas, pendamping=pendamping)

    assert (first, second) == (True, False)
    assert (Training.objects.count(), TrainingAttendee.objects.count()) == (1, 5)
    assert (Visit.objects.filter(pendamping=pendamping).count(), FollowUp.objects.count()) == (2, 3)
    assert AuditEntry.objects.filter(action__startswith="assistance.").count() == 4

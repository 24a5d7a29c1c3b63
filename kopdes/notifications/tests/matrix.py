"""The notifications URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py)."""

from kopdes.accounts.roles import Role
from kopdes.conftest import JANJU
from kopdes.notifications.models import Notification, NotificationKind
from kopdes.notifications.services import notify
from kopdes.tests.factories import make_user
from kopdes.tests.matrix import Entry, answers, everyone

ENTRIES = {
    # one's own only; another user's is 404
    "notifications:list": Entry("GET", inside=everyone(200)),
    "notifications:open": Entry(
        "POST",
        inside=everyone(302),
        outside=answers(404),
        inside_kwargs=lambda ctx: {"pk": _notification_of(ctx["user"]).pk},
        outside_kwargs=lambda ctx: {"pk": _notification_of(None).pk},
        redirects_to="notifications:list",
    ),
    "notifications:read_all": Entry("POST", inside=everyone(302), redirects_to="notifications:list"),
    "notifications:preferences": Entry("GET", inside=everyone(200)),
}


def _notification_of(user) -> Notification:
    """A notification of `user`, or of someone else (also for the anonymous visitor)."""
    owner = user or make_user("matrix.notified", Role.OPERATOR_DESA, JANJU)
    return notify(user=owner, kind=NotificationKind.REPORT_DUE, key=f"matrix:{owner.pk}", text="uji", url="/")

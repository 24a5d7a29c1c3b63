"""The menu, the bell and the printed letterhead on every page."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import has_capability, primary_region
from kopdes.assistance.selectors.consultations import answers_questions, asks_questions
from kopdes.documents.selectors import print_letterhead
from kopdes.notifications.selectors import unread_count
from kopdes.people import policy as people_policy
from kopdes.regions.models import Level

if TYPE_CHECKING:
    from kopdes.accounts.models import User


def navigation(request: HttpRequest):
    """The menu: only what the user may open (the same capability checks the views make)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.must_change_password:
        return {"nav_items": [], "show_people": False}
    items = [
        (_("Home"), reverse("web:home")),
        (_("Dashboard"), reverse("dashboards:home")),
        (_("Regions"), reverse("web:regions")),
        (_("Cooperatives"), reverse("cooperatives:list")),
        (_("Reports"), reverse("reports:index")),
        (_("Monthly returns"), reverse("returns:index")),
        (_("Assistance"), reverse("assistance:dashboard")),
    ]
    if has_capability(user, Cap.VIEW):  # the buildings' board reads a region (Business Assistants and PMOs read none)
        items.insert(4, (_("Buildings (gerai)"), reverse("buildings:dashboard_home")))
    village = primary_region(user)
    if village is not None and village.level == Level.DESA and people_policy.may_view(user, village.code):
        items.append((_("People of the village"), reverse("people:roster", kwargs={"code": village.code})))
    if has_capability(user, Cap.VERIFY):
        items.append((_("Verification"), reverse("formation:queue")))
        items.append((_("Import data"), reverse("imports:village_status")))  # the office's imports
    consultations = _consultations_url(user)
    if consultations:
        items.append((_("Consultations"), consultations))
    if has_capability(user, Cap.MANAGE_USERS):
        items.append((_("Users"), reverse("accounts:user_list")))
    if has_capability(user, Cap.VIEW_AUDIT):
        items.append((_("Audit log"), reverse("web:audit_log")))
    path = request.path
    return {
        # names of people (users, attendees) and personal documents: not for the read-only partner (mitra)
        "show_people": has_capability(user, Cap.VIEW_PERSONAL),
        "nav_items": [(label, url, path == url or (url != "/" and path.startswith(url))) for label, url in items],
        # the bell: one count query, run only when base.html shows it
        "unread_notifications": partial(unread_count, user),
        # printed pages carry the letterhead of the viewer's office: one query, only when base.html prints it
        "print_letterhead": SimpleLazyObject(partial(_viewer_letterhead, user)),
    }


def _viewer_letterhead(user: User):
    """The letterhead of the office above the user's first assigned region (the nation's for a national scope)."""
    region = primary_region(user)
    return print_letterhead(region.code if region is not None else "")


def _consultations_url(user: User) -> str:
    """Who answers opens its inbox; who asks, its own questions; the others have no consultations page."""
    if answers_questions(user):
        return reverse("assistance:inbox")
    if asks_questions(user):
        return reverse("assistance:question_list")
    return ""

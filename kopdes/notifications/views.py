"""The notifications page: list, open (marks read), mark all read, and the email preferences per type."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.accounts.http import AuthenticatedRequest
from kopdes.audit.stale import READ_TOKEN_FIELD, StaleEdit
from kopdes.notifications.selectors import (
    get_notification_for_user,
    notifications_of,
    preferences_of,
    preferences_token,
)
from kopdes.notifications.services import mark_all_read, mark_read, set_email_preferences

PAGE = 100


@login_required
def notifications(request: AuthenticatedRequest):
    return render(
        request,
        "notifications/list.html",
        {"notifications": notifications_of(request.user, limit=PAGE), "page_size": PAGE},
    )


@login_required
@require_POST
def open_notification(request: AuthenticatedRequest, pk: int):
    """Mark one notification read and follow its link (or come back to the list)."""
    notification = get_notification_for_user(request.user, pk)
    mark_read(user=request.user, notification=notification, at=timezone.now())
    if request.POST.get("follow") and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: AuthenticatedRequest):
    count = mark_all_read(user=request.user)
    messages.success(request, _("%(n)d notification(s) marked as read.") % {"n": count})
    return redirect("notifications:list")


@login_required
def preferences(request: AuthenticatedRequest):
    """The email preferences per type. A save from a stale read (`audit.stale`) is refused with 409: the boxes stay
    as the user ticked them, the message names what changed, and the fresh token lets a second save go through."""
    kinds, token, errors, status = preferences_of(request.user), None, [], 200
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        try:
            set_email_preferences(user=request.user, email_kinds=chosen, read=request.POST.get(READ_TOKEN_FIELD, ""))
        except ValidationError as error:
            errors, status = error.messages, 409 if isinstance(error, StaleEdit) else 400
            token = error.fresh_token if isinstance(error, StaleEdit) else None
            kinds = [{**k, "email": k["kind"] in chosen} for k in kinds]
        else:
            messages.success(request, _("Your email preferences have been saved."))
            return redirect("notifications:preferences")
    context = {"kinds": kinds, "errors": errors, "read_token": token or preferences_token(request.user)}
    return render(request, "notifications/preferences.html", context, status=status)

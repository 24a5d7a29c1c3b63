"""The notifications page: list, open (marks read), mark all read, and the email preferences per type."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdes.reports.models import Notification
from kopdes.reports.notifications import (
    NotificationKind,
    mark_all_read,
    mark_read,
    preferences_of,
    set_email_preferences,
)

PAGE = 100


@login_required
def notifications(request):
    labels = dict(NotificationKind.choices)
    rows = [
        {
            "pk": n.pk,
            "text": n.text,
            "url": n.url,
            "created_at": n.created_at,
            "read_at": n.read_at,
            "kind": labels.get(n.kind, ""),
        }
        for n in Notification.objects.filter(user=request.user)[:PAGE]
    ]
    return render(request, "reports/notifications.html", {"notifications": rows, "page_size": PAGE})


@login_required
@require_POST
def open_notification(request, pk: int):
    """Mark one notification read and follow its link (or come back to the list)."""
    notification = Notification.objects.filter(user=request.user, pk=pk).first()
    if notification is None:
        raise Http404
    mark_read(user=request.user, notification=notification, at=timezone.now())
    if request.POST.get("follow") and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("reports:notifications")


@login_required
@require_POST
def read_all(request):
    count = mark_all_read(user=request.user)
    messages.success(request, _("%(n)d notification(s) marked as read.") % {"n": count})
    return redirect("reports:notifications")


@login_required
def preferences(request):
    if request.method == "POST":
        set_email_preferences(user=request.user, email_kinds=set(request.POST.getlist("email")))
        messages.success(request, _("Your email preferences have been saved."))
        return redirect("reports:notification_preferences")
    return render(request, "reports/notification_preferences.html", {"kinds": preferences_of(request.user)})

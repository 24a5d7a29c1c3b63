import zoneinfo

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from kopdes.accounts.scope import primary_region


class UserTimezoneMiddleware:
    """Show timestamps in the zone of the user's region (WIB/WITA/WIT); storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        region = primary_region(request.user)
        if region is not None:
            timezone.activate(zoneinfo.ZoneInfo(region.time_zone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """An account given a one-time password must choose its own before doing anything else."""

    allowed_names = ("accounts:password_change", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.allowed_names}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)

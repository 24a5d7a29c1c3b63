from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kopdes.core.selectors import landing_summary


@login_required
def home(request):
    return render(request, "core/home.html", landing_summary(request.user))

"""The project's URLs plus a bare view returning a short constant response (the ceiling of bench/dashboards_http.py)."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), path("", include("kopdes.urls"))]

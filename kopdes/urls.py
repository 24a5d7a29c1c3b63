from django.contrib import admin
from django.urls import include, path

from kopdes.api.api import api

urlpatterns = [
    path("", include("kopdes.web.urls")),
    path("", include("kopdes.accounts.urls")),
    path("", include("kopdes.formation.urls")),
    path("", include("kopdes.documents.urls")),
    path("", include("kopdes.notifications.urls")),
    path("", include("kopdes.reports.urls")),
    path("", include("kopdes.dashboards.urls")),
    path("", include("kopdes.cooperatives.urls")),
    path("", include("kopdes.assistance.urls")),
    path("", include("kopdes.imports.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

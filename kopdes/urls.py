from django.contrib import admin
from django.urls import include, path

from kopdes.accounts.account_views import admin_login
from kopdes.api.api import api

urlpatterns = [
    path("", include("kopdes.web.urls")),
    path("", include("kopdes.accounts.urls")),
    path("", include("kopdes.formation.urls")),
    path("", include("kopdes.documents.urls")),
    path("", include("kopdes.people.urls")),
    path("", include("kopdes.notifications.urls")),
    path("", include("kopdes.reports.urls")),
    path("", include("kopdes.dashboards.urls")),
    path("", include("kopdes.cooperatives.urls")),
    path("", include("kopdes.assistance.urls")),
    path("", include("kopdes.buildings.urls")),
    path("", include("kopdes.returns.urls")),
    path("", include("kopdes.imports.urls")),
    path("", include("kopdes.api.urls")),
    path("api/v1/", api.urls),
    # The Django admin signs in through Kopdes' own login (password, then the second factor), never its own form.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
]

handler500 = "kopdes.core.errors.server_error"  # a database outage: the 503 maintenance page

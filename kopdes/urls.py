from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("kopdes.core.urls")),
    path("", include("kopdes.accounts.urls")),
    path("", include("kopdes.regions.urls")),
    path("", include("kopdes.audit.urls")),
    path("", include("kopdes.formation.urls")),
    path("admin/", admin.site.urls),
]

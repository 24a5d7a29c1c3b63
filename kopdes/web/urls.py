from django.urls import path
from django.views.i18n import set_language

from kopdes.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("bahasa/", set_language, name="set_language"),
    path("wilayah/", views.region_tree, name="regions"),
    path("wilayah/<str:code>/", views.region_detail, name="region"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/xlsx/", views.audit_log_xlsx, name="audit_log_xlsx"),
]

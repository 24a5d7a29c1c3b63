from django.urls import path
from django.views.i18n import set_language

from kopdes.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("bahasa/", set_language, name="set_language"),
]

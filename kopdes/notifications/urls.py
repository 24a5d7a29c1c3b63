from django.urls import path

from kopdes.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifikasi/", views.notifications, name="list"),
    path("notifikasi/<int:pk>/buka/", views.open_notification, name="open"),
    path("notifikasi/baca-semua/", views.read_all, name="read_all"),
    path("notifikasi/pengaturan/", views.preferences, name="preferences"),
]

from django.urls import path

from kopdes.returns import views, views_ba

app_name = "returns"
urlpatterns = [
    path("laporan-usaha/", views.index, name="index"),
    path("laporan-usaha/koperasi/<int:pk>/", views.cooperative, name="cooperative"),
    path("laporan-usaha/koperasi/<int:pk>/bulan/<int:period_pk>/", views.enter, name="enter"),
    path("laporan-usaha/koperasi/<int:pk>/bulan/<int:period_pk>/buka/", views.reopen, name="reopen"),
    path("laporan-usaha/<int:pk>/", views.detail, name="detail"),
    path("laporan-usaha/<int:pk>/kembalikan/", views.send_back, name="send_back"),
    path("laporan-usaha/kelengkapan/<str:code>/", views.completeness, name="completeness"),
    path("laporan-usaha/kelengkapan/<str:code>/xlsx/", views.export_xlsx, name="export_xlsx"),
    path("laporan-usaha/dasbor/", views.dashboard, name="dashboard_nation"),
    path("laporan-usaha/dasbor/<str:code>/", views.dashboard, name="dashboard"),
    path("laporan-usaha/ba/<str:code>/", views.assignments, name="assignments"),
    path("laporan-usaha/ba/penugasan/<int:pk>/akhiri/", views.unassign, name="unassign"),
    *views_ba.urlpatterns,
]

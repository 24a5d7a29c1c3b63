from django.urls import path

from kopdes.reports import views

app_name = "reports"
urlpatterns = [
    path("laporan/", views.index, name="index"),
    path("laporan/kecamatan/<str:code>/", views.current, name="current"),
    path("laporan/kecamatan/<str:code>/periode/<int:period_pk>/", views.period_report, name="period_report"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/versi-baru/", views.new_version, name="new_version"),
    path("laporan/<int:pk>/putusan/", views.decide, name="decide"),
    path("laporan/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("kelengkapan/<str:code>/", views.completeness, name="completeness"),
    path("kelengkapan/<str:code>/xlsx/", views.completeness_xlsx, name="completeness_xlsx"),
    path("rekap/<str:code>/", views.recap, name="recap"),
    path("rekap/<str:code>/xlsx/", views.recap_xlsx, name="recap_xlsx"),
    path("rekap/<str:code>/pdf/", views.recap_pdf, name="recap_pdf"),
    path("unduh/verifikasi/", views.queue_xlsx, name="queue_xlsx"),
]

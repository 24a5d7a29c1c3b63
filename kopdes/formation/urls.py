from django.urls import path

from kopdes.formation import views

app_name = "formation"
urlpatterns = [
    path("dasbor/", views.dashboard_home, name="dashboard_home"),
    path("dasbor/<str:code>/", views.dashboard, name="dashboard"),
    path("koperasi/<int:pk>/", views.case_detail, name="case_detail"),
    path("koperasi/<int:pk>/ajukan/", views.submit_stage, name="submit_stage"),
    path("koperasi/<int:pk>/putusan/<int:submission_pk>/", views.decide, name="decide"),
    path("koperasi/<int:pk>/mundur/", views.step_back, name="step_back"),
    path("koperasi/<int:pk>/gabung/", views.merge, name="merge"),
    path("verifikasi/", views.queue, name="queue"),
    path("berkas/<int:pk>/", views.evidence_file, name="evidence_file"),
]

from django.urls import path

from kopdes.formation import views
from kopdes.formation.musdesus import views as musdesus

app_name = "formation"
urlpatterns = [
    path("koperasi/<int:pk>/", views.case_detail, name="case_detail"),
    path("koperasi/<int:pk>/ajukan/", views.submit_stage, name="submit_stage"),
    path("koperasi/<int:pk>/putusan/<int:submission_pk>/", views.decide, name="decide"),
    path("koperasi/<int:pk>/mundur/", views.step_back, name="step_back"),
    path("koperasi/<int:pk>/gabung/", views.merge, name="merge"),
    path("koperasi/<int:pk>/tim-fasilitator/", musdesus.team, name="team"),
    path("koperasi/<int:pk>/musdesus/", musdesus.musdesus, name="musdesus"),
    path("koperasi/<int:pk>/musdesus/jadwal/", musdesus.schedule, name="musdesus_schedule"),
    path("koperasi/<int:pk>/musdesus/daftar-hadir/", musdesus.attendance, name="musdesus_attendance"),
    path("koperasi/<int:pk>/musdesus/keputusan/", musdesus.decisions, name="musdesus_decisions"),
    path("koperasi/<int:pk>/musdesus/berita-acara/", musdesus.scan, name="musdesus_scan"),
    path("koperasi/<int:pk>/dokumen/<slug:slug>.<str:fmt>", musdesus.document, name="musdesus_document"),
    path("koperasi/<int:pk>/surat/<slug:slug>/", musdesus.paper, name="musdesus_paper"),
    path("koperasi/<int:pk>/surat/<slug:slug>/terbitkan/", musdesus.issue, name="musdesus_issue"),
    path("verifikasi/", views.queue, name="queue"),
    path("verifikasi/<int:pk>/", views.verify_item, name="verify_item"),
    path("verifikasi/sekaligus/", views.verify_many, name="verify_many"),
    path("berkas/<int:pk>/", views.evidence_file, name="evidence_file"),
]

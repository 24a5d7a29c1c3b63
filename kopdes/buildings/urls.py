from django.urls import path

from kopdes.buildings import public_views, views

app_name = "buildings"
urlpatterns = [
    path("gerai/", views.building_list, name="list"),
    path("gerai/koperasi/<int:pk>/", views.building_detail, name="detail"),
    path("gerai/koperasi/<int:pk>/langkah/<int:step>/", views.submit_step, name="submit_step"),
    path("gerai/koperasi/<int:pk>/cicilan/", views.instalments, name="instalments"),
    path("gerai/verifikasi/<int:pk>/", views.verify_item, name="verify_item"),
    path("gerai/verifikasi/<int:pk>/putusan/", views.decide, name="decide"),
    path("gerai/berkas/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("gerai/berkas/<int:pk>/publik/", views.photo_public, name="photo_public"),
    path("publik/<str:code>/gerai/", public_views.public_list, name="public_list"),
    path("publik/gerai/desa/<str:code>/", public_views.public_village, name="public_village"),
    path("publik/gerai/foto/<int:pk>/", public_views.public_photo, name="public_photo"),
    path("gerai/dasbor/", views.dashboard_home, name="dashboard_home"),
    path("gerai/dasbor/<str:code>/", views.dashboard, name="dashboard"),
    path("gerai/dasbor/<str:code>/peta.json", views.dashboard_map, name="dashboard_map"),
    path("gerai/dasbor/<str:code>/desa.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("gerai/dasbor/<str:code>/desa.pdf", views.dashboard_pdf, name="dashboard_pdf"),
]

from django.urls import path

from kopdes.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("dasbor/", views.home, name="home"),
    path("dasbor/<str:code>/", views.region, name="region"),
    path("dasbor/<str:code>/desa.xlsx", views.villages_xlsx, name="villages_xlsx"),
    path("dasbor/<str:code>/whatsapp/", views.whatsapp, name="whatsapp"),
    path("dasbor-nasional/", views.national, name="national"),
    path("dasbor-nasional/unduh/<str:table>.csv", views.national_download, name="national_csv"),
    path("dasbor/<str:code>/unduh/<str:table>.csv", views.download, name="csv"),
    path("peta/<str:code>/", views.map_page, name="map"),
    path("peta/<str:code>/data.json", views.map_data, name="map_data"),
    path("publik/", views.public_index, name="public_index"),
    path("publik/<str:code>/", views.public_page, name="public"),
    path("publik/<str:code>/peta.json", views.public_map_data, name="public_map_data"),
    path("pendampingan/pengurus-belum-dilatih/", views.untrained_board, name="untrained_board"),
]

from django.urls import path

from kopdes.people import views

app_name = "people"
urlpatterns = [
    path("desa/<str:code>/warga/", views.roster, name="roster"),
    path("desa/<str:code>/warga/tambah/", views.person_add, name="person_add"),
    path("desa/<str:code>/warga/tempel/", views.paste, name="paste"),
    path("desa/<str:code>/warga/cari/", views.search, name="search"),
    path("desa/<str:code>/warga/baru/", views.create_inline, name="create_inline"),
    path("desa/<str:code>/warga/<int:pk>/", views.person_edit, name="person_edit"),
    path("desa/<str:code>/warga/<int:pk>/keluarkan/", views.person_retire, name="person_retire"),
]

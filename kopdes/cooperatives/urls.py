from django.urls import path

from kopdes.cooperatives import views

app_name = "cooperatives"
urlpatterns = [
    path("koperasi/", views.registry_list, name="list"),
    path("koperasi/<int:pk>/profil/", views.detail, name="detail"),
    path("koperasi/<int:pk>/profil/ubah/", views.edit_profile, name="edit_profile"),
    path("koperasi/<int:pk>/pengurus/tambah/", views.add_seat, name="add_seat"),
    path("koperasi/<int:pk>/pengurus/<int:seat_pk>/akhiri/", views.end_seat, name="end_seat"),
    path("koperasi/<int:pk>/pengurus/dari-musdesus/", views.board_from_musdesus, name="board_from_musdesus"),
    path("koperasi/<int:pk>/anggota/", views.members, name="members"),
    path("koperasi/<int:pk>/anggota.xlsx", views.members_xlsx, name="members_xlsx"),
    path("koperasi/<int:pk>/anggota/tambah/", views.member_form, name="add_member"),
    path("koperasi/<int:pk>/anggota/<int:member_pk>/ubah/", views.member_form, name="edit_member"),
    path(
        "koperasi/<int:pk>/anggota/<int:member_pk>/keluar/",
        views.member_status,
        {"action": "left"},
        name="member_left",
    ),
    path(
        "koperasi/<int:pk>/anggota/<int:member_pk>/aktif/",
        views.member_status,
        {"action": "rejoin"},
        name="member_rejoin",
    ),
    path("koperasi/<int:pk>/gerai/tambah/", views.outlet_form, name="add_outlet"),
    path("koperasi/<int:pk>/gerai/<int:outlet_pk>/ubah/", views.outlet_form, name="edit_outlet"),
    path("koperasi/<int:pk>/rat/", views.rat_form, name="record_rat"),
    path("rat/<int:pk>/notulen/", views.rat_minutes, name="rat_minutes"),
]

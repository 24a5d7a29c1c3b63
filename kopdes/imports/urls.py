"""Spreadsheet imports: members of a cooperative and the office's village status sheet."""

from django.urls import path

from kopdes.imports import account_views, views

app_name = "imports"
urlpatterns = [
    path("impor/status-desa/", views.village_status, name="village_status"),
    path("impor/gerai/", views.buildings, name="buildings"),
    path("impor/anggota/<int:cooperative_pk>/", views.members, name="members"),
    path("impor/anggota/templat.xlsx", views.members_template, name="members_template"),
    path("impor/opensid/<str:code>/", views.opensid, name="opensid"),
    path("impor/batch/<int:pk>/", views.batch_detail, name="batch"),
    path("impor/batch/<int:pk>/konfirmasi/", views.confirm, name="confirm"),
    path("impor/batch/<int:pk>/label/", views.decide_labels, name="decide_labels"),
    path("impor/batch/<int:pk>/kolom/", views.map_columns, name="map_columns"),
    path("impor/batch/<int:pk>/baris-ditolak.xlsx", views.left_out, name="left_out"),
    path("pengguna/impor/", account_views.accounts_upload, name="accounts_upload"),
    path("pengguna/impor/konfirmasi/", account_views.accounts_confirm, name="accounts_confirm"),
    path("pengguna/impor/templat-akun.xlsx", account_views.accounts_template, name="accounts_template"),
    path("pengguna/akun-pengguna.xlsx", account_views.users_xlsx, name="users_xlsx"),
]

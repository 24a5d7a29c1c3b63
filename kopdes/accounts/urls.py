from django.contrib.auth import views as auth_views
from django.urls import path

from kopdes.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("ganti-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/nonaktifkan/", views.user_set_active, {"active": False}, name="user_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.user_set_active, {"active": True}, name="user_activate"),
    path("pengguna/<int:pk>/reset-sandi/", views.user_reset_password, name="user_reset_password"),
]

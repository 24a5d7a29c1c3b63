from django.contrib.auth import views as auth_views
from django.urls import path

from kopdes.accounts import account_views, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", account_views.LoginView.as_view(), name="login"),
    path("masuk/kode/", account_views.login_code, name="login_code"),
    path("keluar/", account_views.LogoutView.as_view(), name="logout"),
    path("ganti-sandi/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("lupa-sandi/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "lupa-sandi/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("akun/", account_views.account, name="account"),
    path("akun/email/<str:token>/", account_views.confirm_email, name="confirm_email"),
    path("akun/dua-langkah/", account_views.second_factor_setup, name="second_factor_setup"),
    path("akun/dua-langkah/kode-pemulihan/", account_views.recovery_codes, name="recovery_codes"),
    path("akun/dua-langkah/matikan/", account_views.second_factor_disable, name="second_factor_disable"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("pengguna/<int:pk>/nonaktifkan/", views.user_set_active, {"active": False}, name="user_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.user_set_active, {"active": True}, name="user_activate"),
    path("pengguna/<int:pk>/reset-sandi/", views.user_reset_password, name="user_reset_password"),
    path("pengguna/<int:pk>/reset-dua-langkah/", views.user_reset_second_factor, name="user_reset_second_factor"),
]

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kopdes.accounts"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kopdes.accounts"

    def ready(self):
        from kopdes.accounts import audit_texts  # noqa: F401  (how its audit entries read)

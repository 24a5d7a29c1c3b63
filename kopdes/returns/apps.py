from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "kopdes.returns"

    def ready(self) -> None:
        from kopdes.accounts.scope import register_assigned_cooperatives
        from kopdes.returns import audit_texts  # noqa: F401  (registers the audit sentences)
        from kopdes.returns.policy import assigned_ids

        register_assigned_cooperatives(assigned_ids)

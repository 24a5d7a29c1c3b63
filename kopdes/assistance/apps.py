from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "kopdes.assistance"

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "kopdes.imports"

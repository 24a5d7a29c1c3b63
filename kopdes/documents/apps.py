from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "kopdes.documents"

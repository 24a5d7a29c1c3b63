from django.apps import AppConfig


class FormationConfig(AppConfig):
    name = "kopdes.formation"

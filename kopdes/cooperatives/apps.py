from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "kopdes.cooperatives"

from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "kopdes.regions"
    verbose_name = "Wilayah"

from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "kopdes.periods"

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "kopdes.notifications"

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site around the apps: landing page, menu, region browser, audit log reader, language switch, demo data."""

    name = "kopdes.web"

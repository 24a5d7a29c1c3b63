from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kopdes.core"

    def ready(self):
        from kopdes.core.text import install_form_check

        install_form_check()  # every form's text fields refuse control characters

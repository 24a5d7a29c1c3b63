"""Django's password validators with messages that read well in Indonesian (Django's own catalogue mixes "sandi" and
"kata sandi" and has "Sandi anda tidak dapat berupa sandi umum digunakan"). The rules are Django's, unchanged."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.", "At least %(min_length)d characters.", self.min_length
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password is too close to your %(verbose_name)s.")

    def get_help_text(self):
        return _("Not close to your name, username or email address.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is among the most used passwords, which are guessed first.")

    def get_help_text(self):
        return _("Not one of the most used passwords.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is only digits; add letters.")

    def get_help_text(self):
        return _("Not only digits.")

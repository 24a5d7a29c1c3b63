"""Django's own messages that Kopdes translates itself, because Django's Indonesian catalogue reads badly on the login,
password and form pages ("Sandi" beside "kata sandi", "Masukkan pilihan yang valid"). The project's catalogue
(`LOCALE_PATHS`) is looked up before Django's, so the same msgid translated there wins.

Marked with gettext_noop so `make messages` (which drops entries no longer in the code) keeps them. Each msgid must
stay exactly Django's text (Django 5.2: django/contrib/auth/forms.py, django/forms/fields.py, django/forms/models.py);
`kopdes/core/tests/test_i18n.py` checks that the pages show the project's wording.
"""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = (
    # django/contrib/auth/forms.py: the password forms
    gettext_noop("Password"),
    gettext_noop("Password confirmation"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Old password"),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("This account is inactive."),
    gettext_noop("Set password"),
    # django/contrib/auth/views.py and the admin's password pages
    gettext_noop("Password changed successfully."),
    # django/forms/fields.py and django/forms/models.py: every form
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
)

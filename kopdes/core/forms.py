"""Form helpers every app's views share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form that sent the input: a message about a field goes under that field, the
    rest above the form. The form keeps what the user typed."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_status(form: forms.BaseForm) -> int:
    """The HTTP status of a form page: 409 after a refused stale save (the form carries `stale`, see
    `kopdes.audit.stale`), 400 with other errors, 200 otherwise."""
    if getattr(form, "stale", None):
        return 409
    return 400 if form.errors else 200


OUT_OF_SCOPE_CHOICE = _("%(value)s is not a region of your area of work: choose one from the list.")


def region_choice_errors() -> dict:
    """Error messages of a region choice field whose choices are the user's scope: a posted value outside them (an
    out-of-scope region, or one that does not exist) is refused with this message instead of Django's generic one."""
    return {"invalid_choice": OUT_OF_SCOPE_CHOICE}

"""Forms of the consultation pages: parsing only; the services check the rules again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kopdes.assistance.models import Category, QuestionStatus
from kopdes.assistance.services.consultations import MAX_SUBJECT, MAX_TEXT
from kopdes.audit.stale import ReadTokenField
from kopdes.core.forms import region_choice_errors
from kopdes.files.forms import MultipleFileField
from kopdes.regions.models import Region


class BootstrapMixin:
    """Bootstrap classes on every widget, and is-invalid on the fields with errors."""

    def style(self):
        for name, field in self.fields.items():
            base = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            invalid = " is-invalid" if self.is_bound and name in self.errors else ""
            field.widget.attrs["class"] = base + invalid


class QuestionForm(BootstrapMixin, forms.Form):
    village: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Village"), queryset=None, empty_label=None, error_messages=region_choice_errors()
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    text = forms.CharField(
        label=_("Your question"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_TEXT, strip=True
    )
    # the form's metaclass moves a declared field into base_fields: self.files stays the uploaded files
    files = MultipleFileField(label=_("Attachments (PDF, JPEG or PNG, optional)"), required=False)  # type: ignore[assignment]

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["village"].label_from_instance = lambda region: region.display_name
        self.style()


class MessageForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_TEXT, strip=True
    )
    # the form's metaclass moves a declared field into base_fields: self.files stays the uploaded files
    files = MultipleFileField(label=_("Attachments (PDF, JPEG or PNG, optional)"), required=False)  # type: ignore[assignment]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


class PublishForm(BootstrapMixin, forms.Form):
    dibaca = ReadTokenField()  # the published texts as they were read (audit.stale)
    public_question = forms.CharField(
        label=_("Public question"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_TEXT
    )
    public_answer = forms.CharField(
        label=_("Public answer"), widget=forms.Textarea(attrs={"rows": 8}), max_length=MAX_TEXT
    )
    confirmed_names = forms.MultipleChoiceField(
        label=_("Names to check"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "These words are also the names of people known in the village. Tick each one you have checked is not "
            "that person here; otherwise remove it from the text."
        ),
    )

    def __init__(self, *args, names_to_confirm: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["confirmed_names"])
        field.choices = [(name, name) for name in names_to_confirm]  # before style(), which validates a bound form
        if not names_to_confirm:
            field.widget = forms.MultipleHiddenInput()
        self.style()
        field.widget.attrs["class"] = "form-check-input"


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *QuestionStatus.choices])
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])

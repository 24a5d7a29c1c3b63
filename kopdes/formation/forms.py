from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kopdes.files.forms import MultipleFileField
from kopdes.formation import workflow
from kopdes.formation.models import Cooperative
from kopdes.formation.validators import parse_kbli_codes
from kopdes.formation.workflow import Sensitivity


def keep_after_concurrent_change(form, cooperative) -> None:
    """After `ConcurrentChange` (the record's version moved since the form was read): the form shown again keeps
    the input, carries the version as it is now (so resending after checking goes through) and answers 409."""
    cooperative.refresh_from_db()
    data = form.data.copy()
    data["version"] = cooperative.version
    form.data, form.stale = data, True


class StageSubmissionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    stage = forms.TypedChoiceField(label=_("Stage reached"), coerce=int)
    evidence_date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    evidence_number = forms.CharField(label=_("Number"), required=False, max_length=100)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    # the form's metaclass moves a declared field into base_fields: self.files stays the uploaded files
    files = MultipleFileField(label=_("Documents (PDF, JPEG or PNG)"), required=False)  # type: ignore[assignment]
    pathway = forms.ChoiceField(
        label=_("Pathway"),
        required=False,
        choices=[("", _("(not decided yet or unchanged)")), *workflow.Pathway.choices],
        help_text=_("As decided by the Musdesus."),
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity of the documents"), choices=Sensitivity.choices, initial=Sensitivity.INTERNAL
    )
    skip_reason = forms.CharField(
        label=_("Reason the skipped stages do not apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Only when jumping over stages, e.g. an existing cooperative that already has its legal papers."),
    )

    kbli_codes = forms.CharField(
        label=_("KBLI codes"),
        required=False,
        max_length=300,
        help_text=_(
            "With the NIB (stage 9): the 5-digit KBLI codes it covers, separated by commas, e.g. 47111, 46201."
        ),
    )

    def clean_kbli_codes(self):
        return parse_kbli_codes(self.cleaned_data["kbli_codes"])

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (s.number, f"{s.number}. {s.label}") for s in workflow.STAGES if s.number > cooperative.stage
        ]
        nxt = workflow.BY_NUMBER.get(cooperative.stage + 1)
        if nxt and not self.is_bound:
            self.initial.setdefault("stage", nxt.number)
        self.initial.setdefault("version", cooperative.version)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class StepBackForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    stage = forms.TypedChoiceField(label=_("Back to stage"), coerce=int)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (s.number, f"{s.number}. {s.label}") for s in workflow.STAGES if s.number < cooperative.stage
        ]
        self.initial.setdefault("version", cooperative.version)


class MergeForm(forms.Form):
    others: forms.ModelMultipleChoiceField[Cooperative] = forms.ModelMultipleChoiceField(
        label=_("Cooperatives whose villages join this one"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = candidates
        self.fields["others"].label_from_instance = lambda c: f"{c.name} ({c.region_code})"

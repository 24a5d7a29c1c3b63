import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kopdes.audit.stale import ReadTokenField
from kopdes.documents.models import ROLES_OF_ISSUER, Issuer, Signer, SignerRole


class IssuerForm(forms.ModelForm):
    dibaca = ReadTokenField()  # the issuer's letterhead as it was read (audit.stale)

    class Meta:
        model = Issuer
        fields = [
            "government",
            "unit_line",
            "office",
            "address",
            "contact",
            "city",
            "logo",
            "number_template",
            "classification",
            "unit_code",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].required = False
        self.fields["city"].help_text = _("Empty: the name of the region.")


class SignerForm(forms.ModelForm):
    dibaca = ReadTokenField(required=False)  # empty when a signer is added
    nip = forms.CharField(label=_("NIP"), max_length=30, required=False)  # typed with spaces: 19860926 201505 1 001

    class Meta:
        model = Signer
        fields = ["role", "name", "position", "rank", "nip", "order", "is_active"]

    def __init__(self, *args, issuer: Issuer, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ROLES_OF_ISSUER.get(issuer.kind, ())
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(r, SignerRole(r).label) for r in allowed]
        self.fields["nip"].help_text = _("18 digits, civil servants only (camat, lurah, office staff).")
        self.fields["nip"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["order"].required = False

    def clean_nip(self) -> str:
        # spaces, dots and hyphens as on paper (19860926 201505 1 001); the service checks the digits (cleaners.nip)
        return re.sub(r"[\s.\-]", "", self.cleaned_data.get("nip") or "")


class DateOfIssueForm(forms.Form):
    """The date a paper not yet issued will carry (`services.plan_date_of_issue`)."""

    dibaca = ReadTokenField()  # the planned date as it was read (audit.stale)
    date_of_issue = forms.DateField(label=_("Date of issue"), widget=forms.DateInput(attrs={"type": "date"}))

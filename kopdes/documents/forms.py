from django import forms

from kopdes.audit.stale import ReadTokenField
from kopdes.documents.models import Letterhead


class LetterheadForm(forms.ModelForm):
    dibaca = ReadTokenField()  # the office's own letterhead as it was read (audit.stale)

    class Meta:
        model = Letterhead
        fields = ["government", "office", "address", "contact", "city", "head_title", "head_name", "head_nip", "logo"]

from django import forms

from kopdes.documents.models import Letterhead


class LetterheadForm(forms.ModelForm):
    class Meta:
        model = Letterhead
        fields = ["government", "office", "address", "contact", "city", "head_title", "head_name", "head_nip", "logo"]

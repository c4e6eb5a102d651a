"""Forms of the appeal-import pages: the appeal (pasted or uploaded), then the reviewed draft."""

from __future__ import annotations

import json

from django import forms

from ..appeals.reading import max_bytes
from ..models import Organisation


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Paste the appeal",
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "cols": 80, "placeholder": "The appeal's text: an e-mail, a web page, a letter ..."}
        ),
    )
    file = forms.FileField(
        label="or upload a file",
        required=False,
        help_text="Plain text (any common encoding), HTML, PDF or an e-mail saved as .eml.",
    )

    def clean(self):
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and upload.size > max_bytes():
            limit = max_bytes() / 1024 / 1024
            self.add_error("file", f"the file is {upload.size / 1024 / 1024:.1f} MB, over the limit of {limit:.1f} MB.")
        elif upload is None and not (data.get("text") or "").strip():
            raise forms.ValidationError("Paste an appeal's text or choose a file.")
        return data


class DraftForm(forms.Form):
    document = forms.CharField(
        label="The draft campaign document (JSON): correct it here",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30, "cols": 80, "spellcheck": "false", "class": "json"}),
    )
    source = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    filename = forms.CharField(required=False, widget=forms.HiddenInput)
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Organisation running the campaign", empty_label=None
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = organisations if organisations is not None else Organisation.objects.none()

    def clean_document(self) -> dict:
        try:
            value = json.loads(self.cleaned_data["document"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"This is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("The draft must be one JSON object ({ ... }).")
        return value

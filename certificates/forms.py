"""Forms of the public verification pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import normalise_code

MAX_FILE_BYTES = 5 * 1024 * 1024


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=64,
        help_text=_("As printed on the certificate, for example TDRB-7F3K9-QX2MB-…"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _("This is not a certificate code: check the characters and try again.")
            )
        return code


class FileCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate file (PDF)"),
        help_text=_("At most 5 MB. The file is compared, not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This file is not a PDF."))
        return upload

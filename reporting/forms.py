"""The "Assign a course" form of the admin: which course, who, by when.

The form reads and checks what was typed or uploaded (the addresses, the CSV file);
the rules of assigning (own ministry, live course, due date in the future) live in
``services.assign_course``, whose refusals the view shows on the form.
"""

from __future__ import annotations

import csv
import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Cadre

from . import services
from .models import AssignmentAudience

MAX_CSV_BYTES = 1024 * 1024
CSV_EXTENSIONS = (".csv", ".txt")
# Commas, semicolons (Outlook) and any white space separate pasted addresses.
SEPARATORS = re.compile(r"[,;\s]+")
MAX_SHOWN = 10
# Headings of the address column, lower-cased without spaces, hyphens, underscores.
EMAIL_HEADINGS = ("email", "emailaddress", "mail")


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class MinistryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name_en}"


def _shown(values: list[str]) -> str:
    shown = ", ".join(values[:MAX_SHOWN])
    if len(values) > MAX_SHOWN:
        shown += " " + str(_("and %(count)s more") % {"count": len(values) - MAX_SHOWN})
    return shown


def pasted_addresses(text: str) -> list[str]:
    """The addresses of pasted text: separated by commas, semicolons, spaces or new
    lines; from an e-mail program's "Name <address>" list, the addresses only."""
    tokens = [token for token in SEPARATORS.split(text) if token]
    if "<" in text:
        tokens = [token for token in tokens if "@" in token]
    return tokens


def read_csv_addresses(upload) -> list[str]:
    """The addresses of an uploaded CSV file: the column named "email" (or
    "e-mail"), or the only column, one address per line. Raises ValidationError
    with a message for the officer."""
    name = (upload.name or "").lower()
    if not name.endswith(CSV_EXTENSIONS):
        raise ValidationError(
            _("Upload a CSV file (.csv), saved from a spreadsheet as CSV."),
            code="file_type",
        )
    if upload.size > MAX_CSV_BYTES:
        raise ValidationError(
            _("The file is larger than 1 MB. Split it, or choose a cadre instead."),
            code="file_size",
        )
    raw = upload.read(MAX_CSV_BYTES + 1)
    unreadable = ValidationError(
        _(
            "The file could not be read as CSV text. In your spreadsheet, choose "
            "Save as > CSV UTF-8 and upload that file."
        ),
        code="unreadable",
    )
    if b"\x00" in raw:
        raise unreadable
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise unreadable from None
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else None
    except csv.Error:
        dialect = None
    try:
        rows = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), dialect or csv.excel)
            if any(cell.strip() for cell in row)
        ]
    except csv.Error:
        raise unreadable from None
    if not rows:
        raise ValidationError(_("The file holds no address."), code="empty")
    header = [re.sub(r"[\s_-]", "", cell.lower()) for cell in rows[0]]
    names = [name for name in header if name in EMAIL_HEADINGS]
    if names:
        column = header.index(names[0])
        return [row[column] for row in rows[1:] if len(row) > column]
    if all(len(row) == 1 for row in rows):
        return [row[0] for row in rows]
    raise ValidationError(
        _(
            'The file needs a column named "email", or one address per line with '
            "nothing else."
        ),
        code="no_email_column",
    )


class AssignCourseForm(forms.Form):
    """Assign a live course to officers of a ministry with a due date."""

    course = CourseChoiceField(
        label=_("Course"),
        queryset=services.assignable_courses(),
        empty_label=_("Choose a course"),
    )
    ministry = MinistryChoiceField(
        label=_("Ministry"), queryset=None, empty_label=_("Choose a ministry")
    )
    audience = forms.ChoiceField(
        label=_("Who"),
        choices=AssignmentAudience.choices,
        widget=forms.RadioSelect,
        initial=AssignmentAudience.EVERYONE,
    )
    cadre = forms.ChoiceField(
        label=_("Cadre"),
        choices=[("", _("Choose a cadre")), *Cadre.choices],
        required=False,
        help_text=_("When the course is for officers of one cadre."),
    )
    emails = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "When the course is for a list of officers: paste their addresses, "
            "separated by commas, spaces or new lines."
        ),
    )
    csv_file = forms.FileField(
        label=_("Or upload a CSV file of addresses"),
        required=False,
        help_text=_('A column named "email", or one address per line; at most 1 MB.'),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("The officers are reminded by e-mail a week before."),
    )
    message = forms.CharField(
        label=_("Message to the officers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added to the e-mail the officers receive."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ministries = services.ministries_assignable_by(user)
        self.fields["ministry"].queryset = ministries
        self.own_ministry = None
        if not access.scope_for_user(user).is_national:
            # A focal point assigns to its own ministry: nothing to choose.
            self.own_ministry = ministries.first()
            del self.fields["ministry"]

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if not upload:
            return []
        return read_csv_addresses(upload)

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if "ministry" not in self.fields:
            cleaned["ministry"] = self.own_ministry
            if self.own_ministry is None:
                raise ValidationError(
                    _("Your account belongs to no ministry, so it cannot assign.")
                )
        if audience == AssignmentAudience.CADRE and not cleaned.get("cadre"):
            self.add_error("cadre", _("Choose the cadre the course is for."))
        addresses: list[str] = []
        if audience == AssignmentAudience.LIST:
            pasted = pasted_addresses(cleaned.get("emails") or "")
            addresses = services.normalise_emails(
                [*pasted, *(cleaned.get("csv_file") or [])]
            )
            invalid = []
            for address in addresses:
                try:
                    validate_email(address)
                except ValidationError:
                    invalid.append(address)
            if invalid:
                self.add_error(
                    "emails",
                    _("These are not e-mail addresses: %(list)s")
                    % {"list": _shown(invalid)},
                )
            elif not addresses and "csv_file" not in self.errors:
                self.add_error(
                    "emails",
                    _("Paste at least one address, or upload a CSV file of them."),
                )
        cleaned["addresses"] = addresses
        return cleaned

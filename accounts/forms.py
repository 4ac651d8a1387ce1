"""Forms: the officer sign-up form, and the account forms of the Wagtail admin."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm

from .models import Cadre, Gender, User
from .validators import validate_name_characters

PROFILE_FIELDS = [
    "full_name_en",
    "full_name_ar",
    "ministry",
    "cadre",
    "gender",
    "job_title",
    "employee_number",
]


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with what certificates and statistics need."""

    full_name_en = forms.CharField(
        label=_("Full name in English"),
        validators=[validate_name_characters],
        max_length=200,
        help_text=_("As it should be printed on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    full_name_ar = forms.CharField(
        label=_("Full name in Arabic"),
        validators=[validate_name_characters],
        max_length=200,
        help_text=_("As it should be printed on your certificates."),
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    cadre = forms.ChoiceField(
        label=_("Your role"), choices=[("", _("Choose your role")), *Cadre.choices]
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", _("Choose")), *Gender.choices],
        help_text=_("Used only for statistics broken down by gender."),
    )
    job_title = forms.CharField(
        label=_("Job title"),
        validators=[validate_name_characters],
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    field_order = [
        "email",
        "full_name_en",
        "full_name_ar",
        "cadre",
        "gender",
        "job_title",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("Official e-mail address")
        email.help_text = _(
            "Your ministry is recognised from it, for example name@moi.gov.kw."
        )
        email.widget.attrs["placeholder"] = ""

    def clean_full_name_ar(self):
        name = self.cleaned_data["full_name_ar"].strip()
        if not any("\u0600" <= char <= "\u06ff" for char in name):
            raise forms.ValidationError(_("Please write your name in Arabic letters."))
        return name


class UserCreationForm(WagtailUserCreationForm):
    """Wagtail's user form for our user model: no first and last name fields."""

    first_name = None
    last_name = None

    class Meta(WagtailUserCreationForm.Meta):
        model = User
        fields = ["email", *PROFILE_FIELDS, "is_superuser", "groups"]


class UserEditForm(WagtailUserEditForm):
    first_name = None
    last_name = None

    class Meta(WagtailUserEditForm.Meta):
        model = User
        fields = ["email", *PROFILE_FIELDS, "is_active", "is_superuser", "groups"]


def _has_arabic_letters(name: str) -> bool:
    return any("\u0600" <= char <= "\u06ff" for char in name)


class ProfileForm(forms.Form):
    """The officer's own profile: names as printed on certificates, cadre, job title
    and language. Whether a change of names happens at once or becomes a correction
    request is ``services.change_names``'s to decide."""

    full_name_en = forms.CharField(
        label=_("Full name in English"),
        validators=[validate_name_characters],
        max_length=200,
        help_text=_("As it should be printed on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "ltr"}),
    )
    full_name_ar = forms.CharField(
        label=_("Full name in Arabic"),
        validators=[validate_name_characters],
        max_length=200,
        help_text=_("As it should be printed on your certificates."),
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    reason = forms.CharField(
        label=_("Why the name should be corrected"),
        required=False,
        max_length=2000,
        help_text=_(
            "Needed only when your name is already printed on a valid certificate: "
            "the correction is then approved first, and your certificates are "
            "re-issued with the corrected name."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    cadre = forms.ChoiceField(label=_("Your role"), choices=Cadre.choices)
    job_title = forms.CharField(
        label=_("Job title"),
        validators=[validate_name_characters],
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_(
            "The language of the portal, of the administration area and of every "
            "e-mail sent to you."
        ),
    )

    def clean_full_name_en(self):
        return self.cleaned_data["full_name_en"].strip()

    def clean_full_name_ar(self):
        name = self.cleaned_data["full_name_ar"].strip()
        if not _has_arabic_letters(name):
            raise forms.ValidationError(_("Please write your name in Arabic letters."))
        return name

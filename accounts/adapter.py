"""allauth adapter: sign-up is for officers of active ministries, placed by domain."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from lms.models import SiteSettings

from . import services
from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip().lower()
        # allauth would cut a longer address to fit the column, losing its domain.
        max_length = User._meta.get_field("email").max_length
        if len(email) > max_length:
            raise forms.ValidationError(
                _(
                    "An e-mail address can have at most %(max)d characters; this one "
                    "has %(length)d."
                )
                % {"max": max_length, "length": len(email)}
            )
        check = services.check_signup_domain(email)
        if not check.allowed:
            raise forms.ValidationError(self._refusal_message(check))
        return email

    def _refusal_message(self, check: services.DomainCheck) -> str:
        contact = self._contact_email(check)
        if check.reason == "inactive_ministry":
            message = _(
                "Sign-up for officers of %(ministry)s is closed at the moment, so "
                "addresses ending in @%(domain)s cannot register."
            ) % {"ministry": check.ministry.name_en, "domain": check.domain}
        else:
            message = _(
                "Tadreeb is open to officers of the participating ministries, who "
                "sign up with their official e-mail address. The domain "
                "@%(domain)s does not belong to any of them."
            ) % {"domain": check.domain or "?"}
        if contact:
            message += " " + _(
                "If you think this is wrong, contact your ministry's training focal "
                "point or write to %(contact)s."
            ) % {"contact": contact}
        else:
            message += " " + _(
                "If you think this is wrong, contact your ministry's training focal "
                "point."
            )
        return message

    def _contact_email(self, check: services.DomainCheck) -> str:
        if check.ministry is not None and check.ministry.contact_email:
            return check.ministry.contact_email
        request = getattr(self, "request", None)
        site_settings = SiteSettings.load(request_or_site=request)
        return site_settings.support_email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.full_name_en = data["full_name_en"]
        user.full_name_ar = data["full_name_ar"]
        user.cadre = data["cadre"]
        user.gender = data["gender"]
        user.job_title = data["job_title"]
        user.ministry = services.check_signup_domain(user.email).ministry
        if commit:
            user.save()
        return user

"""allauth adapter: sign-up is for officers of active ministries, placed by domain,
in the language they signed up in; rate limits count the address from
core.client_ip and answer 429; e-mails go out in the recipient's language."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from core import emails
from core.client_ip import client_ip
from core.models import SiteSettings

from . import roles, services
from .models import User

# allauth reports the limits it checks inside a form (failed sign-ins, per address
# and per account; codes by e-mail; MFA codes) as a form error with these codes.
# The limits it checks around a view (sign-in, sign-up, password reset) answer 429
# already.
RATE_LIMIT_ERRORS = frozenset({"too_many_login_attempts", "rate_limited"})


# Where each staff role's work is, by admin URL name (the higher apps register
# these views; a name, not an import, keeps accounts below them). A person in
# several roles lands on the first that applies.
STAFF_LANDINGS: tuple[tuple[str, str], ...] = (
    (roles.FOCAL_POINTS, "training_reports:completion"),
    (roles.NATIONAL_COMMITTEE, "training_reports:completion"),
    (roles.CERTIFICATE_OFFICERS, "issued_certificates:index"),
    (roles.TRAINERS, "wagtailadmin_explore_root"),
)


def staff_landing_url(user: User) -> str | None:
    """The admin page a staff member starts from: the reports, the issued
    certificates or the page tree; the admin's dashboard for a superuser outside
    the roles; ``None`` for an officer."""
    held = services.staff_group_names(user)
    for role, url_name in STAFF_LANDINGS:
        if role in held:
            return reverse(url_name)
    if user.is_authenticated and user.is_superuser:
        return reverse("wagtailadmin_home")
    return None


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        # allauth asks only when the sign-in carries no safe ?next=, which wins.
        return staff_landing_url(request.user) or super().get_login_redirect_url(
            request
        )

    def get_client_ip(self, request) -> str:
        return client_ip(request)

    def validation_error(self, code, *args):
        error = super().validation_error(code, *args)
        if code in RATE_LIMIT_ERRORS and self.request is not None:
            # The same message as allauth's form error, on the site's 429 page.
            raise ImmediateHttpResponse(
                self.respond_rate_limited(self.request, error.message)
            )
        return error

    def respond_rate_limited(self, request, message: str):
        return render(request, "429.html", {"message": message}, status=429)

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
        # The language the person signed up in (the page's prefix).
        user.language = translation.get_language() or ""
        if commit:
            user.save()
        return user

    # Links e-mailed by allauth, rewritten under the recipient's language prefix.
    LINKS_IN_MAILS = ("activate_url", "password_reset_url", "signup_url")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every allauth e-mail (address confirmation, password reset, notices)
        through ``core.emails``: the portal's name, a text and an HTML part, the
        recipient's language (the one saved on the account, else the language of
        the request that sends it)."""
        user = context.get("user")
        saved = getattr(user, "language", "") or ""
        language = saved or translation.get_language() or services.language_of(None)
        context = dict(context)
        for name in self.LINKS_IN_MAILS:
            if context.get(name):
                context[name] = translate_url(context[name], language)
        # One home for every e-mail: the portal's name, both parts, the language.
        emails.send_templated_email(
            user if isinstance(user, User) else None,
            template_prefix,
            {"request": self.request, "email": email, **context},
            email=email,
            language=language,
        )

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Notices of changes to an account (password, e-mail, two-factor): with the
        account, so that they greet its owner in the owner's language."""
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email
        )

"""Every e-mail the portal sends to a person, built in one place: the portal's name
from the site settings (``SiteSettings.organisation_name``) in the subject, the
sender's name, the header and the signature; a plain-text part and an HTML part; the
recipient's language around the whole rendering.

A message named ``prefix`` is three templates: ``<prefix>_subject.txt``,
``<prefix>_message.txt`` (which extends ``emails/base_message.txt``) and, if it has
one, ``<prefix>_message.html`` (which extends ``emails/base.html``). A message
without its own HTML template (allauth's many notices) gets its text part set in
the same HTML frame, links made clickable.

Messages go through the configured backend, the outbox (``core.mail``) in
production: a message with an ``idempotency_key`` is stored once, so a task that
runs twice does not e-mail twice."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .models import SiteSettings

DEFAULT_PORTAL_NAME = "Tadreeb"


@dataclass(frozen=True)
class PortalSite:
    """What allauth's templates read from ``current_site``: the portal's name (not
    the Django ``Site``'s, which names a host) and the host people know it by."""

    name: str
    domain: str


def portal_name() -> str:
    """The portal's name as the site settings give it (the shared cache answers)."""
    return SiteSettings.load().organisation_name or DEFAULT_PORTAL_NAME


def portal_site() -> PortalSite:
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    return PortalSite(name=portal_name(), domain=host)


def absolute_url(path: str) -> str:
    """``path`` (e.g. from ``reverse`` or ``page.get_url()``) as a full address."""
    if path.startswith("/"):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
    return path


def recipient_language(user) -> str:
    """The language to write to ``user`` in: the one saved on the account, else
    the portal's default. ``accounts.services.language_of`` is this rule."""
    saved = getattr(user, "language", "") or ""
    if saved in dict(settings.LANGUAGES):
        return saved
    return settings.TADREEB_DEFAULT_LANGUAGE


def recipient_name(user, language: str) -> str:
    """The name to greet ``user`` by: the Arabic one in Arabic, when given."""
    if user is None:
        return ""
    if language == "ar" and getattr(user, "full_name_ar", ""):
        return user.full_name_ar
    return user.get_full_name()


def from_email(site_name: str) -> str:
    """``DEFAULT_FROM_EMAIL``'s address under the portal's name."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((site_name, address)) if address else settings.DEFAULT_FROM_EMAIL


def render_templated_email(
    to_user,
    template_prefix: str,
    context: dict[str, Any] | None = None,
    *,
    email: str | None = None,
    language: str | None = None,
    idempotency_key: str | None = None,
) -> EmailMultiAlternatives:
    """The message ``template_prefix`` to ``to_user`` (or to ``email``, for an
    address without an account), rendered in ``language`` (by default the
    recipient's). ``idempotency_key`` names the message for the outbox."""
    address = email or getattr(to_user, "email", "")
    if not address:
        raise ValueError("An e-mail needs a recipient address")
    language = language or recipient_language(to_user)
    site = portal_site()
    with translation.override(language):
        values = {
            "site_name": site.name,
            "site_url": absolute_url(f"/{language}/"),
            "support_email": SiteSettings.load().support_email,
            "recipient": to_user,
            "recipient_name": recipient_name(to_user, language),
            "language_code": language,
            "language_bidi": translation.get_language_bidi(),
            **(context or {}),
            # allauth's templates name the site through ``current_site``.
            "current_site": site,
        }
        subject = render_to_string(f"{template_prefix}_subject.txt", values)
        text = render_to_string(f"{template_prefix}_message.txt", values).strip()
        try:
            html = render_to_string(f"{template_prefix}_message.html", values)
        except TemplateDoesNotExist:
            bare = render_to_string(
                f"{template_prefix}_message.txt", {**values, "bare": True}
            ).strip()
            html = render_to_string(
                "emails/text_message.html", {**values, "text": bare}
            )
        subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=f"[{site.name}] {subject}",
        body=text + "\n",
        from_email=from_email(site.name),
        to=[address],
    )
    message.attach_alternative(html, "text/html")
    if idempotency_key:
        message.idempotency_key = idempotency_key
    return message


def send_templated_email(
    to_user,
    template_prefix: str,
    context: dict[str, Any] | None = None,
    *,
    idempotency_key: str | None = None,
    email: str | None = None,
    language: str | None = None,
    connection=None,
) -> int:
    """Render (``render_templated_email``) and send one message; returns how many
    were sent or queued (0 when the outbox already holds ``idempotency_key``)."""
    message = render_templated_email(
        to_user,
        template_prefix,
        context,
        email=email,
        language=language,
        idempotency_key=idempotency_key,
    )
    if connection is not None:
        message.connection = connection
    return message.send()

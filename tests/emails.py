"""What the e-mail tests share: the portal name they set, the queued backend that
delivers into Django's outbox, and a message's HTML part."""

from django.test import override_settings

PORTAL = "Anti-Trafficking Training Portal"

QUEUED = override_settings(
    EMAIL_BACKEND="core.mail.QueuedEmailBackend",
    TADREEB_EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)


def html_of(message) -> str:
    (html,) = [body for body, kind in message.alternatives if kind == "text/html"]
    return html

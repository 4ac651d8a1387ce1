"""The certificate officers' panel on the admin dashboard: find a certificate by
code or name, the latest certificates issued and the latest revoked.

Other apps add their own sections to this panel (pending name corrections, for
instance) without importing this module: they register a function for the
Wagtail hook ``CERTIFICATE_DESK_SECTIONS_HOOK`` that takes the request and returns
a ``wagtail.admin.ui.components.Component`` to show, or ``None`` when it has
nothing for this person. Sections are shown under the search, in ``order``
(attribute of the component, default 100), before the two lists.
"""

from __future__ import annotations

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from ..models import Certificate

# The hook other apps register their sections for (see the module docstring).
CERTIFICATE_DESK_SECTIONS_HOOK = "register_certificate_desk_section"

# What the panel lists, newest first.
RECENT = 5

PERMISSION = "certificates.revoke_certificate"


def may_see_certificate_desk(request) -> bool:
    """Those who revoke and re-issue certificates (and superusers)."""
    return request.user.has_perm(PERMISSION)


def recent_issues(limit: int = RECENT):
    return Certificate.objects.only(
        "pk",
        "code",
        "name_en",
        "name_ar",
        "course_title",
        "course_title_ar",
        "issued_at",
    ).order_by("-issued_at")[:limit]


def recent_revocations(limit: int = RECENT):
    return (
        Certificate.objects.filter(revoked_at__isnull=False)
        .only(
            "pk",
            "code",
            "name_en",
            "name_ar",
            "revoked_at",
            "revocation_reason",
            "superseded_by",
        )
        .order_by("-revoked_at")[:limit]
    )


def desk_sections(request) -> list[Component]:
    sections = [
        section
        for hook in hooks.get_hooks(CERTIFICATE_DESK_SECTIONS_HOOK)
        if (section := hook(request)) is not None
    ]
    return sorted(sections, key=lambda section: getattr(section, "order", 100))


class CertificateDeskPanel(Component):
    name = "certificate_desk"
    template_name = "certificates/admin/desk_panel.html"
    # Before Wagtail's own panels (pages in workflow, recent edits: 100 and up).
    order = 80

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return {
            "request": self.request,
            "search_url": reverse("issued_certificates:index"),
            "sections": desk_sections(self.request),
            "issued": list(recent_issues()),
            "revoked": list(recent_revocations()),
        }


def add_certificate_desk_panel(request, panels) -> None:
    if may_see_certificate_desk(request):
        panels.append(CertificateDeskPanel(request))

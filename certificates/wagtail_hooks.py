"""Admin wiring for certificates: registers the Certificates menu (issued
certificates and designs), the certificate officers' dashboard panel and the
audit-log actions. The ViewSets, views and panel live in ``certificates.admin``."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from core.admin import ReadOnlyPermissionPolicy

from .admin.corrections import add_pending_name_corrections_panel
from .admin.panels import add_certificate_desk_panel
from .admin.viewsets import CertificatesViewSetGroup
from .models import Certificate

# Certificates are records: read, revoked and re-issued, never edited or deleted.
register_permission_policy(
    Certificate, ReadOnlyPermissionPolicy(Certificate), exact_class=True
)


# Find a certificate, the latest issued and revoked (certificate officers).
hooks.register("construct_homepage_panels", add_certificate_desk_panel)


@hooks.register("register_admin_viewset")
def register_certificate_viewsets():
    return CertificatesViewSetGroup()


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(
        "certificates.revoke", _("Revoke certificate"), _("Certificate revoked")
    )
    actions.register_action(
        "certificates.reissue", _("Re-issue certificate"), _("Certificate re-issued")
    )
    actions.register_action(
        "accounts.name_correction.request",
        _("Request a name correction"),
        _("Name correction requested"),
    )
    actions.register_action(
        "accounts.name_correction.approve",
        _("Approve a name correction"),
        _("Name correction approved"),
    )
    actions.register_action(
        "accounts.name_correction.reject",
        _("Reject a name correction"),
        _("Name correction rejected"),
    )


hooks.register("construct_homepage_panels", add_pending_name_corrections_panel)

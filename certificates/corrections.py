"""Name corrections: an officer asks (``accounts.services.change_names``) to change
names already printed on a valid certificate; the ministry's focal point or a
certificate officer approves or rejects it here.

Approval changes the account's names and re-issues each valid certificate with the
corrected name through ``services.reissue`` (the old one superseded, as for any
re-issue). Every decision stays on the request (who, when, a note) and in the audit
log; nothing is deleted. The officer is told on the profile page and by e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts import access
from accounts.models import NameCorrectionRequest, NameCorrectionState, User
from accounts.services import language_of

from . import services
from .models import Certificate


@dataclass(frozen=True)
class CorrectionDecision:
    """A decided request and the certificates issued with the corrected name."""

    request: NameCorrectionRequest
    reissued: tuple[Certificate, ...] = ()


def names_are_printed(sender, user: User, **kwargs) -> bool:
    """Answer to ``accounts.services.names_printed``: the user holds a valid
    certificate, which prints their names."""
    return Certificate.objects.valid().filter(user=user).exists()


def pending_for(user: User):
    """The pending requests ``user`` may decide, oldest first (the admin panel)."""
    return access.name_corrections_decidable_by(user).pending().order_by("created_at")


def _locked_pending(request: NameCorrectionRequest, by: User) -> NameCorrectionRequest:
    """The request, locked, if ``by`` may decide it and it still waits; a request
    of another ministry is as good as absent (``DoesNotExist``)."""
    locked = (
        access.name_corrections_decidable_by(by)
        .select_for_update(of=("self",))
        .get(pk=request.pk)
    )
    if not locked.is_pending:
        raise services.CertificateRefused(
            _("This name correction has already been decided.")
        )
    return locked


def approve(
    request: NameCorrectionRequest, by: User, note: str = ""
) -> CorrectionDecision:
    """Change the officer's names and re-issue each valid certificate with them;
    one transaction."""
    with transaction.atomic():
        locked = _locked_pending(request, by)
        officer = User.objects.select_for_update().get(pk=locked.officer_id)
        officer.full_name_en = locked.new_name_en
        officer.full_name_ar = locked.new_name_ar
        officer.save(update_fields=["full_name_en", "full_name_ar"])
        reissue_note = note.strip() or _("Name corrected at the officer's request.")
        reissued = tuple(
            services.reissue(certificate, by, reissue_note)
            for certificate in Certificate.objects.valid().filter(user=officer)
        )
        _decide(locked, by, NameCorrectionState.APPROVED, note)
        log(
            locked,
            "accounts.name_correction.approve",
            user=by,
            data={"reissued": [c.code for c in reissued]},
        )
        transaction.on_commit(lambda: _tell_officer(locked))
    return CorrectionDecision(locked, reissued)


def reject(request: NameCorrectionRequest, by: User, note: str) -> CorrectionDecision:
    """Refuse the correction, saying why; the names and certificates stay."""
    note = note.strip()
    if not note:
        raise services.CertificateRefused(
            _("Say why the correction is rejected: the officer is told.")
        )
    with transaction.atomic():
        locked = _locked_pending(request, by)
        _decide(locked, by, NameCorrectionState.REJECTED, note)
        log(locked, "accounts.name_correction.reject", user=by)
        transaction.on_commit(lambda: _tell_officer(locked))
    return CorrectionDecision(locked)


def _decide(request: NameCorrectionRequest, by: User, state: str, note: str) -> None:
    request.state = state
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])


def _tell_officer(request: NameCorrectionRequest) -> None:
    """The decision by e-mail, in the officer's language, with a link to the
    profile page that shows it."""
    officer = request.officer
    language = language_of(officer)
    with translation.override(language):
        profile = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "account_profile"
        )
        if request.state == NameCorrectionState.APPROVED:
            subject = _("Your name correction has been approved")
            body = _(
                "Your name has been corrected to %(name_en)s / %(name_ar)s and your "
                "certificates have been re-issued with it. See your profile: "
                "%(url)s"
            )
        else:
            subject = _("Your name correction has been rejected")
            body = _(
                "Your name correction to %(name_en)s / %(name_ar)s has been "
                "rejected: %(note)s. See your profile: %(url)s"
            )
        send_mail(
            subject,
            body
            % {
                "name_en": request.new_name_en,
                "name_ar": request.new_name_ar,
                "note": request.decision_note,
                "url": profile,
            },
            None,
            [officer.email],
        )

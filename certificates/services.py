"""Rules for certificates: issuing (once per completed enrolment), rendering and
storing the PDF, verifying, revoking and re-issuing, expiry reminders, and who may
download a certificate."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Locale

from accounts import access
from accounts.models import Gender, User
from accounts.services import language_of
from core import emails
from core.dates import gregorian
from courses import services as course_services
from courses.models import Enrolment
from courses.services import refresh_reporting_facts
from quizzes.models import QuizAttempt

from .models import (
    STATEMENT_AR_FEMALE,
    STATEMENT_AR_MALE,
    STATEMENT_AR_NEUTRAL,
    Certificate,
    CertificateTemplate,
    RevocationReason,
    normalise_code,
)

logger = logging.getLogger(__name__)


class CertificateRefused(Exception):
    """The action on a certificate is not allowed; the message says why."""


# --- Issuing ----------------------------------------------------------------------


def on_enrolment_completed(sender, enrolment: Enrolment, **kwargs) -> None:
    """Completion hook (courses.signals.enrolment_completed)."""
    issue_certificate(enrolment)


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` some calendar months later (the 31st becomes the month's last
    day): when a certificate of a course valid for ``months`` expires."""
    return moment + relativedelta(months=months)


def design_for(course) -> CertificateTemplate | None:
    return (
        course.certificate_template
        or CertificateTemplate.objects.filter(is_default=True).first()
    )


def arabic_title(course) -> str:
    """The title of the course's live Arabic translation, or "" when it has none
    (an untranslated alias copy counts as none). ``course`` is the source page, to
    which the certificate belongs whatever language the officer read."""
    arabic = Locale.objects.filter(language_code="ar").first()
    if arabic is None:
        return ""
    if course.locale_id == arabic.pk:
        return course.title
    translation = course.get_translation_or_none(arabic)
    if translation is None or not translation.live or translation.alias_of_id:
        return ""
    return translation.title


def course_title_in(certificate: Certificate, language: str) -> str:
    """The certificate's course title in ``language`` (English when the course had
    no Arabic translation at issue)."""
    if language.startswith("ar") and certificate.course_title_ar:
        return certificate.course_title_ar
    return certificate.course_title


def issue_certificate(enrolment: Enrolment) -> Certificate:
    """Issue the certificate of a completed enrolment: one transaction, idempotent
    (the enrolment row is locked, and the database allows one current certificate
    per enrolment). Snapshots what is printed; the PDF is rendered afterwards by a
    background task."""
    try:
        with transaction.atomic():
            locked = (
                Enrolment.objects.select_for_update(of=("self",))
                .select_related("user__ministry", "course")
                .get(pk=enrolment.pk)
            )
            current = Certificate.objects.current().filter(enrolment=locked).first()
            if current is not None:
                return current
            if locked.completed_at is None:
                raise CertificateRefused(_("The course is not completed yet."))
            certificate = _new_certificate(locked)
            refresh_reporting_facts(Enrolment.objects.filter(pk=locked.pk))
            transaction.on_commit(lambda: _enqueue_render(certificate.pk))
            return certificate
    except IntegrityError:
        return Certificate.objects.current().get(enrolment=enrolment)


def _new_certificate(enrolment: Enrolment, **overrides) -> Certificate:
    user, course = enrolment.user, enrolment.course
    issued_at = timezone.now()
    months = course.certificate_validity_months
    best = QuizAttempt.objects.filter(enrolment=enrolment, passed=True).aggregate(
        best=Max("percent")
    )["best"]
    values = {
        "user": user,
        "course": course,
        "enrolment": enrolment,
        "template": design_for(course),
        "name_en": user.full_name_en,
        "name_ar": user.full_name_ar,
        "course_title": course.title,
        "course_title_ar": arabic_title(course),
        "gender": user.gender or Gender.UNDISCLOSED,
        "ministry_en": user.ministry.name_en if user.ministry else "",
        "ministry_ar": user.ministry.name_ar if user.ministry else "",
        "score": best,
        "content_version": enrolment.completed_revision_id,
        "issued_at": issued_at,
        "expires_at": add_months(issued_at, months) if months else None,
    }
    values.update(overrides)
    return Certificate.objects.create(**values)


def _enqueue_render(certificate_id) -> None:
    from .tasks import render_certificate_task

    render_certificate_task.enqueue(str(certificate_id))


# --- The PDF ----------------------------------------------------------------------


def verify_url(certificate: Certificate) -> str:
    """The address printed on the certificate and in its QR code: without a
    language prefix, so that whoever scans it reads the result in their own
    language (the site redirects ``/verify/<code>/`` to ``/ar/…`` or ``/en/…``)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    source = settings.LANGUAGE_CODE
    with translation.override(source):
        path = reverse("certificates:verify_code", args=[certificate.code])
    return base + path.removeprefix(f"/{source}")


def certificate_content(certificate: Certificate):
    """What the PDF prints, from the snapshot and the design."""
    from .rendering import CertificateContent, CertificateDesign, Signatory

    design = certificate.template
    signatories = ()
    if design is not None:
        signatories = tuple(
            Signatory(
                name_en=s.name_en,
                title_en=s.title_en,
                name_ar=s.name_ar,
                title_ar=s.title_ar,
                signature_png=_image_png(s.signature),
            )
            for s in design.signatories.all()
        )
    return CertificateContent(
        code=certificate.code,
        name_en=certificate.name_en,
        name_ar=certificate.name_ar,
        course_en=certificate.course_title,
        course_ar=certificate.course_title_ar,
        gender=certificate.gender,
        ministry_en=certificate.ministry_en,
        ministry_ar=certificate.ministry_ar,
        verify_url=verify_url(certificate),
        issued_on=timezone.localdate(certificate.issued_at),
        expires_on=(
            timezone.localdate(certificate.expires_at)
            if certificate.expires_at
            else None
        ),
        design=CertificateDesign(
            title_en=design.title_en if design else "Certificate of completion",
            title_ar=design.title_ar if design else "شهادة إتمام",
            statement_en=design.statement_en if design else "has completed the course",
            statement_ar=design.statement_ar if design else STATEMENT_AR_MALE,
            statement_ar_female=(
                design.statement_ar_female if design else STATEMENT_AR_FEMALE
            ),
            statement_ar_neutral=(
                design.statement_ar_neutral if design else STATEMENT_AR_NEUTRAL
            ),
            show_hijri=design.show_hijri if design else True,
            signatories=signatories,
            logo_png=_image_png(design.logo) if design else None,
            accent_colour=design.accent_colour if design else "#0b5563",
        ),
    )


def _image_png(image) -> bytes | None:
    if image is None:
        return None
    rendition = image.get_rendition("max-600x300|format-png")
    with rendition.file.open("rb") as handle:
        return handle.read()


def render_certificate(certificate: Certificate, *, force: bool = False) -> Certificate:
    """Render, sign (when a key is configured) and store the PDF with its SHA-256.
    An issued PDF is a record: it is kept unless ``force``."""
    from . import rendering, signing

    if certificate.pdf and certificate.pdf_sha256 and not force:
        return certificate
    pdf = rendering.render_pdf(certificate_content(certificate))
    if signing.signing_configured():
        pdf = signing.sign_pdf(pdf)
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.pdf and locked.pdf_sha256 and not force:
            return locked
        locked.pdf.save(f"{locked.code}.pdf", ContentFile(pdf), save=False)
        locked.pdf_sha256 = digest
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf", "pdf_sha256", "pdf_rendered_at"])
    logger.info("Certificate PDF stored: %s", locked.pk)
    return locked


def sign_stored_pdf(certificate: Certificate) -> bool:
    """Sign a stored PDF that was rendered while no key was configured: the same
    bytes with the signature appended, stored with the new SHA-256. Returns whether
    it signed; a signed (or missing) PDF is left alone. Raises ``CertificateRefused``
    when the stored file cannot be read or no longer matches its recorded SHA-256
    (it is a record: signing it would vouch for changed bytes)."""
    from . import signing

    if not signing.signing_configured():
        return False
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not (locked.pdf and locked.pdf_sha256):
            return False
        try:
            with locked.pdf.open("rb") as handle:
                stored = handle.read()
        except OSError as error:
            raise CertificateRefused(
                _("The stored PDF of %(code)s cannot be read: %(error)s")
                % {"code": locked.code, "error": error}
            ) from error
        if signing.has_signature(stored):
            return False
        if hashlib.sha256(stored).hexdigest() != locked.pdf_sha256:
            raise CertificateRefused(
                _(
                    "The stored PDF of %(code)s does not match its recorded SHA-256; "
                    "it was not signed."
                )
                % {"code": locked.code}
            )
        signed = signing.sign_pdf(stored)
        unsigned_name = locked.pdf.name
        locked.pdf.save(f"{locked.code}.pdf", ContentFile(signed), save=False)
        locked.pdf_sha256 = hashlib.sha256(signed).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256"])
        # The unsigned copy holds nothing the signed one lacks.
        storage = locked.pdf.storage
        transaction.on_commit(lambda: storage.delete(unsigned_name))
    logger.info("Certificate PDF signed: %s", locked.pk)
    return True


# --- Verification ------------------------------------------------------------------


@dataclass
class Verification:
    status: str  # valid, expired, revoked or not_found
    certificate: Certificate | None
    replacement: Certificate | None = None


def verify(raw_code: str) -> Verification:
    code = normalise_code(raw_code)
    certificate = (
        Certificate.objects.select_related("superseded_by").filter(code=code).first()
        if code
        else None
    )
    if certificate is None:
        return Verification("not_found", None)
    return Verification(
        certificate.status(), certificate, replacement=certificate.superseded_by
    )


def file_matches(certificate: Certificate, data: bytes) -> bool:
    return bool(certificate.pdf_sha256) and (
        hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    )


# --- Revocation and re-issue ------------------------------------------------------


def revoke(
    certificate: Certificate,
    by: User | None,
    reason: str,
    note: str = "",
) -> Certificate:
    if reason not in RevocationReason.values:
        raise CertificateRefused(_("Choose a reason for the revocation."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise CertificateRefused(_("This certificate is already revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revocation_reason = reason
        locked.revocation_note = note
        locked.save(
            update_fields=[
                "revoked_at", "revoked_by", "revocation_reason", "revocation_note"
            ]
        )  # fmt: skip
        refresh_reporting_facts(Enrolment.objects.filter(pk=locked.enrolment_id))
        log(
            locked,
            "certificates.revoke",
            user=by,
            data={"reason": reason, "note": note},
        )
    return locked


def reissue(
    certificate: Certificate,
    by: User | None,
    note: str = "",
    *,
    name_en: str | None = None,
    name_ar: str | None = None,
) -> Certificate:
    """Issue a corrected certificate for the same enrolment; the old one is revoked
    as superseded and points to the new one. The names printed are the account's,
    unless ``name_en`` / ``name_ar`` correct them on this certificate."""
    names = {
        field: value.strip()
        for field, value in (("name_en", name_en), ("name_ar", name_ar))
        if value is not None
    }
    if any(not value for value in names.values()):
        raise CertificateRefused(
            _("The name printed on a certificate cannot be empty.")
        )
    with transaction.atomic():
        old = revoke(certificate, by, RevocationReason.SUPERSEDED, note)
        enrolment = (
            Enrolment.objects.select_related("user__ministry", "course")
            .select_for_update(of=("self",))
            .get(pk=old.enrolment_id)
        )
        new = _new_certificate(
            enrolment, issued_at=timezone.now(), expires_at=old.expires_at, **names
        )
        Certificate.objects.filter(pk=old.pk).update(superseded_by=new)
        refresh_reporting_facts(Enrolment.objects.filter(pk=enrolment.pk))
        old.superseded_by = new
        data = {"replaces": old.code}
        if (old.name_en, old.name_ar) != (new.name_en, new.name_ar):
            data["name_corrected"] = True
        log(new, "certificates.reissue", user=by, data=data)
        transaction.on_commit(lambda: _enqueue_render(new.pk))
    return new


# --- Access ----------------------------------------------------------------------


def can_download(user: User, certificate: Certificate) -> bool:
    """The owner, focal points of the owner's ministry, the national committee,
    certificate officers and superusers: ``accounts.access`` decides."""
    return access.may_see_certificate_of(user, certificate.user)


# --- Expiry reminders ---------------------------------------------------------------


REMINDER_DAYS = (60, 14)


def send_expiry_reminders(now: datetime | None = None) -> int:
    """E-mail officers 60 and 14 days before a certificate expires; each reminder
    once (safe to run from cron as often as wanted). Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for days in REMINDER_DAYS:
        field = f"reminder_{days}_sent_at"
        due = (
            Certificate.objects.valid(now)
            .filter(
                expires_at__lte=now + timedelta(days=days),
                **{f"{field}__isnull": True},
            )
            .select_related("user")
        )
        for certificate in due:
            with transaction.atomic():
                claimed = Certificate.objects.filter(
                    pk=certificate.pk, **{f"{field}__isnull": True}
                ).update(**{field: now})
                if not claimed:
                    continue
                _send_expiry_reminder(certificate, days)
                sent += 1
    return sent


def _send_expiry_reminder(certificate: Certificate, days: int) -> None:
    """The reminder in the officer's language, subject included; once per
    certificate and reminder (the outbox keeps the key)."""
    user = certificate.user
    language = language_of(user)
    emails.send_templated_email(
        user,
        "emails/certificate_expiry",
        {
            "code": certificate.code,
            "course_title": course_title_in(certificate, language),
            "expires_on": gregorian(certificate.expires_at, language),
            "course_url": _course_url(certificate, language),
        },
        language=language,
        idempotency_key=f"certificate:{certificate.pk}:expiry:{days}",
    )


def _course_url(certificate: Certificate, language: str) -> str:
    """The certificate's course page in ``language``, for e-mails ("" if gone)."""
    course = course_services.version_in(certificate.course, language)
    with translation.override(language):
        url = course.get_url() if course is not None and course.live else ""
    return emails.absolute_url(url or "")


# --- The "certificate issued" e-mail ------------------------------------------------


def _code_html(code: str) -> str:
    return format_html('<bdi dir="ltr" style="white-space:nowrap">{}</bdi>', code)


def send_issued_email(certificate: Certificate) -> int:
    """Tell the officer a certificate was issued (or re-issued, replacing another):
    links to the PDF and to the verification page, in the officer's language. Once
    per certificate (outbox key ``certificate:<id>:issued``); nothing for a
    certificate revoked before the e-mail went, or to a deactivated account.
    Returns how many were queued."""
    certificate = Certificate.objects.select_related("user").get(pk=certificate.pk)
    user = certificate.user
    if certificate.revoked_at is not None or not user.is_active:
        return 0
    language = language_of(user)
    replaced = Certificate.objects.filter(superseded_by=certificate).first()
    with translation.override(language):
        download = reverse("certificates:download", args=[certificate.code])
        verify_page = reverse("certificates:verify_code", args=[certificate.code])
    return emails.send_templated_email(
        user,
        "emails/certificate_issued",
        {
            "code": certificate.code,
            "course_title": course_title_in(certificate, language),
            "expires_on": gregorian(certificate.expires_at, language)
            if certificate.expires_at
            else "",
            "replaces_code": replaced.code if replaced else "",
            # The HTML part keeps each code whole, left to right, in Arabic text.
            "code_html": _code_html(certificate.code),
            "replaces_code_html": _code_html(replaced.code) if replaced else "",
            "download_url": emails.absolute_url(download),
            "verify_url": emails.absolute_url(verify_page),
        },
        language=language,
        idempotency_key=f"certificate:{certificate.pk}:issued",
    )


def certificates_of(user: User) -> list[Certificate]:
    """The officer's certificates for the dashboard: current ones first."""
    return sorted(
        Certificate.objects.filter(user=user).select_related("superseded_by"),
        key=lambda c: (c.revoked_at is not None, -c.issued_at.timestamp()),
    )


SAMPLE_NAMES_AR = {
    Gender.MALE: "اسم الموظف التجريبي",
    Gender.FEMALE: "اسم الموظفة التجريبية",
    Gender.UNDISCLOSED: "الاسم التجريبي",
}


def sample_pdf(design: CertificateTemplate, gender: str = Gender.MALE) -> bytes:
    """A certificate in ``design`` with sample details, for the design preview;
    ``gender`` picks the Arabic variant shown."""
    from . import rendering

    if gender not in SAMPLE_NAMES_AR:
        raise CertificateRefused(_("Unknown gender for the sample certificate."))
    sample = Certificate(
        code="TDRB-SAMPL-E0000-00000-00000",
        template=design,
        name_en="Sample Officer Name",
        name_ar=SAMPLE_NAMES_AR[gender],
        gender=gender,
        course_title="Identifying victims of trafficking",
        course_title_ar="التعرّف على ضحايا الاتجار بالأشخاص",
        ministry_en="Ministry of Interior",
        ministry_ar="وزارة الداخلية",
        issued_at=timezone.now(),
        expires_at=add_months(timezone.now(), 24),
    )
    return rendering.render_pdf(certificate_content(sample))

"""Render the PDFs that are missing and sign the stored ones rendered while no key
was configured. An issued PDF is a record: it is re-rendered only with --force;
signing appends a signature to the same bytes, so it needs no --force."""

from django.core.management.base import BaseCommand, CommandError

from certificates import services, signing
from certificates.models import Certificate


class Command(BaseCommand):
    help = (
        "Render missing certificate PDFs and sign stored unsigned ones when a signing "
        "key is configured (--force: re-render issued ones too)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Also replace issued PDFs."
        )
        parser.add_argument(
            "--sign-only",
            action="store_true",
            help="Only sign stored unsigned PDFs; render none (`make run` uses it, "
            "since demo PDFs are otherwise rendered on first download).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many PDFs would be rendered or signed; change nothing.",
        )

    def handle(self, *args, force=False, sign_only=False, dry_run=False, **options):
        if force and sign_only:
            raise CommandError("--force and --sign-only exclude each other.")
        if not sign_only:
            self._render(force, dry_run)
        if not force:
            self._sign_unsigned(dry_run)

    def _render(self, force: bool, dry_run: bool) -> None:
        certificates = Certificate.objects.all()
        if not force:
            certificates = certificates.filter(pdf_sha256="")
        total = certificates.count()
        if dry_run:
            self.stdout.write(f"{total} PDFs would be rendered.")
            return
        for done, certificate in enumerate(certificates.iterator(), start=1):
            services.render_certificate(certificate, force=force)
            self.stdout.write(f"\r{done}/{total}", ending="")
        self.stdout.write(self.style.SUCCESS(f"\n{total} PDFs rendered."))

    def _sign_unsigned(self, dry_run: bool) -> None:
        if not signing.signing_configured():
            self.stdout.write(
                "Signing is not configured (CERTIFICATES_SIGNING_KEY and "
                "CERTIFICATES_SIGNING_CERT): stored PDFs stay unsigned."
            )
            return
        stored = Certificate.objects.exclude(pdf_sha256="").exclude(pdf="")
        if dry_run:
            unsigned = sum(
                1 for certificate in stored.iterator() if not _is_signed(certificate)
            )
            self.stdout.write(f"{unsigned} stored PDFs would be signed.")
            return
        total, signed, refused = stored.count(), 0, 0
        for done, certificate in enumerate(stored.iterator(), start=1):
            try:
                signed += services.sign_stored_pdf(certificate)
            except services.CertificateRefused as refusal:
                refused += 1
                self.stderr.write(f"\n{refusal}")
            self.stdout.write(f"\r{done}/{total}", ending="")
        self.stdout.write(self.style.SUCCESS(f"\n{signed} stored PDFs signed."))
        if refused:
            raise CommandError(f"{refused} stored PDFs were not signed (see above).")


def _is_signed(certificate: Certificate) -> bool:
    try:
        with certificate.pdf.open("rb") as handle:
            return signing.has_signature(handle.read())
    except OSError:
        return False  # counted: signing will report it

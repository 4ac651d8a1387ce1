"""Render the PDFs that are missing. An issued PDF is a record: it is replaced only
with --force."""

from django.core.management.base import BaseCommand

from certificates import services
from certificates.models import Certificate


class Command(BaseCommand):
    help = "Render missing certificate PDFs (--force: re-render issued ones too)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Also replace issued PDFs."
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, force=False, dry_run=False, **options):
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

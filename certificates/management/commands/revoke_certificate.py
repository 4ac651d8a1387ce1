"""Revoke a certificate by its code, with a reason."""

from django.core.management.base import BaseCommand, CommandError

from certificates import services
from certificates.models import RevocationReason


class Command(BaseCommand):
    help = "Revoke a certificate (it is kept, marked revoked, with the reason)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The certificate code, as printed.")
        parser.add_argument(
            "--reason",
            required=True,
            # "superseded" is set by re-issuing, which names the replacement.
            choices=[r for r in RevocationReason.values if r != "superseded"],
        )
        parser.add_argument("--note", default="", help="Why, for the record.")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, code, reason, note, dry_run=False, **options):
        result = services.verify(code)
        if result.certificate is None:
            raise CommandError(f"No certificate has the code {code!r}.")
        if dry_run:
            self.stdout.write(f"Would revoke {result.certificate.code} ({reason}).")
            return
        try:
            services.revoke(result.certificate, None, reason, note)
        except services.CertificateRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(self.style.SUCCESS(f"Revoked {result.certificate.code}."))

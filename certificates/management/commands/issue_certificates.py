"""Issue certificates for completed enrolments that have none (a backfill)."""

from django.core.management.base import BaseCommand

from certificates import services
from certificates.models import Certificate
from courses.models import Enrolment


class Command(BaseCommand):
    help = "Issue the missing certificates of completed enrolments."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count them; issue nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        missing = Enrolment.objects.filter(completed_at__isnull=False).exclude(
            pk__in=Certificate.objects.values("enrolment_id")
        )
        total = missing.count()
        if dry_run:
            self.stdout.write(f"{total} completed enrolments have no certificate.")
            return
        for done, enrolment in enumerate(missing.iterator(), start=1):
            services.issue_certificate(enrolment)
            if done % 50 == 0 or done == total:
                self.stdout.write(f"\r{done}/{total} issued", ending="")
                self.stdout.flush()
        self.stdout.write(self.style.SUCCESS(f"\n{total} certificates issued."))

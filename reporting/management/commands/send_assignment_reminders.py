"""E-mail officers whose assigned course is due within a week and not completed.
Idempotent: run it from cron as often as you like; each officer is reminded once
per due date."""

from django.core.management.base import BaseCommand, CommandError

from reporting import services


class Command(BaseCommand):
    help = (
        "Remind officers whose assigned course is due within --days days (7 by "
        "default) and not completed. Each reminder goes once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=services.REMINDER_DAYS,
            help="Remind when the due date is at most this many days away (0-365).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the reminders that would be sent; send nothing.",
        )

    def handle(self, *args, days, dry_run, **options):
        if not 0 <= days <= 365:
            raise CommandError("--days must be between 0 and 365.")
        count = services.send_assignment_reminders(days=days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} reminders would be sent (dry run).")
        else:
            self.stdout.write(self.style.SUCCESS(f"{count} reminders sent."))

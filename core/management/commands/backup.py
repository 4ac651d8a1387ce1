"""Write one archive of the database, the uploaded media and the private certificate
files, with a manifest of checksums (core/backup.py). The signing key is never in it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump), every storage's files and a manifest with "
        "checksums into one .tar.gz. The signing key is not included: keep it apart."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Archive to write (default: backups/tadreeb-<UTC time>.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        try:
            summary = backup.backup(output or backup.default_output())
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {summary.path} ({summary.size} bytes): the {summary.database} "
                f"database and {summary.files} files. The signing key is not in it."
            )
        )

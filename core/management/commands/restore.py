"""Read an archive made by `manage.py backup` into an empty database and empty
storages, after checking every checksum (core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and empty storages. Every "
        "checksum is checked first; nothing is touched if one differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar.gz made by backup.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive's checksums; restore nothing.",
        )

    def handle(self, *args, archive, check=False, **options):
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        try:
            if check:
                manifest = backup.verify(archive)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{archive} is intact: the {manifest['database']['vendor']} "
                        f"database and {len(manifest['files'])} files."
                    )
                )
                return
            summary = backup.restore(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {summary.database} database and {summary.files} files "
                f"from {archive}. Put the signing key back in place before issuing."
            )
        )

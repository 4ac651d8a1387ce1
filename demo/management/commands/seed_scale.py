"""``manage.py seed_scale``: fill a database with generated officers and their
training history, for the statistics benchmark (``bench/stats.py``)."""

from django.core.management.base import BaseCommand, CommandError

from demo.seeding import SEED_EMAIL_PREFIX, SeedRefused, seed_scale


class Command(BaseCommand):
    help = (
        "Add generated officers (e-mail addresses starting with "
        f"'{SEED_EMAIL_PREFIX}'), generated courses and a realistic mix of "
        "enrolments, quiz attempts, certificates, assignments and renewals, in bulk. "
        "Refused on a database holding users it did not generate, unless --force. "
        "Run it again to add more officers. For benchmarks only: the officers are "
        "fictitious and cannot sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--officers",
            type=int,
            required=True,
            help="Number of officers to add (at least 1).",
        )
        parser.add_argument(
            "--courses",
            type=int,
            default=10,
            help="Number of generated courses they enrol in (default 10).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (default 1)."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Officers written per batch (default 5000).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds users seed_scale did not make.",
        )

    def handle(self, *args, officers, courses, seed, batch_size, force, **options):
        for name, value in (
            ("--officers", officers),
            ("--courses", courses),
            ("--batch-size", batch_size),
        ):
            if value < 1:
                raise CommandError(f"{name} must be at least 1 (got {value}).")
        if courses > 99:
            raise CommandError(f"--courses must be at most 99 (got {courses}).")
        try:
            totals = seed_scale(
                officers=officers,
                courses=courses,
                seed=seed,
                batch_size=batch_size,
                force=force,
                progress=self.stderr if options["verbosity"] > 0 else None,
            )
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] == 0:
            return
        out = self.stdout.write
        out(
            f"Ministries: {totals.ministries}; courses: {totals.courses} "
            f"({totals.courses_created} created); assignments: {totals.assignments}."
        )
        out(f"Officers: {totals.officers:,} ({totals.verified:,} verified).")
        out(
            f"Enrolments: {totals.enrolments:,} (of which renewals: "
            f"{totals.renewals:,}); not started {totals.not_started:,}, in progress "
            f"{totals.in_progress:,}, completed {totals.completed:,}, overdue "
            f"{totals.overdue:,}."
        )
        out(
            f"Lesson completions: {totals.lesson_completions:,}; quiz attempts: "
            f"{totals.quiz_attempts:,} ({totals.quiz_passed:,} passed)."
        )
        out(
            f"Certificates: {totals.certificates:,} (valid {totals.valid:,}, "
            f"expired {totals.expired:,}, revoked {totals.revoked:,})."
        )
        out(
            "Time: "
            + ", ".join(f"{name} {secs:.1f}s" for name, secs in totals.timings.items())
            + "."
        )
        self.stdout.write(self.style.SUCCESS("Generated data added."))

from django.core.management.base import BaseCommand

from core import scheduling
from core.models import ScheduledJobRun


class Command(BaseCommand):
    help = (
        "Enqueue each scheduled job whose current period has not run yet (once per "
        "period whatever the number of machines running this). --list shows the jobs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Show the jobs and their last runs."
        )

    def handle(self, *args, **options):
        if options["list"]:
            for job in scheduling.jobs():
                last = (
                    ScheduledJobRun.objects.filter(job=job.name)
                    .order_by("-period_start")
                    .first()
                )
                when = (
                    last.claimed_at.isoformat(timespec="seconds") if last else "never"
                )
                self.stdout.write(f"{job.name}\tevery {job.every}\tlast run: {when}")
            return
        enqueued = scheduling.run_due_jobs()
        for name in enqueued:
            self.stdout.write(f"Enqueued {name}")
        if not enqueued:
            self.stdout.write("Nothing due")

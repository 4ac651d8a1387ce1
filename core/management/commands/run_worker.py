"""``manage.py run_worker``: django-tasks-db's worker, plus a heartbeat and the
reclaim of tasks left RUNNING by a dead worker (core/tasks.py).

SIGTERM (or Ctrl-C) lets the current task finish, then the worker exits; a second
signal stops it at once. A worker killed outright leaves its task RUNNING: started
again under the same --worker-id it runs the task again at once, otherwise any
worker does so once the dead one has been silent for TADREEB_TASK_STALE_SECONDS.
"""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from core import tasks
from core.models import TaskWorker

logger = logging.getLogger("core.tasks")


class HeartbeatWorker(db_worker.Worker):
    """A django-tasks-db Worker that reports it is alive and gives back the tasks
    of workers that are not."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._stop = threading.Event()
        self.heartbeat_seconds = max(1.0, settings.TADREEB_TASK_STALE_SECONDS / 3)

    def _heartbeat(self):
        try:
            while not self._stop.wait(self.heartbeat_seconds):
                try:
                    tasks.beat(self.worker_id)
                    tasks.reclaim()
                except Exception:
                    logger.exception("Heartbeat of worker %s failed", self.worker_id)
                finally:
                    close_old_connections()
        finally:
            connection.close()

    def run(self):
        # Anything RUNNING under our id was left by our previous life.
        tasks.reclaim(own_worker_id=self.worker_id)
        tasks.beat(self.worker_id)
        thread = threading.Thread(
            target=self._heartbeat, name="task-heartbeat", daemon=True
        )
        thread.start()
        try:
            super().run()
        finally:
            self._stop.set()
            thread.join(timeout=self.heartbeat_seconds + 5)
            TaskWorker.objects.filter(worker_id=self.worker_id).delete()


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


class Command(db_worker.Command):
    help = (
        "Run the background task worker (django-tasks-db's db_worker with a "
        "heartbeat, retries and the reclaim of tasks left by dead workers)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=default_worker_id(), reload=False)

    def handle(self, *, verbosity, **options):
        self.configure_logging(verbosity)
        queue_names = options["queue_name"].split(",")
        excluded = (
            options["exclude_queues"].split(",") if options["exclude_queues"] else []
        )
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError(
                "--exclude-queues can only be used with --queue-name=*"
            )
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

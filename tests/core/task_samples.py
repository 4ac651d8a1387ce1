"""Tasks for the background-task tests (not collected: no test_ prefix)."""

from django.core.cache import cache
from django_tasks import task


class Broken(Exception):
    pass


@task()
def always_fails(label: str) -> None:
    raise Broken(f"broken {label}")


@task()
def counts(label: str) -> int:
    runs = cache.get(f"runs:{label}", 0) + 1
    cache.set(f"runs:{label}", runs)
    return runs


@task()
def sleeps(seconds: float) -> float:
    import time

    time.sleep(seconds)
    return seconds

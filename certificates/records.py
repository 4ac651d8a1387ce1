"""The certificates held by pages (courses) and accounts, for the refusal to delete
(``courses.records``). Connected in ``apps.py``."""

from __future__ import annotations

from courses.records import counts_by

from .models import Certificate


def page_records(sender, page_ids, **kwargs) -> dict[str, dict[int, int]]:
    return {
        "certificates": counts_by(
            Certificate.objects.filter(course_id__in=page_ids), "course_id"
        )
    }


def user_records(sender, user_ids, **kwargs) -> dict[str, dict[int, int]]:
    return {
        "certificates": counts_by(
            Certificate.objects.filter(user_id__in=user_ids), "user_id"
        )
    }

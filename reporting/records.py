"""The assignments that hold a course page, for the refusal to delete
(``courses.records``). Connected in ``apps.py``."""

from __future__ import annotations

from courses.records import counts_by

from .models import Assignment


def page_records(sender, page_ids, **kwargs) -> dict[str, dict[int, int]]:
    return {
        "assignments": counts_by(
            Assignment.objects.filter(course_id__in=page_ids), "course_id"
        )
    }

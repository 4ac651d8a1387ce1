"""Demo course content for ``manage.py load_demo``: a catalogue page, topics and one
small course with two lessons. Idempotent: pages are found by slug and updated only
when their content changed."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page

from .models import CourseIndexPage, CoursePage, LessonPage, Topic


def _save_page(parent: Page, model, slug: str, values: dict, m2m: dict | None = None):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    m2m = m2m or {}
    if page is None:
        page = model(slug=slug, **values)
        parent.add_child(instance=page)
        for name, items in m2m.items():
            getattr(page, name).set(items)
        page.save_revision().publish()
        return page
    changed = [f for f, v in values.items() if _raw(getattr(page, f)) != _raw(v)]
    for name, items in m2m.items():
        if {x.pk for x in getattr(page, name).all()} != {x.pk for x in items}:
            getattr(page, name).set(items)
            changed.append(name)
    if changed:
        for field in changed:
            if field in values:
                setattr(page, field, values[field])
        page.save_revision().publish()
    return page


def _raw(value):
    """Compare StreamField values by their JSON form."""
    raw = getattr(value, "raw_data", None)
    if raw is not None:
        return [{"type": b["type"], "value": b["value"]} for b in raw]
    return value


@transaction.atomic
def load_demo_course(data: dict, home: Page) -> CourseIndexPage:
    catalogue = data["catalogue"]
    index = _save_page(
        home,
        CourseIndexPage,
        catalogue["slug"],
        {"title": catalogue["title"], "introduction": catalogue["introduction"]},
    )
    topics = {}
    for row in data["topics"]:
        topic, _ = Topic.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"]}
        )
        topics[row["slug"]] = topic
    for course_data in data["courses"]:
        values = {
            key: course_data[key]
            for key in (
                "title",
                "summary",
                "learning_objectives",
                "audiences",
                "estimated_minutes",
                "certificate_validity_months",
            )
        }
        course = _save_page(
            index,
            CoursePage,
            course_data["slug"],
            values,
            m2m={"topics": [topics[slug] for slug in course_data["topics"]]},
        )
        for lesson in course_data["lessons"]:
            _save_page(
                course,
                LessonPage,
                lesson["slug"],
                {
                    "title": lesson["title"],
                    "estimated_minutes": lesson["estimated_minutes"],
                    "body": lesson["body"],
                },
            )
    return index

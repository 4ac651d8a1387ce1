"""Training records: what a page, a question or an account carries that must never be
lost by a click in the admin.

Enrolments, lesson completions, quiz attempts with their answers and certificates are
the evidence that an officer was trained. The foreign keys pointing at pages,
questions and accounts are ``PROTECT`` (the database-level backstop); the admin asks
``records_of`` before it deletes anything and explains a refusal instead of
answering 500 (``courses.admin``).

courses counts its own records (enrolments, lesson completions); the apps above it
add theirs through ``signals.page_records`` and ``signals.user_records`` (quiz
attempts, certificates, assignments), and register the other kinds of object that
carry records (the quizzes app: questions) with ``register_holder``.

The counts here are read from the tables themselves, not from Wagtail's reference
index: the index is what the "Usage" tab shows and is refreshed on save, while a
refusal must hold even for rows created in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils.translation import ngettext
from wagtail.models import Page, ReferenceIndex

from .models import Enrolment, LessonCompletion
from .signals import page_records, user_records


@dataclass(frozen=True)
class TrainingRecords:
    """How many records (and other protecting rows) hold on to what is deleted."""

    enrolments: int = 0
    lesson_completions: int = 0
    quiz_attempts: int = 0
    answers: int = 0
    certificates: int = 0
    # Not training records, but they hold a course or a question too (PROTECT).
    assignments: int = 0
    quiz_listings: int = 0

    @property
    def total(self) -> int:
        return sum(getattr(self, field.name) for field in fields(self))

    def __bool__(self) -> bool:
        return self.total > 0

    def lines(self) -> list[str]:
        """One phrase per kind of record held, for the refusal screen."""
        return [
            text
            for count, text in (
                (
                    self.enrolments,
                    ngettext(
                        "%(count)d enrolment", "%(count)d enrolments", self.enrolments
                    ),
                ),
                (
                    self.lesson_completions,
                    ngettext(
                        "%(count)d lesson completion",
                        "%(count)d lesson completions",
                        self.lesson_completions,
                    ),
                ),
                (
                    self.quiz_attempts,
                    ngettext(
                        "%(count)d quiz attempt",
                        "%(count)d quiz attempts",
                        self.quiz_attempts,
                    ),
                ),
                (
                    self.answers,
                    ngettext(
                        "%(count)d answer in quiz attempts",
                        "%(count)d answers in quiz attempts",
                        self.answers,
                    ),
                ),
                (
                    self.certificates,
                    ngettext(
                        "%(count)d certificate",
                        "%(count)d certificates",
                        self.certificates,
                    ),
                ),
                (
                    self.assignments,
                    ngettext(
                        "%(count)d assignment by a ministry",
                        "%(count)d assignments by ministries",
                        self.assignments,
                    ),
                ),
                (
                    self.quiz_listings,
                    ngettext(
                        "listed in %(count)d quiz",
                        "listed in %(count)d quizzes",
                        self.quiz_listings,
                    ),
                ),
            )
            if count
            for text in [text % {"count": count}]
        ]


# Other kinds of object that carry records: (model, counter), registered by the apps
# that own them. A counter takes the objects and answers ``{pk: TrainingRecords}``.
_holders: list[tuple[type, Callable[[Sequence], dict[int, TrainingRecords]]]] = []


def register_holder(
    model: type, counter: Callable[[Sequence], dict[int, TrainingRecords]]
) -> None:
    """Declare that objects of ``model`` carry training records, counted by
    ``counter`` (called from the owning app's ``ready()``)."""
    if all(known is not model for known, _counter in _holders):
        _holders.append((model, counter))


def holder_kind(sample) -> type | None:
    """The registered model ``sample`` is an instance of, or None."""
    return next((m for m, _counter in _holders if isinstance(sample, m)), None)


def _answers(signal, **kwargs) -> dict[str, dict[int, int]]:
    counts: dict[str, dict[int, int]] = {}
    for _receiver, answer in signal.send(sender=TrainingRecords, **kwargs):
        counts.update(answer or {})
    return counts


def counts_by(queryset: QuerySet, key: str) -> dict[int, int]:
    """How many rows of ``queryset`` there are per value of ``key``: one query."""
    return dict(
        queryset.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n")
    )


def records_from(
    counts: dict[str, dict[int, int]], keys: Iterable[int]
) -> TrainingRecords:
    keys = list(keys)
    return TrainingRecords(
        **{
            name: sum(by_key.get(key, 0) for key in keys)
            for name, by_key in counts.items()
        }
    )


def records_of_pages(pages: Sequence[Page]) -> dict[int, TrainingRecords]:
    """Records held by each page and everything below it: deleting a page in
    Wagtail deletes its descendants too, so a course answers for its lessons and
    quiz. A fixed number of queries, however many pages."""
    subtree = Q()
    for page in pages:
        subtree |= Q(path__startswith=page.path)
    if not subtree:
        return {}
    page_ids = Page.objects.filter(subtree).values("pk")
    counts = {
        "enrolments": counts_by(
            Enrolment.objects.filter(course_id__in=page_ids), "course_id"
        ),
        "lesson_completions": counts_by(
            LessonCompletion.objects.filter(lesson_id__in=page_ids), "lesson_id"
        ),
        **_answers(page_records, page_ids=page_ids),
    }
    holders = set().union(*counts.values())
    paths = (
        dict(Page.objects.filter(pk__in=holders).values_list("pk", "path"))
        if holders
        else {}
    )
    return {
        page.pk: records_from(
            counts, (pk for pk, path in paths.items() if path.startswith(page.path))
        )
        for page in pages
    }


def records_of_users(users: Sequence) -> dict[int, TrainingRecords]:
    """The training history of each account."""
    ids = [user.pk for user in users]
    counts = {
        "enrolments": counts_by(Enrolment.objects.filter(user_id__in=ids), "user_id"),
        "lesson_completions": counts_by(
            LessonCompletion.objects.filter(enrolment__user_id__in=ids),
            "enrolment__user_id",
        ),
        **_answers(user_records, user_ids=ids),
    }
    return {pk: records_from(counts, [pk]) for pk in ids}


def records_of(objects: Iterable) -> dict[int, TrainingRecords] | None:
    """The records held by each of ``objects`` (all of one kind, about to be
    deleted), by primary key; ``None`` when that kind carries no training records
    (a topic, an image)."""
    objects = list(objects)
    if not objects:
        return None
    sample = objects[0]
    if isinstance(sample, Page):
        return records_of_pages(objects)
    for model, counter in _holders:
        if isinstance(sample, model):
            return counter(objects)
    if isinstance(sample, get_user_model()):
        return records_of_users(objects)
    return None


def index_created_in_bulk(objects: Sequence) -> None:
    """Add rows that ``bulk_create`` just made (so without the ``post_save`` that
    indexes them) to Wagtail's reference index, in one INSERT for all of them, so
    that "Usage" counts them. ``ReferenceIndex.create_or_update_for_object`` would
    cost two queries per row (it looks for existing entries first, which new rows
    cannot have); on a quiz start that is two queries per question asked."""
    if not objects:
        return
    model = type(objects[0])
    content_types = [
        ContentType.objects.get_for_model(cls, for_concrete_model=False)
        for cls in [model, *model._meta.get_parent_list()]
    ]
    ReferenceIndex.objects.bulk_create(
        [
            ReferenceIndex(
                content_type=content_types[0],
                base_content_type=content_types[-1],
                object_id=obj.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for obj in objects
            for (
                to_content_type_id,
                to_object_id,
                model_path,
                content_path,
            ) in set(ReferenceIndex._extract_references_from_object(obj))
        ],
        ignore_conflicts=True,
    )

"""Demo course content for ``manage.py load_demo``, read from ``fixtures/courses/``.

The content lives in YAML a reviewer can read and diff: ``catalogue.yaml`` (the
catalogue page, topics and course order), ``sources.yaml`` (the public sources, by
key), and one folder per course with ``course.yaml``, one file per lesson and
``quiz.yaml`` (the question bank, with its answer key). ``read_course_content``
parses and checks it; ``load_demo_courses`` builds the Wagtail pages, the question
bank and the quizzes from it. Loading is idempotent: pages are found by slug,
questions by their text (or, when a question's text was edited, by its place in the
quiz), images by title, and nothing is saved unless it changed.

Every lesson opens with a note that it is demonstration material and ends with its
sources; both are added here, so no lesson can miss them.
"""

from __future__ import annotations

import hashlib
import html
import io
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page

from accounts.models import Ministry
from certificates import services as certificate_services
from certificates.models import Certificate, RevocationReason
from courses import services
from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    LessonCompletion,
    LessonPage,
    Topic,
)
from quizzes import services as quiz_services
from quizzes.models import (
    Choice,
    Feedback,
    Question,
    QuestionKind,
    QuizAttempt,
    QuizPage,
    QuizQuestion,
)
from reporting.models import Assignment, AssignmentAudience

CONTENT_DIR = Path(settings.BASE_DIR) / "fixtures" / "courses"
MEDIA_DIR = Path(settings.BASE_DIR) / "fixtures" / "media"

MIN_QUESTIONS = 10
MIN_KINDS = 2
LETTERS = "ABCDEFGH"

DEMO_NOTE = {
    "type": "callout",
    "value": {
        "kind": "warning",
        "title": "Demonstration material",
        "text": (
            "<p>This lesson is demonstration material for the Tadreeb portal, "
            "written from the public sources listed at the end. Check it against "
            "the official texts before using it in training. Statements marked "
            "“to be confirmed” have not been verified against an official "
            "text.</p>"
        ),
    },
}


# The same note and heading on the Arabic lessons (content, not interface: they are
# stored in the pages, so they are written here rather than in the catalogue).
DEMO_NOTE_AR = {
    "type": "callout",
    "value": {
        "kind": "warning",
        "title": "مادة تدريبية للعرض",
        "text": (
            "<p>هذا الدرس مادة تدريبية للعرض على بوابة «تدريب»، أُعدّت استناداً إلى "
            "المصادر العامة المذكورة في نهايته. يُرجى مراجعتها في ضوء النصوص "
            "الرسمية قبل استخدامها في التدريب. ولم يُتحقَّق بعدُ من العبارات "
            "الموسومة بعبارة «قيد التأكيد» في ضوء نص رسمي.</p>"
        ),
    },
}
SOURCES_HEADING = {"en": "Sources", "ar": "المصادر"}


class ContentError(ValueError):
    """The demo content in fixtures/ is incomplete or malformed; the message says
    which file and what."""


# --- Reading and checking the fixtures ------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    topic: str
    text: str
    choices: tuple[str, ...]
    correct: tuple[int, ...]  # indexes into choices: the answer key
    explanation: str

    @property
    def correct_choices(self) -> tuple[str, ...]:
        return tuple(self.choices[i] for i in self.correct)

    @property
    def html_text(self) -> str:
        return f"<p>{html.escape(self.text, quote=False)}</p>"

    @property
    def html_explanation(self) -> str:
        return f"<p>{html.escape(self.explanation, quote=False)}</p>"


@dataclass
class QuizSpec:
    slug: str
    values: dict
    questions: list[QuestionSpec]


@dataclass
class LessonSpec:
    slug: str
    title: str
    estimated_minutes: int
    blocks: list[dict]  # as written in the YAML file
    sources: list[str]  # full references
    path: Path


@dataclass
class CourseSpec:
    slug: str
    values: dict
    topics: list[str]
    lessons: list[LessonSpec]
    quiz: QuizSpec


@dataclass
class CatalogueSpec:
    slug: str
    title: str
    introduction: str
    topics: list[dict]
    courses: list[CourseSpec]
    retired: list[str] = field(default_factory=list)


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"Missing demo content file {path}.") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path} is not valid YAML: {exc}") from exc


def _require(data: dict, keys: tuple[str, ...], path: Path) -> None:
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping.")
    missing = [key for key in keys if data.get(key) in (None, "", [])]
    if missing:
        raise ContentError(f"{path}: missing {', '.join(missing)}.")


def read_course_content(root: Path = CONTENT_DIR) -> CatalogueSpec:
    """Parse and check every demo content file; ContentError names what is wrong."""
    catalogue = _read_yaml(root / "catalogue.yaml")
    _require(catalogue, ("title", "slug", "topics", "courses"), root / "catalogue.yaml")
    sources = _read_yaml(root / "sources.yaml")
    topic_slugs = {t["slug"] for t in catalogue["topics"]}
    courses = [
        _read_course(root / slug, sources, topic_slugs) for slug in catalogue["courses"]
    ]
    return CatalogueSpec(
        slug=catalogue["slug"],
        title=catalogue["title"],
        introduction=catalogue.get("introduction", ""),
        topics=catalogue["topics"],
        courses=courses,
        retired=catalogue.get("retired", []),
    )


def _read_course(folder: Path, sources: dict, topic_slugs: set) -> CourseSpec:
    path = folder / "course.yaml"
    data = _read_yaml(path)
    _require(
        data,
        ("title", "slug", "summary", "learning_objectives", "lessons"),
        path,
    )
    unknown = set(data.get("topics", [])) - topic_slugs
    if unknown:
        raise ContentError(f"{path}: unknown topics {sorted(unknown)}.")
    values = {
        "title": data["title"],
        "summary": " ".join(data["summary"].split()),
        "learning_objectives": rich_text(data["learning_objectives"]),
        "audiences": data.get("audiences", []),
        "estimated_minutes": data.get("estimated_minutes", 60),
        "certificate_validity_months": data.get("certificate_validity_months", 0),
    }
    lessons = [_read_lesson(folder / name, sources) for name in data["lessons"]]
    return CourseSpec(
        slug=data["slug"],
        values=values,
        topics=data.get("topics", []),
        lessons=lessons,
        quiz=_read_quiz(folder / "quiz.yaml", topic_slugs),
    )


BLOCK_KEYS = {"heading", "text", "image", "callout", "checklist", "scenario", "faq"}


def _read_lesson(path: Path, sources: dict) -> LessonSpec:
    data = _read_yaml(path)
    _require(data, ("title", "slug", "body", "sources"), path)
    for block in data["body"]:
        if not isinstance(block, dict) or len(block) != 1:
            raise ContentError(f"{path}: each body item is one block, e.g. text: ...")
        (kind,) = block
        if kind not in BLOCK_KEYS:
            raise ContentError(f"{path}: unknown block {kind!r}.")
        if kind == "image" and not (MEDIA_DIR / block["image"]["file"]).is_file():
            raise ContentError(f"{path}: image {block['image']['file']} not found.")
        if kind == "checklist" and any(
            not isinstance(item, list) or len(item) != 2
            for item in block["checklist"]["indicators"]
        ):
            raise ContentError(
                f"{path}: each indicator is [indicator, explanation]; quote text "
                "that contains a comma."
            )
    unknown = [key for key in data["sources"] if key not in sources]
    if unknown:
        raise ContentError(f"{path}: sources {unknown} are not in sources.yaml.")
    return LessonSpec(
        slug=data["slug"],
        title=data["title"],
        estimated_minutes=data.get("estimated_minutes", 15),
        blocks=data["body"],
        sources=[" ".join(sources[key].split()) for key in data["sources"]],
        path=path,
    )


QUIZ_SETTINGS = {
    "pass_mark": 75,
    "max_attempts": 3,
    "cooldown_minutes": 0,
    "time_limit_minutes": 0,
    "draw_count": 0,
    "feedback": Feedback.FULL,
}


def _read_quiz(path: Path, topic_slugs: set, *, mirror: bool = False) -> QuizSpec:
    data = _read_yaml(path)
    _require(data, ("title", "slug", "questions"), path)
    values = {"title": data["title"], "introduction": data.get("introduction", "")}
    values.update(
        {key: data.get(key, default) for key, default in QUIZ_SETTINGS.items()}
    )
    questions = [
        _read_question(row, path, topic_slugs, mirror=mirror)
        for row in data["questions"]
    ]
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise ContentError(f"{path}: question keys must be unique.")
    if len({q.text for q in questions}) != len(questions):
        raise ContentError(f"{path}: two questions have the same text.")
    if len(questions) < MIN_QUESTIONS:
        raise ContentError(f"{path}: a quiz needs at least {MIN_QUESTIONS} questions.")
    if len({q.kind for q in questions}) < MIN_KINDS:
        raise ContentError(f"{path}: use at least {MIN_KINDS} kinds of question.")
    if values["draw_count"] > len(questions):
        raise ContentError(f"{path}: draw_count is larger than the question bank.")
    return QuizSpec(slug=data["slug"], values=values, questions=questions)


def _read_question(
    row: dict, path: Path, topic_slugs: set, *, mirror: bool = False
) -> QuestionSpec:
    """``mirror``: a translation, whose true/false choices are in its language."""
    _require(row, ("key", "kind", "text", "choices", "answer", "explanation"), path)
    where = f"{path}, question {row['key']}"
    kind = row["kind"]
    if kind not in (
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.TRUE_FALSE,
    ):
        # Essays wait for a trainer's marking; the demo quizzes are marked at once.
        raise ContentError(f"{where}: kind must be single, multiple or true_false.")
    if row.get("topic") and row["topic"] not in topic_slugs:
        raise ContentError(f"{where}: unknown topic {row['topic']!r}.")
    choices = tuple(str(c) for c in row["choices"])
    answer = row["answer"] if isinstance(row["answer"], list) else [row["answer"]]
    correct = []
    for letter in answer:
        index = LETTERS.find(str(letter))
        if index < 0 or index >= len(choices):
            raise ContentError(f"{where}: answer {letter!r} names no choice.")
        correct.append(index)
    if kind != QuestionKind.MULTIPLE and len(correct) != 1:
        raise ContentError(f"{where}: a {kind} question has exactly one answer.")
    if kind == QuestionKind.TRUE_FALSE and not mirror and choices != ("True", "False"):
        raise ContentError(f"{where}: true_false choices are True and False.")
    if len(choices) < 2:
        raise ContentError(f"{where}: at least two choices.")
    return QuestionSpec(
        key=row["key"],
        kind=kind,
        topic=row.get("topic", ""),
        text=" ".join(str(row["text"]).split()),
        choices=choices,
        correct=tuple(sorted(set(correct))),
        explanation=" ".join(str(row["explanation"]).split()),
    )


# --- From YAML to StreamField blocks -------------------------------------------


def _inline(text: str) -> str:
    escaped = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)


def rich_text(source: str) -> str:
    """The fixtures' light markup as rich text: blank lines separate paragraphs,
    lines starting with "- " make a bulleted list, **text** is bold."""
    parts = []
    for chunk in re.split(r"\n\s*\n", source.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        elif lines:
            parts.append(f"<p>{_inline(' '.join(lines))}</p>")
    return "".join(parts)


def _block(item: dict, images: dict) -> dict:
    ((kind, value),) = item.items()
    if kind == "heading":
        return {"type": "heading", "value": {"text": value, "level": "h2"}}
    if kind == "text":
        return {"type": "paragraph", "value": rich_text(value)}
    if kind == "image":
        return {
            "type": "image",
            "value": {
                "image": images[value["file"]].pk,
                "alt_text": " ".join(value["alt"].split()),
                "caption": value.get("caption", ""),
                "long_description": " ".join(value.get("description", "").split()),
            },
        }
    if kind == "callout":
        return {
            "type": "callout",
            "value": {
                "kind": value["kind"],
                "title": value.get("title", ""),
                "text": rich_text(value["text"]),
            },
        }
    if kind == "checklist":
        return {
            "type": "indicator_checklist",
            "value": {
                "title": value["title"],
                "intro": value.get("intro", ""),
                "indicators": [
                    {"indicator": name, "explanation": explanation}
                    for name, explanation in value["indicators"]
                ],
            },
        }
    if kind == "scenario":
        return {
            "type": "case_scenario",
            "value": {
                "title": value["title"],
                "setting": value.get("setting", ""),
                "situation": rich_text(value["situation"]),
                "question": " ".join(value["question"].split()),
                "model_answer": rich_text(value["model_answer"]),
            },
        }
    # faq
    return {
        "type": "faq",
        "value": {
            "title": value.get("title", ""),
            "items": [
                {"question": row["question"], "answer": rich_text(row["answer"])}
                for row in value["items"]
            ],
        },
    }


def lesson_body(lesson: LessonSpec, images: dict, language: str = "en") -> list[dict]:
    """The lesson's blocks, between the demonstration note and its sources (both in
    ``language``)."""
    sources = "".join(f"<li>{html.escape(s, quote=False)}</li>" for s in lesson.sources)
    heading = SOURCES_HEADING[language]
    return [
        DEMO_NOTE_AR if language == "ar" else DEMO_NOTE,
        *(_block(item, images) for item in lesson.blocks),
        {"type": "heading", "value": {"text": heading, "level": "h2"}},
        {"type": "paragraph", "value": f"<ul>{sources}</ul>"},
    ]


# --- Loading -------------------------------------------------------------------


def _normalise(value):
    """A StreamField value as plain data, without block ids and list-item wrappers,
    so that what is stored compares equal to what the fixtures describe."""
    if isinstance(value, dict):
        if set(value) <= {"type", "value", "id"} and value.get("type") == "item":
            return _normalise(value["value"])
        return {k: _normalise(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


def _raw(value):
    raw = getattr(value, "raw_data", None)
    if raw is not None:
        return _normalise(list(raw))
    return _normalise(value)


def _save_page(parent: Page, model, slug: str, values: dict, m2m: dict | None = None):
    """Create or update (and publish) the child page of ``parent`` with ``slug``;
    publishes only when something changed."""
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
    if changed or not page.live:
        for field_name in changed:
            if field_name in values:
                setattr(page, field_name, values[field_name])
        page.save_revision().publish()
    return page


def _svg_title(data: bytes) -> str:
    match = re.search(rb"<title[^>]*>(.*?)</title>", data, re.S)
    return html.unescape(match.group(1).decode("utf-8")).strip() if match else ""


def load_image(path: Path):
    """A Wagtail image for a file under fixtures/media, found by its title (the
    SVG's own <title>); its file is replaced when the fixture changed."""
    image_model = get_image_model()
    data = path.read_bytes()
    title = _svg_title(data) or path.stem.replace("-", " ").capitalize()
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own file hash
    image = image_model.objects.filter(title=title).first()
    if image is not None and image.file_hash == digest:
        return image
    if image is None:
        image = image_model(title=title, collection=Collection.get_first_root_node())
    # Assigning the file (rather than file.save) lets Wagtail read the dimensions.
    image.file = ImageFile(io.BytesIO(data), name=path.name)
    image.width, image.height = image.file.get_image_dimensions()
    image.file_size = len(data)
    image.file_hash = digest
    image.save()
    return image


def _load_images(catalogue: CatalogueSpec) -> dict:
    names = {
        item["image"]["file"]
        for course in catalogue.courses
        for lesson in course.lessons
        for item in lesson.blocks
        if "image" in item
    }
    return {name: load_image(MEDIA_DIR / name) for name in sorted(names)}


@transaction.atomic
def load_demo_courses(catalogue: CatalogueSpec, home: Page) -> CourseIndexPage:
    """Build or update the catalogue, courses, lessons, question bank and quizzes."""
    index = _save_page(
        home,
        CourseIndexPage,
        catalogue.slug,
        {"title": catalogue.title, "introduction": catalogue.introduction},
    )
    topics = {}
    for row in catalogue.topics:
        topic, _ = Topic.objects.update_or_create(
            slug=row["slug"],
            locale=Locale.get_default(),
            defaults={"name": row["name"]},
        )
        topics[row["slug"]] = topic
    images = _load_images(catalogue)
    for spec in catalogue.courses:
        course = _save_page(
            index,
            CoursePage,
            spec.slug,
            spec.values,
            m2m={"topics": [topics[slug] for slug in spec.topics]},
        )
        for lesson in spec.lessons:
            _save_page(
                course,
                LessonPage,
                lesson.slug,
                {
                    "title": lesson.title,
                    "estimated_minutes": lesson.estimated_minutes,
                    "body": lesson_body(lesson, images),
                },
            )
        _load_quiz(course, spec.quiz, topics)
    for page in (
        CoursePage.objects.child_of(index).live().filter(slug__in=catalogue.retired)
    ):
        # An earlier demo course: unpublished, not deleted, since enrolments and
        # certificates may point to it.
        page.unpublish()
    return index


def _load_quiz(course: CoursePage, spec: QuizSpec, topics: dict) -> QuizPage:
    quiz = _save_page(course, QuizPage, spec.slug, spec.values)
    listed = list(quiz.quiz_questions.order_by("sort_order").select_related("question"))
    wanted_texts = {q.html_text for q in spec.questions}
    by_text = {
        q.text: q
        for q in Question.objects.source().filter(text__in=wanted_texts).order_by("pk")
    }
    questions = []
    for position, row in enumerate(spec.questions):
        question = by_text.get(row.html_text)
        if (
            question is None
            and position < len(listed)
            and listed[position].question.text not in wanted_texts
        ):
            # The question's text was edited in the fixture: keep the question.
            question = listed[position].question
        questions.append(_load_question(question, row, topics))
    if [x.question_id for x in listed] != [q.pk for q in questions]:
        # Child rows belong to the page's revisions: set them on the page and
        # publish, so that the editor and the live page agree.
        quiz.quiz_questions = [
            QuizQuestion(question=q, sort_order=n) for n, q in enumerate(questions)
        ]
        quiz.save_revision().publish()
    return quiz


def _load_question(question: Question | None, row: QuestionSpec, topics: dict):
    question = question or Question()
    values = {
        "text": row.html_text,
        "kind": row.kind,
        "explanation": row.html_explanation,
        "topic": topics.get(row.topic),
        "points": 1,
        "active": True,
    }
    changed = question.pk is None or any(
        getattr(question, f) != v for f, v in values.items()
    )
    for name, value in values.items():
        setattr(question, name, value)
    if changed:
        question.save()
    wanted = [(text, n in row.correct) for n, text in enumerate(row.choices)]
    current = [(c.text, c.is_correct) for c in question.choices.order_by("sort_order")]
    if current != wanted:
        # Attempts keep their own copy of the choices, so replacing them is safe.
        Choice.objects.filter(question=question).delete()
        Choice.objects.bulk_create(
            Choice(
                question=question,
                locale=question.locale,
                text=text,
                is_correct=correct,
                sort_order=n,
            )
            for n, (text, correct) in enumerate(wanted)
        )
    return question


# --- A populated portal: the demo officers' training history -------------------------

# Which courses (by their place in the catalogue) each cadre takes, most likely first.
COURSES_BY_CADRE = {
    "police": (0, 1, 2),
    "diplomat": (0, 1, 2),
    "shelter_staff": (1, 0),
    "labour_inspector": (2, 0),
    "prosecutor": (0, 2),
    "other": (0, 2),
}
ENROL_CHANCE = (0.8, 0.45, 0.3)  # for the cadre's first, second, third course
# (state, weight) of an enrolment that is not part of an assignment.
STATES = (
    ("not_started", 12),
    ("in_progress", 18),
    ("failed", 6),
    ("completed", 64),
)
# Weights of the completion year, from three years ago to this year.
COMPLETION_YEAR_WEIGHTS = (14, 22, 30, 34)


@dataclass
class HistoryCounts:
    enrolments: int = 0
    completed: int = 0
    certificates: int = 0
    failed_attempts: int = 0
    assignments: int = 0
    revoked: int = 0


def _between(rng, start, end):
    """A moment between ``start`` and ``end``, at office hours."""
    days = max(0, (end - start).days)
    moment = start + timedelta(days=rng.randint(0, days))
    return moment.replace(hour=rng.randint(7, 14), minute=rng.randint(0, 59))


class _History:
    """Builds officers' enrolments through the course services (enrolment, quiz
    attempts, the completion rule), then moves every date back to when it is
    supposed to have happened."""

    def __init__(self, courses: list[CoursePage], rng, now):
        self.courses = courses
        self.rng = rng
        self.now = now
        self.lessons = {c.pk: services.lessons_of(c) for c in courses}
        self.quizzes = {c.pk: quiz_services.quiz_of(c) for c in courses}
        self.counts = HistoryCounts()

    # Steps through the real services.

    def enrol(self, user, course, *, assignment=None):
        enrolment = services.enrol(
            user,
            course,
            source=EnrolmentSource.ASSIGNED if assignment else EnrolmentSource.SELF,
            due_date=assignment.due_date if assignment else None,
        )
        if assignment is not None:
            enrolment.assignment = assignment
            enrolment.save(update_fields=["assignment"])
        self.counts.enrolments += 1
        return enrolment

    def read(self, enrolment, count: int, *, through_services: bool = False):
        """Mark the first ``count`` lessons read. Generated officers get the rows
        directly (the completion rule then runs when their quiz is passed), which
        saves a thousand evaluations of the rule; named accounts go through
        ``complete_lesson``."""
        lessons = self.lessons[enrolment.course_id][:count]
        if through_services:
            for lesson in lessons:
                services.complete_lesson(enrolment, lesson)
            return
        LessonCompletion.objects.bulk_create(
            LessonCompletion(enrolment=enrolment, lesson=lesson) for lesson in lessons
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(started_at=self.now)

    def attempt(self, enrolment, *, wrong: int):
        """One quiz attempt with ``wrong`` questions answered wrongly."""
        quiz = self.quizzes[enrolment.course_id]
        user = enrolment.user
        # In the officer's language: Arabic attempts freeze the Arabic texts (where
        # the mirrors are loaded), so the statistics by language show both.
        attempt = quiz_services.start_attempt(
            user, quiz, rng=self.rng, language=user.language or "en"
        )
        answers = []
        for n, question in enumerate(attempt.questions.prefetch_related("choices")):
            choices = list(question.choices.all())
            right = [c.pk for c in choices if c.is_correct]
            if n < wrong:
                picked = [next(c.pk for c in choices if not c.is_correct)]
            else:
                picked = right
            answers.append(quiz_services.Answer(question.pk, tuple(picked)))
        attempt = quiz_services.submit_attempt(attempt.pk, user, answers)
        if not attempt.passed:
            self.counts.failed_attempts += 1
        return attempt

    def complete(
        self, enrolment, *, failed_first: bool = False, through_services=False
    ):
        self.read(
            enrolment,
            len(self.lessons[enrolment.course_id]),
            through_services=through_services,
        )
        if failed_first:
            self.attempt(enrolment, wrong=4)
        self.attempt(enrolment, wrong=self.rng.choice((0, 0, 1)))
        enrolment.refresh_from_db()
        self.counts.completed += 1

    # Dates.

    def backdate(self, enrolment, enrolled_at, completed_at=None):
        """Spread the enrolment's events between ``enrolled_at`` and
        ``completed_at`` (or a few weeks after enrolling)."""
        end = completed_at or min(
            self.now - timedelta(hours=2),
            enrolled_at + timedelta(days=self.rng.randint(1, 30)),
        )
        completions = list(LessonCompletion.objects.filter(enrolment=enrolment))
        attempts = list(
            QuizAttempt.objects.filter(enrolment=enrolment).order_by("number")
        )
        steps = len(completions) + len(attempts)
        span = max(end - enrolled_at, timedelta(hours=1))
        moments = [enrolled_at + span * (n + 1) / (steps + 1) for n in range(steps)]
        for completion, moment in zip(completions, moments, strict=False):
            LessonCompletion.objects.filter(pk=completion.pk).update(
                completed_at=moment
            )
        for attempt, moment in zip(attempts, moments[len(completions) :], strict=True):
            QuizAttempt.objects.filter(pk=attempt.pk).update(
                started_at=moment - timedelta(minutes=25),
                submitted_at=completed_at
                if attempt.passed and completed_at
                else moment,
            )
        values = {"enrolled_at": enrolled_at}
        if steps:
            values["started_at"] = moments[0] if completions else enrolled_at
        if completed_at:
            values["completed_at"] = completed_at
        Enrolment.objects.filter(pk=enrolment.pk).update(**values)

    def certify(self, enrolment, issued_at, *, render: bool = False):
        """The certificate of a completed enrolment, issued at ``issued_at``.

        ``render``: issue through ``issue_certificate`` (its PDF is rendered when the
        transaction commits, with the dates set here). Otherwise the certificate is
        made with the same snapshot but no PDF yet: the PDF is rendered on first
        download, which keeps loading the demo fast."""
        enrolment = Enrolment.objects.select_related("user__ministry", "course").get(
            pk=enrolment.pk
        )
        months = enrolment.course.certificate_validity_months
        expires_at = (
            certificate_services.add_months(issued_at, months) if months else None
        )
        if render:
            certificate = certificate_services.issue_certificate(enrolment)
            type(certificate).objects.filter(pk=certificate.pk).update(
                issued_at=issued_at, expires_at=expires_at
            )
            certificate.refresh_from_db()
        else:
            certificate = certificate_services._new_certificate(
                enrolment, issued_at=issued_at, expires_at=expires_at
            )
        self.counts.certificates += 1
        return certificate


def _aware(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def _assignments(courses, focal, now):
    """The Ministry of Interior's two assignments for police officers: one whose
    due date has passed (overdue enrolments) and one still open. Dates are
    relative to the first load; later loads find the assignments by course."""
    moi = Ministry.objects.get(code="MOI")
    today = timezone.localdate(now)
    plans = [
        (
            courses[0],
            now - timedelta(days=210),
            today - timedelta(days=60),
            "All criminal investigation officers are to complete the course on "
            "identifying victims by the due date.",
        ),
        (
            courses[1],
            now - timedelta(days=26),
            today + timedelta(days=90),
            "Please complete the course on assistance and protection before the "
            "joint operations planned for next quarter.",
        ),
    ]
    result = []
    for course, created_at, due, message in plans:
        assignment, _ = Assignment.objects.get_or_create(
            course=course,
            ministry=moi,
            audience=AssignmentAudience.CADRE,
            cadre="police",
            created_by=focal,
            defaults={"message": message, "created_at": created_at, "due_date": due},
        )
        result.append(assignment)
    return result


@transaction.atomic
def load_demo_history(
    courses: list[CoursePage], officers: list, named: dict, *, seed: int = 2026
) -> HistoryCounts:
    """Training history for the generated ``officers`` (only those passed in: the
    caller passes the officers it has just created, so a second run adds nothing)
    and for the named demo accounts in ``named`` that have no enrolment yet."""
    now = timezone.now()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    history = _History(courses, rng, now)
    focal = named.get("focal@moi.gov.kw")
    overdue_assignment, open_assignment = _assignments(courses, focal, now)
    history.counts.assignments = 2
    touched = [u.pk for u in officers]

    for user in officers:
        for rank, index in enumerate(COURSES_BY_CADRE.get(user.cadre, (0,))):
            course = courses[index]
            assignment = None
            if user.ministry.code == "MOI" and user.cadre == "police":
                if index == 0 and rng.random() < 0.9:
                    assignment = overdue_assignment
                elif index == 1 and rng.random() < 0.8:
                    assignment = open_assignment
            if assignment is None and rng.random() > ENROL_CHANCE[rank]:
                continue
            _officer_course(history, user, course, assignment)

    named_plans = {
        # Course 1 stays untouched: the browser test walks it from the start.
        "officer@moi.gov.kw": [
            (2, "completed", now - timedelta(days=75), now - timedelta(days=47)),
            (1, "assigned", None, None),
        ],
        "diplomat@mofa.gov.kw": [
            # Completed 33 months ago: the two-year certificate has expired.
            (0, "completed", now - timedelta(days=1025), now - timedelta(days=1004)),
            (1, "in_progress", now - timedelta(days=9), None),
        ],
        "shelter@pam.gov.kw": [
            (1, "completed", now - timedelta(days=560), now - timedelta(days=538)),
            (0, "failed", now - timedelta(days=4), None),
        ],
    }
    for email, plan in named_plans.items():
        user = named.get(email)
        if (
            user is None
            or Enrolment.objects.filter(user=user, course__in=courses).exists()
        ):
            continue
        touched.append(user.pk)
        for index, state, enrolled_at, completed_at in plan:
            course = courses[index]
            if state == "assigned":
                enrolment = history.enrol(user, course, assignment=open_assignment)
                history.backdate(enrolment, open_assignment.created_at)
                continue
            enrolment = history.enrol(user, course)
            if state == "completed":
                history.complete(enrolment, through_services=True)
                history.backdate(enrolment, enrolled_at, completed_at)
                history.certify(enrolment, completed_at, render=True)
            elif state == "in_progress":
                history.read(enrolment, 2, through_services=True)
                history.backdate(enrolment, enrolled_at)
            else:
                lessons = len(history.lessons[course.pk])
                history.read(enrolment, lessons, through_services=True)
                history.attempt(enrolment, wrong=5)
                history.backdate(enrolment, enrolled_at)

    services.refresh_reporting_facts(Enrolment.objects.filter(user__in=touched))
    return history.counts


def _officer_course(history: _History, user, course, assignment) -> None:
    rng, now = history.rng, history.now
    state = rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
    if assignment is not None:
        start = assignment.created_at + timedelta(days=rng.randint(0, 12))
        enrolled_at = _between(rng, start, start + timedelta(days=2))
        latest = min(now, enrolled_at + timedelta(days=170)) - timedelta(days=1)
        completed_at = _between(rng, enrolled_at + timedelta(days=3), latest)
    else:
        years = [now.year - 3 + n for n in range(len(COMPLETION_YEAR_WEIGHTS))]
        year = rng.choices(years, weights=COMPLETION_YEAR_WEIGHTS)[0]
        start = _aware(year, 1, 10)
        end = min(_aware(year, 12, 20), now - timedelta(days=3))
        completed_at = _between(rng, start, end)
        enrolled_at = completed_at - timedelta(days=rng.randint(5, 60))
        if state != "completed":
            enrolled_at = _between(
                rng, now - timedelta(days=240), now - timedelta(days=2)
            )
    # Nothing happens in the future, whatever day the demo is loaded on.
    enrolled_at = min(enrolled_at, now - timedelta(days=2))
    completed_at = min(
        max(completed_at, enrolled_at + timedelta(days=1)), now - timedelta(hours=3)
    )
    enrolment = history.enrol(user, course, assignment=assignment)
    lessons = len(history.lessons[course.pk])
    if state == "completed":
        history.complete(enrolment, failed_first=rng.random() < 0.1)
        history.backdate(enrolment, enrolled_at, completed_at)
        history.certify(enrolment, completed_at)
    elif state == "in_progress":
        history.read(enrolment, rng.randint(1, lessons - 1))
        history.backdate(enrolment, enrolled_at)
    elif state == "failed":
        history.read(enrolment, lessons)
        history.attempt(enrolment, wrong=rng.choice((3, 4, 5)))
        history.backdate(enrolment, enrolled_at)
    else:
        history.backdate(enrolment, enrolled_at)


def revoke_demo_certificates(officers: list, by) -> int:
    """Revoke two certificates of generated officers (one issued in error, one
    superseded by a corrected certificate), through the certificate services.
    Runs after the history is committed, so that completion hooks do not issue the
    revoked certificates again."""
    candidates = list(
        Certificate.objects.filter(
            user__in=officers,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("issued_at", "code")[:2]
    )
    if len(candidates) < 2:
        return 0
    certificate_services.revoke(
        candidates[0],
        by,
        RevocationReason.ERROR,
        "Recorded against the wrong officer during a data import.",
    )
    certificate_services.reissue(
        candidates[1], by, "Name corrected at the officer's request."
    )
    return 2

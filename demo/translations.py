"""The Arabic demo content: mirror files beside the English ones, checked against
them and loaded as the Arabic translations of the same pages and snippets.

A mirror has exactly the structure of its English file: ``fixtures/courses/ar/
catalogue.yaml``, ``fixtures/courses/ar/sources.yaml`` (Arabic citations, only for
sources with an official Arabic text), ``fixtures/courses/<course>/ar/<file>`` for
``course.yaml``, each lesson and ``quiz.yaml``, and ``fixtures/ar/site.json`` (the
home page). Identifiers and data (slugs, keys, kinds, answer letters, topic keys,
audiences, image files, source keys, numbers) must be the English file's; only text
differs. ``check_mirror`` compares the two and names the file and the place where
they differ. A missing mirror leaves that page untranslated, with a warning.

Translations are made with Wagtail's ``copy_for_translation`` (pages and snippets:
the translation shares the source's ``translation_key``; a question's choices keep
their source choice's key), then given the mirror's text and published. See
``load_arabic_content`` for why not wagtail-localize's string translations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale, Page

from courses.models import CourseIndexPage, CoursePage, LessonPage, Topic
from quizzes.models import Choice, Question, QuizPage, QuizQuestion

from .courses import (
    CONTENT_DIR,
    MEDIA_DIR,
    CatalogueSpec,
    ContentError,
    LessonSpec,
    QuizSpec,
    _load_images,
    _raw,
    _read_lesson,
    _read_quiz,
    _read_yaml,
    lesson_body,
    load_image,
    rich_text,
)

LANGUAGE = "ar"
SITE_MIRROR = Path(CONTENT_DIR).parent / LANGUAGE / "site.json"

# Keys whose values are identifiers or data, copied unchanged into a mirror. Any
# value that is not a string (numbers, booleans) must be equal too.
IDENTIFIER_KEYS = frozenset(
    {
        "slug",
        "key",
        "kind",
        "answer",
        "topic",
        "topics",
        "audiences",
        "file",
        "sources",
        "lessons",
        "courses",
        "retired",
        "type",
        "level",
        "feedback",
    }
)


def check_mirror(english, mirror, en_path: Path, ar_path: Path) -> None:
    """Raise ContentError naming the mirror file and the place where its structure
    or data differs from the English file's."""
    _compare(english, mirror, "", False, en_path, ar_path)


def _compare(english, mirror, where: str, identifier: bool, en_path, ar_path):
    def fail(what: str):
        place = where or "the top level"
        raise ContentError(f"{ar_path}: at {place}, {what} (compared with {en_path}).")

    if isinstance(english, dict):
        if not isinstance(mirror, dict):
            fail("expected a mapping as in the English file")
        if set(english) != set(mirror):
            missing = sorted(set(english) - set(mirror))
            extra = sorted(set(mirror) - set(english))
            fail(f"keys differ (missing {missing}, not in English {extra})")
        for key, value in english.items():
            _compare(
                value,
                mirror[key],
                f"{where}.{key}" if where else key,
                # A mapping's own keys decide: the catalogue's "topics" are
                # mappings of an identifier (slug) and a text (name).
                _is_identifier(key, english),
                en_path,
                ar_path,
            )
        return
    if isinstance(english, list):
        if not isinstance(mirror, list):
            fail("expected a list as in the English file")
        if len(english) != len(mirror):
            fail(f"{len(mirror)} items where the English file has {len(english)}")
        for n, (en_item, ar_item) in enumerate(zip(english, mirror, strict=True)):
            label = _label(en_item)
            _compare(
                en_item,
                ar_item,
                f"{where}[{n + 1}{label}]",
                identifier,
                en_path,
                ar_path,
            )
        return
    if isinstance(english, str) and not identifier:
        if not isinstance(mirror, str):
            fail("expected text")
        return
    if english != mirror:
        fail(f"{mirror!r} where the English file has {english!r}")


def _arabic_images(images: dict) -> dict:
    """The lessons' diagrams in Arabic: ``fixtures/media/ar/<file>`` (labels in
    Arabic, laid out right to left) where it exists, else the English image."""
    return {
        name: load_image(MEDIA_DIR / LANGUAGE / name)
        if (MEDIA_DIR / LANGUAGE / name).is_file()
        else image
        for name, image in images.items()
    }


def _is_identifier(key: str, mapping: dict) -> bool:
    """Whether ``mapping[key]`` is data to copy unchanged. ``answer`` is the answer
    key (letters) of a quiz question, which has choices; an FAQ item's ``answer``
    is text."""
    if key == "answer":
        return "choices" in mapping
    return key in IDENTIFIER_KEYS


def _label(item) -> str:
    """A readable name of a list item: a question's key, a block's type."""
    if isinstance(item, dict):
        if "key" in item:
            return f" {item['key']}"
        if len(item) == 1:
            return f" {next(iter(item))}"
    return ""


# --- Reading the mirrors ---------------------------------------------------------


@dataclass
class ArabicCourse:
    slug: str
    values: dict | None  # None: no course.yaml mirror
    lessons: dict[str, LessonSpec]  # by slug; a lesson without mirror is absent
    quiz: QuizSpec | None


@dataclass
class ArabicContent:
    title: str | None = None
    introduction: str = ""
    topic_names: dict[str, str] = field(default_factory=dict)
    courses: list[ArabicCourse] = field(default_factory=list)
    home: dict | None = None
    warnings: list[str] = field(default_factory=list)


def _mirror(en_path: Path, warnings: list[str]):
    """The checked data of the mirror of ``en_path``, or None (with a warning)."""
    ar_path = en_path.parent / LANGUAGE / en_path.name
    if not ar_path.is_file():
        warnings.append(f"No Arabic mirror {ar_path}: left untranslated.")
        return None
    check_mirror(_read_yaml(en_path), _read_yaml(ar_path), en_path, ar_path)
    return ar_path


def read_arabic_content(
    catalogue: CatalogueSpec, root: Path = CONTENT_DIR, site: Path = SITE_MIRROR
) -> ArabicContent:
    """Read and check every Arabic mirror of the content ``catalogue`` was read
    from; ContentError when a mirror differs from its English file."""
    content = ArabicContent()
    warnings = content.warnings
    sources = _read_yaml(root / "sources.yaml")
    ar_sources_path = root / LANGUAGE / "sources.yaml"
    if ar_sources_path.is_file():
        arabic_sources = _read_yaml(ar_sources_path) or {}
        unknown = sorted(set(arabic_sources) - set(sources))
        if unknown:
            raise ContentError(
                f"{ar_sources_path}: sources {unknown} are not in sources.yaml."
            )
        sources = {**sources, **arabic_sources}
    topic_slugs = {t["slug"] for t in catalogue.topics}

    path = _mirror(root / "catalogue.yaml", warnings)
    if path is not None:
        data = _read_yaml(path)
        content.title = data["title"]
        content.introduction = data.get("introduction", "")
        content.topic_names = {t["slug"]: t["name"] for t in data["topics"]}

    for spec in catalogue.courses:
        folder = root / spec.slug
        course = ArabicCourse(slug=spec.slug, values=None, lessons={}, quiz=None)
        path = _mirror(folder / "course.yaml", warnings)
        if path is not None:
            data = _read_yaml(path)
            course.values = {
                "title": data["title"],
                "summary": " ".join(data["summary"].split()),
                "learning_objectives": rich_text(data["learning_objectives"]),
            }
        for lesson in spec.lessons:
            path = _mirror(lesson.path, warnings)
            if path is not None:
                course.lessons[lesson.slug] = _read_lesson(path, sources)
        path = _mirror(folder / "quiz.yaml", warnings)
        if path is not None:
            course.quiz = _read_quiz(path, topic_slugs, mirror=True)
        content.courses.append(course)

    if site.is_file():
        english = json.loads((site.parent.parent / "site.json").read_text("utf-8"))
        mirror = json.loads(site.read_text("utf-8"))
        check_mirror(english["home"], mirror.get("home"), site.parent.parent, site)
        content.home = mirror["home"]
    else:
        warnings.append(f"No Arabic mirror {site}: the home page left untranslated.")
    return content


# --- Loading the translations ----------------------------------------------------


def _translation_of(source: Page, locale: Locale) -> Page:
    page = source.get_translation_or_none(locale)
    if page is None:
        page = source.copy_for_translation(locale, copy_parents=True)
    return page.specific


def _save_translation(source: Page, locale: Locale, values: dict) -> Page:
    """Create or update (and publish) the translation of ``source`` with
    ``values``; publishes only when something changed."""
    page = _translation_of(source, locale)
    changed = [f for f, v in values.items() if _raw(getattr(page, f)) != _raw(v)]
    if changed or not page.live:
        for name in changed:
            setattr(page, name, values[name])
        page.save_revision().publish()
    return page


@transaction.atomic
def load_arabic_content(
    arabic: ArabicContent, catalogue: CatalogueSpec, home: Page
) -> None:
    """Build or update the Arabic translations of the home page, catalogue,
    courses, lessons, quizzes, topics and questions (idempotent).

    Through ``copy_for_translation``, not wagtail-localize's TranslationSource and
    string translations: a mirror is written block by block, while wagtail-localize
    keys its strings by block id and its own segmentation of rich text (one string
    per paragraph or list item, inline markup as placeholders), so feeding it the
    mirrors would mean re-implementing that segmentation. The translations are
    ordinary Wagtail translations (same ``translation_key``), which trainers can
    still edit in the admin or hand to wagtail-localize later."""
    locale = Locale.objects.get(language_code=LANGUAGE)
    if arabic.home is not None:
        _save_translation(home, locale, _home_values(arabic.home))
    index = CourseIndexPage.objects.child_of(home).get(slug=catalogue.slug)
    if arabic.title is not None:
        _save_translation(
            index,
            locale,
            {"title": arabic.title, "introduction": arabic.introduction},
        )
    _load_topics(arabic.topic_names, locale)
    images = _arabic_images(_load_images(catalogue))
    for spec, mirror in zip(catalogue.courses, arabic.courses, strict=True):
        course = CoursePage.objects.child_of(index).get(slug=spec.slug)
        if mirror.values is None and not (mirror.lessons or mirror.quiz):
            continue
        _translate_topics(
            course, _save_translation(course, locale, mirror.values or {})
        )
        for lesson in LessonPage.objects.child_of(course):
            translated = mirror.lessons.get(lesson.slug)
            if translated is None:
                continue
            _save_translation(
                lesson,
                locale,
                {
                    "title": translated.title,
                    "body": lesson_body(translated, images, LANGUAGE),
                },
            )
        quiz = QuizPage.objects.child_of(course).first()
        if mirror.quiz is not None and quiz is not None:
            _load_quiz_translation(quiz, spec.quiz, mirror.quiz, locale)


def _home_values(data: dict) -> dict:
    return {
        name: value for name, value in data.items() if name not in ("slug", "settings")
    }


def _translate_topics(source: CoursePage, page: CoursePage) -> None:
    """The translated course lists its topics in its own locale: copy_for_translation
    keeps the source's (English) topics, which the Arabic pages would show."""
    wanted = [
        t.get_translation_or_none(page.locale) or t
        for t in source.topics.order_by("pk")
    ]
    if {t.pk for t in page.topics.all()} != {t.pk for t in wanted}:
        page.topics.set(wanted)
        page.save_revision().publish()


def _load_topics(names: dict[str, str], locale: Locale) -> None:
    for topic in Topic.objects.filter(
        slug__in=names, locale=Locale.get_default()
    ).order_by("pk"):
        translated = topic.get_translation_or_none(locale)
        if translated is None:
            translated = topic.copy_for_translation(locale)
        if translated.pk is None or translated.name != names[topic.slug]:
            translated.name = names[topic.slug]
            translated.save()


def _load_quiz_translation(
    quiz: QuizPage, english: QuizSpec, mirror: QuizSpec, locale: Locale
) -> None:
    translated = _save_translation(
        quiz,
        locale,
        {
            "title": mirror.values["title"],
            "introduction": mirror.values["introduction"],
        },
    )
    sources = [
        qq.question
        for qq in quiz.quiz_questions.order_by("sort_order").select_related("question")
    ]
    for question, row in zip(sources, mirror.questions, strict=False):
        _load_question_translation(question, row, locale)
    # The translated quiz lists the source questions (quizzes draw from the source
    # quiz; an attempt shows each question in its language).
    listed = [qq.question_id for qq in translated.quiz_questions.order_by("sort_order")]
    if listed != [q.pk for q in sources]:
        translated.quiz_questions = [
            QuizQuestion(question=q, sort_order=n) for n, q in enumerate(sources)
        ]
        translated.save_revision().publish()


def _load_question_translation(source: Question, row, locale: Locale) -> None:
    translated = source.get_translation_or_none(locale)
    if translated is None:
        translated = source.copy_for_translation(locale)
    values = {"text": row.html_text, "explanation": row.html_explanation}
    values.update(
        kind=source.kind,
        topic_id=source.topic_id,
        points=source.points,
        active=source.active,
    )
    if translated.pk is None or any(
        getattr(translated, f) != v for f, v in values.items()
    ):
        for name, value in values.items():
            setattr(translated, name, value)
        # copy_for_translation copied the choices into the cluster; save them
        # below, one by one, with their source choice's key.
        translated.save()
    source_choices = list(source.choices.order_by("sort_order"))
    mine = {c.translation_key: c for c in Choice.objects.filter(question=translated)}
    keep = set()
    for n, (choice, text) in enumerate(zip(source_choices, row.choices, strict=True)):
        current = mine.get(choice.translation_key)
        if current is None:
            current = Choice(
                question=translated,
                locale=locale,
                translation_key=choice.translation_key,
            )
        wanted = (text, choice.is_correct, n)
        if (
            current.pk is None
            or (
                current.text,
                current.is_correct,
                current.sort_order,
            )
            != wanted
        ):
            current.text, current.is_correct, current.sort_order = wanted
            current.save()
        keep.add(current.pk)
    Choice.objects.filter(question=translated).exclude(pk__in=keep).delete()

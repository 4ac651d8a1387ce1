"""The demo lessons for the people who write and read them: every demo page, of
every type and in both languages, can be saved unchanged from the Wagtail editor
("Save draft"), as a trainer would; and every demo lesson, read by an officer, has
short alternative text, long descriptions of its diagrams and an outline that
never skips a heading level.

The edit form is read from the edit view's HTML as a browser would submit it: plain
inputs as they are rendered, and each StreamField from the state the editor's
JavaScript builds its inputs from (the ``data-w-block-arguments-value`` of the
field), turned into the same input names.
"""

import json
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.test.utils.wagtail_tests import WagtailTestUtils

from accounts.models import User
from courses import services
from courses.models import LessonPage

EDIT_FORM_ID = "page-edit-form"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--no-officers", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    pass


def _form_state_to_data(block, state, prefix: str, data) -> None:
    """Write ``state`` (a block's form state, as the editor receives it) into
    ``data`` under the input names the editor's JavaScript gives it."""
    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(state))
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            data[f"{child_prefix}-type"] = child["type"]
            data[f"{child_prefix}-deleted"] = ""
            data[f"{child_prefix}-order"] = str(index)
            data[f"{child_prefix}-id"] = child.get("id") or ""
            _form_state_to_data(
                block.child_blocks[child["type"]],
                child["value"],
                f"{child_prefix}-value",
                data,
            )
    elif isinstance(block, blocks.ListBlock):
        data[f"{prefix}-count"] = str(len(state))
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            data[f"{child_prefix}-deleted"] = ""
            data[f"{child_prefix}-order"] = str(index)
            data[f"{child_prefix}-id"] = child.get("id") or ""
            _form_state_to_data(
                block.child_block, child["value"], f"{child_prefix}-value", data
            )
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            _form_state_to_data(child_block, state.get(name), f"{prefix}-{name}", data)
    elif isinstance(block, blocks.BooleanBlock):
        if state:
            data[prefix] = "on"
    elif isinstance(state, dict):
        # Choosers (image, document, page) send the chosen object's id.
        data[prefix] = str(state.get("id", ""))
    else:
        data[prefix] = "" if state is None else state


def edit_form_data(html: str, page: Page):
    """The data a browser posts when the editor presses "Save draft" on ``page``."""
    data = querydict_from_html(html, form_id=EDIT_FORM_ID)
    soup = WagtailTestUtils.get_soup(html)
    form = soup.find("form", attrs={"id": EDIT_FORM_ID})
    model = page.specific_class
    for widget in form.select('[data-controller="w-block"]'):
        name = widget["id"]
        field = model._meta.get_field(name)
        assert isinstance(field, StreamField), name
        state, _errors = json.loads(widget["data-w-block-arguments-value"])
        _form_state_to_data(field.stream_block, state, name, data)
    return data


def demo_pages():
    """Every page the demo built (the tree's root excepted), as (title, pk)."""
    return Page.objects.filter(depth__gt=1).order_by("path")


def editor_for(page: Page) -> User:
    # The demo trainer where trainers may edit; the administrator elsewhere.
    trainer = User.objects.get(email="trainer@tadreeb.example")
    if page.permissions_for_user(trainer).can_edit():
        return trainer
    return User.objects.get(email="admin@tadreeb.example")


def save_draft(client, page: Page):
    client.force_login(editor_for(page))
    url = f"/admin/pages/{page.pk}/edit/"
    form = client.get(url)
    assert form.status_code == 200
    return client.post(url, edit_form_data(form.content.decode(), page))


def test_every_demo_page_saves_unchanged_from_the_editor(demo, client):
    pages = list(demo_pages())
    kinds = {page.specific_class.__name__ for page in pages}
    assert {"HomePage", "CourseIndexPage", "CoursePage", "LessonPage", "QuizPage"} <= (
        kinds
    )
    refused = {}
    for page in pages:
        revisions = Revision.page_revisions.filter(object_id=str(page.pk)).count()
        response = save_draft(client, page)
        # A saved draft redirects back to the editor; a refused one renders the
        # form again with its errors.
        if response.status_code != 302 or (
            Revision.page_revisions.filter(object_id=str(page.pk)).count()
            != revisions + 1
        ):
            refused[f"{page.locale.language_code} {page.title}"] = response.status_code
    assert refused == {}


def test_the_trainer_saves_every_demo_lesson_in_both_languages(demo, client):
    trainer = User.objects.get(email="trainer@tadreeb.example")
    lessons = LessonPage.objects.all()
    assert {lesson.locale.language_code for lesson in lessons} == {"en", "ar"}
    for lesson in lessons:
        assert editor_for(lesson) == trainer
        response = save_draft(client, lesson)
        assert response.status_code == 302, lesson.title
        assert response["Location"] == f"/admin/pages/{lesson.pk}/edit/"


def test_a_too_long_alternative_text_is_refused_with_its_message(demo, client):
    """The form built here is the editor's: the same form with an over-long
    alternative text is refused, as Wagtail refused the old demo lessons."""
    lesson = next(
        lesson
        for lesson in LessonPage.objects.filter(locale__language_code="en")
        if any(block.block_type == "image" for block in lesson.body)
    )
    client.force_login(editor_for(lesson))
    url = f"/admin/pages/{lesson.pk}/edit/"
    data = edit_form_data(client.get(url).content.decode(), lesson)
    alt_input = next(key for key in data if key.endswith("-value-alt_text"))
    data[alt_input] = "x" * 341
    revisions = Revision.page_revisions.filter(object_id=str(lesson.pk)).count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert Revision.page_revisions.filter(object_id=str(lesson.pk)).count() == (
        revisions
    )
    # The editor's language is the account's; the count is in the message either way.
    assert "341" in json.dumps(
        body_errors(response.content.decode()), ensure_ascii=False
    )


def body_errors(html: str):
    """The errors the editor shows on the lesson's body."""
    widget = WagtailTestUtils.get_soup(html).find(id="body")
    _state, errors = json.loads(widget["data-w-block-arguments-value"])
    return errors


# --- Reading the demo lessons -----------------------------------------------------


def read_every_lesson(client):
    """(lesson, rendered page) for every demo lesson, read by the demo officer."""
    officer = User.objects.get(email="officer@moi.gov.kw")
    client.force_login(officer)
    for lesson in LessonPage.objects.live().order_by("locale__language_code", "path"):
        course = services.course_of(lesson)
        if services.get_enrolment(officer, course) is None:
            services.enrol(officer, course)
        response = client.get(lesson.get_url())
        assert response.status_code == 200, lesson.title
        yield lesson, WagtailTestUtils.get_soup(response.content.decode())


def test_demo_lesson_headings_follow_the_outline(demo, client):
    skipped = {}
    for lesson, soup in read_every_lesson(client):
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, lesson.title
        jumps = [
            f"h{before} to h{after}"
            for before, after in zip(levels, levels[1:], strict=False)
            if after > before + 1
        ]
        if jumps:
            skipped[f"{lesson.locale.language_code} {lesson.title}"] = jumps
    assert skipped == {}


def test_demo_diagrams_have_short_alt_text_and_a_long_description(demo, client):
    diagrams = 0
    for lesson, soup in read_every_lesson(client):
        for figure in soup.select("figure.lesson-figure"):
            image = figure.find("img")
            assert 0 < len(image["alt"]) < 150, (lesson.title, image["alt"])
            description = soup.find(id=image["aria-describedby"])
            assert len(description.get_text(strip=True)) > len(image["alt"])
            assert description.find_parent("details") is not None
            diagrams += 1
    # Seven diagrams, each in an English and an Arabic lesson.
    assert diagrams == 14

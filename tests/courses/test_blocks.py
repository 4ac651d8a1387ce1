"""Lesson StreamField blocks: what an officer reading a lesson sees, and what an
editor cannot publish."""

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory
from wagtail import blocks
from wagtail.documents.models import Document
from wagtail.embeds import embeds
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from courses.blocks import LessonStreamBlock

VIDEO_SITE_URL = "https://www.youtube.com/watch?v=training-video"
NO_CHOOSER_BLOCKS = [
    "heading",
    "paragraph",
    "callout",
    "indicator_checklist",
    "case_scenario",
    "quote",
    "video",
    "faq",
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def stream_block():
    return LessonStreamBlock()


def render(stream_block, name, raw_value, context=None):
    """Render one child block from its stored (JSON) form, as a lesson page does."""
    child = stream_block.child_blocks[name]
    return child.render(child.to_python(raw_value), context=context)


def make_document(filename, content=b"%PDF-1.4 referral form", title="Referral form"):
    return Document.objects.create(
        title=title, file=ContentFile(content, name=filename)
    )


def transcript_value(**overrides):
    value = {
        "video_file": None,
        "embed_url": "",
        "title": "First contact with a presumed victim",
        "transcript": "<p>The officer introduces herself and offers water.</p>",
    }
    value.update(overrides)
    return value


# Rendering: one test per child block, asserting what the reader would notice.


def test_heading_renders_as_section_heading(stream_block):
    html = render(
        stream_block, "heading", {"text": "Recognising victims", "level": "h2"}
    )

    assert '<h2 dir="auto">Recognising victims</h2>' in html


def test_paragraph_keeps_rich_text_formatting(stream_block):
    html = render(stream_block, "paragraph", "<p>Trafficking needs an <b>act</b>.</p>")

    assert '<div class="rich-text" dir="auto">' in html
    assert "<b>act</b>" in html


@pytest.mark.django_db
def test_image_shows_alt_text_and_caption(stream_block):
    image = Image.objects.create(
        title="Inspection", file=get_test_image_file("inspection.png")
    )

    html = render(
        stream_block,
        "image",
        {
            "image": image.pk,
            "alt_text": "An inspector speaks with a worker.",
            "caption": "Speak to workers alone.",
        },
    )

    assert 'alt="An inspector speaks with a worker."' in html
    assert "<figcaption>Speak to workers alone.</figcaption>" in html


@pytest.mark.django_db
def test_document_link_shows_title_format_and_size(stream_block):
    document = make_document("referral-form.pdf", content=b"x" * 2048)

    html = render(
        stream_block,
        "document",
        {
            "document": document.pk,
            "title": "National referral form",
            "description": "Send it to the specialised unit.",
        },
    )

    assert f'href="{document.url}"' in html
    assert "National referral form" in html
    assert "PDF" in html
    assert "2.0\xa0KB" in html
    assert "Send it to the specialised unit." in html


@pytest.mark.django_db
def test_document_without_title_uses_the_documents_own_title(stream_block):
    document = make_document("law.pdf", title="Law No. 91 of 2013")

    html = render(
        stream_block,
        "document",
        {"document": document.pk, "title": "", "description": ""},
    )

    assert "Law No. 91 of 2013" in html


@pytest.mark.parametrize(
    ("kind", "label"),
    [
        ("key_point", "Key point"),
        ("warning", "Warning"),
        ("legal_reference", "Legal reference"),
    ],
)
def test_callout_shows_its_kind_in_words(stream_block, kind, label):
    html = render(
        stream_block,
        "callout",
        {
            "kind": kind,
            "title": "",
            "text": "<p>Never interview in front of the employer.</p>",
        },
    )

    assert html.lstrip().startswith("<aside")
    assert f">{label}</p>" in html
    assert "Never interview in front of the employer." in html


def test_callout_title_is_a_level_three_heading_naming_the_aside(stream_block):
    html = render(
        stream_block,
        "callout",
        {"kind": "warning", "title": "Do not alert the suspect", "text": "<p>Text</p>"},
    )

    assert '<h3 class="lesson-callout__title"' in html
    assert "Do not alert the suspect</h3>" in html
    assert "aria-labelledby=" in html


def test_indicator_checklist_lists_each_indicator_with_its_explanation(stream_block):
    html = render(
        stream_block,
        "indicator_checklist",
        {
            "title": "Signs at the border",
            "intro": "",
            "indicators": [
                {
                    "indicator": "Someone else holds the passport",
                    "explanation": "The traveller cannot show their own documents.",
                },
                {
                    "indicator": "Travels with a minder",
                    "explanation": "A companion answers every question.",
                },
            ],
        },
    )

    assert "<h3" in html and "Signs at the border</h3>" in html
    assert '<ul class="lesson-checklist__list">' in html
    assert html.count('<li class="lesson-checklist__item">') == 2
    assert (
        '<strong class="lesson-checklist__indicator">Someone else holds the passport'
        "</strong>" in html
    )
    assert "A companion answers every question." in html
    assert "<input" not in html


def test_case_scenario_hides_model_answer_until_asked(stream_block):
    html = render(
        stream_block,
        "case_scenario",
        {
            "title": "A nervous applicant",
            "setting": "A visa interview",
            "situation": "<p>The applicant's employer filled in the form.</p>",
            "question": "What would you ask next?",
            "model_answer": "<p>Ask who paid the recruitment fee.</p>",
        },
    )

    details_start = html.index("<details")
    assert "<summary>Show a model answer</summary>" in html
    assert html.index("Ask who paid the recruitment fee.") > details_start
    assert html.index("Ask who paid the recruitment fee.") < html.index("</details>")
    # The situation and the question are visible before the reveal.
    assert html.index("The applicant's employer filled in the form.") < details_start
    assert html.index("What would you ask next?") < details_start
    assert "A visa interview" in html
    assert "<details open" not in html


def test_quote_shows_words_and_attribution_but_never_the_consent_note(stream_block):
    html = render(
        stream_block,
        "quote",
        {
            "quote": "Nobody asked me if I wanted to stay.",
            "attribution": "A former domestic worker",
            "consent_recorded": True,
            "consent_note": "Signed form kept in shelter file 2024-17",
        },
    )

    assert "<blockquote" in html
    assert "Nobody asked me if I wanted to stay." in html
    assert "<figcaption" in html and "— A former domestic worker</figcaption>" in html
    assert "shelter file 2024-17" not in html


def test_quote_without_recorded_consent_is_not_shown_to_readers(stream_block):
    html = render(
        stream_block,
        "quote",
        {
            "quote": "Nobody asked me if I wanted to stay.",
            "attribution": "A former domestic worker",
            "consent_recorded": False,
            "consent_note": "",
        },
    )

    assert "Nobody asked me" not in html


def test_quote_without_consent_tells_a_previewing_editor_why_it_is_hidden(
    stream_block,
):
    request = RequestFactory().get("/")
    request.is_preview = True

    html = render(
        stream_block,
        "quote",
        {"quote": "Words", "attribution": "A survivor", "consent_recorded": False},
        context={"request": request},
    )

    assert "consent to publish it has not been recorded" in html
    assert "Words" not in html


@pytest.mark.django_db
def test_uploaded_video_plays_without_preloading_and_can_be_downloaded(stream_block):
    video = make_document("first-contact.mp4", content=b"\x00" * 4096, title="Video")

    html = render(stream_block, "video", transcript_value(video_file=video.pk))

    assert '<video class="lesson-video__player" controls preload="none">' in html
    assert f'<source src="{video.url}" type="video/mp4">' in html
    assert f'<a href="{video.url}" download>' in html
    assert "The officer introduces herself and offers water." in html


@pytest.mark.django_db
def test_video_transcript_is_open_without_a_click(stream_block):
    video = make_document("first-contact.webm", content=b"\x00", title="Video")

    html = render(stream_block, "video", transcript_value(video_file=video.pk))

    assert '<details class="lesson-reveal lesson-video__transcript" open>' in html
    assert "<summary>Transcript</summary>" in html


@pytest.mark.django_db
def test_embedded_video_shows_player_and_a_plain_link(stream_block):
    # Wagtail reads embeds from its database cache first, so no network is needed.
    Embed.objects.create(
        url=VIDEO_SITE_URL,
        hash=get_embed_hash(VIDEO_SITE_URL),
        type="video",
        html='<iframe title="First contact" src="https://example.org/e"></iframe>',
    )

    html = render(stream_block, "video", transcript_value(embed_url=VIDEO_SITE_URL))

    assert '<iframe title="First contact"' in html
    assert f'<a href="{VIDEO_SITE_URL}">' in html
    assert "The officer introduces herself and offers water." in html


@pytest.mark.django_db
def test_unreachable_video_site_leaves_link_and_transcript(stream_block, monkeypatch):
    def unreachable(url, max_width=None, max_height=None):
        raise EmbedNotFoundException("Request failed: network unreachable")

    monkeypatch.setattr(embeds, "get_finder_for_embed", unreachable)

    html = render(stream_block, "video", transcript_value(embed_url=VIDEO_SITE_URL))

    assert "The video cannot be shown here." in html
    assert f'<a href="{VIDEO_SITE_URL}">' in html
    assert "The officer introduces herself and offers water." in html


def test_faq_puts_each_answer_behind_its_question(stream_block):
    html = render(
        stream_block,
        "faq",
        {
            "title": "Common questions",
            "items": [
                {
                    "question": "Must a victim cooperate to get help?",
                    "answer": "<p>No, help does not depend on it.</p>",
                },
                {
                    "question": "Can a man be a victim?",
                    "answer": "<p>Yes, men are often trafficked for labour.</p>",
                },
            ],
        },
    )

    assert "Common questions</h3>" in html
    assert html.count("<details") == 2
    assert "<summary>Must a victim cooperate to get help?</summary>" in html
    first_answer = html.index("No, help does not depend on it.")
    assert html.index("<summary>Must a victim") < first_answer
    assert first_answer < html.index("</details>")


@pytest.mark.django_db
def test_whole_lesson_body_renders_every_kind_of_block(stream_block):
    document = make_document("referral.pdf")
    value = stream_block.to_python(
        [
            {"type": "heading", "value": {"text": "Module 1", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Read this first.</p>"},
            {
                "type": "document",
                "value": {"document": document.pk, "title": "", "description": ""},
            },
            {
                "type": "callout",
                "value": {"kind": "warning", "title": "", "text": "<p>Careful.</p>"},
            },
        ]
    )

    html = stream_block.render(value)

    assert "Module 1" in html
    assert "Read this first." in html
    assert "Referral form" in html
    assert "Warning" in html


# Validation: what an editor cannot publish.


@pytest.mark.django_db
def test_video_with_both_a_file_and_an_address_is_rejected(stream_block):
    video_block = stream_block.child_blocks["video"]
    video = make_document("clip.mp4", content=b"\x00")
    value = video_block.to_python(
        transcript_value(video_file=video.pk, embed_url=VIDEO_SITE_URL)
    )

    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        video_block.clean(value)

    assert "not both" in str(excinfo.value.non_block_errors.as_data()[0].messages)


def test_video_with_neither_a_file_nor_an_address_is_rejected(stream_block):
    video_block = stream_block.child_blocks["video"]
    value = video_block.to_python(transcript_value())

    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        video_block.clean(value)

    message = excinfo.value.non_block_errors.as_data()[0].messages[0]
    assert message == (
        "Add the video: choose an uploaded video file or enter a video address."
    )


def test_draft_may_be_saved_before_the_video_is_chosen(stream_block):
    value = stream_block.to_python([{"type": "video", "value": transcript_value()}])

    cleaned = stream_block.clean_deferred(value)

    assert cleaned[0].value["title"] == "First contact with a presumed victim"
    with pytest.raises(blocks.StreamBlockValidationError):
        stream_block.clean(value)


@pytest.mark.django_db
def test_uploaded_video_must_be_mp4_or_webm(stream_block):
    video_block = stream_block.child_blocks["video"]
    not_a_video = make_document("slides.pptx", content=b"\x00")
    value = video_block.to_python(transcript_value(video_file=not_a_video.pk))

    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        video_block.clean(value)

    assert "video_file" in excinfo.value.block_errors


@pytest.mark.django_db
def test_uploaded_mp4_with_transcript_is_accepted(stream_block):
    video_block = stream_block.child_blocks["video"]
    video = make_document("clip.mp4", content=b"\x00")
    value = video_block.to_python(transcript_value(video_file=video.pk))

    cleaned = video_block.clean(value)

    assert cleaned["video_file"] == video


def test_quote_without_recorded_consent_cannot_be_published(stream_block):
    value = stream_block.to_python(
        [
            {
                "type": "quote",
                "value": {
                    "quote": "Nobody asked me if I wanted to stay.",
                    "attribution": "A former domestic worker",
                    "consent_recorded": False,
                    "consent_note": "",
                },
            }
        ]
    )

    with pytest.raises(blocks.StreamBlockValidationError) as excinfo:
        stream_block.clean(value)

    quote_errors = excinfo.value.block_errors[0]
    assert "consent_recorded" in quote_errors.block_errors


def test_consent_help_text_says_testimony_needs_recorded_consent(stream_block):
    consent = stream_block.child_blocks["quote"].child_blocks["consent_recorded"]

    assert consent.required
    assert "only be published" in str(consent.field.help_text)


# Editor experience: descriptions and previews in the block picker.


def test_lesson_blocks_come_in_the_order_editors_expect(stream_block):
    assert list(stream_block.child_blocks) == [
        "heading",
        "paragraph",
        "image",
        "document",
        "callout",
        "indicator_checklist",
        "case_scenario",
        "quote",
        "video",
        "faq",
    ]


def test_every_lesson_block_has_a_description_and_a_preview(stream_block):
    for name, child in stream_block.child_blocks.items():
        assert child.get_description(), name
        assert getattr(child.meta, "preview_value", None), name
        assert child.meta.icon, name
        assert child.meta.template, name
        assert child.label, name


@pytest.mark.parametrize("name", NO_CHOOSER_BLOCKS)
def test_block_preview_renders_without_choosing_a_file(stream_block, name):
    child = stream_block.child_blocks[name]

    html = child.render(child.get_preview_value())

    assert html.strip()
    assert "None" not in html

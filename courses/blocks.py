"""StreamField blocks that trainers use to write lesson pages.

Headings and captioned images come from ``core.blocks`` so that lessons look like the
rest of the site; the blocks defined here are the ones a lesson on trafficking in
persons needs: downloadable documents, callouts, indicator checklists, case
scenarios with a model answer, survivor quotes (published only with recorded
consent), videos with a transcript, and frequently asked questions.

Every template lives in ``templates/courses/blocks/`` and is styled by
``static/css/lesson-blocks.css``.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock

from core.blocks import BaseStreamBlock, CaptionedImageBlock

__all__ = [
    "VIDEO_FILE_EXTENSIONS",
    "CalloutBlock",
    "CalloutKind",
    "CaseScenarioBlock",
    "DocumentBlock",
    "FAQBlock",
    "FAQItemBlock",
    "IndicatorBlock",
    "IndicatorChecklistBlock",
    "LessonImageBlock",
    "LessonStreamBlock",
    "QuoteBlock",
    "VideoBlock",
]

# Formats that every current browser plays in a <video> element.
VIDEO_FILE_EXTENSIONS = ("mp4", "webm")


def _element_id(prefix: str) -> str:
    # Several blocks of one kind can share a page, so ids that tie a label to its
    # region must be unique per rendering.
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# The levels the lesson's own headings and block titles take (the page title is h1).
TOP_LEVEL = 1
DEEPEST_LEVEL = 6
HEADING_LEVELS = {"h2": 2, "h3": 3}


def outline_levels(blocks_in_order) -> list[int]:
    """The heading level of each block of a lesson body, so that the outline never
    skips a level: a subsection heading before any section heading is a section
    (h2), and a block with a title (callout, scenario, checklist, FAQ, video) sits
    one level below the heading it follows. ``blocks_in_order`` are the stream's
    children."""
    section = TOP_LEVEL
    seen_section = False
    levels = []
    for child in blocks_in_order:
        if child.block_type == "heading":
            wanted = HEADING_LEVELS.get(child.value.get("level"), 2)
            section = wanted if seen_section else 2
            seen_section = seen_section or wanted == 2
            levels.append(section)
        else:
            levels.append(min(section + 1, DEEPEST_LEVEL))
    return levels


class LessonImageBlock(CaptionedImageBlock):
    """An image or diagram with short alternative text and, for a diagram, a long
    description that screen readers reach from the image and that prints."""

    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_(
            "What the image is, in one short sentence (under 150 characters). "
            "Describe a diagram in full in the long description."
        ),
    )
    long_description = blocks.TextBlock(
        label=_("Long description"),
        required=False,
        help_text=_(
            "Everything a diagram shows, for people who cannot see it: boxes, "
            "arrows and text, in reading order. Officers open it under the image."
        ),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        image = value.get("image")
        context["is_diagram"] = bool(image and image.is_svg())
        context["description_id"] = _element_id("image-description")
        return context

    class Meta:
        icon = "image"
        template = "courses/blocks/lesson_image_block.html"
        label = _("Image")
        description = _(
            "An image or diagram with short alternative text, a caption and a "
            "long description."
        )
        preview_value = {
            "alt_text": "Diagram: the three elements of trafficking.",
            "caption": "For a child, the act and the purpose are enough.",
            "long_description": (
                "Three boxes joined by plus signs: the act, the means and the purpose."
            ),
        }


class DocumentBlock(blocks.StructBlock):
    """A document to download, such as a referral form or a copy of the law."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave blank to use the document's own title."),
    )
    description = blocks.CharBlock(
        label=_("Description"),
        required=False,
        max_length=300,
        help_text=_("One sentence on what the document is and when to use it."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        document = value.get("document")
        context["document"] = document
        context["file_extension"] = document.file_extension.upper() if document else ""
        # get_file_size() returns None when the file is missing from storage.
        context["file_size"] = document.get_file_size() if document else None
        return context

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document_block.html"
        label = _("Document")
        description = _("A file officers can download, with its format and size shown.")
        preview_value = {
            "title": "Referral form for presumed victims",
            "description": (
                "Fill it in with the person and send it to the specialised unit "
                "on the same day."
            ),
        }


class CalloutKind(models.TextChoices):
    KEY_POINT = "key_point", _("Key point")
    WARNING = "warning", _("Warning")
    LEGAL_REFERENCE = "legal_reference", _("Legal reference")


class CalloutBlock(blocks.StructBlock):
    """A highlighted note whose kind is written out, not shown by colour alone."""

    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=CalloutKind.choices,
        default=CalloutKind.KEY_POINT,
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    text = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ol", "ul"]
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        kind = value.get("kind") or CalloutKind.KEY_POINT
        try:
            kind = CalloutKind(kind)
        except ValueError:
            kind = CalloutKind.KEY_POINT
        context["kind"] = kind.value
        context["kind_label"] = kind.label
        context["label_id"] = _element_id("callout")
        return context

    class Meta:
        icon = "warning"
        template = "courses/blocks/callout_block.html"
        label = _("Callout")
        description = _("A key point, a warning or a legal reference, set apart.")
        preview_value = {
            "kind": "legal_reference",
            "title": "Consent does not excuse exploitation",
            "text": (
                "<p>Under the international definition of trafficking, a victim's "
                "agreement to the work is irrelevant once the offender has used "
                "deception, threats, force or the abuse of a position of "
                "vulnerability.</p>"
            ),
        }


class IndicatorBlock(blocks.StructBlock):
    """One sign of possible trafficking and why it matters."""

    indicator = blocks.CharBlock(
        label=_("Indicator"),
        max_length=200,
        help_text=_("Short and concrete, e.g. 'Someone else holds their passport'."),
    )
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        help_text=_("Why it matters and what an officer might notice."),
    )

    class Meta:
        icon = "tick"
        label = _("Indicator")


class IndicatorChecklistBlock(blocks.StructBlock):
    """A list of indicators an officer can run through, even on a phone."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    indicators = blocks.ListBlock(IndicatorBlock(), label=_("Indicators"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "courses/blocks/indicator_checklist_block.html"
        label = _("Indicator checklist")
        description = _(
            "Signs that may point to trafficking, each with a short explanation."
        )
        preview_value = {
            "title": "Signs of forced labour at a work site",
            "intro": (
                "No single sign proves trafficking. Several together are a reason "
                "to speak to the worker alone."
            ),
            "indicators": [
                {
                    "indicator": "The employer keeps the worker's passport",
                    "explanation": (
                        "Holding identity documents stops a worker from leaving "
                        "or changing employer."
                    ),
                },
                {
                    "indicator": "A recruitment debt that keeps growing",
                    "explanation": (
                        "Fees, rent and fines are deducted from wages so the debt "
                        "is never paid off."
                    ),
                },
                {
                    "indicator": "Answers sound rehearsed",
                    "explanation": (
                        "The worker gives the same words as colleagues or looks to "
                        "a supervisor before answering."
                    ),
                },
            ],
        }


class CaseScenarioBlock(blocks.StructBlock):
    """A situation to think through, with a model answer revealed on request."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    setting = blocks.CharBlock(
        label=_("Setting"),
        required=False,
        max_length=120,
        help_text=_("Where it happens, e.g. 'A visa interview'."),
    )
    situation = blocks.RichTextBlock(
        label=_("Situation"), features=["bold", "italic", "ol", "ul"]
    )
    question = blocks.TextBlock(
        label=_("Question"),
        help_text=_("A question for the officer to think about before reading on."),
    )
    model_answer = blocks.RichTextBlock(
        label=_("Model answer"),
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        help_text=_("Hidden until the officer asks to see it."),
    )

    class Meta:
        icon = "help"
        template = "courses/blocks/case_scenario_block.html"
        label = _("Case scenario")
        description = _(
            "A realistic case and a question, with a model answer the officer "
            "opens when ready."
        )
        preview_value = {
            "title": "The cleaner who cannot leave",
            "setting": "A labour inspection at a cleaning company",
            "situation": (
                "<p>A worker tells you that her supervisor keeps her passport 'for "
                "safekeeping'. She has worked for eight months and still owes the "
                "recruitment agency most of her first year's wages.</p>"
            ),
            "question": "Which indicators do you see, and what would you do next?",
            "model_answer": (
                "<p>Two indicators stand out: the retained passport and a debt "
                "that binds her to the job. Speak to her away from the supervisor, "
                "with an interpreter who has no link to the employer, and refer "
                "the case to the specialised unit rather than confronting the "
                "company on the spot.</p>"
            ),
        }


class QuoteBlock(blocks.StructBlock):
    """A survivor's or practitioner's words, published only with recorded consent."""

    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Attribution"),
        max_length=200,
        help_text=_(
            "Who said it, without details that could identify a survivor, "
            "e.g. 'A former domestic worker'."
        ),
    )
    consent_recorded = blocks.BooleanBlock(
        label=_("Consent recorded"),
        required=True,
        help_text=_(
            "A testimony may only be published once the person's consent to "
            "publication has been recorded. Tick to confirm that it has."
        ),
    )
    consent_note = blocks.CharBlock(
        label=_("Consent note (not published)"),
        required=False,
        max_length=300,
        help_text=_(
            "How and when consent was recorded and where the record is kept. "
            "Only editors see this note."
        ),
    )

    class Meta:
        icon = "openquote"
        template = "courses/blocks/quote_block.html"
        label = _("Quote")
        description = _(
            "Words from a survivor or practitioner, shown only with recorded consent."
        )
        preview_value = {
            "quote": (
                "The first person who asked me whether I was free to go was the "
                "inspector. Until then I thought nobody would believe me."
            ),
            "attribution": "A former domestic worker",
            "consent_recorded": True,
            "consent_note": "Written consent taken by shelter staff with an "
            "interpreter; the form is kept in the shelter file.",
        }


class VideoBlock(blocks.StructBlock):
    """A video, uploaded or from a video site, always with a written transcript."""

    video_file = DocumentChooserBlock(
        label=_("Video file"),
        required=False,
        help_text=_(
            "An MP4 or WebM video uploaded to the documents library. Prefer this: "
            "many government networks block video sites."
        ),
    )
    embed_url = EmbedBlock(
        label=_("Video address"),
        required=False,
        help_text=_("Or the address of the video on a video site."),
    )
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=["bold", "italic", "ol", "ul"],
        help_text=_(
            "Everything said and shown in the video, for officers who cannot play "
            "it or cannot hear it."
        ),
    )

    def clean(self, value):
        video_file = value.get("video_file")
        embed_url = value.get("embed_url")
        # Checked before the children are cleaned: cleaning an EmbedBlock fetches
        # the embed over the network, which is pointless if the value is wrong.
        if video_file and embed_url:
            raise blocks.StructBlockValidationError(
                non_block_errors=[
                    ValidationError(
                        _(
                            "Choose either an uploaded video file or a video "
                            "address, not both."
                        ),
                        code="two_video_sources",
                    )
                ]
            )
        # A draft may be saved before the video is chosen; publishing may not.
        if not video_file and not embed_url and not self.is_deferred_validation:
            raise blocks.StructBlockValidationError(
                non_block_errors=[
                    ValidationError(
                        _(
                            "Add the video: choose an uploaded video file or enter "
                            "a video address."
                        ),
                        code="no_video_source",
                    )
                ]
            )
        if (
            video_file
            and video_file.file_extension.lower() not in VIDEO_FILE_EXTENSIONS
        ):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "video_file": ValidationError(
                        _("The video file must be an MP4 or WebM file."),
                        code="video_format",
                    )
                }
            )
        return super().clean(value)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        video_file = value.get("video_file")
        embed_url = value.get("embed_url")
        context["video_file"] = video_file
        if video_file:
            content_type = video_file.content_type
            context["video_type"] = (
                content_type if content_type.startswith("video/") else ""
            )
            context["file_extension"] = video_file.file_extension.upper()
            context["file_size"] = video_file.get_file_size()
        context["embed_url"] = embed_url.url if embed_url else ""
        # str() fetches the embed (or reads it from Wagtail's cache) and gives ""
        # when it cannot be fetched, so an unreachable site never breaks the page.
        context["embed_html"] = str(embed_url) if embed_url else ""
        return context

    class Meta:
        icon = "media"
        template = "courses/blocks/video_block.html"
        label = _("Video")
        description = _(
            "An uploaded or embedded video with a transcript that is always shown."
        )
        preview_value = {
            "title": "How a shelter receives a referred victim",
            "transcript": (
                "<p>A case worker explains what happens in the first hour: a "
                "private room, a medical check if the person wants one, an "
                "interpreter, and a clear explanation of the person's rights, "
                "including the right to refuse an interview.</p>"
            ),
        }


class FAQItemBlock(blocks.StructBlock):
    """One question and its answer."""

    question = blocks.CharBlock(label=_("Question"), max_length=250)
    answer = blocks.RichTextBlock(
        label=_("Answer"),
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
    )

    class Meta:
        icon = "help"
        label = _("Question and answer")


class FAQBlock(blocks.StructBlock):
    """Questions officers often ask, each answer opened on request."""

    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    # Read it as value["items"] in Python: value.items is the dict method.
    items = blocks.ListBlock(FAQItemBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/faq_block.html"
        label = _("Frequently asked questions")
        description = _("Questions with answers that open one at a time.")
        preview_value = {
            "title": "Questions officers ask",
            "items": [
                {
                    "question": "Must the person agree to help the investigation "
                    "before they get assistance?",
                    "answer": (
                        "<p>No. Shelter, medical care and legal advice are offered "
                        "whether or not the person cooperates with the police.</p>"
                    ),
                },
                {
                    "question": "She agreed to the job. Can she still be a victim?",
                    "answer": (
                        "<p>Yes. Agreeing to a job does not mean agreeing to be "
                        "exploited, especially when the terms were a lie.</p>"
                    ),
                },
            ],
        }


class LessonStreamBlock(BaseStreamBlock):
    """The body of a lesson page: the site's heading and paragraph blocks, an image
    block with a long description, and the blocks lessons need."""

    image = LessonImageBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    indicator_checklist = IndicatorChecklistBlock()
    case_scenario = CaseScenarioBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    faq = FAQBlock()

    def render_basic(self, value, context=None):
        # Each block is told its heading level (``heading_level``) so that the
        # lesson's outline follows h1 > h2 > h3 whatever order trainers chose.
        context = dict(context or {})
        children = list(value)
        return format_html_join(
            "\n",
            "{}",
            (
                (child.render(context={**context, "heading_level": level}),)
                for child, level in zip(children, outline_levels(children), strict=True)
            ),
        )

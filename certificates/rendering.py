"""Certificate PDFs: one HTML/CSS template, two engines.

``render_pdf`` turns a :class:`CertificateContent` (everything printed, already
snapshotted by the caller) into PDF bytes. WeasyPrint is the default engine and writes
PDF/A-3b with document metadata; wkhtmltopdf (through pdfkit) renders the same template
when ``settings.CERTIFICATES_PDF_ENGINE = "wkhtmltopdf"``. The page refers to nothing on
the network: fonts come from ``certificates/fonts/``, images are inlined as data: URIs,
and WeasyPrint's URL fetcher refuses anything else.

This module knows nothing about models or storage; ``certificates.services`` builds the
content, calls ``render_pdf`` and, when configured, ``certificates.signing.sign_pdf``.
"""

import atexit
import base64
import functools
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from babel.dates import format_date
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.dates import hijri

from .pdf_text import repair_text_layer
from .qr import qr_svg

FONT_DIR = Path(__file__).resolve().parent / "fonts"
TEMPLATE_NAME = "certificates/pdf/certificate.html"
DEFAULT_ACCENT_COLOUR = "#0b5563"
DEFAULT_ENGINE = "weasyprint"
ENGINES = ("weasyprint", "wkhtmltopdf")
DEFAULT_WKHTMLTOPDF_PATH = "/usr/bin/wkhtmltopdf"
#: WeasyPrint's identifier of the archival profile the certificates claim.
PDF_VARIANT = "pdf/a-3b"

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

_ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class Signatory:
    """A person whose name, title and optional signature image close the certificate."""

    name_en: str
    title_en: str
    name_ar: str
    title_ar: str
    signature_png: bytes | None = None


@dataclass(frozen=True)
class CertificateDesign:
    """The trainer-editable wording and look of a certificate."""

    title_en: str
    title_ar: str
    statement_en: str
    statement_ar: str  # for a man
    signatories: tuple[Signatory, ...] = ()
    statement_ar_female: str = ""
    statement_ar_neutral: str = ""
    show_hijri: bool = False
    logo_png: bytes | None = None
    accent_colour: str = DEFAULT_ACCENT_COLOUR

    @property
    def css_accent_colour(self) -> str:
        """The accent colour if it is a ``#rrggbb`` value, else the default.

        The value ends up inside a ``<style>`` block, so anything else is refused.
        """
        colour = (self.accent_colour or "").strip()
        if _HEX_COLOUR.fullmatch(colour):
            return colour.lower()
        return DEFAULT_ACCENT_COLOUR

    def statement_ar_for(self, gender: str) -> str:
        """The Arabic statement that agrees with ``gender``; where a design lacks
        a variant, the neutral one, then the man's (Arabic's generic form)."""
        if gender == "female":
            return (
                self.statement_ar_female
                or self.statement_ar_neutral
                or self.statement_ar
            )
        if gender == "male":
            return self.statement_ar
        return self.statement_ar_neutral or self.statement_ar


# The words above the name in the Arabic column, with the honorific that agrees
# with the recipient (none when the gender is not given).
AWARDED_TO_AR = {
    "male": "مُنحت إلى السيد",
    "female": "مُنحت إلى السيدة",
    "undisclosed": "مُنحت إلى",
}


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on one certificate, in both languages."""

    code: str
    name_en: str
    name_ar: str
    course_en: str
    course_ar: str
    ministry_en: str
    ministry_ar: str
    verify_url: str
    issued_on: date
    expires_on: date | None
    design: CertificateDesign
    organisation_en: str = "Tadreeb"
    #: The gender the Arabic text agrees with: "male", "female" or "undisclosed".
    gender: str = "undisclosed"


def render_html(content: CertificateContent, *, engine: str = DEFAULT_ENGINE) -> str:
    """The certificate as a standalone HTML document, the input of both engines.

    ``engine`` only adds what wkhtmltopdf needs (see ``_adapt_for_wkhtmltopdf``); the
    default output also suits a browser preview.
    """
    context = _template_context(content)
    context["engine"] = engine
    context["sans"], context["naskh"] = "Tadreeb Noto Sans", "Tadreeb Noto Naskh Arabic"
    context["mono"] = "Tadreeb DejaVu Sans Mono"
    if engine == "wkhtmltopdf":
        _adapt_for_wkhtmltopdf(context)
    return render_to_string(TEMPLATE_NAME, context)


def render_pdf(content: CertificateContent, engine: str | None = None) -> bytes:
    """Render ``content`` to PDF bytes with ``engine`` (default: the configured one).

    Raises ``ImproperlyConfigured`` for an unknown engine or a missing wkhtmltopdf.
    """
    if engine is None:
        engine = getattr(settings, "CERTIFICATES_PDF_ENGINE", None) or DEFAULT_ENGINE
    engine = engine.strip().lower()
    if engine == "weasyprint":
        return _render_weasyprint(content)
    if engine == "wkhtmltopdf":
        return _render_wkhtmltopdf(content)
    raise ImproperlyConfigured(
        f"Unknown certificate PDF engine {engine!r}; "
        f"CERTIFICATES_PDF_ENGINE must be one of {', '.join(ENGINES)}."
    )


def document_title(content: CertificateContent) -> str:
    """The PDF's title entry."""
    return f"Certificate {content.code}"


# Template context ---------------------------------------------------------------------


def _template_context(content: CertificateContent) -> dict:
    design = content.design
    accent = design.css_accent_colour
    return {
        "c": content,
        "document_title": document_title(content),
        "design": design,
        # An English stand-in in the Arabic column is printed inside <bdi>.
        "name_ar": content.name_ar or content.name_en,
        "name_ar_is_english": not content.name_ar,
        "course_ar": content.course_ar or content.course_en,
        "course_ar_is_english": not content.course_ar,
        "ministry_ar": content.ministry_ar or content.ministry_en,
        "ministry_ar_is_english": not content.ministry_ar,
        "title_ar": design.title_ar or design.title_en,
        "awarded_to_ar": AWARDED_TO_AR.get(
            content.gender, AWARDED_TO_AR["undisclosed"]
        ),
        "statement_ar": design.statement_ar_for(content.gender) or design.statement_en,
        "accent": accent,
        "accent_tint": _tint(accent, 0.93),
        "accent_soft": _tint(accent, 0.55),
        "font_base_url": FONT_DIR.as_uri() + "/",
        "logo_uri": _image_data_uri(design.logo_png),
        "signatories": [
            {
                "name_en": signatory.name_en,
                "title_en": signatory.title_en,
                "name_ar": signatory.name_ar or signatory.name_en,
                "title_ar": signatory.title_ar or signatory.title_en,
                "signature_uri": _image_data_uri(signatory.signature_png),
            }
            for signatory in design.signatories
        ],
        "issued_en": _date_en(content.issued_on),
        "issued_ar": _date_ar(content.issued_on),
        "expires_en": _date_en(content.expires_on) if content.expires_on else None,
        "expires_ar": _date_ar(content.expires_on) if content.expires_on else None,
        **_hijri_dates(content),
        # segno escapes the URL inside the SVG's <title>; the rest is our own markup.
        "qr_svg": mark_safe(qr_svg(content.verify_url)),  # noqa: S308
    }


def _date_en(value: date) -> str:
    return format_date(value, "d MMMM y", locale="en")


def _date_ar(value: date) -> str:
    # CLDR's Arabic month names are those used in Kuwait and the Gulf (يناير،
    # فبراير، ... أبريل); Django's Arabic catalogue spells April إبريل. Babel
    # leaves the digits Latin: the certificate prints them Arabic-Indic.
    return format_date(value, "d MMMM y", locale="ar").translate(_ARABIC_INDIC_DIGITS)


def _hijri_dates(content: CertificateContent) -> dict:
    """The Umm al-Qura dates when the design asks for them: Arabic month names and
    Arabic-Indic digits in the Arabic column, transliterated names in the English."""
    keys = (
        "issued_hijri_en",
        "issued_hijri_ar",
        "expires_hijri_en",
        "expires_hijri_ar",
    )
    dates = dict.fromkeys(keys, "")
    if not content.design.show_hijri:
        return dates
    for prefix, value in (
        ("issued", content.issued_on),
        ("expires", content.expires_on),
    ):
        if value is not None:
            dates[f"{prefix}_hijri_en"] = hijri(value, "en")
            dates[f"{prefix}_hijri_ar"] = hijri(value, "ar").translate(
                _ARABIC_INDIC_DIGITS
            )
    return dates


def _tint(colour: str, amount: float) -> str:
    """Mix a ``#rrggbb`` colour with white (``amount`` 1.0 is white)."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(value + (255 - value) * amount) for value in channels)
    return "#" + "".join(f"{value:02x}" for value in mixed)


def _image_data_uri(data: bytes | None) -> str | None:
    """Inline a PNG (or JPEG) as a data: URI; anything else is left out."""
    if not data:
        return None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    else:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# WeasyPrint ---------------------------------------------------------------------------

# Building a FontConfiguration (a Fontconfig set-up) and loading the @font-face fonts
# into it is the slow part of a first render; each thread keeps its own because
# Pango's font maps must not be shared between threads.
_weasyprint_state = threading.local()


def _font_configuration():
    font_config = getattr(_weasyprint_state, "font_config", None)
    if font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        _weasyprint_state.font_config = font_config
    return font_config


@functools.cache
def _local_only_fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetches data: URLs and the shipped font files; refuses everything else.

        WeasyPrint logs a refusal as a warning and carries on without the resource.
        """

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parts = urlsplit(url)
                path = Path(unquote(parts.path)).resolve()
                if (
                    parts.netloc in ("", "localhost")
                    and path.is_relative_to(FONT_DIR)
                    and path.is_file()
                ):
                    return super().fetch(url, headers)
            raise ValueError(f"certificate renderer refuses to fetch {url[:100]!r}")

    return LocalOnlyFetcher


def _local_only_fetcher():
    # A fresh fetcher per document: urllib openers keep per-request state.
    fetcher_class = _local_only_fetcher_class()
    return fetcher_class(allowed_protocols=("data", "file"), allow_redirects=False)


def _render_weasyprint(content: CertificateContent) -> bytes:
    from weasyprint import HTML

    document = HTML(
        string=render_html(content),
        base_url=FONT_DIR.as_uri() + "/",
        url_fetcher=_local_only_fetcher(),
    )
    return document.write_pdf(
        font_config=_font_configuration(),
        pdf_variant=PDF_VARIANT,
    )


# wkhtmltopdf --------------------------------------------------------------------------


def _render_wkhtmltopdf(content: CertificateContent) -> bytes:
    import pdfkit

    binary = getattr(settings, "WKHTMLTOPDF_PATH", None) or DEFAULT_WKHTMLTOPDF_PATH
    if not Path(binary).is_file():
        raise ImproperlyConfigured(
            f"wkhtmltopdf is not installed at {binary}: run `make` (it installs the "
            "Debian package) or set WKHTMLTOPDF_PATH."
        )
    options = {
        "page-size": "A4",
        "orientation": "Landscape",
        "margin-top": "0",
        "margin-right": "0",
        "margin-bottom": "0",
        "margin-left": "0",
        "encoding": "UTF-8",
        "title": document_title(content),
        "disable-javascript": None,
        "disable-external-links": None,
        "print-media-type": None,
        # The page is self-contained: no local files (wkhtmltopdf's default, made
        # explicit); fonts come through Fontconfig, images as data: URIs.
        "disable-local-file-access": None,
        "load-error-handling": "abort",
        "quiet": None,
    }
    configuration = pdfkit.configuration(
        wkhtmltopdf=binary, environ=_wkhtmltopdf_environment()
    )
    pdf = pdfkit.from_string(
        render_html(content, engine="wkhtmltopdf"),
        False,
        options=options,
        configuration=configuration,
    )
    return _with_document_info(repair_text_layer(pdf, _printed_text(content)), content)


# Widths (mm) and font sizes (mm) of the Arabic texts in the template, for the
# line breaking below. Keep them in step with the template's CSS (the Arabic column
# is about 112 mm wide); the widths leave some room because the estimate is rough.
_ARABIC_COLUMN_MM = 106
_ARABIC_TEXTS = {
    # key: (font size, bold, width)
    "title_ar": (8.8, True, _ARABIC_COLUMN_MM),
    "name_ar": (7.6, True, _ARABIC_COLUMN_MM),
    "statement_ar": (3.6, False, _ARABIC_COLUMN_MM),
    "course_ar": (5.2, True, _ARABIC_COLUMN_MM),
    "ministry_ar": (3.6, True, _ARABIC_COLUMN_MM - 30),
}
_SIGNATORIES_MM = 110  # the footer's signatory cell, shared by all signatories
_LINE_END_PUNCTUATION = set(":;,.!?،؛؟")


def _adapt_for_wkhtmltopdf(context: dict) -> None:
    """Adjust the template context for Debian's wkhtmltopdf.

    It uses its fonts' real family names (served by _wkhtmltopdf_environment), and
    gets Arabic texts already broken into lines: its QtWebKit measures Arabic runs
    wrongly and never wraps them, so a long course title would run out of its column.
    A single line per run comes out right.
    """
    context["sans"], context["naskh"] = "Noto Sans", "Noto Naskh Arabic"
    context["mono"] = "DejaVu Sans Mono"
    for key, (size, bold, width) in _ARABIC_TEXTS.items():
        context[key] = _broken_into_lines(context[key], size, bold, width)
    signatories = context["signatories"]
    if signatories:
        width = _SIGNATORIES_MM / len(signatories) - 10
        for signatory in signatories:
            signatory["name_ar"] = _broken_into_lines(
                signatory["name_ar"], 3.2, True, width
            )
            signatory["title_ar"] = _broken_into_lines(
                signatory["title_ar"], 2.8, False, width
            )


def _broken_into_lines(text: str, size_mm: float, bold: bool, width_mm: float):
    """``text`` escaped, with ``<br>`` wherever a line would exceed ``width_mm``."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and _width_em(candidate, bold) * size_mm > width_mm:
            # QtWebKit also misplaces a line that ends in punctuation: carry the
            # punctuated word over to the next line when there is one before it.
            head, _, last = current.rpartition(" ")
            if head and last[-1] in _LINE_END_PUNCTUATION:
                lines.append(head)
                current = f"{last} {word}"
            else:
                lines.append(current)
                current = word
        else:
            current = candidate
    lines.append(current)
    return mark_safe("<br>\n".join(escape(line) for line in lines))  # noqa: S308


def _width_em(text: str, bold: bool) -> float:
    """Rough width of ``text`` in em, from its characters' advance widths.

    The fonts give the widths of isolated letters. Joined Arabic letters print
    about a fifth narrower, but QtWebKit places an RTL line by the isolated widths:
    a line that is too wide by that measure is pushed out of its column to the right
    (its lines then overhang the frame). So the isolated widths are what count.
    """
    naskh, sans = _advance_widths(bold)
    total = 0
    for character in text:
        code = ord(character)
        total += naskh[code] if code in naskh else sans.get(code, 600)
    return total / 1000


@functools.cache
def _advance_widths(bold: bool) -> tuple[dict[int, float], dict[int, float]]:
    """Advance widths in thousandths of an em, per code point: Naskh, then Sans."""
    from fontTools.ttLib import TTFont

    weight = "Bold" if bold else "Regular"
    tables = []
    for family in ("NotoNaskhArabic", "NotoSans"):
        font = TTFont(FONT_DIR / f"{family}-{weight}.ttf", lazy=True)
        scale = 1000 / font["head"].unitsPerEm
        metrics = font["hmtx"]
        tables.append(
            {
                code: metrics[glyph][0] * scale
                for code, glyph in font.getBestCmap().items()
            }
        )
    return tables[0], tables[1]


_FONTCONFIG_FILE = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
</fontconfig>
"""


@functools.cache
def _wkhtmltopdf_environment() -> dict[str, str]:
    """Environment in which wkhtmltopdf sees the shipped fonts and no other.

    The Fontconfig file lists certificates/fonts/ as its only font folder and keeps
    the system's matching rules (wkhtmltopdf crashes without them). It and its cache
    live in a temporary folder made once per process and removed when it exits.
    """
    folder = Path(tempfile.mkdtemp(prefix="tadreeb-fontconfig-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    config = folder / "fonts.conf"
    config.write_text(
        _FONTCONFIG_FILE.format(
            fonts=xml_escape(str(FONT_DIR)), cache=xml_escape(str(folder / "cache"))
        ),
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def _printed_text(content: CertificateContent) -> str:
    """Every character the certificate may print (for ``repair_text_layer``)."""
    context = _template_context(content)
    return render_to_string(TEMPLATE_NAME, context) + "".join(
        str(value) for value in context.values() if isinstance(value, str)
    )


def _with_document_info(pdf: bytes, content: CertificateContent) -> bytes:
    """Add the title, author and subject that wkhtmltopdf leaves out.

    Debian's wkhtmltopdf (unpatched Qt) ignores ``--title`` and the HTML metadata, so
    the same entries WeasyPrint writes are appended as a small incremental update.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = writer.document_meta
    meta.title = document_title(content)
    meta.author = content.organisation_en
    meta.subject = content.course_en
    meta.keywords = [content.code]
    meta.creator = content.organisation_en
    output = BytesIO()
    writer.write(output)
    return output.getvalue()

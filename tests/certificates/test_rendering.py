"""Certificate PDFs: both engines, the QR code, PDF/A metadata, signatures, dev keys.

None of these tests touch the database: rendering and signing work on plain data.
"""

import io
import re
import shutil
import stat
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest
import segno
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from PIL import Image

from certificates import qr, rendering, signing

VERIFY_URL = "https://tadreeb.example/verify/TDRB-7F3K-9QX2-MB4T-KQ8W/"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}


def _png(colour=(20, 30, 90, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (120, 40), colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_content(**changes) -> rendering.CertificateContent:
    design = rendering.CertificateDesign(
        title_en="Certificate of Completion",
        title_ar="شهادة إتمام",
        statement_en="has successfully completed the training course",
        statement_ar="قد أتمّ بنجاح الدورة التدريبية",
        signatories=(
            rendering.Signatory(
                "Fatima Al-Rashed",
                "Head of the National Committee",
                "فاطمة الراشد",
                "رئيسة اللجنة الوطنية",
                _png(),
            ),
        ),
        logo_png=_png((11, 85, 99, 255)),
    )
    content = rendering.CertificateContent(
        code="TDRB-7F3K-9QX2-MB4T-KQ8W",
        name_en="Abdullah Al-Enezi",
        name_ar="عبدالله العنزي",
        course_en="Identifying Victims of Trafficking",
        course_ar="التعرف على ضحايا الاتجار بالأشخاص",
        ministry_en="Ministry of Interior",
        ministry_ar="وزارة الداخلية",
        verify_url=VERIFY_URL,
        issued_on=date(2025, 3, 12),
        expires_on=date(2027, 3, 12),
        design=design,
    )
    return replace(content, **changes)


def page_text(pdf: bytes) -> str:
    """The page's text, NFKC-normalised, with runs of whitespace as one space."""
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return " ".join(unicodedata.normalize("NFKC", text).split())


def embedded_font_names(pdf: bytes) -> set[str]:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = page["/Resources"]["/Font"].values()
    return {str(font.get_object()["/BaseFont"]) for font in fonts}


def xmp_root(pdf: bytes) -> ET.Element:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    packet = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return ET.fromstring(packet)  # noqa: S314 - a PDF this test suite just made


def xmp_value(root: ET.Element, namespace: str, name: str) -> str | None:
    """An XMP property written either as an attribute or as an element."""
    key = f"{{{NS[namespace]}}}{name}"
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        if key in description.attrib:
            return description.attrib[key]
        element = description.find(f"{namespace}:{name}", NS)
        if element is not None:
            return element.text
    return None


@pytest.fixture(scope="module")
def weasyprint_pdf() -> bytes:
    return rendering.render_pdf(make_content(), engine="weasyprint")


@pytest.fixture(scope="module")
def wkhtmltopdf_pdf() -> bytes:
    if shutil.which("wkhtmltopdf") is None:
        pytest.fail("wkhtmltopdf is not installed: run `make` to install it")
    return rendering.render_pdf(make_content(), engine="wkhtmltopdf")


@pytest.fixture(scope="module")
def key_pair(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("signing")
    call_command("make_dev_signing_key", dir=str(folder), stdout=io.StringIO())
    return folder / "signing-key.pem", folder / "signing-cert.pem"


@pytest.fixture
def signing_settings(settings, key_pair):
    settings.CERTIFICATES_SIGNING_KEY = str(key_pair[0])
    settings.CERTIFICATES_SIGNING_CERT = str(key_pair[1])
    return settings


# What the certificate says ------------------------------------------------------------


def test_pdf_text_holds_english_name_code_and_course(weasyprint_pdf):
    text = page_text(weasyprint_pdf)

    assert "Abdullah Al-Enezi" in text
    assert "TDRB-7F3K-9QX2-MB4T-KQ8W" in text
    assert "Identifying Victims of Trafficking" in text
    assert "Ministry of Interior" in text
    assert "12 March 2025" in text and "12 March 2027" in text


def test_arabic_name_is_printed_in_the_shipped_naskh_font(weasyprint_pdf):
    fonts = {name.replace("-", "") for name in embedded_font_names(weasyprint_pdf)}

    assert any("NotoNaskhArabic" in name for name in fonts)
    assert any("NotoSans" in name for name in fonts)
    assert "العنزي" in page_text(weasyprint_pdf)


def test_certificate_without_expiry_says_so_in_both_languages():
    pdf = rendering.render_pdf(make_content(expires_on=None))

    text = page_text(pdf)
    assert "No expiry" in text
    assert "صلاحيتها" in text


def test_arabic_column_is_right_to_left_and_english_left_to_right():
    html = rendering.render_html(make_content())

    english = html.index('lang="en" dir="ltr"')
    arabic = html.index('lang="ar" dir="rtl"')
    assert english < arabic  # English first, i.e. the left column
    assert "عبدالله العنزي" in html[arabic:]


def test_accent_colour_that_is_not_hex_falls_back_to_default():
    design = replace(make_content().design, accent_colour="red;} body{display:none")

    html = rendering.render_html(make_content(design=design))

    assert "display:none" not in html
    assert rendering.DEFAULT_ACCENT_COLOUR in html


def test_valid_accent_colour_is_used():
    design = replace(make_content().design, accent_colour="#7A1F3D")

    assert "#7a1f3d" in rendering.render_html(make_content(design=design))


def test_names_are_escaped_in_the_html():
    html = rendering.render_html(make_content(name_en="<b>Abdullah</b>"))

    assert "<b>Abdullah</b>" not in html
    assert "&lt;b&gt;Abdullah&lt;/b&gt;" in html


def test_signature_and_logo_images_are_inlined_as_data_uris():
    html = rendering.render_html(make_content())

    assert html.count('src="data:image/png;base64,') == 2
    assert not re.search(r'(src|href)="(https?|file):', html)


# QR code ------------------------------------------------------------------------------


def _svg_modules(svg: str) -> set[tuple[int, int]]:
    """Dark modules drawn by a segno SVG path ("M x y h n m dx dy ..." commands)."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            length = float(a) if command == "h" else float(a) - x
            dark.update((int(x + i), int(y - 0.5)) for i in range(int(length)))
            x += length
    return dark


def test_qr_code_encodes_exactly_the_verify_url():
    expected = segno.make(VERIFY_URL, error="q", boost_error=False, micro=False)
    border = 4
    expected_dark = {
        (column + border, row + border)
        for row, line in enumerate(expected.matrix)
        for column, value in enumerate(line)
        if value
    }

    assert _svg_modules(qr.qr_svg(VERIFY_URL)) == expected_dark


def test_qr_code_for_another_url_differs():
    other = VERIFY_URL.replace("KQ8W", "KQ8X")

    assert _svg_modules(qr.qr_svg(other)) != _svg_modules(qr.qr_svg(VERIFY_URL))


def test_qr_svg_is_inline_markup_with_an_accessible_title():
    svg = qr.qr_svg(VERIFY_URL)

    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert re.search(r"<title>[^<]*" + re.escape(VERIFY_URL) + "</title>", svg)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)mm"', svg).group(1))
    assert width == pytest.approx(qr.PRINTED_SIZE_MM, abs=0.1)


def test_certificate_carries_the_qr_code_of_its_verify_url():
    html = rendering.render_html(make_content())

    assert qr.qr_svg(VERIFY_URL) in html


# PDF/A, metadata and engines ----------------------------------------------------------


def test_weasyprint_pdf_claims_pdfa_3b(weasyprint_pdf):
    root = xmp_root(weasyprint_pdf)

    assert xmp_value(root, "pdfaid", "part") == "3"
    assert xmp_value(root, "pdfaid", "conformance") == "B"
    assert weasyprint_pdf.startswith(b"%PDF-1.7")


def test_pdf_metadata_names_certificate_organisation_and_course(weasyprint_pdf):
    metadata = pypdf.PdfReader(io.BytesIO(weasyprint_pdf)).metadata

    assert metadata.title == "Certificate TDRB-7F3K-9QX2-MB4T-KQ8W"
    assert metadata.author == "Tadreeb"
    assert metadata.subject == "Identifying Victims of Trafficking"


def test_pdf_is_one_a4_landscape_page(weasyprint_pdf):
    reader = pypdf.PdfReader(io.BytesIO(weasyprint_pdf))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595


def test_wkhtmltopdf_engine_renders_the_same_certificate(wkhtmltopdf_pdf):
    reader = pypdf.PdfReader(io.BytesIO(wkhtmltopdf_pdf))
    text = page_text(wkhtmltopdf_pdf)

    assert len(reader.pages) == 1
    assert "Abdullah Al-Enezi" in text
    assert "TDRB-7F3K-9QX2-MB4T-KQ8W" in text
    assert reader.metadata.title == "Certificate TDRB-7F3K-9QX2-MB4T-KQ8W"
    assert reader.metadata.subject == "Identifying Victims of Trafficking"
    fonts = {name.replace("-", "") for name in embedded_font_names(wkhtmltopdf_pdf)}
    assert any("NotoNaskhArabic" in name for name in fonts)


def test_wkhtmltopdf_gets_long_arabic_texts_already_broken_into_lines():
    # Debian's wkhtmltopdf never wraps Arabic by itself.
    long_course = "التعرف على ضحايا الاتجار بالأشخاص وحمايتهم ودعمهم " * 3
    content = make_content(course_ar=long_course, name_ar="<b>عبدالله</b> العنزي")

    for_wkhtmltopdf = rendering.render_html(content, engine="wkhtmltopdf")
    for_weasyprint = rendering.render_html(content)

    arabic_column = for_wkhtmltopdf[for_wkhtmltopdf.index('lang="ar" dir="rtl"') :]
    course = re.search(r'<p class="course">(.*?)</p>', arabic_column, re.DOTALL)
    assert "<br>" in course.group(1)
    assert "<br>" not in for_weasyprint
    assert "<b>عبدالله" not in for_wkhtmltopdf  # still escaped


def test_engine_is_read_from_settings(settings, monkeypatch):
    used = []
    monkeypatch.setattr(rendering, "_render_weasyprint", lambda c: used.append("w"))
    monkeypatch.setattr(rendering, "_render_wkhtmltopdf", lambda c: used.append("k"))

    settings.CERTIFICATES_PDF_ENGINE = "wkhtmltopdf"
    rendering.render_pdf(make_content())
    del settings.CERTIFICATES_PDF_ENGINE
    rendering.render_pdf(make_content())

    assert used == ["k", "w"]


def test_unknown_engine_is_a_configuration_error(settings):
    settings.CERTIFICATES_PDF_ENGINE = "chromium"

    with pytest.raises(ImproperlyConfigured, match="chromium"):
        rendering.render_pdf(make_content())


def test_missing_wkhtmltopdf_binary_is_a_configuration_error(settings, tmp_path):
    settings.WKHTMLTOPDF_PATH = str(tmp_path / "wkhtmltopdf")

    with pytest.raises(ImproperlyConfigured, match="make"):
        rendering.render_pdf(make_content(), engine="wkhtmltopdf")


def test_renderer_fetches_nothing_but_data_urls_and_shipped_fonts():
    fetcher = rendering._local_only_fetcher()
    font = (rendering.FONT_DIR / "NotoSans-Regular.ttf").as_uri()

    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert fetcher.fetch(font).read(4) == b"\x00\x01\x00\x00"
    for url in (
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/admin/",
        Path("/etc/passwd").as_uri(),
        (rendering.FONT_DIR / ".." / "signing.py").as_uri(),
    ):
        with pytest.raises(ValueError, match="refuses"):
            fetcher.fetch(url)


# Signing ------------------------------------------------------------------------------


def test_signed_pdf_validates(signing_settings, weasyprint_pdf):
    signed = signing.sign_pdf(weasyprint_pdf)

    check = signing.check_signature(signed)
    assert check.signed and check.intact and check.valid and check.trusted
    assert "Tadreeb development signing" in check.signer


def test_signature_is_an_incremental_update_that_keeps_pdfa(
    signing_settings, weasyprint_pdf
):
    signed = signing.sign_pdf(weasyprint_pdf)

    assert signed.startswith(weasyprint_pdf)  # the rendered bytes are untouched
    root = xmp_root(signed)
    assert xmp_value(root, "pdfaid", "part") == "3"
    assert xmp_value(root, "pdfaid", "conformance") == "B"
    info = pypdf.PdfReader(io.BytesIO(signed)).metadata
    assert info.producer == xmp_value(root, "pdf", "Producer")
    assert info.title == "Certificate TDRB-7F3K-9QX2-MB4T-KQ8W"


def test_changing_one_signed_byte_breaks_the_signature(
    signing_settings, weasyprint_pdf
):
    signed = signing.sign_pdf(weasyprint_pdf)
    # A byte of the first stream (the colour profile), well inside the signed range.
    position = signed.index(b"stream\n") + 100
    first_range_end = int(re.search(rb"/ByteRange \[0 (\d+)", signed).group(1))
    assert position < first_range_end
    tampered = bytearray(signed)
    tampered[position] ^= 0x01

    check = signing.check_signature(bytes(tampered))

    assert check.signed
    assert not (check.intact and check.valid)


def test_bytes_appended_after_signing_make_it_invalid(signing_settings, weasyprint_pdf):
    signed = signing.sign_pdf(weasyprint_pdf)

    check = signing.check_signature(signed + b"\n% appended\n")

    assert check.intact and not check.valid


def test_unsigned_pdf_and_garbage_are_reported_as_unsigned(weasyprint_pdf):
    assert not signing.check_signature(weasyprint_pdf).signed
    assert not signing.check_signature(b"not a pdf at all").signed


def test_has_signature_tells_a_signed_pdf_from_an_unsigned_one(
    signing_settings, weasyprint_pdf
):
    assert signing.has_signature(signing.sign_pdf(weasyprint_pdf))
    assert not signing.has_signature(weasyprint_pdf)
    assert not signing.has_signature(b"not a pdf at all")


def test_sign_pdf_without_configuration_raises(settings, weasyprint_pdf):
    settings.CERTIFICATES_SIGNING_KEY = None
    settings.CERTIFICATES_SIGNING_CERT = None

    assert not signing.signing_configured()
    assert signing.issuer_certificate_pem() is None
    with pytest.raises(ImproperlyConfigured):
        signing.sign_pdf(weasyprint_pdf)


def test_issuer_certificate_is_published_as_pem(signing_settings, key_pair):
    assert signing.signing_configured()
    assert signing.issuer_certificate_pem() == key_pair[1].read_bytes()


# Development key pair -----------------------------------------------------------------


def test_dev_key_command_writes_owner_only_key_and_p256_certificate(tmp_path):
    call_command("make_dev_signing_key", dir=str(tmp_path), stdout=io.StringIO())

    key_file = tmp_path / "signing-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    certificate = x509.load_pem_x509_certificate(
        (tmp_path / "signing-cert.pem").read_bytes()
    )
    assert isinstance(certificate.public_key().curve, ec.SECP256R1)
    assert "Tadreeb development signing" in certificate.subject.rfc4514_string()
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert 725 <= lifetime.days <= 735


def test_dev_key_command_is_idempotent(tmp_path):
    call_command("make_dev_signing_key", dir=str(tmp_path), stdout=io.StringIO())
    first = (tmp_path / "signing-key.pem").read_bytes()

    output = io.StringIO()
    call_command("make_dev_signing_key", dir=str(tmp_path), stdout=output)

    assert (tmp_path / "signing-key.pem").read_bytes() == first
    assert "already" in output.getvalue()


def test_dev_key_command_force_replaces_the_pair(tmp_path):
    call_command("make_dev_signing_key", dir=str(tmp_path), stdout=io.StringIO())
    first = (tmp_path / "signing-key.pem").read_bytes()

    call_command(
        "make_dev_signing_key", dir=str(tmp_path), force=True, stdout=io.StringIO()
    )

    assert (tmp_path / "signing-key.pem").read_bytes() != first
    assert stat.S_IMODE((tmp_path / "signing-key.pem").stat().st_mode) == 0o600


def test_dev_key_command_refuses_under_production_settings(settings, tmp_path):
    settings.TADREEB_DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="production"):
        call_command("make_dev_signing_key", dir=str(tmp_path), stdout=io.StringIO())

    assert not (tmp_path / "signing-key.pem").exists()

"""The default certificate design as a reader sees it: signature lines with the
design's signatories, the issuer's logo, a seal, the code inside its box; one page,
with every word in the text layer, whichever engine renders it."""

import io
import re
import shutil
import subprocess
from dataclasses import replace
from html import unescape

import pypdf
import pytest

from certificates import rendering, services
from certificates.models import CertificateTemplate, Signatory
from demo.certificates import DEMO_SIGNATORIES, load_demo_design
from tests.certificates.test_rendering import make_content, page_text

ENGINES = ["weasyprint", "wkhtmltopdf"]
# The widest code the alphabet allows (W and M are its widest letters).
WIDEST_CODE = "TDRB-WWWWW-MMMMM-WWWWW-MMMMM"
LONG_COURSE_AR = "التعرّف على ضحايا الاتجار بالأشخاص وإحالتهم: دورة لجميع الفئات"

THREE_SIGNATORIES = (
    rendering.Signatory(
        "Sara Al-Mutairi",
        "Director, Training Department",
        "سارة المطيري",
        "مديرة إدارة التدريب",
    ),
    rendering.Signatory(
        "",
        "Chair, National Committee for Combating Trafficking in Persons",
        "",
        "رئيس اللجنة الوطنية لمكافحة الاتجار بالأشخاص",
    ),
    rendering.Signatory(
        "Khaled Al-Ajmi",
        "Head of Certification",
        "خالد العجمي",
        "رئيس قسم الشهادات",
    ),
)


def content_with(**changes) -> rendering.CertificateContent:
    content = make_content()
    design_changes = {
        key: changes.pop(key) for key in ("signatories", "logo_png") if key in changes
    }
    return replace(content, design=replace(content.design, **design_changes), **changes)


def render(content, engine: str) -> bytes:
    if engine == "wkhtmltopdf" and shutil.which("wkhtmltopdf") is None:
        pytest.fail("wkhtmltopdf is not installed: run `make` to install it")
    return rendering.render_pdf(content, engine=engine)


def words(pdf: bytes, tmp_path) -> list[tuple[float, float, float, float, str]]:
    """Each word pdftotext reads, with its box (points, origin top left)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is not installed: run `make`")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
    return [
        (float(x0), float(y0), float(x1), float(y1), unescape(text))
        for x0, y0, x1, y1, text in re.findall(pattern + r"(.*?)</word>", xhtml)
    ]


# The footer ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_every_signatory_title_and_name_is_printed_on_one_page(engine):
    pdf = render(content_with(signatories=THREE_SIGNATORIES), engine)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = page_text(pdf)
    for name in ("Sara Al-Mutairi", "Khaled Al-Ajmi"):
        assert name in text
    assert "Director, Training Department" in text
    assert "Head of Certification" in text
    # The long title wraps inside its column; its words are all there.
    assert "Combating Trafficking in Persons" in " ".join(text.split())


@pytest.mark.parametrize("engine", ENGINES)
def test_long_names_and_titles_never_push_the_footer_off_the_page(engine, tmp_path):
    content = content_with(
        signatories=THREE_SIGNATORIES,
        name_en="Maria Josephine Fernandes-Alvarez de la Cruz",
        name_ar="",  # the English name stands in, in the Arabic column too
        course_en="Identifying and referring victims of trafficking in persons: "
        "a course for every cadre",
        course_ar=LONG_COURSE_AR,
    )
    pdf = render(content, engine)
    found = words(pdf, tmp_path)

    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    # The English column's last line is its expiry date (12 March 2027).
    columns_bottom = max(w[3] for w in found if w[4] == "2027")
    footer_top = min(w[1] for w in found if w[4] in ("Director,", "Chair,", "Head"))
    assert columns_bottom < footer_top
    assert "Head of Certification" in page_text(pdf)
    # Every word above the frame's bottom margin: 16 mm of the page's edge (margin,
    # borders, padding), where the frame's inner border would cut it off.
    frame_bottom = 595 - 16 * 72 / 25.4
    assert max(w[3] for w in found) < frame_bottom + 4  # 4 pt: a Naskh descent


def test_a_signatory_without_a_name_gets_its_title_under_the_line_and_no_blank():
    html = rendering.render_html(content_with(signatories=THREE_SIGNATORIES[1:2]))

    footer = html[html.index('class="footer"') :]
    assert footer.count('class="signature-line"') == 1
    assert 'class="signatory-name"' not in footer
    assert "Chair, National Committee for Combating Trafficking in Persons" in footer
    assert "رئيس اللجنة الوطنية لمكافحة الاتجار بالأشخاص" in footer


def test_the_seal_is_drawn_in_the_accent_colour_with_no_text():
    content = content_with()
    content = replace(content, design=replace(content.design, accent_colour="#7a1f3d"))
    html = rendering.render_html(content)

    seal = re.search(r'<svg class="seal".*?</svg>', html, re.DOTALL).group(0)
    assert 'fill="#7a1f3d"' in seal
    assert "<text" not in seal  # the text layer holds only what the page says


@pytest.mark.parametrize("engine", ENGINES)
def test_without_signatories_the_seal_takes_their_place(engine):
    content = content_with(signatories=())
    html = rendering.render_html(content, engine=engine)
    pdf = render(content, engine)

    assert 'class="footer-cell seal-cell seal-alone"' in html
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_the_issuers_logo_is_printed_as_an_image(engine):
    pdf = render(content_with(signatories=()), engine)
    without_logo = render(content_with(signatories=(), logo_png=None), engine)

    def images(data):
        return len(pypdf.PdfReader(io.BytesIO(data)).pages[0].images)

    assert images(pdf) == images(without_logo) + 1


# The code in its box ------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_the_widest_code_stays_on_one_line_inside_its_box(engine, tmp_path):
    content = content_with(code=WIDEST_CODE)
    found = words(render(content, engine), tmp_path)

    code = next(w for w in found if w[4] == WIDEST_CODE)  # one word: not wrapped
    # The row above it holds "Certificate code" at the box's inner left edge and
    # its Arabic label at the inner right edge.
    labels = [w for w in found if code[1] - 20 < w[1] and w[3] <= code[1] + 1]
    assert labels
    assert code[0] >= min(w[0] for w in labels) - 0.5
    assert code[2] <= max(w[2] for w in labels) + 0.5


# Arabic in wkhtmltopdf ----------------------------------------------------------------


def test_wkhtmltopdf_keeps_a_long_arabic_course_title_inside_its_column(tmp_path):
    content = content_with(course_ar=LONG_COURSE_AR)
    found = words(render(content, "wkhtmltopdf"), tmp_path)

    middle = 842 / 2  # A4 landscape is 842 points wide
    title_row = min(w[1] for w in found if w[0] > middle)
    column_edge = max(w[2] for w in found if w[0] > middle and w[1] == title_row)
    columns_bottom = 0.62 * 595  # the footer starts below 62% of the page
    arabic_column = [w for w in found if w[0] > middle and w[3] < columns_bottom]
    assert len(arabic_column) > 40  # title, name, statement, course, facts
    assert max(w[2] for w in arabic_column) <= column_edge + 1


# The demo design ----------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_design_prints_the_demo_signatories_and_logo():
    design = load_demo_design()

    text = page_text(services.sample_pdf(design))
    for signatory in DEMO_SIGNATORIES:
        assert signatory.title_en in text
    pdf = pypdf.PdfReader(io.BytesIO(services.sample_pdf(design)))
    assert len(pdf.pages) == 1
    assert len(pdf.pages[0].images) >= 1  # the emblem


@pytest.mark.django_db
def test_loading_the_demo_design_twice_changes_nothing():
    first = load_demo_design()
    logo, signatories = (
        first.logo_id,
        list(first.signatories.values_list("pk", flat=True)),
    )

    second = load_demo_design()

    assert second.pk == first.pk
    assert second.logo_id == logo
    assert list(second.signatories.values_list("pk", flat=True)) == signatories
    assert CertificateTemplate.objects.filter(is_default=True).count() == 1


@pytest.mark.django_db
def test_a_signatory_may_be_an_office_without_a_name():
    design = CertificateTemplate.objects.get(is_default=True)
    signatory = Signatory(
        template=design, title_en="Director, Training Department", title_ar="مدير"
    )

    signatory.full_clean()  # no error: the name is optional
    assert str(signatory) == "Director, Training Department"

"""Certificates in Arabic: the Arabic course title, the statement that agrees with
the recipient's gender, Hijri dates, real Arabic letters in the PDF's text layer
(both engines), verification and reminders in the reader's language."""

import io
import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pypdf
import pytest
from django.core import mail
from django.utils import timezone, translation
from wagtail.models import Locale

from accounts import roles
from accounts.models import Gender
from certificates import rendering, services
from certificates.models import (
    STATEMENT_AR_FEMALE,
    STATEMENT_AR_MALE,
    STATEMENT_AR_NEUTRAL,
    Certificate,
    CertificateState,
    CertificateTemplate,
)
from courses import services as course_services
from tests.certificates.test_rendering import make_content
from tests.factories import UserFactory

NAME_AR = "فاطمة علي الكندري"
# A title without lam-alef: the font draws لا as two overlapping glyphs, which
# pdftotext's layout reading splits (in both engines); its letters are checked apart.
TITLE_AR = "تحديد هوية الضحايا ومساعدتهم"
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def design(**changes) -> rendering.CertificateDesign:
    values = {
        "statement_ar": STATEMENT_AR_MALE,
        "statement_ar_female": STATEMENT_AR_FEMALE,
        "statement_ar_neutral": STATEMENT_AR_NEUTRAL,
    }
    return replace(make_content().design, **(values | changes))


def arabic_content(**changes) -> rendering.CertificateContent:
    values = {
        "name_ar": NAME_AR,
        "course_ar": TITLE_AR,
        "gender": "female",
        "design": design(),
    }
    values.update(changes)
    return make_content(**values)


def arabic_column(html: str) -> str:
    return html[html.index('class="col col-ar"') : html.index('class="footer"')]


# The statement agrees with the recipient -----------------------------------------


@pytest.mark.parametrize(
    ("gender", "statement", "awarded_to"),
    [
        ("male", "قد أتمّ بنجاح", "مُنحت إلى السيد<"),
        ("female", "قد أتمّت بنجاح", "مُنحت إلى السيدة<"),
        ("undisclosed", "لإتمام الدورة التدريبية بنجاح", "مُنحت إلى<"),
    ],
)
def test_arabic_statement_and_honorific_agree_with_gender(
    gender, statement, awarded_to
):
    column = arabic_column(rendering.render_html(arabic_content(gender=gender)))

    assert statement in column
    assert awarded_to in column
    others = {"male": "أتمّت", "female": "أتمّ ", "undisclosed": "أتمّ"}
    assert others[gender] not in column


def test_english_statement_is_the_same_for_everyone():
    texts = {
        rendering.render_html(arabic_content(gender=g)).count(
            "has successfully completed the training course"
        )
        for g in ("male", "female", "undisclosed")
    }
    assert texts == {1}


def test_a_design_without_variants_falls_back_to_neutral_then_generic():
    bare = design(statement_ar_female="", statement_ar_neutral="")
    html = rendering.render_html(arabic_content(gender="female", design=bare))

    assert "قد أتمّ بنجاح" in arabic_column(html)  # never the English statement


# Titles and fallbacks -----------------------------------------------------------------


def test_arabic_column_prints_arabic_title_and_ministry_english_column_english():
    html = rendering.render_html(arabic_content())
    english = html[html.index('class="col col-en"') : html.index('class="col col-ar"')]

    assert TITLE_AR in arabic_column(html) and TITLE_AR not in english
    assert "وزارة الداخلية" in arabic_column(html)
    assert "Identifying Victims of Trafficking" in english
    assert "Identifying Victims of Trafficking" not in arabic_column(html)


def test_without_arabic_title_the_arabic_column_prints_the_english_one_in_bdi():
    html = rendering.render_html(arabic_content(course_ar=""))

    assert '<bdi lang="en">Identifying Victims of Trafficking</bdi>' in arabic_column(
        html
    )


# Hijri dates ----------------------------------------------------------------------


def test_hijri_dates_beside_gregorian_when_the_design_asks():
    content = arabic_content(
        issued_on=date(2026, 12, 2),
        expires_on=date(2028, 12, 2),
        design=design(show_hijri=True),
    )
    html = rendering.render_html(content)
    column = arabic_column(html)

    assert "٢ ديسمبر ٢٠٢٦" in column
    assert "الموافق ٢٢ جمادى الآخرة ١٤٤٨ هـ" in column
    assert "2 December 2026" in html
    assert "22 Jumada al-Akhirah 1448 AH" in html


def test_no_hijri_dates_unless_the_design_asks():
    html = rendering.render_html(
        arabic_content(issued_on=date(2026, 12, 2), design=design(show_hijri=False))
    )
    assert "جمادى" not in html and "Jumada" not in html


# The text layer: real Arabic letters, both engines --------------------------------


@pytest.fixture(scope="module", params=["weasyprint", "wkhtmltopdf"])
def arabic_pdf(request) -> bytes:
    if request.param == "wkhtmltopdf" and shutil.which("wkhtmltopdf") is None:
        pytest.skip("wkhtmltopdf is not installed (`make` installs it)")
    content = arabic_content(course_ar="التعرّف على ضحايا الاتجار بالأشخاص")
    return rendering.render_pdf(content, engine=request.param)


def test_text_layer_holds_arabic_letters_not_presentation_forms(arabic_pdf):
    text = pypdf.PdfReader(io.BytesIO(arabic_pdf)).pages[0].extract_text()

    assert not PRESENTATION_FORMS.findall(text)
    letters = Counter(ch for ch in text if "\u0600" <= ch <= "\u06ff")
    wanted = Counter(
        ch
        for ch in NAME_AR + "التعرّف على ضحايا الاتجار بالأشخاص" + STATEMENT_AR_FEMALE
        if not ch.isspace()
    )
    assert not wanted - letters  # every letter there, lam-alef included: no holes
    assert "\t" not in text  # the space glyph reads as a space


@pytest.mark.parametrize("engine", ["weasyprint", "wkhtmltopdf"])
def test_text_layer_reads_name_and_title_in_logical_order(engine, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed (`make` installs it)")
    if engine == "wkhtmltopdf" and shutil.which("wkhtmltopdf") is None:
        pytest.skip("wkhtmltopdf is not installed (`make` installs it)")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(rendering.render_pdf(arabic_content(), engine=engine))

    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    lines = [line.strip("\u202a\u202b\u202c ") for line in text.splitlines()]

    assert NAME_AR in lines
    assert TITLE_AR in lines
    assert not PRESENTATION_FORMS.findall(text)


# Issuing: the snapshot ----------------------------------------------------------


@pytest.fixture
def arabic_course(make_course):
    course = make_course("Victim identification", lessons=1)
    arabic = Locale.objects.get(language_code="ar")
    translation_page = course.copy_for_translation(arabic, copy_parents=True)
    translation_page.title = "التعرّف على الضحايا"
    translation_page.save_revision().publish()
    return course


def complete(user, course, capture):
    enrolment = course_services.enrol(user, course)
    with capture(execute=True):
        course_services.complete_lesson(
            enrolment, course_services.lessons_of(course)[0]
        )
    return Certificate.objects.get(enrolment=enrolment)


@pytest.mark.django_db
def test_certificate_snapshots_arabic_title_of_the_source_course_and_gender(
    officer, arabic_course, django_capture_on_commit_callbacks
):
    officer.gender = Gender.FEMALE
    officer.save()

    certificate = complete(officer, arabic_course, django_capture_on_commit_callbacks)

    assert certificate.course_id == arabic_course.pk  # the record stays on the source
    assert certificate.course_title == "Victim identification"
    assert certificate.course_title_ar == "التعرّف على الضحايا"
    assert certificate.gender == Gender.FEMALE
    text = pypdf.PdfReader(certificate.pdf.open("rb")).pages[0].extract_text()
    assert "التعرّف على الضحايا"[::-1] in text or "التعرّف على الضحايا" in text


@pytest.mark.django_db
def test_gender_printed_is_a_snapshot_and_a_reissue_takes_the_new_one(
    officer, arabic_course, django_capture_on_commit_callbacks
):
    officer.gender = Gender.MALE
    officer.save()
    certificate = complete(officer, arabic_course, django_capture_on_commit_callbacks)

    officer.gender = Gender.FEMALE
    officer.save()
    certificate.refresh_from_db()
    assert certificate.gender == Gender.MALE
    assert services.certificate_content(certificate).gender == "male"

    new = services.reissue(certificate, None, "gender corrected")
    assert new.gender == Gender.FEMALE


@pytest.mark.django_db
def test_course_without_arabic_translation_leaves_the_arabic_title_blank(
    officer, make_course, django_capture_on_commit_callbacks
):
    course = make_course("Labour rights", lessons=1)
    certificate = complete(officer, course, django_capture_on_commit_callbacks)

    assert certificate.course_title_ar == ""
    assert services.certificate_content(certificate).course_ar == ""


@pytest.fixture
def trainer(moi):
    return UserFactory(ministry=moi, role=roles.TRAINERS)


# Designs ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_default_design_holds_the_three_variants():
    design_ = CertificateTemplate.objects.get(is_default=True)

    assert design_.statement_ar_for(Gender.MALE) == STATEMENT_AR_MALE
    assert design_.statement_ar_for(Gender.FEMALE) == STATEMENT_AR_FEMALE
    assert design_.statement_ar_for(Gender.UNDISCLOSED) == STATEMENT_AR_NEUTRAL
    assert design_.arabic_variants_checked


@pytest.mark.django_db
@pytest.mark.parametrize("gender", ["male", "female", "undisclosed"])
def test_design_sample_pdf_shows_each_variant(client, trainer, gender):
    design_ = CertificateTemplate.objects.get(is_default=True)
    client.force_login(trainer)

    response = client.get(
        f"/admin/certificate_designs/{design_.pk}/preview.pdf?gender={gender}"
    )

    assert response.status_code == 200
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    expected = {
        "male": "أتمّ بنجاح",
        "female": "أتمّت بنجاح",
        "undisclosed": "لإتمام",
    }[gender]
    words = expected.split()
    assert all(w in text or w[::-1] in text for w in words)


@pytest.mark.django_db
def test_design_sample_pdf_refuses_an_unknown_gender(client, trainer):
    design_ = CertificateTemplate.objects.get(is_default=True)
    client.force_login(trainer)

    response = client.get(
        f"/admin/certificate_designs/{design_.pk}/preview.pdf?gender=robot"
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_design_editor_shows_the_variants_and_sample_buttons(client, trainer):
    design_ = CertificateTemplate.objects.get(is_default=True)
    client.force_login(trainer)

    page = client.get(f"/admin/certificate_designs/edit/{design_.pk}/").content.decode()

    for field in ("statement_ar", "statement_ar_female", "statement_ar_neutral"):
        assert f'name="{field}"' in page
    assert 'name="show_hijri"' in page
    assert "preview.pdf?gender=female" in page
    assert "preview.pdf?gender=undisclosed" in page


# Verification and its JSON in both languages ------------------------------------------


@pytest.fixture
def issued(officer, arabic_course, django_capture_on_commit_callbacks):
    return complete(officer, arabic_course, django_capture_on_commit_callbacks)


@pytest.mark.django_db
def test_verify_page_in_arabic_names_in_bdi(
    client, issued, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(f"/verify/{issued.code}/", HTTP_ACCEPT_LANGUAGE="ar")
    page = response.content.decode()

    assert response.status_code == 200
    assert f'<bdi lang="ar">{issued.name_ar}</bdi>' in page
    assert '<bdi lang="ar">التعرّف على الضحايا</bdi>' in page
    assert f'<bdi lang="en">{issued.name_en}</bdi>' in page


@pytest.mark.django_db
def test_api_gives_arabic_fields_and_a_status_label_in_the_request_language(
    client, issued
):
    english = json.loads(
        client.get(
            f"/api/v1/certificates/{issued.code}/", HTTP_ACCEPT_LANGUAGE="en"
        ).content
    )
    with translation.override("ar"):
        arabic_label = str(CertificateState.VALID.label)
    arabic = json.loads(
        client.get(
            f"/api/v1/certificates/{issued.code}/", HTTP_ACCEPT_LANGUAGE="ar"
        ).content
    )

    assert english["status"] == arabic["status"] == "valid"
    assert english["status_label"] == "Valid"
    assert arabic["status_label"] == arabic_label
    assert english["course"] == "Victim identification"
    assert english["course_title_ar"] == "التعرّف على الضحايا"
    assert english["name_ar"] == issued.name_ar
    assert set(english) == set(arabic)


@pytest.mark.django_db
def test_api_not_found_has_a_status_label(client):
    body = json.loads(
        client.get(
            "/api/v1/certificates/TDRB-00000-00000-00000-00000/",
            HTTP_ACCEPT_LANGUAGE="en",
        ).content
    )
    assert body["status"] == "not_found"
    assert body["status_label"] == "Not found"


# E-mails in the officer's language -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [("ar", "التعرّف على الضحايا"), ("en", "Victim identification")],
)
def test_expiry_reminder_in_the_officers_language(officer, issued, language, title):
    officer.language = language
    officer.save()
    Certificate.objects.filter(pk=issued.pk).update(
        expires_at=timezone.now() + timedelta(days=30)
    )

    assert services.send_expiry_reminders() == 1

    message = mail.outbox[-1]
    assert title in message.subject
    assert title in message.body
    with translation.override(language):
        expected = translation.gettext("Your certificate for %(course)s expires soon")
    # The portal's name (site settings) first, as in every e-mail.
    assert message.subject == "[Tadreeb] " + expected % {"course": title}


# The data migration ---------------------------------------------------------------


@pytest.mark.django_db
def test_migration_fills_variants_arabic_titles_and_gender(
    officer, arabic_course, make_course, django_capture_on_commit_callbacks
):
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "certificates.migrations.0004_arabic_variants_hijri_course_title_ar"
    )
    default = CertificateTemplate.objects.get(is_default=True)
    custom = CertificateTemplate.objects.create(
        name="Custom",
        title_en="Certificate",
        title_ar="شهادة",
        statement_en="has attended",
        statement_ar="قد حضر",
        statement_ar_female="",
        statement_ar_neutral="",
    )
    officer.gender = Gender.FEMALE
    officer.save()
    translated = complete(officer, arabic_course, django_capture_on_commit_callbacks)
    untranslated = complete(
        officer,
        make_course("Labour rights", lessons=1),
        django_capture_on_commit_callbacks,
    )
    Certificate.objects.update(course_title_ar="", gender=Gender.UNDISCLOSED)
    CertificateTemplate.objects.update(statement_ar_female="", statement_ar_neutral="")

    migration.forwards(apps, None)

    default.refresh_from_db()
    custom.refresh_from_db()
    assert default.statement_ar_female == STATEMENT_AR_FEMALE
    assert default.statement_ar_neutral == STATEMENT_AR_NEUTRAL
    assert default.arabic_variants_checked
    assert custom.statement_ar_female == STATEMENT_AR_NEUTRAL
    assert custom.statement_ar_neutral == STATEMENT_AR_NEUTRAL
    assert not custom.arabic_variants_checked  # the admin lists it as unchecked
    translated.refresh_from_db()
    untranslated.refresh_from_db()
    assert translated.course_title_ar == "التعرّف على الضحايا"
    assert untranslated.course_title_ar == ""
    assert translated.gender == Gender.FEMALE

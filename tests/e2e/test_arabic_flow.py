"""Arabic first, in the browser: a woman signs up and learns in Arabic, switches to
English half way through the course and keeps her progress, passes the quiz and
gets a certificate in Arabic that speaks of her in the feminine; and the main pages
(officer and admin) are right-to-left Arabic with no English sentence in them."""

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from accounts.validators import DEMO_PASSWORD
from certificates.models import STATEMENT_AR_FEMALE, STATEMENT_AR_MALE
from demo.courses import read_course_content
from demo.translations import read_arabic_content

PASSWORD = "a-long-and-unusual-passphrase"  # noqa: S105
COURSE = "identifying-victims"
# allauth's labels end with a colon ("Password:") in some forms.
PASSWORD_LABEL = re.compile(r"^كلمة المرور:?$")
EMAIL_LABEL = re.compile(r"^بريد إلكتروني:?$")
# A run of three or more Latin words: an English sentence left untranslated.
ENGLISH_RUN = re.compile(
    r"(?<![\w@.])[A-Za-z][A-Za-z'’-]*(?:[ ,]+[A-Za-z][A-Za-z'’-]*){2,}"
)
# Addresses are not sentences: e-mail addresses and web addresses are left out.
ADDRESS = re.compile(r"\S+@\S+|\bhttps?://\S+|\b[\w-]+(?:\.[\w-]+)+\b")
# Arabic-Indic digits read as Western ones, so counts compare whatever the setting.
INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def _plain(text: str) -> str:
    return " ".join(text.split())


def _arabic_letters(text: str) -> str:
    """Arabic text reduced to its letters: presentation forms (as a PDF may hold
    them) folded to the base letters, marks (shadda, vowels) and tatweel dropped,
    spaces squeezed out, so a PDF's text compares with the source's."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(
        c
        for c in folded
        if not unicodedata.combining(c) and c != "\u0640" and not c.isspace()
    )


@pytest.fixture
def arabic_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ar-KW")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _course():
    catalogue = read_course_content()
    spec = next(c for c in catalogue.courses if c.slug == COURSE)
    arabic = next(c for c in read_arabic_content(catalogue).courses if c.slug == COURSE)
    return spec, arabic


def _expect_arabic_page(page):
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")


def _expect_lesson(page, number, total, title):
    """The Arabic lesson page: «الدرس 1 من 4» (digits as the site writes them)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    position = _plain(page.locator(".lesson__position").inner_text())
    assert position.translate(INDIC) == f"الدرس {number} من {total}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_woman_learns_in_arabic_switches_to_english_and_gets_a_feminine_certificate(
    arabic_page, mailoutbox
):
    page = arabic_page
    call_command("load_demo", "--no-officers", verbosity=0)
    spec, arabic = _course()
    total = len(spec.lessons)
    assert total == 4
    key = {_plain(q.text): q.correct_choices for q in spec.quiz.questions}

    # The visitor's default language is Arabic: the home page is under /ar/.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/ar/$"))
    _expect_arabic_page(page)
    page.get_by_role("link", name="إنشاء حساب", exact=True).first.click()

    # The sign-up form in Arabic; she gives her gender there.
    _expect_arabic_page(page)
    page.get_by_label("البريد الإلكتروني الرسمي").fill("noura@moi.gov.kw")
    page.get_by_label("الاسم الكامل بالإنجليزية").fill("Noura Al-Sabah")
    page.get_by_label("الاسم الكامل بالعربية").fill("نورة الصباح")
    page.get_by_label("الدور الوظيفي").select_option("police")
    gender = page.get_by_label("الجنس")
    expect(gender.locator("option[value=female]")).to_have_text("أنثى")
    gender.select_option("female")
    page.get_by_label("المسمى الوظيفي").fill("محققة")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(re.compile(r"^كلمة المرور \(مجددا\)")).fill(PASSWORD)
    page.get_by_role("button", name="الاشتراك").click()

    expect(
        page.get_by_role("heading", name="التحقق من البريد الإلكتروني")
    ).to_be_visible()
    noura = User.objects.get(email="noura@moi.gov.kw")
    assert noura.gender == "female"

    # The confirmation mail is in Arabic and its link opens the Arabic page.
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body)
    page.goto(link.group(0))
    _expect_arabic_page(page)
    page.get_by_role("button", name="تأكيد").click()

    page.get_by_label(EMAIL_LABEL).fill("noura@moi.gov.kw")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="تسجيل الدخول").click()
    expect(page.get_by_role("button", name="تسجيل الخروج")).to_be_visible()

    # Course 1 in Arabic: its Arabic title in the catalogue, lessons 1-2 in Arabic.
    page.get_by_role("link", name="الدورات التدريبية", exact=True).first.click()
    _expect_arabic_page(page)
    page.get_by_role("link", name=arabic.values["title"]).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(arabic.values["title"])
    page.get_by_role("button", name="بدء الدورة التدريبية").click()

    for number, lesson in enumerate(spec.lessons[:2], start=1):
        _expect_arabic_page(page)
        _expect_lesson(page, number, total, arabic.lessons[lesson.slug].title)
        page.get_by_role("button", name="تحديد الدرس كمكتمل والمتابعة").click()

    # Lesson 3 in Arabic shows 2 of 4 done.
    _expect_arabic_page(page)
    _expect_lesson(page, 3, total, arabic.lessons[spec.lessons[2].slug].title)
    progress = page.locator(".lesson").get_by_text("تم إتمام")
    expect(progress).to_have_count(1)
    assert _plain(progress.inner_text()).translate(INDIC) == "تم إتمام 2 من أصل 4 دروس"

    # The header button switches to English, on the same lesson; progress is kept.
    page.get_by_role("button", name="English", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator(".lesson__position")).to_have_text("Lesson 3 of 4")
    expect(page.get_by_role("heading", level=1)).to_have_text(spec.lessons[2].title)
    expect(page.get_by_text("2 of 4 lessons completed")).to_be_visible()
    noura.refresh_from_db()
    assert noura.language == "en"

    page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page.locator(".lesson__position")).to_have_text("Lesson 4 of 4")
    expect(page.get_by_role("heading", level=1)).to_have_text(spec.lessons[3].title)
    expect(page.get_by_text("3 of 4 lessons completed")).to_be_visible()
    page.get_by_role("button", name="Mark as complete and go to the quiz").click()

    # The quiz in English, from the answer key.
    page.get_by_role("button", name="Start attempt").click()
    questions = page.locator("li.quiz-question")
    expect(questions).to_have_count(spec.quiz.values["draw_count"])
    for n in range(questions.count()):
        question = questions.nth(n)
        text = _plain(question.locator(".quiz-question__text").inner_text())
        for choice in key[text]:
            question.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Passed: the pass mark is 75%.")).to_be_visible()

    # The certificate: in Arabic for the course's Arabic title, feminine statement.
    page.get_by_role("link", name="My courses").click()
    completed = page.get_by_role("region", name="Completed")
    expect(completed.get_by_role("heading", level=3)).to_have_text(spec.values["title"])
    certificates = page.locator("section", has_text="Certificates")
    expect(certificates.get_by_role("strong")).to_have_text(spec.values["title"])
    href = certificates.get_by_role("link", name="Download the PDF").get_attribute(
        "href"
    )
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = _arabic_letters("".join(p.extract_text() for p in reader.pages))
    assert _arabic_letters(arabic.values["title"]) in text
    assert _arabic_letters("أتمّت") in text
    assert _arabic_letters(STATEMENT_AR_FEMALE) in text
    # «قد أتمّ بنجاح» is not part of «قد أتمّت بنجاح»: the masculine is absent.
    assert _arabic_letters(STATEMENT_AR_MALE) not in text
    assert _arabic_letters("السيدة") in text
    assert _arabic_letters("نورة الصباح") in text


def _visible_main_text(page) -> str:
    """The visible text of ``main`` without what may rightly stay in English: <bdi>
    (names and titles quoted as such) and a lesson's list of sources (references to
    documents with no official Arabic text are cited in English)."""
    return page.locator("main").evaluate(
        """main => {
            const left = [...main.querySelectorAll('bdi, [lang]:not([lang|="ar"])')];
            for (const heading of main.querySelectorAll('h2')) {
                if (heading.innerText.trim() !== 'المصادر') continue;
                const list = [...main.querySelectorAll('ul, ol')].find(
                    l => heading.compareDocumentPosition(l)
                        & Node.DOCUMENT_POSITION_FOLLOWING
                );
                if (list) left.push(list);
            }
            let text = main.innerText;
            for (const el of left) {
                if (el.innerText) text = text.split(el.innerText).join(' ');
            }
            return text;
        }"""
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_main_pages_are_arabic_right_to_left(arabic_page, tmp_path):
    page = arabic_page
    shots = Path(os.environ.get("TADREEB_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    call_command("load_demo", verbosity=0)
    spec, arabic = _course()
    User.objects.filter(email="officer@moi.gov.kw").update(language="ar")
    User.objects.filter(email="admin@tadreeb.example").update(language="ar")

    def sign_in(email):
        page.goto("/accounts/login/")
        page.get_by_label(EMAIL_LABEL).fill(email)
        page.get_by_label(PASSWORD_LABEL).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="تسجيل الدخول").click()
        # Officers land on the site, staff on their admin page.
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    def check(name, officer=True):
        page.screenshot(path=str(shots / f"arabic-{name}.png"), full_page=True)
        _expect_arabic_page(page)
        if officer:
            runs = ENGLISH_RUN.findall(ADDRESS.sub(" ", _visible_main_text(page)))
            assert not runs, f"{name}: English text in main: {runs}"

    page.goto("/")
    check("home")
    # The course cards name their topics in Arabic (not the English topics).
    topics = read_arabic_content(read_course_content()).topic_names
    card = page.locator(".course-card", has_text=arabic.values["title"])
    for slug in spec.topics:
        expect(card).to_contain_text(topics[slug])

    sign_in("officer@moi.gov.kw")
    page.get_by_role("link", name="الدورات التدريبية", exact=True).first.click()
    page.get_by_role("link", name=arabic.values["title"]).first.click()
    check("course")
    course_url = page.url
    page.get_by_role("button", name="بدء الدورة التدريبية").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        arabic.lessons[spec.lessons[0].slug].title
    )
    check("lesson")

    page.goto(f"{course_url}{spec.quiz.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        arabic.quiz.values["title"]
    )
    check("quiz")

    page.get_by_role("link", name="دوراتي التدريبية").first.click()
    check("dashboard")

    page.get_by_role("button", name="تسجيل الخروج").click()
    sign_in("admin@tadreeb.example")
    page.goto(reverse("training_reports:completion"))
    expect(page.locator("table.listing")).to_be_visible()
    check("admin-report", officer=False)
    page.goto("/admin/")
    check("admin-home", officer=False)

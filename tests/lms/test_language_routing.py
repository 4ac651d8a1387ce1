"""Language prefixes (/ar/…, /en/…), the language of a request, today's URLs that
redirect, the switch, and Wagtail pages in the Arabic tree."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from courses.models import LessonPage
from courses.services import enrol
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    # A plain client: no Accept-Language, and the redirects of old URLs are seen
    # (tests/conftest.py's client prefers English and follows them).
    return Client()


def arabic(page, **fields):
    """Publish an Arabic translation of ``page`` (its parent translated first)."""
    translated = page.copy_for_translation(Locale.objects.get(language_code="ar"))
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated.specific


@pytest.fixture
def arabic_catalogue(home_page, catalogue):
    return arabic(home_page, title="تدريب"), arabic(catalogue, title="الدورات")


# --- Prefixes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang", "direction"),
    [("/ar/verify/", "ar", "rtl"), ("/en/verify/", "en", "ltr")],
)
def test_each_prefix_serves_its_language_with_lang_and_dir(
    client, path, lang, direction
):
    response = client.get(path)

    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in response.content.decode()


def test_sign_in_and_dashboard_live_under_the_prefix(client, officer):
    assert client.get("/ar/accounts/login/").status_code == 200
    assert client.get("/en/accounts/login/").status_code == 200
    client.force_login(officer)
    assert client.get("/ar/dashboard/").status_code == 200


def test_unprefixed_routes_stay_where_they_are(client):
    assert client.get("/healthz/").status_code == 200
    assert client.get("/admin/").status_code == 302  # to the sign-in, not to /ar/
    assert client.get("/admin/")["Location"].startswith("/ar/accounts/login/")
    assert client.get("/api/v1/schema/").status_code == 200


def test_an_old_url_redirects_to_the_visitors_language_keeping_the_query(client):
    response = client.get("/accounts/login/?next=/dashboard/&x=1")

    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/login/?next=/dashboard/&x=1"


def test_a_printed_verification_link_still_works(client):
    response = client.get("/verify/ABCD-1234/", follow=True)

    assert response.redirect_chain[0] == ("/ar/verify/ABCD-1234/", 302)
    assert response.status_code in (200, 404)  # the verification page answers


def test_an_old_url_without_its_slash_gets_both(client):
    response = client.get("/verify")

    assert response["Location"] == "/ar/verify/"


def test_a_form_posted_to_an_old_url_is_repeated_not_lost(client, moi):
    user = UserFactory(ministry=moi, email="poster@moi.gov.kw")

    response = client.post(
        "/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 307
    assert response["Location"] == "/ar/accounts/login/"

    client.post(
        "/accounts/login/",
        {"login": user.email, "password": TEST_PASSWORD},
        follow=True,
    )
    assert client.session["_auth_user_id"] == str(user.pk)


# --- Which language --------------------------------------------------------------


def _language_of_old_url(client, **headers) -> str:
    return client.get("/verify/", headers=headers)["Location"].split("/")[1]


def test_without_any_preference_the_portal_speaks_arabic(client):
    assert _language_of_old_url(client) == "ar"


def test_the_browser_preference_comes_next(client):
    assert _language_of_old_url(client, accept_language="en-GB,en;q=0.8") == "en"
    assert _language_of_old_url(client, accept_language="fr, ar;q=0.5") == "ar"
    assert _language_of_old_url(client, accept_language="fr") == "ar"


def test_the_cookie_outranks_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert _language_of_old_url(client, accept_language="en") == "ar"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _language_of_old_url(client, accept_language="ar") == "en"


def test_the_saved_choice_outranks_cookie_and_browser(client, officer):
    officer.language = "en"
    officer.save()
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    assert _language_of_old_url(client, accept_language="ar") == "en"


def test_the_prefix_outranks_everything(client, officer):
    officer.language = "en"
    officer.save()
    client.force_login(officer)

    response = client.get("/ar/verify/", headers={"accept_language": "en"})

    assert '<html lang="ar" dir="rtl">' in response.content.decode()


# --- The switch ------------------------------------------------------------------


def test_every_page_offers_the_other_language_in_its_own_script(client):
    content = client.get("/ar/verify/").content.decode()

    assert 'name="next" value="/en/verify/"' in content
    assert 'lang="en" dir="ltr">English</button>' in content
    assert "العربية</button>" not in content  # not the language already shown

    content = client.get("/en/verify/").content.decode()
    assert 'name="next" value="/ar/verify/"' in content
    assert 'lang="ar" dir="rtl">العربية</button>' in content


def test_switching_saves_the_choice_on_the_account(client, officer):
    client.force_login(officer)

    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/en/dashboard/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    officer.refresh_from_db()
    assert officer.language == "en"
    # And an unprefixed URL now follows it, even with an Arabic browser.
    assert _language_of_old_url(client, accept_language="ar") == "en"


def test_switching_anonymously_sets_the_cookie_only(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/en/verify/"}
    )

    assert response["Location"] == "/en/verify/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_switch_refuses_get_and_unknown_languages(client, officer):
    client.force_login(officer)
    assert client.get(reverse("set_language")).status_code == 405

    client.post(reverse("set_language"), {"language": "xx", "next": "/ar/"})

    officer.refresh_from_db()
    assert officer.language == ""


def test_the_account_language_page_saves_and_reopens_in_that_language(client, officer):
    client.force_login(officer)
    page = client.get("/ar/accounts/language/")
    assert page.status_code == 200
    assert 'value="ar"' in page.content.decode()

    response = client.post("/ar/accounts/language/", {"language": "en"})

    assert response["Location"] == "/en/accounts/language/"
    officer.refresh_from_db()
    assert officer.language == "en"
    assert (
        "Your language has been saved."
        in client.get(response["Location"]).content.decode()
    )


def test_the_account_language_page_rejects_an_unknown_language(client, officer):
    client.force_login(officer)

    response = client.post("/ar/accounts/language/", {"language": "fr"})

    assert response.status_code == 200
    officer.refresh_from_db()
    assert officer.language == ""


# --- Wagtail pages in two trees ---------------------------------------------------


def test_an_arabic_page_is_served_from_the_arabic_tree(
    client, arabic_catalogue, course
):
    arabic_course = arabic(course, title="التعرف على الضحايا")

    response = client.get(arabic_course.url)

    assert arabic_course.url.startswith("/ar/courses/")
    assert response.status_code == 200
    assert "التعرف على الضحايا" in response.content.decode()
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_a_page_links_to_its_translation_and_names_both_with_hreflang(
    client, arabic_catalogue, course
):
    arabic_course = arabic(course, title="التعرف على الضحايا", slug="تعرف-الضحايا")

    content = client.get(course.url).content.decode()

    assert f'name="next" value="{arabic_course.url}"' in content
    assert f'hreflang="ar" href="http://testserver{arabic_course.url}"' in content
    assert f'hreflang="en" href="http://testserver{course.url}"' in content


def test_lessons_route_in_the_arabic_tree_with_one_query_per_level(
    client, arabic_catalogue, course, officer, django_assert_max_num_queries
):
    arabic_course = arabic(course, title="التعرف على الضحايا", slug="تعرف-الضحايا")
    lesson = LessonPage.objects.child_of(course).first()
    arabic_lesson = arabic(lesson, title="الدرس الأول")
    enrol(officer, arabic_course)
    client.force_login(officer)

    with django_assert_max_num_queries(40):
        response = client.get(arabic_lesson.url)

    assert arabic_lesson.url.startswith(arabic_course.url)
    assert response.status_code == 200
    assert "الدرس الأول" in response.content.decode()


def test_an_untranslated_page_under_ar_leads_to_the_english_page(
    client, arabic_catalogue, course
):
    response = client.get(f"/ar/courses/{course.slug}/?from=qr")

    assert response.status_code == 302
    assert response["Location"] == f"{course.url}?from=qr"
    english = client.get(response["Location"])
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    # With a notice, in the language the visitor asked for, saying why.
    notices = [str(message) for message in english.context["messages"]]
    with translation.override("ar"):
        from django.utils.translation import gettext

        expected = gettext(
            "This page is not available in your language yet: it is shown in "
            "%(language)s."
        ) % {"language": translation.get_language_info("en")["name_translated"]}
    assert notices == [expected]


def test_an_english_slug_under_ar_leads_to_the_arabic_page(
    client, arabic_catalogue, course
):
    arabic_course = arabic(course, slug="تعرف-الضحايا")

    response = client.get(f"/ar/courses/{course.slug}/")

    assert response["Location"] == arabic_course.url


def test_with_no_arabic_tree_at_all_the_arabic_home_leads_to_the_english_one(
    client, home_page
):
    response = client.get("/ar/")

    assert response["Location"] == "/en/"
    assert client.get("/en/").status_code == 200


def test_an_old_course_url_reaches_the_course(client, course):
    response = client.get(f"/courses/{course.slug}/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == course.url


def test_a_missing_page_is_still_a_404(client, arabic_catalogue):
    assert client.get("/ar/courses/no-such-course/").status_code == 404
    assert client.get("/en/courses/no-such-course/").status_code == 404


def test_a_form_posted_to_an_untranslated_page_is_repeated_not_lost(
    client, arabic_catalogue, course
):
    response = client.post(f"/ar/courses/{course.slug}/", {"a": "b"})

    assert response.status_code == 307
    assert response["Location"] == course.url


def test_header_links_point_into_the_current_language(client, home_page):
    content = client.get("/en/").content.decode()

    assert '<a class="site-brand" href="/en/">' in content
    assert 'href="/en/courses/"' in content
    with translation.override("ar"):
        assert reverse("wagtail_serve", args=("",)) == "/ar/"


@pytest.mark.parametrize(
    ("path", "location"), [("/admin", "/admin/"), ("/api/v1/nothing/", None)]
)
def test_unprefixed_areas_are_not_sent_under_a_language(client, path, location):
    response = client.get(path)

    if location is None:
        assert response.status_code == 404
    else:
        assert response["Location"] == location

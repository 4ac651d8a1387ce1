"""One door in: every view that takes a password is allauth's, or shadowed by a
hand-over to allauth's sign-in page; signing out ends the session on the server."""

import pytest
from allauth.account.views import LoginView as AllauthLoginView
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from wagtail.models import PageViewRestriction

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _view_class(callback):
    return getattr(callback, "view_class", None)


def _takes_password(callback) -> bool:
    """Views that check a password or set one and may sign the person in."""
    view_class = _view_class(callback)
    if view_class is None:
        return False
    if issubclass(
        view_class,
        (AllauthLoginView, auth_views.LoginView, auth_views.PasswordResetConfirmView),
    ):
        return True
    form_class = getattr(view_class, "form_class", None)
    return isinstance(form_class, type) and issubclass(
        form_class, (AuthenticationForm, SetPasswordForm)
    )


def _concrete_path(route: str) -> str:
    # Routes with parameters get a plausible value for each (none is expected).
    for marker, value in (("<int:", "1"), ("<str:", "x"), ("<slug:", "x")):
        while marker in route:
            start = route.index(marker)
            route = route[:start] + value + route[route.index(">", start) + 1 :]
    return "/" + route.lstrip("^").rstrip("$").replace("\\", "")


def _password_views():
    # The public site is under /ar/ and /en/: the walk covers every language prefix.
    views = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            views += [
                (route, pattern)
                for route, pattern in _patterns(get_resolver().url_patterns)
                if _takes_password(pattern.callback)
            ]
    return views


def _resolve(path):
    # A route walked under a language prefix resolves under that language.
    with translation.override(translation.get_language_from_path(path) or "en"):
        return resolve(path)


def test_the_resolver_walk_finds_the_login_views_a_dependency_mounts():
    # The walk itself must see the views it guards against, or it proves nothing.
    routes = {route for route, _ in _password_views()}
    for language, _name in settings.LANGUAGES:
        assert f"{language}/_util/login/" in routes  # Wagtail's private-page login
        assert f"{language}/accounts/login/" in routes  # allauth's


def test_every_password_view_reachable_by_url_is_allauths():
    for route, _pattern in _password_views():
        path = _concrete_path(route)
        reached = _view_class(_resolve(path).func)
        assert (
            reached is None
            or not _takes_password(_resolve(path).func)
            or (issubclass(reached, AllauthLoginView))
        ), f"{path} reaches {reached.__name__}, which signs people in"


@pytest.mark.parametrize("with_next", [False, True])
def test_no_route_but_allauth_signs_anybody_in(client, moi, with_next):
    user = UserFactory(ministry=moi, email="someone@moi.gov.kw")
    for route, _pattern in _password_views():
        path = _concrete_path(route)
        if issubclass(_view_class(_resolve(path).func), AllauthLoginView):
            continue
        client.post(
            path + ("?next=/dashboard/" if with_next else ""),
            {
                "username": user.email,
                "login": user.email,
                "email": user.email,
                "password": TEST_PASSWORD,
                "new_password1": "A-new-password-2026",
                "new_password2": "A-new-password-2026",
            },
        )
        assert "_auth_user_id" not in client.session, f"{path} signed the user in"


def test_wagtail_private_page_login_hands_over_to_allauth_keeping_next(client):
    response = client.get("/ar/_util/login/?next=/ar/courses/private/")

    assert response.status_code == 302
    assert response["Location"] == (
        "/ar/accounts/login/?next=%2Far%2Fcourses%2Fprivate%2F"
    )


def test_the_old_private_page_login_url_still_hands_over_to_allauth():
    response = Client().get("/_util/login/?next=/courses/private/", follow=True)

    assert response.redirect_chain[-1][0] == (
        "/ar/accounts/login/?next=%2Fcourses%2Fprivate%2F"
    )


def test_private_page_sends_visitors_to_the_allauth_sign_in(client, course):
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.LOGIN
    )

    response = client.get(course.url)

    assert response.status_code == 302
    # Under the page's own language (the course is English, /en/…).
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_private_page_opens_after_signing_in_through_allauth(client, course, moi):
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.LOGIN
    )
    user = UserFactory(ministry=moi, email="reader@moi.gov.kw")

    with translation.override("en"):
        login_url = reverse("account_login")
    response = client.post(
        f"{login_url}?next={course.url}",
        {"login": user.email, "password": TEST_PASSWORD},
    )

    assert response["Location"] == course.url
    assert client.get(course.url).status_code == 200


def _signed_in_staff(moi) -> Client:
    client = Client()
    admin = UserFactory(ministry=moi, email="admin@moi.gov.kw", is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    return client


def _replay(session_id: str) -> Client:
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = session_id
    return replay


@pytest.mark.parametrize(
    "route", ["/admin/logout/", "/ar/accounts/logout/", "/en/accounts/logout/"]
)
def test_signing_out_ends_the_session_on_the_server(moi, route):
    client = _signed_in_staff(moi)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post(route)

    assert response.status_code == 302
    assert _replay(old_cookie).get("/admin/").status_code == 302


def test_signing_out_at_the_old_unprefixed_url_still_ends_the_session(moi):
    client = _signed_in_staff(moi)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/accounts/logout/", follow=True)

    # The browser repeats the POST at the prefixed URL (307), which signs out.
    assert response.redirect_chain[0] == ("/ar/accounts/logout/", 307)
    assert _replay(old_cookie).get("/admin/").status_code == 302


def test_admin_logout_by_get_asks_to_confirm_and_keeps_no_half_open_session(moi):
    client = _signed_in_staff(moi)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.get("/admin/logout/")

    # A link cannot sign anyone out (no CSRF token), so GET asks to confirm;
    # nothing is half done: the cookie is not dropped from a live session.
    assert response.status_code == 200
    assert b'action="/ar/accounts/logout/"' in response.content
    assert response.cookies.get(settings.SESSION_COOKIE_NAME) is None
    assert _replay(old_cookie).get("/admin/").status_code == 200


def test_the_admin_menu_signs_out_for_real(moi):
    client = _signed_in_staff(moi)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Wagtail's menu posts to the URL named wagtailadmin_logout.
    client.post(reverse("wagtailadmin_logout"))

    assert _replay(old_cookie).get("/admin/").status_code == 302

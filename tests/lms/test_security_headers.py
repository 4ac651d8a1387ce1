"""Security headers: Content-Security-Policy (django-csp) and Permissions-Policy
(django-permissions-policy) on the public site, the admin and the API, and pages of
ours that run under the public policy without inline scripts, styles or handlers."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from accounts import roles
from courses import services
from lms.settings.env import env_https_origins
from tests.factories import TEST_PASSWORD, staff_user

# Script types a browser does not execute, so a CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def policy(response, header="Content-Security-Policy") -> dict[str, list[str]]:
    """The response's policy as {directive: [sources]}."""
    value = response.get(header)
    assert value, f"{response.request['PATH_INFO']} sent no {header}"
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def permissions(response) -> dict[str, str]:
    """The Permissions-Policy header as {feature: allow list}."""
    value = response.get("Permissions-Policy")
    assert value, f"{response.request['PATH_INFO']} sent no Permissions-Policy"
    features = {}
    for item in value.split(","):
        feature, _, allow = item.strip().partition("=")
        features[feature] = allow
    return features


class InlineCodeFinder(HTMLParser):
    """Collects what a strict policy would block: inline scripts and <style> blocks
    without the request's nonce, on* handler attributes, style attributes and
    javascript: links."""

    def __init__(self, nonce: str):
        super().__init__()
        self.nonce = nonce
        self.blocked: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        has_nonce = bool(self.nonce) and attributes.get("nonce") == self.nonce
        if tag == "script" and not attributes.get("src") and not has_nonce:
            if (attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
                self.blocked.append(f"inline <script> {attrs}")
        if tag == "style" and not has_nonce:
            self.blocked.append("inline <style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=...>")
            if name == "style":
                self.blocked.append(f'<{tag} style="{value}">')
            if name in {"href", "src", "action", "formaction"} and (
                (value or "").strip().lower().startswith("javascript:")
            ):
                self.blocked.append(f"<{tag} {name}={value!r}>")


def blocked_inline_code(response) -> list[str]:
    nonce = getattr(response.wsgi_request, "_csp_nonce", "") or ""
    finder = InlineCodeFinder(nonce)
    finder.feed(response.content.decode())
    return finder.blocked


def assert_strict_public_policy(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def sign_in(client, user):
    """Sign in and confirm the password, as allauth asks before the two-factor
    set-up pages open."""
    client.force_login(user)
    response = client.post(
        reverse("account_reauthenticate"), {"password": TEST_PASSWORD}
    )
    assert response.status_code == 302


@pytest.fixture
def trainer():
    return staff_user(roles.TRAINERS)


@pytest.fixture
def quiz_with_open_attempt(officer, make_course, make_quiz):
    course = make_course("Headers course", lessons=1)
    quiz = make_quiz(course)
    enrolment = services.enrol(officer, course)
    services.complete_lesson(enrolment, services.lessons_of(course)[0])
    return quiz


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/login/", "/accounts/signup/", "/verify/", "/api/v1/docs/"],
)
def test_public_pages_send_the_strict_policy(client, home_page, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_strict_public_policy(response)


@pytest.mark.django_db
def test_not_found_page_sends_the_strict_policy(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_strict_public_policy(response)


@pytest.mark.django_db
def test_api_responses_send_the_strict_policy(client):
    response = client.get(reverse("api-courses"))

    assert response.status_code in {401, 403}
    assert_strict_public_policy(response)


@pytest.mark.django_db
def test_two_factor_qr_code_is_a_data_uri_the_policy_allows(client, home_page, officer):
    sign_in(client, officer)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in response.content.decode()
    assert "data:" in policy(response)["img-src"]


@pytest.mark.django_db
def test_lesson_video_sites_may_be_framed_but_no_other_site(client, home_page):
    frame_sources = policy(client.get("/"))["frame-src"]

    assert frame_sources == [
        "'self'",
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]


@pytest.mark.django_db
def test_admin_dashboard_sends_the_admin_policy(client, trainer):
    client.force_login(trainer)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    directives = policy(response)
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]
    # Wagtail's inline scripts must run: no script-src, nor a default-src that
    # script-src would fall back to.
    assert "script-src" not in directives
    assert "default-src" not in directives


@pytest.mark.django_db
def test_admin_views_of_our_apps_send_the_admin_policy(client, home_page):
    client.force_login(staff_user(roles.FOCAL_POINTS))

    response = client.get(reverse("assignments:index"))

    assert response.status_code == 200
    assert "default-src" not in policy(response)
    assert policy(response)["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_admin_sign_in_redirect_sends_the_strict_policy(client):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert_strict_public_policy(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/admin/", "/api/v1/docs/"])
def test_permissions_policy_denies_devices_and_payment(client, home_page, url):
    features = permissions(client.get(url))

    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "serial",
        "bluetooth",
        "display-capture",
    ):
        assert features[feature] == "()", feature


@pytest.mark.django_db
def test_permissions_policy_lets_lesson_videos_go_full_screen(client, home_page):
    features = permissions(client.get("/"))

    assert features["fullscreen"].startswith("(self ")
    assert '"https://www.youtube-nocookie.com"' in features["fullscreen"]


@pytest.mark.django_db
def test_api_docs_start_up_script_is_a_file_not_inline(client):
    page = client.get("/api/v1/docs/")
    script = client.get("/api/v1/docs/", {"script": ""})

    assert '<script src="/api/v1/docs/?script="></script>' in page.content.decode()
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/verify/",
        "/verify/NO-SUCH-CODE/",
        "/api/v1/docs/",
        "/no-such-page/",
    ],
)
def test_anonymous_pages_have_no_inline_code(client, home_page, url):
    response = client.get(url)

    assert blocked_inline_code(response) == []


@pytest.mark.django_db
def test_officer_pages_have_no_inline_code(client, officer, quiz_with_open_attempt):
    quiz = quiz_with_open_attempt
    course = quiz.get_parent().specific
    lesson = services.lessons_of(course)[0]
    sign_in(client, officer)
    client.post(quiz.url, {"action": "start"})
    urls = [
        "/",
        course.get_parent().url,
        course.url,
        lesson.url,
        quiz.url,
        reverse("courses:dashboard"),
        reverse("mfa_index"),
        reverse("mfa_activate_totp"),
        reverse("account_email"),
        reverse("account_change_password"),
    ]

    blocked = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if found := blocked_inline_code(response):
            blocked[url] = found

    assert "js/quiz.js" in client.get(quiz.url).content.decode()
    assert blocked == {}


def test_video_embed_origins_refuse_a_wildcard(monkeypatch):
    monkeypatch.setenv("TADREEB_VIDEO_EMBED_ORIGINS", "https://www.youtube.com, *")

    with pytest.raises(ImproperlyConfigured, match="not '\\*'"):
        env_https_origins("TADREEB_VIDEO_EMBED_ORIGINS", [])


def test_video_embed_origins_refuse_a_plain_http_origin(monkeypatch):
    monkeypatch.setenv("TADREEB_VIDEO_EMBED_ORIGINS", "http://videos.example")

    with pytest.raises(ImproperlyConfigured, match="https origins"):
        env_https_origins("TADREEB_VIDEO_EMBED_ORIGINS", [])


def test_video_embed_origins_may_be_emptied(monkeypatch):
    monkeypatch.setenv("TADREEB_VIDEO_EMBED_ORIGINS", "")

    assert env_https_origins("TADREEB_VIDEO_EMBED_ORIGINS", ["https://x.example"]) == []

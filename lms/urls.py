from urllib.parse import urlencode

from allauth.account.views import LogoutView
from csp.decorators import csp
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path, reverse
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern
from wagtail.utils.urlpatterns import decorate_urlpatterns

from accounts import views as accounts_views
from core import routing
from core import views as core_views


class SignInRedirectView(RedirectView):
    """Every sign-in route hands over to allauth's sign-in page, keeping ``next``:
    one door in, where e-mail verification, rate limits and two-factor
    authentication apply to everyone. Other views that would take a password
    (Django's ``LoginView`` that Wagtail mounts for private pages, the admin's own
    login) are shadowed by this one; ``tests/lms/test_one_sign_in_path.py`` walks
    the URL resolver to keep it so."""

    default_next = "/"

    def get_redirect_url(self, *args, **kwargs):
        next_url = self.request.GET.get("next") or self.default_next
        return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


class AdminSignInRedirectView(SignInRedirectView):
    @property
    def default_next(self):
        return reverse("wagtailadmin_home")


# Every admin view (Wagtail's and those our apps register through hooks) answers
# with the admin's own Content-Security-Policy: Wagtail needs inline scripts.
decorate_urlpatterns(
    wagtailadmin_urls.urlpatterns,
    csp(settings.TADREEB_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]),
)

# Not under a language prefix: the admin (its own language, the staff member's
# preference), the API (the rule of accounts.services.language_for_request, for a
# token client Accept-Language), health checks, documents, static and media files,
# and the language switch.
urlpatterns = [
    path("healthz/", core_views.healthz, name="healthz"),
    path("healthz/detail/", core_views.healthz_detail, name="healthz_detail"),
    path("admin/login/", AdminSignInRedirectView.as_view(), name="admin_login"),
    # Signing out ends the session on the server whatever the route: the admin's
    # "Log out" is allauth's (GET asks to confirm, POST signs out).
    path("admin/logout/", LogoutView.as_view(), name="admin_logout"),
    # Passwords are reset through allauth too (rate limited, its own tokens).
    re_path(
        r"^admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include("lms.api_urls")),
    # Django's set_language (cookie and redirect), which also saves the choice on
    # the signed-in person's account.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public site under /ar/ and /en/. An unprefixed URL of today (/courses/…,
# /dashboard/, /verify/<code>/ printed on certificates, e-mailed links) is sent to
# the same path under the visitor's language by accounts.middleware.LanguageMiddleware.
urlpatterns += i18n_patterns(
    path("accounts/language/", accounts_views.language, name="account_language"),
    path("accounts/profile/", accounts_views.profile, name="account_profile"),
    path("accounts/", include("allauth.urls")),
    path("", include("courses.urls")),
    path("", include("quizzes.urls")),
    path("", include("certificates.urls")),
    # Wagtail's login for private pages (a plain Django LoginView) is never reached.
    path("_util/login/", SignInRedirectView.as_view(), name="private_page_login"),
    # Wagtail's page view, with the fallback for pages not translated yet.
    re_path(serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

from urllib.parse import urlencode

from csp.decorators import csp
from django.conf import settings
from django.urls import include, path, reverse
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import views


class AdminLoginRedirectView(RedirectView):
    """Staff sign in through allauth like everyone else, so that e-mail verification,
    rate limits and two-factor authentication apply to the admin too."""

    def get_redirect_url(self, *args, **kwargs):
        next_url = self.request.GET.get("next") or reverse("wagtailadmin_home")
        return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


# Every admin view (Wagtail's and those our apps register through hooks) answers
# with the admin's own Content-Security-Policy: Wagtail needs inline scripts.
decorate_urlpatterns(
    wagtailadmin_urls.urlpatterns,
    csp(settings.TADREEB_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]),
)

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("admin/login/", AdminLoginRedirectView.as_view(), name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("courses.urls")),
    path("", include("certificates.urls")),
    path("api/v1/", include("lms.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

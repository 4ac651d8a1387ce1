"""REST API v1: schema and locally served documentation, and the endpoints."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from certificates.api import CertificateStatementView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "certificates/<str:code>/",
        CertificateStatementView.as_view(),
        name="api-certificate",
    ),
]

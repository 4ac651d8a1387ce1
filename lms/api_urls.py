"""REST API v1: schema and locally served documentation, and the endpoints."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from certificates.api import CertificateStatementView
from reporting import api as reporting_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        # The split view serves Swagger UI's start-up script as a file (?script), not
        # inline, so that the page runs under the site's Content-Security-Policy.
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path(
        "certificates/<str:code>/",
        CertificateStatementView.as_view(),
        name="api-certificate",
    ),
    path(
        "stats/completion/",
        reporting_api.CompletionStatsView.as_view(),
        name="api-stats-completion",
    ),
    path(
        "stats/trained-per-year/",
        reporting_api.TrainedPerYearView.as_view(),
        name="api-stats-trained-per-year",
    ),
    path(
        "records/",
        reporting_api.OfficerRecordsView.as_view(),
        name="api-records",
    ),
    path("courses/", reporting_api.CourseListView.as_view(), name="api-courses"),
    path(
        "ministries/",
        reporting_api.MinistryListView.as_view(),
        name="api-ministries",
    ),
]

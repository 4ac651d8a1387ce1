"""REST API v1: completion statistics, officials trained per year, officer records,
and the courses and ministries they refer to.

Every number comes from ``reporting.stats``; these views validate the parameters,
resolve who is calling (``reporting.authentication``) and serialise the rows. A
ministry's token or focal point sees only that ministry; asking for another one
is refused with 403, never answered with its rows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Scope
from accounts.models import ApiToken, Ministry
from courses.models import CoursePage

from . import serializers, stats
from .authentication import (
    ApiTokenAuthentication,
    HasReportingScope,
    MaySeeOfficerRecords,
    StatsApiThrottle,
    reporting_scope,
)
from .renderers import CSVRenderer, serializer_columns

ERROR_RESPONSES = {
    400: OpenApiResponse(
        inline_serializer(
            "ParameterErrors",
            {"parameter": drf_serializers.ListField(child=drf_serializers.CharField())},
        ),
        description=_("Invalid parameters, each named with its messages."),
    ),
    401: OpenApiResponse(description=_("No credentials, or a bad or expired token.")),
    403: OpenApiResponse(
        description=_("Not allowed: no reporting role, or another ministry asked.")
    ),
    429: OpenApiResponse(description=_("Too many requests; retry later.")),
}


CSV_RESPONSE = {
    (200, "text/csv"): OpenApiResponse(
        OpenApiTypes.STR,
        description=_("With ?format=csv: a header row, then one line per row."),
    )
}


class ReportingAPIView(APIView):
    """Shared set-up: bearer tokens first (so that a missing credential is a 401
    with ``WWW-Authenticate: Bearer``), then the browser session; the caller must
    hold a reporting scope; requests are throttled per token or user."""

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [HasReportingScope]
    throttle_classes = [StatsApiThrottle]
    renderer_classes = [JSONRenderer]
    query_serializer_class: type[drf_serializers.Serializer] | None = None

    @property
    def scope(self) -> Scope:
        return reporting_scope(self.request)

    def query(self):
        """The validated query parameters (400 naming each bad one)."""
        token = self.request.auth if isinstance(self.request.auth, ApiToken) else None
        # An empty parameter (``?ministry=``, as forms send) means "not given".
        params = {k: v for k, v in self.request.query_params.items() if v.strip()}
        query = self.query_serializer_class(
            data=params,
            context={
                "scope": self.scope,
                "token_ministry": token.ministry if token else None,
                "request": self.request,
            },
        )
        query.is_valid(raise_exception=True)
        return query


class CompletionStatsView(ReportingAPIView):
    """GET /api/v1/stats/completion/"""

    renderer_classes = [JSONRenderer, CSVRenderer]
    query_serializer_class = serializers.CompletionQuerySerializer
    csv_filename = "completion"

    def csv_columns(self):
        return serializer_columns(serializers.CompletionRowSerializer())

    @extend_schema(
        operation_id="stats_completion",
        summary=_("Completion statistics"),
        description=_(
            "Enrolled, started, completed, passed quiz, certified, expired and "
            "overdue officers, with completion rate and coverage, grouped by any "
            "of ministry, course, cadre, gender and enrolment year. A ministry's "
            "token sees its own ministry only. `?format=csv` gives a CSV file."
        ),
        parameters=[serializers.CompletionQuerySerializer],
        responses={
            (200, "application/json"): serializers.CompletionResponseSerializer,
            **CSV_RESPONSE,
            **ERROR_RESPONSES,
        },
        tags=["statistics"],
    )
    def get(self, request):
        query = self.query()
        group_by = query.validated_data["group_by"]
        rows = stats.completion(self.scope, group_by, query.stats_filter())
        data = {
            "group_by": list(group_by),
            "count": len(rows),
            "results": serializers.CompletionRowSerializer(rows, many=True).data,
        }
        return Response(data)


class TrainedPerYearView(ReportingAPIView):
    """GET /api/v1/stats/trained-per-year/"""

    renderer_classes = [JSONRenderer, CSVRenderer]
    query_serializer_class = serializers.TrainedPerYearQuerySerializer
    csv_filename = "trained-per-year"

    def csv_columns(self):
        return serializer_columns(serializers.TrainedPerYearRowSerializer())

    @extend_schema(
        operation_id="stats_trained_per_year",
        summary=_("Officials trained per year"),
        description=_(
            "Distinct officers who completed at least one course in each year, by "
            "ministry, with gender and cadre breakdowns; a national caller also "
            "gets each year's total over all ministries (ministry null). The date "
            "range applies to the completion date. `?format=csv` gives a CSV file."
        ),
        parameters=[serializers.TrainedPerYearQuerySerializer],
        responses={
            (200, "application/json"): serializers.TrainedPerYearResponseSerializer,
            **CSV_RESPONSE,
            **ERROR_RESPONSES,
        },
        tags=["statistics"],
    )
    def get(self, request):
        query = self.query()
        rows = stats.trained_per_year(self.scope, query.stats_filter())
        data = {
            "count": len(rows),
            "results": serializers.TrainedPerYearRowSerializer(rows, many=True).data,
        }
        return Response(data)


class RecordsPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = serializers.MAX_PAGE_SIZE


class OfficerRecordsView(ReportingAPIView):
    """GET /api/v1/records/"""

    permission_classes = [MaySeeOfficerRecords]
    renderer_classes = [JSONRenderer, CSVRenderer]
    query_serializer_class = serializers.RecordsQuerySerializer
    csv_filename = "officer-records"

    def csv_columns(self):
        return serializer_columns(serializers.OfficerRecordSerializer())

    @extend_schema(
        operation_id="officer_records",
        summary=_("Officer records"),
        description=_(
            "One row per officer and course (latest cycle): status, dates, best "
            "score, certificate code and state. For ministry tokens, focal points "
            "and the national committee; trainers see aggregates only (403). "
            "Paginated: 100 rows a page unless `page_size` says otherwise (at "
            "most 1000). `?format=csv` gives one page as a CSV file."
        ),
        parameters=[serializers.RecordsQuerySerializer],
        responses={
            (200, "application/json"): serializers.OfficerRecordPageSerializer,
            **CSV_RESPONSE,
            **ERROR_RESPONSES,
        },
        tags=["records"],
    )
    def get(self, request):
        query = self.query()
        records = stats.officer_records(self.scope, query.stats_filter())
        paginator = RecordsPagination()
        page = paginator.paginate_queryset(records, request, view=self)
        body = serializers.OfficerRecordSerializer(page, many=True).data
        return paginator.get_paginated_response(body)


class CourseListView(ReportingAPIView):
    """GET /api/v1/courses/"""

    @extend_schema(
        operation_id="courses",
        summary=_("Courses"),
        description=_(
            "The live courses, whose ids the statistics endpoints take as `course`."
        ),
        responses={200: serializers.CourseSerializer(many=True), **ERROR_RESPONSES},
        tags=["reference"],
    )
    def get(self, request):
        courses = CoursePage.objects.published().order_by("title", "pk")
        body = serializers.CourseSerializer(
            courses, many=True, context={"request": request}
        ).data
        return Response(body)


class MinistryListView(ReportingAPIView):
    """GET /api/v1/ministries/"""

    @extend_schema(
        operation_id="ministries",
        summary=_("Ministries"),
        description=_(
            "The ministries whose figures the caller may see: its own for a "
            "ministry's token or focal point, every ministry for the committee."
        ),
        responses={200: serializers.MinistrySerializer(many=True), **ERROR_RESPONSES},
        tags=["reference"],
    )
    def get(self, request):
        ministries = self.scope.restrict(Ministry.objects.order_by("code"), "pk")
        return Response(serializers.MinistrySerializer(ministries, many=True).data)

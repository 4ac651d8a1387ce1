"""REST API v1: completion statistics, officials trained per year, officer records,
and the courses and ministries they refer to.

Every number comes from ``reporting.stats``; these views validate the parameters,
resolve who is calling (``reporting.authentication``) and serialise the rows. A
ministry's token or focal point sees only that ministry; asking for another one
is refused with 403, never answered with its rows.
"""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers as drf_serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Scope
from accounts.models import ApiToken, Ministry
from courses.models import CoursePage

from . import filters, serializers, stats
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


# The parameters as the schema describes them; what they accept is declared by the
# filter sets of ``reporting.filters``, read by ``filter_parameters`` below.
PARAMETER_DESCRIPTIONS = {
    "ministry": _("A ministry code (e.g. MOI) or id."),
    "course": _("A course id (see /api/v1/courses/)."),
    "cadre": _("Only officers of this cadre."),
    "gender": _("Only officers of this gender."),
    "from": _("First day of the date range (YYYY-MM-DD), inclusive."),
    "to": _("Last day of the date range (YYYY-MM-DD), inclusive."),
    "date_basis": _(
        "Which date 'from' and 'to' apply to: the completion date or the "
        "certificate issue date."
    ),
    "group_by": _(
        "Comma-separated grouping fields: ministry, course, cadre, gender, year "
        "(the enrolment year). Default: ministry,course."
    ),
    "page": _("Page number, from 1."),
    "page_size": _("Rows per page: 100 unless given, at most 1000."),
}


def _parameter_schema(field: forms.Field) -> dict:
    """The schema of one parameter, keys in the order drf-spectacular writes them
    for a serializer field."""
    if isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        return schema
    schema = {"type": "string"}
    if isinstance(field, forms.ChoiceField):
        values = [value for value, _label in field.choices if value != ""]
        schema = {"enum": values, **schema}
    if field.initial is not None:
        schema["default"] = field.initial
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    schema["minLength"] = 1
    return schema


def _describe(name: str, field: forms.Field) -> str:
    description = str(PARAMETER_DESCRIPTIONS[name])
    if isinstance(field, forms.ChoiceField):
        lines = [f"* `{value}` - {label}" for value, label in field.choices if value]
        description = "\n\n".join([description, "\n".join(lines)])
    return description


_parameter_description = lazy(_describe, str)


def filter_parameters(filterset_class) -> list[OpenApiParameter]:
    """The query parameters of an endpoint, from its filter set."""
    parameters = []
    for name, declared in filterset_class.base_filters.items():
        field = declared.field
        if isinstance(field, filters.DateRangeField):
            for suffix in field.widget.suffixes:
                parameters.append(
                    OpenApiParameter(
                        suffix,
                        {"type": "string", "format": "date"},
                        OpenApiParameter.QUERY,
                        description=PARAMETER_DESCRIPTIONS[suffix],
                    )
                )
            continue
        parameters.append(
            OpenApiParameter(
                name,
                _parameter_schema(field),
                OpenApiParameter.QUERY,
                description=_parameter_description(name, field),  # lazy
            )
        )
    return parameters


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
    filterset_class: type[filters.StatsFilterSet] | None = None

    @property
    def scope(self) -> Scope:
        return reporting_scope(self.request)

    def query(self) -> tuple[filters.StatsFilterSet, stats.StatsFilter]:
        """The filter set of the query parameters and the statistics filter they
        ask for (400 naming each bad parameter; 403 for a ministry the caller may
        not see)."""
        token = self.request.auth if isinstance(self.request.auth, ApiToken) else None
        # An empty parameter (``?ministry=``, as forms send) means "not given".
        params = {k: v for k, v in self.request.query_params.items() if v.strip()}
        query = self.filterset_class(
            params,
            request=self.request,
            scope=self.scope,
            token_ministry=token.ministry if token else None,
        )
        try:
            stats_filter = query.stats_filter()
        except filters.MinistryOutOfScope as refusal:
            # 403 rather than 400, and never the other ministry's rows.
            raise PermissionDenied({"ministry": [refusal.message]}) from refusal
        if stats_filter is None:
            raise ValidationError(query.errors_by_parameter())
        return query, stats_filter


class CompletionStatsView(ReportingAPIView):
    """GET /api/v1/stats/completion/"""

    renderer_classes = [JSONRenderer, CSVRenderer]
    filterset_class = filters.CompletionQueryFilterSet
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
        parameters=filter_parameters(filters.CompletionQueryFilterSet),
        responses={
            (200, "application/json"): serializers.CompletionResponseSerializer,
            **CSV_RESPONSE,
            **ERROR_RESPONSES,
        },
        tags=["statistics"],
    )
    def get(self, request):
        query, stats_filter = self.query()
        group_by = query.grouping()
        rows = stats.completion(self.scope, group_by, stats_filter)
        data = {
            "group_by": list(group_by),
            "count": len(rows),
            "results": serializers.CompletionRowSerializer(rows, many=True).data,
        }
        return Response(data)


class TrainedPerYearView(ReportingAPIView):
    """GET /api/v1/stats/trained-per-year/"""

    renderer_classes = [JSONRenderer, CSVRenderer]
    filterset_class = filters.TrainedPerYearQueryFilterSet
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
        parameters=filter_parameters(filters.TrainedPerYearQueryFilterSet),
        responses={
            (200, "application/json"): serializers.TrainedPerYearResponseSerializer,
            **CSV_RESPONSE,
            **ERROR_RESPONSES,
        },
        tags=["statistics"],
    )
    def get(self, request):
        _query, stats_filter = self.query()
        rows = stats.trained_per_year(self.scope, stats_filter)
        data = {
            "count": len(rows),
            "results": serializers.TrainedPerYearRowSerializer(rows, many=True).data,
        }
        return Response(data)


class RecordsPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = filters.MAX_PAGE_SIZE


class OfficerRecordsView(ReportingAPIView):
    """GET /api/v1/records/"""

    permission_classes = [MaySeeOfficerRecords]
    renderer_classes = [JSONRenderer, CSVRenderer]
    filterset_class = filters.RecordsQueryFilterSet
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
        parameters=filter_parameters(filters.RecordsQueryFilterSet),
        responses={
            (200, "application/json"): serializers.OfficerRecordPageSerializer,
            **CSV_RESPONSE,
            **ERROR_RESPONSES,
        },
        tags=["records"],
    )
    def get(self, request):
        _query, stats_filter = self.query()
        records = stats.officer_records(self.scope, stats_filter)
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

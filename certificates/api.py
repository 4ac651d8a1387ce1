"""REST API: what a certificate states, for other systems (same facts as the
public verification page, nothing more about the officer)."""

from django.utils import timezone
from django.utils.translation import pgettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.client_ip import ClientIpThrottleMixin

from . import services
from .models import CertificateState


class CertificateStatementSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["valid", "expired", "revoked", "not_found"]
    )
    status_label = serializers.CharField(
        help_text="The status in words, in the request's language (Accept-Language)."
    )
    name_en = serializers.CharField(allow_null=True)
    name_ar = serializers.CharField(allow_null=True)
    course = serializers.CharField(
        allow_null=True, help_text="The course title in English (the source)."
    )
    course_title_ar = serializers.CharField(
        allow_null=True,
        help_text="The Arabic course title printed; the English one when the course "
        "had no Arabic translation at issue.",
    )
    ministry_en = serializers.CharField(allow_null=True)
    ministry_ar = serializers.CharField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    revoked_on = serializers.DateField(allow_null=True)
    revocation_reason = serializers.CharField(allow_null=True)
    replaced_by = serializers.CharField(allow_null=True)
    verify_url = serializers.URLField(allow_null=True)


class CertificateVerifyThrottle(ClientIpThrottleMixin, ScopedRateThrottle):
    """``certificate_verify`` requests per client address (see core.client_ip)."""


def status_label(status: str) -> str:
    """``status`` in words, in the active language."""
    if status == "not_found":
        return pgettext("certificate status", "Not found")
    return CertificateState(status).label


def statement(result, code: str) -> dict:
    certificate = result.certificate
    if certificate is None:
        return dict.fromkeys(CertificateStatementSerializer().fields, None) | {
            "code": code,
            "status": "not_found",
            "status_label": status_label("not_found"),
        }

    def day(moment):
        return timezone.localdate(moment) if moment else None

    return {
        "code": certificate.code,
        "status": result.status,
        "status_label": status_label(result.status),
        "name_en": certificate.name_en,
        "name_ar": certificate.name_ar,
        "course": certificate.course_title,
        "course_title_ar": services.course_title_in(certificate, "ar"),
        "ministry_en": certificate.ministry_en,
        "ministry_ar": certificate.ministry_ar,
        "issued_on": day(certificate.issued_at),
        "expires_on": day(certificate.expires_at),
        "revoked_on": day(certificate.revoked_at),
        "revocation_reason": certificate.revocation_reason or None,
        "replaced_by": result.replacement.code if result.replacement else None,
        "verify_url": services.verify_url(certificate),
    }


class CertificateStatementView(APIView):
    """GET /api/v1/certificates/<code>/: VALID, EXPIRED, REVOKED or NOT FOUND."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [CertificateVerifyThrottle]
    throttle_scope = "certificate_verify"

    @extend_schema(
        responses={
            200: CertificateStatementSerializer,
            404: CertificateStatementSerializer,
        }
    )
    def get(self, request, code: str):
        result = services.verify(code)
        body = CertificateStatementSerializer(statement(result, code)).data
        return Response(body, status=404 if result.certificate is None else 200)

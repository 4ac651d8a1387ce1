"""Downloading a certificate (its owner and authorised staff) and the public
verification pages. Anyone may verify a code; nobody can list certificates."""

from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from accounts.decorators import verified_account_required

from . import services, signing
from .forms import FileCheckForm, VerifyForm
from .models import Certificate, normalise_code

VERIFY_RATE = getattr(settings, "CERTIFICATES_VERIFY_RATE", "60/m")


def _too_many(request) -> HttpResponse:
    return render(request, "429.html", status=429)


@require_GET
@login_required
@verified_account_required
def download(request: HttpRequest, code: str) -> HttpResponse:
    certificate = (
        Certificate.objects.select_related("user")
        .filter(code=normalise_code(code))
        .first()
    )
    if certificate is None or not services.can_download(request.user, certificate):
        raise Http404
    if certificate.revoked_at is not None and request.user.pk == certificate.user_id:
        # The owner is told, not handed a document that no longer stands; staff keep
        # access to the record.
        return render(
            request,
            "certificates/revoked.html",
            {"certificate": certificate},
            status=410,
        )
    if not certificate.pdf:
        certificate = services.render_certificate(certificate)
    accel_prefix = getattr(settings, "CERTIFICATES_X_ACCEL_REDIRECT", "")
    if accel_prefix:
        return _accel_redirect(accel_prefix, certificate)
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.code}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _accel_redirect(prefix: str, certificate: Certificate) -> HttpResponse:
    """An empty response telling nginx to send the stored file from its internal
    location (Django has checked permission; nginx only reads the disk)."""
    name = certificate.pdf.name
    parts = PurePosixPath(name).parts
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or any(part in ("..", ".") for part in parts)
    ):
        # A stored name that would leave the storage root: never hand it to nginx.
        raise Http404
    response = HttpResponse(content_type="application/pdf")
    response["X-Accel-Redirect"] = prefix + quote(name, safe="/")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{certificate.code}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@ratelimit(key="ip", rate=VERIFY_RATE, block=False)
@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return _too_many(request)
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify_code", code=form.cleaned_data["code"])
    return render(
        request,
        "certificates/verify_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@ratelimit(key="ip", rate=VERIFY_RATE, block=False)
@require_http_methods(["GET", "POST"])
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return _too_many(request)
    canonical = normalise_code(code)
    if canonical and canonical != code:
        return redirect("certificates:verify_code", code=canonical)
    result = services.verify(code)
    file_form, file_result, status = FileCheckForm(), None, 200
    if request.method == "POST":
        if result.certificate is None:
            raise PermissionDenied
        file_form = FileCheckForm(request.POST, request.FILES)
        if file_form.is_valid():
            data = file_form.cleaned_data["file"].read()
            file_result = services.file_matches(result.certificate, data)
        else:
            status = 400
    elif result.status == "not_found":
        status = 404
    return render(
        request,
        "certificates/verify_result.html",
        {
            "code": canonical or code,
            "result": result,
            "file_form": file_form,
            "file_result": file_result,
            "verify_form": VerifyForm(),
        },
        status=status,
    )


@require_GET
def issuer_certificate(request: HttpRequest) -> HttpResponse:
    pem = signing.issuer_certificate_pem()
    if pem is None:
        raise Http404(_("No signing certificate is configured."))
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="tadreeb-issuer.pem"'
    return response

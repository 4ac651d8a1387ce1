"""Admin views for issued certificates and designs: revoke, re-issue (with the
printed names corrected if need be) and a design's sample PDF.

Revoking and re-issuing are the same page: one certificate, for certificate
officers only, a short form, the service call, and the certificate's inspect page
afterwards (the replacement's, after a re-issue); ``CertificateActionView`` holds
that once and each action says only what differs.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View

from accounts.models import Gender
from accounts.validators import validate_name_characters

from .. import services
from ..models import Certificate, CertificateTemplate, RevocationReason


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (v, label) for v, label in RevocationReason.choices if v != "superseded"
        ],
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, max_length=2000)


class ReissueForm(forms.Form):
    name_en = forms.CharField(
        label=_("Name printed (English)"),
        max_length=200,
        required=False,
        validators=[validate_name_characters],
        help_text=_(
            "Correct it here for this certificate only (empty: the name the "
            "officer's account has now). To correct the officer's name on every "
            "certificate, approve a name correction."
        ),
    )
    name_ar = forms.CharField(
        label=_("Name printed (Arabic)"),
        max_length=200,
        required=False,
        validators=[validate_name_characters],
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    note = forms.CharField(
        label=_("What was corrected"),
        widget=forms.Textarea,
        max_length=2000,
        help_text=_("For example: name corrected at the officer's request."),
    )


class CertificateActionView(FormView):
    """One action on one issued certificate, for those who may revoke certificates.

    GET shows the form; a POST that the form or the service refuses shows it again
    with the reason and status 400; one that succeeds says so and goes to the
    inspect page of the certificate that ``act`` returns."""

    template_name = "certificates/admin/action_form.html"
    permission_required = "certificates.revoke_certificate"
    heading = None  # "... %s" with the certificate's code
    button = None

    def dispatch(self, request, *args, pk, **kwargs):
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        self.certificate = get_object_or_404(Certificate, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def act(self, data) -> tuple[Certificate, str]:
        """Do the action; return the certificate to show next and the message."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            shown, message = self.act(form.cleaned_data)
        except services.CertificateRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("issued_certificates:inspect", shown.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.certificate,
            heading=self.heading % self.certificate.code,
            button=self.button,
            **kwargs,
        )


class RevokeView(CertificateActionView):
    form_class = RevokeForm
    heading = _("Revoke %s")
    button = _("Revoke the certificate")

    def act(self, data):
        services.revoke(
            self.certificate, self.request.user, data["reason"], data["note"]
        )
        return self.certificate, _("Certificate %s revoked.") % self.certificate.code


class ReissueView(CertificateActionView):
    form_class = ReissueForm
    heading = _("Re-issue %s")
    button = _("Revoke as superseded and issue a new certificate")

    def get_initial(self):
        certificate = self.certificate
        return {"name_en": certificate.name_en, "name_ar": certificate.name_ar}

    def act(self, data):
        new = services.reissue(
            self.certificate,
            self.request.user,
            data["note"],
            name_en=data["name_en"].strip() or None,
            name_ar=data["name_ar"].strip() or None,
        )
        return new, _("Certificate %(old)s replaced by %(new)s.") % {
            "old": self.certificate.code,
            "new": new.code,
        }


class DesignPreviewView(View):
    """A sample certificate in this design, for staff who may edit designs."""

    def get(self, request, pk):
        if not request.user.has_perm("certificates.change_certificatetemplate"):
            raise PermissionDenied
        design = CertificateTemplate.objects.filter(pk=pk).first()
        if design is None:
            raise Http404
        gender = request.GET.get("gender", Gender.MALE)
        try:
            pdf = services.sample_pdf(design, gender)
        except services.CertificateRefused as refusal:
            return HttpResponseBadRequest(str(refusal))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="design-{pk}-sample-{gender}.pdf"'
        )
        return response

"""Admin forms for the question bank."""

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import QuestionKind


class QuestionForm(WagtailAdminModelForm):
    """Checks a question against its choices, with messages a trainer understands."""

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        formset = self.formsets.get("choices")
        if kind is None or formset is None or not formset.is_valid():
            return cleaned
        choices = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        correct = sum(1 for c in choices if c.get("is_correct"))
        if kind == QuestionKind.ESSAY:
            if choices:
                raise forms.ValidationError(
                    _("An essay question has no choices: remove them.")
                )
            return cleaned
        if len(choices) < 2:
            raise forms.ValidationError(_("Give at least two choices."))
        if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
            raise forms.ValidationError(
                _("A true-or-false question has exactly two choices: True and False.")
            )
        if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
            raise forms.ValidationError(
                _("Mark exactly one choice as correct (%(count)s marked now).")
                % {"count": correct}
            )
        if kind == QuestionKind.MULTIPLE and correct < 1:
            raise forms.ValidationError(_("Mark at least one choice as correct."))
        return cleaned

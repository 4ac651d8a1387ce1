"""Filters for the admin listings of officers and ministries."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .models import Cadre, Gender, Ministry, Officer


class OfficerFilterSet(WagtailFilterSet):
    ministry = django_filters.ModelChoiceFilter(
        label=_("Ministry"), queryset=Ministry.objects.all()
    )
    cadre = django_filters.ChoiceFilter(label=_("Cadre"), choices=Cadre.choices)
    gender = django_filters.ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Officer
        fields = ["ministry", "cadre", "gender", "is_active"]


class MinistryFilterSet(WagtailFilterSet):
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Ministry
        fields = ["is_active"]

"""The demo's certificate design: the default design gets the issuer's emblem and two
signature lines, so that the demo certificates look like the ones a ministry issues.

The signatories are offices, not people: the design prints their titles under the
signature lines and no name (a deployment enters the names of whoever holds them).
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from certificates.models import CertificateTemplate, Signatory

from .courses import load_image

LOGO = Path(settings.BASE_DIR) / "static/images/certificates/tadreeb-logo.png"


@dataclass(frozen=True)
class DemoSignatory:
    title_en: str
    title_ar: str


DEMO_SIGNATORIES = (
    DemoSignatory("Director, Training Department", "مدير إدارة التدريب"),
    DemoSignatory(
        "Chair, National Anti-Trafficking Committee",
        "رئيس اللجنة الوطنية لمكافحة الاتجار بالأشخاص",
    ),
)


@transaction.atomic
def load_demo_design() -> CertificateTemplate:
    """Give the default design the demo emblem and signatories; idempotent."""
    design = CertificateTemplate.objects.filter(is_default=True).first()
    if design is None:
        # The certificates migration creates it; a database emptied by hand lacks it.
        design = CertificateTemplate.objects.create(
            name="Standard",
            title_en="Certificate of completion",
            title_ar="شهادة إتمام",
            statement_en="has successfully completed the training course",
            is_default=True,
        )
    logo = load_image(LOGO)
    if design.logo_id != logo.pk:
        design.logo = logo
        design.save(update_fields=["logo"])
    wanted = [(s.title_en, s.title_ar) for s in DEMO_SIGNATORIES]
    current = [
        (s.name_en, s.title_en, s.name_ar, s.title_ar)
        for s in design.signatories.order_by("sort_order")
    ]
    if current != [("", en, "", ar) for en, ar in wanted]:
        design.signatories.all().delete()  # configuration, not a training record
        for order, (title_en, title_ar) in enumerate(wanted):
            Signatory.objects.create(
                template=design, sort_order=order, title_en=title_en, title_ar=title_ar
            )
    return design

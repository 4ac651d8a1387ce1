"""Demo ministries and one account per role, for ``manage.py load_demo``.

Everything here is idempotent: a second run finds what the first made and changes
nothing (passwords are set only when an account is created).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from .models import EmailDomain, Ministry, User
from .services import check_signup_domain
from .validators import DEMO_PASSWORD


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def record(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def _apply(instance, values: dict) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


@transaction.atomic
def load_ministries(rows: list[dict]) -> LoadCounts:
    counts = LoadCounts()
    for row in rows:
        values = {
            "name_en": row["name_en"],
            "name_ar": row["name_ar"],
            "is_active": row.get("is_active", True),
            "contact_email": row.get("contact_email", ""),
        }
        ministry = Ministry.objects.filter(code=row["code"]).first()
        created = ministry is None
        if created:
            ministry = Ministry(code=row["code"])
        changed = _apply(ministry, values)
        if created or changed:
            ministry.save()
        for domain in row["domains"]:
            _, domain_created = EmailDomain.objects.get_or_create(
                domain=domain, defaults={"ministry": ministry}
            )
            changed = changed or domain_created
        counts.record(created, changed)
    return counts


@transaction.atomic
def load_demo_accounts(rows: list[dict]) -> LoadCounts:
    counts = LoadCounts()
    for row in rows:
        role = row.get("role")
        values = {
            "full_name_en": row["full_name_en"],
            "full_name_ar": row["full_name_ar"],
            "cadre": row["cadre"],
            "gender": row["gender"],
            "job_title": row["job_title"],
            "ministry": check_signup_domain(row["email"]).ministry,
            "is_superuser": role == "superuser",
        }
        user = User.objects.filter(email__iexact=row["email"]).first()
        created = user is None
        if created:
            user = User(email=row["email"])
            user.set_password(DEMO_PASSWORD)
        changed = _apply(user, values)
        if created or changed:
            user.save()
        if role and role != "superuser":
            group = Group.objects.get(name=role)
            if not user.groups.filter(pk=group.pk).exists():
                user.groups.add(group)
                changed = True
        _, address_created = EmailAddress.objects.get_or_create(
            user=user,
            email=user.email,
            defaults={"verified": True, "primary": True},
        )
        counts.record(created, changed or address_created and not created)
    return counts

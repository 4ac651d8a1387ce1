"""Demo ministries, one account per role and about 200 generated officers, for
``manage.py load_demo``.

Everything here is idempotent: a second run finds what the first made and changes
nothing (passwords are set only when an account is created).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import EmailDomain, Ministry, User
from accounts.services import check_signup_domain
from accounts.validators import DEMO_PASSWORD


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
            "language": row.get("language", ""),
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


# --- Generated officers -------------------------------------------------------------

# (English, Arabic) names for the generated officers; combinations are drawn with a
# seeded generator, so every run produces the same people.
FEMALE_NAMES = [
    ("Fatima", "فاطمة"), ("Maryam", "مريم"), ("Noura", "نورة"), ("Hessa", "حصة"),
    ("Dana", "دانة"), ("Shaikha", "شيخة"), ("Latifa", "لطيفة"), ("Asma", "أسماء"),
    ("Reem", "ريم"), ("Sara", "سارة"), ("Munira", "منيرة"), ("Aisha", "عائشة"),
    ("Haya", "هيا"), ("Lulwa", "لولوة"), ("Dalal", "دلال"), ("Bashayer", "بشاير"),
]  # fmt: skip
MALE_NAMES = [
    ("Abdullah", "عبدالله"), ("Mohammad", "محمد"), ("Ahmad", "أحمد"),
    ("Khaled", "خالد"), ("Fahad", "فهد"), ("Saad", "سعد"), ("Nasser", "ناصر"),
    ("Bader", "بدر"), ("Yousef", "يوسف"), ("Hamad", "حمد"), ("Talal", "طلال"),
    ("Meshari", "مشاري"), ("Salem", "سالم"), ("Faisal", "فيصل"), ("Ali", "علي"),
    ("Jaber", "جابر"), ("Mubarak", "مبارك"), ("Sultan", "سلطان"),
]  # fmt: skip
FAMILY_NAMES = [
    ("Al-Mutairi", "المطيري"), ("Al-Azmi", "العازمي"), ("Al-Enezi", "العنزي"),
    ("Al-Rashidi", "الرشيدي"), ("Al-Ajmi", "العجمي"), ("Al-Shammari", "الشمري"),
    ("Al-Hajeri", "الهاجري"), ("Al-Kandari", "الكندري"), ("Al-Otaibi", "العتيبي"),
    ("Al-Sabah", "الصباح"), ("Al-Fadhli", "الفضلي"), ("Al-Dosari", "الدوسري"),
    ("Al-Harbi", "الحربي"), ("Al-Khaldi", "الخالدي"), ("Al-Saleh", "الصالح"),
    ("Al-Mulla", "الملا"), ("Al-Ghanim", "الغانم"), ("Bu-Hamad", "بوحمد"),
]  # fmt: skip

# How many officers each ministry gets, and the cadres (with weights) and job
# titles they hold.
OFFICER_PLAN = {
    "MOI": (60, [("police", 9), ("other", 1)]),
    "MOFA": (30, [("diplomat", 9), ("other", 1)]),
    "PAM": (36, [("labour_inspector", 6), ("shelter_staff", 3), ("other", 1)]),
    "MOSA": (24, [("shelter_staff", 7), ("other", 3)]),
    "MOJ": (14, [("prosecutor", 4), ("other", 6)]),
    "PP": (16, [("prosecutor", 1)]),
    "MOINF": (10, [("other", 1)]),
    "SCPD": (10, [("other", 1)]),
}
JOB_TITLES = {
    "police": ["Investigating officer", "Patrol officer", "Criminal investigator"],
    "diplomat": ["Consular attaché", "Second secretary", "Visa officer"],
    "labour_inspector": ["Labour inspector", "Senior labour inspector"],
    "shelter_staff": ["Shelter case worker", "Social worker", "Shelter supervisor"],
    "prosecutor": ["Public prosecutor", "Assistant prosecutor"],
    "other": ["Legal researcher", "Training coordinator", "Media officer"],
}


def _email_ascii(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _language_of(email: str, cadre: str) -> str:
    """Diplomats read English; most police, shelter staff, inspectors and
    prosecutors Arabic, one in five English (from the address, so that the
    seeded draws, and with them the demo history, stay as they were)."""
    if cadre == "diplomat":
        return "en"
    digest = hashlib.sha256(email.encode()).digest()
    return "en" if digest[0] % 5 == 0 else "ar"


def officer_rows(seed: int = 2026) -> list[dict]:
    """The generated officers, as rows: the same list for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    ministries = {m.code: m for m in Ministry.objects.filter(code__in=OFFICER_PLAN)}
    domains = dict(
        EmailDomain.objects.filter(ministry__code__in=OFFICER_PLAN)
        .order_by("domain")
        .values_list("ministry__code", "domain")
    )
    rows, taken = [], set()
    for code, (count, cadres) in OFFICER_PLAN.items():
        if code not in ministries or code not in domains:
            continue
        for _ in range(count):
            gender = "female" if rng.random() < 0.45 else "male"
            first = rng.choice(FEMALE_NAMES if gender == "female" else MALE_NAMES)
            family = rng.choice(FAMILY_NAMES)
            base = f"{_email_ascii(first[0])}.{_email_ascii(family[0])}"
            number = 1
            while f"{base}{number}@{domains[code]}" in taken:
                number += 1
            email = f"{base}{number}@{domains[code]}"
            taken.add(email)
            cadre = rng.choices([c for c, _ in cadres], weights=[w for _, w in cadres])[
                0
            ]
            rows.append(
                {
                    "email": email,
                    "full_name_en": f"{first[0]} {family[0]}",
                    "full_name_ar": f"{first[1]} {family[1]}",
                    "ministry": ministries[code],
                    "cadre": cadre,
                    "gender": gender if rng.random() > 0.03 else "undisclosed",
                    "job_title": rng.choice(JOB_TITLES[cadre]),
                    "language": _language_of(email, cadre),
                }
            )
    return rows


@transaction.atomic
def load_demo_officers(seed: int = 2026) -> tuple[list[User], list[User]]:
    """Create the generated officers that do not exist yet, with a verified address
    and the demo password. Returns (all generated officers, those created now)."""
    rows = officer_rows(seed)
    existing = {
        u.email: u for u in User.objects.filter(email__in=[r["email"] for r in rows])
    }
    # One hash for all: hashing the password 200 times would take a minute.
    password = make_password(DEMO_PASSWORD)
    new = [
        User(password=password, **row) for row in rows if row["email"] not in existing
    ]
    User.objects.bulk_create(new)
    created = list(User.objects.filter(email__in=[u.email for u in new]))
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True)
        for u in created
    )
    everyone = {u.email: u for u in [*existing.values(), *created]}
    return [everyone[r["email"]] for r in rows], created

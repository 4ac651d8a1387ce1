"""factory_boy factories shared by the test suite."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Cadre, EmailDomain, Gender, Ministry, User

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class MinistryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ministry
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"M{n:03d}")
    name_en = factory.LazyAttribute(lambda o: f"Ministry {o.code}")
    name_ar = factory.LazyAttribute(lambda o: f"وزارة {o.code}")
    is_active = True

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if not create:
            return
        for domain in extracted or [f"{self.code.lower()}.gov.kw"]:
            EmailDomain.objects.get_or_create(domain=domain, ministry=self)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    ministry = factory.SubFactory(MinistryFactory)
    email = factory.LazyAttributeSequence(
        lambda o, n: (
            f"officer{n}@"
            + (o.ministry.email_domains.first().domain if o.ministry else "example.org")
        )
    )
    full_name_en = factory.Sequence(lambda n: f"Officer Number {n}")
    full_name_ar = "ضابط تجريبي"
    cadre = Cadre.POLICE
    gender = Gender.FEMALE
    job_title = "Investigator"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary address, as allauth leaves it after confirmation."""
        if not create:
            return
        self.save()  # keeps the password set above
        if extracted is not False:
            EmailAddress.objects.create(
                user=self, email=self.email, verified=True, primary=True
            )

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def staff_user(role: str = roles.TRAINERS, **kwargs) -> User:
    return UserFactory(role=role, **kwargs)

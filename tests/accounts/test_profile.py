"""The profile page (accounts.views.profile): names as printed on certificates,
cadre, job title, language, and the links to the password and two-factor pages.
Names on no valid certificate change at once; names printed on one become a
correction request."""

import pytest
from allauth.mfa.models import Authenticator

from accounts.models import Cadre, NameCorrectionRequest, NameCorrectionState
from certificates.models import Certificate
from courses import services as course_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/en/accounts/profile/"


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return officer


def details(officer, **changes):
    return {
        "full_name_en": officer.full_name_en,
        "full_name_ar": officer.full_name_ar,
        "reason": "",
        "cadre": officer.cadre,
        "job_title": officer.job_title,
        "language": "en",
        **changes,
    }


@pytest.fixture
def certified(signed_in, make_course, django_capture_on_commit_callbacks):
    """The officer holds a valid certificate printing their names."""
    course = make_course("Victim identification", lessons=1)
    enrolment = course_services.enrol(signed_in, course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_lesson(
            enrolment, course_services.lessons_of(course)[0]
        )
    return Certificate.objects.get(enrolment=enrolment)


def test_the_header_user_menu_leads_to_the_profile(client, signed_in, home_page):
    response = client.get("/en/")

    assert 'href="/en/accounts/profile/"' in response.content.decode()


def test_the_profile_shows_the_names_cadre_job_title_and_language(client, signed_in):
    response = client.get(PROFILE)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{signed_in.full_name_en}"' in body
    assert f'value="{signed_in.full_name_ar}"' in body
    assert 'value="police" selected' in body
    assert 'value="Investigator"' in body
    assert 'name="language" value="en"' in body
    assert signed_in.email in body


def test_the_profile_links_to_password_and_two_factor_pages(client, signed_in):
    body = client.get(PROFILE).content.decode()

    assert 'href="/en/accounts/password/change/"' in body
    assert 'href="/en/accounts/2fa/"' in body
    assert "Set up two-factor authentication" in body


def test_the_profile_says_two_factor_is_on_once_set_up(client, signed_in):
    Authenticator.objects.create(
        user=signed_in, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )

    body = client.get(PROFILE).content.decode()

    assert "Manage two-factor authentication" in body


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_names_on_no_certificate_change_at_once(client, signed_in):
    response = client.post(
        PROFILE,
        details(
            signed_in,
            full_name_en="Noura Al-Sabah",
            full_name_ar="نورة الصباح",
            cadre=Cadre.PROSECUTOR,
            job_title="Senior prosecutor",
        ),
    )

    assert response.status_code == 302
    signed_in.refresh_from_db()
    assert signed_in.full_name_en == "Noura Al-Sabah"
    assert signed_in.full_name_ar == "نورة الصباح"
    assert signed_in.cadre == Cadre.PROSECUTOR
    assert signed_in.job_title == "Senior prosecutor"
    assert not NameCorrectionRequest.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Your profile has been saved." in page


def test_choosing_arabic_saves_it_and_shows_the_profile_in_arabic(client, signed_in):
    response = client.post(PROFILE, details(signed_in, language="ar"))

    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/profile/"
    signed_in.refresh_from_db()
    assert signed_in.language == "ar"
    page = client.get(response["Location"]).content.decode()
    assert 'lang="ar"' in page and 'dir="rtl"' in page


def test_a_name_printed_on_a_valid_certificate_becomes_a_request(
    client, signed_in, certified
):
    old_en = signed_in.full_name_en
    response = client.post(
        PROFILE,
        details(
            signed_in,
            full_name_en="Noura Al-Sabah",
            full_name_ar="نورة الصباح",
            reason="My name was misspelt at sign-up.",
        ),
    )

    assert response.status_code == 302
    signed_in.refresh_from_db()
    assert signed_in.full_name_en == old_en
    request = NameCorrectionRequest.objects.get()
    assert request.state == NameCorrectionState.PENDING
    assert (request.old_name_en, request.new_name_en) == (old_en, "Noura Al-Sabah")
    assert request.new_name_ar == "نورة الصباح"
    page = client.get(response["Location"]).content.decode()
    assert "sent for approval" in page
    assert "Name correction waiting for a decision" in page
    assert "Noura Al-Sabah" in page
    certified.refresh_from_db()
    assert certified.name_en == old_en


def test_a_correction_without_a_reason_is_refused_with_400(
    client, signed_in, certified
):
    response = client.post(
        PROFILE, details(signed_in, full_name_en="Noura Al-Sabah", reason="  ")
    )

    assert response.status_code == 400
    assert "say why it should be corrected" in response.content.decode()
    assert not NameCorrectionRequest.objects.exists()


def test_a_second_request_while_one_waits_is_refused(client, signed_in, certified):
    client.post(
        PROFILE,
        details(signed_in, full_name_en="Noura Al-Sabah", reason="Misspelt."),
    )

    again = client.post(
        PROFILE,
        details(signed_in, full_name_en="Noura Sabah", reason="Shorter."),
    )

    assert again.status_code == 400
    assert "still waiting for a decision" in again.content.decode()
    assert NameCorrectionRequest.objects.count() == 1


def test_other_details_change_at_once_even_with_a_certificate(
    client, signed_in, certified
):
    response = client.post(PROFILE, details(signed_in, job_title="Team leader"))

    assert response.status_code == 302
    signed_in.refresh_from_db()
    assert signed_in.job_title == "Team leader"
    assert not NameCorrectionRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"full_name_ar": "Noura"}, "Please write your name in Arabic letters."),
        ({"full_name_en": ""}, "This field is required."),
        ({"cadre": "astronaut"}, "Select a valid choice."),
        ({"language": "fr"}, "Select a valid choice."),
        ({"full_name_en": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_input_gets_a_clear_message_and_400(client, signed_in, changes, message):
    response = client.post(PROFILE, details(signed_in, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    signed_in.refresh_from_db()
    assert signed_in.full_name_ar == "ضابط تجريبي"


def test_the_profile_page_costs_a_fixed_number_of_queries(
    client, signed_in, certified, django_assert_max_num_queries
):
    client.post(
        PROFILE, details(signed_in, full_name_en="Noura Al-Sabah", reason="Misspelt.")
    )

    with django_assert_max_num_queries(14):
        response = client.get(PROFILE)

    assert response.status_code == 200


def test_staff_have_a_profile_too(client, moi):
    from accounts import roles

    staff = UserFactory(ministry=moi, role=roles.FOCAL_POINTS)
    client.force_login(staff)

    response = client.get(PROFILE)

    assert response.status_code == 200
    assert staff.full_name_en in response.content.decode()

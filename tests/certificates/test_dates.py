"""Dates on certificates: expiry some calendar months after issue (dateutil's
relativedelta) and the printed dates in English and Arabic (Babel's CLDR names).
No database."""

from datetime import UTC, date, datetime

import pytest

from certificates import rendering
from certificates.services import add_months
from tests.certificates.test_rendering import make_content

# The month names the certificates printed before Babel: as written in Kuwait.
MONTHS_EN = (
    "January February March April May June July August September October "
    "November December"
).split()
MONTHS_AR = (
    "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر"
).split()


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        # The 31st becomes the month's last day.
        (datetime(2026, 1, 31, 9, tzinfo=UTC), 1, datetime(2026, 2, 28, 9, tzinfo=UTC)),
        (datetime(2028, 1, 31, 9, tzinfo=UTC), 1, datetime(2028, 2, 29, 9, tzinfo=UTC)),
        (datetime(2026, 8, 31, tzinfo=UTC), 1, datetime(2026, 9, 30, tzinfo=UTC)),
        (
            datetime(2026, 1, 15, 8, 30, tzinfo=UTC),
            24,
            datetime(2028, 1, 15, 8, 30, tzinfo=UTC),
        ),
        (datetime(2026, 11, 30, tzinfo=UTC), 3, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), -1, datetime(2026, 2, 28, tzinfo=UTC)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(moment, months, expected):
    result = add_months(moment, months)

    assert result == expected
    assert result.tzinfo is moment.tzinfo


@pytest.mark.parametrize("month", range(1, 13))
def test_printed_dates_are_those_printed_before(month):
    on = date(2026, month, 7)

    context = rendering._template_context(make_content(issued_on=on, expires_on=on))

    assert context["issued_en"] == f"7 {MONTHS_EN[month - 1]} 2026"
    assert context["issued_ar"] == f"٧ {MONTHS_AR[month - 1]} ٢٠٢٦"
    assert context["expires_ar"] == context["issued_ar"]


def test_the_arabic_april_is_kuwaits():
    # Django's Arabic catalogue writes إبريل; the certificates keep أبريل.
    assert rendering._date_ar(date(2027, 4, 30)) == "٣٠ أبريل ٢٠٢٧"
    assert rendering._date_en(date(2027, 4, 30)) == "30 April 2027"

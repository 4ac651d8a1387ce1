"""The API's CSV renderer writes through core.exports.csv_text: the same formula
rule as the admin's exports, the API's own spelling of values. No database."""

import csv
import io
from decimal import Decimal

from core.exports import csv_text
from reporting.renderers import CSVRenderer


def _read(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_text_neutralises_text_only():
    rows = _read(
        csv_text([["=1+1", "-x", "@me", "plain", -5, Decimal("-2.5")]]).encode()
    )

    assert rows == [["'=1+1", "'-x", "'@me", "plain", "-5", "-2.5"]]


def test_renderer_spells_values_and_flattens():
    data = [
        {
            "name": "+SUM(A1)",
            "done": True,
            "tags": ["a", "b"],
            "missing": None,
            "by_cadre": {"police": 3},
        }
    ]

    rows = _read(CSVRenderer().render(data))

    assert rows == [
        ["name", "done", "tags", "missing", "by_cadre.police"],
        ["'+SUM(A1)", "true", "a;b", "", "3"],
    ]

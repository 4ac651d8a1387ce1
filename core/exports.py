"""Spreadsheet exports that are safe to open and complete at any size.

- Text a spreadsheet would run as a formula (officers choose their own names) is
  written to CSV with a leading apostrophe; XLSX stores it as a text cell.
- A dotted column (``ministry.code``) of a row without the relation (an account with
  no ministry) is an empty cell, not an error that cuts the file short.
- Rows are read from the database in chunks, so a long export neither holds every
  row in memory nor stops half-way.
- CSV is UTF-8 with a byte-order mark, which Excel needs to read Arabic names as
  Arabic (without it, it guesses the machine's code page); XLSX sheets exported in
  a right-to-left language (the Arabic admin) are right-to-left; headings are
  translated (``export_headings`` hold lazy strings, read under the viewer's
  language).
"""

import csv
import io
import tempfile
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.coreutils import multigetattr

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

EXPORT_CHUNK_SIZE = 2_000
# A workbook larger than this is built on disk rather than in memory.
XLSX_IN_MEMORY_MAX = 8 * 1024 * 1024
# Written first in every CSV file: Excel then reads it as UTF-8.
CSV_BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def spreadsheet_safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_safe(value):
    """A CSV cell as written: text that looks like a formula neutralised, anything
    else as it is (the CSV writer turns it into text)."""
    return spreadsheet_safe(value) if isinstance(value, str) else value


def csv_text(rows: Iterable[Sequence], *, bom: bool = True) -> str:
    """Rows of cells as CSV text, every cell through ``csv_safe``, after the
    byte-order mark (``bom``): the API's CSV (``reporting.renderers``); the admin's
    listings write theirs with Wagtail's writer, through the same ``csv_safe``
    (``SafeCsvExportMixin``)."""
    buffer = io.StringIO()
    if bom:
        buffer.write(CSV_BOM)
    csv.writer(buffer).writerows([csv_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def is_right_to_left() -> bool:
    """The active language is written right to left (Arabic)."""
    return translation.get_language_bidi()


def export_value(item, accessor: str):
    """``multigetattr`` that stops at a missing relation along a dotted path: the
    cell is empty. A misspelt column still raises."""
    current = item
    for bit in accessor.split("."):
        if current is None:
            return None
        current = multigetattr(current, bit)
    return current


class SafeCsvExportMixin:
    """For Wagtail's listing and report views (``SpreadsheetExportMixin``): formulas
    are written as text, missing relations as empty cells, rows read in chunks."""

    def to_row_dict(self, item):
        return OrderedDict(
            (field, export_value(item, field)) for field in self.list_export
        )

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_safe(value)
                for field, value in (
                    (field, self.preprocess_field_value(field, value, self.FORMAT_CSV))
                    for field, value in row_dict.items()
                )
            }
        )

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_XLSX and isinstance(value, str):
            # openpyxl refuses control characters such as ESC in a cell; they
            # cannot be shown anyway, so they are left out rather than failing.
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        return value

    def stream_csv(self, queryset):
        yield CSV_BOM
        yield from super().stream_csv(_in_chunks(queryset))

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            self.stream_csv(queryset), content_type=CSV_CONTENT_TYPE
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.get_filename()}.csv"'
        )
        return response

    def write_xlsx(self, queryset, output):
        # Wagtail's ``write_xlsx``, with a right-to-left sheet when exported in a
        # right-to-left language; its sheet is not reachable from outside.
        from openpyxl import Workbook
        from wagtail.admin.views.mixins import ExcelDateFormatter

        queryset = _in_chunks(queryset)
        workbook = Workbook(write_only=True, iso_dates=True)
        worksheet = workbook.create_sheet(title="Sheet1")
        worksheet.sheet_view.rightToLeft = is_right_to_left()
        worksheet.append(
            self.get_heading(queryset, field) for field in self.list_export
        )
        date_format = ExcelDateFormatter().get()
        for item in queryset:
            worksheet.append(
                self.generate_xlsx_row(
                    worksheet, self.to_row_dict(item), date_format=date_format
                )
            )
        workbook.save(output)

    def write_xlsx_response(self, queryset):
        # Not a ``with`` block: FileResponse closes the file once it is sent.
        output = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_MAX)
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            ),
            filename=f"{self.get_filename()}.xlsx",
        )


class _Chunked:
    """A queryset read with ``iterator()``, that still answers ``.model`` (used for
    the column headings)."""

    def __init__(self, queryset):
        self.model = queryset.model
        self._queryset = queryset

    def __iter__(self):
        return self._queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)


def _in_chunks(queryset):
    if hasattr(queryset, "iterator"):
        return _Chunked(queryset)
    return queryset  # a list, as some reports build

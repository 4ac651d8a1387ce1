"""Spreadsheet exports that are safe to open: text a spreadsheet would run as a
formula (officers choose their own names) is written with a leading apostrophe."""

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class SafeCsvExportMixin:
    """For Wagtail's listing and report views (``SpreadsheetExportMixin``): their
    XLSX export already stores such text as text; their CSV export does not."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: (spreadsheet_safe(value) if isinstance(value, str) else value)
                for field, value in (
                    (field, self.preprocess_field_value(field, value, self.FORMAT_CSV))
                    for field, value in row_dict.items()
                )
            }
        )

"""CSV output of the API (``?format=csv``): one header row, then one row per result,
offered as a download. Nested objects become dotted columns (``by_cadre.police``).
The text is written by ``core.exports.csv_text``, which neutralises formulas as the
admin's exports do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils import timezone
from rest_framework.renderers import BaseRenderer

from core.exports import csv_text


def flatten(row: Mapping, prefix: str = "") -> dict:
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat |= flatten(value, f"{name}.")
        else:
            flat[name] = value
    return flat


def _cell(value):
    """The API's spelling of a value in CSV; ``csv_text`` neutralises formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return value


class CSVRenderer(BaseRenderer):
    """Renders the ``results`` of a response (or the response itself, when it is a
    list). The columns come from the view's ``csv_columns()`` so that an empty
    result still has its header; the file name from ``csv_filename``."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        if response is not None and response.status_code >= 400:
            return csv_text(self._error_rows(data)).encode(self.charset)
        rows = data.get("results", []) if isinstance(data, Mapping) else data or []
        rows = [flatten(row) for row in rows]
        columns = (
            list(view.csv_columns())
            if view is not None and hasattr(view, "csv_columns")
            else list(rows[0])
            if rows
            else []
        )
        table = [
            columns,
            *([_cell(row.get(column)) for column in columns] for row in rows),
        ]
        if response is not None:
            name = getattr(view, "csv_filename", "export")
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = (
                f'attachment; filename="tadreeb-{name}-{stamp}.csv"'
            )
        return csv_text(table).encode(self.charset)

    def _error_rows(self, data) -> Iterable[list]:
        yield ["parameter", "error"]
        items: Iterable = data.items() if isinstance(data, Mapping) else [("", data)]
        for key, messages in items:
            for message in messages if isinstance(messages, list) else [messages]:
                yield [key, str(message)]


def serializer_columns(serializer, prefix: str = "") -> list[str]:
    """The CSV columns of a row serializer: its fields, nested ones dotted."""
    from rest_framework.serializers import Serializer

    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, Serializer):
            columns += serializer_columns(field, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns

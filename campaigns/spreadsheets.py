"""CSV for spreadsheets: every CSV the project writes goes through here, so no cell a supporter typed runs as a formula."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

# A spreadsheet (Excel, LibreOffice, Google Sheets) reads a cell starting with one of these as a formula
# (OWASP "CSV injection"); tab, CR and LF also start one where the program trims them first.
FORMULA_STARTS = frozenset("=+-@")
CONTROL_STARTS = frozenset("\t\r\n")


def spreadsheet_cell(value: Any) -> str:
    """The cell's text, prefixed with an apostrophe when a spreadsheet could run it as a formula.

    Numbers are left as they are (a negative count is data, not a formula). Text is guarded when it starts
    with a formula character, a tab, CR or LF, also after leading whitespace (which some programs trim) and
    in any compatibility form that NFKC folds to one: the full-width signs U+FF1D, U+FF0B, U+FF0D, U+FF20,
    the small ones U+FE62, U+FE63, U+FE66 ...
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text[:1] in CONTROL_STARTS:
        return "'" + text
    stripped = text.lstrip()
    if stripped and unicodedata.normalize("NFKC", stripped[0])[:1] in FORMULA_STARTS:
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The rows as CSV lines, one at a time (for a StreamingHttpResponse), every cell through spreadsheet_cell."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([spreadsheet_cell(value) for value in row])

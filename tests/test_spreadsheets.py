"""The CSV formula guard: nothing a supporter typed runs as a formula in a spreadsheet."""

import csv
import io

import pytest

from campaigns.spreadsheets import csv_lines, spreadsheet_cell

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    "  \t @SUM(A1)",
    "\u00a0=1+1",  # a no-break space first
    "\uff1d1+1",  # full-width equals sign
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(1)",
    "\ufe661+1",  # small equals sign, which NFKC folds too
    "\u3000\uff1d1",  # an ideographic space, then a full-width equals
]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_is_quoted(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value, cell",
    [
        ("Ann Smith", "Ann Smith"),
        ("Release Ivan Bulgakov = now", "Release Ivan Bulgakov = now"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (-3, "-3"),  # a number is data
        (2.5, "2.5"),
        ("ann@example.net", "ann@example.net"),
        ("\uff21nn", "\uff21nn"),
    ],
)
def test_ordinary_cells_are_left_alone(value, cell):
    assert spreadsheet_cell(value) == cell


def test_csv_lines_guard_every_cell_and_read_back():
    rows = [["id", "text"], [1, "=1+1"], [2, " \uff20x"], [3, "fine"]]
    read = list(csv.reader(io.StringIO("".join(csv_lines(rows)))))
    assert read == [["id", "text"], ["1", "'=1+1"], ["2", "' \uff20x"], ["3", "fine"]]

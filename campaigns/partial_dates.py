"""Partial ISO 8601 dates: a year, a year and month, a full date, or a day and month with no year."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(?:(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?|--(?P<nm>\d{2})-(?P<nd>\d{2}))$")


@dataclass(frozen=True)
class PartialDate:
    year: int | None
    month: int | None
    day: int | None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise ValidationError(
                _("%(value)s is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD (day and month, year unknown)."),
                code="invalid_partial_date",
                params={"value": repr(text)},
            )
        year: int | None
        month: int | None
        day: int | None
        if match["nm"]:
            year, month, day = None, int(match["nm"]), int(match["nd"])
        else:
            year = int(match["year"])
            month = int(match["month"]) if match["month"] else None
            day = int(match["day"]) if match["day"] else None
        if month is not None and not 1 <= month <= 12:
            raise ValidationError(
                _("%(value)s has no month %(month)d."), code="invalid_month", params={"value": text, "month": month}
            )
        if day is not None and month is not None:
            # With the year unknown, 29 February is possible.
            last = calendar.monthrange(year if year is not None else 2000, month)[1]
            if not 1 <= day <= last:
                raise ValidationError(
                    _("%(value)s: day %(day)d does not exist in that month."),
                    code="invalid_day",
                    params={"value": text, "day": day},
                )
        return cls(year, month, day)

    def isoformat(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    def with_year(self, year: int) -> PartialDate:
        """The same date in a known year (for resolving `--07-01` against a document's date)."""
        if self.year is not None:
            return self
        return PartialDate.parse(f"{year:04d}-{self.month:02d}-{self.day:02d}")

    def as_date(self) -> dt.date | None:
        """A full calendar date, or None when any part is unknown."""
        if self.year is None or self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.isoformat()


def validate_partial_date(value: str) -> None:
    """Model/form field validator; blank values are left to the field's `blank` setting."""
    if value:
        PartialDate.parse(value)


def normalise_partial_date(value: str | None) -> str:
    """Canonical text for a partial date ('' for none); raises ValidationError if malformed."""
    if value is None or value == "":
        return ""
    return PartialDate.parse(value).isoformat()


def partial_date_text(value: str) -> str:
    """How a person reads a partial date, in the active language: `2011-08-08` → 8 August 2011 (8 de agosto de 2011),
    `2011-07` → July 2011, `--07-01` → 1 July (year unknown); '' for none, and malformed text as it is."""
    if not value:
        return ""
    try:
        date = PartialDate.parse(value)
    except ValidationError:
        return value
    if date.month is None:
        return str(date.year)
    if date.day is None:
        return date_format(dt.date(date.year or 2000, date.month, 1), "YEAR_MONTH_FORMAT")
    if date.year is not None:
        return date_format(dt.date(date.year, date.month, date.day), "DATE_FORMAT")
    # A leap year, so that 29 February with the year unknown can be shown.
    day_and_month = date_format(dt.date(2000, date.month, date.day), "MONTH_DAY_FORMAT")
    return _("%(day_and_month)s (year unknown)") % {"day_and_month": day_and_month}

"""Phone and fax numbers as written in appeals (`007-3102-...`, `++ 44 20 ...`, `+44 (0)20 ...`) to E.164."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError

# Labels that precede a number in appeals: "Tel:", "Fax:", "Tel./Fax", "Phone -", ...
_LABEL = re.compile(r"^\s*(?:(?:tel|telephone|phone|fax|facsimile|mob|mobile|cell)\.?\s*[/:.\-]?\s*)+", re.IGNORECASE)
# International prefixes people write: "+", "++" (a common way of writing the exit code) and "00".
_INTERNATIONAL = re.compile(r"^(?:\+\s*\+?|00)\s*")


def to_e164(text: str, *, default_region: str | None = None) -> str:
    """Return the E.164 form of a number written for humans, or raise ValidationError saying why.

    Numbers without an international prefix need `default_region` (ISO country code). We accept
    numbers that are *possible* (right length for the country) rather than currently *valid*:
    appeals quote numbers from years ago whose exchanges have since been renumbered.
    """
    raw = (text or "").strip()
    if not raw:
        raise ValidationError("Enter a phone or fax number.", code="required")
    body = _LABEL.sub("", raw)
    if sum(ch.isdigit() for ch in body) < 4 or re.search(r"[^\d\s+().\-/]", body):
        raise ValidationError("%(value)s is not a phone number.", code="unparseable", params={"value": raw})
    body, international = _INTERNATIONAL.subn("+", body, count=1)
    if not international and not default_region:
        raise ValidationError(
            "%(value)s has no country code: write it as +44 20 ..., 0044 20 ... or ++44 20 ...",
            code="no_country_code",
            params={"value": raw},
        )
    try:
        number = phonenumbers.parse(body, None if international else default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "%(value)s is not a phone number (%(reason)s).",
            code="unparseable",
            params={"value": raw, "reason": re.sub(r"^\(\d+\)\s*", "", str(exc)).rstrip(".").lower()},
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            "%(value)s cannot be a phone number in country code +%(cc)s (wrong length).",
            code="impossible",
            params={"value": raw, "cc": number.country_code},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

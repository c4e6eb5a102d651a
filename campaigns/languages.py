"""The languages campaign content, targets and supporters may be in: any language Django knows by code.

The interface's languages (settings.LANGUAGES) are a few; an appeal, a translation of it or a target's
letter may be in any language (Kazakh, Italian ...), so content languages are Django's whole list. This
module imports no models, so `appeals/` can use it too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import global_settings
from django.utils import translation

CONTENT_LANGUAGES: list[tuple[str, str]] = [(code, name) for code, name in global_settings.LANGUAGES]
CODES: frozenset[str] = frozenset(code for code, _name in CONTENT_LANGUAGES)
DEFAULT = "en"


def language_normalise(code: str | None) -> str:
    """A content language code ('en-GB' → 'en-gb', 'es-MX' → 'es'); '' when Django knows no such language."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in CODES:
        return code
    base = code.split("-")[0]
    return base if base in CODES else ""


def language_active() -> str:
    """The language the current request (or `translation.override`) reads in, as a content language."""
    return language_normalise(translation.get_language()) or DEFAULT


def language_name(code: str) -> str:
    """The language's name in the active interface language ("Russian", "ruso", "Russisch")."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_choose(*, wanted: str, available: Iterable[str], original: str) -> str:
    """The language to show content in: the wanted one if it exists (or its base: 'pt-br' → 'pt'), else the original."""
    languages = set(available)
    for candidate in (wanted, wanted.split("-")[0]):
        if candidate in languages:
            return candidate
    return original

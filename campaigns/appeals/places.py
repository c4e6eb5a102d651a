"""Countries and places named in an appeal: the campaign's country is the one its story names most."""

from __future__ import annotations

import functools
from collections import Counter

import regex
from django_countries import countries

from .dates import month_names

# Names appeals use that are not the ISO short names django-countries knows.
_ALIASES = {
    "Britain": "GB", "Great Britain": "GB", "UK": "GB", "U.K.": "GB", "England": "GB", "Scotland": "GB", "Wales": "GB",
    "United Kingdom": "GB", "Northern Ireland": "GB", "Turkey": "TR", "Türkiye": "TR", "Turquía": "TR", "Russia": "RU",
    "USA": "US", "U.S.A.": "US", "United States": "US", "America": "US", "South Korea": "KR", "Korea": "KR",
    "North Korea": "KP", "Iran": "IR", "Syria": "SY", "Vietnam": "VN", "Viet Nam": "VN", "Bolivia": "BO",
    "Venezuela": "VE", "Tanzania": "TZ", "Moldova": "MD", "Laos": "LA", "Ivory Coast": "CI", "Côte d'Ivoire": "CI",
    "Czech Republic": "CZ", "Burma": "MM", "Palestine": "PS", "Taiwan": "TW", "Hong Kong": "HK", "Macedonia": "MK",
    "Congo": "CG", "DR Congo": "CD", "Democratic Republic of the Congo": "CD", "Swaziland": "SZ", "Eswatini": "SZ",
    "Kazajistán": "KZ", "Казахстан": "KZ", "Россия": "RU", "Colombia": "CO", "México": "MX", "Perú": "PE",
    "Brasil": "BR", "España": "ES", "Filipinas": "PH", "the Philippines": "PH", "Philippines": "PH",
}  # fmt: skip


@functools.cache
def _country_names() -> dict[str, str]:
    names = {}
    for code, name in countries:
        name = str(name)
        if "(" not in name and "," not in name:
            names[name] = code
    names.update(_ALIASES)
    return names


@functools.cache
def _country_pattern() -> regex.Pattern:
    names = sorted(_country_names(), key=len, reverse=True)
    return regex.compile(r"(?<![\p{L}])(?:" + "|".join(map(regex.escape, names)) + r")(?![\p{L}])", regex.VERSION1)


def country_code(name: str) -> str:
    name = name.strip(" ,.")
    return _country_names().get(name, "") or _country_names().get(name.removeprefix("the ").strip(), "")


def country_in(value: str) -> str:
    """ISO code of the first country named in value, or ''."""
    match = _country_pattern().search(value)
    return _country_names()[match.group()] if match else ""


def countries_named(text: str, spans: list[tuple[int, int]]) -> Counter[str]:
    """How often each country is named within the given spans of text."""
    counts: Counter[str] = Counter()
    for start, end in spans:
        for match in _country_pattern().finditer(text, start, end):
            counts[_country_names()[match.group()]] += 1
    return counts


_ORG_WORDS = regex.compile(
    r"\b(?:Union|Federation|Movement|Committee|Confederation|Association|Council|Ministry|Cabinet|Commission|Party|"
    r"Company|Corporation|Foundry|Terminal|Sindicato|Ministerio|Central|Federación|Summit|Declaration|Convention|Jail|Prison)\b"
)
_CAP = r"\p{Lu}[\p{L}\p{M}'’\-]+"
_PLACE = rf"{_CAP}(?:\s+(?:(?:de|del|la|las|los|do|da)\s+)?{_CAP}){{0,3}}"
_PLACE_PHRASE = regex.compile(
    rf"(?<![\p{{L}}])(?:in|en|à|в|near)\s+(?:the\s+(?:town|city|village|municipality|province|region|district)\s+of\s+|"
    rf"el\s+municipio\s+de\s+|la\s+ciudad\s+de\s+|el\s+departamento\s+del?\s+)?(?P<place>{_PLACE}"
    rf"(?:,\s*(?:near\s+|in\s+|en\s+|departamento\s+del?\s+)?{_PLACE})*)",
    regex.VERSION1,
)


def place(text: str, spans: list[tuple[int, int]]) -> tuple[str, tuple[int, int] | None]:
    """The first place the story happens in ("in Glubokii, near Ust-Kamenogorsk, in East Kazakhstan"), without its country."""
    months = month_names()
    for start, end in spans:
        for match in _PLACE_PHRASE.finditer(text, start, end):
            value = match.group("place")
            parts = [p.strip() for p in regex.split(r"\s*,\s*", value)]
            parts = [regex.sub(r"^(?:in|en)\s+", "", p) for p in parts]
            while parts and country_code(parts[-1]):
                parts.pop()
            if not parts or parts[0].casefold() in months or _ORG_WORDS.search(parts[0]):
                continue
            first = parts[0].split()[0]
            if first in ("The", "A", "An", "El", "La", "Los", "Las") and len(parts[0].split()) == 1:
                continue
            joined = ", ".join(parts)
            s = match.start("place")
            return " ".join(joined.split()), (s, s + len(match.group("place")))
    return "", None

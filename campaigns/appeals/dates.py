"""Dates as appeals write them ("6 September 2011", "August 8", "July 8 and 10", "12 de marzo", "in 2010").

Month names in English, Spanish, Russian, French and German come from dateparser's language data.
A date without a year stays partial (`--07-01`) unless the document has its own date to resolve it
against; then it takes the year that puts it nearest that date.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import regex
from dateparser.languages.loader import default_loader

from ..partial_dates import PartialDate
from .text import Span

LANGUAGES = ("en", "es", "ru", "fr", "de", "it", "pt", "nl", "tr")
_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
)  # fmt: skip


@functools.cache
def month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for language in LANGUAGES:
        info = default_loader.get_locale(language).info
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in info.get(key, []):
                name = name.casefold().rstrip(".")
                if len(name) >= 3 and name.isalpha():
                    names.setdefault(name, number)
    return names


def _trie(words: list[str]) -> str:
    """An alternation of words as a prefix tree ("ma(?:y|rch)" ...), longest first at every branch, as a plain
    longest-first alternation would try them; the engine reads it far faster than hundreds of alternatives."""
    heads: dict[str, list[str]] = {}
    ends_here = False
    for word in words:
        if word:
            heads.setdefault(word[0], []).append(word[1:])
        else:
            ends_here = True
    branches = [regex.escape(head) + _trie(rests) for head, rests in sorted(heads.items())]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends_here else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if ends_here else body


@functools.cache
def _patterns() -> list[regex.Pattern]:
    month = "(?P<m>" + _trie(sorted(month_names())) + r")\.?"
    day = r"[0-3]?\d(?:st|nd|rd|th|º|°|er)?"
    year = r"(?P<y>(?:1[89]|20)\d{2})(?:\s*(?:г\.|года|год))?"
    joiner = r"\s*(?:,|and|&|y|e|и|et|und)\s*"
    days = rf"(?P<ds>{day}(?:{joiner}{day})*)"
    # Simple case folding ("(?-f)"): no month name needs full folding, and it halves the scans' cost.
    flags = regex.IGNORECASE | regex.VERSION1
    simple = "(?-f)"
    return [
        # 2011-09-06
        regex.compile(simple + r"(?<![\d/.-])(?P<y>(?:19|20)\d{2})-(?P<mn>[01]\d)-(?P<ds>[0-3]\d)(?![\d/-])", flags),
        # 06/09/2011, 6.9.2011 (day first, as most of the world writes it)
        regex.compile(simple + r"(?<![\d/.])(?P<ds>[0-3]?\d)[./](?P<mn>[01]?\d)[./]\s?(?P<y>(?:19|20)\d{2})(?![\d/])", flags),
        # 6 September 2011, the 1 July, 8 and 10 July, 12 de marzo de 2024, 14 марта 2024 г.
        regex.compile(
            simple + rf"(?<![\p{{L}}\d]){days}\s*(?:of\s+|de\s+)?{month}(?![\p{{L}}])(?:,?\s*(?:de\s+|del\s+|of\s+)?{year})?",
            flags,
        ),
        # August 8, July 8 and 10, September 6, 2011
        regex.compile(simple + rf"(?<![\p{{L}}\d]){month}\s+{days}(?![\d:])(?:,?\s+{year})?", flags),
        # May 2011, marzo de 2024
        regex.compile(simple + rf"(?<![\p{{L}}\d]){month}(?:\s*,)?\s+(?:de\s+|del\s+|of\s+)?{year}", flags),
        # in 2010, since 2019, en 2023
        regex.compile(
            simple
            + r"(?<![\p{L}])(?:in|since|from|until|by|during|early|late|mid|throughout|en|desde|hasta|durante|в|с|до|seit|depuis)"
            r"\s+(?:the\s+(?:year\s+)?|el\s+año\s+|año\s+)?(?P<y>(?:19|20)\d{2})(?![\d/.-]|\s*-\s*\d)",
            flags,
        ),
    ]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def is_full(self) -> bool:
        return None not in (self.year, self.month, self.day)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date written in text[start:end], in order; "July 8 and 10" gives two mentions."""
    return list(_find_dates(text, start, len(text) if end is None else end))


@functools.lru_cache(maxsize=256)
def _find_dates(text: str, start: int, end: int) -> tuple[DateMention, ...]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _patterns():
        for match in pattern.finditer(text, start, end):
            s, e = match.span()
            if text[e - 1] == ".":
                e -= 1  # "10 May." ends a sentence; the dot is not the month's
            if any(s < te and ts < e for ts, te in taken):
                continue
            groups = match.groupdict()
            if groups.get("m") is not None and groups["m"] == "may" and text[match.start("m")] == "m":
                continue  # the English verb, not the month
            if groups.get("m") is not None and len(groups["m"]) <= 3 and groups["m"].casefold() not in _FULL_SHORT:
                continue  # "mar", "jun" alone are too often words; abbreviations need a dot or a full name
            month = int(groups["mn"]) if groups.get("mn") else month_names().get(str(groups.get("m") or "").casefold())
            year = int(groups["y"]) if groups.get("y") else None
            day_texts = re.findall(r"\d+", groups["ds"]) if groups.get("ds") else [None]
            mentions: list[DateMention] = []
            for day_text in day_texts:
                day = int(day_text) if day_text else None
                if not _valid(year, month, day):
                    mentions = []
                    break
                mentions.append(DateMention(s, e, year, month, day))
            if mentions:
                found.extend(mentions)
                taken.append((s, e))
    return tuple(sorted(found, key=lambda m: (m.start, m.day or 0)))


_FULL_SHORT = {"may", "mai", "май", "mayo"}


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is None:
        return year is not None
    if not 1 <= month <= 12:
        return False
    if day is None:
        return year is not None  # a month alone, with no year, is not a date we can keep
    try:
        dt.date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def resolve(mention: DateMention, reference: dt.date | None, *, forward: bool = False) -> PartialDate:
    """The mention as a partial date; a missing year is taken from the document's own date when it has one.

    Without `forward`, the year that puts the date nearest the reference (an appeal of 5 January
    telling of 28 December means last year's); with it, the first on or after the reference (deadlines).
    """
    if mention.year is not None or reference is None:
        if mention.year is None and mention.day is not None and mention.month is not None:
            return PartialDate(None, mention.month, mention.day)
        return PartialDate(mention.year, mention.month, mention.day)
    if mention.day is None:
        return PartialDate(reference.year, mention.month, None)
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(dt.date(year, mention.month or 1, mention.day))
        except ValueError:
            continue
    if forward:
        later = [c for c in candidates if c >= reference]
        chosen = min(later) if later else max(candidates)
    else:
        chosen = min(candidates, key=lambda c: abs((c - reference).days))
    return PartialDate(chosen.year, chosen.month, chosen.day)


_DATE_LABEL = regex.compile(r"(?:^|\n|\s)(?:Date|Dated|Fecha|Дата|Datum)\s*[:.]\s*", regex.IGNORECASE)


def document_date(text: str, *, fallback: dt.date | None = None) -> tuple[dt.date | None, Span | None]:
    """The document's own date: a "Date:" label or a date line near the top (e.g. "Valledupar, 18 de abril de 2024").

    `fallback` (an e-mail's Date header) is used when the text has none.
    """
    head_end = min(len(text), 2500)
    for match in _DATE_LABEL.finditer(text, 0, head_end):
        mentions = find_dates(text, match.end(), min(len(text), match.end() + 40))
        if mentions and mentions[0].start == match.end() and mentions[0].is_full:
            first = mentions[0]
            return dt.date(first.year, first.month, first.day), first.span  # type: ignore[arg-type]
    pos = 0
    for number, line in enumerate(text[:head_end].split("\n")):
        if number > 25:
            break
        stripped = line.strip()
        if stripped and len(stripped) <= 60:
            mentions = [m for m in find_dates(text, pos, pos + len(line)) if m.is_full]
            if len(mentions) == 1:
                mention = mentions[0]
                rest = (text[pos : mention.start] + text[mention.end : pos + len(line)]).strip(" ,.\t")
                # "6 September 2011", "Valledupar, 18 de abril de 2024", "London, 12 March 2024"
                if not rest or _is_place_prefix(rest):
                    return dt.date(mention.year, mention.month, mention.day), mention.span  # type: ignore[arg-type]
        pos += len(line) + 1
    return fallback, None


def _is_place_prefix(rest: str) -> bool:
    return bool(regex.fullmatch(r"\p{Lu}[\p{L}.\- ]{1,30}", rest)) and len(rest.split()) <= 4


_DEADLINE_CUE = regex.compile(
    r"(?:\b(?:before|by|until|no\s+later\s+than|deadline|antes\s+del?|hasta\s+el|a\s+más\s+tardar|до|avant\s+le|bis\s+zum)\b)"
    r"\s*:?\s*(?:the\s+|el\s+|le\s+)?$",
    regex.IGNORECASE,
)
_ACTION_WORDS = regex.compile(
    r"\b(?:appeals?|send|write|action|act|letters?|protests?|deadline|envi\w+|acci[oó]n|cartas?|mensajes?|llamamiento|"
    r"отправ\w+|письм\w+|envoy\w+|schreib\w+)\b",
    regex.IGNORECASE,
)


def deadline(text: str, mentions: list[DateMention], reference: dt.date | None) -> tuple[dt.date | None, Span | None]:
    """The date to act by ("PLEASE SEND APPEALS BEFORE 25 JUNE 2025", "UNTIL: 25 June 2025"), as a full date."""
    for mention in mentions:
        before = text[max(0, mention.start - 40) : mention.start]
        if not _DEADLINE_CUE.search(before):
            continue
        context = text[max(0, mention.start - 120) : mention.end + 20]
        if not _ACTION_WORDS.search(context):
            continue
        resolved = resolve(mention, reference, forward=True)
        full = resolved.as_date()
        if full is not None:
            return full, mention.span
    return None, None

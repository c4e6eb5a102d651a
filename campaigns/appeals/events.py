"""Events of the story: each sentence that tells what happened, with its date (partial when the appeal is vague).

A sentence that names a date gives one event per date ("On July 8 and 10 ..." gives two). An undated
sentence of the story takes the year the story is in (the latest year named before it), or none; one
that opens by pointing back ("She received ...", "This led to ...") continues the previous event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from .dates import DateMention, resolve
from .text import Mark, Span, collapse, sentences

_FLAGS = regex.VERSION1
_OPINION = regex.compile(
    r"\b(?:we|I)\s+(?:are\s+|am\s+|would\s+(?:be\s+)?|have\s+been\s+|therefore\s+|also\s+|strongly\s+)?(?:writ\w*|urge|call\w*|believe|"
    r"demand|express\w*|hope|ask|think|grateful|request|insist|appeal|protest|condemn|welcome|note|consider)\b|"
    r"^(?:Please|You|Share|Click|Sign|Donate|Write|Send|Envíen|Escriba|Por\s+favor)\b",
    regex.IGNORECASE | regex.VERSION1,
)
_BACK_REFERENCE = regex.compile(
    r"^(?:This|These|That|She|He|They|It|His|Her|Their|Him|Ella|Él|Ellos|Ellas|Esto|Le|Les|Он|Она|Они|Это|Ему|Ей|Его|Её|Им|Их)\b",
    _FLAGS,
)


@dataclass
class FoundEvent:
    date: str | None
    text: str
    span: Span


def find_events(
    text: str,
    paragraphs: list[Span],
    *,
    dates: list[DateMention],
    reference: dt.date | None,
    skip: list[Span],
) -> tuple[list[FoundEvent], list[Mark]]:
    events: list[FoundEvent] = []
    marks: list[Mark] = []
    year: int | None = None
    for paragraph in paragraphs:
        last: FoundEvent | None = None
        for sentence in sentences(text, paragraph):
            value = collapse(text[sentence.start : sentence.end])
            if any(s.start <= sentence.start < s.end or sentence.start <= s.start < sentence.end for s in skip):
                last = None
                continue
            if not _is_story(value):
                last = None
                continue
            mentions = [d for d in dates if sentence.start <= d.start < sentence.end]
            if mentions:
                seen = set()
                for mention in mentions:
                    date = resolve(mention, reference)
                    if date.isoformat() in seen:
                        continue
                    seen.add(date.isoformat())
                    last = FoundEvent(date.isoformat(), value, sentence)
                    events.append(last)
                    marks.append(Mark(mention.start, mention.end, "events", f"event dated {date.isoformat()}"))
                    year = date.year or year
                continue
            if last is not None and _BACK_REFERENCE.match(value):
                last.text = f"{last.text} {value}"
                continue
            last = FoundEvent(str(year) if year else None, value, sentence)
            events.append(last)
    return events, marks


def _is_story(value: str) -> bool:
    if len(value.split()) < 4 or value.endswith(("?", "!", ":")) or value.startswith(("¡", "¿")):
        return False
    if len(regex.findall(r"\b\p{Ll}{3,}\b", value)) < 2:
        return False  # a heading, a signature or a list of names
    if regex.match(r"^(?:\p{Lu}{2,}[\s,:]+){2,}", value):
        return False  # "NAME AND PRONOUN: ..."
    return not _OPINION.search(value)

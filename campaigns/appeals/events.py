"""Dated events of the story: one per date written in a sentence, with that date at the precision written.

A date keeps the year only when the mention writes it ("1st November 1996", "In June 2016", a bare year
such as "Ismet ist 1996 ... verurteilt"); "on 11 December" keeps its day and month in `day_month`
(`--12-11`) with no `date`, because no year was written with it. Dates on a line of their own or in a
heading ("Oslo, 06.10.2016", "11/08/2008 Sita Suez ...") date the document, not an event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import regex

from .dates import DateMention, resolve
from .text import Mark, Span, collapse, sentences

_FLAGS = regex.VERSION1
_BARE_YEAR = regex.compile(r"(?<![\d\-/.,:©])(?<!©\s)(?P<y>(?:19|20)\d{2})(?![\d%]|\s*[-–/]\s*\d|-)", _FLAGS)
_NOT_AN_EVENT = regex.compile(r"(?i)copyright|©|all\s+rights\s+reserved|\bposted\b|\bpublished\b", _FLAGS)


@dataclass
class FoundEvent:
    date: str | None
    text: str
    span: Span
    day_month: str | None = None
    at: int = 0  # where the date is written, to keep a sentence's events in order


def _is_heading_line(text: str, position: int) -> bool:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end != -1 else len(text)].strip()
    if line.endswith(("[...]", "...", "…")):
        return False  # a sentence the stored copy cut off
    return len(line.split()) <= 10 and not regex.search(r"[.!?;]['\"”’)]*\s*$", line)


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
    for paragraph in paragraphs:
        for sentence in sentences(text, paragraph):
            if any(s.start <= sentence.start < s.end or sentence.start <= s.start < sentence.end for s in skip):
                continue
            value = collapse(text[sentence.start : sentence.end])
            if len(value.split()) < 4 or _NOT_AN_EVENT.search(value):
                continue
            mentions = [d for d in dates if sentence.start <= d.start < sentence.end and not _is_heading_line(text, d.start)]
            seen: set[str] = set()
            first = len(events)
            for mention in mentions:
                if mention.year is None:
                    if mention.month is None or mention.day is None:
                        continue
                    day_month = resolve(mention, None).isoformat()
                    if day_month in seen:
                        continue
                    seen.add(day_month)
                    events.append(FoundEvent(None, value, sentence, day_month=day_month, at=mention.start))
                    marks.append(Mark(mention.start, mention.end, "events", f"event dated {day_month}"))
                    continue
                date = resolve(mention, None).isoformat()
                if date in seen:
                    continue
                seen.add(date)
                events.append(FoundEvent(date, value, sentence, at=mention.start))
                marks.append(Mark(mention.start, mention.end, "events", f"event dated {date}"))
            for match in _BARE_YEAR.finditer(text, sentence.start, sentence.end):
                if any(d.start <= match.start() < d.end for d in dates) or _is_heading_line(text, match.start()):
                    continue
                year = match.group("y")
                if int(year) > (reference.year if reference else dt.date.today().year) + 1 or year in seen:
                    continue
                if any(d.startswith(year) for d in seen):
                    continue
                seen.add(year)
                events.append(FoundEvent(year, value, sentence, at=match.start()))
                marks.append(Mark(match.start(), match.end(), "events", f"event dated {year}"))
            events[first:] = sorted(events[first:], key=lambda e: e.at)
    return events, marks

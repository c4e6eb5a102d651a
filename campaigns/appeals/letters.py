"""The shape of a letter: reference line, address block, salutation, closing and signatures, and whom it speaks for."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from .text import Span, collapse, lines, paragraphs, tidy_name

_FLAGS = regex.IGNORECASE | regex.VERSION1

SALUTATION = regex.compile(
    r"^(?:Dear|Estimad[oa]s?|Señor(?:a|es)?|Sr\.|Sra\.|Querid[oa]s?|Distinguid[oa]s?|Уважаем\w*|Your\s+Excellency|Excellency|"
    r"Excelent[íi]sim[oa]|Madame|Monsieur|Sehr\s+geehrte\w*|To\s+whom\s+it\s+may\s+concern)\b[^\n]{0,60}?[,:!]?$",
    _FLAGS,
)
CLOSING = regex.compile(
    r"^(?:Yours\s+(?:sincerely|faithfully|truly|in\s+solidarity)|Sincerely(?:\s+yours)?|(?:With\s+)?(?:kind|best|warm)\s+regards|"
    r"Regards|In\s+solidarity|With\s+solidarity|Solidarity|Respectfully(?:\s+yours)?|Atentamente|Cordialmente|"
    r"Saludos(?:\s+\w+)?|Fraternalmente|Solidariamente|С\s+уважением|Salutations\s+\w+|Mit\s+freundlichen\s+Grüßen)\b[^\n]{0,40}$",
    _FLAGS,
)
REFERENCE = regex.compile(
    r"(?<![\p{L}])(?P<label>Our\s+ref(?:erence)?|Your\s+ref(?:erence)?|Ref(?:erence)?(?:\s+No)?|Index|UA|Referencia|Ref\.\s*N[º°o]|"
    r"Исх\.?\s*№|№)\s*[.:]\s*(?P<value>[\p{Lu}\d][\p{Lu}\d\-/._]*(?![\p{Ll}])(?:[ \t][\p{Lu}\d][\p{Lu}\d\-/._]*(?![\p{Ll}]))*)",
    regex.VERSION1,
)
_REPRESENTS = regex.compile(
    r"(?:on\s+behalf\s+of|representing|represent|en\s+nombre\s+de|que\s+representa\w*|от\s+имени)\s+(?:the\s+|our\s+|more\s+than\s+|over\s+|los\s+|las\s+)?"
    r"(?P<number>\d[\d,.\s]*\d|\d+)\s*(?P<scale>million|millones|млн|thousand|mil|тысяч)?\s+(?:\p{L}+\s+){0,3}?"
    r"(?:workers|members|people|trade\s+unionists|afiliad[oa]s|trabajador[ae]s|miembros|членов|рабочих)",
    _FLAGS,
)
_SCALES = {"million": 1_000_000, "millones": 1_000_000, "млн": 1_000_000, "thousand": 1_000, "mil": 1_000, "тысяч": 1_000}
_TITLE_LINE = regex.compile(
    r"\b(?:General\s+Secretary|Secretary[\s-]General|President|Chair(?:person|man)?|Director|Coordinator|Secretary|"
    r"Secretari[oa]\s+General|Presidente|Presidenta|Coordinador[a]?|Председатель|Генеральный\s+секретарь)\b",
    _FLAGS,
)


@dataclass
class Signatory:
    name: str
    title: str = ""
    organisation: str = ""
    span: Span | None = None


@dataclass
class Letter:
    salutation: str
    salutation_span: Span
    address_block: Span | None
    extra_blocks: list[Span] = field(default_factory=list)  # "By email: ..." between address and salutation
    closing_span: Span | None = None
    signature_span: Span | None = None
    signatories: list[Signatory] = field(default_factory=list)
    subject: str = ""
    subject_span: Span | None = None


def find_references(text: str) -> list[tuple[str, Span]]:
    """Reference numbers: "Ref: ICEM-IMF11/EN LT/107", "UA: 47/25", "Index: ASA 35/9123/2025"."""
    out = []
    for match in REFERENCE.finditer(text, 0, min(len(text), 3000)):
        value = match.group("value").strip()
        if regex.search(r"\d", value):
            out.append(
                (f"{collapse(match.group('label'))}: {value}", Span(match.start("value"), match.start("value") + len(value)))
            )
    return out


def represents(text: str) -> tuple[int | None, Span | None]:
    """How many people a letter speaks for ("On behalf of 45 million industrial workers")."""
    match = _REPRESENTS.search(text)
    if not match:
        return None, None
    digits = re.sub(r"[\s,]", "", match.group("number"))
    # "4.5 million" is a decimal; "45.000" (as much of Europe writes it) is forty-five thousand.
    number = float(digits) if digits.count(".") == 1 and match.group("scale") else float(digits.replace(".", ""))
    scale = _SCALES.get((match.group("scale") or "").casefold(), 1)
    return int(number * scale), Span(match.start("number"), match.end())


def _is_date_or_ref(text: str, span: Span) -> bool:
    from .dates import find_dates

    value = text[span.start : span.end].strip()
    if REFERENCE.match(value):
        return True
    mentions = find_dates(text, span.start, span.end)
    return bool(mentions) and len(value) <= 40


def find_letter(text: str, *, is_channel_line: Callable[[Span], bool]) -> Letter | None:
    """A letter opening (address block then salutation near the top), or None when the text is not a letter.

    `is_channel_line(span)` tells whether a line holds only contact channels ("By email: ...").
    """
    paras = paragraphs(text)
    for index, para in enumerate(paras):
        first = lines(text, para)[0]
        line_text = text[first.start : first.end]
        if SALUTATION.match(line_text.strip()) and len(line_text) <= 80:
            if any(p.end - p.start > 400 for p in paras[:index]):
                return None  # prose before it: a model letter inside an appeal, not a letter
            return _letter_from(text, paras, index, first, is_channel_line)
        if para.end - para.start > 400:
            return None
    return None


def _letter_from(
    text: str, paras: list[Span], index: int, salutation_line: Span, is_channel_line: Callable[[Span], bool]
) -> Letter:
    salutation = text[salutation_line.start : salutation_line.end].strip().rstrip(",:!").strip()
    letter = Letter(salutation=salutation, salutation_span=salutation_line, address_block=None)
    for back in range(index - 1, -1, -1):
        para = paras[back]
        para_lines = lines(text, para)
        if all(is_channel_line(line) for line in para_lines):
            letter.extra_blocks.append(para)
            continue
        kept = [line for line in para_lines if not _is_date_or_ref(text, line)]
        if kept and len(kept) <= 10 and all(line.end - line.start <= 90 for line in kept):
            letter.address_block = Span(kept[0].start, kept[-1].end)
        break
    # A subject line right after the salutation ("Detention and prosecution of ...").
    after = [p for p in paras if p.start > salutation_line.end]
    if after:
        first = after[0]
        value = text[first.start : first.end]
        if "\n" not in value.strip() and len(value) <= 120 and not value.rstrip().endswith((".", ",", ":")):
            letter.subject = collapse(value)
            letter.subject_span = first
    _closing(text, paras, letter)
    return letter


def _closing(text: str, paras: list[Span], letter: Letter) -> None:
    for para in paras:
        if para.start <= letter.salutation_span.end:
            continue
        para_lines = lines(text, para)
        for position, line in enumerate(para_lines):
            if CLOSING.match(text[line.start : line.end].strip()):
                letter.closing_span = line
                rest = para_lines[position + 1 :]
                if not rest:
                    following = [p for p in paras if p.start > para.end]
                    rest = lines(text, following[0]) if following else []
                if rest:
                    letter.signature_span = Span(rest[0].start, rest[-1].end)
                    letter.signatories = signatories(text, rest)
                return


def signatories(text: str, sig_lines: list[Span]) -> list[Signatory]:
    """Names, titles and organisations under a closing; side-by-side columns ("Manfred Warda      Jyrki Raina")."""
    rows = []
    for line in sig_lines:
        value = text[line.start : line.end]
        cells, pos = [], 0
        for part in re.split(r"(\s{3,})", value):
            if part and not part.isspace():
                cells.append((part.strip(), Span(line.start + pos, line.start + pos + len(part))))
            pos += len(part)
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    people = []
    for column in range(width):
        cells = [row[column] for row in rows if len(row) == width]
        if not cells:
            continue
        name, span = cells[0]
        if not _looks_like_person(name):
            continue
        title, organisation = "", ""
        for cell, _ in cells[1:]:
            if regex.search(r"@|\d{3}", cell):
                continue  # an address or a number of the sender
            match = _TITLE_LINE.search(cell)
            if match and not title:
                title = match.group()
                before = cell[: match.start()].strip(" ,")
                after = cell[match.end() :].strip(" ,")
                after = regex.sub(r"^(?:of|de|del|of\s+the)\s+", "", after)
                organisation = organisation or before or after
            elif not organisation:
                organisation = cell
        people.append(Signatory(name=tidy_name(name), title=title, organisation=tidy_name(organisation), span=span))
    return people


def _looks_like_person(value: str) -> bool:
    words = value.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not _TITLE_LINE.search(value)

"""Plain-text plumbing for appeal import: spans, paragraphs, sentences, marks and word stems."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import regex


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Mark:
    """Where an extracted item was found, for the review page: `field` names the draft's key."""

    start: int
    end: int
    field: str
    label: str


_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n\s*")
# A sentence ends at . ! ? (maybe closed by a quote or bracket) followed by space and a capital,
# digit or quote; not after common abbreviations or initials.
_SENTENCE_END = regex.compile(r"""[.!?;]["'”’»)]*(?=\s+["'“‘«(¡¿]?[\p{Lu}\d])""")
_WORD_BEFORE_DOT = regex.compile(r"([\p{L}.]+)\.$")
_SPACES = re.compile(r"\s+")
_STEM_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’]*")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "no", "nos", "tel", "fax", "e.g", "i.e", "etc", "vs", "jr", "sr", "sra", "srta",
    "h.e", "prof", "gen", "gov", "rep", "sen", "hon", "rev", "co", "inc", "ltd", "dept", "av", "avda", "apt", "d.c",
    "p.o", "ul", "pr", "g", "ref", "cra", "n", "art", "fig", "vol", "op", "ed",
}  # fmt: skip


def paragraphs(text: str) -> list[Span]:
    """Paragraphs: runs of text separated by blank lines, without their surrounding whitespace."""
    spans, start = [], 0
    for match in _BLANK_LINE.finditer(text):
        spans.append(Span(start, match.start()))
        start = match.end()
    spans.append(Span(start, len(text)))
    return [s for s in (strip_span(text, s) for s in spans) if s.end > s.start]


def strip_span(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def lines(text: str, span: Span | None = None) -> list[Span]:
    """Non-blank lines within span, stripped."""
    span = span or Span(0, len(text))
    out, pos = [], span.start
    for line in text[span.start : span.end].split("\n"):
        stripped = strip_span(text, Span(pos, pos + len(line)))
        if stripped.end > stripped.start:
            out.append(stripped)
        pos += len(line) + 1
    return out


def sentences(text: str, span: Span) -> list[Span]:
    """Sentences of one paragraph (hard-wrapped lines are joined by the caller's regexes, which allow \\s)."""
    return list(_sentences(text, span))


@functools.lru_cache(maxsize=1024)
def _sentences(text: str, span: Span) -> tuple[Span, ...]:
    # Several readers split the same paragraphs: split each once per text.
    out, start = [], span.start
    chunk = text[span.start : span.end]
    for match in _SENTENCE_END.finditer(chunk):
        # the word before the full stop (an abbreviation?): read back from the stop, not from the paragraph's start
        word = _WORD_BEFORE_DOT.search(chunk, max(0, match.start() - 80), match.start() + 1)
        if match.group().startswith(".") and word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        end = span.start + match.end()
        out.append(strip_span(text, Span(start, end)))
        start = end
    out.append(strip_span(text, Span(start, span.end)))
    return tuple(s for s in out if s.end > s.start)


def collapse(value: str) -> str:
    """One line, single spaces (hard-wrapped text from letters and PDFs)."""
    return _SPACES.sub(" ", value).strip()


def tidy_name(value: str) -> str:
    """A name as a campaign document keeps it: one line, typographic apostrophes and quotes made plain."""
    value = collapse(value).replace("’", "'").replace("‘", "'").replace("`", "'")
    return value.strip(" ,;:.\"'“”«»").strip()


@functools.lru_cache(maxsize=8192)
def fold(value: str) -> str:
    """A comparison key for names: lower case, plain apostrophes, single spaces."""
    return unicodedata.normalize("NFKC", tidy_name(value)).casefold()


_STOPWORDS = set(
    """a an the and or of to in on at by for from with as is are was were be been has have had that this these those
    it its his her their they them he she we our you your i not no but into over after before than then there which who
    whom whose all any also very more most such de la el los las y o en del al por para con que se su sus un una
    le les des du et pour dans""".split()  # noqa: SIM905 - a list of words reads best as words
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ised", "ized", "ises", "izes", "ise", "ize", "ed", "es", "s", "e")


def stems(value: str) -> set[str]:
    """Content-word stems, for comparing a paraphrase with the source ("nationalise" ~ "nationalisation")."""
    out = set()
    for word in _STEM_WORD.findall(value.casefold()):
        word = word.replace("’", "'").removesuffix("'s").strip("'")
        if len(word) < 3 or word in _STOPWORDS:
            continue
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        out.add(word[:6])
    return out


def similarity(a: str, b: str) -> float:
    """Share of the shorter text's content words found in the other (0..1)."""
    sa, sb = stems(a), stems(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))

"""People at risk: a named person close to what is done to them, in any language the lexicon holds.

A name (two to four capitalised words, particles allowed: "Gabriele Del Grande") counts when a status
word of the lexicon stands within a few words of it in the same sentence or heading ("the jailing of
Víctor Licona Cervantes", "Ismet Kilic ... festgenommen", "Liberate Gabriele Del Grande", "the case of
... Narges Mohammadi"). It does not count when it is a target, copy-to recipient or signatory, when an
office stands just before it ("presidente da Rússia, Vladimir Putin"), when it holds an organisation's
or a street's word, or when it is said only once and has no honorific (German nouns are capitalised).
Later mentions by the last name alone ("Ms. Sokalska", a typo of the first name) join the same person.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import regex

from .dates import month_names
from .lexicon import lexicon
from .organisations import KEYWORD_RE, Registry
from .places import country_in
from .text import Mark, Span, fold, sentences

_CAP = r"\p{Lu}[\p{Ll}\p{M}'’\-]+(?:[.])?"
_PARTICLE = r"(?:de|del|della|di|da|do|dos|das|van|von|der|den|bin|ibn|al|y|el|la|Del|De|Da|Di|Van|Von)"
_NAME = regex.compile(
    rf"(?<![\p{{L}}'’.])(?:{_CAP})(?:[ \t]+(?:{_PARTICLE}[ \t]+)?(?:{_CAP})){{1,4}}(?![\p{{L}}])", regex.VERSION1
)
_TOKEN = regex.compile(r"[\p{L}\p{M}\d'’\-]+", regex.VERSION1)
_LINKS = {"of", "the", "de", "da", "do", "del", "della", "di", "du", "des", "der", "von", "van", "la", "el", "le"}
_WINDOW = 10  # words between a name and the status word that tells what was done to them
_RANK = {"threatened": 0, "missing": 1, "detained": 2, "charged": 3, "sentenced": 4, "released": 5, "killed": 6}


@dataclass
class Person:
    name: str
    status: str
    role: str = ""
    spans: list[Span] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    def as_document(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "age": None, "status": self.status, "details": "", "history": self.history}


@functools.lru_cache(maxsize=1024)
def _ascii(value: str) -> str:
    """Lower case without accents; other scripts (Cyrillic) are kept."""
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c)).casefold()


def _noise() -> set[str]:
    """Words that open a capitalised run without being a name: stop words, verbs of the call, titles."""
    lex = lexicon()
    out: set[str] = set()
    for entry in lex.data.values():
        out |= {w.casefold() for w in entry.get("stopwords", [])}
    return out | {m for m in month_names() if len(m) > 3}  # not "Jan": a first name as often


_NOISE: set[str] | None = None


@functools.lru_cache(maxsize=8192)
def _is_noise(word: str) -> bool:
    global _NOISE
    if _NOISE is None:
        _NOISE = _noise()
    lex = lexicon()
    bare = word.strip(".'’")
    if bare.casefold() in _NOISE:
        return True
    if lex.title_word.fullmatch(bare) or lex.honorific.match(bare + " ") or lex.status_of(bare):
        return True
    return bool(lex.salutation.match(bare) or lex.closing.match(bare) or lex.call.match(bare + " to"))


_HONORIFIC_BEFORE = regex.compile(r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|M|Mme|Sr|Sra|Herr|Frau|Sig|Dott|Sheikh?|Ayatollah)\.?\s*$")


def _candidates(text: str, sentence: Span) -> list[tuple[str, Span, bool]]:
    """(name, span, had an honorific) for the capitalised runs in a sentence, noise trimmed."""
    lex = lexicon()
    out = []
    for match in _NAME.finditer(text, sentence.start, sentence.end):
        words = match.group().split()
        start = match.start()
        honorific = False
        before = text[max(sentence.start, start - 25) : start]
        if _HONORIFIC_BEFORE.search(before):
            honorific = True
        while words and (_is_noise(words[0]) or lex.honorific.match(words[0] + " ")):
            start = text.find(words[1], start + len(words[0])) if len(words) > 1 else match.end()
            words = words[1:]
            honorific = True if words else honorific
        while words and words[-1].casefold() in {"de", "del", "della", "di", "da", "do", "van", "von", "der", "y", "el", "la"}:
            words = words[:-1]
        if len(words) < 2:
            continue
        name = " ".join(words).rstrip(".").replace("’s", "").replace("'s", "")
        out.append((name, Span(start, start + len(name)), honorific))
    return out


def _rejected(
    name: str, text: str, span: Span, sentence: Span, *, excluded_targets: list[str], excluded: set[str], registry: Registry
) -> bool:
    lex = lexicon()
    key = fold(name)
    if key in excluded or any(key in fold(t) for t in excluded_targets):
        return True
    if KEYWORD_RE.search(name) or lex.street.search(name) or lex.title_word.search(name) or country_in(name):
        return True
    if any(_is_noise(w) for w in name.split()[1:] if w[:1].isupper() and not regex.fullmatch(_PARTICLE, w, regex.IGNORECASE)):
        return True
    if any(key in fold(item.name) for item in registry.items if len(item.name.split()) > len(name.split())):
        return True
    # "presidente da Rússia, Vladimir Putin": an office, then only its country or body, then the name
    before = _TOKEN.findall(text[max(sentence.start, span.start - 60) : span.start])[-5:]
    for index in range(len(before) - 1, -1, -1):
        if lex.title_word.fullmatch(before[index]):
            return all(t[:1].isupper() or t.casefold() in _LINKS for t in before[index + 1 :])
    return False


_PLACE_PREPOSITION = regex.compile(
    r"(?:^|\s)(?:in|at|near|de|des|du|da|do|dos|das|di|del|della|von|aus|im|em|en|nel|nella|à|au|no|na)\s+$", regex.IGNORECASE
)
_PLACE_TAIL = regex.compile(
    r"(?:State|City|Province|Region|District|County|Street|Square|Hospital|Prison|Jail|Gaol|Penitentiary|Court|University|Port|"
    r"Airport|Mine)$",
    regex.VERSION1,
)


def _only_as_place(name: str, text: str) -> bool:
    """ "operários de Belo Monte": a name only ever written after "in" / "de" is a place or a body, not a person."""
    if _PLACE_TAIL.search(name):
        return True
    spots = [m.start() for m in regex.finditer(regex.escape(name), text)]
    return bool(spots) and all(_PLACE_PREPOSITION.search(text[max(0, s - 12) : s]) for s in spots)


@functools.lru_cache(maxsize=4096)
def _said_again(name: str, text: str) -> bool:
    words = [_ascii(w) for w in name.split() if len(w) > 2]
    folded = _ascii(text)
    return any(len(regex.findall(rf"(?<!\p{{L}}){regex.escape(w)}(?!\p{{L}})", folded)) >= 2 for w in words)


def find_people(
    text: str,
    story: list[Span],
    *,
    excluded: set[str],
    excluded_targets: list[str],
    registry: Registry,
    language: str = "",
) -> tuple[list[dict[str, Any]], list[Mark]]:
    """People at risk in the story; in a language that capitalises nouns (German), a name must recur."""
    lex = lexicon()
    capitalised_nouns = bool(lex.data.get(language, {}).get("capitalised_nouns"))
    # every status word of the text, read once and looked up per sentence
    all_statuses = sorted(
        ((status, m) for status, pattern in lex.statuses for m in pattern.finditer(text)), key=lambda item: item[1].start()
    )
    status_starts = [m.start() for _, m in all_statuses]
    people: list[Person] = []
    marks: list[Mark] = []

    def names_in(sentence: Span) -> list[tuple[str, Span]]:
        kept = []
        for name, span, honorific in _candidates(text, sentence):
            while capitalised_nouns and len(name.split()) > 2 and not _said_again(name.split()[0], text):
                head = name.split()[0]  # "Freund Ali Demir": a noun said once before the name
                name = name[len(head) :].lstrip()
                span = Span(span.end - len(name), span.end)
            if not name[:1].isupper() or len(name.split()) < 2:
                continue  # "von Ismet": what is left after the noun is not a full name
            if _rejected(name, text, span, sentence, excluded_targets=excluded_targets, excluded=excluded, registry=registry):
                continue
            if not honorific and ((capitalised_nouns and not _said_again(name, text)) or _only_as_place(name, text)):
                continue
            kept.append((name, span))
        return kept

    for paragraph in story:
        previous: Span | None = None
        for sentence in sentences(text, paragraph):
            before, previous = previous, sentence
            lo = bisect.bisect_left(status_starts, sentence.start)
            hi = bisect.bisect_left(status_starts, sentence.end)
            statuses = all_statuses[lo:hi]
            threats = [m.span() for status, m in statuses if status == "threatened"]
            # a threat of arrest is a threat: the arrest inside it is not a second status
            statuses = [
                (status, m) for status, m in statuses if status == "threatened" or not any(s <= m.start() < e for s, e in threats)
            ]
            if not statuses:
                continue
            positions = [m.start() for m in _TOKEN.finditer(text, sentence.start, sentence.end)]

            def word_index(pos: int, positions: list[int] = positions) -> int:
                return bisect.bisect_left(positions, pos)

            kept = [(name, span, word_index(span.start), word_index(span.end) - 1) for name, span in names_in(sentence)]
            if not kept and before is not None and _opens_with_pronoun(text, sentence, lex):
                # "They are held ... and have been charged": what is done is done to the people just named
                for status, _m in statuses:
                    for name, span in _coordinated(text, names_in(before), lex):
                        _add(people, name, status, span, marks)
                continue
            # each status word tells what was done to the nearest name, and to the names joined to it by "and"
            for status, m in statuses:
                at, end = word_index(m.start()), word_index(m.end())
                best = None
                for index, (_name, span, first, last) in enumerate(kept):
                    if span.start <= m.start() < span.end:
                        continue
                    distance = min(abs(at - last), abs(first - end))
                    if distance <= _WINDOW and (best is None or distance < best[0]):
                        best = (distance, index)
                if best is not None:
                    group = _coordinated(text, [(name, span) for name, span, _f, _l in kept], lex, around=best[1])
                    for name, span in group:
                        _add(people, name, status, span, marks)
    _merge(people)
    return [p.as_document() for p in people], marks


def _opens_with_pronoun(text: str, sentence: Span, lex: Any) -> bool:
    first = _TOKEN.match(text, sentence.start)
    return bool(first) and first.group().casefold() in {w.casefold() for w in lex.words("pronouns")}


def _coordinated(text: str, names: list[tuple[str, Span]], lex: Any, *, around: int | None = None) -> list[tuple[str, Span]]:
    """The names joined by "and" or commas ("Rodel Macaraeg and Josefina Dizon"): around one of them, or the last run."""
    if not names:
        return []
    joiner = {w.casefold() for w in lex.words("coordinators")}

    def joined(a: Span, b: Span) -> bool:
        between = text[a.end : b.start].strip(" \t,").casefold()
        return not between or (between in joiner and "\n" not in text[a.end : b.start])

    index = len(names) - 1 if around is None else around
    lo = hi = index
    while lo > 0 and joined(names[lo - 1][1], names[lo][1]):
        lo -= 1
    while hi + 1 < len(names) and joined(names[hi][1], names[hi + 1][1]):
        hi += 1
    return names[lo : hi + 1]


def _add(people: list[Person], name: str, status: str, span: Span, marks: list[Mark]) -> None:
    for person in people:
        if _same(person.name, name):
            if len(name.split()) > len(person.name.split()) and fold(person.name) in fold(name):
                person.name = name
            if _RANK[status] > _RANK[person.status]:
                person.status = status
            person.spans.append(span)
            return
    people.append(Person(name=name, status=status, spans=[span]))
    marks.append(Mark(span.start, span.end, "people", f"person at risk: {name} ({status})"))


def _same(a: str, b: str) -> bool:
    wa, wb = _ascii(a).split(), _ascii(b).split()
    if not wa or not wb:
        return False
    if wa[-1] == wb[-1] or _inflected(wa[-1], wb[-1]):
        return True
    return set(wa) <= set(wb) or set(wb) <= set(wa)


def _inflected(a: str, b: str) -> bool:
    """The same name in another grammatical case ("Бекмуханов" / "Бекмуханова"): a long common stem."""
    stem = 0
    while stem < min(len(a), len(b)) and a[stem] == b[stem]:
        stem += 1
    return stem >= 5 and max(len(a), len(b)) - stem <= 2


def _merge(people: list[Person]) -> None:
    for person in list(people):
        for other in people:
            if other is not person and person in people and _same(person.name, other.name):
                keep, drop = (other, person) if len(other.spans) >= len(person.spans) else (person, other)
                if len(drop.name.split()) > len(keep.name.split()):
                    keep.name = drop.name
                keep.spans += drop.spans
                if _RANK[drop.status] > _RANK[keep.status]:
                    keep.status = drop.status
                people.remove(drop)
                break

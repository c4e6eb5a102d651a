"""People at risk: names next to what was done to them (threatened, detained, charged, sentenced, released,
killed, missing), with their role, age and a dated history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import regex

from .dates import DateMention, resolve
from .organisations import KEYWORD_RE, Registry
from .places import country_code
from .text import Mark, Span, collapse, fold, paragraphs, sentences, tidy_name

_FLAGS = regex.IGNORECASE | regex.VERSION1

# Order matters: a threat of arrest is a threat, so threats are matched (and their words used up) first.
STATUS_CUES: list[tuple[str, regex.Pattern]] = [
    (status, regex.compile(rf"(?<![\p{{L}}])(?:{pattern})(?![\p{{L}}])", _FLAGS))
    for status, pattern in (
        (
            "threatened",
            r"threat(?:s|ened)?\s+(?:to|of|with)\s+(?:arrest|detain|detention|imprison\w*|prosecut\w*|death|kill|dismiss\w*)\w*|"
            r"threats?\s+to\s+\w+|facing\s+(?:imminent\s+)?(?:arrest|prosecution|charges|detention|jail)|"
            r"faces?\s+(?:imminent\s+)?(?:arrest|detention)|risk\s+of\s+(?:arrest|detention|torture)|death\s+threats?|threatened|"
            r"harass(?:ed|ment)|intimidated|beaten|attacked|assaulted|amenazad[oa]s?|amenazas?|amenazó|golpead[oa]s?|"
            r"угроз\w*|угрожа\w*|избит\w*|избил\w*|напал\w*",
        ),
        (
            "killed",
            r"murdered|killed|assassinated|shot\s+dead|found\s+dead|beaten\s+to\s+death|died\s+in\s+(?:police\s+)?custody|"
            r"asesinad[oa]s?|asesinato|ejecutad[oa]s?|hallad[oa]\s+muert[oa]|убит\w*|застрел\w*|погиб\w*",
        ),
        ("sentenced", r"sentenced|convicted|jailed\s+for|condenad[oa]s?|sentenciad[oa]s?|приговор\w*|осужд\w*"),
        ("charged", r"charged|indicted|prosecuted|accused\s+of|imputad[oa]s?|acusad[oa]s?|обвин\w*"),
        ("released", r"released|freed|acquitted|set\s+free|liberad[oa]s?|puest[oa]\s+en\s+libertad|освобожд\w*"),
        (
            "missing",
            r"missing|disappeared|disappearance|whereabouts\s+(?:are\s+|remain\s+)?unknown|last\s+seen|desaparecid[oa]s?|"
            r"desaparici[oó]n|пропал\w*|исчез\w*",
        ),
        (
            "detained",
            r"arrested|arrest\s+of|detained|detention\s+of|in\s+(?:police\s+)?custody|held\s+(?:at|in|incommunicado)|imprisoned|"
            r"abducted|jailed|detenid[oa]s?|arrestad[oa]s?|capturad[oa]s?|encarcelad[oa]s?|privad[oa]\s+de\s+(?:la\s+)?libertad|"
            r"задержан\w*|арестован\w*",
        ),
    )
]
# The latest stage wins when one sentence tells several (released after custody, charged after arrest).
RANK = {"threatened": 0, "missing": 1, "detained": 2, "charged": 3, "sentenced": 4, "released": 5, "killed": 6}

_CAP = r"\p{Lu}[\p{Ll}\p{M}'’\-]+"
_PARTICLE = r"(?:de|del|de\s+la|van|von|der|da|dos|bin|al|y|ibn)"
_NAME = regex.compile(
    rf"(?<![\p{{L}}'’])(?:{_CAP})(?:[ \t]*\n?[ \t]*(?:{_PARTICLE}\s+)?{_CAP}){{1,4}}(?![\p{{L}}])", regex.VERSION1
)
_ROLE_WORDS = (
    r"leader|president|secretary|chair\w*|activist|member|lawyer|organi[sz]er|steward|head|worker|journalist|"
    r"defender|dirigente|l[ií]der|presidente|presidenta|secretari[oa]|trabajador[a]?|activista|abogad[oa]|vocero|vocera|"
    r"lider|лидер|председател\w*|активист\w*|юрист"
)
_SINGLE_NAME = regex.compile(
    rf"(?<![\p{{L}}])(?:{_ROLE_WORDS})(?![\p{{L}}])[^.,;\n]{{0,60}},\s+(?P<name>\p{{Lu}}[\p{{Ll}}\-]{{2,}})\s*(?=,|\s+(?:and|is|was|has|y|fue|ha)\b)",
    _FLAGS,
)
_LEADING_NOISE = {
    "the", "on", "in", "at", "a", "an", "after", "during", "since", "mr", "mrs", "ms", "dr", "president", "secretary",
    "minister", "el", "la", "los", "las", "en", "desde", "por", "para", "una", "un", "dear", "two", "three", "we", "our",
    "she", "he", "they", "his", "her", "their", "this", "these", "and", "but", "also", "when", "while", "today",
    "name", "pronoun", "mr.", "ms.", "sr", "sra", "don", "doña", "comrade", "compañero", "compañera", "brother", "sister",
    "unfortunately", "yesterday", "urgent", "action", "please", "release", "free", "urge", "call",
}  # fmt: skip
_PLACE_TAIL = regex.compile(
    r"\b(?:City|Province|Street|Road|Square|Avenue|Terminal|Port|Jail|Prison|Center|Centre|Station|Hospital|University|"
    r"Court|Airport|Mine|Region|District|Oblast|Declaration|Convention|Conventions|Summit|Committee)$",
    regex.VERSION1,
)
_PLACE_BEFORE = regex.compile(
    r"(?:\b(?:in|en|at|near|from|to|into|cerca\s+de|municipio\s+de|ciudad\s+de|departamento\s+del?|province\s+of|city\s+of|"
    r"town\s+of|village\s+of|outskirts\s+of)\s+(?:the\s+|el\s+|la\s+|los\s+|las\s+)?)$",
    _FLAGS,
)
_PRONOUN_START = regex.compile(
    r"^(?:He|She|They|His|Her|Their|Him|Él|Ella|Ellos|Ellas|Le|Les|Он|Она|Они|Ему|Ей|Его|Её|Ее|Им|Их)\b", regex.VERSION1
)
_AGE = regex.compile(
    r"^,?\s*(?:(?P<a1>\d{1,3})\s*-?\s*years?[- ]old|(?P<a2>\d{1,3})\s*,|aged\s+(?P<a3>\d{1,3})|"
    r"de\s+(?P<a4>\d{1,3})\s+años)\s*,?\s*",
    _FLAGS,
)
_ROLE_AFTER = regex.compile(
    r"^\s*,\s*(?P<body>(?:(?:a|an|the|its|his|her|their|el|la|un|una)\s+)?(?P<role>[^,;.()]{3,110}?))\s*(?=,|;|\.|\s+(?:was|is|has|were|fue|ha)\b)",
    _FLAGS,
)
_ROLE_BEFORE = regex.compile(
    rf"(?P<role>(?:the\s+|a\s+|an\s+|el\s+|la\s+)?(?:[\p{{L}}'’\-]+\s+){{0,3}}?(?:{_ROLE_WORDS})(?:\s+(?:of|de)\s+[^,;.]{{3,60}}?)?)\s*,?\s*$",
    _FLAGS,
)


@dataclass
class FoundPerson:
    name: str
    role: str = ""
    age: int | None = None
    details: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    order: list[int] = field(default_factory=list)

    @property
    def status(self) -> str:
        return max((h["status"] for h in self.history), key=lambda s: RANK[s]) if self.history else "threatened"

    def as_document(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "age": self.age,
            "status": self.status,
            "details": self.details,
            "history": self.history,
        }


def _cues(sentence: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    used: list[tuple[int, int]] = []
    for status, pattern in STATUS_CUES:
        for match in pattern.finditer(sentence):
            if any(match.start() < e and s < match.end() for s, e in used):
                continue
            found.append((status, match.start(), match.end()))
            used.append(match.span())
    return found


def _names(text: str, span: Span, *, excluded: set[str], registry: Registry) -> list[tuple[str, Span]]:
    """Person names in a sentence: two to five capitalised words, or one after a role ("the leader of X, Sagitovoi,")."""
    out: list[tuple[str, Span]] = []
    quoted = [m.span() for m in regex.finditer(r"[«“\"‘][^»”\"’]{2,80}[»”\"’]", text[span.start : span.end])]
    org_spans = [s for item in registry.items for s in item.spans]
    for match in _NAME.finditer(text, span.start, span.end):
        words = list(regex.finditer(r"\S+", match.group()))
        start = 0
        while start < len(words) and (words[start].group().casefold() in _LEADING_NOISE or _is_month(words[start].group())):
            start += 1
        if len(words) - start < 2:
            continue
        s = match.start() + words[start].start()
        e = match.end()
        name = tidy_name(text[s:e])
        if _PLACE_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
            continue  # "en el municipio de La Jagua de Ibirico"
        if _rejected(
            text, s, e, name, excluded=excluded, quoted=[(span.start + a, span.start + b) for a, b in quoted], org_spans=org_spans
        ):
            continue
        out.append((name, Span(s, e)))
    for match in _SINGLE_NAME.finditer(text, span.start, span.end):
        name = match.group("name")
        if fold(name) in excluded or country_code(name) or KEYWORD_RE.search(name):
            continue
        if not any(fold(name) in fold(n) for n, _ in out):
            out.append((name, Span(*match.span("name"))))
    return sorted(out, key=lambda item: item[1].start)


def _is_month(word: str) -> bool:
    from .dates import month_names

    return word.casefold().rstrip(".") in month_names()


def _rejected(
    text: str,
    s: int,
    e: int,
    name: str,
    *,
    excluded: set[str],
    quoted: list[tuple[int, int]],
    org_spans: list[Span],
) -> bool:
    if fold(name) in excluded or any(fold(name) in x or x in fold(name) for x in excluded if len(x) > 5):
        return True
    if KEYWORD_RE.search(name) or _PLACE_TAIL.search(name) or country_code(name) or country_code(name.split()[-1]):
        return True
    if any(a <= s < b for a, b in quoted) or any(o.start <= s < o.end for o in org_spans):
        return True
    if _PLACE_BEFORE.search(text[max(0, s - 40) : s]):
        return True
    return name.isupper()


def _role_and_age(text: str, name_span: Span, sentence: Span) -> tuple[str, int | None]:
    after = text[name_span.end : sentence.end]
    age = None
    role = ""
    comma_age = regex.match(r"^\s*,\s*", after)
    rest = after
    if comma_age:
        m = _AGE.match(after[comma_age.end() - 1 :] if after.lstrip().startswith(",") else after)
        if m:
            age = int(next(v for v in m.group("a1", "a2", "a3", "a4") if v))
            rest = "," + after[comma_age.end() - 1 + m.end() :] if after.lstrip().startswith(",") else after[m.end() :]
            rest = rest if rest.lstrip().startswith(",") else ", " + rest
    m = _ROLE_AFTER.match(rest)
    if (
        m
        and m.group("role")[:1].islower()
        and not regex.match(r"(?:and|but|or|who|which|whose|while|y|que|quien|pero)\b", m.group("role"))
    ):
        role = m.group("role")
    if not role:
        before = text[max(sentence.start, name_span.start - 120) : name_span.start]
        m = _ROLE_BEFORE.search(before)
        if m:
            role = m.group("role").strip(" ,")
            # "to arrest the leader of ..." -> "leader of ...": keep what follows the last article before the role word
            word = regex.search(rf"(?<![\p{{L}}])(?:{_ROLE_WORDS})(?![\p{{L}}])", role, _FLAGS)
            head = role[: word.start()] if word else ""
            article = list(regex.finditer(r"(?<![\p{L}])(?:the|a|an|el|la|los|las)\s+", head, _FLAGS))
            role = role[article[-1].end() :] if article else role
    role = tidy_name(role.replace("‘", "").replace("’", "'"))
    role = regex.sub(r"(?i)^(?:nuestr[oa]\s+)?(?:compañer[oa]|comrade)$", "", role)
    return role, age


def find_people(
    text: str,
    spans: list[Span],
    *,
    dates: list[DateMention],
    reference: dt.date | None,
    excluded: set[str],
    registry: Registry,
) -> tuple[list[FoundPerson], list[Mark]]:
    """People at risk named in the given paragraphs (the story, not the contact blocks or signatures)."""
    people: dict[str, FoundPerson] = {}
    marks: list[Mark] = []
    order = 0
    for paragraph in spans:
        previous_names: list[str] = []
        for sentence in sentences(text, paragraph):
            value = text[sentence.start : sentence.end]
            cues = _cues(value)
            names = _names(text, sentence, excluded=excluded, registry=registry)
            keys = []
            if not names and cues and previous_names and _PRONOUN_START.match(value):
                names = [(name, Span(sentence.start, sentence.start)) for name in previous_names]
            previous_names = [name for name, _ in names]
            for name, span in names:
                person = _person(people, name)
                if person is None and not cues:
                    continue
                if person is None:
                    person = people.setdefault(fold(name), FoundPerson(name=name))
                    person.order.append(order)
                    order += 1
                person.spans.append(span)
                role, age = _role_and_age(text, span, sentence)
                person.role = person.role or role
                person.age = person.age if person.age is not None else age
                keys.append((fold(person.name), span))
            if not cues or not keys:
                continue
            sentence_dates = [d for d in dates if sentence.start <= d.start < sentence.end]
            pronoun = all(span.end == span.start for _, span in keys)
            for key, span in keys:
                person = people[key]
                if len(keys) == 1 or pronoun:
                    chosen = cues  # one person (or "they"): everything the sentence tells is about them
                else:
                    chosen = [min(cues, key=lambda c: _distance(c, span.start - sentence.start, span.end - sentence.start))]
                for status, cue_start, cue_end in sorted(chosen, key=lambda c: RANK[c[0]]):
                    date = _date_of(cues, (status, cue_start, cue_end), sentence_dates, sentence.start)
                    _add_history(person, status, str(resolve(date, reference)) if date else None, collapse(value))
                    marks.append(Mark(sentence.start + cue_start, sentence.start + cue_end, "people", f"{status}: {person.name}"))
                if not person.details:
                    person.details = collapse(value)[:500]
    found_people = [p for p in people.values() if p.history]
    for person in found_people:
        for span in person.spans:
            if span.end > span.start:
                marks.append(Mark(span.start, span.end, "people", f"person at risk: {person.name} ({person.status})"))
    return found_people, marks


def _person(people: dict[str, FoundPerson], name: str) -> FoundPerson | None:
    key = fold(name)
    if key in people:
        return people[key]
    for other in people.values():
        # "Luis Alberto" after "Luis Alberto Mendoza Ríos"
        if fold(other.name).startswith(key + " ") or key.startswith(fold(other.name) + " "):
            return other
        if _inflected(key, fold(other.name)):
            return other
    return None


def _inflected(a: str, b: str) -> bool:
    """The same name in another grammatical case ("Ерлана Бекмуханова" is "Ерлан Бекмуханов")."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b):
        return False
    for x, y in zip(words_a, words_b, strict=True):
        short, long = sorted((x, y), key=len)
        if len(short) < 4 or abs(len(x) - len(y)) > 2 or not long.startswith(short[:-1]):
            return False
    return True


def _distance(cue: tuple[str, int, int], start: int, end: int) -> int:
    _, cs, ce = cue
    return cs - end if cs >= end else (start - ce if ce <= start else 0)


def _date_of(
    cues: list[tuple[str, int, int]], cue: tuple[str, int, int], mentions: list[DateMention], offset: int
) -> DateMention | None:
    """The date nearest this cue, unless another cue of the sentence is nearer to it ("released on 8 March after custody")."""
    best = None
    for mention in mentions:
        nearest = min(cues, key=lambda c: abs(offset + c[1] - mention.start))
        if nearest == cue and (best is None or abs(mention.start - offset - cue[1]) < abs(best.start - offset - cue[1])):
            best = mention
    return best


def _add_history(person: FoundPerson, status: str, date: str | None, text: str) -> None:
    for entry in person.history:
        if entry["status"] == status:
            if entry["date"] is None and date:
                entry["date"], entry["text"] = date, text[:500]
            return
    person.history.append({"date": date, "status": status, "text": text[:500]})
    person.history.sort(key=lambda h: RANK[h["status"]])  # oldest first: the stages follow one another


def paragraph_spans(text: str, exclude: list[Span]) -> list[Span]:
    return [p for p in paragraphs(text) if not any(p.start < e.end and e.start < p.end for e in exclude)]

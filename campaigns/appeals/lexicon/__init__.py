"""The words appeals are written with, per language, as data: one JSON file per language in this folder.

Each file (`en.json`, `es.json`, ...) holds the cue, salutation, closing, title, status, street and
label words of one language as regular-expression fragments (matched case-blind, on word boundaries).
Adding a language is adding a file; the engine reads the union of every language, because appeals mix
them (a Spanish appeal with an English model letter), and `detect_language` says which one a text is in.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import regex

_DIR = Path(__file__).resolve().parent
_FLAGS = regex.IGNORECASE | regex.VERSION1
# Simple case folding: the files spell out the variants full folding would add ("gr[üu](?:ß|ss)e"), and full
# folding makes every case-blind scan about twice as slow.
_SIMPLE_CASE = "(?-f)"
_B = r"(?<![\p{L}\p{M}])"  # a word starts here
_E = r"(?![\p{L}\p{M}])"  # a word ends here
# Statuses from the most to the least grave: a sentence that says "arrested and sentenced" says sentenced.
STATUS_ORDER = ("killed", "missing", "sentenced", "charged", "released", "detained", "threatened")


@dataclass(frozen=True)
class Lexicon:
    languages: tuple[str, ...]
    data: dict[str, dict[str, Any]]
    call: regex.Pattern  # "send protests to", "envíen cartas a", "inviate ... all'": the recipients follow
    copy: regex.Pattern  # "send copies to", "con copia a", "cc:"
    instruction: regex.Pattern  # "write an appeal", "envíen cartas": a call's verb and noun, a heading not an address
    salutation: regex.Pattern  # at a line's start
    audience: regex.Pattern  # "friends", "compañeros": a salutation to supporters, not to a target
    closing: regex.Pattern  # at a line's start
    honorific: regex.Pattern  # at a name's start, repeated
    title_start: regex.Pattern  # a line or phrase that starts with an office ("Minister for ...")
    title_word: regex.Pattern  # an office anywhere
    object_noun: regex.Pattern  # "management", "government": a common noun that can be a target
    to_line: regex.Pattern  # "To the Ambassador ...", "An das Auswärtige Amt", "A Préfecture ..."
    to_label: regex.Pattern  # "Para:", "To:" on its own
    to_word: regex.Pattern  # a preposition heading a recipient ("all'", "to", "para")
    street: regex.Pattern
    statuses: tuple[tuple[str, regex.Pattern], ...]
    labels: dict[str, regex.Pattern]  # phone | fax | email | web | social | name | salutation
    titles: tuple[tuple[str, regex.Pattern], ...]  # (concept, pattern): "ambasciatore" and "ambassador" are one office

    def words(self, key: str, language: str | None = None) -> list[str]:
        languages = [language] if language else self.languages
        return [w for lang in languages for w in self.data.get(lang, {}).get(key, [])]

    def title_concepts(self, value: str) -> set[str]:
        return {concept for concept, pattern in self.titles if pattern.search(value)}

    def status_of(self, value: str) -> str | None:
        for status, pattern in self.statuses:
            if pattern.search(value):
                return status
        return None

    def compose(self, language: str) -> dict[str, str]:
        return cast(dict[str, str], self.data.get(language, self.data["en"]).get("compose") or self.data["en"]["compose"])


def _alt(words: list[str]) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True)) or r"(?!x)x"


@functools.cache
def lexicon() -> Lexicon:
    data = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(_DIR.glob("*.json"))}
    languages = tuple(data)

    def union(key: str) -> str:
        return _alt([w for lang in languages for w in data[lang].get(key, [])])

    calls, instructions = [], []
    for lang in languages:
        entry = data[lang]
        to = _alt(entry.get("to_words", []))
        verbs, nouns = _alt(entry.get("call_verbs", [])), _alt(entry.get("call_nouns", []))
        after_to = r"(?:(?<=['’])|" + _E + ")"
        calls.append(rf"{_B}(?:{verbs})(?:-\p{{L}}+)?{_E}(?:[ \t]+[^\s.;!?:()]+){{0,8}}?[ \t]+(?:{to}){after_to}")
        calls.append(rf"{_B}(?:{nouns})[ \t]+(?:{to}){after_to}")
        instructions.append(rf"{_B}(?:{verbs})(?:-\p{{L}}+)?{_E}(?:[ \t]+[^\s.;!?:()]+){{0,3}}?[ \t]+(?:{nouns}){_E}")
    concepts: dict[str, list[str]] = {}
    for lang in languages:
        for concept, words in data[lang].get("titles", {}).items():
            concepts.setdefault(concept, []).extend(words)
    title_words = _alt([w for words in concepts.values() for w in words])
    articles = r"(?:the|el|la|los|las|le|les|il|lo|o|os|a|as|der|die|das|den|dem|de|het)\s+"
    modifiers = r"(?:vice[\s-]|deputy\s+|acting\s+|first\s+|chief\s+|supreme\s+|general\s+)?"
    statuses = []
    for status in STATUS_ORDER:
        words = [w for lang in languages for w in data[lang].get("status", {}).get(status, [])]
        if words:
            statuses.append((status, regex.compile(_SIMPLE_CASE + rf"{_B}(?:{_alt(words)}){_E}", _FLAGS)))

    def label_words(kind: str) -> list[str]:
        return [w for lang in languages for w in data[lang].get("labels", {}).get(kind, [])]

    labels = {
        kind: regex.compile(_SIMPLE_CASE + rf"{_B}(?:{_alt(label_words(kind))}){_E}", _FLAGS)
        for kind in ("phone", "fax", "email", "web", "social", "name", "salutation")
    }
    to_words = union("to_words")
    return Lexicon(
        languages=languages,
        data=data,
        call=regex.compile(_SIMPLE_CASE + "|".join(calls), _FLAGS),
        copy=regex.compile(_SIMPLE_CASE + rf"{_B}(?:{union('copy_cues')})", _FLAGS),
        instruction=regex.compile(_SIMPLE_CASE + "|".join(instructions), _FLAGS),
        salutation=regex.compile(_SIMPLE_CASE + rf"^\s*(?:{union('salutations')}){_E}", _FLAGS),
        audience=regex.compile(_SIMPLE_CASE + rf"{_B}(?:{union('audience')}){_E}", _FLAGS),
        closing=regex.compile(_SIMPLE_CASE + rf"^\s*(?:{union('closings')}){_E}", _FLAGS),
        honorific=regex.compile(_SIMPLE_CASE + rf"^(?:(?:{union('honorifics')})(?:\s+|(?<=\.)(?=\p{{Lu}})))+", _FLAGS),
        title_start=regex.compile(_SIMPLE_CASE + rf"^(?:{articles})?{modifiers}(?:{title_words}){_E}", _FLAGS),
        title_word=regex.compile(_SIMPLE_CASE + rf"{_B}(?:{title_words}){_E}", _FLAGS),
        object_noun=regex.compile(_SIMPLE_CASE + rf"^(?:{union('object_nouns')}|{title_words}){_E}", _FLAGS),
        to_line=regex.compile(_SIMPLE_CASE + rf"^(?:{to_words})(?:\s+|(?<=['’]))(?=(?:{articles})?\p{{Lu}})", _FLAGS),
        to_label=regex.compile(_SIMPLE_CASE + rf"^(?:{union('to_labels')})\s*:\s*", _FLAGS),
        to_word=regex.compile(_SIMPLE_CASE + rf"^(?:{to_words})(?:\s+|(?<=['’]))", _FLAGS),
        street=regex.compile(_SIMPLE_CASE + rf"{_B}(?:{union('street')})(?:(?<=[./])|(?=[\s\d,.]|$))", _FLAGS),
        statuses=tuple(statuses),
        labels=labels,
        titles=tuple((c, regex.compile(_SIMPLE_CASE + rf"{_B}(?:{_alt(w)}){_E}", _FLAGS)) for c, w in concepts.items()),
    )


_WORD = regex.compile(r"[\p{L}\p{M}]+", regex.VERSION1)


@functools.cache
def _stopword_languages() -> dict[str, tuple[str, ...]]:
    """Each stop word with the languages it is a stop word of (most are one language's; "de", "a" are several)."""
    out: dict[str, list[str]] = {}
    for lang, entry in lexicon().data.items():
        for word in {w.casefold() for w in entry.get("stopwords", [])}:
            out.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in out.items()}


def detect_language(text: str) -> str:
    """The language most of the text is written in (ISO 639-1), by its commonest words; '' when unsure."""
    words = _WORD.findall(text[:20000].casefold())
    if len(words) < 5:
        return ""
    counts = dict.fromkeys(lexicon().data, 0)
    languages_of = _stopword_languages()
    for word in words:
        for lang in languages_of.get(word, ()):
            counts[lang] += 1
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] >= max(3, len(words) // 50) else ""

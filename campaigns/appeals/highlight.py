"""The appeal's text as HTML with each extracted item marked where it was found (<mark> titled with the field)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import Mark

FIELD_NAMES = {
    "targets": "target",
    "copy_to": "copy to",
    "channel": "channel",
    "people": "person at risk",
    "events": "event",
    "demands": "demand",
    "organisations": "organisation",
    "issued": "date",
    "deadline": "deadline",
    "references": "reference",
    "salutation": "salutation",
    "location": "place",
    "actions": "action",
}


def highlight(text: str, marks: list[Mark]) -> SafeString:
    """Escaped text with nested <mark> elements; a mark that would cross another's end is left out."""
    ordered = sorted(
        {(m.start, m.end, m.field, m.label) for m in marks if 0 <= m.start < m.end <= len(text)}, key=lambda m: (m[0], -m[1])
    )
    opened: list[int] = []  # ends of the marks open at this point
    out: list[str] = []
    pos = 0
    for start, end, field, label in ordered:
        while opened and opened[-1] <= start:
            out.append(escape(text[pos : opened[-1]]) + "</mark>")
            pos = opened.pop()
        if opened and end > opened[-1]:
            continue  # crosses the open mark's end
        out.append(escape(text[pos:start]))
        title = f"{FIELD_NAMES.get(field, field)}: {label}" if not label.startswith(FIELD_NAMES.get(field, field)) else label
        out.append(f'<mark class="f-{escape(field)}" title="{escape(title)}">')
        opened.append(end)
        pos = start
    while opened:
        out.append(escape(text[pos : opened[-1]]) + "</mark>")
        pos = opened.pop()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped

"""Forms of the appeal-import pages: the appeal (pasted or uploaded), then the draft as rows an organiser can edit.

The review is one main form (title, dates, place, model message, owner) and a formset per list (targets and
copy-to with their channels, demands, people, events). The advanced view keeps the whole draft as JSON, so
keys the rows do not show (organisations, references, actions ...) travel with it; the rows win over it.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .. import models as m
from ..appeals.reading import max_bytes
from ..channels import channel_normalise
from ..partial_dates import normalise_partial_date

HIDDEN = "[hidden in the source]"  # how a masked channel reads in a channels box: known to exist, value lost


class AppealForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the appeal"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "cols": 80, "placeholder": _("The appeal's text: an e-mail, a web page, a letter ...")}
        ),
    )
    file = forms.FileField(
        label=_("or upload a file"),
        required=False,
        help_text=_("Plain text (any common encoding), HTML, PDF or an e-mail saved as .eml."),
    )

    def clean(self):
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and upload.size > max_bytes():
            limit = max_bytes() / 1024 / 1024
            self.add_error(
                "file",
                _("the file is %(size).1f MB, over the limit of %(limit).1f MB.")
                % {"size": upload.size / 1024 / 1024, "limit": limit},
            )
        elif upload is None and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste an appeal's text or choose a file."))
        return data


def _partial_date(value: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return normalise_partial_date(value)
    except ValidationError as exc:
        raise ValidationError(_("Write a date as 2011-07-01, 2011-07, 2011 or --07-01 (day and month, no year).")) from exc


class ReviewForm(forms.Form):
    """The campaign itself: what a supporter reads first, and who runs it."""

    title = forms.CharField(label=_("Title"), max_length=300, widget=forms.TextInput(attrs={"size": 60}))
    slug = forms.SlugField(
        label=_("Web address (slug)"),
        max_length=90,
        allow_unicode=False,
        help_text=_("Letters, digits and hyphens; made unique when saved."),
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    country = forms.CharField(
        label=_("Country (two letters)"), required=False, max_length=2, widget=forms.TextInput(attrs={"size": 3})
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    issued = forms.CharField(label=_("Issued"), required=False, help_text=_("2011-09-06, 2011-09 or 2011."))
    deadline = forms.DateField(
        label=_("Act by"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    message_subject = forms.CharField(label=_("Subject of the model message"), required=False, max_length=300)
    message_body = forms.CharField(
        label=_("Model message"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    owner = forms.ModelChoiceField(
        queryset=m.Organisation.objects.none(), label=_("Organisation running the campaign"), empty_label=None
    )
    document = forms.CharField(
        label=_("Everything else in the draft (JSON)"),
        required=False,
        strip=False,
        help_text=_("Organisations, references, actions ...: the rows above win over the same keys here."),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "json"}),
    )
    source = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    filename = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = organisations if organisations is not None else m.Organisation.objects.none()

    def clean_country(self) -> str:
        value = self.cleaned_data["country"].strip().upper()
        if value and not (len(value) == 2 and value.isalpha()):
            raise ValidationError(_("Two letters, as GB or KZ."))
        return value

    def clean_issued(self) -> str | None:
        return _partial_date(self.cleaned_data["issued"])

    def clean_document(self) -> dict[str, Any]:
        raw = self.cleaned_data["document"]
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("This is not JSON: %(msg)s at line %(line)s, column %(column)s.")
                % {"msg": exc.msg, "line": exc.lineno, "column": exc.colno}
            ) from exc
        if not isinstance(value, dict):
            raise ValidationError(_("The draft must be one JSON object ({ ... })."))
        return value


def channels_text(channels: list[dict[str, Any]]) -> str:
    """A party's channels as the box shows them: one `kind: value` a line."""
    return "\n".join(f"{c.get('kind')}: {HIDDEN if c.get('masked') else c.get('value') or ''}" for c in channels)


class PartyForm(forms.Form):
    """A target or a copy-to recipient with its channels."""

    role = forms.ChoiceField(label=_("Role"), choices=m.Target.Role.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=m.Target.Kind.choices, initial=m.Target.Kind.ORGANISATION)
    title = forms.CharField(label=_("Office or title"), required=False, max_length=300)
    salutation = forms.CharField(label=_("Salutation"), required=False, max_length=200)
    channels = forms.CharField(
        label=_("Channels, one a line"),
        required=False,
        help_text=_("kind: value, as fax: +7 3102 768247 or email: office@example.org; kinds: %(kinds)s.")
        % {"kinds": ", ".join(m.Channel.Kind.values)},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, region: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region or None

    def clean_channels(self) -> list[dict[str, Any]]:
        out, problems = [], []
        for number, line in enumerate(self.cleaned_data["channels"].splitlines(), start=1):
            if not line.strip():
                continue
            kind, colon, value = line.partition(":")
            kind, value = kind.strip().casefold(), value.strip()
            if not colon or kind not in m.Channel.Kind.values:
                kinds = ", ".join(m.Channel.Kind.values)
                problems.append(_("line %(n)s: start with a kind and a colon (%(kinds)s).") % {"n": number, "kinds": kinds})
                continue
            if value.casefold() == HIDDEN.casefold() or not value:
                out.append({"kind": kind, "value": None, "masked": True})
                continue
            channel: dict[str, Any] = {"kind": kind, "value": value}
            try:
                channel_normalise(kind=kind, value=value, masked=False, default_region=self.region)
            except ValidationError as exc:
                if kind not in m.Channel.NUMBER_KINDS:
                    problems.append(_("line %(n)s: %(error)s") % {"n": number, "error": " ".join(exc.messages)})
                    continue
                # a number the appeal shows is kept as written; the note says why it has no E.164 yet
                channel["note"] = " ".join(exc.messages)
            out.append(channel)
        if problems:
            raise ValidationError(problems)
        return out


class DemandForm(forms.Form):
    text = forms.CharField(label=_("Demand"), widget=forms.Textarea(attrs={"rows": 2}))


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role"), required=False, max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=m.PersonStatus.choices)


class EventForm(forms.Form):
    date = forms.CharField(label=_("Date"), required=False, help_text=_("2011-07-01, 2011-07, 2011 or --07-01."))
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_date(self) -> str | None:
        return _partial_date(self.cleaned_data["date"])


class _Rows(forms.BaseFormSet):
    """Rows an organiser adds and removes; a removed row is left out, even if it is not valid."""

    def kept(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _rows(form: type[forms.Form]) -> type[_Rows]:
    return cast(type[_Rows], forms.formset_factory(form, formset=_Rows, extra=0, can_delete=True))


ROWS = {
    "parties": _rows(PartyForm),
    "demands": _rows(DemandForm),
    "people": _rows(PersonForm),
    "events": _rows(EventForm),
}


def review_initial(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The main form's and each formset's initial data from a campaign document (a draft, or empty)."""
    location = document.get("location") or {}
    message = document.get("message") or {}
    shown = {"title", "slug", "summary", "location", "issued", "deadline", "message", "targets", "copy_to", "demands"}
    shown |= {"people", "events", "text", "owner", "status"}
    rest = {k: v for k, v in document.items() if k not in shown}
    main = {
        "title": document.get("title") or "",
        "slug": document.get("slug") or "",
        "summary": document.get("summary") or "",
        "country": location.get("country") or "",
        "place": location.get("place") or "",
        "issued": document.get("issued") or "",
        "deadline": document.get("deadline") or None,
        "message_subject": message.get("subject") or "",
        "message_body": message.get("body") or "",
        "document": json.dumps(rest, ensure_ascii=False, indent=2) if rest else "",
    }
    parties = [
        {
            "role": role,
            "name": party.get("name") or "",
            "kind": party.get("kind") or m.Target.Kind.ORGANISATION,
            "title": party.get("title") or "",
            "salutation": party.get("salutation") or "",
            "channels": channels_text(party.get("channels") or []),
        }
        for role, key in ((m.Target.Role.TARGET, "targets"), (m.Target.Role.COPY_TO, "copy_to"))
        for party in document.get(key) or []
    ]
    rows = {
        "parties": parties,
        "demands": [{"text": d.get("text") or ""} for d in document.get("demands") or []],
        "people": [
            {"name": p.get("name") or "", "role": p.get("role") or "", "status": p.get("status") or "threatened"}
            for p in document.get("people") or []
        ],
        "events": [
            {"date": e.get("date") or e.get("day_month") or "", "text": e.get("text") or ""} for e in document.get("events") or []
        ],
    }
    return main, rows


def review_forms(
    data: Any = None, *, organisations=None, initial: dict[str, Any] | None = None, rows: dict[str, list] | None = None
) -> tuple[ReviewForm, dict[str, _Rows]]:
    """The review's forms, bound to `data` (a POST) or filled from `initial`/`rows`."""
    form = ReviewForm(data, organisations=organisations, initial=initial)
    region = ((data.get("country") if data is not None else (initial or {}).get("country")) or "").strip().upper()
    formsets = {
        prefix: rows_class(
            data, prefix=prefix, initial=(rows or {}).get(prefix), form_kwargs={"region": region} if prefix == "parties" else {}
        )
        for prefix, rows_class in ROWS.items()
    }
    return form, formsets


def review_document(form: ReviewForm, formsets: dict[str, _Rows], *, text: str) -> dict[str, Any]:
    """The campaign document the valid review describes: the advanced JSON, with every shown key from the rows."""
    data = form.cleaned_data
    document = dict(data["document"])
    parties = formsets["parties"].kept()

    def party(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": row["name"],
            "kind": row["kind"],
            "title": row["title"],
            "salutation": row["salutation"] or None,
            "channels": row["channels"],
        }

    document.update(
        {
            "slug": data["slug"],
            "title": data["title"],
            "summary": data["summary"],
            "text": text,
            "issued": data["issued"],
            "deadline": data["deadline"].isoformat() if data["deadline"] else None,
            "location": {"country": data["country"] or None, "place": data["place"]},
            "message": {"subject": data["message_subject"], "body": data["message_body"]},
            "targets": [party(r) for r in parties if r["role"] == m.Target.Role.TARGET],
            "copy_to": [party(r) for r in parties if r["role"] == m.Target.Role.COPY_TO],
            "demands": [{"text": r["text"], "status": "open"} for r in formsets["demands"].kept()],
            "people": [{"name": r["name"], "role": r["role"], "status": r["status"]} for r in formsets["people"].kept()],
            "events": [{"date": r["date"], "text": r["text"]} for r in formsets["events"].kept()],
        }
    )
    return document


def publish_errors(form: ReviewForm, formsets: dict[str, _Rows]) -> bool:
    """Add the errors that stop a campaign going live (a model message, a target); True when there were some."""
    found = False
    if not form.cleaned_data.get("message_body", "").strip():
        form.add_error("message_body", _("A campaign goes live with a model message: write one, or save it as a draft."))
        found = True
    if not any(r["role"] == m.Target.Role.TARGET for r in formsets["parties"].kept()):
        form.add_error(None, _("A campaign goes live with at least one target: add one, or save it as a draft."))
        found = True
    return found

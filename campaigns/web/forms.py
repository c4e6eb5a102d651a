"""Forms of the public pages and the organisers' dashboard: input checks only; writes happen in services."""

from __future__ import annotations

import uuid
from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django_countries import countries as country_names
from django_countries.fields import CountryField

from .. import models as m
from ..partial_dates import normalise_partial_date
from ..selectors.campaigns import channels_known

# A browser's date picker reads and writes ISO dates, whatever the site's display locale.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERSONAL_HELP = "Optional. Only the campaign's organisers see it; it is never published."
NUDGE = (
    "Targets filter out identical messages: change a few words, add a sentence of your own "
    "(who you are, why this matters to you). Keep it polite."
)


def _country_field(label: str) -> forms.Field:
    field = CountryField(blank=True, blank_label="(not saying)").formfield(label=label, required=False)
    assert field is not None
    return field


def _set_queryset(form: forms.Form, name: str, queryset: QuerySet) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


class Form(forms.Form):
    """Labels without a trailing colon; required fields' labels say so (site.css)."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        # Keyboard and screen-reader users land on the first field to correct.
        first = next((name for name in self.fields if name in self.errors), None)
        if first is not None:
            self.fields[first].widget.attrs["autofocus"] = True


class CampaignFilterForm(Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    country = forms.ChoiceField(label="Country", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "any")] + [c for c in m.Campaign.Status.choices if c[0] != m.Campaign.Status.DRAFT],
    )

    def __init__(self, *args, countries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "any")] + [(code, country_names.name(code)) for code in countries]
        cast(forms.ChoiceField, self.fields["country"]).choices = choices


class TargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: m.Target) -> str:
        return f"{obj.name}, {obj.title}" if obj.title else obj.name


class SupporterForm(Form):
    """Who is acting: everything optional, since some supporters cannot safely be identified."""

    name = forms.CharField(label="Your name", max_length=200, required=False, help_text=PERSONAL_HELP)
    organisation = forms.CharField(
        label="Your organisation", max_length=300, required=False, help_text="Optional, e.g. your union branch."
    )
    country = _country_field("Country you are acting from")
    email = forms.EmailField(
        label="Your email",
        required=False,
        help_text="Optional. Acting twice the same way with one email counts once. Only the campaign's organisers see it.",
    )
    consent_updates = forms.BooleanField(
        label="Email me updates about this campaign (you can unsubscribe at any time)", required=False
    )
    # A one-off id per rendered form: submitting it twice (a double click) counts once.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4().hex)

    def clean(self):
        data = super().clean() or {}
        if data.get("consent_updates") and not data.get("email"):
            self.add_error("email", "Give an email address to receive updates, or untick the box.")
        return data


class TakeActionForm(SupporterForm):
    """Write to the targets: from here by email, yourself (email app, fax, phone), or as a printed letter."""

    PATHS = ("send", "yourself", "print")
    WAYS: list[tuple[str, str]] = [
        (m.Channel.Kind.EMAIL, "Email"),
        (m.Channel.Kind.FAX, "Fax"),
        (m.Channel.Kind.POSTAL, "Letter by post"),
        (m.Channel.Kind.PHONE, "Phone call"),
    ]

    targets = TargetChoiceField(label="Who to write to", queryset=m.Target.objects.none(), widget=forms.CheckboxSelectMultiple)
    channel = forms.ChoiceField(
        label="How, if you send it yourself",
        choices=WAYS,
        widget=forms.RadioSelect,
        initial=m.Channel.Kind.EMAIL,
        help_text="“Send it from here” always goes by email.",
    )
    subject = forms.CharField(label="Subject", max_length=300, required=False)
    text = forms.CharField(label="Your message", widget=forms.Textarea(attrs={"rows": 14}), help_text=NUDGE)
    field_order = ["targets", "channel", "subject", "text", "name", "organisation", "country", "email", "consent_updates"]

    def __init__(self, *args, campaign: m.Campaign, targets, path: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.path = campaign, path
        _set_queryset(self, "targets", targets)
        if not self.is_bound:
            self.initial.setdefault("subject", campaign.message_subject)
            self.initial.setdefault("text", campaign.message_body)
            self.initial.setdefault("targets", [t.pk for t in targets])
            self.initial.setdefault("channel", _first_known_way(targets))

    def clean(self):
        data = super().clean() or {}
        if self.path not in self.PATHS:
            raise forms.ValidationError("Choose how to send it: from here, yourself, or printed.")
        targets, way = data.get("targets"), data.get("channel")
        if self.path == "yourself" and targets and way and not channels_known(targets=targets, kind=way):
            label = dict(self.WAYS)[way].lower()
            others = _first_known_way(targets, exclude=way)
            hint = f" Try {dict(self.WAYS)[others].lower()}, or print a letter." if others else " Print a letter instead."
            self.add_error("channel", f"No {label} address is known yet for {_names(targets)}.{hint}")
        return data


def _names(targets) -> str:
    return ", ".join(t.name for t in targets)


def _first_known_way(targets, exclude: str = "") -> str:
    """The first way (email, fax, post, phone) for which one of the targets has a known address."""
    known = {c.kind for t in targets for c in t.channels.all() if not c.masked}
    for way, _label in TakeActionForm.WAYS:
        if way in known and way != exclude:
            return way
    return "" if exclude else m.Channel.Kind.EMAIL


class RecordActionForm(SupporterForm):
    """Something done elsewhere: a fax, a picket, a branch motion ..."""

    kind = forms.ChoiceField(label="What did you do?", choices=m.Action.Kind.choices)
    targets = TargetChoiceField(
        label="Addressed to",
        queryset=m.Target.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave empty if it was not addressed to a target (a donation, a meeting).",
    )
    date = forms.DateField(label="When", widget=DATE_INPUT, initial=timezone.localdate)
    represents = forms.IntegerField(
        label="How many people does it speak for?",
        min_value=1,
        max_value=2_000_000_000,
        initial=1,
        help_text="1 for yourself; a branch motion speaks for its members.",
    )
    text = forms.CharField(
        label="What happened (optional)", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    field_order = ["kind", "targets", "date", "represents", "text", "name", "organisation", "country", "email"]

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "targets", targets)

    def clean_date(self):
        return _not_future(self.cleaned_data["date"], "That day has not come yet: record an action once it is done.")


def _not_future(date, message: str):
    if date > timezone.localdate():
        raise forms.ValidationError(message)
    return date


# --- Organisers -----------------------------------------------------------------------------------


class PartialDateFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", m.PARTIAL_DATE_HELP)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return normalise_partial_date(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class ResponseForm(Form):
    target = forms.ModelChoiceField(label="Target", queryset=m.Target.objects.none())
    date = forms.DateField(label="Date", widget=DATE_INPUT, initial=timezone.localdate)
    channel = forms.CharField(label="How it came", max_length=20, required=False, help_text="email, fax, letter, phone …")
    classification = forms.ChoiceField(label="Reading", choices=m.Response.Classification.choices)
    summary = forms.CharField(label="What they answered", widget=forms.Textarea(attrs={"rows": 3}))
    reading = forms.CharField(label="Organisers' reading", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, campaign: m.Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "target", m.Target.objects.filter(campaign=campaign, role=m.Target.Role.TARGET))

    def clean_date(self):
        return _not_future(self.cleaned_data["date"], "That day has not come yet.")


class DemandOutcomeForm(Form):
    demand = forms.ModelChoiceField(label="Demand", queryset=m.Demand.objects.none())
    status = forms.ChoiceField(label="Outcome", choices=m.Demand.Status.choices)
    date = PartialDateFormField(label="Date of the outcome")
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, campaign: m.Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "demand", m.Demand.objects.filter(campaign=campaign))


class PersonStatusForm(Form):
    person = forms.ModelChoiceField(label="Person", queryset=m.Person.objects.none())
    status = forms.ChoiceField(label="New status", choices=m.PersonStatus.choices)
    date = PartialDateFormField(label="Since")
    text = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, campaign: m.Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "person", m.Person.objects.filter(campaign=campaign))


class AddressForm(Form):
    target = forms.ModelChoiceField(label="Target or copy-to recipient", queryset=m.Target.objects.none())
    kind = forms.ChoiceField(label="Kind", choices=m.Channel.Kind.choices)
    value = forms.CharField(
        label="Address or number",
        max_length=500,
        help_text="As written; fills in an “address not yet known” of that kind, or adds one.",
    )
    label = forms.CharField(label="Label", max_length=100, required=False, help_text="Optional, e.g. “press office”.")

    def __init__(self, *args, campaign: m.Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "target", m.Target.objects.filter(campaign=campaign))


class UpdateForm(Form):
    title = forms.CharField(label="Title", max_length=300)
    date = forms.DateField(label="Date", widget=DATE_INPUT, initial=timezone.localdate)
    text = forms.CharField(label="Text", widget=forms.Textarea(attrs={"rows": 4}), required=False)

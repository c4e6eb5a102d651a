"""Forms of the public pages and the organisers' dashboard: input checks only; writes happen in services."""

from __future__ import annotations

import time
import uuid
from typing import cast

from django import forms
from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names
from django_countries.fields import CountryField

from .. import models as m
from ..partial_dates import normalise_partial_date
from ..rules import CONSENT_NEEDS_EMAIL, FUTURE_ACTION, FUTURE_RESPONSE, consent_is_possible, date_is_future
from ..selectors.campaigns import LetterVersions, channels_known
from ..selectors.ways import WAYS, Way, names_list, way_for

# A browser's date picker reads and writes ISO dates, whatever the site's display locale.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERSONAL_HELP = _("Optional. Only the campaign's organisers see it; it is never published.")
NUDGE = _(
    "Targets filter out identical messages: change a few words, add a sentence of your own "
    "(who you are, why this matters to you). Keep it polite."
)


STARTED_SALT = "campaigns.web.forms.started"


def _country_field(label: str | Promise) -> forms.Field:
    # django-countries types blank_label as str; a lazy one is read when the form renders, in its language.
    field = CountryField(blank=True, blank_label=_("(not saying)")).formfield(label=label, required=False)  # type: ignore[call-overload]
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
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("any"))] + [c for c in m.Campaign.Status.choices if c[0] != m.Campaign.Status.DRAFT],
    )

    def __init__(self, *args, countries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("any"))] + [(code, country_names.name(code)) for code in countries]
        cast(forms.ChoiceField, self.fields["country"]).choices = choices


class TargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: m.Target) -> str:
        return f"{obj.name}, {obj.title}" if obj.title else obj.name


class SupporterForm(Form):
    """Who is acting: everything optional, since some supporters cannot safely be identified."""

    name = forms.CharField(label=_("Your name"), max_length=200, required=False, help_text=PERSONAL_HELP)
    organisation = forms.CharField(
        label=_("Your organisation"), max_length=300, required=False, help_text=_("Optional, e.g. your union branch.")
    )
    country = _country_field(_("Country you are acting from"))
    email = forms.EmailField(
        label=_("Your email"),
        required=False,
        help_text=_("Optional. Acting twice the same way with one email counts once. Only the campaign's organisers see it."),
    )
    consent_updates = forms.BooleanField(
        label=_("Email me updates about this campaign (we email you a link to confirm; unsubscribe at any time)"),
        required=False,
    )
    text_public = forms.BooleanField(
        label=_("Publish my message with the campaign (without my name or e-mail)"),
        required=False,
        help_text=_("Unticked, only the campaign's organisers read what you wrote."),
    )
    # A one-off id per rendered form: submitting it twice (a double click) counts once.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    # Bot defences: a field people never see (bots fill it), and when the form was shown, signed.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4().hex)
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def clean(self):
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("This looks automated, so it was not recorded."))
        minimum = settings.FORM_MIN_FILL_SECONDS
        if minimum:
            try:
                started = float(signing.loads(data.get("started") or "", salt=STARTED_SALT, max_age=2 * 86400))
            except (signing.BadSignature, TypeError, ValueError):
                raise forms.ValidationError(_("This form has expired: reload the page and send it again.")) from None
            if time.time() - started < minimum:
                raise forms.ValidationError(_("That was very quick: check what you wrote, then send it again."))
        if not consent_is_possible(consent_updates=bool(data.get("consent_updates")), email=data.get("email") or ""):
            self.add_error("email", CONSENT_NEEDS_EMAIL)
        return data


class TakeActionForm(SupporterForm):
    """Act on the campaign page: the targets, the message, who you are; the button pressed says which way.

    The ways come from `selectors.ways`: only those that can work for the chosen targets are offered,
    and a way posted that cannot (a tampered form, targets unticked) is an error beside the targets.
    """

    targets = TargetChoiceField(label=_("Who to write to"), queryset=m.Target.objects.none(), widget=forms.CheckboxSelectMultiple)
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    text = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 8}), help_text=NUDGE)
    note = forms.CharField(
        label=_("A note of your own (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Added below the letter, as you write it, in any language."),
    )
    # The referral code of the link the supporter came by (?src=), counted per source for organisers.
    src = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    field_order = ["targets", "subject", "text", "note", "name", "organisation", "country", "email", "consent_updates"]

    def __init__(self, *args, campaign: m.Campaign, targets, source: str = "", letter: LetterVersions | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.letter = letter
        _set_queryset(self, "targets", targets)
        self.way: Way | None = None
        if letter is not None:
            # The message is the one the targets read: the supporter reads their own language beside it.
            for name in ("subject", "text"):
                self.fields[name].widget.attrs["lang"] = letter.language
        if not self.is_bound:
            self.initial.setdefault("subject", letter.subject if letter else campaign.message_subject)
            self.initial.setdefault("text", letter.body if letter else campaign.message_body)
            self.initial.setdefault("targets", [t.pk for t in targets])
            self.initial.setdefault("src", source)

    def clean(self):
        data = super().clean() or {}
        key = self.data.get("way", "")
        targets = data.get("targets")
        if key not in WAYS:
            raise forms.ValidationError(_("Choose how to send it with one of the buttons below."))
        if targets:
            self.way = way_for(targets=targets, key=key)
            if self.way is None:
                self.add_error("targets", _way_unknown(key, targets))
        return data


def _way_unknown(key: str, targets) -> str:
    names = names_list([t.name for t in targets])
    if key == "fax" and channels_known(targets=targets, kind=m.Channel.Kind.FAX):
        return str(_("This site cannot send faxes yet: print the letter and fax it yourself."))
    # Whole sentences, not a noun slotted into one: other languages make the words around it agree.
    unknown = {
        "email": _("No e-mail address is known yet for %(names)s: choose another way, or print a letter."),
        "mail-app": _("No e-mail address is known yet for %(names)s: choose another way, or print a letter."),
        "fax": _("No fax number is known yet for %(names)s: choose another way, or print a letter."),
        "call": _("No phone number is known yet for %(names)s: choose another way, or print a letter."),
    }
    return unknown.get(key, _("No address is known yet for %(names)s: choose another way, or print a letter.")) % {"names": names}


class RecordActionForm(SupporterForm):
    """Something done elsewhere: a fax, a picket, a branch motion ..."""

    kind = forms.ChoiceField(label=_("What did you do?"), choices=m.Action.Kind.choices)
    targets = TargetChoiceField(
        label=_("Addressed to"),
        queryset=m.Target.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty if it was not addressed to a target (a donation, a meeting)."),
    )
    date = forms.DateField(label=_("When"), widget=DATE_INPUT, initial=timezone.localdate)
    text = forms.CharField(
        label=_("What happened (optional)"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    field_order = ["kind", "targets", "date", "text", "name", "organisation", "country", "email"]

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "targets", targets)

    def clean_date(self):
        return _not_future(self.cleaned_data["date"], str(FUTURE_ACTION))


def _not_future(date, message: str):
    if date_is_future(date):
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
    target = forms.ModelChoiceField(label=_("Target"), queryset=m.Target.objects.none())
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)
    channel = forms.CharField(label=_("How it came"), max_length=20, required=False, help_text=_("email, fax, letter, phone …"))
    classification = forms.ChoiceField(label=_("Reading"), choices=m.Response.Classification.choices)
    summary = forms.CharField(label=_("What they answered"), widget=forms.Textarea(attrs={"rows": 3}))
    reading = forms.CharField(label=_("Organisers' reading"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, campaign: m.Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "target", m.Target.objects.filter(campaign=campaign, role=m.Target.Role.TARGET))

    def clean_date(self):
        return _not_future(self.cleaned_data["date"], str(FUTURE_RESPONSE))


class DemandOutcomeForm(Form):
    demand = forms.ModelChoiceField(label=_("Demand"), queryset=m.Demand.objects.none())
    status = forms.ChoiceField(label=_("Outcome"), choices=m.Demand.Status.choices)
    date = PartialDateFormField(label=_("Date of the outcome"))
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, campaign: m.Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "demand", m.Demand.objects.filter(campaign=campaign))


class PersonStatusForm(Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=m.Person.objects.none())
    status = forms.ChoiceField(label=_("New status"), choices=m.PersonStatus.choices)
    date = PartialDateFormField(label=_("Since"))
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, campaign: m.Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "person", m.Person.objects.filter(campaign=campaign))


class AddressForm(Form):
    target = forms.ModelChoiceField(label=_("Target or copy-to recipient"), queryset=m.Target.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=m.Channel.Kind.choices)
    value = forms.CharField(
        label=_("Address or number"),
        max_length=500,
        help_text=_("As written; fills in an “address not yet known” of that kind, or adds one."),
    )
    label = forms.CharField(label=_("Label"), max_length=100, required=False, help_text=_("Optional, e.g. “press office”."))

    def __init__(self, *args, campaign: m.Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _set_queryset(self, "target", m.Target.objects.filter(campaign=campaign))


class UpdateForm(Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT, initial=timezone.localdate)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

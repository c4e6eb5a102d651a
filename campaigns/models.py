"""The campaigns domain: appeals (campaigns) and the actions, deliveries and responses that answer them."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from parler.fields import TranslatedField
from parler.models import TranslatableModel, TranslatedFields

from .channels import channel_normalise
from .kinds import NUMBER_KINDS, ActionKind, ChannelKind
from .languages import CONTENT_LANGUAGES, DEFAULT
from .partial_dates import validate_partial_date

PARTIAL_DATE_HELP = _("YYYY, YYYY-MM, YYYY-MM-DD, or --MM-DD when the year is unknown.")


def embed_origins_list(value: str) -> list[str]:
    """The origins a campaign's form may be framed by, one per line: `https://union.example`."""
    return [line.strip().rstrip("/") for line in value.splitlines() if line.strip()]


def validate_embed_origins(value: str) -> None:
    from urllib.parse import urlsplit

    for origin in embed_origins_list(value):
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or ";" in origin:
            raise ValidationError(
                _("%(origin)s is not an origin: write it as https://union.example (no path).") % {"origin": repr(origin)}
            )


class PartialDateField(models.CharField):
    """A partial ISO 8601 date kept as its canonical text (`2011`, `2011-07`, `2011-07-01`, `--07-01`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("help_text", PARTIAL_DATE_HELP)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_partial_date)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        for key, default in (("max_length", 10), ("blank", True), ("help_text", PARTIAL_DATE_HELP)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, "campaigns.models.PartialDateField", args, kwargs


class Organisation(models.Model):
    class Kind(models.TextChoices):
        UNION = "union", _("Union")
        FEDERATION = "federation", _("Federation")
        MOVEMENT = "movement", _("Movement")
        NGO = "ngo", _("Ngo")
        COMPANY = "company", _("Company")
        AUTHORITY = "authority", _("Authority")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=300, unique=True)
    short_name = models.CharField(max_length=50, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(blank=True)
    aliases = models.JSONField(default=list, blank=True, help_text=_("Other spellings, e.g. as a letter wrote it."))
    website = models.URLField(blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class Membership(models.Model):
    """An organiser belongs to an organisation; permissions are scoped by it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"


def language_field(verbose_name: str, *, blank: bool = False, help_text: str = "") -> models.CharField:
    return models.CharField(
        verbose_name,
        max_length=15,
        choices=CONTENT_LANGUAGES,
        blank=blank,
        default="" if blank else DEFAULT,
        help_text=help_text,
    )


class OriginalLanguageFallback:
    """A translated field missing in the current language reads in the object's original language.

    parler falls back to one site-wide language (settings.PARLER_LANGUAGES); a campaign's fallback is its own
    original, which may be any language. Only reads fall back; writes go to the current language.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # A new object's texts (title=..., text=...) are written in its original language, not in whatever language
        # the request happens to be in. Rows read from the database come positionally and are left alone.
        if kwargs and not args and "_current_language" not in kwargs:
            kwargs["_current_language"] = self.original_language_of(kwargs)
        super().__init__(*args, **kwargs)

    @classmethod
    def original_language_of(cls, kwargs: dict) -> str:
        raise NotImplementedError

    def original_language(self) -> str:
        raise NotImplementedError

    def field_language(self, name: str) -> str:
        """The language a translated field reads in now: the current one where its translation says it, else the original."""
        current = self.get_current_language()  # type: ignore[attr-defined]
        try:
            if getattr(self.get_translation(current), name):  # type: ignore[attr-defined]
                return current
        except ObjectDoesNotExist:
            pass
        return self.original_language()

    def _get_translated_model(self, language_code=None, use_fallback=False, auto_create=False, meta=None):
        parent = super()._get_translated_model  # type: ignore[misc]
        if not use_fallback or auto_create:
            return parent(language_code, use_fallback, auto_create, meta)
        try:
            return parent(language_code, False, False, meta)
        except ObjectDoesNotExist:
            original = self.original_language()
            if original and original != (language_code or self._current_language):  # type: ignore[attr-defined]
                try:
                    return parent(original, False, False, meta)
                except ObjectDoesNotExist:
                    pass
            return parent(language_code, True, False, meta)


class BlankReadsOriginal:
    """A text a translation leaves blank reads as the original's (a translation may translate only the title)."""

    def __init__(self, descriptor):
        self.descriptor = descriptor

    def __get__(self, instance, owner=None):
        if instance is None:
            return self.descriptor  # what parler and the admin look for on the class
        value = self.descriptor.__get__(instance, owner)
        if value == "" and instance.get_current_language() != instance.original_language():
            try:
                return getattr(instance.get_translation(instance.original_language()), self.descriptor.field.name)
            except ObjectDoesNotExist:
                return value
        return value

    def __set__(self, instance, value):
        self.descriptor.__set__(instance, value)


def _blank_reads_original(model, *names: str) -> None:
    for name in names:
        setattr(model, name, BlankReadsOriginal(model.__dict__[name]))


class Campaign(OriginalLanguageFallback, TranslatableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        WON = "won", _("Won")
        PARTLY_WON = "partly_won", _("partly won")
        LOST = "lost", _("Lost")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(max_length=100, unique=True)
    language = language_field("original language", help_text="The language the campaign was written in; others are translations.")
    translations = TranslatedFields(
        title=models.CharField(max_length=300),
        summary=models.TextField(blank=True),
        message_subject=models.CharField("model message subject", max_length=300, blank=True),
        message_body=models.TextField("model message", blank=True),
        call_to_action=models.TextField(blank=True, help_text="What the campaign asks supporters to do, in a sentence or two."),
        meta={"verbose_name": "campaign translation"},
    )
    # A field missing in the reader's language reads in the original, and never raises.
    title = TranslatedField(any_language=True)
    summary = TranslatedField(any_language=True)
    message_subject = TranslatedField(any_language=True)
    message_body = TranslatedField(any_language=True)
    call_to_action = TranslatedField(any_language=True)
    text = models.TextField("full text of the appeal", blank=True, help_text="As the appeal was written, in its own language.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    country = CountryField(blank=True, db_index=True)
    place = models.CharField(max_length=300, blank=True)
    sector = models.CharField(max_length=100, blank=True)
    issued = PartialDateField()
    deadline = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_campaigns",
        help_text=_("The organisation whose organisers run this campaign."),
    )
    organisations = models.ManyToManyField(Organisation, through="CampaignOrganisation", related_name="campaigns")
    goal = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text=_("How many actions the organisers aim for.")
    )
    embed_origins = models.TextField(
        blank=True,
        validators=[validate_embed_origins],
        help_text=_("Sites allowed to embed the action form, one origin per line, e.g. https://union.example."),
    )
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="campaign_slug_not_empty"),
            models.CheckConstraint(condition=Q(goal__isnull=True) | Q(goal__gte=1), name="campaign_goal_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def original_language(self) -> str:
        return self.language

    @classmethod
    def original_language_of(cls, kwargs: dict) -> str:
        return kwargs.get("language") or DEFAULT

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_past_deadline(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()


_blank_reads_original(Campaign, "title", "summary", "message_subject", "message_body", "call_to_action")
CampaignTranslation = Campaign._parler_meta.root_model  # the campaign in one language: title, summary, message ...


class CampaignStatusChange(models.Model):
    """The campaign's status over time (published, won, lost ...): written by campaign_status_set only."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=20, choices=Campaign.Status.choices)
    previous = models.CharField(max_length=20, choices=Campaign.Status.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    recorded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded", "id"]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.previous or 'new'} → {self.status}"


class CampaignOrganisation(models.Model):
    class Role(models.TextChoices):
        ISSUER = "issuer", _("Issuer")
        PUBLISHER = "publisher", _("Publisher")
        SUPPORTER = "supporter", _("Supporter")
        SIGNATORY = "signatory", _("Signatory")
        EMPLOYER = "employer", _("Employer")
        AUTHORITY = "authority", _("Authority")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="campaign_organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="campaign_roles")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SUPPORTER)
    contact = models.CharField(max_length=200, blank=True, help_text=_("A named person, e.g. the appeal's author."))
    contact_role = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organisation", "role"], name="campaign_organisation_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.role})"


class Target(models.Model):
    """Someone the campaign addresses: a target of protests, or a recipient of copies."""

    class Role(models.TextChoices):
        TARGET = "target", _("Target")
        COPY_TO = "copy_to", _("copy to")

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        GOVERNMENT = "government", _("Government")
        OFFICIAL = "official", _("Official")
        EMBASSY = "embassy", _("Embassy")
        UNION = "union", _("Union")
        ORGANISATION = "organisation", _("Organisation")
        OTHER = "other", _("Other")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.TARGET)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=300, blank=True, help_text=_("Position, e.g. President of the Republic."))
    salutation = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    language = language_field(
        "language", blank=True, help_text="The language the target reads; letters go in it when the campaign has one."
    )
    note = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-role", "position", "id"]  # "target" before "copy_to"
        constraints = [models.UniqueConstraint(fields=["campaign", "role", "name"], name="target_unique_name_per_role")]

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    Kind = ChannelKind  # the kinds, and what each means, are in campaigns/kinds.py
    NUMBER_KINDS = NUMBER_KINDS

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.TextField(blank=True, help_text=_("As written in the source."))
    e164 = models.CharField("E.164", max_length=16, blank=True, help_text=_("Phone and fax numbers, normalised."))
    masked = models.BooleanField(
        default=False, help_text=_("Known to exist, but its value was lost (e.g. hidden by a web page).")
    )
    label = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(masked=True) & Q(value="")) | (Q(masked=False) & ~Q(value="")),
                name="channel_value_xor_masked",
            ),
            models.CheckConstraint(
                condition=Q(e164="") | Q(kind__in=list(NUMBER_KINDS), e164__startswith="+"),
                name="channel_e164_only_for_numbers",
            ),
            models.CheckConstraint(
                condition=Q(masked=True) | ~Q(kind__in=list(NUMBER_KINDS)) | ~Q(e164=""),
                name="channel_number_has_e164",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {'address not yet known' if self.masked else self.value}"

    def clean(self) -> None:
        # Forms and the admin: normalise the number, refuse what cannot be read.
        region = str(self.target.country) if self.target_id and self.target.country else None
        self.value, self.e164 = channel_normalise(kind=self.kind, value=self.value, masked=self.masked, default_region=region)


class Demand(OriginalLanguageFallback, TranslatableModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        PARTLY_MET = "partly_met", _("partly met")
        REJECTED = "rejected", _("Rejected")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="demands")
    translations = TranslatedFields(text=models.TextField(), meta={"verbose_name": "demand translation"})
    text = TranslatedField(any_language=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    date = PartialDateField("outcome date")
    evidence = models.TextField(blank=True, help_text=_("What shows the outcome: a source, a quote."))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def original_language(self) -> str:
        return self.campaign.language

    @classmethod
    def original_language_of(cls, kwargs: dict) -> str:
        campaign = kwargs.get("campaign")
        return campaign.language if campaign is not None else DEFAULT


_blank_reads_original(Demand, "text")
DemandTranslation = Demand._parler_meta.root_model


class PersonStatus(models.TextChoices):
    THREATENED = "threatened", _("Threatened")
    DETAINED = "detained", _("Detained")
    CHARGED = "charged", _("Charged")
    SENTENCED = "sentenced", _("Sentenced")
    RELEASED = "released", _("Released")
    KILLED = "killed", _("Killed")
    MISSING = "missing", _("Missing")


class Person(models.Model):
    """A person at risk named by the campaign; `status` is the latest entry of their history."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=300, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=PersonStatus.choices, default=PersonStatus.THREATENED)
    details = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = _("people at risk")
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="person_unique_per_campaign")]

    def __str__(self) -> str:
        return self.name


class PersonStatusChange(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=20, choices=PersonStatus.choices)
    date = PartialDateField()
    text = models.TextField(blank=True)
    recorded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded", "id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.status} {self.date}".strip()


class Event(models.Model):
    """Something that happened, as the appeal tells it; the date may be partial or unknown."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    date = PartialDateField()
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.date or 'undated'}: {self.text[:60]}"


class Update(models.Model):
    """News an organiser posts over the campaign's life."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-created"]

    def __str__(self) -> str:
        return self.title


class Source(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    file = models.CharField(max_length=300, blank=True, help_text=_("Path of the original document in this repository."))
    url = models.URLField(max_length=1000, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Supporter(models.Model):
    """Someone who acted. Personal data: shown only to organisers of the campaign's organisation."""

    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    organisation = models.CharField(max_length=300, blank=True)
    country = CountryField(blank=True)
    language = language_field("language", blank=True, help_text="The language they act in: news and reminders are sent in it.")
    consent_updates = models.BooleanField(default=False)
    consented_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_updates=False) | (~Q(email="") & Q(consented_at__isnull=False)),
                name="supporter_consent_needs_email_and_time",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email or f"anonymous supporter #{self.pk}"


class Action(models.Model):
    """Something done in answer to a campaign, by a supporter (maybe anonymous) or by organisations."""

    Kind = ActionKind  # see campaigns/kinds.py

    class Outcome(models.TextChoices):
        """How a phone call went, as the caller tells it."""

        ANSWERED = "answered", _("someone answered")
        VOICEMAIL = "voicemail", _("left a voicemail")
        NO_ANSWER = "no_answer", _("no answer")
        REFUSED = "refused", _("they refused to listen")

    class Via(models.TextChoices):
        RECORDED = "recorded", _("recorded by the supporter")
        PLATFORM = "platform", _("sent by the platform")
        IMPORTED = "imported", _("imported from a document")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    supporter = models.ForeignKey(Supporter, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="actions")
    targets = models.ManyToManyField(Target, blank=True, related_name="actions")
    channel = models.ForeignKey(Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    date = models.DateField(default=timezone.localdate)
    reference = models.CharField(max_length=100, blank=True)
    salutation = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    text_public = models.BooleanField(
        default=False, help_text=_("The supporter chose to publish their words (organisations' letters are always public).")
    )
    represents = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text=_("How many people it speaks for.")
    )
    copies_sent = models.BooleanField(default=False)
    country = CountryField(blank=True, help_text=_("Where the action was taken from."))
    language = language_field("language", blank=True, help_text=_("The language the supporter acted in."))  # type: ignore[arg-type]
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.RECORDED)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, help_text=_("For a call: how it went."))
    source = models.CharField(
        max_length=32, blank=True, help_text=_("The referral code (?src=) of the link the supporter came by.")
    )
    origin_system = models.CharField(
        max_length=200, blank=True, help_text=_("The system that recorded it, as an API client (OSDI `origin_system`) says.")
    )
    dedupe_key = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Same supporter, target and way: counted once."),
    )
    created = models.DateTimeField(default=timezone.now, db_index=True)

    # Not a column: action_record sets it to True when it found this action already recorded.
    repeat: bool = False

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(represents__gte=1), name="action_represents_positive"),
            models.UniqueConstraint(fields=["campaign", "dedupe_key"], name="action_dedupe_unique"),
            models.CheckConstraint(condition=Q(outcome="") | Q(kind="call"), name="action_outcome_only_for_calls"),
        ]
        # The dashboard's latest actions of one campaign, without sorting all of them.
        indexes = [models.Index(fields=["campaign", "-created", "-id"], name="action_campaign_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date}"


class Signatory(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return self.name


class ExternalIdentifier(models.Model):
    """An identifier another system gave a supporter or an action (OSDI `identifiers`, e.g. `crm:123`), kept so
    that system finds its records here again (`filter=identifier eq 'crm:123'`)."""

    value = models.CharField(max_length=200)
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, null=True, blank=True, related_name="external_identifiers")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="external_identifiers")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(supporter__isnull=False, action__isnull=True) | Q(supporter__isnull=True, action__isnull=False),
                name="external_identifier_of_one_thing",
            ),
            models.UniqueConstraint(fields=["value", "supporter"], name="external_identifier_supporter_once"),
            models.UniqueConstraint(fields=["value", "action"], name="external_identifier_action_once"),
        ]
        indexes = [models.Index(fields=["value"], name="external_identifier_value")]

    def __str__(self) -> str:
        return self.value


class Delivery(models.Model):
    """One outbound message the platform sends, with its state; rows are the outbox the worker drains."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        EMAIL = "email", _("e-mail")
        FAX = "fax", _("fax (through the e-mail-to-fax gateway)")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EMAIL)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries")
    channel = models.ForeignKey(Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries")
    purpose = models.CharField(max_length=30, default="action", help_text=_("action, notification, reminder, digest ..."))
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    not_before = models.DateTimeField(default=timezone.now, help_text=_("Throttling: not sent before this time."))
    recipient = models.CharField(
        max_length=254, blank=True, editable=False, help_text=_("The first address in To, lower-cased: what throttling counts.")
    )
    claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the last attempt began; a row sending for longer than the lease is queued again."),
    )
    headers = models.JSONField(default=dict, blank=True, help_text=_("Extra headers, e.g. List-Unsubscribe."))
    letter = models.JSONField(
        default=dict, blank=True, help_text=_("For a fax: what its letter (PDF) is made from when it is sent.")
    )
    message_id = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Scheduled mail (reminders, notifications): one row per key, so a re-run sends nothing twice."),
    )
    created = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["state", "not_before"], name="delivery_state_due"),
            models.Index(fields=["recipient", "not_before"], name="delivery_recipient_due"),
            # The throttle's check at claim time: the last few claims to one address, newest first.
            models.Index(fields=["recipient", "claimed_at"], name="delivery_recipient_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.state})"


class DeliverySlot(models.Model):
    """When the next message to one address may go: each new one takes this time and moves it on.

    Scheduling is one upsert of this row, however many messages are already queued for the address.
    """

    recipient = models.CharField(max_length=254, unique=True)
    next_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.recipient}: next at {self.next_at:%Y-%m-%d %H:%M:%S}"


class Response(models.Model):
    """What a target answered, and the organisers' reading of it."""

    class Classification(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        REFUSED = "refused", _("Refused")
        CONCEDED = "conceded", _("Conceded")
        NO_ANSWER = "no_answer", _("no answer")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="responses")
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses")
    date = models.DateField(default=timezone.localdate)
    channel = models.CharField(max_length=20, blank=True, help_text=_("email, fax, letter, phone, ..."))
    classification = models.CharField(max_length=20, choices=Classification.choices)
    summary = models.TextField()
    reading = models.TextField("organisers' reading", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.target}: {self.classification} ({self.date})"


TALLY_SHARDS = 8


class ActionTally(models.Model):
    """Pre-computed totals of a campaign's actions, so pages never count the actions themselves.

    One row per (dimension, key) — the whole campaign, a kind, a channel kind, a country, a day or a
    target — spread over a few shards: concurrent actions increment different rows instead of
    queueing behind one hot counter. Reads sum the shards. `rebuild_tallies` recomputes them.
    """

    class Dimension(models.TextChoices):
        ALL = "all"
        KIND = "kind"
        CHANNEL = "channel"
        COUNTRY = "country"
        DAY = "day"
        TARGET = "target"
        SOURCE = "source"

    SHARDS = TALLY_SHARDS

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.CharField(
        max_length=32, blank=True, help_text="The kind, channel kind, country code, ISO day, target id or referral code."
    )
    shard = models.PositiveSmallIntegerField(default=0)
    actions = models.BigIntegerField(default=0)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "dimension", "key", "shard"], name="action_tally_unique"),
            models.CheckConstraint(condition=Q(shard__lt=TALLY_SHARDS), name="action_tally_shard_range"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.dimension}={self.key}#{self.shard}: {self.actions}"


class IdempotencyKey(models.Model):
    """A POST the API has answered, by the client's Idempotency-Key: a retry gets the same answer, not a second write."""

    scope = models.CharField(max_length=40, help_text="Whose key: 'user:<id>', or 'anonymous'.")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and JSON body.")
    # Empty only inside the transaction that claims the key; filled before it commits.
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_unique_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} → {self.status_code}"


class RateCounter(models.Model):
    """Hits in one fixed window, per bucket (an address or a campaign): the abuse limits on the embedded
    default, where there is no Redis. One row per bucket and window, incremented by a conditional UPDATE."""

    bucket = models.CharField(max_length=200)
    window = models.BigIntegerField(help_text="The window's start, in seconds since the epoch.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bucket", "window"], name="rate_counter_unique")]

    def __str__(self) -> str:
        return f"{self.bucket}@{self.window}: {self.hits}"

"""What the API reads and writes, field by field; the field names are part of /api/v1/ and do not change."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import models as m
from ..languages import language_normalise
from ..partial_dates import normalise_partial_date
from ..permissions import action_refusals, action_text_public
from ..rules import CONSENT_NEEDS_EMAIL, consent_is_possible

MAX_INT = 2**31 - 1  # PostgreSQL's integer: the most `represents` can hold
COUNTRY_CHOICES = list(countries)


def _country(value) -> str | None:
    return str(value) or None


class CountryCodeField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code; null when unknown."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_blank", True)
        super().__init__(choices=COUNTRY_CHOICES, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.strip().upper()
        return super().to_internal_value(data)

    def to_representation(self, value):
        return _country(value)


class LanguageCodeField(serializers.CharField):
    """A language code Django knows (es, ru, pt-br ...), normalised; blank when not given."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        given = super().to_internal_value(data).strip()
        code = language_normalise(given)
        if given and not code:
            raise serializers.ValidationError(_("%(code)s is not a language code (e.g. en, ru, es).") % {"code": repr(given)})
        return code


class SafeSlugRelatedField(serializers.SlugRelatedField):
    """A SlugRelatedField that refuses NUL characters before they reach the database (which cannot compare them)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


# ---------------------------------------------------------------------------------------------------
# The campaign document (docs/campaign-document.md), as the detail view returns it. These describe
# the output of campaigns.selectors.documents.campaign_document for the schema; they do not build it.


class DocChannel(serializers.Serializer):
    kind = serializers.ChoiceField(choices=m.Channel.Kind.choices)
    value = serializers.CharField(allow_null=True, help_text="As written in the source; null when masked.")
    e164 = serializers.CharField(allow_null=True, help_text="Phone and fax numbers, normalised.")
    masked = serializers.BooleanField(help_text="Known to exist, but its value was lost: never invent one.")
    label = serializers.CharField()
    note = serializers.CharField(required=False, help_text="In appeal import's drafts: why a number has no E.164 yet.")


class DocTarget(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=m.Target.Kind.choices)
    title = serializers.CharField()
    salutation = serializers.CharField(allow_null=True)
    country = serializers.CharField(allow_null=True)
    language = serializers.CharField(allow_null=True, help_text="The language the target reads (e.g. ru); letters go in it.")
    note = serializers.CharField()
    channels = DocChannel(many=True)


class DocOrganisation(serializers.Serializer):
    name = serializers.CharField()
    short_name = serializers.CharField()
    role = serializers.ChoiceField(choices=m.CampaignOrganisation.Role.choices)
    country = serializers.CharField(allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField())
    contact = serializers.CharField()
    contact_role = serializers.CharField()
    note = serializers.CharField()


class DocDemand(serializers.Serializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=m.Demand.Status.choices)
    date = serializers.CharField(allow_null=True, help_text="Partial date of the outcome.")
    evidence = serializers.CharField()


class DocHistory(serializers.Serializer):
    date = serializers.CharField(allow_null=True, help_text="Partial date.")
    status = serializers.ChoiceField(choices=m.PersonStatus.choices)
    text = serializers.CharField()


class DocPerson(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=m.PersonStatus.choices)
    details = serializers.CharField()
    history = DocHistory(many=True)


class DocEvent(serializers.Serializer):
    date = serializers.CharField(allow_null=True, help_text="Partial date, or null when undated.")
    text = serializers.CharField()


class DocUpdate(serializers.Serializer):
    date = serializers.DateField()
    title = serializers.CharField()
    text = serializers.CharField()


class DocActionChannel(serializers.Serializer):
    kind = serializers.ChoiceField(choices=m.Channel.Kind.choices)
    value = serializers.CharField()


class SignatorySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    organisation = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class SupporterSerializer(serializers.Serializer):
    """A supporter's details: accepted from anyone, shown only to the campaign's organisers."""

    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    # No `default=""`: an empty string is no e-mail address, and an OpenAPI validator rightly refuses it as a
    # default for `format: email`. Absent means none; validate() fills it in.
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    organisation = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    country = CountryCodeField(required=False, default="", allow_null=True)
    language = LanguageCodeField(required=False, help_text="The language they read: news and reminders are sent in it.")
    consent_updates = serializers.BooleanField(required=False, default=False, help_text="May we email them updates?")

    def validate(self, attrs):
        attrs["email"] = attrs.get("email") or ""
        attrs["country"] = attrs.get("country") or ""
        if not consent_is_possible(consent_updates=attrs["consent_updates"], email=attrs["email"]):
            raise serializers.ValidationError({"consent_updates": [CONSENT_NEEDS_EMAIL]})
        return attrs


class DocAction(serializers.Serializer):
    kind = serializers.ChoiceField(choices=m.Action.Kind.choices)
    by = serializers.CharField()
    organisations = serializers.ListField(child=serializers.CharField())
    targets = serializers.ListField(child=serializers.CharField(), help_text="Names of this campaign's targets.")
    channel = DocActionChannel(allow_null=True)
    date = serializers.DateField()
    reference = serializers.CharField()
    salutation = serializers.CharField()
    subject = serializers.CharField()
    text = serializers.CharField()
    represents = serializers.IntegerField(min_value=1)
    copies_sent = serializers.BooleanField()
    country = serializers.CharField(allow_null=True)
    language = serializers.CharField(required=False, allow_null=True, help_text="The language the supporter acted in.")
    signatories = SignatorySerializer(many=True)
    text_public = serializers.BooleanField(
        required=False, help_text="The supporter chose to publish their words; only for the campaign's organisers."
    )
    supporter = SupporterSerializer(required=False, help_text="Only for the campaign's organisers.")


class DocResponse(serializers.Serializer):
    target = serializers.CharField()
    date = serializers.DateField()
    channel = serializers.CharField()
    classification = serializers.ChoiceField(choices=m.Response.Classification.choices)
    summary = serializers.CharField()
    reading = serializers.CharField()


class DocSource(serializers.Serializer):
    title = serializers.CharField()
    file = serializers.CharField()
    url = serializers.CharField()


class LocationSerializer(serializers.Serializer):
    country = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2.")
    place = serializers.CharField()


class DocMessage(serializers.Serializer):
    subject = serializers.CharField()
    body = serializers.CharField()


class DocTranslation(serializers.Serializer):
    title = serializers.CharField(help_text="Blank: the original's.")
    summary = serializers.CharField()
    message = DocMessage()
    call_to_action = serializers.CharField()
    demands = serializers.ListField(child=serializers.CharField(), help_text="In the order of the campaign's demands.")


class CampaignDocumentSerializer(serializers.Serializer):
    """The campaign document (docs/campaign-document.md). Supporters' details only for the campaign's organisers."""

    slug = serializers.SlugField()
    language = serializers.CharField(
        help_text="The original language (e.g. ru): the title, summary, message and demands are in it."
    )
    title = serializers.CharField()
    summary = serializers.CharField()
    call_to_action = serializers.CharField()
    status = serializers.ChoiceField(choices=m.Campaign.Status.choices)
    issued = serializers.CharField(allow_null=True, help_text="Partial date: YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD.")
    deadline = serializers.DateField(allow_null=True)
    location = LocationSerializer()
    sector = serializers.CharField()
    owner = serializers.CharField(allow_null=True, help_text="The organisation whose organisers run the campaign.")
    message = DocMessage()
    translations = serializers.DictField(child=DocTranslation(), help_text="The campaign in other languages, by language code.")
    organisations = DocOrganisation(many=True)
    targets = DocTarget(many=True)
    copy_to = DocTarget(many=True)
    demands = DocDemand(many=True)
    people = DocPerson(many=True)
    events = DocEvent(many=True)
    updates = DocUpdate(many=True)
    actions = DocAction(many=True)
    responses = DocResponse(many=True)
    sources = DocSource(many=True)
    text = serializers.CharField()


# ---------------------------------------------------------------------------------------------------
# Resources


class CampaignSummarySerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="In the request's language where translated, else the original.")
    summary = serializers.CharField(read_only=True)
    languages = serializers.SerializerMethodField(help_text="The languages it can be read in, the original first.")
    location = serializers.SerializerMethodField()
    issued = serializers.SerializerMethodField(help_text="Partial date.")
    owner = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField(help_text="The campaign document.")

    class Meta:
        model = m.Campaign
        fields = [
            "slug",
            "language",
            "languages",
            "title",
            "summary",
            "status",
            "location",
            "sector",
            "issued",
            "deadline",
            "owner",
            "created",
            "modified",
            "url",
        ]

    def get_languages(self, campaign) -> list[str]:
        others = sorted(t.language_code for t in campaign.translations.all() if t.language_code != campaign.language)
        return [campaign.language, *others]

    @extend_schema_field(LocationSerializer)
    def get_location(self, campaign) -> dict:
        return {"country": _country(campaign.country), "place": campaign.place}

    def get_issued(self, campaign) -> str | None:
        return campaign.issued or None

    def get_url(self, campaign) -> str:
        return self.context["request"].build_absolute_uri(reverse("api:campaign-detail", kwargs={"slug": campaign.slug}))


class TotalsSerializer(serializers.Serializer):
    class TargetTotal(serializers.Serializer):
        id = serializers.IntegerField()
        name = serializers.CharField()
        role = serializers.ChoiceField(choices=m.Target.Role.choices)
        actions = serializers.IntegerField()

    campaign = serializers.SlugField()
    actions = serializers.IntegerField(help_text="Actions recorded.")
    represents = serializers.IntegerField(help_text="People the actions speak for (each action's `represents`, summed).")
    countries = serializers.IntegerField(help_text="Countries actions were taken from.")
    by_kind = serializers.DictField(child=serializers.IntegerField(), help_text="Actions by kind (only kinds that occur).")
    by_target = TargetTotal(many=True, help_text="Actions addressed to each target and copy-to recipient.")


class OrganisationSerializer(serializers.ModelSerializer):
    country = CountryCodeField(allow_null=True)
    aliases = serializers.ListField(child=serializers.CharField(), help_text="Other spellings, e.g. as a letter wrote it.")

    class Meta:
        model = m.Organisation
        fields = ["id", "name", "short_name", "kind", "country", "aliases", "website"]


class ChannelSerializer(serializers.ModelSerializer):
    value = serializers.SerializerMethodField(help_text="As written in the source; null when masked.")
    e164 = serializers.SerializerMethodField()

    class Meta:
        model = m.Channel
        fields = ["id", "kind", "value", "e164", "masked", "label"]

    def get_value(self, channel) -> str | None:
        return None if channel.masked else channel.value

    def get_e164(self, channel) -> str | None:
        return channel.e164 or None


class TargetSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    salutation = serializers.SerializerMethodField()
    country = CountryCodeField(allow_null=True)
    channels = ChannelSerializer(many=True, read_only=True)

    class Meta:
        model = m.Target
        fields = ["id", "campaign", "role", "name", "kind", "title", "salutation", "country", "note", "channels"]

    def get_salutation(self, target) -> str | None:
        return target.salutation or None


class PartialDateField(serializers.CharField):
    """A partial ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD); null when unknown."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError as DjangoValidationError

        text = super().to_internal_value(data)
        try:
            return normalise_partial_date(text)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value):
        return value or None


class DemandSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    date = PartialDateField(read_only=True, help_text="Partial date of the outcome.")

    class Meta:
        model = m.Demand
        fields = ["id", "campaign", "text", "status", "date", "evidence"]


class PersonStatusChangeSerializer(serializers.ModelSerializer):
    date = PartialDateField(required=False, help_text="Partial date: YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD.")
    text = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = m.PersonStatusChange
        fields = ["status", "date", "text", "recorded"]
        read_only_fields = ["recorded"]


class PersonSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    history = PersonStatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = m.Person
        fields = ["id", "campaign", "name", "role", "age", "status", "details", "history"]


class EventSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    date = PartialDateField(read_only=True, help_text="Partial date, or null when undated.")

    class Meta:
        model = m.Event
        fields = ["id", "campaign", "date", "text"]


class UpdateSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = m.Update
        fields = ["id", "campaign", "date", "title", "text", "created"]


class TargetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ActionChannelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=m.Channel.Kind.choices)
    value = serializers.CharField()


def action_by(action: m.Action, *, personal: bool) -> str:
    """Who acted, for display: organisations' short names; a supporter's name only for the campaign's organisers."""
    organisations = list(action.organisations.all())
    if organisations:
        return "; ".join(o.short_name or o.name for o in organisations)
    if action.supporter is None:
        return ""
    if personal:
        return action.supporter.name or action.supporter.organisation or "anonymous"
    return "a supporter"


def supporter_details(supporter: m.Supporter) -> dict:
    return {
        "name": supporter.name,
        "email": supporter.email,
        "organisation": supporter.organisation,
        "country": _country(supporter.country),
        "consent_updates": supporter.consent_updates,
    }


class ActionSerializer(serializers.ModelSerializer):
    """An action as anyone may read it; `supporter` is null except for the campaign's organisers."""

    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    by = serializers.SerializerMethodField(help_text="Organisations' short names, or a supporter's name for organisers.")
    organisations = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    targets = TargetRefSerializer(many=True, read_only=True)
    channel = ActionChannelSerializer(read_only=True, allow_null=True)
    country = CountryCodeField(allow_null=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    supporter = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField(help_text="A supporter's own words only if they chose to publish them.")

    class Meta:
        model = m.Action
        fields = [
            "id", "campaign", "kind", "by", "organisations", "targets", "channel", "date", "reference", "salutation",
            "subject", "text", "text_public", "represents", "copies_sent", "country", "via", "signatories", "supporter",
            "created",
        ]  # fmt: skip

    def _personal(self, action) -> bool:
        return action.campaign_id in self.context.get("managed_campaign_ids", ())

    def get_text(self, action) -> str:
        return action.text if action_text_public(action, organiser=self._personal(action)) else ""

    def get_by(self, action) -> str:
        return action_by(action, personal=self._personal(action))

    @extend_schema_field(SupporterSerializer(allow_null=True))
    def get_supporter(self, action) -> dict | None:
        if action.supporter is None or not self._personal(action):
            return None
        return supporter_details(action.supporter)


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "minLength": 1, "maxLength": 300}],
        "description": "A target's id, or its name as the campaign document gives it.",
    }
)
class TargetRefField(serializers.Field):
    default_error_messages = {"invalid": "Give a target's id (a number) or its name (text)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("invalid")
        if isinstance(data, int):
            if not 1 <= data <= 2**63 - 1:
                self.fail("invalid")
            return data
        name = data.strip()
        if not name or len(name) > 300 or "\x00" in name:
            self.fail("invalid")
        return name

    def to_representation(self, value):
        return value


def resolve_targets(campaign: m.Campaign, refs: list) -> list[m.Target]:
    """The campaign's targets named by id or name, in the given order; ValidationError for any it lacks."""
    ids = [r for r in refs if isinstance(r, int)]
    names = [r for r in refs if isinstance(r, str)]
    by_id = {t.pk: t for t in campaign.targets.filter(pk__in=ids)} if ids else {}
    by_name: dict[str, m.Target] = {}
    if names:
        # A target and a copy-to recipient may share a name: the target wins.
        for target in campaign.targets.filter(name__in=names).order_by("-role"):
            by_name[target.name] = target
    found: list[m.Target] = []
    missing: list[str] = []
    for ref in refs:
        match = by_id.get(ref) if isinstance(ref, int) else by_name.get(ref)
        if match is None:
            missing.append(str(ref))
        elif match not in found:
            found.append(match)
    if missing:
        raise serializers.ValidationError(_("Not targets of this campaign: %(names)s.") % {"names": ", ".join(missing)})
    return found


class ActionCreateSerializer(serializers.Serializer):
    """Record an action. Anyone may; only the campaign's organisers may act for organisations or add signatories."""

    campaign = SafeSlugRelatedField(slug_field="slug", queryset=m.Campaign.objects.none(), help_text="The campaign's slug.")
    kind = serializers.ChoiceField(choices=m.Action.Kind.choices)
    targets = serializers.ListField(child=TargetRefField(), required=False, default=list, max_length=100)
    channel = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1, help_text="Id of one of the chosen targets' channels."
    )
    date = serializers.DateField(required=False, allow_null=True, help_text="When it was done; default today.")
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False, max_length=20_000)
    text_public = serializers.BooleanField(
        required=False, default=False, help_text="Publish these words with the action (a supporter's are private by default)."
    )
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    salutation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    represents = serializers.IntegerField(
        min_value=1,
        max_value=MAX_INT,
        required=False,
        default=1,
        help_text="How many people it speaks for: more than 1 only for the campaign's organisers.",
    )
    copies_sent = serializers.BooleanField(required=False, default=False)
    country = CountryCodeField(required=False, default="", allow_null=True, help_text="Where it was done from.")
    language = LanguageCodeField(required=False, help_text="The language the supporter acted in (default: the request's).")
    supporter = SupporterSerializer(required=False, allow_null=True, write_only=True)
    organisations = SafeSlugRelatedField(
        slug_field="name", many=True, queryset=m.Organisation.objects.all(), required=False, help_text="Organisers only."
    )
    signatories = SignatorySerializer(many=True, required=False, help_text="Organisers only.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = self.context.get("visible_campaigns", m.Campaign.objects.none())

    def validate(self, attrs):
        campaign = attrs["campaign"]
        errors: dict = action_refusals(
            organiser=campaign.pk in self.context.get("managed_campaign_ids", ()),
            organisations=attrs.get("organisations"),
            signatories=attrs.get("signatories"),
            represents=attrs.get("represents", 1),
        )
        try:
            attrs["targets"] = resolve_targets(campaign, attrs.get("targets") or [])
        except serializers.ValidationError as exc:
            errors["targets"] = exc.detail
        channel_id = attrs.pop("channel", None)
        attrs["channel"] = None
        if channel_id is not None:
            attrs["channel"] = m.Channel.objects.filter(pk=channel_id, target__campaign=campaign).first()
            if attrs["channel"] is None:
                errors["channel"] = [_("No such channel in this campaign.")]
        if errors:
            raise serializers.ValidationError(errors)
        attrs["country"] = attrs.get("country") or ""
        return attrs


class ActionReceiptSerializer(serializers.Serializer):
    """The answer to anyone but the campaign's organisers: what they sent, the same whether or not it was new.

    No id and no time: an answer that changed with an e-mail address's history would tell anyone whether it acted.
    """

    campaign = serializers.SlugField()
    kind = serializers.ChoiceField(choices=m.Action.Kind.choices)
    targets = TargetRefSerializer(many=True)
    date = serializers.DateField()
    represents = serializers.IntegerField()
    counted = serializers.CharField(help_text="How it is counted: the same e-mail acting the same way counts once.")
    consent_confirmation = serializers.BooleanField(
        help_text="Whether a link to confirm the news subscription was e-mailed (always, when consent was asked)."
    )


class ResponseSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    target = TargetRefSerializer(read_only=True)
    action = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = m.Response
        fields = ["id", "campaign", "target", "action", "date", "channel", "classification", "summary", "reading", "created"]


class ResponseCreateSerializer(serializers.Serializer):
    """Record what a target answered (organisers of the campaign)."""

    campaign = SafeSlugRelatedField(slug_field="slug", queryset=m.Campaign.objects.none(), help_text="The campaign's slug.")
    target = TargetRefField()
    classification = serializers.ChoiceField(choices=m.Response.Classification.choices)
    summary = serializers.CharField(help_text="What the target answered (or that it did not).")
    date = serializers.DateField(required=False, allow_null=True)
    channel = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="email, fax, letter, ..."
    )
    reading = serializers.CharField(required=False, allow_blank=True, default="", help_text="The organisers' reading of it.")
    action = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1, help_text="An action's id."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = self.context.get("visible_campaigns", m.Campaign.objects.none())

    def validate(self, attrs):
        campaign = attrs["campaign"]
        errors = {}
        try:
            attrs["target"] = resolve_targets(campaign, [attrs["target"]])[0]
        except serializers.ValidationError as exc:
            errors["target"] = exc.detail
        action_id = attrs.pop("action", None)
        attrs["action"] = None
        if action_id is not None:
            attrs["action"] = m.Action.objects.filter(pk=action_id, campaign=campaign).first()
            if attrs["action"] is None:
                errors["action"] = [_("No such action in this campaign.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PersonStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=m.PersonStatus.choices)
    date = PartialDateField(required=False)
    text = serializers.CharField(required=False, allow_blank=True, default="")

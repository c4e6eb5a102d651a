"""The campaign document (docs/campaign-document.md): validation of its shape, and error paths for humans."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_countries import countries
from rest_framework import serializers

from .. import models as m
from ..channels import channel_normalise
from ..languages import language_normalise
from ..partial_dates import normalise_partial_date
from .shape import CampaignInput


class DocumentError(Exception):
    """A campaign document that cannot be loaded; `path` names the field (e.g. targets[0].channels[1].value)."""

    def __init__(self, path: str, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}" if path else message)


def first_error(detail: Any, path: str = "") -> tuple[str, str]:
    """The first (path, message) of a DRF error structure, with a readable path."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if not value:
                continue
            if key == "non_field_errors":
                key_path = path
            elif isinstance(key, int) or str(key).isdigit():
                key_path = f"{path}[{key}]"
            else:
                key_path = f"{path}.{key}" if path else str(key)
            return first_error(value, key_path)
    if isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)) and value:
                return first_error(value, f"{path}[{index}]")
            if value and not isinstance(value, (dict, list)):
                return path, str(value)
    return path, str(detail)


class OptionalTextField(serializers.CharField):
    """A text field that may be missing, null or blank (the document's optional values)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)


class PartialDateDocField(OptionalTextField):
    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(str(data) if isinstance(data, int) else data)
        try:
            return normalise_partial_date(text)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class CountryDocField(OptionalTextField):
    def to_internal_value(self, data: Any) -> str:
        code = str(super().to_internal_value(data)).strip().upper()
        if code and code not in countries:
            raise serializers.ValidationError(f"{data!r} is not an ISO 3166 country code (e.g. KZ, GB).")
        return code


class LanguageDocField(OptionalTextField):
    """A language code Django knows (en, ru, pt-br ...), normalised; blank when not given."""

    def to_internal_value(self, data: Any) -> str:
        given = str(super().to_internal_value(data)).strip()
        code = language_normalise(given)
        if given and not code:
            raise serializers.ValidationError(_("%(code)s is not a language code (e.g. en, ru, es).") % {"code": repr(data)})
        return code


def _text(**kwargs: Any) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("allow_null", True)
    kwargs.setdefault("trim_whitespace", False)
    return serializers.CharField(**kwargs)


def _list(child: serializers.Field) -> serializers.ListField:
    return serializers.ListField(child=child, required=False, default=list)


class ChannelDoc(serializers.Serializer):
    kind = serializers.ChoiceField(choices=m.Channel.Kind.choices)
    value = _text()
    e164 = _text()
    masked = serializers.BooleanField(required=False, default=False)
    label = _text(max_length=100)
    note = _text()  # appeal import: why a number has no E.164 ("no country code, and the country is not known")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        region = self.context.get("default_region")
        try:
            value, e164 = channel_normalise(
                kind=attrs["kind"], value=attrs.get("value"), masked=attrs["masked"], default_region=region
            )
        except DjangoValidationError as exc:
            if not (
                attrs["kind"] in m.Channel.NUMBER_KINDS
                and (attrs.get("note") or "").strip()
                and (attrs.get("value") or "").strip()
            ):
                raise serializers.ValidationError(exc.message_dict) from exc
            # A number the text shows is kept as written; the note says why it has no E.164 yet.
            value, e164 = attrs["value"].strip(), ""
        given = (attrs.get("e164") or "").strip()
        if given and given != e164:
            raise serializers.ValidationError(
                {"e164": f"{given} does not match {value!r}, which reads as {e164 or 'no number'}."}
            )
        return {**attrs, "value": value, "e164": e164, "label": attrs.get("label") or ""}


class TargetDoc(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=m.Target.Kind.choices, required=False, default=m.Target.Kind.OTHER)
    title = _text(max_length=300)
    salutation = _text(max_length=200)
    country = CountryDocField()
    language = LanguageDocField()
    note = _text()
    channels = serializers.ListField(child=serializers.DictField(), required=False, default=list)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        channels: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for raw in attrs["channels"]:
            doc = ChannelDoc(data=raw, context={"default_region": attrs.get("country") or None})
            if doc.is_valid():
                channels.append(doc.validated_data)
                errors.append({})
            else:
                errors.append(doc.errors)
        if any(errors):
            raise serializers.ValidationError({"channels": errors})
        return {**attrs, "channels": channels}


class OrganisationRoleDoc(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    short_name = _text(max_length=50)
    role = serializers.ChoiceField(choices=m.CampaignOrganisation.Role.choices, required=False, default="supporter")
    country = CountryDocField()
    aliases = _list(serializers.CharField())
    contact = _text(max_length=200)
    contact_role = _text(max_length=200)
    note = _text()


class DemandDoc(serializers.Serializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=m.Demand.Status.choices, required=False, default="open")
    date = PartialDateDocField()
    evidence = _text()


class HistoryDoc(serializers.Serializer):
    date = PartialDateDocField()
    status = serializers.ChoiceField(choices=m.PersonStatus.choices)
    text = _text()


class PersonDoc(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = _text(max_length=300)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=150)
    status = serializers.ChoiceField(choices=m.PersonStatus.choices, required=False, default="threatened")
    details = _text()
    history = _list(HistoryDoc())


class EventDoc(serializers.Serializer):
    date = PartialDateDocField()
    text = serializers.CharField(trim_whitespace=False)


class UpdateDoc(serializers.Serializer):
    date = serializers.DateField()
    title = serializers.CharField(max_length=300)
    text = _text()


class SignatoryDoc(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    title = _text(max_length=200)
    organisation = _text(max_length=300)


class SupporterDoc(serializers.Serializer):
    name = _text(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True, max_length=254)
    organisation = _text(max_length=300)
    country = CountryDocField()
    language = LanguageDocField()
    consent_updates = serializers.BooleanField(required=False, default=False)


class ActionChannelDoc(serializers.Serializer):
    kind = serializers.ChoiceField(choices=m.Channel.Kind.choices)
    value = _text()


class ActionDoc(serializers.Serializer):
    kind = serializers.ChoiceField(choices=m.Action.Kind.choices)
    by = _text()
    organisations = _list(serializers.CharField(max_length=300))
    supporter = SupporterDoc(required=False, allow_null=True)
    targets = _list(serializers.CharField())
    channel = ActionChannelDoc(required=False, allow_null=True)
    date = serializers.DateField()
    reference = _text(max_length=100)
    salutation = _text(max_length=200)
    subject = _text(max_length=300)
    text = _text()
    represents = serializers.IntegerField(required=False, default=1, min_value=1, max_value=2**31 - 1)
    copies_sent = serializers.BooleanField(required=False, default=False)
    country = CountryDocField()
    language = LanguageDocField()
    signatories = _list(SignatoryDoc())
    text_public = serializers.BooleanField(required=False, default=False)


class ResponseDoc(serializers.Serializer):
    target = serializers.CharField()
    date = serializers.DateField()
    channel = _text(max_length=20)
    classification = serializers.ChoiceField(choices=m.Response.Classification.choices)
    summary = serializers.CharField()
    reading = _text()


class SourceDoc(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    file = _text(max_length=300)
    url = serializers.URLField(required=False, allow_blank=True, allow_null=True, max_length=1000)


class LocationDoc(serializers.Serializer):
    country = CountryDocField()
    place = _text(max_length=300)


class MessageDoc(serializers.Serializer):
    subject = _text(max_length=300)
    body = _text()


class TranslationDoc(serializers.Serializer):
    title = _text(max_length=300)
    summary = _text()
    message = MessageDoc(required=False)
    call_to_action = _text()
    demands = _list(_text())

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        attrs: dict[str, Any] = super().to_internal_value(data)
        message = attrs.get("message") or {}
        return {
            "title": attrs.get("title") or "",
            "summary": attrs.get("summary") or "",
            "message": {"subject": message.get("subject") or "", "body": message.get("body") or ""},
            "call_to_action": attrs.get("call_to_action") or "",
            "demands": [text or "" for text in attrs["demands"]],
        }


class CampaignDoc(serializers.Serializer):
    slug = serializers.SlugField(max_length=100)
    language = LanguageDocField(
        help_text="The original language (default en): the title, summary, message and demands are in it."
    )
    title = serializers.CharField(max_length=300)
    summary = _text()
    call_to_action = _text()
    text = _text()
    status = serializers.ChoiceField(choices=m.Campaign.Status.choices, required=False, default="draft")
    issued = PartialDateDocField()
    deadline = serializers.DateField(required=False, allow_null=True)
    location = LocationDoc(required=False)
    sector = _text(max_length=100)
    owner = _text(max_length=300, help_text="Name of the organisation whose organisers run the campaign.")
    message = MessageDoc(required=False)
    translations = serializers.DictField(child=TranslationDoc(), required=False, default=dict)
    organisations = _list(OrganisationRoleDoc())
    targets = _list(TargetDoc())
    copy_to = _list(TargetDoc())
    demands = _list(DemandDoc())
    people = _list(PersonDoc())
    events = _list(EventDoc())
    updates = _list(UpdateDoc())
    actions = _list(ActionDoc())
    responses = _list(ResponseDoc())
    sources = _list(SourceDoc())

    def validate_translations(self, value: dict[str, Any]) -> dict[str, Any]:
        translations: dict[str, Any] = {}
        for given, translation in value.items():
            code = language_normalise(given)
            if not code:
                raise serializers.ValidationError(
                    {given: [_("%(code)s is not a language code (e.g. en, ru, es).") % {"code": repr(given)}]}
                )
            if code in translations:
                raise serializers.ValidationError({given: [_("The language %(code)s appears twice.") % {"code": code}]})
            translations[code] = translation
        return translations

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        original = attrs.get("language") or m.Campaign._meta.get_field("language").get_default()
        if original in attrs["translations"]:
            raise serializers.ValidationError(
                {
                    "translations": {
                        original: [
                            _("%(code)s is the campaign's original language: its text is the document's own.")
                            % {"code": original}
                        ]
                    }
                }
            )
        for code, translation in attrs["translations"].items():
            if len(translation["demands"]) > len(attrs["demands"]):
                raise serializers.ValidationError(
                    {
                        "translations": {
                            code: {
                                "demands": [
                                    _("%(given)d demands, but the campaign has %(count)d.")
                                    % {"given": len(translation["demands"]), "count": len(attrs["demands"])}
                                ]
                            }
                        }
                    }
                )
        attrs["language"] = original
        for role in ("targets", "copy_to"):
            names = [t["name"] for t in attrs[role]]
            for index, name in enumerate(names):
                if names.index(name) != index:
                    raise serializers.ValidationError({role: {index: {"name": [f"{name!r} appears twice."]}}})
        names = [p["name"] for p in attrs["people"]]
        for index, name in enumerate(names):
            if names.index(name) != index:
                raise serializers.ValidationError({"people": {index: {"name": [f"{name!r} appears twice."]}}})
        known_targets = {t["name"] for t in attrs["targets"]} | {t["name"] for t in attrs["copy_to"]}
        for index, action in enumerate(attrs["actions"]):
            for name in action["targets"]:
                if name not in known_targets:
                    raise serializers.ValidationError(
                        {"actions": {index: {"targets": [f"{name!r} is not one of this campaign's targets."]}}}
                    )
        for index, response in enumerate(attrs["responses"]):
            if response["target"] not in known_targets:
                raise serializers.ValidationError(
                    {"responses": {index: {"target": [f"{response['target']!r} is not one of this campaign's targets."]}}}
                )
        return attrs


def document_validate(document: Any, *, path: str = "") -> CampaignInput:
    """Validated, normalised data for one campaign document, or DocumentError naming the first bad field."""
    if not isinstance(document, dict):
        raise DocumentError(path, "a campaign document must be a JSON object.")
    serializer = CampaignDoc(data=document)
    if not serializer.is_valid():
        where, message = first_error(serializer.errors)
        raise DocumentError(f"{path}.{where}" if path and where else (path or where), message)
    # The serializers above are checked against the shape's TypedDicts (tests/documents/test_shape.py).
    return cast(CampaignInput, serializer.validated_data)

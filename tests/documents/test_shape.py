"""One shape, many views: the validator, the API's OpenAPI description and the builder all agree with shape.py."""

import datetime as dt
import io
import typing

import pytest
from django.core.management import call_command
from rest_framework import serializers

from campaigns import models as m
from campaigns.api import serializers as api
from campaigns.documents import shape
from campaigns.documents import validation as v
from campaigns.selectors.documents import campaign_document, campaigns_for_documents


def _nested(hint) -> type | None:
    """The TypedDict a field's type holds (through list[...], ... | None, NotRequired[...]), if any."""
    origin = typing.get_origin(hint)
    if origin is not None and typing.get_origin(origin) is None and hasattr(origin, "__annotations__") and origin is not list:
        return origin  # a generic TypedDict, e.g. ActionDoc[str]
    if hasattr(hint, "__required_keys__"):
        return hint
    for arg in typing.get_args(hint):
        found = _nested(arg)
        if found is not None:
            return found
    return None


def _fields(typed: type) -> dict[str, type | None]:
    hints = typing.get_type_hints(typing.get_origin(typed) or typed, include_extras=False)
    return {name: _nested(hint) for name, hint in hints.items()}


# The validator reads a target's channels itself (each with its country as the default region).
VALIDATOR_CHILDREN = {(v.TargetDoc, "channels"): v.ChannelDoc}


def _child(serializer: serializers.Serializer, name: str) -> serializers.Serializer | None:
    field = serializer.fields[name]
    if (type(serializer), name) in VALIDATOR_CHILDREN:
        return VALIDATOR_CHILDREN[(type(serializer), name)]()
    while isinstance(field, serializers.ListField | serializers.ListSerializer | serializers.DictField):
        field = field.child
    return field if isinstance(field, serializers.Serializer) else None


def _disagreements(typed: type, serializer: serializers.Serializer, path: str = "") -> list[str]:
    expected = _fields(typed)
    found = []
    for name in sorted(set(expected) ^ set(serializer.fields)):
        where = "shape.py" if name in expected else type(serializer).__name__
        found.append(f"{path}{name}: only in {where}")
    for name, nested in expected.items():
        if name not in serializer.fields:
            continue
        child = _child(serializer, name)
        if (nested is None) != (child is None):
            found.append(f"{path}{name}: an object in one, a value in the other")
        elif nested is not None and child is not None:
            found += _disagreements(nested, child, f"{path}{name}.")
    return found


def test_the_validator_reads_exactly_the_shape():
    assert _disagreements(shape.CampaignInput, v.CampaignDoc()) == []


def test_the_openapi_description_is_the_shape():
    assert _disagreements(shape.CampaignDocument, api.CampaignDocumentSerializer()) == []


def test_the_check_finds_a_field_missing_from_one_view():
    class Narrow(serializers.Serializer):
        subject = serializers.CharField()

    assert _disagreements(shape.MessageDoc, Narrow()) == ["body: only in shape.py"]


@pytest.mark.django_db
def test_the_builder_builds_the_shape_and_the_loader_takes_it_back(organisation):
    """mypy checks the builder's keys; here its output, seeds and all, goes through the validator unchanged."""
    call_command("load_seeds", stdout=io.StringIO())
    for campaign in campaigns_for_documents():
        document = campaign_document(campaign=campaign, include_personal=True)
        assert set(document) == set(shape.CampaignDocumentOf.__annotations__)
        data = v.document_validate(document)
        assert [a["date"] for a in data["actions"]] == [dt.date.fromisoformat(a["date"]) for a in document["actions"]]
    assert m.Campaign.objects.count() == 2

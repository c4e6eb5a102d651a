"""Finishing the OpenAPI schema: the OSDI (HAL) shapes, and the JSON errors every operation may answer with."""

from __future__ import annotations

from .osdi import NAMESPACE, SYSTEM

STRING = {"type": "string"}
NULLABLE_STRING = {"type": "string", "nullable": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    schema = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = required
    return schema


LINK = _object({"href": {"type": "string", "format": "uri"}, "title": STRING}, ["href"])
CURIE = _object({"name": STRING, "href": STRING, "templated": {"type": "boolean"}}, ["name", "href"])
IDENTIFIERS = _array({"type": "string", "description": f"`{SYSTEM}:<id>`"})
NS = NAMESPACE


def _links(*relations: str) -> dict:
    properties = {rel: _ref("HalLink") for rel in relations}
    properties["curies"] = _array(_ref("HalCurie"))
    return _object(properties, ["self"], additionalProperties=_ref("HalLink"))


def _collection(rel: str, item: str) -> dict:
    return _object(
        {
            "total_pages": {"type": "integer"},
            "per_page": {"type": "integer"},
            "page": {"type": "integer"},
            "total_records": {"type": "integer"},
            "_links": _object(
                {
                    "self": _ref("HalLink"),
                    "next": _ref("HalLink"),
                    "previous": _ref("HalLink"),
                    "prev": _ref("HalLink"),
                    "curies": _array(_ref("HalCurie")),
                    f"osdi:{rel}": _array(_ref("HalLink")),
                },
                ["self", f"osdi:{rel}"],
            ),
            "_embedded": _object({f"osdi:{rel}": _array(_ref(item))}, [f"osdi:{rel}"]),
        },
        ["total_pages", "per_page", "page", "total_records", "_links", "_embedded"],
    )


CHANNEL = _object(
    {
        "kind": _ref("ChannelKindEnum"),
        "value": NULLABLE_STRING,
        "e164": NULLABLE_STRING,
        "masked": {"type": "boolean"},
        "label": STRING,
    },
    ["kind", "value", "e164", "masked", "label"],
)

OSDI_TARGET = _object(
    {
        "identifiers": IDENTIFIERS,
        "title": STRING,
        "organization": STRING,
        "email_addresses": _array(_object({"address": STRING, "primary": {"type": "boolean"}}, ["address"])),
        "phone_numbers": _array(
            _object(
                {
                    "number": {"type": "string", "description": "Country code and number, digits only."},
                    "number_type": {"type": "string", "description": "`Fax` for fax numbers, else `Work`."},
                    "primary": {"type": "boolean"},
                },
                ["number", "number_type"],
            )
        ),
        "postal_addresses": _array(
            _object({"primary": {"type": "boolean"}, "address_lines": _array(STRING), "country": STRING}, ["address_lines"])
        ),
        f"{NS}:name": STRING,
        f"{NS}:kind": _ref("TargetKindEnum"),
        f"{NS}:role": _ref("TargetRoleEnum"),
        f"{NS}:salutation": NULLABLE_STRING,
        f"{NS}:country": NULLABLE_STRING,
        f"{NS}:channels": _array(CHANNEL),
    },
    ["identifiers", f"{NS}:name", f"{NS}:kind", f"{NS}:role"],
)

OSDI_ADVOCACY_CAMPAIGN = _object(
    {
        "identifiers": IDENTIFIERS,
        "origin_system": STRING,
        "created_date": {"type": "string", "format": "date-time"},
        "modified_date": {"type": "string", "format": "date-time"},
        "name": STRING,
        "title": STRING,
        "browser_url": {"type": "string", "format": "uri", "description": "The campaign's public page."},
        "summary": STRING,
        "description": {"type": "string", "description": "The full text of the appeal, as received."},
        "target_universe": STRING,
        "total_outreaches": {"type": "integer"},
        "targets": _array(_ref("OsdiTarget")),
        "templates": _array(STRING),
        f"{NS}:status": _ref("CampaignStatusEnum"),
        f"{NS}:issued": NULLABLE_STRING,
        f"{NS}:deadline": {"type": "string", "format": "date", "nullable": True},
        f"{NS}:location": _ref("Location"),
        f"{NS}:sector": STRING,
        f"{NS}:owner": NULLABLE_STRING,
        f"{NS}:message": _ref("DocMessage"),
        f"{NS}:organisations": _array(_ref("DocOrganisation")),
        f"{NS}:copy_to": _array(_ref("OsdiTarget")),
        f"{NS}:demands": _array(_ref("DocDemand")),
        f"{NS}:people_at_risk": _array(_ref("DocPerson")),
        f"{NS}:events": _array(_ref("DocEvent")),
        f"{NS}:updates": _array(_ref("DocUpdate")),
        f"{NS}:responses": _array(_ref("DocResponse")),
        f"{NS}:sources": _array(_ref("DocSource")),
        f"{NS}:total_represented": {"type": "integer"},
        "_links": _links("self", "osdi:outreaches", "osdi:record_outreach_helper", f"{NS}:document", f"{NS}:totals"),
    },
    ["identifiers", "title", "total_outreaches", "targets", f"{NS}:status", "_links"],
)

OSDI_OUTREACH = _object(
    {
        "identifiers": IDENTIFIERS,
        "origin_system": STRING,
        "created_date": {"type": "string", "format": "date-time"},
        "modified_date": {"type": "string", "format": "date-time"},
        "action_date": {"type": "string", "format": "date"},
        "type": {"type": "string", "description": "email, phone, postal mail, in-person, or our kind (fax, petition, ...)."},
        "subject": STRING,
        "message": STRING,
        "targets": _array(_ref("OsdiTarget")),
        f"{NS}:kind": _ref("ActionKindEnum"),
        f"{NS}:by": STRING,
        f"{NS}:organisations": _array(STRING),
        f"{NS}:represents": {"type": "integer", "minimum": 1},
        f"{NS}:reference": STRING,
        f"{NS}:salutation": STRING,
        f"{NS}:copies_sent": {"type": "boolean"},
        f"{NS}:country": NULLABLE_STRING,
        f"{NS}:via": _ref("ActionViaEnum"),
        f"{NS}:channel": _object({"kind": _ref("ChannelKindEnum"), "value": STRING}, ["kind", "value"], nullable=True),
        f"{NS}:signatories": _array(_ref("Signatory")),
        "_links": _links("self", "osdi:advocacy_campaign", "osdi:person"),
    },
    ["identifiers", "action_date", "type", "targets", f"{NS}:kind", f"{NS}:represents", "_links"],
)

OSDI_PERSON = _object(
    {
        "identifiers": IDENTIFIERS,
        "origin_system": STRING,
        "created_date": {"type": "string", "format": "date-time"},
        "modified_date": {"type": "string", "format": "date-time"},
        "given_name": STRING,
        "family_name": STRING,
        "custom_fields": _object({"organisation": STRING, "consent_updates": {"type": "boolean"}}),
        "email_addresses": _array(
            _object(
                {
                    "address": STRING,
                    "primary": {"type": "boolean"},
                    "status": {"type": "string", "enum": ["subscribed", "unsubscribed"]},
                },
                ["address"],
            )
        ),
        "postal_addresses": _array(_object({"primary": {"type": "boolean"}, "country": STRING}, ["country"])),
        f"{NS}:name": STRING,
        f"{NS}:organisation": STRING,
        f"{NS}:consent_updates": {"type": "boolean"},
        "_links": _links("self", "osdi:outreaches"),
    },
    ["identifiers", f"{NS}:name", "_links"],
)

OSDI_ENTRY_POINT = _object(
    {
        "motd": STRING,
        "max_pagesize": {"type": "integer"},
        "vendor_name": STRING,
        "product_name": STRING,
        "osdi_version": STRING,
        "namespace": STRING,
        "_links": _links("self", "osdi:advocacy_campaigns", "osdi:people", "docs"),
    },
    ["_links"],
)

COMPONENTS = {
    "HalLink": LINK,
    "HalCurie": CURIE,
    "OsdiTarget": OSDI_TARGET,
    "OsdiAdvocacyCampaign": OSDI_ADVOCACY_CAMPAIGN,
    "OsdiAdvocacyCampaignCollection": _collection("advocacy_campaigns", "OsdiAdvocacyCampaign"),
    "OsdiOutreach": OSDI_OUTREACH,
    "OsdiOutreachCollection": _collection("outreaches", "OsdiOutreach"),
    "OsdiOutreachOrEmpty": {
        "description": "The outreach recorded; an empty object when the request was not authenticated.",
        "oneOf": [_ref("OsdiOutreach"), _object({}, maxProperties=0)],
    },
    "OsdiPerson": OSDI_PERSON,
    "OsdiPersonCollection": _collection("people", "OsdiPerson"),
    "OsdiEntryPoint": OSDI_ENTRY_POINT,
    "Error": {
        "type": "object",
        "description": 'Either {"detail": "message"}, or field-level messages: {"field": ["message"], '
        '"nested.field": ["message"]}, where a nested serializer\'s errors are nested objects.',
        "properties": {
            "detail": STRING,
            "osdi:error": _object(
                {"response_code": {"type": "integer"}, "error_description": STRING},
                description="On /api/osdi/v1/ only: the error as OSDI clients read it.",
            ),
        },
        "additionalProperties": {},
    },
}

ERRORS = {
    "400": "Bad input: the body or a query parameter could not be read; messages are keyed by field.",
    "401": "The credentials given are wrong, or this needs authentication.",
    "403": "Authenticated, but not allowed (e.g. not an organiser of this campaign).",
    "404": "No such thing, or not one you may see (drafts are 404 to all but their organisers).",
}
WRITE_ERRORS = {
    "415": "The body is not JSON.",
    "422": "The Idempotency-Key was used before with a different request.",
    "429": "Too many requests: slow down (see Retry-After).",
}


def postprocess(result: dict, generator, request, public) -> dict:
    """drf-spectacular hook: add our hand-written components and each operation's error responses."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if {} in operation.get("security", []):
                # Open to anyone (a token only shows an organiser more): say no authentication is needed, so
                # generated clients do not demand credentials for public reads and anonymous actions.
                del operation["security"]
            responses = operation.setdefault("responses", {})
            success: dict = next((r for code, r in responses.items() if code.startswith("2")), {})
            media_types = list(success.get("content", {})) or ["application/json"]
            errors = dict(ERRORS)
            if "requestBody" in operation:
                errors |= WRITE_ERRORS
            for code, description in errors.items():
                responses.setdefault(
                    code, {"description": description, "content": {media: {"schema": _ref("Error")} for media in media_types}}
                )
    return result

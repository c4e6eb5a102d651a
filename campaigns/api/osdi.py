"""/api/osdi/v1/: campaigns, their targets, actions and supporters as OSDI 1.x advocacy campaigns, outreaches and people.

HAL+JSON (`_links`, `_embedded`, `osdi:` link relations, `identifiers`, `total_records`). What OSDI has no
field for (fax numbers' meaning aside: salutations, responses, outcomes, people at risk, ...) is given in
fields named `solidarity:...`, documented in docs/osdi.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import models as m
from ..kinds import KINDS_FROM_TYPE, OUTREACH_TYPES  # OSDI outreach `type` (a flexenum) from our kinds, and back
from ..permissions import action_refusals, action_text_public, campaigns_managed_by, campaigns_visible_to
from ..selectors.documents import campaign_document, campaigns_for_documents
from ..selectors.totals import campaigns_totals
from ..services.actions import action_record
from ..services.identifiers import OUR_SYSTEM, action_provenance_set, external_identifiers_add
from ..services.supporters import supporter_details_clean
from .idempotency import PARAMETER as IDEMPOTENCY_KEY
from .idempotency import idempotent
from .serializers import MAX_INT, CountryCodeField, action_by
from .throttling import SupporterActionThrottle

SYSTEM = OUR_SYSTEM  # the system name in `identifiers`: "solidarity_action_tracker:<id>"
ORIGIN = "Solidarity action tracker"
NAMESPACE = "solidarity"
MAX_PAGE_SIZE = 100


class HalJSONRenderer(JSONRenderer):
    media_type = "application/hal+json"


class HalJSONParser(JSONParser):
    media_type = "application/hal+json"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# OSDI's OData-style `filter=`: clauses `field op 'value'` joined by `and`, e.g.
# `modified_date gt '2014-03-25' and email_address eq 'ann@example.net'`.
_FILTER_CLAUSE = re.compile(r"\s*(?P<field>\w+)\s+(?P<op>\w+)\s+(?:'(?P<quoted>(?:[^']|'')*)'|(?P<bare>[^\s']+))\s*")
_FILTER_AND = re.compile(r"and\s+", re.IGNORECASE)

Filter = Callable[[QuerySet, str, str], QuerySet]


def osdi_filter_clauses(text: str) -> list[tuple[str, str, str]]:
    """(field, operator, value) for each clause; a filter that cannot be read is a 400 saying so."""
    clauses, position = [], 0
    while True:
        match = _FILTER_CLAUSE.match(text, position)
        if match is None:
            raise ValidationError({"filter": [_("Write clauses like modified_date gt '2026-01-01', joined by 'and'.")]})
        value = match["quoted"].replace("''", "'") if match["quoted"] is not None else match["bare"]
        clauses.append((match["field"].lower(), match["op"].lower(), value))
        position = match.end()
        if position >= len(text):
            return clauses
        joined = _FILTER_AND.match(text, position)
        if joined is None:
            raise ValidationError({"filter": [_("Join clauses with 'and' (the only operator between clauses).")]})
        position = joined.end()


def _operators(field: str, op: str, allowed: tuple[str, ...]) -> None:
    if op not in allowed:
        raise ValidationError(
            {
                "filter": [
                    _("%(field)s takes %(allowed)s, not %(op)s.") % {"field": field, "allowed": " or ".join(allowed), "op": op}
                ]
            }
        )


def _moment(field: str, value: str) -> dt.datetime:
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = dt.datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {
                "filter": [
                    _("%(field)s: give an ISO 8601 date or date and time, not %(value)s.")
                    % {"field": field, "value": repr(value)}
                ]
            }
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def date_filter(column: str) -> Filter:
    def apply(queryset: QuerySet, op: str, value: str) -> QuerySet:
        _operators("dates", op, ("gt", "lt"))
        return queryset.filter(**{f"{column}__{op}": _moment("dates", value)})

    return apply


def identifier_filter(*, ours: Callable[[str], dict], external: bool = True) -> Filter:
    """`identifier eq 'system:id'`: ours (`solidarity_action_tracker:<id>`) or one a client gave us."""

    def apply(queryset: QuerySet, op: str, value: str) -> QuerySet:
        _operators("identifier", op, ("eq",))
        if value.startswith(f"{SYSTEM}:"):
            lookup = ours(value.removeprefix(f"{SYSTEM}:"))
            return queryset.filter(**lookup) if lookup else queryset.none()
        return queryset.filter(external_identifiers__value=value) if external else queryset.none()

    return apply


def _pk(local: str) -> dict:
    return {"pk": int(local)} if local.isdigit() else {}


def email_filter(queryset: QuerySet, op: str, value: str) -> QuerySet:
    _operators("email_address", op, ("eq",))
    return queryset.filter(email__iexact=value.strip())


def _split_name(name: str) -> tuple[str, str]:
    """OSDI has given and family names; we keep one name. Best effort: the last word is the family name."""
    given, _, family = name.strip().rpartition(" ")
    return (given, family) if given else (family, "")


class OSDIView(APIView):
    renderer_classes = [HalJSONRenderer, JSONRenderer]
    parser_classes = [JSONParser, HalJSONParser]

    def handle_exception(self, exc):
        """Errors as OSDI clients read them (`osdi:error`), keeping our field-level messages beside it."""
        response = super().handle_exception(exc)
        if isinstance(response.data, dict) and "osdi:error" not in response.data:
            data = response.data
            detail = data.get("detail")
            description = (
                str(detail)
                if detail
                else "; ".join(
                    f"{field}: {' '.join(map(str, messages)) if isinstance(messages, list) else messages}"
                    for field, messages in data.items()
                )
            )
            response.data = {"osdi:error": {"response_code": response.status_code, "error_description": description}, **data}
        return response

    @cached_property
    def visible_campaigns(self):
        return campaigns_visible_to(self.request.user)

    @cached_property
    def managed_campaign_ids(self) -> set[int]:
        return set(campaigns_managed_by(self.request.user).values_list("pk", flat=True))

    def url(self, name: str, **kwargs) -> str:
        return self.request.build_absolute_uri(reverse(f"api:osdi-{name}", kwargs=kwargs))

    def curies(self) -> list[dict]:
        return [
            {"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}", "templated": True},
            {"name": NAMESPACE, "href": self.request.build_absolute_uri(reverse("api:docs")) + "#{rel}", "templated": True},
        ]

    # -- representations -----------------------------------------------------------------------------

    def target(self, target: m.Target, *, channels: bool = True) -> dict:
        data: dict = {"identifiers": [f"{SYSTEM}:target-{target.pk}"]}
        if target.title:
            data["title"] = target.title
        if target.kind != m.Target.Kind.OFFICIAL:
            data["organization"] = target.name
        data |= {
            f"{NAMESPACE}:name": target.name,
            f"{NAMESPACE}:kind": target.kind,
            f"{NAMESPACE}:role": target.role,
            f"{NAMESPACE}:salutation": target.salutation or None,
            f"{NAMESPACE}:country": str(target.country) or None,
        }
        if not channels:
            return data
        known = [c for c in target.channels.all() if not c.masked]
        emails = [c for c in known if c.kind == m.Channel.Kind.EMAIL]
        numbers = [c for c in known if c.kind in m.Channel.NUMBER_KINDS]
        postal = [c for c in known if c.kind == m.Channel.Kind.POSTAL]
        data["email_addresses"] = [{"address": c.value, "primary": i == 0} for i, c in enumerate(emails)]
        data["phone_numbers"] = [
            {"number": c.e164.lstrip("+"), "number_type": "Fax" if c.kind == m.Channel.Kind.FAX else "Work", "primary": i == 0}
            for i, c in enumerate(numbers)
        ]
        data["postal_addresses"] = [
            {"primary": i == 0, "address_lines": [c.value], **({"country": str(target.country)} if target.country else {})}
            for i, c in enumerate(postal)
        ]
        data[f"{NAMESPACE}:channels"] = [
            {
                "kind": c.kind,
                "value": None if c.masked else c.value,
                "e164": c.e164 or None,
                "masked": c.masked,
                "label": c.label,
            }
            for c in target.channels.all()
        ]
        return data

    def advocacy_campaigns(self, campaigns: list[m.Campaign]) -> list[dict]:
        """Campaigns (from `campaigns_for_documents(actions=False)`) with their totals from the tallies, in one query."""
        totals = campaigns_totals(campaigns=campaigns)
        return [self.advocacy_campaign(c, totals=totals[c.pk]) for c in campaigns]

    def advocacy_campaign(self, campaign: m.Campaign, *, totals: dict) -> dict:
        document = campaign_document(campaign=campaign, include_personal=False, include_actions=False)
        targets = [t for t in campaign.targets.all() if t.role == m.Target.Role.TARGET]
        copy_to = [t for t in campaign.targets.all() if t.role == m.Target.Role.COPY_TO]
        data = {
            "identifiers": [f"{SYSTEM}:{campaign.slug}"],
            "origin_system": ORIGIN,
            "created_date": _iso(campaign.created),
            "modified_date": _iso(campaign.modified),
            "name": campaign.slug,
            "title": campaign.title,
            "browser_url": self.request.build_absolute_uri(reverse("campaigns:campaign", args=[campaign.slug])),
            "summary": campaign.summary,
            "description": campaign.text,
            "target_universe": "; ".join(t.name for t in targets),
            "total_outreaches": totals["actions"],
            "targets": [self.target(t) for t in targets],
            "templates": [campaign.message_body] if campaign.message_body else [],
            f"{NAMESPACE}:status": campaign.status,
            f"{NAMESPACE}:issued": document["issued"],
            f"{NAMESPACE}:deadline": document["deadline"],
            f"{NAMESPACE}:location": document["location"],
            f"{NAMESPACE}:sector": campaign.sector,
            f"{NAMESPACE}:owner": document["owner"],
            f"{NAMESPACE}:message": document["message"],
            f"{NAMESPACE}:organisations": document["organisations"],
            f"{NAMESPACE}:copy_to": [self.target(t) for t in copy_to],
            f"{NAMESPACE}:demands": document["demands"],
            f"{NAMESPACE}:people_at_risk": document["people"],
            f"{NAMESPACE}:events": document["events"],
            f"{NAMESPACE}:updates": document["updates"],
            f"{NAMESPACE}:responses": document["responses"],
            f"{NAMESPACE}:sources": document["sources"],
            f"{NAMESPACE}:total_represented": totals["people"],
            "_links": {
                "self": {"href": self.url("advocacy-campaign", slug=campaign.slug)},
                "osdi:outreaches": {"href": self.url("outreaches", slug=campaign.slug)},
                "osdi:record_outreach_helper": {"href": self.url("record-outreach", slug=campaign.slug)},
                f"{NAMESPACE}:document": {
                    "href": self.request.build_absolute_uri(reverse("api:campaign-detail", kwargs={"slug": campaign.slug}))
                },
                f"{NAMESPACE}:totals": {
                    "href": self.request.build_absolute_uri(reverse("api:campaign-totals", kwargs={"slug": campaign.slug}))
                },
            },
        }
        return data

    def outreach(self, action: m.Action) -> dict:
        personal = action.campaign_id in self.managed_campaign_ids
        slug = action.campaign.slug
        data: dict[str, Any] = {
            "identifiers": [f"{SYSTEM}:{action.pk}", *(i.value for i in action.external_identifiers.all())],
            "origin_system": action.origin_system or ORIGIN,
            "created_date": _iso(action.created),
            "modified_date": _iso(action.created),
            "action_date": action.date.isoformat(),
            "type": OUTREACH_TYPES.get(action.kind, action.kind),
            "subject": action.subject,
            "message": action.text if action_text_public(action, organiser=personal) else "",
            "targets": [self.target(t, channels=False) for t in action.targets.all()],
            f"{NAMESPACE}:kind": action.kind,
            f"{NAMESPACE}:by": action_by(action, personal=personal),
            f"{NAMESPACE}:organisations": [o.name for o in action.organisations.all()],
            f"{NAMESPACE}:represents": action.represents,
            f"{NAMESPACE}:reference": action.reference,
            f"{NAMESPACE}:salutation": action.salutation,
            f"{NAMESPACE}:copies_sent": action.copies_sent,
            f"{NAMESPACE}:country": str(action.country) or None,
            f"{NAMESPACE}:via": action.via,
            f"{NAMESPACE}:channel": {"kind": action.channel.kind, "value": action.channel.value} if action.channel else None,
            f"{NAMESPACE}:signatories": [
                {"name": s.name, "title": s.title, "organisation": s.organisation} for s in action.signatories.all()
            ],
            "_links": {
                "self": {"href": self.url("outreach", slug=slug, pk=action.pk)},
                "osdi:advocacy_campaign": {"href": self.url("advocacy-campaign", slug=slug)},
            },
        }
        if personal and action.supporter_id:
            data["_links"]["osdi:person"] = {"href": self.url("person", pk=action.supporter_id)}
        return data

    def person(self, supporter: m.Supporter) -> dict:
        given, family = _split_name(supporter.name)
        data: dict = {
            "identifiers": [f"{SYSTEM}:{supporter.pk}", *(i.value for i in supporter.external_identifiers.all())],
            "origin_system": ORIGIN,
            "created_date": _iso(supporter.created),
            "modified_date": _iso(supporter.created),
            "given_name": given,
            "family_name": family,
            "email_addresses": [],
            "postal_addresses": [],
            f"{NAMESPACE}:name": supporter.name,
            f"{NAMESPACE}:organisation": supporter.organisation,
            f"{NAMESPACE}:consent_updates": supporter.consent_updates,
            # OSDI's open-ended fields: what we keep that OSDI has no field for, under plain names.
            "custom_fields": {"organisation": supporter.organisation, "consent_updates": supporter.consent_updates},
            "_links": {
                "self": {"href": self.url("person", pk=supporter.pk)},
                "osdi:outreaches": {"href": self.url("person-outreaches", pk=supporter.pk)},
            },
        }
        if supporter.email:
            status = "subscribed" if supporter.consent_updates else "unsubscribed"
            data["email_addresses"] = [{"address": supporter.email, "primary": True, "status": status}]
        if supporter.country:
            data["postal_addresses"] = [{"primary": True, "country": str(supporter.country)}]
        return data

    # -- collections ---------------------------------------------------------------------------------

    def collection(
        self, queryset, *, rel: str, represent=None, represent_page=None, filters: dict[str, Filter] | None = None
    ) -> Response:
        """An OSDI collection: page, per_page, total_pages, total_records, links to each item and the items embedded.

        `filter=` narrows it (the fields in `filters`; any other is a 400 naming those it takes)."""
        text = self.request.query_params.get("filter", "").strip()
        if text:
            for field, op, value in osdi_filter_clauses(text):
                if field not in (filters or {}):
                    if filters:
                        message = _("This collection cannot be filtered by %(field)s; it takes %(known)s.")
                    else:
                        message = _("This collection cannot be filtered by %(field)s; it takes no filter.")
                    raise ValidationError({"filter": [message % {"field": field, "known": ", ".join(filters or {})}]})
                queryset = (filters or {})[field](queryset, op, value)
        errors = {}
        numbers = {}
        for name, default, highest in (("page", 1, None), ("per_page", 25, MAX_PAGE_SIZE)):
            raw = self.request.query_params.get(name, str(default))
            try:
                numbers[name] = int(raw)
            except ValueError:
                errors[name] = [_("Give a whole number.")]
                continue
            if numbers[name] < 1 or (highest and numbers[name] > highest):
                errors[name] = [
                    _("Give a number from 1 to %(highest)d.") % {"highest": highest} if highest else _("Give a number from 1.")
                ]
        if errors:
            raise ValidationError(errors)
        page, per_page = numbers["page"], numbers["per_page"]
        paginator = Paginator(queryset, per_page)
        items = list(paginator.page(page).object_list) if page <= paginator.num_pages else []
        embedded = represent_page(items) if represent_page else [represent(item) for item in items]
        base = self.request.build_absolute_uri(self.request.path)

        def href(number: int) -> dict:
            query = {"page": number, "per_page": per_page, **({"filter": text} if text else {})}
            return {"href": f"{base}?{urlencode(query)}"}

        links: dict = {"self": href(page), "curies": self.curies()}
        if page < paginator.num_pages:
            links["next"] = href(page + 1)
        if 1 < page <= paginator.num_pages:
            links["previous"] = href(page - 1)
            links["prev"] = links["previous"]  # what this API said before OSDI's `previous`
        links[f"osdi:{rel}"] = [{"href": item["_links"]["self"]["href"]} for item in embedded]
        return Response(
            {
                "total_pages": paginator.num_pages,
                "per_page": per_page,
                "page": page,
                "total_records": paginator.count,
                "_links": links,
                "_embedded": {f"osdi:{rel}": embedded},
            }
        )

    def outreaches_queryset(self):
        return m.Action.objects.select_related("campaign", "channel", "supporter").prefetch_related(
            "organisations", "targets", "signatories", "external_identifiers"
        )

    def with_curies(self, data: dict) -> dict:
        data["_links"]["curies"] = self.curies()
        return data


def _schema(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


CAMPAIGN_FILTERS: dict[str, Filter] = {
    "modified_date": date_filter("modified"),
    "created_date": date_filter("created"),
    "identifier": identifier_filter(ours=lambda local: {"slug": local}, external=False),
}
OUTREACH_FILTERS: dict[str, Filter] = {
    "modified_date": date_filter("created"),
    "created_date": date_filter("created"),
    "identifier": identifier_filter(ours=_pk),
}
PERSON_FILTERS: dict[str, Filter] = {
    "modified_date": date_filter("created"),
    "created_date": date_filter("created"),
    "email_address": email_filter,
    "identifier": identifier_filter(ours=_pk),
}

PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("per_page", int, description=f"Items per page, 1 to {MAX_PAGE_SIZE} (default 25)."),
    OpenApiParameter(
        "filter",
        str,
        description="OData-style, e.g. `modified_date gt '2026-01-01'`, `email_address eq 'ann@example.net'` (people), "
        "`identifier eq 'crm:123'`; clauses joined by `and`.",
    ),
]


class EntryPointView(OSDIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="OSDI API entry point", operation_id="osdi_entry_point", responses={200: _schema("OsdiEntryPoint")}, tags=["osdi"]
    )
    def get(self, request):
        return Response(
            {
                "motd": "Solidarity action tracker: appeals as advocacy campaigns, the actions that answer them as outreaches.",
                "max_pagesize": MAX_PAGE_SIZE,
                "vendor_name": ORIGIN,
                "product_name": ORIGIN,
                "osdi_version": "1.1",
                "namespace": NAMESPACE,
                "_links": {
                    "self": {"href": self.url("entry-point"), "title": "This API entry point"},
                    "osdi:advocacy_campaigns": {"href": self.url("advocacy-campaigns"), "title": "The published campaigns"},
                    "osdi:people": {"href": self.url("people"), "title": "Supporters of your campaigns (organisers only)"},
                    "docs": {"href": request.build_absolute_uri(reverse("api:docs")), "title": "Documentation"},
                    "curies": self.curies(),
                },
            }
        )


class AdvocacyCampaignListView(OSDIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Advocacy campaigns",
        operation_id="osdi_advocacy_campaigns_list",
        parameters=PAGE_PARAMETERS,
        responses={200: _schema("OsdiAdvocacyCampaignCollection")},
        tags=["osdi"],
    )
    def get(self, request):
        queryset = (
            campaigns_for_documents(actions=False).filter(pk__in=self.visible_campaigns.values("pk")).order_by("-created", "-id")
        )
        return self.collection(
            queryset, rel="advocacy_campaigns", represent_page=self.advocacy_campaigns, filters=CAMPAIGN_FILTERS
        )


class AdvocacyCampaignDetailView(OSDIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="An advocacy campaign",
        operation_id="osdi_advocacy_campaign_retrieve",
        responses={200: _schema("OsdiAdvocacyCampaign")},
        tags=["osdi"],
    )
    def get(self, request, slug):
        queryset = campaigns_for_documents(actions=False).filter(pk__in=self.visible_campaigns.values("pk"))
        [campaign] = self.advocacy_campaigns([get_object_or_404(queryset, slug=slug)])
        return Response(self.with_curies(campaign))


class OutreachDetailView(OSDIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="An outreach", operation_id="osdi_outreach_retrieve", responses={200: _schema("OsdiOutreach")}, tags=["osdi"]
    )
    def get(self, request, slug, pk):
        campaign = get_object_or_404(self.visible_campaigns, slug=slug)
        return Response(self.with_curies(self.outreach(get_object_or_404(self.outreaches_queryset(), campaign=campaign, pk=pk))))


class SupportersView(OSDIView):
    """People are personal data: only the supporters of campaigns the user organises."""

    permission_classes = [IsAuthenticated]

    def supporters(self):
        return m.Supporter.objects.filter(actions__campaign__in=list(self.managed_campaign_ids)).distinct()


class PersonListView(SupportersView):
    @extend_schema(
        summary="People: supporters of the campaigns you organise",
        operation_id="osdi_people_list",
        parameters=PAGE_PARAMETERS,
        responses={200: _schema("OsdiPersonCollection")},
        tags=["osdi"],
    )
    def get(self, request):
        people = self.supporters().prefetch_related("external_identifiers").order_by("-created", "-id")
        return self.collection(people, rel="people", represent=self.person, filters=PERSON_FILTERS)


class PersonDetailView(SupportersView):
    @extend_schema(
        summary="A person (a supporter of a campaign you organise)",
        operation_id="osdi_person_retrieve",
        responses={200: _schema("OsdiPerson")},
        tags=["osdi"],
    )
    def get(self, request, pk):
        return Response(
            self.with_curies(self.person(get_object_or_404(self.supporters().prefetch_related("external_identifiers"), pk=pk)))
        )


class PersonOutreachListView(SupportersView):
    @extend_schema(
        summary="A person's outreaches (on the campaigns you organise)",
        operation_id="osdi_person_outreaches_list",
        parameters=PAGE_PARAMETERS,
        responses={200: _schema("OsdiOutreachCollection")},
        tags=["osdi"],
    )
    def get(self, request, pk):
        supporter = get_object_or_404(self.supporters(), pk=pk)
        queryset = self.outreaches_queryset().filter(supporter=supporter, campaign__in=list(self.managed_campaign_ids))
        return self.collection(
            queryset.order_by("-created", "-id"), rel="outreaches", represent=self.outreach, filters=OUTREACH_FILTERS
        )


# -- the record outreach helper ------------------------------------------------------------------


class NamespacedSerializer(serializers.Serializer):
    """Fields declared as `solidarity_x` are read as `solidarity:x`, OSDI's way of naming a vendor's extensions."""

    def get_fields(self):
        prefix = f"{NAMESPACE}_"
        return {
            (f"{NAMESPACE}:{name.removeprefix(prefix)}" if name.startswith(prefix) else name): field
            for name, field in super().get_fields().items()
        }


class OsdiEmailAddressInput(serializers.Serializer):
    address = serializers.EmailField(max_length=254)
    primary = serializers.BooleanField(required=False, default=False)
    status = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text="`subscribed` means they agree to receive the campaign's updates.",
    )


class OsdiPostalAddressInput(serializers.Serializer):
    country = CountryCodeField(
        required=False, allow_null=True, help_text="ISO 3166-1 alpha-2. Other address fields are not kept."
    )


class OsdiPersonInput(NamespacedSerializer):
    identifiers = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=20,
        help_text="Your system's identifiers for the person (`crm:123`); kept when an organiser of the campaign sends them.",
    )
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    additional_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    email_addresses = OsdiEmailAddressInput(many=True, required=False, max_length=10)
    postal_addresses = OsdiPostalAddressInput(many=True, required=False, max_length=10)
    solidarity_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="The whole name, as the person gives it."
    )
    solidarity_organisation = serializers.CharField(required=False, allow_blank=True, max_length=300)

    def validate(self, attrs):
        """The supporter's details: name, email, organisation, country, consent_updates."""
        name = attrs.get(f"{NAMESPACE}:name") or " ".join(
            part for part in (attrs.get("given_name"), attrs.get("additional_name"), attrs.get("family_name")) if part
        )
        if len(name) > 200:
            raise serializers.ValidationError({"family_name": [_("The whole name is longer than 200 characters.")]})
        emails = sorted(attrs.get("email_addresses") or [], key=lambda e: not e["primary"])
        countries = [a["country"] for a in attrs.get("postal_addresses") or [] if a.get("country")]
        return {
            "name": name,
            "email": emails[0]["address"] if emails else "",
            "consent_updates": bool(emails) and (emails[0].get("status") or "").lower() == "subscribed",
            "organisation": attrs.get(f"{NAMESPACE}:organisation") or "",
            "country": countries[0] if countries else "",
            "identifiers": attrs.get("identifiers") or [],
        }


class OsdiTargetInput(NamespacedSerializer):
    identifiers = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=20)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    organization = serializers.CharField(required=False, allow_blank=True, max_length=300)
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    solidarity_name = serializers.CharField(required=False, allow_blank=True, max_length=300)


class RecordOutreachSerializer(NamespacedSerializer):
    """OSDI's record outreach helper: an outreach and the person who made it, in one POST."""

    person = OsdiPersonInput(required=False, allow_null=True)
    identifiers = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=20)
    origin_system = serializers.CharField(required=False, allow_blank=True, max_length=200)
    action_date = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="ISO 8601 date or date and time; default today."
    )
    type = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="email, phone, postal mail, in-person, or one of our kinds."
    )
    subject = serializers.CharField(required=False, allow_blank=True, max_length=300)
    message = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    targets = OsdiTargetInput(many=True, required=False, max_length=100)
    solidarity_kind = serializers.ChoiceField(
        choices=m.Action.Kind.choices, required=False, help_text="Our kind; wins over `type`."
    )
    solidarity_represents = serializers.IntegerField(min_value=1, max_value=MAX_INT, required=False, default=1)
    solidarity_country = CountryCodeField(required=False, allow_null=True, help_text="Where it was done from.")
    solidarity_copies_sent = serializers.BooleanField(required=False, default=False)
    solidarity_salutation = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def validate(self, attrs):
        errors: dict = {}
        kind = attrs.get(f"{NAMESPACE}:kind")
        if not kind:
            given = (attrs.get("type") or "").strip().lower()
            kind = KINDS_FROM_TYPE.get(given, given if given in m.Action.Kind.values else "")
            if not kind:
                errors["type"] = [
                    _("Say how it was done: %(types)s, or one of %(kinds)s.")
                    % {"types": ", ".join(KINDS_FROM_TYPE), "kinds": ", ".join(m.Action.Kind.values)}
                ]
        attrs["kind"] = kind
        attrs["date"] = None
        text = (attrs.get("action_date") or "").strip()
        if text:
            try:
                moment = parse_datetime(text)
                attrs["date"] = moment.date() if moment else parse_date(text)
            except ValueError:
                attrs["date"] = None
            if attrs["date"] is None:
                errors["action_date"] = [_("Give an ISO 8601 date (2011-09-06) or date and time.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def _match_target(targets: list[m.Target], item: dict) -> m.Target | None:
    """Which of the campaign's targets an OSDI target object means: by our identifier, else by name."""
    by_id = {f"{SYSTEM}:target-{t.pk}": t for t in targets}
    for identifier in item.get("identifiers") or []:
        if identifier in by_id:
            return by_id[identifier]
    by_name = {}
    for target in sorted(targets, key=lambda t: t.role != m.Target.Role.TARGET, reverse=True):
        by_name[target.name.casefold()] = target
    person = " ".join(p for p in (item.get("given_name"), item.get("family_name")) if p)
    for name in (item.get(f"{NAMESPACE}:name"), item.get("organization"), person, item.get("family_name")):
        if name and name.strip().casefold() in by_name:
            return by_name[name.strip().casefold()]
    return None


class OutreachRecording(OSDIView):
    """Recording an outreach: the record outreach helper and POST to the outreaches collection share it."""

    def record(self, campaign: m.Campaign) -> Response:
        serializer = RecordOutreachSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        candidates = list(campaign.targets.all())
        targets, missing = [], {}
        for index, item in enumerate(data.get("targets") or []):
            target = _match_target(candidates, item)
            if target is None:
                missing[index] = [_("No target of this campaign matches this one.")]
            elif target not in targets:
                targets.append(target)
        if missing:
            raise ValidationError({"targets": missing})
        organiser = campaign.pk in self.managed_campaign_ids
        refusals = action_refusals(organiser=organiser, represents=data[f"{NAMESPACE}:represents"])
        if refusals:
            raise ValidationError({f"{NAMESPACE}:represents": refusals["represents"]})
        person = dict(data.get("person") or {})
        person_identifiers = person.pop("identifiers", [])
        details = supporter_details_clean(**person)
        action = action_record(
            campaign=campaign,
            kind=data["kind"],
            targets=targets,
            supporter_details=details,
            date=data["date"],
            subject=data.get("subject") or "",
            text=data.get("message") or "",
            salutation=data.get(f"{NAMESPACE}:salutation") or "",
            represents=data[f"{NAMESPACE}:represents"],
            copies_sent=data[f"{NAMESPACE}:copies_sent"],
            country=data.get(f"{NAMESPACE}:country") or "",
        )
        action_provenance_set(
            action=action, origin_system=data.get("origin_system") or "", identifiers=data.get("identifiers") or []
        )
        if organiser and action.supporter_id:
            # Only an organiser's identifiers name a person: anyone else could tie a stranger's record to theirs.
            external_identifiers_add(identifiers=person_identifiers, supporter=action.supporter)
        if not organiser:
            return Response({})  # the same whatever the person's address did before
        return Response(self.with_curies(self.outreach(self.outreaches_queryset().get(pk=action.pk))))


class RecordOutreachView(OutreachRecording):
    permission_classes = [AllowAny]
    throttle_classes = [SupporterActionThrottle]

    @extend_schema(
        summary="Record outreach helper",
        operation_id="osdi_record_outreach_helper",
        description="Record an outreach (an action) and the person who made it. Except to the campaign's organisers "
        "the answer is an empty object, as OSDI specifies; to them, the outreach. Send `Idempotency-Key` so that a "
        "retried POST records one outreach. Targets are matched by our identifier "
        f"(`{SYSTEM}:target-<id>`) or by name (`{NAMESPACE}:name`, `organization`, or given and family name).",
        request=RecordOutreachSerializer,
        responses={200: _schema("OsdiOutreachOrEmpty")},
        parameters=[IDEMPOTENCY_KEY],
        tags=["osdi"],
    )
    def post(self, request, slug):
        campaign = get_object_or_404(self.visible_campaigns, slug=slug)
        return idempotent(request, lambda: self.record(campaign))


class OutreachListView(OutreachRecording):
    permission_classes = [AllowAny]
    throttle_classes = [SupporterActionThrottle]  # POST only: reads are not throttled

    @extend_schema(
        summary="An advocacy campaign's outreaches",
        operation_id="osdi_outreaches_list",
        parameters=PAGE_PARAMETERS,
        responses={200: _schema("OsdiOutreachCollection")},
        tags=["osdi"],
    )
    def get(self, request, slug):
        campaign = get_object_or_404(self.visible_campaigns, slug=slug)
        queryset = self.outreaches_queryset().filter(campaign=campaign).order_by("-created", "-id")
        return self.collection(queryset, rel="outreaches", represent=self.outreach, filters=OUTREACH_FILTERS)

    @extend_schema(
        summary="Create an outreach",
        operation_id="osdi_outreaches_create",
        description="The same as the record outreach helper (OSDI clients create outreaches either way).",
        request=RecordOutreachSerializer,
        responses={200: _schema("OsdiOutreachOrEmpty")},
        parameters=[IDEMPOTENCY_KEY],
        tags=["osdi"],
    )
    def post(self, request, slug):
        campaign = get_object_or_404(self.visible_campaigns, slug=slug)
        return idempotent(request, lambda: self.record(campaign))


@csrf_exempt  # the OSDI views it hands over to are (token authentication; DRF checks CSRF for sessions)
def trailing_slash(request: HttpRequest, rest: str) -> HttpResponse:
    """OSDI clients often add a slash (`.../people/`, `.../people/?filter=...`): answer as without it."""
    try:
        match = resolve(reverse("api:osdi-entry-point") + rest)
    except Resolver404:
        raise Http404 from None
    if match.func is trailing_slash:
        raise Http404
    return match.func(request, *match.args, **match.kwargs)

"""/api/v1/: campaigns (the detail is the campaign document) and what they are made of; thin views over services."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from .. import models as m
from ..documents.shape import CampaignDocument, CampaignInput
from ..documents.validation import CampaignDoc, document_validate
from ..languages import language_active
from ..permissions import (
    campaigns_managed_by,
    campaigns_visible_to,
    can_create_campaigns,
    can_manage,
    organisation_changes_refused,
    organisations_for_user,
    organisations_visible_to,
)
from ..selectors.documents import campaign_document, campaigns_for_documents
from ..selectors.totals import campaign_totals
from ..services.actions import action_record
from ..services.documents import campaign_document_load
from ..services.people import person_status_set
from ..services.responses import response_record
from ..services.supporters import supporter_details_clean
from . import filters
from . import serializers as s
from .idempotency import PARAMETER as IDEMPOTENCY_KEY
from .idempotency import idempotent
from .pagination import ActionCursorPagination
from .throttling import SupporterActionThrottle

ID_REGEX = "[0-9]+"
SLUG_REGEX = "[-a-zA-Z0-9_]+"


class ScopedMixin:
    """Who is asking: the campaigns they may see, and those they organise (and so may see supporters of)."""

    request: Request

    @cached_property
    def visible_campaigns(self):
        return campaigns_visible_to(self.request.user)

    @cached_property
    def managed_campaign_ids(self) -> set[int]:
        return set(campaigns_managed_by(self.request.user).values_list("pk", flat=True))

    def get_serializer_context(self):
        context = super().get_serializer_context()  # type: ignore[misc]
        context["visible_campaigns"] = self.visible_campaigns
        context["managed_campaign_ids"] = self.managed_campaign_ids
        return context

    def require_organiser(self, campaign: m.Campaign) -> None:
        if not can_manage(self.request.user, campaign, managed_ids=self.managed_campaign_ids):
            raise PermissionDenied("You do not organise this campaign.")


@extend_schema_view(
    list=extend_schema(summary="List campaigns", description="Published campaigns, and your own drafts."),
    retrieve=extend_schema(
        summary="Read a campaign document",
        description="The whole campaign as one document (docs/campaign-document.md). Supporters' details are "
        "included only for the organisers of the campaign's organisation. Drafts are 404 to everyone else.",
        responses=s.CampaignDocumentSerializer,
    ),
    create=extend_schema(
        summary="Create a campaign from a document",
        description="Organisers. `owner` names one of your organisations (optional if you have one). "
        "A bad document is a 400 naming the field, e.g. `targets[0].channels[1].value`.",
        request=CampaignDoc,
        responses={201: s.CampaignDocumentSerializer},
    ),
    update=extend_schema(
        summary="Replace a campaign with a document",
        description="Organisers of the campaign. The document's lists replace the campaign's (actions and "
        "responses are only added or updated). The slug cannot change.",
        request=CampaignDoc,
        responses=s.CampaignDocumentSerializer,
    ),
)
class CampaignViewSet(ScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX
    serializer_class = s.CampaignSummarySerializer
    filterset_class = filters.CampaignFilter
    ordering_fields = ["created", "modified", "deadline", "slug"]
    ordering = ["-created", "-id"]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return self.visible_campaigns.select_related("owner").prefetch_related("translations")

    def retrieve(self, request, slug=None):
        campaign = get_object_or_404(campaigns_for_documents().filter(pk__in=self.visible_campaigns.values("pk")), slug=slug)
        return Response(campaign_document(campaign=campaign, include_personal=campaign.pk in self.managed_campaign_ids))

    def _owner(self, name: str, *, creating: bool) -> m.Organisation | None:
        """The owner a document names, which must be one of the user's organisations (None: keep the current one)."""
        mine = organisations_for_user(self.request.user)
        if name:
            owner = mine.filter(name=name).first()
            if owner is None:
                raise ValidationError({"owner": [_("You do not organise for %(name)s.") % {"name": repr(name)}]})
            return owner
        if not creating:
            return None
        candidates = list(mine[:2])
        if len(candidates) != 1:
            raise ValidationError({"owner": [_("Name the organisation (one of yours) that runs this campaign.")]})
        return candidates[0]

    def _check_organisations(self, data: CampaignInput) -> None:
        errors = organisation_changes_refused(self.request.user, data.get("organisations") or [])
        if errors:
            raise ValidationError(errors)

    def _document(self, campaign_pk: int) -> CampaignDocument:
        return campaign_document(campaign=campaigns_for_documents().get(pk=campaign_pk), include_personal=True)

    def create(self, request):
        if not can_create_campaigns(request.user):
            raise PermissionDenied("Only organisers of an organisation may create campaigns.")
        data = document_validate(request.data)
        if m.Campaign.objects.filter(slug=data["slug"]).exists():
            raise ValidationError({"slug": [_("A campaign with this slug exists already.")]})
        owner = self._owner(data.get("owner") or "", creating=True)
        self._check_organisations(data)
        document = {k: v for k, v in request.data.items() if k != "owner"}
        campaign = campaign_document_load(document=document, owner=owner)
        headers = {"Location": reverse("api:campaign-detail", kwargs={"slug": campaign.slug})}
        return Response(self._document(campaign.pk), status=status.HTTP_201_CREATED, headers=headers)

    def update(self, request, slug=None):
        campaign = get_object_or_404(self.visible_campaigns, slug=slug)
        self.require_organiser(campaign)
        document = request.data
        if isinstance(document, dict):
            document = {"slug": campaign.slug, **document}
        data = document_validate(document)
        if data["slug"] != campaign.slug:
            raise ValidationError(
                {"slug": [_("A campaign's slug does not change: this one is %(slug)s.") % {"slug": repr(campaign.slug)}]}
            )
        owner = self._owner(data.get("owner") or "", creating=False)
        self._check_organisations(data)
        campaign_document_load(document={k: v for k, v in document.items() if k != "owner"}, owner=owner)
        return Response(self._document(campaign.pk))

    @extend_schema(summary="A campaign's totals", responses=s.TotalsSerializer, filters=False)
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def totals(self, request, slug=None):
        campaign = get_object_or_404(self.visible_campaigns, slug=slug)
        totals = campaign_totals(campaign=campaign)
        # The API's field names stay stable whatever the pages' selector grows.
        return Response(
            {
                "campaign": campaign.slug,
                "actions": totals["actions"],
                "represents": totals["people"],
                "countries": totals["countries"],
                "by_kind": totals["by_kind"],
                "by_target": [
                    {"id": t.pk, "name": t.name, "role": t.role, "actions": totals["by_target_id"].get(t.pk, 0)}
                    for t in campaign.targets.order_by("role", "position", "id")
                ],
            }
        )


@extend_schema_view(list=extend_schema(summary="List organisations"), retrieve=extend_schema(summary="Read an organisation"))
class OrganisationViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Organisations that take part in campaigns you can see, and your own."""

    serializer_class = s.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    lookup_value_regex = ID_REGEX
    ordering_fields = ["name"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return organisations_visible_to(self.request.user)


class CampaignPartViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Rows that belong to a campaign, shown when the campaign is visible."""

    lookup_value_regex = ID_REGEX
    base_queryset: QuerySet

    def get_queryset(self):
        return self.base_queryset.filter(campaign__in=self.visible_campaigns.values("pk"))


@extend_schema_view(
    list=extend_schema(summary="List targets and copy-to recipients"), retrieve=extend_schema(summary="Read a target")
)
class TargetViewSet(CampaignPartViewSet):
    base_queryset = m.Target.objects.select_related("campaign").prefetch_related("channels")
    serializer_class = s.TargetSerializer
    filterset_class = filters.TargetFilter
    ordering_fields = ["name", "position"]
    ordering = ["campaign_id", "role", "position", "id"]


@extend_schema_view(list=extend_schema(summary="List demands"), retrieve=extend_schema(summary="Read a demand"))
class DemandViewSet(CampaignPartViewSet):
    base_queryset = m.Demand.objects.select_related("campaign").prefetch_related("translations")
    serializer_class = s.DemandSerializer
    filterset_class = filters.DemandFilter
    ordering = ["campaign_id", "position", "id"]
    ordering_fields = ["position"]


@extend_schema_view(list=extend_schema(summary="List people at risk"), retrieve=extend_schema(summary="Read a person at risk"))
class PersonViewSet(CampaignPartViewSet):
    base_queryset = m.Person.objects.select_related("campaign").prefetch_related("history")
    serializer_class = s.PersonSerializer
    filterset_class = filters.PersonFilter
    ordering = ["campaign_id", "position", "id"]
    ordering_fields = ["name", "position"]

    @extend_schema(
        summary="Record a person's new status",
        description="Organisers of the campaign: the history keeps it, the person shows it.",
        request=s.PersonStatusSerializer,
        responses=s.PersonSerializer,
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="status", permission_classes=[IsAuthenticated], filterset_class=None)
    def set_status(self, request, pk=None):
        person = self.get_object()
        self.require_organiser(person.campaign)
        serializer = s.PersonStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person_status_set(person=person, status=data["status"], date=data.get("date") or "", text=data["text"])
        return Response(s.PersonSerializer(self.get_queryset().get(pk=person.pk)).data)


@extend_schema_view(list=extend_schema(summary="List events"), retrieve=extend_schema(summary="Read an event"))
class EventViewSet(CampaignPartViewSet):
    base_queryset = m.Event.objects.select_related("campaign")
    serializer_class = s.EventSerializer
    filterset_class = filters.EventFilter
    ordering = ["campaign_id", "position", "id"]
    ordering_fields = ["position"]


@extend_schema_view(list=extend_schema(summary="List updates"), retrieve=extend_schema(summary="Read an update"))
class UpdateViewSet(CampaignPartViewSet):
    base_queryset = m.Update.objects.select_related("campaign")
    serializer_class = s.UpdateSerializer
    filterset_class = filters.UpdateFilter
    ordering = ["-date", "-created", "-id"]
    ordering_fields = ["date", "created"]


@extend_schema_view(
    list=extend_schema(summary="List actions", description="Supporters' details only for the campaign's organisers."),
    retrieve=extend_schema(summary="Read an action"),
    create=extend_schema(
        summary="Record an action",
        description="Anyone, without an account (rate-limited per address); send `Idempotency-Key` so that a "
        "retried POST records one action. `supporter` is stored for the campaign's organisers and never shown "
        "to anyone else; it never changes a supporter already stored, and `consent_updates` e-mails a link to "
        "confirm. Only the campaign's organisers may give `organisations`, `signatories` or `represents` above 1, "
        "and get the action back (201); everyone else gets a receipt of what they sent (202), the same whether "
        "or not the e-mail had acted before.",
        request=s.ActionCreateSerializer,
        responses={201: s.ActionSerializer, 202: s.ActionReceiptSerializer},
        parameters=[IDEMPOTENCY_KEY],
    ),
)
class ActionViewSet(mixins.CreateModelMixin, CampaignPartViewSet):
    base_queryset = m.Action.objects.select_related("campaign", "supporter", "channel").prefetch_related(
        "organisations", "targets", "signatories"
    )
    serializer_class = s.ActionSerializer
    filterset_class = filters.ActionFilter
    pagination_class = ActionCursorPagination
    ordering = ["-created", "-id"]
    ordering_fields = ["date", "created", "represents"]

    def get_permissions(self):
        if self.action == "create":
            return [AllowAny()]
        return super().get_permissions()

    def get_throttles(self):
        if self.action == "create":
            return [SupporterActionThrottle()]
        return super().get_throttles()

    def create(self, request, *args, **kwargs):
        return idempotent(request, self._record)

    def _record(self) -> Response:
        serializer = s.ActionCreateSerializer(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["language"] = data.get("language") or language_active()  # the request's (Accept-Language), if not said
        details = supporter_details_clean(**(data.pop("supporter", None) or {}))
        recorded = action_record(supporter_details=details, **data)
        campaign = data["campaign"]
        if campaign.pk in self.managed_campaign_ids:
            # A new action comes back from the service with its links: no need to read it again.
            action = self.base_queryset.get(pk=recorded.pk) if recorded.repeat else recorded
            return Response(self.get_serializer(action).data, status=status.HTTP_201_CREATED)
        receipt = {
            "campaign": campaign.slug,
            "kind": data["kind"],
            "targets": [{"id": t.pk, "name": t.name} for t in data["targets"]],
            "date": data.get("date") or timezone.localdate(),
            "represents": data.get("represents", 1),
            "counted": "The same e-mail acting the same way counts once.",
            "consent_confirmation": bool(details and details.consent_updates),
        }
        return Response(s.ActionReceiptSerializer(receipt).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    list=extend_schema(summary="List targets' responses"),
    retrieve=extend_schema(summary="Read a response"),
    create=extend_schema(
        summary="Record what a target answered",
        description="Organisers of the campaign.",
        request=s.ResponseCreateSerializer,
        responses={201: s.ResponseSerializer},
    ),
)
class ResponseViewSet(mixins.CreateModelMixin, CampaignPartViewSet):
    base_queryset = m.Response.objects.select_related("campaign", "target")
    serializer_class = s.ResponseSerializer
    filterset_class = filters.ResponseFilter
    ordering = ["-date", "-id"]
    ordering_fields = ["date", "created"]

    def create(self, request, *args, **kwargs):
        serializer = s.ResponseCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self.require_organiser(data["campaign"])
        recorded = response_record(recorded_by=request.user, **data)
        return Response(self.get_serializer(self.base_queryset.get(pk=recorded.pk)).data, status=status.HTTP_201_CREATED)

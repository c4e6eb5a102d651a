"""The organisers' back office: a whole campaign on one page, actions, responses and deliveries.

Every list and form is limited to the campaigns of the organiser's own organisations
(campaigns.permissions); superusers see everything.
"""

from __future__ import annotations

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count

from . import models as m
from .permissions import campaigns_managed_by, organisations_for_user, organisations_visible_to, supporters_managed_by
from .selectors.delivery import delivery_status
from .services.delivery import delivery_requeue
from .services.tallies import action_tallies_rebuild


class ScopedToCampaignAdmin(admin.ModelAdmin):
    """For models hanging off a campaign: lists and choices only from campaigns the organiser manages."""

    campaign_path = "campaign"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(**{f"{self.campaign_path}__in": campaigns_managed_by(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        managed = campaigns_managed_by(request.user)
        if db_field.name == "campaign":
            kwargs["queryset"] = managed
        elif db_field.name in ("target", "channel", "action") and hasattr(db_field.related_model, "campaign"):
            kwargs["queryset"] = db_field.related_model.objects.filter(campaign__in=managed)
        elif db_field.name == "channel":
            kwargs["queryset"] = m.Channel.objects.filter(target__campaign__in=managed).select_related("target")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "targets":
            kwargs["queryset"] = m.Target.objects.filter(campaign__in=campaigns_managed_by(request.user))
        elif db_field.name == "organisations":
            kwargs["queryset"] = organisations_visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CampaignOrganisationInline(nested_admin.NestedTabularInline):
    model = m.CampaignOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "contact", "contact_role", "note", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = organisations_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ChannelInline(nested_admin.NestedTabularInline):
    model = m.Channel
    extra = 1
    fields = ["kind", "value", "masked", "e164", "label", "position"]
    readonly_fields = ["e164"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class TargetInline(nested_admin.NestedStackedInline):
    model = m.Target
    extra = 0
    fields = [("role", "kind"), "name", ("title", "salutation"), ("country", "note"), "position"]
    inlines = [ChannelInline]


class DemandInline(nested_admin.NestedTabularInline):
    model = m.Demand
    extra = 0
    fields = ["text", "status", "date", "evidence", "position"]


class PersonStatusChangeInline(nested_admin.NestedTabularInline):
    model = m.PersonStatusChange
    extra = 0
    fields = ["status", "date", "text"]


class PersonInline(nested_admin.NestedStackedInline):
    model = m.Person
    extra = 0
    fields = [("name", "age"), "role", "status", "details", "position"]
    inlines = [PersonStatusChangeInline]


class EventInline(nested_admin.NestedTabularInline):
    model = m.Event
    extra = 0
    fields = ["date", "text", "position"]


class UpdateInline(nested_admin.NestedStackedInline):
    model = m.Update
    extra = 0
    fields = [("date", "title"), "text"]


class SourceInline(nested_admin.NestedTabularInline):
    model = m.Source
    extra = 0
    fields = ["title", "file", "url"]


@admin.register(m.Campaign)
class CampaignAdmin(nested_admin.NestedModelAdmin):
    list_display = ["title", "status", "country", "place", "owner", "deadline", "action_count"]
    list_filter = ["status", "country", "sector", "owner"]
    search_fields = ["title", "summary", "place", "slug", "targets__name", "people__name"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "created"
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "owner", "summary"]}),
        ("Where and when", {"fields": [("country", "place"), "sector", ("issued", "deadline")]}),
        ("Model message", {"fields": ["message_subject", "message_body"]}),
        ("Goal and embedding", {"fields": ["goal", "embed_origins"]}),
        ("Full text of the appeal", {"fields": ["text"], "classes": ["collapse"]}),
    ]
    inlines = [
        CampaignOrganisationInline,
        TargetInline,
        DemandInline,
        PersonInline,
        EventInline,
        UpdateInline,
        SourceInline,
    ]

    def get_queryset(self, request):
        queryset = campaigns_managed_by(request.user).select_related("owner")
        return queryset.annotate(action_count=Count("actions", distinct=True))

    @admin.display(ordering="action_count", description="actions")
    def action_count(self, obj) -> int:
        return obj.action_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = organisations_for_user(request.user)
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        mine = organisations_for_user(request.user)
        if not request.user.is_superuser and mine.count() == 1:
            initial.setdefault("owner", mine.get().pk)
        return initial


class SignatoryInline(admin.TabularInline):
    model = m.Signatory
    extra = 0
    fields = ["name", "title", "organisation", "position"]


@admin.register(m.Action)
class ActionAdmin(ScopedToCampaignAdmin):
    list_display = ["date", "kind", "campaign", "by", "represents", "via", "created"]
    list_filter = ["kind", "via", "date", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reference", "subject", "text", "campaign__title", "organisations__name"]
    list_select_related = ["campaign", "supporter"]
    autocomplete_fields = ["organisations"]
    filter_horizontal = ["targets"]
    # Not a choice: a raw-id field would accept (and label) any supporter's id, another organisation's too.
    readonly_fields = ["supporter"]
    date_hierarchy = "date"
    fields = [
        "campaign",
        ("kind", "date"),
        "targets",
        "channel",
        "organisations",
        "supporter",
        ("reference", "represents", "copies_sent"),
        "country",
        "salutation",
        "subject",
        "text",
    ]
    inlines = [SignatoryInline]

    @admin.display(description="by")
    def by(self, obj: m.Action) -> str:
        return str(obj.supporter) if obj.supporter else "—"

    # Edits here bypass action_record, so the campaign's totals are recounted (rare, and exact).
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _recount(form.instance.campaign_id, form.initial.get("campaign") if change else None)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _recount(obj.campaign_id)

    def delete_queryset(self, request, queryset):
        campaign_ids = set(queryset.values_list("campaign_id", flat=True))
        super().delete_queryset(request, queryset)
        _recount(*campaign_ids)


def _recount(*campaign_ids) -> None:
    for campaign in m.Campaign.objects.filter(pk__in=[pk for pk in campaign_ids if pk]):
        action_tallies_rebuild(campaign=campaign)


@admin.register(m.Response)
class ResponseAdmin(ScopedToCampaignAdmin):
    list_display = ["date", "target", "classification", "campaign", "channel"]
    list_filter = ["classification", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["summary", "reading", "target__name"]
    list_select_related = ["target", "campaign"]
    fields = ["campaign", "target", "action", ("date", "channel"), "classification", "summary", "reading"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(m.Delivery)
class DeliveryAdmin(ScopedToCampaignAdmin):
    """The outbox: what was sent, what waits (and until when), what failed and why; queue depth on top."""

    list_display = ["created", "subject", "recipient", "state", "attempts", "purpose", "not_before", "sent_at", "error"]
    list_filter = ["state", "purpose", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["subject", "recipient", "last_error"]
    readonly_fields = [f.name for f in m.Delivery._meta.fields]
    actions = ["queue_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        if request.user.is_superuser:  # also mail that belongs to no campaign: digests to organisers
            return admin.ModelAdmin.get_queryset(self, request)
        return super().get_queryset(request)

    @admin.display(description="last error")
    def error(self, obj: m.Delivery) -> str:
        return obj.last_error[:120]

    @admin.action(description="Queue the selected failed deliveries again", permissions=["view"])
    def queue_again(self, request, queryset):
        requeued = sum(delivery_requeue(delivery=d) for d in queryset.filter(state=m.Delivery.State.FAILED))
        self.message_user(request, f"{requeued} deliveries queued again.", messages.SUCCESS if requeued else messages.WARNING)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "delivery_status": delivery_status(deliveries=self.get_queryset(request), with_broker=request.user.is_superuser),
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(m.Supporter)
class SupporterAdmin(admin.ModelAdmin):
    """Personal data: an organiser sees only supporters who acted on their organisations' campaigns."""

    list_display = ["__str__", "organisation", "country", "consent_updates", "created"]
    list_filter = ["consent_updates", "country"]
    search_fields = ["name", "email", "organisation"]

    def get_queryset(self, request):
        return supporters_managed_by(request.user)


class MembershipInline(admin.TabularInline):
    model = m.Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(m.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name"]

    def get_queryset(self, request):
        # The list, the change pages and the autocomplete widgets that choose an organisation.
        return organisations_visible_to(request.user)

    def get_inlines(self, request, obj):
        # Only superusers decide who organises for whom.
        return [MembershipInline] if request.user.is_superuser else []

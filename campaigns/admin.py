"""The organisers' back office: a whole campaign on one page, actions, responses and deliveries.

Every list and form is limited to the campaigns of the organiser's own organisations
(campaigns.permissions); superusers see everything. Statuses (a campaign's, a demand's outcome, a
person's) and actions are written through their services, so history and news follow every change.
"""

from __future__ import annotations

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import models as m
from .partial_dates import normalise_partial_date
from .permissions import campaigns_managed_by, organisations_for_user, organisations_visible_to, supporters_managed_by
from .selectors.delivery import delivery_status
from .services.actions import action_errors, action_record
from .services.campaigns import campaign_status_set, demand_outcome_set
from .services.delivery import delivery_requeue
from .services.people import person_status_set
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
    fields = [("role", "kind"), "name", ("title", "salutation"), ("country", "language"), "note", "position"]
    inlines = [ChannelInline]


class OriginalLanguageForm(forms.ModelForm):
    """Edits a translatable object's texts in its original language; other languages are its Translations."""

    translated_fields: tuple[str, ...] = ()

    def _original_language(self) -> str:
        raise NotImplementedError

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            rows = {t.language_code: t for t in self.instance.translations.all()}
            row = rows.get(self._original_language())
            for name in self.translated_fields:
                self.initial.setdefault(name, getattr(row, name) if row is not None else getattr(self.instance, name))

    def _post_clean(self):
        super()._post_clean()  # type: ignore[misc]  # ModelForm has it; the stubs do not say so
        self.instance.set_current_language(self._original_language())
        for name in self.translated_fields:
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])


class CampaignForm(OriginalLanguageForm):
    translated_fields = ("title", "summary", "message_subject", "message_body", "call_to_action")
    title = forms.CharField(max_length=300, help_text=_("In the campaign's original language."))
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    message_subject = forms.CharField(label=_("Model message subject"), max_length=300, required=False)
    message_body = forms.CharField(label=_("Model message"), required=False, widget=forms.Textarea)
    call_to_action = forms.CharField(
        label=_("Call to action"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the campaign asks supporters to do, in a sentence or two."),
    )

    class Meta:
        model = m.Campaign
        fields = [
            "language",
            "slug",
            "status",
            "owner",
            "country",
            "place",
            "sector",
            "issued",
            "deadline",
            "goal",
            "embed_origins",
            "text",
        ]

    def _original_language(self) -> str:
        return self.instance.language  # after _post_clean's construct_instance: the language the form chose


class DemandForm(OriginalLanguageForm):
    translated_fields = ("text",)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))

    class Meta:
        model = m.Demand
        fields = ["status", "date", "evidence", "position"]

    def _original_language(self) -> str:
        try:
            return self.instance.campaign.language  # the campaign form's choice, once the formset has set it
        except m.Campaign.DoesNotExist:
            return m.Campaign._meta.get_field("language").get_default()


class TranslationsFormSet(nested_admin.formsets.NestedInlineFormSet):
    """The object's translations in languages other than its original (the original is edited in the form above)."""

    def _original_language(self) -> str:
        campaign = self.instance if isinstance(self.instance, m.Campaign) else getattr(self.instance, "campaign", None)
        return campaign.language if campaign is not None and campaign.pk else ""

    def get_queryset(self):
        return super().get_queryset().exclude(language_code=self._original_language())

    def clean(self):
        super().clean()
        original = self._original_language()
        for form in self.forms:
            if getattr(form, "cleaned_data", None) and form.cleaned_data.get("language_code") == original and original:
                form.add_error("language_code", _("This is the original language: edit its text above."))


class CampaignTranslationInline(nested_admin.NestedStackedInline):
    model = m.CampaignTranslation
    formset = TranslationsFormSet
    fk_name = "master"
    extra = 0
    verbose_name = _("translation")
    verbose_name_plural = _("translations (the campaign in other languages)")
    fields = ["language_code", "title", "summary", ("message_subject", "call_to_action"), "message_body"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}


class DemandTranslationInline(nested_admin.NestedTabularInline):
    model = m.DemandTranslation
    formset = TranslationsFormSet
    fk_name = "master"
    extra = 0
    verbose_name = _("translation")
    verbose_name_plural = _("translations")
    fields = ["language_code", "text"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}


class DemandInline(nested_admin.NestedStackedInline):
    model = m.Demand
    form = DemandForm
    extra = 0
    fields = ["text", ("status", "date"), "evidence", "position"]
    inlines = [DemandTranslationInline]


class ReadOnlyInlineMixin:
    """A history: shown, never edited here (its service writes it)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PersonStatusChangeInline(ReadOnlyInlineMixin, nested_admin.NestedTabularInline):
    model = m.PersonStatusChange
    fields = readonly_fields = ["status", "date", "text", "recorded"]


class PersonForm(forms.ModelForm):
    """A person's status is the last entry of their history: a new one is recorded through person_status_set."""

    new_status = forms.ChoiceField(
        label=_("New status"), choices=[("", _("(unchanged)")), *m.PersonStatus.choices], required=False
    )
    status_date = forms.CharField(label=_("since"), max_length=10, required=False, help_text=m.PARTIAL_DATE_HELP)
    status_text = forms.CharField(label=_("what happened"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = m.Person
        fields = ["name", "age", "role", "details", "position"]

    def clean_status_date(self) -> str:
        try:
            return normalise_partial_date(self.cleaned_data["status_date"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class PersonInline(nested_admin.NestedStackedInline):
    model = m.Person
    form = PersonForm
    extra = 0
    fields = [("name", "age"), "role", ("status", "new_status"), ("status_date", "status_text"), "details", "position"]
    readonly_fields = ["status"]
    inlines = [PersonStatusChangeInline]


class CampaignStatusChangeInline(ReadOnlyInlineMixin, nested_admin.NestedTabularInline):
    model = m.CampaignStatusChange
    verbose_name_plural = "status history"
    fields = readonly_fields = ["recorded", "previous", "status", "by"]


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
    form = CampaignForm
    list_display = ["title", "language", "status", "country", "place", "owner", "deadline", "action_count"]
    list_filter = ["status", "country", "sector", "owner", "language"]
    search_fields = ["translations__title", "translations__summary", "place", "slug", "targets__name", "people__name"]
    date_hierarchy = "created"
    fieldsets = [
        (None, {"fields": ["language", "title", "slug", "status", "owner", "summary", "call_to_action"]}),
        (_("Where and when"), {"fields": [("country", "place"), "sector", ("issued", "deadline")]}),
        (_("Model message"), {"fields": ["message_subject", "message_body"]}),
        (_("Goal and embedding"), {"fields": ["goal", "embed_origins"]}),
        (_("Full text of the appeal"), {"fields": ["text"], "classes": ["collapse"]}),
    ]
    inlines = [
        CampaignTranslationInline,
        CampaignOrganisationInline,
        TargetInline,
        DemandInline,
        PersonInline,
        EventInline,
        UpdateInline,
        SourceInline,
        CampaignStatusChangeInline,
    ]

    def get_queryset(self, request):
        queryset = campaigns_managed_by(request.user).select_related("owner").prefetch_related("translations")
        return queryset.annotate(action_count=Count("actions", distinct=True))

    @admin.display(ordering="action_count", description=_("actions"))
    def action_count(self, obj) -> int:
        return obj.action_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            kwargs["queryset"] = organisations_for_user(request.user)
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Saved with the status it had; campaign_status_set then makes the change, with its history and news.
        status = obj.status
        obj.status = form.initial.get("status", m.Campaign.Status.DRAFT) if change else m.Campaign.Status.DRAFT
        super().save_model(request, obj, form, change)
        campaign_status_set(campaign=obj, status=status, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is m.Demand:
            return self._save_demands(request, form, formset, change)
        if formset.model is m.Person:
            return self._save_people(request, form, formset, change)
        return super().save_formset(request, form, formset, change)

    def _save_demands(self, request, form, formset, change):
        """The text and position are saved here; an outcome changed goes through demand_outcome_set."""
        outcomes = []
        for demand_form in _kept_forms(formset):
            data, initial = demand_form.cleaned_data, demand_form.initial
            wanted = (data["status"], data["date"], data["evidence"])
            before = (initial.get("status", m.Demand.Status.OPEN), initial.get("date", ""), initial.get("evidence", ""))
            if wanted != before:
                demand_form.instance.status, demand_form.instance.date, demand_form.instance.evidence = before
                outcomes.append((demand_form.instance, wanted))
        super().save_formset(request, form, formset, change)
        for demand, (status, date, evidence) in outcomes:
            demand_outcome_set(demand=demand, status=status, date=date, evidence=evidence)

    def _save_people(self, request, form, formset, change):
        """A new status (and a new person's first one) goes through person_status_set, into the history."""
        changes = []
        for person_form in _kept_forms(formset):
            data = person_form.cleaned_data
            status = data.get("new_status") or ("" if person_form.instance.pk else m.PersonStatus.THREATENED)
            if status:
                changes.append((person_form, status, data.get("status_date") or "", data.get("status_text") or ""))
        super().save_formset(request, form, formset, change)
        for person_form, status, date, text in changes:
            person_status_set(person=person_form.instance, status=status, date=date, text=text)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        mine = organisations_for_user(request.user)
        if not request.user.is_superuser and mine.count() == 1:
            initial.setdefault("owner", mine.get().pk)
        return initial


def _kept_forms(formset) -> list[forms.ModelForm]:
    """The forms of a formset that will be saved: valid, changed (or existing), not deleted."""
    return [
        f
        for f in formset.forms
        if getattr(f, "cleaned_data", None) and not formset._should_delete_form(f) and (f.instance.pk or f.has_changed())
    ]


class SignatoryInline(admin.TabularInline):
    model = m.Signatory
    extra = 0
    fields = ["name", "title", "organisation", "position"]


class ActionAdminForm(forms.ModelForm):
    """Asks action_record's own checks (campaigns.services.actions.action_errors) before it records."""

    def clean(self):
        data = super().clean() or {}
        if data.get("campaign") and data.get("kind") and data.get("date"):
            errors = action_errors(
                campaign=data["campaign"],
                kind=data["kind"],
                targets=list(data.get("targets") or []),
                channel=data.get("channel"),
                date=data["date"],
                represents=data.get("represents") or 0,
            )
            for field, message in errors.items():
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(m.Action)
class ActionAdmin(ScopedToCampaignAdmin):
    list_display = ["date", "kind", "campaign", "by", "represents", "via", "created"]
    list_filter = ["kind", "via", "date", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["reference", "subject", "text", "campaign__translations__title", "organisations__name"]
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
    form = ActionAdminForm

    @admin.display(description=_("by"))
    def by(self, obj: m.Action) -> str:
        return str(obj.supporter) if obj.supporter else "—"

    def has_change_permission(self, request, obj=None) -> bool:
        # An action is a fact recorded once (its totals counted with it): it can be viewed or deleted, not edited.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        pass  # recorded in save_related, through action_record, once the signatories are known

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        signatories = [
            {"name": f.cleaned_data["name"], "title": f.cleaned_data["title"], "organisation": f.cleaned_data["organisation"]}
            for formset in formsets
            for f in _kept_forms(formset)
        ]
        action = action_record(
            campaign=data["campaign"],
            kind=data["kind"],
            date=data["date"],
            targets=list(data["targets"]),
            channel=data["channel"],
            organisations=list(data["organisations"]),
            supporter=None,  # read-only here: an organiser records an action for organisations, not as a supporter
            reference=data["reference"],
            represents=data["represents"],
            copies_sent=data["copies_sent"],
            country=str(data["country"] or ""),
            salutation=data["salutation"],
            subject=data["subject"],
            text=data["text"],
            signatories=signatories,
            dedupe=False,
        )
        form.instance.pk, form.instance._state.adding = action.pk, False
        for formset in formsets:  # what the admin's change message reads
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

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

    @admin.display(description=_("last error"))
    def error(self, obj: m.Delivery) -> str:
        return obj.last_error[:120]

    @admin.action(description=_("Queue the selected failed deliveries again"), permissions=["view"])
    def queue_again(self, request, queryset):
        requeued = sum(delivery_requeue(delivery=d) for d in queryset.filter(state=m.Delivery.State.FAILED))
        self.message_user(
            request,
            ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", requeued) % {"n": requeued},
            messages.SUCCESS if requeued else messages.WARNING,
        )

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
    # Consent is the supporter's to give (supporter_for_action) or withdraw (unsubscribe), not an organiser's.
    readonly_fields = ["consent_updates", "consented_at"]

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

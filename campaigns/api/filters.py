"""Query-string filters for the API's lists; a value that cannot be read is a 400 naming the parameter."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries
from django_filters.fields import IsoDateTimeField

from .. import models as m
from ..permissions import campaigns_visible_to


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time with any UTC offset Python reads, compared in UTC: the database accepts offsets
    only up to 15:59, and a time near year 1 or 9999 may not exist in UTC at all."""

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            raise ValidationError(_("This time is out of range once converted to UTC."), code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


def visible_campaigns(request):
    return campaigns_visible_to(request.user) if request is not None else m.Campaign.objects.none()


def visible_targets(request):
    return m.Target.objects.filter(campaign__in=visible_campaigns(request))


class CountryFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", list(countries))
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 code, e.g. KZ.")
        super().__init__(*args, **kwargs)


def campaign_filter(field_name: str = "campaign") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=visible_campaigns,
        help_text="A campaign's slug.",
    )


def target_filter(field_name: str = "target") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(field_name=field_name, queryset=visible_targets, help_text="A target's id.")


class CampaignFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=m.Campaign.Status.choices)
    country = CountryFilter()
    sector = django_filters.CharFilter(lookup_expr="iexact")
    organisation = django_filters.ModelChoiceFilter(
        field_name="organisations", queryset=m.Organisation.objects.all(), distinct=True, help_text="An organisation's id."
    )
    owner = django_filters.ModelChoiceFilter(queryset=m.Organisation.objects.all(), help_text="An organisation's id.")
    deadline = django_filters.DateFromToRangeFilter(help_text="deadline_after, deadline_before: YYYY-MM-DD.")
    modified_since = UtcIsoDateTimeFilter(
        field_name="modified", lookup_expr="gte", help_text="Changed at or after this ISO 8601 time."
    )

    class Meta:
        model = m.Campaign
        fields = ["status", "country", "sector", "organisation", "owner", "deadline", "modified_since"]


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=m.Organisation.Kind.choices)
    country = CountryFilter()
    campaign = campaign_filter("campaign_roles__campaign")

    class Meta:
        model = m.Organisation
        fields = ["kind", "country", "campaign"]


class TargetFilter(django_filters.FilterSet):
    campaign = campaign_filter()
    role = django_filters.ChoiceFilter(choices=m.Target.Role.choices)
    kind = django_filters.ChoiceFilter(choices=m.Target.Kind.choices)
    country = CountryFilter()

    class Meta:
        model = m.Target
        fields = ["campaign", "role", "kind", "country"]


class DemandFilter(django_filters.FilterSet):
    campaign = campaign_filter()
    status = django_filters.ChoiceFilter(choices=m.Demand.Status.choices)

    class Meta:
        model = m.Demand
        fields = ["campaign", "status"]


class PersonFilter(django_filters.FilterSet):
    campaign = campaign_filter()
    status = django_filters.ChoiceFilter(choices=m.PersonStatus.choices)

    class Meta:
        model = m.Person
        fields = ["campaign", "status"]


class EventFilter(django_filters.FilterSet):
    campaign = campaign_filter()

    class Meta:
        model = m.Event
        fields = ["campaign"]


class UpdateFilter(django_filters.FilterSet):
    campaign = campaign_filter()
    date = django_filters.DateFromToRangeFilter(help_text="date_after, date_before: YYYY-MM-DD.")

    class Meta:
        model = m.Update
        fields = ["campaign", "date"]


class ActionFilter(django_filters.FilterSet):
    campaign = campaign_filter()
    target = target_filter("targets")
    kind = django_filters.ChoiceFilter(choices=m.Action.Kind.choices)
    via = django_filters.ChoiceFilter(choices=m.Action.Via.choices)
    country = CountryFilter(help_text="Where the action was taken from: ISO 3166-1 alpha-2.")
    organisation = django_filters.ModelChoiceFilter(
        field_name="organisations", queryset=m.Organisation.objects.all(), help_text="An acting organisation's id."
    )
    date = django_filters.DateFromToRangeFilter(help_text="date_after, date_before: YYYY-MM-DD.")

    class Meta:
        model = m.Action
        fields = ["campaign", "target", "kind", "via", "country", "organisation", "date"]


class ResponseFilter(django_filters.FilterSet):
    campaign = campaign_filter()
    target = target_filter()
    classification = django_filters.ChoiceFilter(choices=m.Response.Classification.choices)
    date = django_filters.DateFromToRangeFilter(help_text="date_after, date_before: YYYY-MM-DD.")

    class Meta:
        model = m.Response
        fields = ["campaign", "target", "classification", "date"]

"""One place for who may see and change what. Campaigns belong to organisations; organisers to organisations."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Action, Campaign, Organisation, Supporter

AnyUser = AbstractBaseUser | AnonymousUser


def organisations_for_user(user: AnyUser) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if getattr(user, "is_superuser", False):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user_id=user.pk)


def campaigns_managed_by(user: AnyUser) -> QuerySet[Campaign]:
    """Campaigns this user organises: those owned by one of their organisations (all, for superusers)."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    if getattr(user, "is_superuser", False):
        return Campaign.objects.all()
    return Campaign.objects.filter(owner__memberships__user_id=user.pk)


def campaigns_visible_to(user: AnyUser) -> QuerySet[Campaign]:
    """Published campaigns for everyone, plus drafts of the campaigns the user organises."""
    published = Campaign.objects.exclude(status=Campaign.Status.DRAFT)
    if not user.is_authenticated:
        return published
    return (published | campaigns_managed_by(user)).distinct()


def can_manage(user: AnyUser, campaign: Campaign, *, managed_ids: Collection[int] | None = None) -> bool:
    """Whether the user organises the campaign; `managed_ids` is a caller's cached campaigns_managed_by."""
    if managed_ids is not None:
        return campaign.pk in managed_ids
    return campaigns_managed_by(user).filter(pk=campaign.pk).exists()


def campaign_for_user(user: AnyUser, slug: str, *, write: bool = False) -> Campaign:
    """The campaign, or Http404 for anyone who may not see it (or change it, with write=True).

    404 rather than 403, so the answer does not reveal that a draft exists.
    """
    queryset = campaigns_managed_by(user) if write else campaigns_visible_to(user)
    try:
        return queryset.get(slug=slug)
    except Campaign.DoesNotExist:
        raise Http404("No such campaign.") from None


def action_refusals(*, organiser: bool, organisations=(), signatories=(), represents: int = 1) -> dict[str, list[str]]:
    """What only a campaign's organisers may say about an action they record, by field (empty: allowed).

    Anyone may record that they acted, as one person; acting for organisations, with signatories, or for
    more than one person needs an organiser of the campaign (anyone could claim two billion members).
    """
    if organiser:
        return {}
    refusals: dict[str, list[str]] = {}
    for field, value in (("organisations", organisations), ("signatories", signatories)):
        if value:
            refusals[field] = ["Only the campaign's organisers may record an action on behalf of organisations."]
    if represents != 1:
        refusals["represents"] = ["An action recorded without the campaign's organisers speaks for one person."]
    return refusals


def action_text_public(action: Action, *, organiser: bool) -> bool:
    """Whether an action's own words may be shown: a supporter's letter is theirs, private unless they chose to
    publish it; an organisation's letter is a public statement. The campaign's organisers see every one."""
    return organiser or action.text_public or bool(action.organisations.all())


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations that take part in campaigns the user may see (issuers, owners, actions' authors), and their own."""
    from .models import CampaignOrganisation

    visible = campaigns_visible_to(user).values("pk")
    return Organisation.objects.filter(
        Q(pk__in=CampaignOrganisation.objects.filter(campaign__in=visible).values("organisation"))
        | Q(pk__in=Campaign.objects.filter(pk__in=visible).values("owner"))
        | Q(pk__in=Action.organisations.through.objects.filter(action__campaign__in=visible).values("organisation"))
        | Q(pk__in=organisations_for_user(user).values("pk"))
    )


def supporters_managed_by(user: AnyUser) -> QuerySet[Supporter]:
    """Supporters (personal data) an organiser may see: those who acted on campaigns they organise."""
    if getattr(user, "is_superuser", False):
        return Supporter.objects.all()
    return Supporter.objects.filter(actions__campaign__in=campaigns_managed_by(user)).distinct()


def can_create_campaigns(user: AnyUser) -> bool:
    """Organisers of some organisation (a campaign needs an owner among them)."""
    return organisations_for_user(user).exists()


def organisation_changes_refused(user: AnyUser, items: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """A document may name any organisation, but may change the details (short name, country, aliases)
    only of the user's own: loading a document updates an existing organisation's details. By field."""
    if getattr(user, "is_superuser", False):
        return {}
    mine = set(organisations_for_user(user).values_list("pk", flat=True))
    existing = {o.name: o for o in Organisation.objects.filter(name__in=[item["name"] for item in items])}
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        organisation = existing.get(item["name"])
        if organisation is None or organisation.pk in mine:
            continue
        current = {
            "short_name": organisation.short_name,
            "country": str(organisation.country),
            "aliases": organisation.aliases,
        }
        for key, value in current.items():
            if item.get(key) and item[key] != value:
                errors[f"organisations[{index}].{key}"] = [f"Only {item['name']}'s own organisers may change its {key}."]
    return errors

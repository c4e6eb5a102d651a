"""One place for who may see and change what. Campaigns belong to organisations; organisers to organisations."""

from __future__ import annotations

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


def can_manage(user: AnyUser, campaign: Campaign) -> bool:
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

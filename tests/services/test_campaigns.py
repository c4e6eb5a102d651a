"""campaign_status_set: the one way a campaign's status changes, with its history and the news it implies."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Campaign, CampaignStatusChange, Delivery
from campaigns.services.campaigns import campaign_status_set
from campaigns.services.documents import campaign_document_load

from ..factories import ActionFactory, SupporterFactory


@pytest.fixture
def follower(campaign):
    from django.utils import timezone

    supporter = SupporterFactory(email="ana@example.net", consent_updates=True, consented_at=timezone.now())
    ActionFactory(campaign=campaign, supporter=supporter)
    return supporter


def test_a_win_is_kept_in_the_history_and_told_to_supporters(campaign, organiser, follower, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        campaign_status_set(campaign=campaign, status="won", by=organiser)
    campaign.refresh_from_db()
    assert campaign.status == "won"
    change = CampaignStatusChange.objects.get()
    assert (change.previous, change.status, change.by) == ("active", "won", organiser)
    news = Delivery.objects.get(purpose="notification")
    assert news.to == ["ana@example.net"] and "won" in news.subject.lower()


def test_the_same_status_again_writes_nothing(campaign, follower):
    campaign_status_set(campaign=campaign, status="active")
    assert not CampaignStatusChange.objects.exists() and not Delivery.objects.exists()


def test_publishing_is_history_but_not_news(campaign, follower):
    Campaign.objects.filter(pk=campaign.pk).update(status="draft")
    campaign_status_set(campaign=campaign, status="active")
    assert CampaignStatusChange.objects.get().previous == "draft"
    assert not Delivery.objects.exists()


def test_an_unknown_status_is_refused_by_field(campaign):
    with pytest.raises(ValidationError) as error:
        campaign_status_set(campaign=campaign, status="victorious")
    assert "status" in error.value.message_dict
    assert Campaign.objects.get(pk=campaign.pk).status == "active"


def test_a_document_changes_statuses_through_the_services(campaign, follower, organisation):
    document = {"slug": campaign.slug, "title": campaign.title, "status": "active", "demands": [{"text": "Nationalise"}]}
    campaign_document_load(document=document, owner=organisation)
    assert not Delivery.objects.exists()
    campaign_document_load(
        document={**document, "status": "won", "demands": [{"text": "Nationalise", "status": "met", "date": "2026-11"}]},
        owner=organisation,
    )
    assert [(c.previous, c.status) for c in CampaignStatusChange.objects.all()] == [("active", "won")]
    keys = sorted(Delivery.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == 2 and keys[0].startswith("notify:campaign:") and keys[1].startswith("notify:demand:")
    # Loading it again is no change: no history, no news.
    campaign_document_load(
        document={**document, "status": "won", "demands": [{"text": "Nationalise", "status": "met", "date": "2026-11"}]},
        owner=organisation,
    )
    assert CampaignStatusChange.objects.count() == 1 and Delivery.objects.count() == 2


def test_a_new_campaign_from_a_document_starts_its_history(organisation):
    campaign = campaign_document_load(document={"slug": "new-one", "title": "New", "status": "active"}, owner=organisation)
    assert [(c.previous, c.status) for c in campaign.status_history.all()] == [("draft", "active")]

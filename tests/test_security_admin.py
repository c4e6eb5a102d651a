"""Issue 11: every related-row choice in the admin is limited to what the organiser may see.

Each related field, as the campaign's organiser (sees our row) and as an organiser of another organisation
(does not, and still sees their own).
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from campaigns import models as m
from campaigns.services.actions import action_record
from campaigns.services.supporters import SupporterDetails

from .factories import CampaignFactory, ChannelFactory, OrganisationFactory, TargetFactory


@pytest.fixture
def ours(campaign):
    """Rows of our campaign, and an organisation that appears only on our draft campaign."""
    hidden_org = OrganisationFactory(name="Branch only in our draft")
    draft = CampaignFactory(owner=campaign.owner, status="draft")
    m.CampaignOrganisation.objects.create(campaign=draft, organisation=hidden_org)
    target = TargetFactory(campaign=campaign)
    channel = ChannelFactory(target=target)
    action = action_record(
        campaign=campaign, kind="email", targets=[target],
        supporter_details=SupporterDetails(name="Secret Supporter", email="secret@example.net"),
    )  # fmt: skip
    return {
        "campaign": campaign,
        "target": target,
        "channel": channel,
        "action": action,
        "supporter": action.supporter,
        "organisation": hidden_org,
        "owner": campaign.owner,
    }


@pytest.fixture
def theirs(outsider, other_organisation):
    campaign = CampaignFactory(owner=other_organisation, status="draft")
    target = TargetFactory(campaign=campaign)
    channel = ChannelFactory(target=target)
    action = action_record(campaign=campaign, kind="fax", targets=[target])
    return {
        "campaign": campaign,
        "target": target,
        "channel": channel,
        "action": action,
        "organisation": other_organisation,
        "owner": other_organisation,
    }


def _choices(user, model, field_name, inline=None):
    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = admin.site._registry[model]
    if inline is not None:
        model_admin = inline(model, admin.site)
        model = inline.model
    field = model._meta.get_field(field_name)
    if field.many_to_many:
        formfield = model_admin.formfield_for_manytomany(field, request)
    else:
        formfield = model_admin.formfield_for_foreignkey(field, request)
    return set(formfield.queryset)


from campaigns.admin import CampaignOrganisationInline  # noqa: E402

RELATED_FIELDS = [
    (m.Action, "campaign", None),
    (m.Action, "channel", None),
    (m.Action, "targets", None),
    (m.Action, "organisations", None),
    (m.Response, "campaign", None),
    (m.Response, "target", None),
    (m.Response, "action", None),
    (m.Campaign, "owner", None),
    (m.Campaign, "organisation", CampaignOrganisationInline),
]


def _key(field_name: str) -> str:
    return {"targets": "target", "organisations": "organisation"}.get(field_name, field_name)


@pytest.mark.parametrize(("model", "field_name", "inline"), RELATED_FIELDS)
def test_each_related_choice_as_organiser_and_outsider(organiser, outsider, ours, theirs, model, field_name, inline):
    key = _key(field_name)
    mine = _choices(organiser, model, field_name, inline)
    assert ours[key] in mine and theirs[key] not in mine
    others = _choices(outsider, model, field_name, inline)
    assert ours[key] not in others and theirs[key] in others


def test_the_supporter_is_no_choice_and_an_outsider_cannot_name_one(client, outsider, ours, theirs):
    """The raw-id leak: saving another organisation's supporter id used to label it with their name or e-mail."""
    client.force_login(outsider)
    url = reverse("admin:campaigns_action_change", args=[theirs["action"].pk])
    page = client.get(url).content.decode()
    assert 'name="supporter"' not in page
    data = {"campaign": theirs["campaign"].pk, "kind": "fax", "date": "2026-01-01", "represents": 1, "country": "",
            "supporter": ours["supporter"].pk, "signatories-TOTAL_FORMS": 0, "signatories-INITIAL_FORMS": 0}  # fmt: skip
    response = client.post(url, data)
    assert "Secret Supporter" not in response.content.decode() and "secret@example.net" not in response.content.decode()
    theirs["action"].refresh_from_db()
    assert theirs["action"].supporter_id is None


def test_the_supporter_list_and_organisation_autocomplete_are_scoped(client, outsider, ours, theirs):
    client.force_login(outsider)
    assert "Secret Supporter" not in client.get(reverse("admin:campaigns_supporter_changelist")).content.decode()
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "Branch only", "app_label": "campaigns", "model_name": "action", "field_name": "organisations"},
    ).json()
    assert found["results"] == []

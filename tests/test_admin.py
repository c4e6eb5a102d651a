"""The organisers' admin: one page per campaign, scoped to the organiser's organisations."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from campaigns import models as m

from .factories import CampaignFactory, TargetFactory


def form_data(html: str, form_id: str) -> dict:
    """What a browser would submit for the form as rendered (inputs, selects, textareas)."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    data: dict = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name:
            continue
        if field.name == "textarea":
            data[name] = field.text.removeprefix("\n")
        elif field.name == "select":
            chosen = [o.get("value", "") for o in field.find_all("option") if o.has_attr("selected")]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


@pytest.fixture
def seeded(organisation):
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return m.Campaign.objects.get(slug="irtyshskii-foundry-nationalisation")


def test_organiser_sees_the_whole_campaign_on_one_page(client, organiser, seeded):
    client.force_login(organiser)
    response = client.get(reverse("admin:campaigns_campaign_change", args=[seeded.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for fact in ("Kazakhmys", "007-3102-768247", "+73102768247", "Ivan Bulgakov", "--07-01", "Nationalisation", "Ainur Kurmanov"):
        assert fact.lower() in html.lower(), fact


def test_organiser_saves_the_campaign_page_with_its_inlines(client, organiser, seeded):
    client.force_login(organiser)
    url = reverse("admin:campaigns_campaign_change", args=[seeded.pk])
    data = form_data(client.get(url).content.decode(), "campaign_form")
    data["summary"] = "Updated summary."
    response = client.post(url, data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".errorlist")
    seeded.refresh_from_db()
    assert seeded.summary == "Updated summary."
    assert seeded.targets.get(name="Kazakhmys").channels.count() == 2
    assert seeded.people.count() == 2 and seeded.events.count() == 11


def test_a_bad_fax_number_re_renders_with_the_error_and_keeps_the_text(client, organiser, seeded):
    client.force_login(organiser)
    url = reverse("admin:campaigns_campaign_change", args=[seeded.pk])
    data = form_data(client.get(url).content.decode(), "campaign_form")
    fax_field = next(k for k, v in data.items() if v == "007-3102-768247")
    data[fax_field] = "fax me maybe"
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "fax me maybe is not a phone number" in html
    assert ">\nfax me maybe</textarea>" in html
    assert m.Channel.objects.filter(value="007-3102-768247").exists()


def test_organiser_adds_a_campaign_with_a_target_and_channels(client, organiser, organisation):
    client.force_login(organiser)
    url = reverse("admin:campaigns_campaign_add")
    data = form_data(client.get(url).content.decode(), "campaign_form")
    data.update(title="Free Natalia Sokolova", slug="free-sokolova", status="active", owner=str(organisation.pk))
    target_prefix = next(k for k in data if k.endswith("TOTAL_FORMS") and "targets" in k and "channels" not in k).removesuffix(
        "-TOTAL_FORMS"
    )
    data[f"{target_prefix}-TOTAL_FORMS"] = "1"
    data.update(
        {
            f"{target_prefix}-0-role": "target",
            f"{target_prefix}-0-kind": "official",
            f"{target_prefix}-0-name": "Prosecutor General",
        }
    )
    data[f"{target_prefix}-0-position"] = "0"
    channel_prefix = f"{target_prefix}-0-channels"
    data.update({
        f"{channel_prefix}-TOTAL_FORMS": "2", f"{channel_prefix}-INITIAL_FORMS": "0",
        f"{channel_prefix}-MIN_NUM_FORMS": "0", f"{channel_prefix}-MAX_NUM_FORMS": "1000",
        f"{channel_prefix}-0-kind": "fax", f"{channel_prefix}-0-value": "++7 7172 71 25 17", f"{channel_prefix}-0-position": "0",
        f"{channel_prefix}-1-kind": "email", f"{channel_prefix}-1-masked": "on", f"{channel_prefix}-1-position": "1",
    })  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".errorlist")
    campaign = m.Campaign.objects.get(slug="free-sokolova")
    assert campaign.owner == organisation
    fax, email = campaign.targets.get().channels.all()
    assert (fax.e164, email.masked) == ("+77172712517", True)


def test_changelist_search_and_filter(client, organiser, organisation):
    CampaignFactory(owner=organisation, title="Foundry nationalisation", status="active")
    CampaignFactory(owner=organisation, title="Oil strike", status="won")
    client.force_login(organiser)
    url = reverse("admin:campaigns_campaign_changelist")
    assert "Oil strike" in client.get(url, {"q": "oil"}).content.decode()
    assert "Foundry nationalisation" not in client.get(url, {"q": "oil"}).content.decode()
    filtered = client.get(url, {"status__exact": "won"}).content.decode()
    assert "Oil strike" in filtered and "Foundry nationalisation" not in filtered


def test_outsider_cannot_see_or_change_another_organisations_campaign(client, outsider, seeded):
    client.force_login(outsider)
    changelist = client.get(reverse("admin:campaigns_campaign_changelist")).content.decode()
    assert "Foundry workers fight" not in changelist
    response = client.get(reverse("admin:campaigns_campaign_change", args=[seeded.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect, not the page
    assert client.get(reverse("admin:campaigns_action_changelist")).content.decode().count("ICEM-IMF11") == 0


def test_anonymous_is_sent_to_login(client, seeded):
    response = client.get(reverse("admin:campaigns_campaign_change", args=[seeded.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_organiser_records_an_action_and_a_response(client, organiser, campaign):
    target = TargetFactory(campaign=campaign, name="Kazakhmys")
    client.force_login(organiser)
    url = reverse("admin:campaigns_action_add")
    data = form_data(client.get(url).content.decode(), "action_form")
    data.update(
        campaign=str(campaign.pk),
        kind="letter",
        date="2011-09-06",
        targets=[str(target.pk)],
        represents="45000000",
        reference="REF/1",
    )
    response = client.post(url, data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".errorlist")
    action = m.Action.objects.get(reference="REF/1")
    url = reverse("admin:campaigns_response_add")
    data = form_data(client.get(url).content.decode(), "response_form")
    data.update(
        campaign=str(campaign.pk), target=str(target.pk), action=str(action.pk), date="2011-10-01",
        classification="refused", summary="The company refuses to talk.",
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".errorlist")
    saved = m.Response.objects.get()
    assert (saved.classification, saved.recorded_by, saved.action) == ("refused", organiser, action)


def test_outsider_cannot_pick_another_organisations_campaign_for_an_action(client, outsider, campaign):
    client.force_login(outsider)
    url = reverse("admin:campaigns_action_add")
    data = form_data(client.get(url).content.decode(), "action_form")
    data.update(campaign=str(campaign.pk), kind="email", date="2020-01-01", represents="1")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not m.Action.objects.exists()

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


# --- No status changes here without its history and news --------------------------------------------


@pytest.fixture
def follower(seeded):
    from django.utils import timezone

    from .factories import ActionFactory, SupporterFactory

    supporter = SupporterFactory(email="ana@example.net", consent_updates=True, consented_at=timezone.now())
    ActionFactory(campaign=seeded, supporter=supporter)
    return supporter


def _campaign_form(client, campaign) -> tuple[str, dict]:
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    return url, form_data(client.get(url).content.decode(), "campaign_form")


def _post(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".errorlist")
    return response


def _news(prefix: str) -> list[m.Delivery]:
    return list(m.Delivery.objects.filter(dedupe_key__startswith=prefix))


def test_winning_a_campaign_in_the_admin_keeps_its_history_and_tells_supporters(client, organiser, seeded, follower):
    client.force_login(organiser)
    url, data = _campaign_form(client, seeded)
    data["status"] = "won"
    _post(client, url, data)
    assert m.Campaign.objects.get(pk=seeded.pk).status == "won"
    change = seeded.status_history.last()
    assert (change.previous, change.status, change.by) == ("active", "won", organiser)
    assert [d.to for d in _news(f"notify:campaign:{seeded.pk}:won")] == [["ana@example.net"]]
    assert "status history" in client.get(url).content.decode().lower()


def test_a_new_campaign_in_the_admin_starts_its_status_history(client, organiser, organisation):
    client.force_login(organiser)
    url = reverse("admin:campaigns_campaign_add")
    data = form_data(client.get(url).content.decode(), "campaign_form")
    data.update(title="New campaign", slug="new-campaign", status="active", owner=str(organisation.pk))
    _post(client, url, data)
    campaign = m.Campaign.objects.get(slug="new-campaign")
    assert campaign.status == "active"
    assert [(c.previous, c.status) for c in campaign.status_history.all()] == [("draft", "active")]


def test_a_demand_outcome_in_the_admin_goes_through_its_service(client, organiser, seeded, follower):
    client.force_login(organiser)
    url, data = _campaign_form(client, seeded)
    demand = seeded.demands.first()
    prefix = next(k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == str(demand.pk) and "demand" in k)
    data.update({f"{prefix}-status": "met", f"{prefix}-date": "2026-11", f"{prefix}-evidence": "The decree."})
    _post(client, url, data)
    demand.refresh_from_db()
    assert (demand.status, demand.date, demand.evidence) == ("met", "2026-11", "The decree.")
    assert [d.to for d in _news(f"notify:demand:{demand.pk}:met")] == [["ana@example.net"]]
    # Saving the page again (the outcome unchanged) sends nothing more.
    _post(client, url, form_data(client.get(url).content.decode(), "campaign_form"))
    assert len(_news("notify:demand:")) == 1


def test_a_persons_new_status_in_the_admin_is_history_and_news(client, organiser, seeded, follower):
    client.force_login(organiser)
    url, data = _campaign_form(client, seeded)
    person = seeded.people.get(name="Ivan Bulgakov")
    prefix = next(k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == str(person.pk) and "people" in k)
    assert f"{prefix}-status" not in data, "the status itself is read-only: it is the history's last entry"
    history = person.history.count()
    data.update({f"{prefix}-new_status": "detained", f"{prefix}-status_date": "2026-11-30", f"{prefix}-status_text": "Arrested."})
    data[f"{prefix}-status"] = "released"  # a forged field changes nothing
    _post(client, url, data)
    person.refresh_from_db()
    assert person.status == "detained"
    assert person.history.count() == history + 1
    last = person.history.last()
    assert (last.status, last.date, last.text) == ("detained", "2026-11-30", "Arrested.")
    assert len(_news("notify:person:")) == 1


def test_a_bad_status_date_is_a_form_error_not_a_crash(client, organiser, seeded):
    client.force_login(organiser)
    url, data = _campaign_form(client, seeded)
    person = seeded.people.get(name="Ivan Bulgakov")
    prefix = next(k.removesuffix("-id") for k, v in data.items() if k.endswith("-id") and v == str(person.pk) and "people" in k)
    data.update({f"{prefix}-new_status": "detained", f"{prefix}-status_date": "last tuesday"})
    response = client.post(url, data)
    assert response.status_code == 200 and "last tuesday" in response.content.decode()
    assert m.Person.objects.get(pk=person.pk).status == "threatened"


def test_a_person_added_in_the_admin_has_a_first_history_entry(client, organiser, seeded):
    client.force_login(organiser)
    url, data = _campaign_form(client, seeded)
    total = int(next(v for k, v in data.items() if k.endswith("TOTAL_FORMS") and "people" in k and k.count("-") == 1))
    prefix = next(k for k in data if k.endswith("TOTAL_FORMS") and "people" in k and k.count("-") == 1).removesuffix(
        "-TOTAL_FORMS"
    )
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data.update(
        {
            f"{prefix}-{total}-name": "Natalia Sokolova",
            f"{prefix}-{total}-position": "5",
            f"{prefix}-{total}-new_status": "charged",
            f"{prefix}-{total}-history-TOTAL_FORMS": "0",
            f"{prefix}-{total}-history-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    if response.status_code != 302:  # nested formsets name their children differently: say what the page wanted
        pytest.fail(str(BeautifulSoup(response.content, "html.parser").select(".errorlist")))
    person = seeded.people.get(name="Natalia Sokolova")
    assert person.status == "charged" and [h.status for h in person.history.all()] == ["charged"]


def test_the_history_of_a_person_is_not_edited_in_the_admin(client, organiser, seeded):
    client.force_login(organiser)
    html = client.get(reverse("admin:campaigns_campaign_change", args=[seeded.pk])).content.decode()
    assert 'name="people-0-history-0-status"' not in html and "-history-0-status" not in html


def test_an_action_added_in_the_admin_is_recorded_and_counted(client, organiser, campaign):
    target = TargetFactory(campaign=campaign, name="Kazakhmys")
    client.force_login(organiser)
    url = reverse("admin:campaigns_action_add")
    data = form_data(client.get(url).content.decode(), "action_form")
    data.update(campaign=str(campaign.pk), kind="letter", date="2011-09-06", targets=[str(target.pk)], represents="300")
    data.update(
        {
            "signatories-TOTAL_FORMS": "1",
            "signatories-0-name": "Jyrki Raina",
            "signatories-0-title": "General Secretary",
            "signatories-0-position": "0",
        }
    )
    _post(client, url, data)
    action = m.Action.objects.get()
    assert [s.name for s in action.signatories.all()] == ["Jyrki Raina"]
    from campaigns.selectors.totals import campaign_totals

    totals = campaign_totals(campaign=campaign)
    assert (totals["actions"], totals["people"]) == (1, 300)
    # Recorded once, it is a fact: viewed, not edited.
    change = reverse("admin:campaigns_action_change", args=[action.pk])
    assert client.get(change).status_code == 200
    client.post(change, {**data, "represents": "1"})
    assert m.Action.objects.get().represents == 300


def test_an_impossible_action_in_the_admin_is_a_form_error(client, organiser, campaign):
    client.force_login(organiser)
    url = reverse("admin:campaigns_action_add")
    data = form_data(client.get(url).content.decode(), "action_form")
    data.update(campaign=str(campaign.pk), kind="email", date="2099-01-01", represents="1")
    response = client.post(url, data)
    assert response.status_code == 200 and "That day has not come yet" in response.content.decode()
    assert not m.Action.objects.exists()


def test_an_organiser_cannot_give_consent_for_a_supporter(client, superuser):
    from .factories import SupporterFactory

    supporter = SupporterFactory(email="quiet@example.net")
    client.force_login(superuser)
    url = reverse("admin:campaigns_supporter_change", args=[supporter.pk])
    data = form_data(client.get(url).content.decode(), "supporter_form")
    data["consent_updates"] = "on"
    client.post(url, data)
    assert not m.Supporter.objects.get(pk=supporter.pk).consent_updates

"""The organiser's appeal-import page: paste or upload, review beside the highlighted source, save; as each kind of user."""

import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from campaigns import models as m

from ..factories import UserFactory

FOUNDRY = settings.BASE_DIR / "seeds" / "000_5746010bd4fc8c14.txt"
IMPORT = "/organise/import/"
SAVE = "/organise/import/save/"


def _review(client, **data):
    response = client.post(IMPORT, data)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def _post_data(response) -> dict:
    """What the review page's form would post as it is: every field of the main form and of every row."""
    data = {}
    forms = [response.context["form"]]
    for formset in response.context["formsets"].values():
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _rows(response, prefix: str) -> list[dict]:
    return [{f.name: f.value() for f in row if f.name != "DELETE"} for row in response.context["formsets"][prefix]]


def test_urls():
    assert reverse("appeal_import") == IMPORT
    assert reverse("appeal_import_save") == SAVE


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    for response in (client.get(IMPORT), client.post(IMPORT, {"text": "x"}), client.post(SAVE, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_a_user_who_organises_nothing_is_refused(client):
    client.force_login(UserFactory(username="someone"))
    assert client.get(IMPORT).status_code == 403


@pytest.mark.django_db
def test_organiser_sees_the_form(client, organiser):
    client.force_login(organiser)
    response = client.get(IMPORT)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="text"' in body and 'type="file"' in body and 'enctype="multipart/form-data"' in body


@pytest.mark.django_db
def test_pasted_text_is_reviewed_as_rows_beside_the_highlighted_source(client, organiser, organisation):
    client.force_login(organiser)
    response = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    body = response.content.decode()
    assert '<mark class="f-channel" title="channel: fax of Kazakhmys (target)">007-3102-768247</mark>' in body
    assert re.search(r'<mark class="f-people" title="person at risk: Ivan Bulgakov \(threatened\)">Ivan Bulgakov</mark>', body)
    assert '<mark class="f-events" title="event dated --07-01">1 July</mark>' in body
    parties = _rows(response, "parties")
    assert (parties[0]["role"], parties[0]["name"]) == ("target", "Kazakhmys")
    assert parties[0]["channels"] == "fax: 007-3102-768247\nemail: [hidden in the source]"
    assert ("copy_to", "Committee for a Workers' International") in [(p["role"], p["name"]) for p in parties]
    assert _rows(response, "people") == [{"name": "Ivan Bulgakov", "role": "", "status": "threatened"}]
    assert {"date": "--07-01", "text": _rows(response, "events")[0]["text"]} in _rows(response, "events")
    assert _rows(response, "demands") == [{"text": "Nationalisation of the foundry"}]
    form = response.context["form"]
    assert "text" not in json.loads(form["document"].value())  # the source travels in a hidden field
    assert "organisations" in json.loads(form["document"].value())  # what the rows do not show, in the advanced view
    assert form["source"].value() == FOUNDRY.read_text(encoding="utf-8")
    assert form["owner"].value() == organisation.pk
    assert 'hx-post="/organise/import/save/"' in body and "htmx-2.0.11.min.js" in body


@pytest.mark.django_db
def test_an_uploaded_file_is_read(client, organiser):
    client.force_login(organiser)
    upload = SimpleUploadedFile("appeal.eml", (settings.BASE_DIR / "seeds" / "appeals" / "union-letter-mersin.eml").read_bytes())
    response = _review(client, file=upload)
    assert _rows(response, "parties")[0]["name"] == "Mehmet Ali Yıldırım"
    assert json.loads(response.context["form"]["document"].value())["sources"][0]["file"] == "appeal.eml"


@pytest.mark.django_db
def test_bad_input_re_renders_the_form_with_one_message_and_the_text_intact(client, organiser):
    client.force_login(organiser)
    response = client.post(IMPORT, {"text": "   \n "})
    assert response.status_code == 400
    assert "Paste an appeal&#x27;s text or choose a file." in response.content.decode()
    junk = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    response = client.post(IMPORT, {"text": "my notes", "file": junk})
    body = response.content.decode()
    assert response.status_code == 400
    assert "the file is an image (PNG): a scanned letter needs OCR first; paste its text instead." in body
    assert "my notes</textarea>" in body


@pytest.mark.django_db
@override_settings(APPEAL_MAX_BYTES=1024)
def test_files_and_text_over_the_size_limit(client, organiser):
    client.force_login(organiser)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("big.txt", b"a" * 4096)})
    assert response.status_code == 400
    assert "the file is 0.0 MB, over the limit of 0.0 MB." in response.content.decode()
    response = client.post(IMPORT, {"text": "Free them. " * 200})
    assert response.status_code == 400
    assert "the text is 2 KB, over the limit of 1 KB." in response.content.decode()


@pytest.mark.django_db
def test_saving_the_edited_rows_makes_a_draft_campaign_and_opens_its_dashboard(client, organiser, organisation):
    client.force_login(organiser)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    data = _post_data(review)
    data["title"] = "Irtyishskii foundry: nationalise it"
    data["parties-0-channels"] = "fax: 007-3102-768247\nemail: office@kazakhmys.example"  # the organiser fills it in
    data["people-0-role"] = "trade union leader"
    data["demands-0-DELETE"] = "on"  # removed
    data["save"] = ""
    response = client.post(SAVE, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = m.Campaign.objects.get()
    assert response["Location"] == reverse("campaigns:dashboard", args=[campaign.slug])
    assert (campaign.title, campaign.status, campaign.owner) == ("Irtyishskii foundry: nationalise it", "draft", organisation)
    assert campaign.text == FOUNDRY.read_text(encoding="utf-8")
    target = campaign.targets.get(role="target")
    assert sorted(target.channels.values_list("kind", "value", "e164")) == [
        ("email", "office@kazakhmys.example", ""),
        ("fax", "007-3102-768247", "+73102768247"),
    ]
    assert campaign.people.get().role == "trade union leader"
    assert not campaign.demands.exists()
    assert campaign.campaign_organisations.filter(organisation__name="Workers' Movement of Kazakhstan").exists()
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_rows_are_added_and_removed_without_saving_and_nothing_typed_is_lost(client, organiser, organisation):
    client.force_login(organiser)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    data = {**_post_data(review), "title": "My own title", "add": "people"}
    response = client.post(SAVE, data)
    assert response.status_code == 200
    assert len(_rows(response, "people")) == 2 and response.context["form"]["title"].value() == "My own title"
    data = {**_post_data(response), "people-1-name": "Sagitovoi", "people-1-status": "threatened", "remove": "events-0"}
    response = client.post(SAVE, data)
    assert [r["name"] for r in _rows(response, "people")] == ["Ivan Bulgakov", "Sagitovoi"]
    events = response.context["formsets"]["events"]
    assert events.forms[0]["DELETE"].value() and not events.forms[1]["DELETE"].value()
    body = response.content.decode()
    assert body.count('name="events-0-text"') == 1 and 'type="hidden" name="events-0-text"' in body  # kept, not shown
    assert not m.Campaign.objects.exists()
    response = client.post(SAVE, {**_post_data(response), "save": ""})
    assert response.status_code == 302
    campaign = m.Campaign.objects.get()
    assert sorted(campaign.people.values_list("name", flat=True)) == ["Ivan Bulgakov", "Sagitovoi"]
    assert campaign.events.count() == len(review.context["formsets"]["events"].forms) - 1


@pytest.mark.django_db
def test_bad_rows_re_render_with_field_errors_and_what_was_typed(client, organiser, organisation):
    client.force_login(organiser)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    data = {
        **_post_data(review),
        "parties-0-channels": "fax: 007-3102-768247\npigeon: the roof",
        "events-0-date": "first of July",
        "people-0-name": "",
        "title": "Kept as typed",
        "save": "",
    }
    response = client.post(SAVE, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "line 2: start with a kind and a colon" in body
    assert "Write a date as 2011-07-01, 2011-07, 2011 or --07-01" in body
    assert "This field is required." in body
    assert "pigeon: the roof</textarea>" in body and 'value="first of July"' in body and 'value="Kept as typed"' in body
    assert "007-3102-768247</mark>" in body  # the source is shown highlighted again
    assert not m.Campaign.objects.exists()


@pytest.mark.django_db
def test_publishing_needs_a_model_message_and_a_target(client, organiser, organisation):
    client.force_login(organiser)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    data = _post_data(review)
    parties = [k for k in data if k.startswith("parties-") and k.endswith("-role")]
    for key in parties:
        data[key] = "copy_to"
    response = client.post(SAVE, {**data, "message_body": "", "publish": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "A campaign goes live with a model message" in body and "at least one target" in body
    assert not m.Campaign.objects.exists()
    response = client.post(SAVE, {**data, "message_body": "", "save": ""})  # a draft needs neither
    assert response.status_code == 302 and m.Campaign.objects.get().status == "draft"


@pytest.mark.django_db
def test_save_and_publish(client, organiser, organisation):
    client.force_login(organiser)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    data = _post_data(review)
    assert data["message_body"].strip()  # the draft composes a model message
    response = client.post(SAVE, {**data, "publish": ""})
    assert response.status_code == 302
    assert m.Campaign.objects.get().status == "active"


@pytest.mark.django_db
def test_a_bad_draft_re_renders_with_the_error_and_the_organisers_json(client, organiser, organisation):
    client.force_login(organiser)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    data = _post_data(review)
    response = client.post(SAVE, {**data, "document": "{oops", "save": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "This is not JSON: Expecting property name enclosed in double quotes at line 1, column 2." in body
    assert "{oops</textarea>" in body
    response = client.post(SAVE, {**data, "document": '{"updates": [{"title": "no date"}]}', "save": ""})
    assert response.status_code == 400
    assert "Not saved: updates" in response.content.decode()
    assert not m.Campaign.objects.exists()


@pytest.mark.django_db
def test_a_campaign_by_hand_with_the_same_form_empty(client, organiser, organisation):
    client.force_login(organiser)
    response = client.get(reverse("campaign_new"))
    assert response.status_code == 200
    assert response.context["by_hand"] and _rows(response, "parties")[0]["name"] is None
    data = {
        **_post_data(response),
        "title": "Free the dockers",
        "slug": "free-the-dockers",
        "parties-0-name": "Port authority",
        "parties-0-channels": "email: ceo@port.example",
        "message_body": "Free them.",
        "publish": "",
    }
    response = client.post(SAVE, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = m.Campaign.objects.get()
    assert (campaign.slug, campaign.status, campaign.text) == ("free-the-dockers", "active", "")
    assert campaign.targets.get().channels.get().value == "ceo@port.example"


@pytest.mark.django_db
def test_outsider_imports_into_their_own_organisation_only(client, outsider, organisation, other_organisation):
    client.force_login(outsider)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    assert list(review.context["form"].fields["owner"].queryset) == [other_organisation]
    data = _post_data(review)
    response = client.post(SAVE, {**data, "owner": organisation.pk, "save": ""})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    sneaky = json.dumps({**json.loads(data["document"]), "owner": organisation.name})
    response = client.post(SAVE, {**data, "document": sneaky, "owner": other_organisation.pk, "save": ""})
    assert response.status_code == 302
    assert m.Campaign.objects.get().owner == other_organisation  # the document cannot choose its owner


@pytest.mark.django_db
def test_saving_never_overwrites_an_existing_campaign(client, organiser, organisation, campaign):
    client.force_login(organiser)
    response = client.get(reverse("campaign_new"))
    data = {**_post_data(response), "slug": campaign.slug, "title": "Another appeal", "parties-0-name": "X", "save": ""}
    assert client.post(SAVE, data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Foundry workers"
    assert m.Campaign.objects.get(slug=f"{campaign.slug}-2").title == "Another appeal"

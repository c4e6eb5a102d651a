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


def _draft_json(response) -> dict:
    form = response.context["form"]
    return json.loads(form["document"].value())


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
def test_pasted_text_is_reviewed_beside_the_highlighted_source(client, organiser, organisation):
    client.force_login(organiser)
    response = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    body = response.content.decode()
    assert '<mark class="f-channel" title="channel: fax of Kazakhmys (target)">007-3102-768247</mark>' in body
    assert re.search(r'<mark class="f-people" title="person at risk: Ivan Bulgakov \(threatened\)">Ivan Bulgakov</mark>', body)
    assert '<mark class="f-events" title="event dated --07-01">1 July</mark>' in body
    assert "address hidden in the source: fill it in" in body
    draft = _draft_json(response)
    assert "text" not in draft  # the source travels in a hidden field, not in the organiser's JSON
    assert [t["name"] for t in draft["targets"]] == ["Kazakhmys"]
    assert response.context["form"]["source"].value() == FOUNDRY.read_text(encoding="utf-8")
    assert response.context["form"]["owner"].value() == organisation.pk


@pytest.mark.django_db
def test_an_uploaded_file_is_read(client, organiser):
    client.force_login(organiser)
    upload = SimpleUploadedFile("appeal.eml", (settings.BASE_DIR / "seeds" / "appeals" / "union-letter-mersin.eml").read_bytes())
    draft = _draft_json(_review(client, file=upload))
    assert draft["targets"][0]["name"] == "Mehmet Ali Yıldırım"
    assert draft["sources"][0]["file"] == "appeal.eml"


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
def test_saving_makes_a_draft_campaign_and_opens_it_in_the_back_office(client, organiser, organisation):
    client.force_login(organiser)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    draft = _draft_json(review)
    draft["title"] = "Irtyishskii foundry: nationalise it"
    draft["targets"][0]["channels"][1] = {"kind": "email", "value": "office@kazakhmys.example"}  # the organiser fills it in
    response = client.post(
        SAVE,
        {
            "document": json.dumps(draft),
            "source": review.context["form"]["source"].value(),
            "filename": "",
            "owner": organisation.pk,
            "save": "",
        },
    )
    campaign = m.Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    assert (campaign.title, campaign.status, campaign.owner) == ("Irtyishskii foundry: nationalise it", "draft", organisation)
    assert campaign.text == FOUNDRY.read_text(encoding="utf-8")
    assert campaign.targets.get(role="target").channels.filter(value="office@kazakhmys.example").exists()
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_save_and_publish(client, organiser, organisation):
    client.force_login(organiser)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    client.post(
        SAVE, {"document": review.context["form"]["document"].value(), "source": "x", "owner": organisation.pk, "publish": ""}
    )
    assert m.Campaign.objects.get().status == "active"


@pytest.mark.django_db
def test_a_bad_draft_re_renders_with_the_error_and_the_organisers_json(client, organiser, organisation):
    client.force_login(organiser)
    source = FOUNDRY.read_text(encoding="utf-8")
    broken = '{"slug": "x", "title": "T", "targets": [{"name": "Kazakhmys", "channels": [{"kind": "fax", "value": "768247"}]}]}'
    response = client.post(SAVE, {"document": broken, "source": source, "owner": organisation.pk})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Not saved: targets[0].channels[0].value: 768247 has no country code" in body
    assert json.loads(response.context["form"]["document"].value()) == json.loads(broken)
    assert "007-3102-768247</mark>" in body  # the source is shown highlighted again
    response = client.post(SAVE, {"document": "{oops", "source": source, "owner": organisation.pk})
    assert "This is not JSON: Expecting property name enclosed in double quotes at line 1, column 2." in response.content.decode()
    assert not m.Campaign.objects.exists()


@pytest.mark.django_db
def test_outsider_imports_into_their_own_organisation_only(client, outsider, organisation, other_organisation):
    client.force_login(outsider)
    review = _review(client, text=FOUNDRY.read_text(encoding="utf-8"))
    assert list(review.context["form"].fields["owner"].queryset) == [other_organisation]
    document = review.context["form"]["document"].value()
    response = client.post(SAVE, {"document": document, "source": "x", "owner": organisation.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    sneaky = json.dumps({**json.loads(document), "owner": organisation.name})
    response = client.post(SAVE, {"document": sneaky, "source": "x", "owner": other_organisation.pk})
    assert response.status_code == 302
    assert m.Campaign.objects.get().owner == other_organisation  # the document cannot choose its owner


@pytest.mark.django_db
def test_saving_never_overwrites_an_existing_campaign(client, organiser, organisation, campaign):
    client.force_login(organiser)
    document = json.dumps({"slug": campaign.slug, "title": "Another appeal"})
    client.post(SAVE, {"document": document, "source": "text", "owner": organisation.pk})
    campaign.refresh_from_db()
    assert campaign.title == "Foundry workers"
    assert m.Campaign.objects.get(slug=f"{campaign.slug}-2").title == "Another appeal"

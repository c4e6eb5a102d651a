"""A campaign in several languages: its document's `translations` load, read back, and fall back to the original."""

import copy

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from campaigns import models as m
from campaigns.documents.validation import DocumentError
from campaigns.selectors.documents import campaign_document, campaigns_for_documents
from campaigns.services.documents import campaign_document_load

DOCUMENT = {
    "slug": "foundry-ru",
    "language": "ru",
    "status": "active",
    "title": "Национализировать Иртышский литейный завод",
    "summary": "Рабочие завода в Глубоком требуют национализации.",
    "call_to_action": "Напишите владельцу завода.",
    "message": {"subject": "Национализируйте завод", "body": "Требую национализировать завод."},
    "targets": [{"name": "Kazakhmys", "kind": "company", "language": "ru", "channels": []}],
    "demands": [{"text": "Национализировать завод"}, {"text": "Прекратить давление на активистов"}],
    "translations": {
        "es": {
            "title": "Nacionalizar la fundición de Irtysh",
            "summary": "Los obreros de Glubokii exigen la nacionalización.",
            "message": {"subject": "Nacionalicen la fundición", "body": "Exijo que nacionalicen la fundición."},
            "call_to_action": "Escriba al propietario.",
            "demands": ["Nacionalizar la fundición"],
        },
    },
}


def _document() -> dict:
    (campaign,) = campaigns_for_documents(slugs=[DOCUMENT["slug"]])
    return campaign_document(campaign=campaign)


@pytest.mark.django_db
def test_translations_load_and_read_back_as_written():
    campaign_document_load(document=copy.deepcopy(DOCUMENT))
    document = _document()
    assert document["language"] == "ru"
    assert document["title"] == DOCUMENT["title"] and document["call_to_action"] == DOCUMENT["call_to_action"]
    assert [d["text"] for d in document["demands"]] == ["Национализировать завод", "Прекратить давление на активистов"]
    assert document["targets"][0]["language"] == "ru"
    assert document["translations"] == DOCUMENT["translations"]
    # Loading the document it gave changes nothing.
    campaign_document_load(document=copy.deepcopy(document))
    assert _document() == document


@pytest.mark.django_db
def test_the_original_is_the_document_text_whatever_language_is_active():
    with translation.override("es"):
        campaign_document_load(document=copy.deepcopy(DOCUMENT))
        document = _document()
    assert document["title"] == DOCUMENT["title"]
    assert document["translations"]["es"]["title"] == "Nacionalizar la fundición de Irtysh"


@pytest.mark.django_db
def test_a_reader_sees_their_language_where_translated_and_the_original_elsewhere():
    campaign_document_load(document=copy.deepcopy(DOCUMENT))
    with translation.override("es"):
        campaign = m.Campaign.objects.get(slug="foundry-ru")
        demands = [d.text for d in campaign.demands.all()]
        assert campaign.title == "Nacionalizar la fundición de Irtysh"
        assert demands == ["Nacionalizar la fundición", "Прекратить давление на активистов"]  # the second is untranslated
    with translation.override("de"):
        campaign = m.Campaign.objects.get(slug="foundry-ru")
        assert campaign.title == DOCUMENT["title"]  # the original (Russian), not a site-wide default
        assert campaign.message_body == "Требую национализировать завод."


@pytest.mark.django_db
def test_a_translation_the_document_drops_is_removed_and_the_original_stays():
    campaign_document_load(document=copy.deepcopy(DOCUMENT))
    campaign_document_load(document={**copy.deepcopy(DOCUMENT), "translations": {}})
    campaign = m.Campaign.objects.get(slug="foundry-ru")
    assert list(campaign.translations.values_list("language_code", flat=True)) == ["ru"]
    assert set(m.DemandTranslation.objects.filter(master__campaign=campaign).values_list("language_code", flat=True)) == {"ru"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("translations", "path"),
    [
        ({"xx-nonsense": {"title": "?"}}, "translations.xx-nonsense"),
        ({"ru": {"title": "Дубль"}}, "translations.ru"),
        ({"es": {"demands": ["uno", "dos", "tres"]}}, "translations.es.demands"),
    ],
)
def test_bad_translations_are_refused_by_path_and_nothing_is_written(translations, path):
    with pytest.raises(DocumentError) as refused:
        campaign_document_load(document={**copy.deepcopy(DOCUMENT), "translations": translations})
    assert refused.value.path == path
    assert not m.Campaign.objects.filter(slug="foundry-ru").exists()


@pytest.mark.django_db
def test_a_document_without_a_language_is_english_as_before():
    campaign_document_load(document={"slug": "plain", "title": "Reinstate the cleaners"})
    campaign = m.Campaign.objects.get(slug="plain")
    assert campaign.language == "en" and campaign.title == "Reinstate the cleaners"
    assert _document_of("plain")["translations"] == {}


def _document_of(slug: str) -> dict:
    (campaign,) = campaigns_for_documents(slugs=[slug])
    return campaign_document(campaign=campaign)


@pytest.mark.django_db
def test_the_api_gives_the_translations_and_lists_in_the_readers_language():
    campaign_document_load(document=copy.deepcopy(DOCUMENT))
    client = APIClient()
    detail = client.get("/api/v1/campaigns/foundry-ru/").json()
    assert detail["translations"]["es"]["demands"] == ["Nacionalizar la fundición"]
    listed = client.get("/api/v1/campaigns/", HTTP_ACCEPT_LANGUAGE="es").json()["results"][0]
    assert listed["languages"] == ["ru", "es"] and listed["language"] == "ru"

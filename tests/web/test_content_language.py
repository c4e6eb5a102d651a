"""The campaign list and page show a campaign in the reader's language where translated, and say which language it is."""

import copy

import pytest
from django.urls import reverse
from django.utils import translation

from campaigns.services.documents import campaign_document_load

from ..documents.test_translations import DOCUMENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def foundry_ru():
    return campaign_document_load(document=copy.deepcopy(DOCUMENT))


def _page(client, *, language: str, query: str = "") -> str:
    # The reader's browser asks for this language; LocaleMiddleware activates it for the request.
    url = reverse("campaigns:campaign", args=["foundry-ru"]) + query
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_a_spanish_reader_sees_the_spanish_translation_and_is_told_the_original(client, foundry_ru):
    html = _page(client, language="es")
    assert "Nacionalizar la fundición de Irtysh" in html and "Escriba al propietario." in html
    assert "Национализировать Иртышский литейный завод" not in html.split("<h1")[1].split("</h1>")[0]
    with translation.override("es"):
        shown = translation.gettext("Shown in %(shown)s — original in %(original)s.") % {
            "shown": translation.get_language_info("es")["name_translated"],
            "original": translation.get_language_info("ru")["name_translated"],
        }
    assert shown in html
    assert 'href="?lang=ru" hreflang="ru" lang="ru">Русский</a>' in html
    # The demand it has no Spanish for is shown in Russian, and marked so.
    assert '<span lang="ru">Прекратить давление на активистов</span>' in html


def test_a_german_reader_gets_the_original_marked_as_russian(client, foundry_ru):
    html = _page(client, language="de")
    assert '<h1 lang="ru">Национализировать Иртышский литейный завод</h1>' in html
    assert 'class="lead" lang="ru"' in html
    assert "?lang=es" in html


def test_a_link_to_another_language_shows_it(client, foundry_ru):
    html = _page(client, language="de", query="?lang=es")
    assert '<h1 lang="es">Nacionalizar la fundición de Irtysh</h1>' in html


def test_an_english_campaign_without_translations_says_nothing_about_languages(client, campaign):
    html = client.get(reverse("campaigns:campaign", args=[campaign.slug])).content.decode()
    main = html.split("<main", 1)[1]  # the language switcher in the header names each language in its own
    assert "content-language" not in html and ' lang="' not in main


def test_the_list_shows_each_campaign_in_the_readers_language(client, foundry_ru):
    html = client.get(reverse("campaigns:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Nacionalizar la fundición de Irtysh" in html
    assert 'href="/c/foundry-ru/?lang=ru"' in html or "?lang=ru" in html

"""The interface in the supporter's language: Accept-Language first, a remembered choice beats it; lang and dir on every page."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from ..factories import ChannelFactory, TargetFactory


@pytest.fixture
def page(campaign):
    target = TargetFactory(campaign=campaign, name="Kazakhmys")
    ChannelFactory(target=target, kind="email", value="office@kazakhmys.example")
    return reverse("campaigns:campaign", args=[campaign.slug])


def _html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode())[0]


def test_without_a_preference_the_page_is_english(client, page):
    response = client.get(page)
    assert _html_tag(response) == '<html lang="en" dir="ltr">'
    assert "Act now" in response.content.decode()


@pytest.mark.parametrize(
    ("header", "lang", "label"),
    [("es-ES,es;q=0.9,en;q=0.5", "es", "Actúa ahora"), ("de", "de", "Jetzt handeln"), ("ru-RU", "ru", "Действуйте")],
)
def test_the_browsers_language_is_shown(client, page, header, lang, label):
    response = client.get(page, headers={"accept-language": header})
    assert _html_tag(response) == f'<html lang="{lang}" dir="ltr">'
    assert response["Content-Language"] == lang
    assert label in response.content.decode()
    assert "Accept-Language" in response["Vary"], "a cache must not serve one language's page to another"


def test_a_language_not_shipped_falls_back_to_english(client, page):
    response = client.get(page, headers={"accept-language": "ja,zh;q=0.8"})
    assert 'lang="en"' in _html_tag(response)


def test_the_switcher_remembers_the_choice_over_the_browsers_language(client, page):
    html = client.get(page, headers={"accept-language": "es"}).content.decode()
    switcher = re.search(r'<form method="post" action="(/i18n/setlang/)" class="language-list">(.*?)</form>', html, re.S)
    assert switcher, "every page has the switcher"
    for code, name in [("de", "Deutsch"), ("tr", "Türkçe"), ("ru", "Русский"), ("en", "English")]:
        assert f'value="{code}" lang="{code}"' in switcher[2] and name in switcher[2]
    assert f'name="next" value="{page}"' in switcher[2]

    response = client.post(switcher[1], {"language": "de", "next": page}, headers={"accept-language": "es"})
    assert response.status_code == 302 and response["Location"] == page
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    again = client.get(page, headers={"accept-language": "es"})
    assert 'lang="de"' in _html_tag(again) and "Jetzt handeln" in again.content.decode()


def test_the_switcher_sends_nobody_elsewhere(client, page):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil.example")


def test_the_switcher_works_on_the_pages_that_are_not_the_campaign(client, page):
    for url in ("/", "/no-such-page/"):
        html = client.get(url, headers={"accept-language": "pt-BR"}).content.decode()
        assert 'action="/i18n/setlang/"' in html and 'lang="pt"' in html


def test_a_right_to_left_language_turns_the_page(client, page, settings):
    # Arabic ships no catalogue yet: adding it to LANGUAGES is all it takes for the page to turn.
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    response = client.get(page, headers={"accept-language": "ar"})
    assert _html_tag(response) == '<html lang="ar" dir="rtl">'


def test_the_stylesheet_holds_for_right_to_left():
    css = (settings.BASE_DIR / "campaigns" / "static" / "campaigns" / "site.css").read_text()
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)|text-align: *(?:left|right)|[^-]\b(?:left|right):", css)
    assert not physical, f"use logical properties (inline-start/end), not {physical}"


def test_form_errors_come_in_the_supporters_language(client, page, campaign):
    response = client.post(
        reverse("campaigns:act", args=[campaign.slug]), {"text": "", "way": "email"}, headers={"accept-language": "fr"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in html  # Django's own catalogue
    assert "Veuillez corriger" in html  # ours


def test_the_api_answers_in_the_clients_language(client):
    response = client.get("/api/no-such-thing/", headers={"accept-language": "es"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No encontrado."}

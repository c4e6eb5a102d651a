"""The target gets the letter in the target's language: a supporter reading Turkish sends the Russian letter."""

import html as html_lib
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from campaigns import models as m
from campaigns.services.documents import campaign_document_load

pytestmark = pytest.mark.django_db

RU_BODY = "Уважаемые господа,\n\nТребую национализировать Иртышский литейный завод и прекратить давление на активистов."
TR_BODY = "Sayın yetkililer,\n\nIrtysh dökümhanesinin kamulaştırılmasını talep ediyorum."

DOCUMENT = {
    "slug": "foundry",
    "language": "en",
    "status": "active",
    "title": "Nationalise the Irtysh foundry",
    "message": {"subject": "Nationalise the foundry", "body": "Dear Sirs,\n\nI demand that you nationalise the foundry."},
    "targets": [
        {
            "name": "Kazakhmys",
            "kind": "company",
            "language": "ru",
            "channels": [{"kind": "email", "value": "office@kazakhmys.example"}],
        }
    ],
    "translations": {
        "ru": {"title": "Национализировать Иртышский завод", "message": {"subject": "Национализируйте завод", "body": RU_BODY}},
        "tr": {"title": "Irtysh dökümhanesini kamulaştırın", "message": {"subject": "Dökümhaneyi kamulaştırın", "body": TR_BODY}},
    },
}


@pytest.fixture
def foundry():
    return campaign_document_load(document=DOCUMENT)


@pytest.fixture(autouse=True)
def turkish_reader(client):
    """The supporter's browser asks for Turkish; LocaleMiddleware activates it for each request."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "tr"


def _page() -> str:
    return reverse("campaigns:campaign", args=["foundry"])


def _textarea(html: str) -> str:
    return html_lib.unescape(re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', html, re.S)[1])


def test_the_turkish_reader_sees_both_versions_and_the_russian_one_is_the_one_to_send(client, foundry):
    with translation.override("tr"):
        html = client.get(_page()).content.decode()
    assert "Irtysh dökümhanesinin kamulaştırılmasını talep ediyorum." in html  # theirs, to read
    assert _textarea(html) == RU_BODY  # the target's, to send
    assert re.search(r'<textarea name="text"[^>]*lang="ru"', html)
    assert 'name="note"' in html and "with-letter" in html


def test_a_supporter_acting_in_turkish_sends_the_russian_letter_with_their_note(
    client, foundry, django_capture_on_commit_callbacks
):
    with translation.override("tr"):
        html = client.get(_page()).content.decode()
        form = {
            "way": "email",
            "targets": [foundry.targets.get().pk],
            "subject": "Национализируйте завод",
            "text": _textarea(html),
            "note": "İstanbul'dan dayanışmayla.",
            "name": "Ayşe Yılmaz",
            "submission": "tr-1",
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("campaigns:act", args=["foundry"]), form)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["office@kazakhmys.example"] and message.subject == "Национализируйте завод"
    assert RU_BODY in message.body and "İstanbul'dan dayanışmayla." in message.body
    assert message.body.index(RU_BODY) < message.body.index("İstanbul'dan dayanışmayla.")
    assert "Национализировать Иртышский завод" in message.body  # the footer names the campaign in Russian too
    action = m.Action.objects.get()
    assert action.language == "tr" and action.supporter.language == "tr"


def test_the_printed_letter_is_dated_and_labelled_in_the_targets_language(client, foundry):
    with translation.override("tr"):
        html = client.get(_page()).content.decode()
        form = {"way": "print", "targets": [foundry.targets.get().pk], "text": _textarea(html), "submission": "tr-2"}
        step = client.post(reverse("campaigns:act", args=["foundry"]), form).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', step)[1]
        response = client.post(reverse("campaigns:letter", args=["foundry"]), {"token": token})
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Требую национализировать Иртышский литейный завод" in pdf
    months = (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    )
    assert any(month in pdf for month in months), pdf  # the date in Russian, not in Turkish or English


def test_without_the_message_in_the_targets_language_there_is_one_version(client, foundry):
    foundry.translations.filter(language_code="ru").delete()
    with translation.override("tr"):
        html = client.get(_page()).content.decode()
    assert _textarea(html) == TR_BODY and 'name="note"' not in html

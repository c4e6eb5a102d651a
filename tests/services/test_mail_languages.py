"""Mail the platform writes is in its reader's language: news per supporter, the confirmation as the page was, greetings."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from campaigns.letters import email_body, letter_salutation
from campaigns.selectors.notifications import supporter_language

from ..factories import ChannelFactory, SupporterFactory, TargetFactory


def test_without_a_recorded_language_news_is_in_the_sites_own(campaign):
    supporter = SupporterFactory.build(email="x@example.net")
    assert supporter_language(supporter=supporter) == "en"
    supporter.language = "tr"
    assert supporter_language(supporter=supporter) == "tr"
    supporter.language = "xx"
    assert supporter_language(supporter=supporter) == "en", "a language the site does not ship falls back"


def test_the_confirmation_mail_follows_the_page_it_was_asked_from(client, campaign, settings, django_capture_on_commit_callbacks):
    settings.FORM_MIN_FILL_SECONDS = 0
    target = TargetFactory(campaign=campaign, name="Kazakhmys")
    ChannelFactory(target=target, kind="email", value="office@kazakhmys.example")
    url = reverse("campaigns:act", args=[campaign.slug])
    page = client.get(reverse("campaigns:campaign", args=[campaign.slug]), headers={"accept-language": "pt-BR"})
    started = page.context["form"]["started"].value()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "targets": [target.pk],
                "text": "Liberdade para os trabalhadores.",
                "email": "ze@example.net",
                "consent_updates": "on",
                "way": "email",
                "started": started,
            },
            headers={"accept-language": "pt-BR"},
        )
    confirmation = next(m for m in mail.outbox if m.to == ["ze@example.net"])
    assert confirmation.subject == f"Confirme: notícias de {campaign.title}"
    assert "Para receber as notícias, confirme aqui" in confirmation.body


@pytest.mark.parametrize(
    ("language", "greeting"),
    [
        ("en", "Dear Sir or Madam,"),
        ("es", "Estimados señores:"),
        ("de", "Sehr geehrte Damen und Herren,"),
        ("ru", "Уважаемые господа!"),
        ("tr", "Sayın Yetkili,"),
        ("fr", "Madame, Monsieur,"),
        ("pt", "Prezados senhores,"),
    ],
)
def test_a_letter_without_a_salutation_greets_in_its_language(kazakhmys_without_salutation, language, greeting):
    with translation.override(language):
        assert letter_salutation(text="Stop the dismantling.", target=kazakhmys_without_salutation) == (
            greeting,
            ["Stop the dismantling."],
        )


def test_a_salutation_the_supporter_wrote_in_their_language_is_kept_once(kazakhmys_without_salutation):
    for text, greeting in [
        ("Estimados señores:\n\nParen el desmantelamiento.", "Estimados señores:"),
        ("Уважаемые господа!\n\nПрекратите демонтаж.", "Уважаемые господа!"),
        ("Sehr geehrte Damen und Herren,\n\nStoppen Sie den Abbau.", "Sehr geehrte Damen und Herren,"),
    ]:
        salutation, paragraphs = letter_salutation(text=text, target=kazakhmys_without_salutation)
        assert salutation == greeting and len(paragraphs) == 1


@pytest.fixture
def kazakhmys_without_salutation(campaign):
    return TargetFactory(campaign=campaign, name="Kazakhmys", salutation="")


def test_the_footer_of_a_sent_email_is_in_the_letters_language(campaign):
    with translation.override("de"):
        body = email_body(campaign=campaign, text="Stoppt den Abbau.", reply_to=True)
    assert f"Gesendet von einer Unterstützerin oder einem Unterstützer der Kampagne „{campaign.title}“" in body
    assert "Eine Antwort auf diese Nachricht geht an die Person, die sie geschickt hat." in body

"""A complete draft: model message, owner, deadline, slug and a warning about a campaign that already exists."""

import pytest
from django.conf import settings

from campaigns.appeals.draft import slug_for
from campaigns.services.appeals import appeal_draft, appeal_owner
from tests.factories import CampaignFactory, OrganisationFactory

FOUNDRY = settings.BASE_DIR / "seeds" / "000_5746010bd4fc8c14.txt"
LETTER = (
    "Workers at Globex need your support.\n\nThe Hon. Jane Roe\nMinister of Labour\nParliament House\nACT 2600\n\n"
    "Dear Minister,\n\nWe urge you to reinstate the dismissed workers.\n\nYours sincerely,\n\nA supporter\n"
)


def test_the_slug_is_cut_at_a_word_boundary():
    title = "Workers of the Irtyishskii Foundry fight for the nationalisation of their factory and the town that lives from it"
    slug = slug_for(title, limit=40)
    assert len(slug) <= 40 and title.lower().replace(" ", "-").startswith(slug)
    assert slug == "workers-of-the-irtyishskii-foundry-fight"


def test_the_model_message_is_the_appeals_own_letter_from_salutation_to_closing():
    message = appeal_draft(text=LETTER).document["message"]
    assert message["body"].startswith("Dear Minister,") and message["body"].endswith("Yours sincerely,")
    assert "A supporter" not in message["body"]


@pytest.mark.parametrize(
    ("text", "salutation", "closing"),
    [
        (
            "Please send protests to:\n\nMinistry of Labour, Fax: +44 20 7946 0412\n\nWe demand the release of the strikers.",
            "Dear ",
            "Yours sincerely,",
        ),
        (
            "Envíen cartas de protesta a:\n\nMinisterio de Trabajo, Fax: +57 601 555 1234\n\n"
            "Exigimos la liberación de los detenidos.",
            "Estimado/a ",
            "Atentamente,",
        ),
    ],
)
def test_without_a_letter_the_message_is_composed_in_the_appeals_language(text, salutation, closing):
    document = appeal_draft(text=text).document
    body = document["message"]["body"]
    assert body.startswith(salutation) and body.rstrip().endswith(closing)
    assert all(f"- {d['text']}" in body for d in document["demands"])


def test_a_deadline_to_act_by_is_kept():
    text = "Please send protests before 25 June 2025 to:\n\nMinistry of Labour, Fax: +44 20 7946 0412\n"
    assert appeal_draft(text=text).document["deadline"] == "2025-06-25"


@pytest.mark.django_db
def test_the_issuer_owns_the_draft_when_it_is_one_of_the_organisers_organisations():
    mine = OrganisationFactory(name="Workers' Movement of Kazakhstan")
    other = OrganisationFactory(name="Another Federation")
    draft = appeal_draft(data=FOUNDRY.read_bytes(), filename="appeal.txt", organisations=[other, mine])
    assert (draft.owner, draft.document["owner"]) == (mine, mine.name)
    assert appeal_owner(document=draft.document, organisations=[other]) is None


@pytest.mark.django_db
def test_a_campaign_with_the_same_title_or_target_is_named_with_its_link(organisation):
    text = FOUNDRY.read_text(encoding="utf-8")
    title = appeal_draft(text=text).document["title"]
    CampaignFactory(owner=organisation, slug="foundry-2009", title=title)
    document = appeal_draft(text=text, check_existing=True).document
    assert document["similar_campaigns"] == [
        {"slug": "foundry-2009", "title": title, "url": "/c/foundry-2009/", "why": "the same title"}
    ]
    assert any("/c/foundry-2009/" in note for note in document["import_notes"])
    assert appeal_draft(text=text).document["similar_campaigns"] == []  # only when asked

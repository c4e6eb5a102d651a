"""Appeal import end to end on the seed appeals and the cases in seeds/appeals/, scored against their hand-made documents."""

import html
import json

import pytest
from django.conf import settings

from campaigns import models as m
from campaigns.appeals.scoring import FIELDS, score
from campaigns.documents.validation import document_validate
from campaigns.management.commands.score_appeals import cases
from campaigns.services.appeals import appeal_draft, appeal_save

SEEDS = settings.BASE_DIR / "seeds"
FOUNDRY = SEEDS / "000_5746010bd4fc8c14.txt"
MANGYSTAU = SEEDS / "004_8067bee6afad8926.txt"


def _draft(path):
    return appeal_draft(data=path.read_bytes(), filename=str(path.relative_to(settings.BASE_DIR))).document


def _expected(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_cases_are_the_seeds_and_three_other_shapes():
    names = [appeal.name for appeal, _ in cases()]
    assert names == [
        "000_5746010bd4fc8c14.txt",
        "004_8067bee6afad8926.txt",
        "es-llamamiento-cesar.txt",
        "ru-prizyv-zhanaozen.txt",
        "ua-port-workers.html",
        "union-letter-mersin.eml",
    ]


@pytest.mark.parametrize(("appeal", "expected"), cases(), ids=lambda p: p.name)
def test_every_case_drafts_a_valid_document_with_every_channel_and_target(appeal, expected):
    """Our own cases: every channel and every target. People and events are measured on real appeals
    (`score_appeals --cases ../shared/appeals-dev`), whose convention keeps a year only where the text writes it."""
    draft = _draft(appeal)
    document_validate(draft)
    scores = score(draft, _expected(expected))
    assert (scores["channels"].precision, scores["channels"].recall) == (1.0, 1.0), scores["channels"].missing
    assert scores["targets"].recall == 1.0, scores["targets"].missing
    assert draft["status"] == "draft"


@pytest.mark.parametrize("appeal", [FOUNDRY, MANGYSTAU], ids=lambda p: p.name)
def test_seeds_invent_nothing(appeal):
    draft, expected = _draft(appeal), _expected(appeal.with_suffix(".json"))
    scores = score(draft, expected)
    assert all(scores[name].precision == 1.0 for name in ("channels", "targets", "copy_to", "people", "demands"))
    assert set(FIELDS) <= set(scores)


def test_foundry_draft_keeps_masked_addresses_masked_and_numbers_as_written():
    draft = _draft(FOUNDRY)
    assert draft["location"] == {"country": "KZ", "place": "Glubokii, near Ust-Kamenogorsk, East Kazakhstan"}
    assert draft["issued"] is None  # the appeal carries no date: July dates stay partial
    assert [e["day_month"] for e in draft["events"] if e.get("day_month")] == ["--07-01", "--07-04"]
    assert not [e for e in draft["events"] if e["date"]]  # no year is written with them: none is invented
    (target,) = draft["targets"]
    assert target["channels"] == [
        {"kind": "fax", "value": "007-3102-768247", "e164": "+73102768247"},
        {"kind": "email", "value": None, "masked": True},
    ]
    emails = [c for p in draft["targets"] + draft["copy_to"] for c in p["channels"] if c["kind"] == "email"]
    assert len(emails) == 3 and all(c["masked"] and c["value"] is None for c in emails)
    issuer = next(o for o in draft["organisations"] if o["role"] == "issuer")
    assert (issuer["name"], issuer["contact"], issuer["contact_role"]) == (
        "Workers' Movement of Kazakhstan",
        "Ainur Kurmanov",
        "President",
    )


def test_mangystau_letter_is_an_action_to_its_addressee():
    draft = _draft(MANGYSTAU)
    (target,) = draft["targets"]
    assert (target["name"], target["salutation"]) == ("Nursultan Nazarbaev", "Dear Mr. President")
    (action,) = draft["actions"]
    assert {k: action[k] for k in ("kind", "by", "date", "reference", "represents", "targets")} == {
        "kind": "letter",
        "by": "ICEM; IMF",
        "date": "2011-09-06",
        "reference": "ICEM-IMF11/EN LT/107",
        "represents": 45_000_000,
        "targets": ["Nursultan Nazarbaev"],
    }
    assert draft["references"] == ["Ref: ICEM-IMF11/EN LT/107"]
    people = {p["name"]: p["status"] for p in draft["people"]}
    assert people["Natalia Sokolova"] == "sentenced"


def test_the_same_appeal_as_a_web_page_recovers_the_addresses_the_page_hid():
    """The page the foundry appeal was copied from hid its addresses with Cloudflare: the HTML still holds them."""
    key = 0x5A
    encoded = (bytes([key]) + bytes(b ^ key for b in b"fax.protest@kazakhmys.example")).hex()
    text = FOUNDRY.read_text(encoding="utf-8")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    body = body.replace("[email\xa0protected]", f'<a class="__cf_email__" data-cfemail="{encoded}">[email&#160;protected]</a>', 1)
    draft = appeal_draft(data=f"<html><body>{body}</body></html>".encode(), filename="appeal.html").document
    assert draft["targets"][0]["channels"][1] == {"kind": "email", "value": "fax.protest@kazakhmys.example"}
    masked = [c for p in draft["copy_to"] for c in p["channels"] if c.get("masked")]
    assert len(masked) == 2  # the others stay masked: nothing is guessed


def test_the_union_letter_as_a_pdf_gives_the_same_recipients():
    weasyprint = pytest.importorskip("weasyprint")
    eml = appeal_draft(data=(SEEDS / "appeals" / "union-letter-mersin.eml").read_bytes(), filename="letter.eml")
    text = eml.document["text"]
    page = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
    pdf = weasyprint.HTML(string=f"<html><body style='font-size:10pt'>{page}</body></html>").write_pdf()
    draft = appeal_draft(data=pdf, filename="letter.pdf").document
    assert [(t["name"], t["salutation"]) for t in draft["targets"]] == [("Mehmet Ali Yıldırım", "Dear Ambassador")]
    assert score(draft, eml.document)["channels"].recall == 1.0
    assert {p["name"] for p in draft["people"]} == {p["name"] for p in eml.document["people"]}


@pytest.mark.django_db
@pytest.mark.parametrize(("appeal", "expected"), cases(), ids=lambda p: p.name)
def test_every_draft_saves_as_a_new_draft_campaign(appeal, expected, organisation):
    draft = _draft(appeal)
    first = appeal_save(document=draft, owner=organisation)
    second = appeal_save(document=draft, owner=organisation)
    assert first.slug != second.slug and second.slug.startswith(first.slug)
    assert (first.status, first.owner) == ("draft", organisation)
    assert first.targets.filter(role="target").count() == len(draft["targets"])
    assert m.Channel.objects.filter(target__campaign=first).count() == sum(
        len(p["channels"]) for p in draft["targets"] + draft["copy_to"]
    )
    assert first.people.count() == len(draft["people"])


def test_a_draft_records_the_appeals_language_as_the_campaigns_original(organisation):
    text = (
        "Solidaridad con los trabajadores de la fundición\n\n"
        "Los trabajadores de la fundición de Glubokoe están en huelga desde el 1 de julio. La empresa quiere cerrar la "
        "planta y la policía amenaza con detener a los dirigentes sindicales. Pedimos que se envíen cartas de protesta "
        "a la empresa y que se exija la nacionalización de la fundición. Por favor, enviad copias de vuestras cartas al "
        "sindicato, que las hará llegar a los trabajadores.\n"
    )
    draft = appeal_draft(data=text.encode(), filename="llamamiento.txt").document
    assert draft["language"] == "es"
    campaign = appeal_save(document=draft, owner=organisation)
    assert campaign.language == "es"
    assert list(campaign.translations.values_list("language_code", flat=True)) == ["es"]

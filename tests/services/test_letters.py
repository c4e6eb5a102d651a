"""What a supporter's message looks like as a letter, a call script and webmail links."""

from urllib.parse import parse_qs, urlsplit

import pytest

from campaigns import models as m
from campaigns.letters import call_script, copy_lines, letter_address, letter_salutation, webmail_urls

from ..factories import ChannelFactory, TargetFactory


@pytest.fixture
def kazakhmys(campaign):
    return TargetFactory(campaign=campaign, name="Kazakhmys", salutation="")


@pytest.mark.parametrize(
    ("text", "salutation", "first"),
    [
        ("To Kazakhmys,\n\nStop.", "To Kazakhmys,", "Stop."),
        ("I am a nurse.\n\nTo Kazakhmys,\n\nStop.", "To Kazakhmys,", "I am a nurse."),
        ("Dear friends,\n\nTo Kazakhmys,\n\nStop.", "Dear friends,", "Stop."),
        ("Stop the dismantling.", "Dear Sir or Madam,", "Stop the dismantling."),
        ("Stop.\n\nYours sincerely,", "Dear Sir or Madam,", "Stop."),
    ],
)
def test_a_letter_greets_once(kazakhmys, text, salutation, first):
    found, paragraphs = letter_salutation(text=text, target=kazakhmys)
    assert found == salutation and paragraphs[0] == first
    assert not any(p.startswith(("To Kazakhmys", "Dear")) for p in paragraphs)


def test_the_targets_salutation_wins_over_the_models_but_not_over_the_supporters_own(campaign):
    president = TargetFactory(campaign=campaign, name="Nursultan Nazarbaev", salutation="Dear Mr. President")
    assert letter_salutation(text="I write from Riga.\n\nDear Sir,\n\nInvestigate.", target=president)[0] == "Dear Mr. President,"
    assert letter_salutation(text="Dear Sir,\n\nInvestigate.", target=president)[0] == "Dear Sir,"


def test_the_address_block_and_the_copies(campaign, kazakhmys):
    ChannelFactory(target=kazakhmys, kind="fax", value="007-3102-768247", e164="+73102768247")
    ChannelFactory(target=kazakhmys, kind="postal", value="1 Main St\nAlmaty")
    union = TargetFactory(campaign=campaign, name="CWI", role="copy_to")
    ChannelFactory(target=union, kind="email", value="", masked=True)
    ChannelFactory(target=union, kind="postal", value="PO Box 3688, London")
    quiet = TargetFactory(campaign=campaign, name="Movement", role="copy_to")
    assert letter_address(kazakhmys) == ["Kazakhmys", "1 Main St", "Almaty", "Fax: +73102768247"]
    assert copy_lines([union, quiet]) == ["cc: CWI, PO Box 3688, London", "cc: Movement"]


def test_webmail_links_carry_the_whole_message():
    urls = webmail_urls(to=["a@x.example"], cc=["c@x.example"], subject="Stop it", body="Line one\r\nLine two & more")
    gmail = parse_qs(urlsplit(urls["gmail"]).query)
    assert gmail == {"view": ["cm"], "fs": ["1"], "to": ["a@x.example"], "cc": ["c@x.example"], "su": ["Stop it"],
                     "body": ["Line one\nLine two & more"]}  # fmt: skip
    outlook = parse_qs(urlsplit(urls["outlook"]).query)
    assert outlook["subject"] == ["Stop it"] and outlook["body"] == ["Line one\nLine two & more"]


def test_a_call_script_comes_from_the_model_message_and_the_demands(campaign, kazakhmys):
    campaign.message_body = "To Kazakhmys,\n\nI support the foundry workers. The town depends on it. More here.\n\nI demand that:"
    m.Demand.objects.create(campaign=campaign, text="Nationalise the foundry.")
    script = call_script(campaign=campaign, target=kazakhmys, name="Mary")
    assert script[0].startswith("Hello. My name is Mary. I am calling Kazakhmys about:")
    assert script[1] == "I support the foundry workers. The town depends on it."
    assert script[2] == "I ask you to: Nationalise the foundry." and len(script) == 4

"""Faxes the platform sends: through the outbox to an e-mail-to-fax gateway, the letter as a PDF, for the right number."""

import datetime as dt
import email
import io
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from campaigns.models import Action, Delivery, Target
from campaigns.services.actions import action_take
from campaigns.services.delivery import delivery_send, delivery_sweep

from ..smtp import SmtpServer

FOUNDRY = "irtyshskii-foundry-nationalisation"


@pytest.fixture
def seeds(db):
    call_command("load_seeds", stdout=io.StringIO())


@pytest.fixture
def gateway(settings):
    """A real SMTP server on loopback standing in for the fax provider; the site's own mail goes elsewhere."""
    server = SmtpServer().start()
    settings.FAX_GATEWAY = server.url
    settings.FAX_ADDRESS = "{digits}@fax.example"
    settings.FAX_FROM_EMAIL = "faxes@solidarity.example"
    yield server
    server.stop()


def _pdf_text(raw: bytes) -> tuple[str, str]:
    message = email.message_from_bytes(raw)
    [part] = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    reader = PdfReader(io.BytesIO(part.get_payload(decode=True)))
    return part.get_filename(), "\n".join(page.extract_text() for page in reader.pages)


def _fax(**fields):
    from campaigns.models import Campaign

    campaign = Campaign.objects.get(slug=FOUNDRY)
    kazakhmys = Target.objects.prefetch_related("channels").get(campaign=campaign, name="Kazakhmys")
    defaults = {"subject": "Nationalise the foundry", "text": campaign.message_body, "name": "Li Wei"}
    return action_take(campaign=campaign, kind="fax", targets=[kazakhmys], send=True, way="fax", **{**defaults, **fields})


def test_the_gateway_receives_the_letter_as_a_pdf_for_the_right_number(
    seeds, gateway, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = _fax(organisation="Hong Kong Dockers", country="HK")
    delivery = Delivery.objects.get(action=taken.action)
    assert taken.delivery == delivery and delivery.kind == "fax" and delivery.state == "sent"
    assert taken.action.kind == "fax" and taken.action.via == "platform" and taken.action.channel.e164 == "+73102768247"
    [received] = gateway.messages
    assert received.rcpt_tos == ("73102768247@fax.example",)
    message = email.message_from_bytes(received.raw)
    assert message["From"] == "faxes@solidarity.example" and "Kazakhmys" in message.get_payload()[0].get_payload()
    filename, text = _pdf_text(received.raw)
    assert filename == f"letter-{FOUNDRY}.pdf"
    for expected in ("Kazakhmys", "Fax: +73102768247", "To Kazakhmys,", "Li Wei", "Hong Kong Dockers", "be nationalised",
                     "cc: Committee for a Workers' International, PO Box 3688"):  # fmt: skip
        assert expected in text, expected
    assert mailoutbox == [], "a fax never leaves through the site's own mail server"


def test_a_gateway_that_refuses_for_now_is_retried_then_sent(seeds, gateway, django_capture_on_commit_callbacks):
    gateway.handler.refusing = True
    with django_capture_on_commit_callbacks(execute=True):
        taken = _fax()
    delivery = Delivery.objects.get(pk=taken.delivery.pk)
    assert delivery.state == "queued" and delivery.attempts == 1 and "451" in delivery.last_error
    gateway.handler.refusing = False
    Delivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now() - dt.timedelta(hours=1))  # time passes
    assert delivery_sweep() == {"overdue": 1, "stuck": 0}
    delivery.refresh_from_db()
    assert delivery.state == "sent" and len(gateway.messages) == 1
    assert delivery_send(delivery_id=delivery.pk) == "done" and len(gateway.messages) == 1


def test_faxes_to_one_number_are_throttled_like_mail(seeds, gateway, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_MAX_PER_MINUTE_PER_ADDRESS = 2
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            _fax(email=f"s{n}@example.org")
    faxes = list(Delivery.objects.filter(kind="fax").order_by("not_before"))
    assert [d.state for d in faxes] == ["sent", "queued", "queued", "queued"] and len(gateway.messages) == 1
    gaps = {(b.not_before - a.not_before).total_seconds() for a, b in itertools.pairwise(faxes)}
    assert min(gaps) >= 30, "two a minute: spread 30 s apart"
    assert set(Delivery.objects.filter(kind="fax").values_list("recipient", flat=True)) == {"73102768247@fax.example"}


def test_without_a_gateway_the_site_sends_no_fax(seeds, settings):
    settings.FAX_GATEWAY = settings.FAX_ADDRESS = ""
    with pytest.raises(ValidationError) as error:
        _fax()
    assert "way" in error.value.message_dict
    assert not Action.objects.filter(kind="fax").exists() and not Delivery.objects.exists()


def test_a_fax_queued_before_the_gateway_was_removed_fails_with_the_reason(
    seeds, gateway, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        taken = _fax()
    settings.FAX_GATEWAY = settings.FAX_ADDRESS = ""
    for callback in callbacks:
        callback()
    delivery = Delivery.objects.get(pk=taken.delivery.pk)
    assert delivery.state == "failed" and "FAX_GATEWAY" in delivery.last_error and gateway.messages == []

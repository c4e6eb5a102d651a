"""Phone/fax numbers, partial dates and channels: what enters the database is readable and true."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from campaigns.channels import channel_normalise
from campaigns.models import Channel
from campaigns.partial_dates import PartialDate, normalise_partial_date
from campaigns.phones import to_e164

from .factories import TargetFactory


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("007-3102-768247", "+73102768247"),  # the foundry appeal's fax: 00 prefix
        ("++ 44 20 8988 8760", "+442089888760"),  # the CWI phone: ++ prefix
        ("++ 44 20 8988 8793", "+442089888793"),  # the CWI fax
        ("+44 (0)20 8988 8760", "+442089888760"),  # trunk zero in brackets
        ("Tel: ++ 44 20 8988 8760", "+442089888760"),
        ("Tel./Fax +7 (7232) 12-34-56", "+77232123456"),
        ("0044 20 8988 8793", "+442089888793"),
    ],
)
def test_numbers_in_the_seeds_notations_normalise_to_e164(written, e164):
    assert to_e164(written) == e164


def test_national_number_needs_a_country():
    with pytest.raises(ValidationError, match="no country code"):
        to_e164("020 8988 8760")
    assert to_e164("020 8988 8760", default_region="GB") == "+442089888760"


@pytest.mark.parametrize("junk", ["", "hello", "+44 1", "+44 20 8988 8760 ext", "007-31", "+999 1234567"])
def test_unreadable_numbers_are_refused_with_the_text_quoted(junk):
    with pytest.raises(ValidationError) as info:
        to_e164(junk)
    message = " ".join(info.value.messages)
    assert junk.strip() in message or "Enter a phone" in message


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("2011", (2011, None, None)),
        ("2011-07", (2011, 7, None)),
        ("2011-07-01", (2011, 7, 1)),
        ("--07-01", (None, 7, 1)),
        ("--02-29", (None, 2, 29)),
    ],
)
def test_partial_dates(text, parts):
    date = PartialDate.parse(text)
    assert (date.year, date.month, date.day) == parts
    assert date.isoformat() == text


@pytest.mark.parametrize("text", ["1 July", "2011-13", "2011-02-29", "--04-31", "11-07-01", "2011-7-1", "--07"])
def test_bad_partial_dates_are_refused(text):
    with pytest.raises(ValidationError):
        PartialDate.parse(text)


def test_year_unknown_date_resolves_against_a_document_year():
    assert PartialDate.parse("--07-01").with_year(2011).isoformat() == "2011-07-01"
    assert PartialDate.parse("--07-01").as_date() is None
    assert normalise_partial_date(None) == ""


def test_masked_channel_is_valid_without_a_value():
    assert channel_normalise(kind="email", value=None, masked=True) == ("", "")


def test_masked_channel_with_a_value_is_refused():
    with pytest.raises(ValidationError) as info:
        channel_normalise(kind="email", value="x@example.org", masked=True)
    assert "masked" in info.value.message_dict["value"][0]


@pytest.mark.parametrize(
    ("kind", "value", "field_message"),
    [
        ("email", "[email protected]", "not a valid email"),
        ("email", "", "Enter the address"),
        ("web", "example.org/protest", "not a web address"),
        ("fax", "768247", "no country code"),
    ],
)
def test_bad_channel_values_are_refused(kind, value, field_message):
    with pytest.raises(ValidationError) as info:
        channel_normalise(kind=kind, value=value, masked=False)
    assert field_message in info.value.message_dict["value"][0]


@pytest.mark.django_db
def test_channel_clean_uses_the_targets_country_for_national_numbers():
    channel = Channel(target=TargetFactory(country="GB"), kind="fax", value="020 8988 8793")
    channel.full_clean()
    assert channel.e164 == "+442089888793"
    assert channel.value == "020 8988 8793"  # as written is kept


@pytest.mark.django_db
def test_database_refuses_a_channel_that_is_both_masked_and_valued():
    target = TargetFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(target=target, kind="email", value="a@b.org", masked=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(target=target, kind="email", value="", masked=False)


@pytest.mark.django_db
def test_database_refuses_a_fax_without_its_e164_form():
    with pytest.raises(IntegrityError), transaction.atomic():
        Channel.objects.create(target=TargetFactory(), kind="fax", value="007-3102-768247", e164="")

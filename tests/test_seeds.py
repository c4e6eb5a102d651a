"""load_seeds: idempotent, and every fact of the two source appeals is structured data."""

import pytest
from django.core.management import call_command

from campaigns import models as m

FOUNDRY = "irtyshskii-foundry-nationalisation"
MANGYSTAU = "mangystau-oil-workers-2011"


def _snapshot():
    """Every row of every table that load_seeds writes, as comparable tuples."""
    tables = [
        m.Campaign, m.CampaignTranslation, m.Organisation, m.CampaignOrganisation, m.Target, m.Channel, m.Demand,
        m.DemandTranslation, m.Person, m.PersonStatusChange, m.Event, m.Source, m.Action, m.Signatory,
    ]  # fmt: skip
    return {
        model.__name__: sorted(
            model.objects.values_list(*[f.attname for f in model._meta.concrete_fields if f.attname not in ("modified",)])
        )
        for model in tables
    }


@pytest.fixture
def seeds(db):
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def foundry(seeds):
    return m.Campaign.objects.get(slug=FOUNDRY)


@pytest.fixture
def mangystau(seeds):
    return m.Campaign.objects.get(slug=MANGYSTAU)


def test_load_seeds_twice_leaves_the_same_rows(seeds):
    before = _snapshot()
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == before


def test_load_seeds_keeps_actions_supporters_recorded(foundry):
    target = foundry.targets.get(name="Kazakhmys")
    action = m.Action.objects.create(campaign=foundry, kind="fax")
    action.targets.add(target)
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert m.Action.objects.filter(pk=action.pk, targets=target).exists()


def test_load_seeds_restores_an_edited_campaign(foundry):
    foundry.demands.all().delete()
    call_command("load_seeds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert foundry.demands.count() == 3


# The foundry appeal (seeds/000_5746010bd4fc8c14.txt)


def test_foundry_place_and_status(foundry):
    assert foundry.status == "active"
    assert foundry.country == "KZ"
    assert foundry.place == "Glubokii, near Ust-Kamenogorsk, East Kazakhstan"
    assert foundry.issued == ""  # the appeal carries no date
    assert "Irtyishskii Foundry" in foundry.text


def test_foundry_author_and_publisher(foundry):
    issuer = foundry.campaign_organisations.get(role="issuer")
    assert issuer.organisation.name == "Workers' Movement of Kazakhstan"
    assert (issuer.contact, issuer.contact_role) == ("Ainur Kurmanov", "President")
    assert foundry.campaign_organisations.get(role="publisher").organisation.name == "Committee for a Workers' International"


def test_foundry_target_is_kazakhmys_by_fax_and_masked_email(foundry):
    target = foundry.targets.get(role="target")
    assert (target.name, target.kind) == ("Kazakhmys", "company")
    fax = target.channels.get(kind="fax")
    assert (fax.value, fax.e164, fax.masked) == ("007-3102-768247", "+73102768247", False)
    email = target.channels.get(kind="email")
    assert email.masked and email.value == ""


def test_foundry_copies_go_to_the_movement_and_the_cwi(foundry):
    copy_to = {t.name: t for t in foundry.targets.filter(role="copy_to")}
    assert set(copy_to) == {"Workers' Movement of Kazakhstan", "Committee for a Workers' International"}
    assert [(c.kind, c.masked) for c in copy_to["Workers' Movement of Kazakhstan"].channels.all()] == [("email", True)]
    cwi = {c.kind: c for c in copy_to["Committee for a Workers' International"].channels.all()}
    assert set(cwi) == {"postal", "phone", "fax", "email"}
    assert "PO Box 3688" in cwi["postal"].value and "E11 1YE" in cwi["postal"].value and "London" in cwi["postal"].value
    assert (cwi["phone"].value, cwi["phone"].e164) == ("++ 44 20 8988 8760", "+442089888760")
    assert (cwi["fax"].value, cwi["fax"].e164) == ("++ 44 20 8988 8793", "+442089888793")
    assert cwi["email"].masked


def test_no_email_address_is_invented(seeds):
    emails = m.Channel.objects.filter(kind="email")
    assert emails.count() == 3
    assert all(c.masked and c.value == "" for c in emails)


def test_foundry_demands(foundry):
    demands = [d.text.lower() for d in foundry.demands.all()]
    assert "nationalis" in demands[0]
    assert any("dismantl" in d for d in demands)
    assert any("arrest" in d or "pressure" in d for d in demands)
    assert {d.status for d in foundry.demands.all()} == {"open"}


def test_foundry_people_at_risk(foundry):
    people = {p.name: p for p in foundry.people.all()}
    assert set(people) == {"Ivan Bulgakov", "Sagitovoi"}
    assert people["Ivan Bulgakov"].status == "threatened"
    assert "trade union" in people["Ivan Bulgakov"].role
    assert "imminent arrest" in people["Ivan Bulgakov"].details
    assert people["Sagitovoi"].status == "threatened"
    assert "Union of Young Workers" in people["Sagitovoi"].role


def test_foundry_events_with_day_and_month_but_no_year(foundry):
    dated = {e.date: e.text for e in foundry.events.exclude(date="")}
    assert set(dated) == {"--07-01", "--07-04"}
    assert "dismantl" in dated["--07-01"]
    assert "Cabinet of Ministers" in dated["--07-04"]
    texts = " ".join(e.text for e in foundry.events.all())
    for fact in ("railway", "power cables", "defence squads", "KNB", "privatised"):
        assert fact in texts, fact


# The ICEM/IMF letter (seeds/004_8067bee6afad8926.txt)


def test_letter_is_an_action_of_the_mangystau_campaign(mangystau):
    letter = mangystau.actions.get()
    assert letter.kind == "letter"
    assert letter.reference == "ICEM-IMF11/EN LT/107"
    assert letter.date.isoformat() == "2011-09-06"
    assert letter.represents == 45_000_000
    assert letter.salutation == "Dear Mr. President"
    assert {o.short_name for o in letter.organisations.all()} == {"ICEM", "IMF"}
    assert [t.name for t in letter.targets.all()] == ["Nursultan Nazarbaev"]
    assert [(s.name, s.title, s.organisation) for s in letter.signatories.all()] == [
        ("Manfred Warda", "General Secretary", "ICEM"),
        ("Jyrki Raina", "General Secretary", "IMF"),
    ]
    assert "Astana Commemorative Declaration" in letter.text


def test_letter_target_is_the_president(mangystau):
    target = mangystau.targets.get(role="target")
    assert target.name == "Nursultan Nazarbaev"
    assert target.title == "President of Republic of Kazakhstan"
    assert target.salutation == "Dear Mr. President"
    assert target.kind == "official"


def test_mangystau_employers_with_the_letters_spelling(mangystau):
    employers = {co.organisation.name: co.organisation for co in mangystau.campaign_organisations.filter(role="employer")}
    assert set(employers) == {"Karazhanbasmunaigaz", "Uzenmunaigaz"}
    assert "Karazahnbasmunaigaz" in employers["Karazhanbasmunaigaz"].aliases


def test_mangystau_demands(mangystau):
    texts = " ".join(d.text.lower() for d in mangystau.demands.all())
    assert "investigation" in texts and "persecution" in texts
    assert "suffering" in texts


def test_mangystau_people(mangystau):
    people = {p.name: p for p in mangystau.people.all()}
    assert set(people) == {"Natalia Sokolova", "Zhalsylyk Turbaev", "Zhansaule Karabalaeva"}
    sokolova = people["Natalia Sokolova"]
    assert (sokolova.role, sokolova.status) == ("union lawyer", "sentenced")
    assert [(h.date, h.status) for h in sokolova.history.all()] == [("2011-08-08", "sentenced")]
    assert "six year" in sokolova.details
    turbaev = people["Zhalsylyk Turbaev"]
    assert (turbaev.age, turbaev.status) == (28, "killed")
    assert "drill operator" in turbaev.role
    assert [h.date for h in turbaev.history.all()] == ["2011-08-02"]
    karabalaeva = people["Zhansaule Karabalaeva"]
    assert (karabalaeva.age, karabalaeva.status) == (18, "killed")
    assert [h.date for h in karabalaeva.history.all()] == ["2011-08-24"]


def test_mangystau_dated_events(mangystau):
    dated = {e.date for e in mangystau.events.all()}
    assert {"2011-05", "2011-07-08", "2011-07-10", "2011-08-02", "2011-08-08", "2011-08-24"} <= dated
    texts = " ".join(e.text for e in mangystau.events.all())
    assert "Aktau" in texts and "fired" in texts and "hundreds" in texts.lower()


def test_sources_point_at_the_original_documents(foundry, mangystau):
    assert [s.file for s in foundry.sources.all()] == ["seeds/000_5746010bd4fc8c14.txt"]
    assert [s.file for s in mangystau.sources.all()] == ["seeds/004_8067bee6afad8926.txt"]


@pytest.mark.parametrize("slug", [FOUNDRY, MANGYSTAU])
def test_both_seeds_ship_in_russian_as_well_as_their_english_original(seeds, slug):
    from django.utils import translation

    campaign = m.Campaign.objects.get(slug=slug)
    assert campaign.language == "en"
    assert sorted(campaign.translations.values_list("language_code", flat=True)) == ["en", "ru"]
    with translation.override("ru"):
        campaign = m.Campaign.objects.get(slug=slug)
        texts = [campaign.title, campaign.summary, campaign.message_subject, campaign.message_body, campaign.call_to_action]
        texts += [d.text for d in campaign.demands.all()]
    cyrillic = [text for text in texts if sum("а" <= c.lower() <= "я" for c in text) > len(text) / 3]  # noqa: RUF001
    assert cyrillic == texts, "every part is translated"

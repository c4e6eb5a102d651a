"""The block-based reading of parties, people and languages: one test per rule, on texts written for the rule."""

import pytest

from campaigns.appeals.at_risk import find_people
from campaigns.appeals.lexicon import detect_language, lexicon
from campaigns.appeals.organisations import find_organisations
from campaigns.appeals.parties import find_parties, segment
from campaigns.appeals.text import paragraphs
from campaigns.services.appeals import appeal_draft


def _parties(text, *, country="", issuer=""):
    registry = find_organisations(text, paragraphs(text))
    return find_parties(text, registry=registry, country=country, issuer_name=issuer)


def _names(parties):
    return [p.name for p in parties.targets], [p.name for p in parties.copy_to]


def _values(party):
    return [(c["kind"], c.get("value")) for c in party.channels]


def test_lines_are_cut_at_pipes_and_bullets_are_not_part_of_the_text():
    lines = segment("Anna Berg |\nTo Town Hall 3 Main Street |\n- Mayor: mayor@town.example\n")
    assert [line.text for line in lines] == ["Anna Berg", "To Town Hall 3 Main Street", "Mayor: mayor@town.example"]
    assert [line.bullet for line in lines] == [False, False, True]


def test_a_cue_led_block_keeps_its_address_across_blank_lines_and_a_headline_and_copies_get_their_role():
    text = (
        "Os pedimos que enviéis faxes de protesta a :\nAcme Widgets S.A\n\nNueva huelga: la lucha sigue.\n\n"
        "ul. Lipowa 12\n\n00-950 Warszawa\n\nPoland\n\ntel. : (0-22) 555 12 34\n\nfax : (0-22) 555 12 35\n\n"
        "Con copia a :\n\nSindicato Libre\n\nCalle Mayor 5\n\n28013 Madrid\n\nfax : 91 555 66 77\n\nEl modelo de carta es :\n"
    )
    parties = _parties(text, country="PL")
    assert _names(parties) == (["Acme Widgets S.A"], ["Sindicato Libre"])
    assert _values(parties.targets[0]) == [
        ("postal", "ul. Lipowa 12, 00-950 Warszawa, Poland"),
        ("phone", "(0-22) 555 12 34"),
        ("fax", "(0-22) 555 12 35"),
    ]
    assert ("fax", "91 555 66 77") in _values(parties.copy_to[0])


def test_recipients_inside_a_sentence_with_bracketed_addresses_and_a_list_of_copies():
    text = (
        "Please write to Maria Lopez – Garcia (m.lopez@widgets.example) and Tom Baker (T.Baker@widgets.example) "
        "asking them to negotiate. Please send a copy of your message to a@union.example; b@union.example and "
        "c@union.example."
    )
    parties = _parties(text, issuer="Widget Workers Union")
    assert _names(parties) == (["Maria Lopez – Garcia", "Tom Baker"], ["Widget Workers Union"])
    assert _values(parties.targets[1]) == [("email", "T.Baker@widgets.example")]
    assert [v for _, v in _values(parties.copy_to[0])] == ["a@union.example", "b@union.example", "c@union.example"]


def test_an_italian_sentence_names_the_embassy_before_its_bracketed_channel():
    parties = _parties("Vi chiedo di scrivere all’Ambasciata del Cile (email: embajada@chile.example) per protestare.")
    assert _names(parties)[0] == ["Ambasciata del Cile"]
    assert parties.targets[0].kind == "embassy"


def test_a_letter_address_block_above_any_salutation_skips_dates_and_the_letterhead_above_a_to_line():
    text = (
        "Workers of the harbour need your help.\n\nJohn Writer\n77 Side Road\n"
        "To H.E. Mr Arturo Vidal\nMinister of Labour\n\nPalacio de Gobierno\nAvenida Central 1\n\n"
        "Lima, 3 March 2024\n\nYour Excellency,\nWe urge you to act.\n\nYours sincerely,\n"
    )
    (target,) = _parties(text, country="PE").targets
    assert (target.name, target.title, target.salutation) == ("Arturo Vidal", "Minister of Labour", "Your Excellency")
    assert _values(target) == [("postal", "Palacio de Gobierno, Avenida Central 1")]


def test_german_addressee_lines_each_make_a_target_and_the_salutation_is_theirs():
    text = (
        "Hamburg 4.8. 2020\n\nAn das Bundesministerium des Innern\n\nAn die Regierung von Ruritanien\n\n"
        "Sehr geehrte Damen und Herren,\nwir protestieren.\n"
    )
    targets = _parties(text).targets
    assert [t.name for t in targets] == ["Bundesministerium des Innern", "Regierung von Ruritanien"]
    assert {t.salutation for t in targets} == {"Sehr geehrte Damen und Herren"}


def test_a_salutation_naming_a_person_and_a_fax_after_an_unsigned_closing_belong_to_the_addressee():
    text = (
        "Please send these two letters.\nAnna Polo, Campaign against the base\n"
        "To the Ambassador of Ruritania in Italy\nDear Mr.Pavel Novak,\nWe ask you to intervene.\n\nYours sincerely,\n\n"
        "Fax: 06 1234567\nTo the President of Ruritania\nDear Mr. Karel Dvorak\nWe ask you to intervene.\nYours sincerely,\n"
    )
    first, second = _parties(text, country="IT").targets
    assert (first.name, first.title) == ("Pavel Novak", "the Ambassador of Ruritania in Italy")
    assert _values(first) == [("fax", "06 1234567")]
    assert (second.name, second.channels) == ("Karel Dvorak", [])


def test_a_salutation_to_supporters_is_not_a_letter_to_a_target():
    assert _parties("Campaign news\nDear friends,\nPlease sign the petition.\n").targets == []


def test_label_lines_give_one_recipient_each_and_a_contact_block_gives_one():
    text = (
        "Envie a carta para a lista abaixo.\n- Presidente do Tribunal: pres@court.example\n"
        "- Ouvidoria: ouvidoria@court.example\n\n"
        "Firm: Acme Bins\nContact: Paul Smith\nTelephone 01632 960123\nFax: 01632 960124\n"
    )
    targets, _ = _names(_parties(text))
    assert targets == ["Presidente do Tribunal", "Ouvidoria", "Acme Bins, Paul Smith"]


def test_a_mail_header_and_a_mailing_address_at_the_end_are_not_recipients():
    text = (
        "From: news list To: members CC: board Subject: help\n\nPlease sign up to support the appeal.\n\n"
        "Our mailing address is:\nSuite 5, 10 High Road\nLondon N1 1AA\n"
    )
    assert _names(_parties(text)) == ([], [])


def test_the_explicit_object_of_a_call_is_a_target_without_channels_unless_already_found():
    parties = _parties("Click here to send a message to Globex Hotels management demanding her reinstatement.")
    assert _names(parties)[0] == ["Globex Hotels management"]
    text = (
        "Scrivete all’ambasciatore della Ruritania in ogni paese.\nTo the Ambassador of Ruritania\n"
        "Dear Ambassador,\nWe protest.\n"
    )
    assert _names(_parties(text))[0] == ["the Ambassador of Ruritania"]  # the same office, in Italian


def test_the_issuer_is_the_sender_and_never_a_target():
    text = "Please send protests to:\n\nGlobal Union of Testers, PO Box 12, London E1 1AA\n"
    parties = _parties(text, issuer="Global Union of Testers")
    assert parties.targets == [] and "issuer" in parties.notes[0]


def test_numbers_are_read_in_the_recipients_country_and_kept_as_written_when_they_cannot_be():
    known = _parties("Please send faxes to the company:\n\nFax: 030 1234567\n", country="DE").targets[0].channels[0]
    assert (known["value"], known["e164"]) == ("030 1234567", "+49301234567")
    unknown = _parties("Please send faxes to the company:\n\nFax: 030 1234567\n").targets[0].channels[0]
    assert (unknown["value"], unknown["e164"]) == ("030 1234567", "")
    assert "no country code" in unknown["note"]


def test_an_address_broken_by_a_space_is_joined_and_an_archive_mask_is_a_masked_email():
    text = "Send protests to:\n- Registry office: registry.office@court. gov.example\n"
    assert _values(_parties(text).targets[0]) == [("email", "registry.office@court.gov.example")]
    masked = _parties("Mandate la lettera al governatore : ceo@???\n").targets[0].channels
    assert masked == [{"kind": "email", "value": None, "masked": True}]


def test_people_take_their_status_from_the_nearest_status_word_in_any_language():
    text = (
        "Yesterday police arrested Juan Pérez Soto at the gate. Juan had spoken to the press.\n\n"
        "Chiedo la liberazione del giornalista Marco Della Valle, detenuto da un mese. Marco è malato.\n\n"
        "The minister of the interior, Carl Bildt, refused to meet the union."
    )
    people, _ = find_people(text, paragraphs(text), excluded=set(), excluded_targets=[], registry=find_organisations(text, []))
    assert {p["name"]: p["status"] for p in people} == {"Juan Pérez Soto": "detained", "Marco Della Valle": "detained"}


def test_a_threat_of_arrest_is_a_threat():
    text = "The leader of the union, Ivan Petrov is facing imminent arrest. Ivan has gone into hiding."
    people, _ = find_people(text, paragraphs(text), excluded=set(), excluded_targets=[], registry=find_organisations(text, []))
    assert [(p["name"], p["status"]) for p in people] == [("Ivan Petrov", "threatened")]


def test_in_german_a_capitalised_pair_must_recur_to_be_a_name():
    text = "Wie wir erfahren haben, wurde unser Freund Ali Demir an der Grenze Nordland von Grenzern festgenommen. Ali ist krank."
    people, _ = find_people(
        text, paragraphs(text), excluded=set(), excluded_targets=[], registry=find_organisations(text, []), language="de"
    )
    assert [p["name"] for p in people] == ["Ali Demir"]


@pytest.mark.parametrize("language", ["en", "es", "fr", "de", "it", "pt", "nl", "ru", "tr"])
def test_every_language_is_one_file_with_every_kind_of_word(language):
    entry = lexicon().data[language]
    for key in (
        "stopwords",
        "call_verbs",
        "to_words",
        "copy_cues",
        "salutations",
        "closings",
        "titles",
        "status",
        "street",
        "labels",
    ):
        assert entry.get(key), (language, key)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Les travailleurs de l'usine sont en grève depuis une semaine et nous vous demandons de les soutenir.", "fr"),
        ("De arbeiders van de haven zijn ontslagen en wij vragen u om een brief te sturen naar de directie.", "nl"),
        ("Os trabalhadores da fábrica estão em greve e pedimos que envie uma mensagem para a empresa.", "pt"),
        ("I lavoratori della fabbrica sono in sciopero e vi chiediamo di inviare una lettera alla direzione.", "it"),
    ],
)
def test_the_language_of_an_appeal_is_detected_and_stored_on_the_draft(text, language):
    assert detect_language(text) == language
    assert appeal_draft(text=text).document["language"] == language


def test_a_heading_over_a_model_letter_a_labelled_salutation_and_the_storys_names_are_no_recipients():
    text = (
        "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USE THIS MODEL LETTER\n\n"
        "Dear Secretary,\n\nI am writing to express my concern at the arrest of Rosa Lima and Ana Cruz, union leaders.\n\n"
        "Yours sincerely,\n\nPLEASE SEND APPEALS TO:\n\nJuan Reyes\nSecretary of Labour\nFax: +63 2 8925 0332\n"
        "Salutation: Dear Secretary\n\nAnd copies to:\n\nEmbassy of the Philippines\nEmail: embassy@dfa.example\n"
    )
    parties = _parties(text, country="PH")
    assert _names(parties) == (["Juan Reyes"], ["Embassy of the Philippines"])
    assert parties.targets[0].salutation == "Dear Secretary"
    assert _values(parties.targets[0]) == [("fax", "+63 2 8925 0332")]

"""Appeal import, our rules one concern at a time: dates, channels, addresses, organisations, parties, people, demands, events."""

import datetime as dt

import pytest

from campaigns.appeals.addresses import address_country, is_address_start
from campaigns.appeals.at_risk import find_people
from campaigns.appeals.channels import find_channels
from campaigns.appeals.dates import deadline, document_date, find_dates, resolve
from campaigns.appeals.demands import find_demands
from campaigns.appeals.events import find_events
from campaigns.appeals.letters import find_letter, find_references, represents
from campaigns.appeals.organisations import Registry, find_organisations
from campaigns.appeals.parties import find_parties, is_channel_line
from campaigns.appeals.places import place
from campaigns.appeals.text import paragraphs, sentences, similarity

# dates


def _dates(text, reference=None):
    return [str(resolve(m, reference)) for m in find_dates(text)]


def test_dates_in_the_shapes_appeals_write_them():
    text = "On July 8 and 10 the rally was stormed; from the 1 July; on 6 September 2011; in May 2011; In 2010 ..."
    assert _dates(text) == ["--07-08", "--07-10", "--07-01", "2011-09-06", "2011-05", "2010"]


def test_a_date_without_a_year_takes_the_year_nearest_the_documents_date():
    assert _dates("On August 8 she was sentenced.", dt.date(2011, 9, 6)) == ["2011-08-08"]
    assert _dates("arrested on 28 December", dt.date(2024, 1, 5)) == ["2023-12-28"]  # last year's, not this year's
    assert _dates("a vigil on 20 March", dt.date(2024, 3, 12)) == ["2024-03-20"]


def test_dates_in_spanish_russian_and_numbers():
    assert _dates("el 12 de marzo de 2024 y el 3 de abril", dt.date(2024, 4, 18)) == ["2024-03-12", "2024-04-03"]
    assert _dates("задержан 14 марта 2024 г.") == ["2024-03-14"]
    assert _dates("on 06/09/2011 and 2011-09-07") == ["2011-09-06", "2011-09-07"]


def test_the_verb_may_is_not_a_month_and_impossible_days_are_not_kept():
    assert _dates("They may 2 be held") == []
    assert _dates("on 31 February 2011") == ["2011-02"]


def test_document_date_from_a_date_line_or_label_or_the_email_header():
    assert document_date("Ref: X/1\n\n6 September 2011\n\nDear Sir,")[0] == dt.date(2011, 9, 6)
    assert document_date("LLAMAMIENTO\n\nValledupar, 18 de abril de 2024\n\nEl sindicato ...")[0] == dt.date(2024, 4, 18)
    assert document_date("UA: 47/25 Index: ASA 35/9123/2025 Philippines Date: 14 May 2025")[0] == dt.date(2025, 5, 14)
    assert document_date("On 4 July the cabinet met.", fallback=dt.date(2024, 3, 12))[0] == dt.date(2024, 3, 12)
    assert document_date("On 4 July the cabinet met.")[0] is None


def test_deadline_is_a_full_date_to_act_by():
    text = "PLEASE SEND APPEALS BEFORE 25 JUNE TO:"
    assert deadline(text, find_dates(text), dt.date(2025, 5, 14))[0] == dt.date(2025, 6, 25)
    text = "He was held until 25 June."
    assert deadline(text, find_dates(text), dt.date(2025, 5, 14))[0] is None  # not a call to act


# channels


def _channels(text):
    return [(c.kind, c.value, c.masked) for c in find_channels(text)]


def test_numbers_in_international_notations_keep_the_text_as_written():
    assert _channels("Fax: 007-3102-768247 or email: [email\xa0protected]") == [
        ("fax", "007-3102-768247", False),
        ("email", None, True),
    ]
    assert _channels("Tel: ++ 44 20 8988 8760, Fax: ++ 44 20 8988 8793") == [
        ("phone", "++ 44 20 8988 8760", False),
        ("fax", "++ 44 20 8988 8793", False),
    ]
    assert _channels("Tel./Fax: +44 (0)20 7946 0412") == [
        ("phone", "+44 (0)20 7946 0412", False),
        ("fax", "+44 (0)20 7946 0412", False),
    ]
    assert _channels("PBX: (+57) 601 570 2000") == [("phone", "(+57) 601 570 2000", False)]


def test_masked_addresses_are_never_invented():
    channels = find_channels("Write to [email protected] and copy [email\xa0protected].")
    assert [(c.kind, c.value, c.masked) for c in channels] == [("email", None, True), ("email", None, True)]


def test_web_forms_social_handles_and_emails():
    text = "Email: minister@gov.example.\nTwitter: @DILG_Secretary\nWeb form: https://www.dole.gov.example/contact/\nhttps://twitter.com/union"
    assert _channels(text) == [
        ("email", "minister@gov.example", False),
        ("social", "@DILG_Secretary", False),
        ("web", "https://www.dole.gov.example/contact/", False),
        ("social", "https://twitter.com/union", False),
    ]


def test_unlabelled_numbers_need_an_international_prefix_and_dates_are_not_numbers():
    assert _channels("Call +44 20 7946 0000 today") == [("phone", "+44 20 7946 0000", False)]
    assert _channels("On 12 03 2024 at 10 30") == []


# addresses and places


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("PO Box 3688", True),
        ("London SW1X 8PA", True),
        ("6-8 Suffolk Street", True),
        ("Carrera 8 No. 7-26", True),
        ("Quezon City 1104", True),
        ("Apartado Aéreo 1234", True),
        ("Committee for a Workers' International", False),
        ("Minister of Labour and Social Security", False),
    ],
)
def test_address_starts(part, expected):
    assert is_address_start(part) is expected


def test_address_country_from_names_and_uk_postcodes():
    assert address_country("PO Box 3688, London, Britain, E11 1YE") == "GB"
    assert address_country("43 Belgrave Square, London SW1X 8PA") == "GB"
    assert address_country("Carrera 8 No. 7-26, Bogotá D.C., Colombia") == "CO"


def test_place_of_the_story_without_its_country():
    text = "workers at the Irtyishskii Foundry in Glubokii, near Ust-Kamenogorsk, in East Kazakhstan, have"
    assert place(text, [(0, len(text))])[0] == "Glubokii, near Ust-Kamenogorsk, East Kazakhstan"
    text = "the situation in Mangystau Province, Kazakhstan."
    assert place(text, [(0, len(text))])[0] == "Mangystau Province"


# organisations


def test_organisations_with_short_names_and_employers():
    text = (
        "represented by the International Metalworkers’ Federation (IMF) and the International Federation of Chemical, "
        "Energy, Mine and General Workers' Unions (ICEM). The foundry was taken over by a corporation named ‘Kazakhmys’. "
        "Workers of Uzenmunaigaz joined the strike; the Cabinet of Ministers of Kazakhstan met."
    )
    registry = find_organisations(text, paragraphs(text))
    found = {(o.name, o.short_name, o.role) for o in registry.items}
    assert ("International Metalworkers' Federation", "IMF", "other") in found
    assert ("International Federation of Chemical, Energy, Mine and General Workers' Unions", "ICEM", "other") in found
    assert ("Kazakhmys", "", "employer") in found
    assert ("Uzenmunaigaz", "", "employer") in found
    assert ("Cabinet of Ministers of Kazakhstan", "", "authority") in found
    assert len(found) == 5


# parties: targets and copy-to


FOUNDRY_CALL = """The foundry was taken over by a corporation named ‘Kazakhmys’.

Please send protests to the company:

Fax: 007-3102-768247 or email: [email protected]

Please send copies and urgent messages of support to email address: [email protected]

and to :

Committee for a Workers’ International, PO Box 3688, London, Britain, E11 1YE, \
Tel: ++ 44 20 8988 8760, Fax: ++ 44 20 8988 8793, [email protected]"""


def _parties(text, *, country="KZ", issuer="Workers' Movement of Kazakhstan", letter=None):
    registry = find_organisations(text, paragraphs(text))
    return find_parties(text, registry=registry, country=country, issuer_name=issuer, letter=letter, exclude=[])


def test_send_protests_to_the_company_names_the_employer_and_copies_go_to_the_issuers():
    parties = _parties(FOUNDRY_CALL)
    target = parties.targets[0].as_document()
    assert (target["name"], target["kind"], target["country"]) == ("Kazakhmys", "company", "KZ")
    assert target["channels"] == [
        {"kind": "fax", "value": "007-3102-768247", "e164": "+73102768247"},
        {"kind": "email", "value": None, "masked": True},
    ]
    copies = [p.as_document() for p in parties.copy_to]
    assert [c["name"] for c in copies] == ["Workers' Movement of Kazakhstan", "Committee for a Workers' International"]
    assert copies[0]["channels"] == [{"kind": "email", "value": None, "masked": True}]
    assert copies[1]["country"] == "GB"
    assert copies[1]["channels"] == [
        {"kind": "postal", "value": "PO Box 3688, London, Britain, E11 1YE"},
        {"kind": "phone", "value": "++ 44 20 8988 8760", "e164": "+442089888760"},
        {"kind": "fax", "value": "++ 44 20 8988 8793", "e164": "+442089888793"},
        {"kind": "email", "value": None, "masked": True},
    ]


def test_a_national_number_is_read_in_the_recipients_country():
    text = (
        "And copies to:\n\nRamon Villareal\nAmbassador, Embassy of the Philippines\n"
        "6-8 Suffolk Street, London SW1Y 4HG\nFax: 020 7946 0718"
    )
    party = _parties(text, country="PH").copy_to[0].as_document()
    assert party["kind"] == "embassy" and party["country"] == "GB"
    assert {"kind": "fax", "value": "020 7946 0718", "e164": "+442079460718"} in party["channels"]


def test_a_number_that_cannot_be_read_is_kept_as_written_with_a_note():
    parties = _parties("Please send protests to:\n\nMinistry of Labour, Fax: 12345", country="")
    (channel,) = parties.targets[0].channels
    assert (channel["kind"], channel["value"], channel["e164"]) == ("fax", "12345", "")
    assert "no E.164" in channel["note"] and "12345" in parties.notes[0]


def test_letter_address_block_and_salutation_make_the_target():
    text = (
        " Ref: ICEM-IMF11/EN LT/107 \n \n6 September 2011 \n \nNursultan Nazarbaev \nPresident of Republic of Kazakhstan \n \n \n"
        "Dear Mr. President, \n \nOn behalf of 45 million industrial workers we write.\n\nYours faithfully, \n\n"
        "Manfred Warda      Jyrki Raina \nICEM  General Secretary    IMF General Secretary \n"
    )
    letter = find_letter(text, is_channel_line=lambda line: is_channel_line(text, line))
    assert letter is not None and letter.salutation == "Dear Mr. President"
    assert [(s.name, s.title, s.organisation) for s in letter.signatories] == [
        ("Manfred Warda", "General Secretary", "ICEM"),
        ("Jyrki Raina", "General Secretary", "IMF"),
    ]
    target = _parties(text, letter=letter).targets[0].as_document()
    assert (target["name"], target["title"], target["kind"], target["salutation"]) == (
        "Nursultan Nazarbaev",
        "President of Republic of Kazakhstan",
        "official",
        "Dear Mr. President",
    )
    assert find_references(text)[0][0] == "Ref: ICEM-IMF11/EN LT/107"
    assert represents(text)[0] == 45_000_000


def test_a_model_letter_after_the_story_is_not_the_documents_letter():
    text = "Two leaders were arrested on 9 May. " * 20 + "\n\nDear Secretary,\n\nI urge you to release them.\n\nYours sincerely,"
    assert find_letter(text, is_channel_line=lambda line: False) is None


# people


def _people(text, excluded=frozenset()):
    people, _ = find_people(text, paragraphs(text), excluded=set(excluded), excluded_targets=[], registry=Registry())
    return [(p["name"], p["status"]) for p in people]


def test_a_threat_of_arrest_is_a_threat():
    text = (
        "There have been threats to arrest the leader of the ‘Union of Young Workers’, Sagitovoi, and even though he has been "
        "invited to a meeting, the leader of the trade union, Ivan Bulgakov is facing imminent arrest."
    )
    assert _people(text) == [("Ivan Bulgakov", "threatened")]  # not detained: the arrest is threatened


def test_statuses_said_in_the_sentence_the_gravest_winning():
    text = (
        "On August 8 Natalia Sokolova, a union lawyer, was sentenced to six year imprisonment.\n\n"
        "On August 2 Zhalsylyk Turbaev, 28-year old drill operator and a union activist, was murdered.\n\n"
        "Zhansaule Karabalaeva, 18, was found dead on 24 August."
    )
    assert _people(text) == [
        ("Natalia Sokolova", "sentenced"),
        ("Zhalsylyk Turbaev", "killed"),
        ("Zhansaule Karabalaeva", "killed"),
    ]


def test_names_joined_by_and_share_what_was_done_and_they_carries_it_on_and_a_jail_is_no_person():
    text = (
        "Rodel Macaraeg and Josefina Dizon were arrested by police on 9 May in Batangas City. "
        "They are held at the Batangas Provincial Jail and have been charged with illegal assembly."
    )
    assert _people(text) == [("Rodel Macaraeg", "charged"), ("Josefina Dizon", "charged")]


def test_spanish_nouns_of_what_was_done_and_names_in_quotes_are_not_people():
    text = (
        "el asesinato de nuestro compañero Luis Alberto Mendoza Ríos, de 47 años, secretario de derechos humanos, "
        "ocurrido el 14 de abril en el municipio de La Jagua de Ibirico. La compañera Marta Lucía Peñaloza recibió "
        "amenazas de muerte firmadas por «Autodefensas del Cesar»."
    )
    assert _people(text) == [("Luis Alberto Mendoza Ríos", "killed"), ("Marta Lucía Peñaloza", "threatened")]


def test_people_without_anything_done_to_them_and_excluded_names_are_left_out():
    assert _people("Ainur Kurmanov, President, wrote the appeal. Manfred Warda was arrested.", excluded={"manfred warda"}) == []


def test_russian_pronouns_and_a_name_in_another_case_are_the_same_person():
    text = (
        "27 сентября был задержан председатель Ерлан Бекмуханов. Ему предъявлено обвинение.\n\n"
        "Требуем освободить Ерлана Бекмуханова.\n\n"
        "Неизвестные напали на Айгуль Тажибаеву. Ей угрожают расправой."
    )
    assert _people(text) == [
        ("Ерлан Бекмуханов", "charged"),
        ("Айгуль Тажибаеву", "threatened"),  # kept as written: no morphology here
    ]


# demands


def _demands(text):
    return [d.text for d in find_demands(text, paragraphs(text))[0]]


def test_demands_one_per_action_asked():
    text = (
        "In the spirit of this declaration we urge you to start immediate investigation of the facts of persecution and "
        "violence in Mangystau province, and take all the necessary measures to stop the suffering of the workers."
    )
    assert _demands(text) == [
        "Start immediate investigation of the facts of persecution and violence in Mangystau province",
        "Take all the necessary measures to stop the suffering of the workers",
    ]
    assert _demands("The workforce is now demanding the nationalisation of the foundry. They still demand nationalisation.") == [
        "Nationalisation of the foundry"
    ]
    assert _demands("I urge you to guarantee the right of workers to strike and to organise without reprisal.") == [
        "Guarantee the right of workers to strike and to organise without reprisal"
    ]


def test_demands_from_lists_after_a_cue():
    text = "We therefore call on your government to:\n- release Ayşe Demir immediately;\n- quash the conviction of Kemal Aksoy."
    assert _demands(text) == ["Release Ayşe Demir immediately", "Quash the conviction of Kemal Aksoy"]
    text = "EXIGIMOS:\n\n1. La liberación inmediata de Jorge Eliécer Quintero.\n2. Garantías para el derecho de huelga."
    assert _demands(text) == ["La liberación inmediata de Jorge Eliécer Quintero", "Garantías para el derecho de huelga"]


# events


def test_events_one_per_date_with_the_year_only_where_it_is_written():
    text = (
        "The strike began in May 2011. Workers of Uzenmunaigaz joined the strike later on.\n\n"
        "On July 8 and 10 the rally in Aktau was stormed by riot police.\n\n"
        "Ismet ist 1996 in der Türkei verurteilt worden. Er kam 1997 nach Deutschland und wurde in 2009 eingebürgert.\n\n"
        "We urge you to investigate."
    )
    events, _ = find_events(text, paragraphs(text), dates=find_dates(text), reference=dt.date(2011, 9, 6), skip=[])
    assert [(e.date, e.day_month) for e in events] == [
        ("2011-05", None),
        (None, "--07-08"),
        (None, "--07-10"),
        ("1996", None),
        ("1997", None),
        ("2009", None),
    ]


def test_a_date_on_its_own_line_or_in_a_heading_dates_the_document_not_an_event():
    text = "Oslo, 06.10.2016\n\n2016 Iran: Concern for a writer\n\nCopyright © 2015 LabourStart, All rights reserved."
    events, _ = find_events(text, paragraphs(text), dates=find_dates(text), reference=None, skip=[])
    assert events == []


# text


def test_sentences_do_not_break_after_abbreviations_and_similarity_ignores_word_forms():
    text = "Dear Mr. President, we write. Tel. and fax are below. H.E. Mr Yıldırım replied."
    assert [text[s.start : s.end] for s in sentences(text, paragraphs(text)[0])] == [
        "Dear Mr. President, we write.",
        "Tel. and fax are below.",
        "H.E. Mr Yıldırım replied.",
    ]
    assert similarity("Nationalise the Irtyishskii Foundry", "the nationalisation of the foundry") == 1.0


def test_russian_demands_one_per_verb():
    assert _demands("с требованием повысить заработную плату и восстановить уволенных товарищей.") == [
        "Повысить заработную плату",
        "Восстановить уволенных товарищей",
    ]

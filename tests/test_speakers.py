"""Names, places, offices and speakers without a list of people (reader.facts.names, .speakers)."""

from __future__ import annotations

import pytest

from reader.facts import extract
from reader.facts.names import name_mentions, place_mentions, title_mentions, word_keys
from reader.facts.speakers import Book, differ, find_speaker, personal, roles
from reader.names import keys_match, near_keys, skeleton


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Переговоры в Германии", "germany"), ("وصل إلى ألمانيا", "germany"), ("Almanya'da", "germany"),
        ("जर्मनी में", "germany"), ("in Deutschland", "germany"), ("آلمان", "germany"), ("德国总理", "germany"),
        ("вылетел в Москву", "moscow"), ("من موسكو", "moscow"), ("Moskau", "moscow"),
        ("РФ и Киргизия", "russia"), ("وروسيا", "russia"), ("रूस", "russia"), ("Rusya'nın", "russia"),
        ("Генсек ООН", "united-nations"), ("الأمم المتحدة", "united-nations"),
    ],
)
def test_places_that_transliteration_cannot_bridge_come_from_the_exonym_file(text: str, place: str) -> None:
    assert place in {m.value for m in place_mentions(text)}


def test_adjectives_of_places_are_marked() -> None:
    for text in ("российского лидера", "الرئيس الروسي", "der russische Präsident", "Russian troops"):
        (m,) = place_mentions(text)
        assert m.value == "russia" and m.adjective, text


@pytest.mark.parametrize(
    ("text", "office"),
    [("the prime minister said", "premier"), ("президентом", "head"), ("بالرئيس", "head"), ("राष्ट्रपति", "head"),
     ("Kremlin spokesman", "spokesperson"), ("المتحدث باسم", "spokesperson"), ("Vice President Harris", "deputy"),
     ("نائب الرئيس", "deputy"), ("помощник президента", "aide")],
)
def test_offices_in_each_language(text: str, office: str) -> None:
    assert title_mentions(text)[0].value == office


def test_names_by_form_in_scripts_with_case_and_by_the_run_in_scripts_without() -> None:
    assert [m.value for m in name_mentions("The talks with Sadyr Japarov began on Tuesday.", "en")] == [skeleton("Japarov")]
    assert name_mentions("Встреча прошла с Жапаровым.", "ru")[-1].surface == "Жапаровым"
    assert name_mentions("وكان في استقباله صدر جباروف", "ar") == []  # no case: nothing known, nothing found
    (m,) = name_mentions("وكان في استقباله صدر جباروف", "ar", known=frozenset({"sdr", "jbrf"}))
    assert m.surface == "صدر جباروف" and m.value == "jbrf"  # two known words: one name
    # the sentence's first word, and German nouns, count only when the run knows them as names
    assert [m.surface for m in name_mentions("Выступая в Бишкеке, он сказал", "ru", known=frozenset({"btn"}))] == ["Бишкеке"]
    assert [m.surface for m in name_mentions("Das Ministerium teilte mit, Scholz komme", "de",
                                             known=frozenset({"sls"}))] == ["Scholz"]
    # "Modi's Bharatiya Janata Party": a possessive ends a name; an initial is no key
    assert len(name_mentions("said Prime Minister Narendra Modi's Bharatiya Janata Party", "en")) == 2


def test_skeletons_bridge_spelling_traditions() -> None:
    assert skeleton("Caparov", "tr") == skeleton("Japarov") == skeleton("Жапаров") == skeleton("जापारोव")
    assert keys_match(skeleton("Dschaparow"), skeleton("Japarov"))  # German -w
    assert keys_match(skeleton("Жапаровым"), skeleton("Japarov"))  # a case ending
    assert not keys_match(skeleton("Путин"), skeleton("Песков"))
    assert near_keys("krlsk", "grlsk") and not keys_match("krlsk", "grlsk")  # Хурелсух / Ghurelsukh: one letter
    assert not near_keys("btn", "bsk")


def test_name_and_place_facts() -> None:
    facts = extract("Russian President Vladimir Putin arrived in Germany on Tuesday, 3 September.", "en", "2024-09-03")
    kinds = [(f.kind, f.value) for f in facts if f.kind in ("name", "place")]
    assert kinds == [("place", "russia"), ("name", skeleton("Putin")), ("place", "germany")]  # Tuesday is a date


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Russian President Vladimir Putin said on Tuesday that", "btn", ("head", "russia")),
        ("وقال الرئيس الروسي إن", None, ("head", "russia")),
        ("российский лидер подчеркнул", None, ("head", "russia")),
        ("रूस के राष्ट्रपति ने कहा", None, ("head", "russia")),
        ("Le président russe a déclaré", None, ("head", "russia")),
        ("«Мы рады», — сказал Песков.", "bskf", None),
        ("Tim Cook, the chief of Apple, said", "~cook", None),  # not Apple, inside the apposition
        ("قال مساعد الرئيس الروسي أوشاكوف", None, ("aide", "russia")),  # the aide, not the president
    ],
)
def test_who_said_it(text: str, name: str | None, role: tuple[str, str] | None) -> None:
    found = find_speaker(text, "", known=frozenset({"skf"}))
    assert found is not None, text
    assert (found.name, found.role) == (name, role) or (name is None and found.role == role)


def test_according_to_him_names_nobody() -> None:
    assert find_speaker("По словам его, это важно.", "ru") is None
    assert find_speaker("The talks went well.", "en") is None


def test_descriptions_meet_names_through_the_run() -> None:
    book = Book()
    book.read("Russian President Vladimir Putin arrived.", "en")
    book.read("Kyrgyz President Sadyr Japarov met him.", "en")
    putin = find_speaker("Putin said that", "en")
    role = find_speaker("وقال الرئيس الروسي إن", "ar")
    japarov = find_speaker("Жапаров заявил, что", "ru")
    words = word_keys
    assert not differ(putin, role, book, words("Putin said that"), words("وقال الرئيس الروسي إن"))
    assert differ(japarov, role, book, words("Жапаров заявил"), words("وقال الرئيس الروسي إن"))
    kyrgyz = find_speaker("وقال الرئيس القرغيزي إن", "ar")
    assert differ(kyrgyz, role, Book(), frozenset(), frozenset())  # two descriptions: two countries
    assert book.person("jbrf") and not book.person("bsk")


def test_a_speaker_the_other_report_also_names_is_no_conflict() -> None:
    a = find_speaker("Putin said, adding that Peskov would brief reporters", "en")
    b = find_speaker("Peskov said Putin was pleased", "en")
    assert a and b and a.name != b.name
    assert not differ(a, b, Book(), word_keys("Putin said, adding that Peskov would brief"), word_keys("Peskov said Putin"))


def test_bodies_named_in_one_word_are_not_speakers_that_differ() -> None:
    # "Ireland's Department of Finance said" against «el Gobierno irlandés aseguró»: a ministry,
    # a government, a province or an acronym is named too many ways to flag as another speaker
    a = find_speaker("The Department of Finance said it would respect the ruling", "en")
    b = find_speaker("El Gobierno aseguró que respetará el fallo", "es")
    c = find_speaker("OHAL said the emergency would last three months", "en")
    assert a and b and c and a.name != b.name
    assert not personal(a, Book()) and not personal(c, Book())
    assert not differ(a, b, Book(), word_keys("Department of Finance"), word_keys("Gobierno"))
    # two people, each named in full, still differ
    x = find_speaker("In a statement, Tim Cook said the company was disappointed", "en")
    y = find_speaker("In a statement, Luca Maestri said the company was disappointed", "en")
    assert personal(x, Book()) and differ(x, y, Book(), word_keys("Tim Cook"), word_keys("Luca Maestri"))


def test_offices_joined_by_connectors_describe_one_person() -> None:
    ((role, _, _),) = roles("помощник президента России")
    assert role == ("aide", "russia")


def test_a_name_after_that_is_in_what_was_said() -> None:
    found = find_speaker("Путин с иронией добавил, что у Харрис заразительный смех.", "ru")
    assert found is not None and found.surface == "Путин"
    assert find_speaker("Putin added that Harris laughs well.", "en").surface == "Putin"


def test_half_a_name_in_a_script_without_case_is_no_name() -> None:
    """Only the first name of «वोलोदिमिर ज़ेलेंस्की» is known: the mention is left out, not taken for Vladimir."""
    text = "यूक्रेन के राष्ट्रपति वोलोदिमिर ज़ेलेंस्की ने कहा"
    assert name_mentions(text, "hi", known=frozenset({"fldmr"})) == []
    surname = skeleton("ज़ेलेंस्की")
    assert [m.value for m in name_mentions(text, "hi", known=frozenset({"fldmr", surname}))] == [surname]

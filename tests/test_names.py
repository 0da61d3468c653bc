"""Names across scripts: consonant skeletons of transliterations, no list of names."""

from __future__ import annotations

import pytest

from reader.names import sentence_keys, skeleton


@pytest.mark.parametrize(
    "spellings",
    [
        ["Google", "Гугл", "غوغل", "गूगल"],
        ["Erdoğan", "Эрдоган", "أردوغان", "एर्दोगन"],
        ["Elbistan", "Эльбистан", "البستان"],
        ["Vestager", "Вестагер", "فيستاغر"],
        ["Samandağ", "Самандаг", "سمنداغ"],
        ["Apple", "Эппл", "أبل", "एप्पल"],
    ],
)
def test_one_name_in_several_scripts_has_one_skeleton(spellings: list[str]) -> None:
    assert len({skeleton(s) for s in spellings}) == 1, {s: skeleton(s) for s in spellings}


def test_different_names_have_different_skeletons() -> None:
    assert skeleton("Google") != skeleton("Apple")
    assert skeleton("Kolo Muani") != skeleton("Oyarzabal")


def test_names_are_capitalised_words_in_cased_scripts_and_every_word_in_caseless_ones() -> None:
    names, words = sentence_keys("The court ruled that Apple must pay Ireland.", frozenset({"the"}))
    assert names == {skeleton("Apple"), skeleton("Ireland")} and not words
    names, words = sentence_keys("وقالت غوغل إنها تشعر بخيبة أمل")
    assert not names and skeleton("غوغل") in words
    names, _ = sentence_keys("Apple said it was disappointed.")
    assert skeleton("Apple") in names  # a name that opens the sentence is still a name


def test_a_place_written_as_an_acronym_matches_only_in_capitals() -> None:
    from reader.facts.names import place_mentions

    # French "il y a eu" (there were) is not the European Union; "EU", «ЕС» are
    assert "european-union" not in [m.value for m in place_mentions("Il y a eu quatre morts à Lyon.")]
    assert [m.value for m in place_mentions("The EU said on Monday.")] == ["european-union"]
    assert [m.value for m in place_mentions("В ЕС заявили в понедельник.")] == ["european-union"]

"""Number words of a language read back into numbers, from the spelled-out forms ``num2words``
writes: "eighty-five", "quatre-vingt-cinq", "fünfundachtzig", "seksenbeş", "ochenta y cinco",
"هشتاد و پنج", "خمسة وثمانون".

The hand table in ``reader.facts.numbers`` keeps the case forms num2words does not write
(«трёх», "ثلاثين", Hindi); this module adds every language num2words spells, so a figure
written in words in French, German, Spanish, Turkish, Persian or Ukrainian is a figure too.
Words are looked up in the article's own language only: Turkish "on" is ten, English "on" is not.
"""

from __future__ import annotations

from functools import lru_cache

from reader.tokens import normalize_token

SPELLED = (*range(1, 100), *range(100, 1000, 100))  # compounds up to 99 and the round hundreds
_AR_AND = "و "  # num2words writes Arabic's "and" apart ("خمسة و ثمانون"); articles join it to the word


@lru_cache(maxsize=32)
def _spellings(lang: str) -> tuple[dict[str, int], frozenset[str]]:
    """(one-word forms -> value, the words that join a compound: "and", "y", "et", "و")."""
    try:
        from num2words import num2words
    except ImportError:  # an optional reading: without it, the hand table's words are read
        return {}, frozenset()
    words: dict[str, int] = {}
    joins: set[str] = set()
    for n in SPELLED:
        try:
            spelled = num2words(n, lang=lang)
        except (NotImplementedError, KeyError, ValueError, TypeError):  # a language num2words does not spell
            return {}, frozenset()
        spelled = spelled.replace(_AR_AND, "و") if lang == "ar" else spelled
        parts = [normalize_token(p) for p in spelled.replace(",", " ").split()]
        if len(parts) == 1:
            words.setdefault(parts[0], n)
        elif n >= 200 and n % 100 == 0:
            words.setdefault(parts[-1], 100)  # "cents" in "deux cents": the hundred a count multiplies
    for n in SPELLED:
        spelled = num2words(n, lang=lang)
        parts = [normalize_token(p) for p in spelled.split()]
        joins.update(p for p in parts[1:-1] if p not in words)
    return words, frozenset(joins)


def spelled_value(token: str, lang: str) -> int | None:
    """The value of one word of ``lang`` (a compound written as one word included), or None."""
    return _spellings(lang)[0].get(normalize_token(token)) if lang else None


def joining_words(lang: str) -> frozenset[str]:
    """The words a compound of ``lang`` puts between its parts ("y" in "ochenta y cinco")."""
    return _spellings(lang)[1] if lang else frozenset()

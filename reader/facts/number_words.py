"""Numbers written in words: runs of number words read into figures, from the hand table below (the
case forms of Russian, Arabic and Hindi: «трёх», "ثلاثين", "तीन") and from the forms ``num2words``
writes for every language it spells: "eighty-five", "quatre-vingt-cinq", "fünfundachtzig",
"seksenbeş", "ochenta y cinco", "هشتاد و پنج". Spelled forms are looked up in the article's own
language only (Turkish "on" is ten, English "on" is not); "one" alone is an article, and "the
two" or «les deux» means both.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TypeVar

from reader.facts.core import _AR_PREFIXES, _Spans
from reader.tokens import normalize_token, tokens

_Value = TypeVar("_Value", int, float)


def _table(rows: list[tuple[_Value, str]]) -> dict[str, _Value]:
    """Normalised word -> value, from (value, "space-separated forms in every language") rows."""
    return {normalize_token(form): value for value, forms in rows for form in forms.split()}


_WORDS: dict[str, int] = _table([
    (2, "two два две двух двум двумя दो اثنان اثنين اثنتان اثنتين"),
    (3, "three три трех трёх трем трём тремя तीन ثلاث ثلاثة"),
    (4, "four четыре четырех четырёх четырем четырём четырьмя चार أربع أربعة"),
    (5, "five пять пяти пятью पांच पाँच خمس خمسة"),
    (6, "six шесть шести шестью छह छः ست ستة"),
    (7, "seven семь семи सात سبع سبعة"),
    (8, "eight восемь восьми восемью восьмью आठ ثمان ثماني ثمانية"),
    (9, "nine девять девяти девятью नौ تسع تسعة"),
    (10, "ten десять десяти десятью दस عشر عشرة"),
    (11, "eleven одиннадцать одиннадцати ग्यारह"),
    (12, "twelve двенадцать двенадцати बारह"),
    (15, "fifteen пятнадцать пятнадцати पंद्रह"),
    (20, "twenty двадцать двадцати बीस عشرون عشرين"),
    (30, "thirty тридцать тридцати तीस ثلاثون ثلاثين"),
    (40, "forty сорок сорока चालीस أربعون أربعين"),
    (50, "fifty пятьдесят пятидесяти पचास خمسون خمسين"),
    (60, "sixty шестьдесят шестидесяти साठ ستون ستين"),
    (70, "seventy семьдесят семидесяти सत्तर سبعون سبعين"),
    (80, "eighty восемьдесят восьмидесяти अस्सी ثمانون ثمانين"),
    (90, "ninety девяносто девяноста नब्बे تسعون تسعين"),
    (100, "hundred сто ста सौ مئة مائة"),
    (200, "двести двухсот مئتان مئتين مائتين"),
    (300, "триста трехсот трёхсот"),
    (500, "пятьсот пятисот"),
])

# multipliers: they scale a preceding figure, or stand alone (dual forms carry the 2)
_MULT: dict[str, float] = _table([
    (1e3, "thousand thousands тысяча тысячи тысяч тысячам тысячами тыс हज़ार हजार ألف آلاف الاف"),
    (1e5, "लाख"),
    (1e6, "million millions миллион миллиона миллионов млн मिलियन مليون ملايين"),
    (1e7, "करोड़ करोड"),
    (1e9, "billion billions миллиард миллиарда миллиардов млрд बिलियन مليار مليارات"),
    (1e12, "trillion trillions триллион триллиона триллионов трлн ट्रिलियन تريليون"),
])
_DUAL: dict[str, float] = _table([(2e3, "ألفين ألفان ألفي ألفا"), (2e6, "مليونين مليونان مليوني مليونا"),
                                  (2e9, "ملياري مليارين ملياران مليارا")])
# Arabic ordinal units, masculine and feminine, before "و" and a tens word: "الخامسة والثمانين" (85th)
_AR_ORDINAL_UNITS: dict[str, int] = _table([
    (1, "الحادي الحادية"), (2, "الثاني الثانية"), (3, "الثالث الثالثة"), (4, "الرابع الرابعة"),
    (5, "الخامس الخامسة"), (6, "السادس السادسة"), (7, "السابع السابعة"), (8, "الثامن الثامنة"),
    (9, "التاسع التاسعة"),
])
MULTIPLIERS = _MULT  # the scale words every language shares with these tables
_ARABIC = re.compile(r"[\u0600-\u06ff]")
DUAL_DAYS = {normalize_token(w) for w in ("يومين", "يومان", "ليومين")}  # "two days" in one word
HI_ARAB = normalize_token("अरब")  # "billion" only after a figure (alone it means "Arab")


def word_value(tok: str) -> tuple[str, float] | None:
    """('unit'|'mult'|'dual', value) for a number word, allowing Arabic clitics."""
    t = normalize_token(tok)
    cands = [t]
    if any("\u0600" <= ch <= "\u06ff" for ch in t):
        for p in _AR_PREFIXES:
            if t.startswith(p) and len(t) > len(p) + 1:
                cands.append(t[len(p):])
    for c in cands:
        if c in _DUAL:
            return "dual", _DUAL[c]
        if c in _WORDS:
            return "unit", _WORDS[c]
        if c in _MULT:
            return "mult", _MULT[c]
    return None


# ------------------------------------------------------------ every language num2words spells
SPELLED = (*range(1, 100), *range(100, 1000, 100))  # compounds up to 99 and the round hundreds
_AR_AND = "و "  # num2words writes Arabic's "and" apart ("خمسة و ثمانون"); articles join it to the word


@lru_cache(maxsize=32)
def _spellings(lang: str) -> tuple[dict[str, int], frozenset[str]]:
    """(one-word forms -> value, the words that join a compound: "and", "y", "et", "و")."""
    try:
        from num2words import num2words
    except ImportError:  # an optional reading: without it, the hand table's words are read
        return {}, frozenset()
    try:
        spellings = [(n, num2words(n, lang=lang)) for n in SPELLED]
    except (NotImplementedError, KeyError, ValueError, TypeError):  # a language num2words does not spell
        return {}, frozenset()
    words: dict[str, int] = {}
    for n, spelled in spellings:
        spelled = spelled.replace(_AR_AND, "و") if lang == "ar" else spelled
        parts = [normalize_token(p) for p in spelled.replace(",", " ").split()]
        if len(parts) == 1:
            words.setdefault(parts[0], n)
        elif n >= 200 and n % 100 == 0:
            words.setdefault(parts[-1], 100)  # "cents" in "deux cents": the hundred a count multiplies
    joins = {p for _, spelled in spellings for p in [normalize_token(w) for w in spelled.split()][1:-1]
             if p not in words}
    return words, frozenset(joins)


def spelled_value(token: str, lang: str) -> int | None:
    """The value of one word of ``lang`` (a compound written as one word included), or None."""
    return _spellings(lang)[0].get(normalize_token(token)) if lang else None


def joining_words(lang: str) -> frozenset[str]:
    """The words a compound of ``lang`` puts between its parts ("y" in "ochenta y cinco")."""
    return _spellings(lang)[1] if lang else frozenset()


# ----------------------------------------------------------------------------- runs of words
_TENS = frozenset(range(20, 100, 10))
_DEFINITE = frozenset({"the", "les", "los", "las", "die"})  # before a spelled two, it means "both"


def _spelled(tok: str, lang: str, least: int) -> tuple[str, float] | None:
    """A number word of the article's language that the hand table lacks ("quatre-vingt-cinq")."""
    value = spelled_value(tok, lang)
    return ("unit", float(value)) if value is not None and value >= least else None


def word_figures(norm: str, lang: str, taken: _Spans) -> list[tuple[int, int, float]]:
    """(start, end, value) of each run of number words in ``norm`` not yet taken: "eighty-five",
    «двадцать пять», "ochenta y cinco", "خمسة وثمانون" (Arabic says the units first), "वार्ता के दो"…
    Multipliers ("thousand") are left to the caller, which applies them to figures in digits alike."""
    items: list[tuple[int, int, float]] = []
    toks = tokens(norm)
    joins = {"and", *joining_words(lang)}
    joined = r"[\s\-]*(?:(?:" + "|".join(map(re.escape, sorted(joins))) + r")\s+)?"
    i = 0
    while i < len(toks):
        tok, s, e = toks[i]
        wv = word_value(tok) or _spelled(tok, lang, least=2)  # "un", "ein", "bir" alone are articles
        if normalize_token(tok) in DUAL_DAYS and taken.free(s, e):
            items.append((s, e, 2.0))
            i += 1
            continue
        if wv is None or wv[0] == "mult" or not taken.free(s, e):
            i += 1
            continue
        if wv[1] == 10 and i and _ARABIC.match(tok) and _ARABIC.match(toks[i - 1][0]) and not word_value(toks[i - 1][0]):
            i += 1  # "السابع عشر" (the seventeenth): the teen of an ordinal, not ten
            continue
        if wv[1] in _TENS and i and tok.startswith("و") and (unit := _AR_ORDINAL_UNITS.get(normalize_token(toks[i - 1][0]))):
            items.append((toks[i - 1][1], e, float(unit + wv[1])))  # "الخامسة والثمانين": the eighty-fifth
            i += 1
            continue
        kind, val = wv
        if kind == "dual":
            items.append((s, e, val))
            i += 1
            continue
        current = val
        j = i + 1
        end = e
        while j < len(toks):
            nt, ns, ne = toks[j]
            gap = norm[end:ns]
            if not re.fullmatch(joined, gap):
                break
            if normalize_token(nt) in joins:
                j += 1  # "y" in "ochenta y cinco": read on; the figure ends at its last number word
                continue
            nv = word_value(nt) or _spelled(nt, lang, least=1)
            if nv is None or nv[0] == "dual":
                break
            if nv[0] == "unit":
                if nv[1] == 100:
                    current = max(current, 1) * 100
                elif current < 10 and nv[1] in _TENS and nt.startswith("و"):
                    current += nv[1]  # Arabic says the units first: "خمسة وثمانون" (five and eighty)
                elif current and nv[1] >= current:
                    break
                else:
                    current += nv[1]
            else:
                break  # multipliers are applied below, with figures in digits alike
            end = ne
            j += 1
        both = current == 2 and j == i + 1 and i and normalize_token(toks[i - 1][0]) in _DEFINITE
        if not both:  # "the two countries", «les deux pays»: both of them, not a count to compare
            items.append((s, end, current))
        i = j
    return items

"""Facts stated in a sentence, in any of reader's scripts: numbers, percentages, money, dates, names.

Pure and stdlib only. :func:`extract` reads one text (a sentence, or several) and returns
:class:`Fact` objects whose ``value`` is normalised so that facts from different languages
compare directly:

=========  ==========================================================================
kind       value
=========  ==========================================================================
number     decimal string: "3", "3165", "2.5"; ``extra["bound"]`` is "min" for "over
           3,000"/«более 3 тысяч»/«أكثر من», "max" for "up to"/«менее», "approx" for
           "about"/«около»/«حوالي»/«लगभग»; ``extra["concept"]`` names what is counted
           ("school", "investment", "day"…) when a known noun sits next to the figure
percent    like number, without the sign: "97"
money      "<amount> <ISO currency>": "2000000000 USD"
date       ISO, by granularity: "2027-09-01", "2027-09", "2027", a range
           "2025-11-25/2025-11-27"; ``extra["lo"]``/``extra["hi"]`` hold the interval,
           ``extra["approx"]`` is True for guesses (a weekday alone, "tomorrow" inside a
           quotation) that must never cause a conflict; ``extra["event"]`` the nearest
           event word (visit, talks, meeting, opening, trade, announcement) when there is one
person,    the gazetteer id from :mod:`reader.entities` ("person:japarov");
place, org ``extra["role"]`` is True for a description standing for the person
=========  ==========================================================================

Relative dates ("last year", «в прошлом году», «العام الماضي», "next week", «अगले हफ़्ते»,
weekdays, "today") are resolved against ``published`` (ISO date) when it is given; without
it they are skipped. Offsets ``start``/``end`` are into the text given, and every digit
script (ASCII, ٠–٩, ۰–۹, ०–९) is read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from reader import calendar_words, numerals
from reader.entities import find_mentions, normalize_token, tokens
from reader.model import Document
from reader.segment import dateline_end

__all__ = ["Fact", "extract", "normalize_digits", "CONCEPTS", "EVENTS", "concepts_in", "compatible_numbers", "interval"]


@dataclass(frozen=True)
class Fact:
    kind: str  # number, percent, money, date, person, place, org
    value: str  # normalised, comparable across languages
    surface: str  # the characters as written
    start: int  # offsets into the text given to extract()
    end: int
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


# ------------------------------------------------------------------------------------- digits
_DIGIT_MAP = {}
for _base in (0x0660, 0x06F0, 0x0966):
    for _i in range(10):
        _DIGIT_MAP[_base + _i] = str(_i)
_DIGIT_MAP[0x066B] = "."  # Arabic decimal separator
_DIGIT_MAP[0x066C] = ","  # Arabic thousands separator
_DIGIT_MAP[0x066A] = "%"  # Arabic percent sign
_DIGIT_MAP[0x060C] = ","  # Arabic comma (keeps offsets; used only as a separator)
_DIGIT_MAP[0x00A0] = " "
_DIGIT_MAP[0x202F] = " "


def normalize_digits(text: str) -> str:
    """Every digit script to ASCII, one character for one, so offsets are unchanged."""
    return text.translate(_DIGIT_MAP)


# ------------------------------------------------------------------------------------ concepts
# What a figure counts: a noun next to it. Stems in en/ru/ar/hi, matched at token starts
# (Arabic after clitics). Used to pair figures across outlets and to decide whether another
# outlet speaks of the same thing at all.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "school": ("school", "школ", "مدرس", "مدارس", "स्कूल", "विद्यालय"),
    "investment": ("invest", "инвест", "استثمار", "الاستثمار", "निवेश"),
    "trade": ("trade", "turnover", "товарооборот", "торгов", "التبادل", "تجار", "व्यापार"),
    "settlement": ("settlement", "payment", "расчет", "расчёт", "تسوي", "التسوي", "भुगतान"),
    "region": ("region", "entit", "subject", "регион", "субъект", "منطق", "مناطق", "كيان", "क्षेत्र"),
    "day": ("day", "дн", "день", "дня", "يوم", "أيام", "ايام", "दिन"),
    "centre": ("centre", "center", "центр", "مركز", "مراكز", "केंद्र"),
    "bed": ("bed", "коек", "койк", "سرير", "أسر", "बिस्तर", "बेड"),
    "patient": ("patient", "пациент", "больн", "مريض", "مرضى", "मरीज"),
    "delegation": ("delegat", "делегац", "وفد", "प्रतिनिधिमंडल"),
    "document": ("document", "agreement", "документ", "соглашени", "وثيق", "اتفاق", "दस्तावेज", "समझौत"),
    "exercise": ("exercise", "drill", "учени", "مناور", "تدريب", "अभ्यास"),
    "plant": ("plant", "reactor", "станци", "реактор", "محط", "مفاعل", "संयंत्र"),
}
_CONCEPT_STEMS = sorted(
    ((normalize_token(s), c) for c, stems in CONCEPTS.items() for s in stems), key=lambda p: -len(p[0])
)
_AR_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل", "ف")


def _concept_of_token(tok: str) -> str | None:
    t = normalize_token(tok)
    cands = [t]
    for p in _AR_PREFIXES:
        if t.startswith(p) and len(t) > len(p) + 2:
            cands.append(t[len(p):])
    for cand in cands:
        for stem, concept in _CONCEPT_STEMS:
            if cand.startswith(stem):
                if stem in ("дн", "day") and len(cand) > len(stem) + 2:  # днём? "dayton"? keep short forms
                    continue
                return concept
    return None


# What a date is the date of: the nearest event word. Dates of different events never conflict
# (the talks on the 26th, the CSTO meeting on the 27th; an announcement made on Monday).
EVENTS: dict[str, tuple[str, ...]] = {
    "visit": ("visit", "arriv", "визит", "прибы", "прилет", "прилёт", "زيار", "وصل", "وصول", "दौर", "यात्रा",
              "पहुंच", "पहुँच", "काम किया"),
    "talks": ("talks", "negotiat", "переговор", "محادث", "مباحث", "बातचीत", "वार्ता"),
    "meeting": ("meeting", "summit", "встреч", "саммит", "заседан", "обед", "اجتماع", "لقاء", "اللقاء", "قمة",
                "मुलाकात", "बैठक", "सम्मेलन", "शिखर"),
    "opening": ("open", "заработа", "откр", "افتتاح", "खुल"),
    "launch": ("launch", "запуст", "старт", "أطلق", "اطلق", "إطلاق", "لॉन्च"),
    "trade": ("trade", "turnover", "товарооборот", "торгов", "التبادل", "تجار", "व्यापार"),
    "announcement": ("announc", "сообщ", "объяв", "أعلن", "اعلن", "إعلان", "घोषणा"),
}
_EVENT_STEMS = sorted(((normalize_token(s), e) for e, stems in EVENTS.items() for s in stems if " " not in s),
                      key=lambda p: -len(p[0]))


def _nearest_event(text: str, start: int, end: int, window: int = 100) -> str | None:
    lo = max(0, start - window)
    best: tuple[int, str] | None = None
    for tok, s, e in tokens(text[lo : end + window]):
        s, e = s + lo, e + lo
        if s < end and e > start:
            continue
        t = normalize_token(tok)
        cands = [t] + [t[len(p):] for p in _AR_PREFIXES if t.startswith(p) and len(t) > len(p) + 2]
        event = next((ev for c in cands for stem, ev in _EVENT_STEMS if c.startswith(stem)), None)
        if event is None:
            continue
        dist = s - end if s >= end else start - e
        if best is None or dist < best[0]:
            best = (dist, event)
    return best[1] if best else None


def concepts_in(text: str) -> set[str]:
    """Concepts (keys of :data:`CONCEPTS`) named anywhere in ``text``."""
    return {c for tok, _, _ in tokens(text) if (c := _concept_of_token(tok))}


def _nearest_concept(text: str, start: int, end: int, window: int = 60) -> str | None:
    """The concept noun nearest to a figure, preferring what follows it (the counted noun)."""
    best: tuple[int, str] | None = None
    for tok, s, e in tokens(text[max(0, start - window) : end + window]):
        s += max(0, start - window)
        e += max(0, start - window)
        if s < end and e > start:
            continue
        concept = _concept_of_token(tok)
        if not concept:
            continue
        dist = s - end if s >= end else (start - e) + 15  # after the figure is preferred
        if best is None or dist < best[0]:
            best = (dist, concept)
    return best[1] if best else None


# -------------------------------------------------------------------------------- number words
def _forms(value: int, *forms: str) -> dict[str, int]:
    return {normalize_token(f): value for f in forms}


_WORDS: dict[str, int] = {}
for _v, _f in [
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
]:
    _WORDS.update(_forms(_v, *_f.split()))

# multipliers: they scale a preceding figure, or stand alone (dual forms carry the 2)
_MULT: dict[str, float] = {}
for _v, _f in [
    (1e3, "thousand thousands тысяча тысячи тысяч тысячам тысячами тыс हज़ार हजार ألف آلاف الاف"),
    (1e5, "लाख"),
    (1e6, "million millions миллион миллиона миллионов млн मिलियन مليون ملايين"),
    (1e7, "करोड़ करोड"),
    (1e9, "billion billions миллиард миллиарда миллиардов млрд बिलियन مليار مليارات"),
    (1e12, "trillion trillions триллион триллиона триллионов трлн ट्रिलियन تريليون"),
]:
    _MULT.update(_forms(_v, *_f.split()))  # type: ignore[arg-type]
_DUAL: dict[str, float] = {}
for _v, _f in [(2e3, "ألفين ألفان ألفي ألفا"), (2e6, "مليونين مليونان مليوني مليونا"),
               (2e9, "ملياري مليارين ملياران مليارا")]:
    _DUAL.update(_forms(_v, *_f.split()))  # type: ignore[arg-type]
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_DUAL_DAYS = {normalize_token(w) for w in ("يومين", "يومان", "ليومين")}  # "two days" in one word
_HI_ARAB = normalize_token("अरब")  # "billion" only after a figure (alone it means "Arab")


def _word_value(tok: str) -> tuple[str, float] | None:
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


# ------------------------------------------------------------------------------- hedges, units
_MIN_BEFORE = re.compile(
    r"(?:over|more than|above|at least|upwards of|exceeding|exceeded|более чем|более|свыше|больше|не менее|"
    r"превысил\w*|أكثر من|اكثر من|ما يزيد على|ما يزيد عن|يزيد على|يزيد عن|يتجاوز|تجاوز\w*)\s*$",
    re.IGNORECASE,
)
_MAX_BEFORE = re.compile(r"(?:up to|less than|under|fewer than|менее|меньше|не более|أقل من|اقل من)\s*$", re.IGNORECASE)
_APPROX_BEFORE = re.compile(
    r"(?:about|around|approximately|some|nearly|almost|roughly|около|примерно|почти|порядка|приблизительно|"
    r"حوالي|حوالى|نحو|قرابة|تقريبا|زهاء|लगभग|करीब|क़रीब|तकरीबन)\s*$",
    re.IGNORECASE,
)
_MIN_AFTER = re.compile(r"^\s*(?:से अधिक|से ज़्यादा|से ज्यादा|से ऊपर|से ज़ियादा|or more|и более|с лишним)")
_APPROX_AFTER = re.compile(r"^\s*(?:के करीब|के लगभग|तक़रीबन|تقريبا|تقريباً|или около того)")

_FIRST_BEFORE = re.compile(r"(?:first|перв\w*|أول|اول|पहले|पहली)\s*$", re.IGNORECASE)
_FIRST_AFTER = re.compile(r"^\s*(?:\w+\s+)?(?:الأولى|الاولى|الأوائل|first)(?!\w)", re.IGNORECASE)
_PERCENT_AFTER = re.compile(
    r"^\s?(?:%|percent\b|per cent\b|процент\w*|في ?الما[ئي]ة|في ?المئة|بالم[ئا]ئة|بالمئة|प्रतिशत|फ़ीसदी|फीसदी)",
    re.IGNORECASE,
)
_CONNECTOR = r"(?:\s?(?:de|d['’]|of|des)\s?)?"  # "13 milliards d'euros", "13 mil millones de euros"


@lru_cache(maxsize=64)
def _currency_after(lang: str) -> re.Pattern[str]:
    """A currency right after a figure: a noun (``reader/data/currencies.json``) or a CLDR symbol."""
    alternatives: dict[str, list[str]] = {}
    for pattern, code in numerals.currency_words(lang):
        alternatives.setdefault(code, []).append(pattern)
    for symbol, code in numerals.currency_symbols(lang).items():
        alternatives.setdefault(code, []).append(re.escape(symbol))
    body = "|".join(f"(?P<{code}>{'|'.join(sorted(p, key=len, reverse=True))})" for code, p in alternatives.items())
    return re.compile(r"^\s?" + _CONNECTOR + "(?:" + body + r")(?![^\W\d_\u3400-\u9fff])", re.IGNORECASE)


@lru_cache(maxsize=64)
def _currency_before(lang: str) -> re.Pattern[str]:
    """A currency symbol or code right before a figure ("$4.1", "€13bn", "US$ 2", "USD 5")."""
    alternatives: dict[str, list[str]] = {}
    for symbol, code in numerals.currency_symbols(lang).items():
        alternatives.setdefault(code, []).append(re.escape(symbol))
    for code in numerals.CURRENCIES:
        alternatives.setdefault(code, []).append(code)
    body = "|".join(f"(?P<{code}>{'|'.join(sorted(p, key=len, reverse=True))})" for code, p in alternatives.items())
    return re.compile("(?:" + body + r")\s?$")


# ---------------------------------------------------------------------------------- dates
_MONTHS: list[tuple[int, str]] = [
    (1, r"January|Jan\.?|январ[ьяею]|जनवरी|يناير|كانون الثاني"),
    (2, r"February|Feb\.?|феврал[ьяею]|फ़रवरी|फरवरी|فبراير|شباط"),
    (3, r"March|Mar\.|марта?|марте|मार्च|مارس|آذار"),
    (4, r"April|Apr\.?|апрел[ьяею]|अप्रैल|أبريل|إبريل|ابريل|نيسان"),
    (5, r"May|ма[йяе]|मई|مايو|أيار"),
    (6, r"June|Jun\.?|июн[ьяею]|जून|يونيو|يونيه|حزيران"),
    (7, r"July|Jul\.?|июл[ьяею]|जुलाई|يوليو|يوليه|تموز"),
    (8, r"August|Aug\.?|августа?|августе|अगस्त|أغسطس|اغسطس|آب"),
    (9, r"September|Sept?\.?|сентябр[ьяею]|सितंबर|सितम्बर|سبتمبر|أيلول"),
    (10, r"October|Oct\.?|октябр[ьяею]|अक्टूबर|अक्तूबर|أكتوبر|اكتوبر|تشرين الأول"),
    (11, r"November|Nov\.?|ноябр[ьяею]|नवंबर|नवम्बर|نوفمبر|تشرين الثاني"),
    (12, r"December|Dec\.?|декабр[ьяею]|दिसंबर|दिसम्बर|ديسمبر|كانون الأول"),
]
_WB = r"(?<![\w\u0900-\u097f])"  # word boundary that also knows Devanagari marks
_WE = r"(?![\w\u0900-\u097f])"
_MONTH_RE = re.compile(
    _WB + r"(?:" + "|".join(f"(?P<m{n}>{p})" for n, p in _MONTHS) + r")" + _WE, re.IGNORECASE
)


def _either(patterns: Iterable[str]) -> str:
    return "|".join(p for p in patterns if p)


@lru_cache(maxsize=64)
def _month_re(lang: str) -> re.Pattern[str]:
    """Month names: the tables above (every language) with CLDR's wide names for ``lang`` as
    groups ``m1``..``m12``, and CLDR's abbreviations as ``a1``..``a12`` (which need a day or a year)."""
    wide = calendar_words.month_patterns(lang)
    short = calendar_words.month_patterns(lang, abbreviated=True)
    groups = [f"(?P<m{n}>{_either((p, wide.get(n, '')))})" for n, p in _MONTHS]
    groups += [f"(?P<a{n}>{p})" for n, p in sorted(short.items()) if p]
    return re.compile(_CJK_WB + r"(?:" + "|".join(groups) + r")" + _CJK_WE, re.IGNORECASE)


@lru_cache(maxsize=64)
def _weekday_re(lang: str) -> re.Pattern[str]:
    """Weekday names, the tables below with CLDR's wide names for ``lang``, as groups ``w0``..``w6``."""
    cldr = calendar_words.weekday_patterns(lang)
    groups = "|".join(f"(?P<w{n}>{_either((p, cldr.get(n, '')))})" for n, p in _WEEKDAYS)
    cjk = "|".join(f"(?P<c{n}>{p})" for n, p in cldr.items() if calendar_words.cjk(p))
    return re.compile(r"(?<![\w\u0900-\u097f])[وب]?(?:" + groups + r")" + _CJK_WE + ("|" + cjk if cjk else ""),
                      re.IGNORECASE)


@lru_cache(maxsize=64)
def _relative_res(lang: str) -> tuple[tuple[re.Pattern[str], str, int], ...]:
    """The relative expressions below, then CLDR's for ``lang`` ("gestern", "geçen hafta", "昨天")."""
    out = list(_RELATIVE_RE)
    for phrase, unit, offset in calendar_words.relative_phrases(lang):
        boundary = ("", "") if calendar_words.cjk(phrase) else (_WB, _WE)
        out.append((re.compile(boundary[0] + re.escape(phrase).replace("\\ ", "\\s+") + boundary[1], re.IGNORECASE),
                    unit, offset))
    return tuple(out)


# a boundary that lets CJK text run on ("6月25日", "周三")
_CJK_WB = r"(?:(?<![\w\u0900-\u097f])|(?<=[\u3400-\u9fff]))"
_CJK_WE = r"(?:(?![\w\u0900-\u097f])|(?=[\u3400-\u9fff]))"
_CJK_DAY = re.compile(r"(?<![月\d])(?P<d>\d{1,2})\s*[日号]")
_CJK_DATE = re.compile(r"(?:(?P<y>(?:19|20)\d\d)\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*[日号])?")
_LEVANTINE = r"(?:كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول)"
_ALT_MONTH_AFTER = re.compile(r"^\s*(?:/\s*|\(\s*)" + _LEVANTINE + r"\s*\)?")
_AR_ORDINAL_DAYS = {
    "الأول": 1, "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6, "السابع": 7,
    "الثامن": 8, "التاسع": 9, "العاشر": 10,
}
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th|er|-?го|-?е|\.)?|" + "|".join(_AR_ORDINAL_DAYS) + r")"
_RANGE_SEP = r"\s*(?:-|–|—|to|through|до|по|से|إلى|الى|حتى|و|and|и|au|et|al|y|bis|und)\s*"
_DAY_BEFORE = re.compile(
    r"(?:(?P<d1>" + _DAY + r")" + _RANGE_SEP + r")?(?P<d2>" + _DAY + r")\s*(?:من\s+|of\s+|de\s+)?$", re.IGNORECASE
)
_DAY_AFTER_EN = re.compile(r"^\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|—|to)\s*(?P<d2>\d{1,2}))?(?!\d)")
_YEAR_AFTER = re.compile(r"^,?\s*(?:de\s+)?(?P<y>(?:19|20)\d\d)(?!\d)(?:\s*(?:г\.|года|году|год|गोद|م)(?![\w]))?")
_NEXT_AFTER = re.compile(r"^\s*(?:المقبل|القادم|next|следующего года|будущего года)", re.IGNORECASE)
_CURRENT_AFTER = re.compile(r"^\s*(?:الجاري|الحالي|this year|этого года|текущего года|इस साल)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)(?!\d)")
_ISO_DATE = re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)")
_YEAR = re.compile(r"(?<![\d.,])(?P<y>(?:19|20)\d\d)(?![\d])(?:\s*(?:г\.|гг\.|года|году|год)(?![\w]))?")

_WEEKDAYS: list[tuple[int, str]] = [
    (0, r"Monday|понедельник[аеу]?|सोमवार|الاثنين|الإثنين"),
    (1, r"Tuesday|вторник[аеу]?|मंगलवार|الثلاثاء"),
    (2, r"Wednesday|сред[аеуы]|बुधवार|الأربعاء|الاربعاء"),
    (3, r"Thursday|четверг[аеу]?|गुरुवार|बृहस्पतिवार|الخميس"),
    (4, r"Friday|пятниц[аеуы]|शुक्रवार|الجمعة"),
    (5, r"Saturday|суббот[аеуы]|शनिवार|السبت"),
    (6, r"Sunday|воскресень[еяю]|रविवार|الأحد"),
]
_WEEKDAY_RE = re.compile(
    r"(?<![\w\u0900-\u097f])[وب]?(?:" + "|".join(f"(?P<w{n}>{p})" for n, p in _WEEKDAYS) + r")" + _WE,
    re.IGNORECASE,
)

# relative expressions: (regex, unit, offset)
_RELATIVE: list[tuple[str, str, int]] = [
    (r"the day before yesterday|позавчера|أول أمس|اول امس|أول من أمس", "day", -2),
    (r"the day after tomorrow|послезавтра|بعد غد", "day", 2),
    (r"yesterday|вчера|أمس|امس|البارحة", "day", -1),
    (r"tomorrow|завтра|غدا|غداً|غدًا", "day", 1),
    (r"today|сегодня|اليوم|आज", "day", 0),
    (r"last year|the previous year|в прошлом году|в минувшем году|прошлого года|العام الماضي|السنة الماضية|"
     r"عام الماضي|पिछले साल|पिछले वर्ष|गत वर्ष|बीते साल", "year", -1),
    (r"this year|в этом году|в текущем году|этого года|текущего года|هذا العام|العام الجاري|العام الحالي|"
     r"هذه السنة|इस साल|इस वर्ष", "year", 0),
    (r"next year|в следующем году|в будущем году|следующего года|العام المقبل|العام القادم|السنة المقبلة|"
     r"अगले साल|अगले वर्ष", "year", 1),
    (r"last month|в прошлом месяце|الشهر الماضي|पिछले महीने", "month", -1),
    (r"next month|в следующем месяце|الشهر المقبل|الشهر القادم|अगले महीने", "month", 1),
    (r"last week|на прошлой неделе|الأسبوع الماضي|पिछले हफ़्ते|पिछले हफ्ते|पिछले सप्ताह", "week", -1),
    (r"this week|на этой неделе|هذا الأسبوع|इस हफ़्ते|इस हफ्ते|इस सप्ताह", "week", 0),
    (r"next week|на следующей неделе|на будущей неделе|الأسبوع المقبل|الأسبوع القادم|अगले हफ़्ते|अगले हफ्ते|"
     r"अगले सप्ताह", "week", 1),
]
_RELATIVE_RE = [(re.compile(_WB + r"(?:" + p + r")" + _WE, re.IGNORECASE), u, o) for p, u, o in _RELATIVE]


def _iso_interval(lo: dt.date, hi: dt.date, gran: str) -> str:
    if gran == "year":
        return f"{lo.year:04d}"
    if gran == "month":
        return f"{lo.year:04d}-{lo.month:02d}"
    if lo == hi:
        return lo.isoformat()
    return f"{lo.isoformat()}/{hi.isoformat()}"


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _inside_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    if before.count("«") > before.count("»"):
        return True
    if before.count("“") > before.count("”"):
        return True
    return before.count('"') % 2 == 1


def _day_value(tok: str | None) -> int | None:
    if tok is None:
        return None
    if tok in _AR_ORDINAL_DAYS:
        return _AR_ORDINAL_DAYS[tok]
    m = re.match(r"\d{1,2}", tok)
    return int(m.group()) if m else None


class _Spans:
    """Character ranges already claimed by a fact, so a year inside a date is not read twice."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.ranges)

    def take(self, start: int, end: int) -> None:
        self.ranges.append((start, end))


def _date_fact(text: str, start: int, end: int, lo: dt.date, hi: dt.date, gran: str, **extra: Any) -> Fact:
    return Fact("date", _iso_interval(lo, hi, gran), text[start:end], start, end,
                {"lo": lo.isoformat(), "hi": hi.isoformat(), "granularity": gran, **extra})


def _nearest_day_of_month(day: int, pub: dt.date) -> dt.date | None:
    """The date with this day of the month nearest to ``pub`` (this month, the one before or after)."""
    found = []
    for shift in (-1, 0, 1):
        y, m = divmod(pub.year * 12 + pub.month - 1 + shift, 12)
        try:
            found.append(dt.date(y, m + 1, day))
        except ValueError:
            continue
    return min(found, key=lambda d: abs((d - pub).days)) if found else None


def _resolve_year(month: int, day: int | None, pub: dt.date | None, hint: str | None) -> int | None:
    if pub is None:
        return None
    if hint == "current":
        return pub.year
    if hint == "next":
        return pub.year if (month, day or 1) > (pub.month, pub.day) else pub.year + 1
    # nearest to the publication date
    best = min((pub.year - 1, pub.year, pub.year + 1),
               key=lambda y: abs((dt.date(y, month, min(day or 15, 28)) - pub).days))
    return best


def _dates(text: str, norm: str, pub: dt.date | None, taken: _Spans, lang: str = "en") -> list[Fact]:
    facts: list[Fact] = []
    for rx in (_ISO_DATE, _NUMERIC_DATE):
        for m in rx.finditer(norm):
            try:
                d = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            if taken.free(m.start(), m.end()):
                taken.take(m.start(), m.end())
                facts.append(_date_fact(text, m.start(), m.end(), d, d, "day"))
    # month names, with days before (25 ноября, 25 से 27 नवंबर, الأول من سبتمبر) or after (November 25)
    for m in _CJK_DATE.finditer(norm):  # 2024年6月25日, 6月25日
        if not taken.free(m.start(), m.end()) or not (m["y"] or m["d"]):
            continue
        month, day = int(m["m"]), int(m["d"]) if m["d"] else None
        year = int(m["y"]) if m["y"] else _resolve_year(month, day, pub, None)
        try:
            lo = dt.date(year, month, day or 1) if year else None
        except ValueError:
            continue
        if lo is None:
            continue
        hi, gran = (lo, "day") if day else (_month_end(lo.year, month), "month")
        taken.take(m.start(), m.end())
        facts.append(_date_fact(text, m.start(), m.end(), lo, hi, gran))
    if pub is not None:
        for m in _CJK_DAY.finditer(norm):  # 3日: a day of the month the report is written in, or a neighbour
            if not taken.free(m.start(), m.end()):
                continue
            d = _nearest_day_of_month(int(m["d"]), pub)
            if d is not None:
                taken.take(m.start(), m.end())
                facts.append(_date_fact(text, m.start(), m.end(), d, d, "day"))
    for m in _month_re(lang).finditer(norm):
        if not taken.free(m.start(), m.end()):
            continue
        key = next(k for k, v in m.groupdict().items() if v)
        month = int(key[1:])
        start, end = m.start(), m.end()
        # Russian "мая"/"марта", English "May"/"March" and abbreviations are ordinary words too:
        # they need a day or a year
        ambiguous = key.startswith("a") or m.group().lower() in (
            "may", "march", "мая", "мае", "май", "марта", "марте", "март", "mars", "mai")
        d1 = d2 = None
        before = _DAY_BEFORE.search(norm[max(0, start - 40) : start])
        if before and before.group().strip():
            d1, d2 = _day_value(before["d1"]), _day_value(before["d2"])
            if d2 is not None:
                start = start - len(norm[max(0, start - 40) : start]) + before.start()
                if d1 is None:
                    d1 = d2
        rest = norm[end:]
        alt = _ALT_MONTH_AFTER.match(rest)
        if alt:
            end += alt.end()
            rest = norm[end:]
        if d2 is None:
            after = _DAY_AFTER_EN.match(rest)
            if after and m.group()[:1].isascii():  # "November 25" is English word order only
                d1 = int(after["d1"])
                d2 = int(after["d2"]) if after["d2"] else d1
                end += after.end()
                rest = norm[end:]
        year: int | None = None
        ym = _YEAR_AFTER.match(rest)
        if ym:
            year = int(ym["y"])
            end += ym.end()
        hint = None
        if year is None:
            if (nm := _NEXT_AFTER.match(norm[end:])):
                hint = "next"
                end += nm.end()
            elif (cm := _CURRENT_AFTER.match(norm[end:])):
                hint = "current"
                end += cm.end()
        if ambiguous and d2 is None and year is None:
            continue
        if year is None:
            year = _resolve_year(month, d1, pub, hint)
            if year is None:
                continue
        try:
            if d1 is not None and d2 is not None:
                lo, hi = dt.date(year, month, d1), dt.date(year, month, d2)
                if hi < lo:
                    lo, hi = hi, lo
                gran = "day"
            else:
                lo, hi, gran = dt.date(year, month, 1), _month_end(year, month), "month"
        except ValueError:
            continue
        # a weekday written right before the day ("الخميس 27 نوفمبر", "Tuesday, 25 November")
        wd = re.search(r"(?:" + _either(p for _, p in _WEEKDAYS) + "|" + _either(calendar_words.weekday_patterns(lang).values())
                       + r")[,\s]*$", norm[max(0, start - 20) : start], re.IGNORECASE)
        if wd:
            start = start - len(norm[max(0, start - 20) : start]) + wd.start()
        taken.take(start, end)
        facts.append(_date_fact(text, start, end, lo, hi, gran))
    # relative expressions
    if pub is not None:
        for rx, unit, off in _relative_res(lang):
            for m in rx.finditer(norm):
                if not taken.free(m.start(), m.end()):
                    continue
                approx = False
                if unit == "day":
                    lo = hi = pub + dt.timedelta(days=off)
                    gran = "day"
                    approx = _inside_quotes(text, m.start())  # "tomorrow" in a quoted earlier statement
                elif unit == "week":
                    monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=off)
                    lo, hi, gran = monday, monday + dt.timedelta(days=6), "week"
                elif unit == "month":
                    y, mo = divmod(pub.year * 12 + pub.month - 1 + off, 12)
                    lo, hi, gran = dt.date(y, mo + 1, 1), _month_end(y, mo + 1), "month"
                else:
                    y = pub.year + off
                    lo, hi, gran = dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
                end = m.end()
                # "اليوم الأربعاء", "today, Wednesday": the weekday belongs to the same date
                wd = _weekday_re(lang).match(norm, end + (1 if norm[end : end + 1] in " ," else 0))
                if unit == "day" and wd and wd.start() - end <= 2:
                    end = wd.end()
                taken.take(m.start(), end)
                facts.append(_date_fact(text, m.start(), end, lo, hi, gran, relative=True, approx=approx))
    # years alone (в 2024 г., في عام 2023, in 2027)
    for m in _YEAR.finditer(norm):
        if not taken.free(m.start(), m.end()):
            continue
        after = norm[m.end() :]
        if _percent_after(after, lang) or _currency_after(lang).match(after) or re.match(r"^\s?[\d]", after):
            continue
        t = after.lstrip()
        if t and (tw := tokens(t[:20])) and tw[0][1] == 0 and _word_value(tw[0][0]) and _word_value(tw[0][0])[0] != "unit":
            continue  # "2000 тысяч": a quantity, not a year
        y = int(m["y"])
        taken.take(m.start(), m.end())
        facts.append(_date_fact(text, m.start(), m.end(), dt.date(y, 1, 1), dt.date(y, 12, 31), "year"))
    # weekdays alone
    if pub is not None:
        for m in _weekday_re(lang).finditer(norm):
            if not taken.free(m.start(), m.end()):
                continue
            wd = next(int(k[1:]) for k, v in m.groupdict().items() if v)  # w3 or c3: Thursday
            # the day of the last four or the next two: news tells what happened this week and
            # what comes next ("markets reopen on Monday", written on Saturday)
            delta = (wd - pub.weekday() + 4) % 7 - 4
            d = pub + dt.timedelta(days=delta)
            taken.take(m.start(), m.end())
            # a weekday inside a quotation may be another week's, so it never conflicts
            facts.append(_date_fact(text, m.start(), m.end(), d, d, "day", approx=_inside_quotes(text, m.start()),
                                    weekday=True))
    return facts


# ----------------------------------------------------------------------------- numbers
_NUM = re.compile(
    # not inside a word or a figure; a CJK character may stand right before ("约130亿")
    r"(?<![.,])(?<![^\W\u3400-\u9fff])(?:\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
)


def _fmt(x: float) -> str:
    x = float(f"{x:.9g}")  # 4.1 * 1e9 is 4099999999.9999995
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return f"{x:.6g}"


@lru_cache(maxsize=64)
def _scale_pattern(lang: str) -> re.Pattern[str]:
    """A scale word right after a figure: the language's (CLDR) and English's (wire copy in any
    language quotes "$4.1 bln"), plus the multipliers of the number-word tables. One-letter
    abbreviations ("5M", "5K") only when written against the figure."""
    words = {**numerals.scale_words("en"), **numerals.scale_words(lang), **_MULT}
    long_ = sorted((w for w in words if len(w) > 1), key=len, reverse=True)
    short = sorted(w for w in words if len(w) == 1)
    alternatives = [r"\s*(?:" + "|".join(re.escape(w).replace("\\ ", "\\s") for w in long_) + r")"]
    if short:
        alternatives.append("(?:" + "|".join(map(re.escape, short)) + ")")
    # not inside a longer word; a CJK character may follow ("130亿欧元")
    return re.compile(r"^(?:" + "|".join(alternatives) + r")\.?(?![^\W\u3400-\u9fff]|[\u0900-\u097f])", re.IGNORECASE)


def _scale_after(after: str, lang: str) -> tuple[float, int] | None:
    """(multiplier, characters) of a scale word at the start of ``after``."""
    head = after[:30].replace("\u00a0", " ")
    m = _scale_pattern(lang).match(head)
    if not m:
        m = _scale_pattern(lang).match(normalize_token(head)) if normalize_token(head) != head else None
        if not m:
            return None
    word = re.sub(r"\s+", " ", m.group().strip().rstrip(".").lower())
    words = {**numerals.scale_words("en"), **numerals.scale_words(lang), **_MULT}
    value = words.get(word) or words.get(normalize_token(word)) or (1e9 if word == _HI_ARAB else None)
    return (value, m.end()) if value else None


@lru_cache(maxsize=64)
def _hedge_patterns(lang: str) -> dict[str, re.Pattern[str]]:
    """Bounds and approximations around a figure: the tables above and ``reader/data/hedges.json``."""
    data = numerals.hedges(lang)

    def words(key: str) -> str:
        return "|".join(re.escape(w).replace("\\ ", "\\s+") for w in sorted(data.get(key, ()), key=len, reverse=True))

    def before(base: re.Pattern[str], key: str) -> re.Pattern[str]:
        extra = words(key)
        if not extra:
            return base
        core = base.pattern[:-len(r"\s*$")]
        return re.compile(f"(?:{core}|(?<![^\\W\\d_])(?:{extra}))" + r"\s*$", re.IGNORECASE)

    def after(base: re.Pattern[str], key: str) -> re.Pattern[str]:
        extra = words(key)
        return re.compile(base.pattern + (f"|^\\s*['’]?(?:{extra})" if extra else ""), re.IGNORECASE) if extra else base

    return {"min": before(_MIN_BEFORE, "min"), "max": before(_MAX_BEFORE, "max"),
            "approx": before(_APPROX_BEFORE, "approx"), "min_after": after(_MIN_AFTER, "min_after"),
            "approx_after": after(_APPROX_AFTER, "approx_after")}


def _hedge(norm: str, start: int, end: int, lang: str) -> tuple[str | None, int, int]:
    """(bound, start, end) of a figure at ``norm[start:end]``: "min" for "over 3,000", "max" for
    "up to", "approx" for "about"/"almost"; a bound word before the figure joins its span."""
    rx = _hedge_patterns(lang)
    before, after = norm[max(0, start - 30) : start], norm[end:]
    for bound in ("min", "max"):
        if (m := rx[bound].search(before)):
            return bound, start - len(before) + m.start(), end
    if rx["approx"].search(before):
        return "approx", start, end
    if (m := rx["min_after"].match(after)):
        return "min", start, end + m.end()
    if rx["approx_after"].match(after):
        return "approx", start, end
    return None, start, end


def _fractions(text: str, norm: str, lang: str, taken: _Spans) -> list[Fact]:
    """"almost a quarter", «почти треть», "la moitié": shares as percentages (``hedges.json``)."""
    table = {**numerals.hedges("en").get("fractions", {}), **numerals.hedges(lang).get("fractions", {})}
    if not table:
        return []
    out = []
    pattern = "|".join(re.escape(w).replace("\\ ", "\\s+") for w in sorted(table, key=len, reverse=True))
    for m in re.finditer(_WB + "(?:" + pattern + ")" + _WE, norm, re.IGNORECASE):
        if not taken.free(m.start(), m.end()):
            continue
        value = next((float(v) for w, v in table.items() if re.fullmatch(re.escape(w).replace("\\ ", "\\s+"), m.group(),
                                                                          re.IGNORECASE)), None)
        if value is None:
            continue
        bound, start, end = _hedge(norm, m.start(), m.end(), lang)
        taken.take(start, end)
        extra: dict[str, Any] = {"amount": value, "fraction": True}
        if bound:
            extra["bound"] = bound
        out.append(Fact("percent", _fmt(value), text[start:end], start, end, extra))
    return out


@lru_cache(maxsize=64)
def _percent_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    after, before = numerals.percent_words(lang)
    words_after = "|".join(re.escape(w).replace("\\ ", "\\s") for w in after)
    after_re = re.compile(r"^\s?(?:" + words_after + r")(?![^\W\u3400-\u9fff])", re.IGNORECASE) if after else None
    before_re = re.compile(r"(?:" + "|".join(map(re.escape, before)) + r")\s?$", re.IGNORECASE) if before else None
    return after_re or re.compile(r"(?!)"), before_re


def _percent_after(after: str, lang: str) -> int:
    """Characters of a percent sign or word right after a figure (0: none): the tables above and CLDR's."""
    m = _PERCENT_AFTER.match(after) or _percent_patterns(lang)[0].match(after)
    return m.end() if m else 0


def _percent_before(before: str, lang: str) -> int:
    """Characters of a percent word or sign right before a figure, where the language puts it there."""
    rx = _percent_patterns(lang)[1]
    m = rx.search(before) if rx else None
    return len(m.group()) if m else 0


@lru_cache(maxsize=64)
def _unit_pattern(lang: str) -> re.Pattern[str]:
    words = {**numerals.unit_words("en"), **numerals.unit_words(lang)}
    body = "|".join(re.escape(w).replace("\\ ", "\\s") for w in sorted(words, key=len, reverse=True))
    return re.compile(r"^[\s\u00a0\u202f-]?(?:" + body + r")\.?(?![^\W\u3400-\u9fff]|[\u0900-\u097f])", re.IGNORECASE)


def _unit_after(after: str, lang: str) -> tuple[str, int] | None:
    """(CLDR unit id, characters) of a unit word right after a figure ("20 mètres", "362 days")."""
    m = _unit_pattern(lang).match(after[:40])
    if not m:
        return None
    word = re.sub(r"\s+", " ", m.group().strip(" \u00a0\u202f-").rstrip(".").lower())
    unit = numerals.unit_words(lang).get(word) or numerals.unit_words("en").get(word)
    return (unit, m.end()) if unit else None


def _numbers(text: str, norm: str, lang: str, taken: _Spans) -> list[Fact]:
    """Figures in digits or words, with multipliers, percent signs, currencies and hedges."""
    items: list[tuple[int, int, float]] = []  # (start, end, value) before units
    spaced = numerals.separators(lang)[1] == " "
    for m in _NUM.finditer(norm):
        if not taken.free(m.start(), m.end()):
            continue
        raw = m.group()
        if " " in raw and not spaced:
            # "25 000" groups only where the language groups with a space; elsewhere two figures
            first = re.match(r"\d+", raw)
            assert first
            items.append((m.start(), m.start() + first.end(), float(first.group())))
            continue
        items.append((m.start(), m.end(), numerals.read_figure(raw, lang)))
    # number words: runs of adjacent number tokens
    toks = tokens(norm)
    i = 0
    while i < len(toks):
        tok, s, e = toks[i]
        wv = _word_value(tok)
        if normalize_token(tok) in _DUAL_DAYS and taken.free(s, e):
            items.append((s, e, 2.0))
            i += 1
            continue
        if wv is None or wv[0] == "mult" or not taken.free(s, e):
            i += 1
            continue
        if wv[1] == 10 and i and _ARABIC.match(tok) and _ARABIC.match(toks[i - 1][0]) and not _word_value(toks[i - 1][0]):
            i += 1  # "السابع عشر" (the seventeenth): the teen of an ordinal, not ten
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
            if not re.fullmatch(r"[\s\-]*(?:and\s+)?", gap):
                break
            nv = _word_value(nt)
            if nv is None or nv[0] == "dual":
                break
            if nv[0] == "unit":
                if nv[1] == 100:
                    current = max(current, 1) * 100
                elif current and nv[1] >= current:
                    break
                else:
                    current += nv[1]
            else:
                break  # multipliers are applied below, with figures in digits alike
            end = ne
            j += 1
        items.append((s, end, current))
        i = j
    facts: list[Fact] = _fractions(text, norm, lang, taken)
    for start, end, value in sorted(items):
        if not taken.free(start, end):
            continue
        # a multiplier after the figure: "2 млрд", "three thousand", "9 मिलियन", "3 आلاف", "2 अरब"
        after = norm[end:]
        if (scale := _scale_after(after, lang)) is not None:
            value *= scale[0]
            end += scale[1]
            after = norm[end:]
        bound, start, end = _hedge(norm, start, end, lang)
        after = norm[end:]
        kind, val = "number", _fmt(value)
        if (pm := _percent_after(after, lang)):
            kind = "percent"
            end += pm
        elif (pb := _percent_before(norm[max(0, start - 12):start], lang)):
            kind = "percent"  # "yüzde 21", "%21"
            start -= pb
        elif (cm := _currency_after(lang).match(after)):
            kind = "money"
            code = next(k for k, v in cm.groupdict().items() if v)
            val = f"{_fmt(value)} {code}"
            end += cm.end()
        elif (cb := _currency_before(lang).search(norm[max(0, start - 5) : start])):
            kind = "money"
            code = next(k for k, v in cb.groupdict().items() if v)
            val = f"{_fmt(value)} {code}"
            start -= len(cb.group())
        unit = None
        if kind == "number" and (um := _unit_after(norm[end:], lang)):
            unit = um[0]
            end += um[1]
        taken.take(start, end)
        extra: dict[str, Any] = {"amount": value}
        if unit:
            extra["unit"] = unit  # a CLDR unit id: "length-meter", "duration-day"
        if bound:
            extra["bound"] = bound
        concept = "day" if normalize_token(norm[start:end]) in _DUAL_DAYS else _nearest_concept(norm, start, end)
        if concept:
            extra["concept"] = concept
        if _FIRST_BEFORE.search(norm[max(0, start - 12) : start]) or _FIRST_AFTER.match(norm[end : end + 14]):
            extra["first"] = True  # "the first three": a part, not the total
        facts.append(Fact(kind, val, text[start:end], start, end, extra))
    return facts


# ------------------------------------------------------------------------------------ public
class SentenceFacts:
    """The facts stage: each sentence's facts (of its original text) computed once and kept by
    content (text, language, publication date), so a batch that renumbers its documents per event
    and the pipeline's alignment (anchors) and comparison (values) all read the same values."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, str | None], tuple[Fact, ...]] = {}

    def of(self, text: str, lang: str, published: str | None) -> tuple[Fact, ...]:
        key = (text, lang, published)
        if key not in self._known:
            self._known[key] = tuple(extract(text, lang, published))
        return self._known[key]

    def by_sentence(self, documents: Iterable[Document]) -> dict[str, tuple[Fact, ...]]:
        """Sentence id -> facts, for the documents of one run."""
        return {s.id: self.of(s.text, d.article.lang, d.article.published) for d in documents for s in d.sentences}


def extract(text: str, lang: str, published: str | None = None) -> list[Fact]:
    """All facts in ``text`` (written in ``lang``; ``published`` an ISO date or None), in text order."""
    return list(_extract(text, lang, published))


@lru_cache(maxsize=8192)
def _extract(text: str, lang: str, published: str | None) -> tuple[Fact, ...]:
    norm = normalize_digits(text)
    pub: dt.date | None = None
    if published:
        try:
            pub = dt.date.fromisoformat(published[:10])
        except ValueError:
            pub = None
    taken = _Spans()
    facts = []
    for f in _dates(text, norm, pub, taken, lang):
        event = _nearest_event(norm, f.start, f.end)
        facts.append(Fact(f.kind, f.value, f.surface, f.start, f.end, {**f.extra, "event": event}) if event else f)
    facts += _numbers(text, norm, lang, taken)
    for m in find_mentions(text):
        facts.append(Fact(m.kind, m.entity, m.surface, m.start, m.end, {"role": m.role}))
    if (opening := dateline_end(text)):  # "ANKARA, Feb 7 (MWS) - ": where and when it was filed
        facts = [Fact(f.kind, f.value, f.surface, f.start, f.end, {**f.extra, "dateline": True})
                 if f.end <= opening else f for f in facts]
    facts.sort(key=lambda f: (f.start, f.end))
    return tuple(facts)


def interval(fact: Fact) -> tuple[dt.date, dt.date]:
    """The days a date fact covers."""
    return dt.date.fromisoformat(fact.extra["lo"]), dt.date.fromisoformat(fact.extra["hi"])


def salient_figures(found: Iterable[Fact]) -> frozenset[str]:
    """The figures and dates of a text that identify a story: sums, percentages, numbers of 10 or
    more (small counts are everywhere), and dates to the day or month, as normalised values."""
    out = set()
    for f in found:
        if f.extra.get("dateline"):
            continue
        if f.kind in ("money", "percent") or (f.kind == "number" and float(f.extra.get("amount", 0)) >= 10
                                              and not f.extra.get("unit", "").startswith("duration")):
            out.add(f"{f.kind}:{f.value}")
        elif f.kind == "date" and f.extra.get("granularity") in ("day", "month") and not f.extra.get("approx") \
                and not f.extra.get("relative") and not f.extra.get("weekday"):
            out.add(f"date:{f.value}")
    return frozenset(out)


def same_unit_family(a: Fact, b: Fact) -> bool:
    """Both without a unit, or both in one family (kilometres and metres; days and years)."""
    ua, ub = a.extra.get("unit"), b.extra.get("unit")
    if not ua or not ub:
        return ua == ub
    return numerals.unit_family(ua) == numerals.unit_family(ub)


def base_amount(f: Fact) -> float:
    """The amount in its unit family's base unit (1.731 kg -> 1731 g), or as written."""
    return float(f.extra["amount"]) * numerals.UNITS.get(f.extra.get("unit", ""), 1.0)


def rounds_to(rough: float, precise: float) -> bool:
    """Is ``rough`` ``precise`` rounded? To fewer decimals always (6% and 5.74%); to fewer
    significant digits from 1,000 up ("2 billion" and "2.03 billion", "41,000" and "41,156");
    below 1,000 every digit of a whole number counts (10 provinces are not 13)."""
    if rough == precise:
        return False
    places = _decimals(rough)
    if _decimals(precise) > places and round(precise, places) == rough:
        return True  # 5.74% given as 6%
    if abs(rough) < 1000:
        return False
    digits = len(_significant_digits(rough))
    if digits >= len(_significant_digits(precise)):
        return False
    magnitude = math.floor(math.log10(abs(precise))) - digits + 1
    return round(precise / 10 ** magnitude) * 10 ** magnitude == rough


def _decimals(x: float) -> int:
    text = f"{x:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _significant_digits(x: float) -> str:
    return f"{abs(x):.6f}".replace(".", "").strip("0")


def compatible_numbers(a: Fact, b: Fact) -> bool:
    """Can two figures of the same kind describe the same quantity?

    Equal amounts (and currencies; units converted within a family) agree, and so does a
    figure of at least 1,000 with a more precise one that rounds to it (:func:`rounds_to`).
    A lower bound ("over 3,000") agrees with an amount at
    or above it and below 1.5 times it (3,165); "about N" agrees within 10%; an upper bound with
    anything at or below it and above two thirds of it.
    """
    if a.kind != b.kind or not same_unit_family(a, b):
        return False
    if a.kind == "money" and a.value.split()[-1] != b.value.split()[-1]:
        return False
    x, y = base_amount(a), base_amount(b)
    if abs(x - y) < 1e-9 * max(1.0, abs(x)):
        return True
    if rounds_to(x, y) or rounds_to(y, x):
        return True
    ba, bb = a.extra.get("bound"), b.extra.get("bound")

    def fits(bound: str | None, ref: float, v: float) -> bool:
        if bound == "min":
            return ref <= v < ref * 1.5
        if bound == "max":
            return ref / 1.5 < v <= ref
        if bound == "approx":
            return abs(v - ref) <= 0.1 * max(abs(ref), abs(v))
        return False

    if fits(ba, x, y) or fits(bb, y, x):
        return True
    if ba and bb and ba == bb and abs(x - y) <= 0.5 * max(x, y):
        return True
    return False


def overlapping_dates(a: Fact, b: Fact) -> bool:
    la, ha = interval(a)
    lb, hb = interval(b)
    return la <= hb and lb <= ha


"""Dates relative to the publication date: "yesterday", «в прошлом году», "العام الماضي" (the table
below, then CLDR's relative fields for the article's language), and counts back from it: "three
years ago", «два дня назад», "vor 3 Tagen", "قبل سنتين" (CLDR's past relative-time patterns). Each
resolves to an interval of its unit's granularity around the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from reader import calendar_words
from reader.facts.core import _WB, _WE, month_end
from reader.facts.number_words import word_value as _word_value

# (regex, unit, offset): read in every language, before CLDR's phrases for the article's own
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

MAX_COUNT = 200  # "3000 years ago" is history, not a date a report would get wrong by a little
_COUNT = r"(?P<n>\d{1,3}|[^\W\d_]+)"  # digits (normalised to ASCII before matching) or a number word


def _phrase_re(phrase: str) -> str:
    return re.escape(phrase).replace("\\ ", "\\s+")


def _bounded(pattern: str, phrase: str) -> re.Pattern[str]:
    boundary = ("", "") if calendar_words.cjk(phrase) else (_WB, _WE)
    return re.compile(boundary[0] + pattern + boundary[1], re.IGNORECASE)


@lru_cache(maxsize=64)
def phrase_res(lang: str) -> tuple[tuple[re.Pattern[str], str, int], ...]:
    """The fixed expressions above, then CLDR's for ``lang`` ("gestern", "geçen hafta", "昨天")."""
    out = list(_RELATIVE_RE)
    for phrase, unit, offset in calendar_words.relative_phrases(lang):
        out.append((_bounded(_phrase_re(phrase), phrase), unit, offset))
    return tuple(out)


@lru_cache(maxsize=64)
def ago_res(lang: str) -> tuple[tuple[re.Pattern[str], str, int | None], ...]:
    """(regex, unit, count) for CLDR's "{0} years ago" patterns of ``lang`` and of English; a regex
    with a group ``n`` for the count where ``count`` is None."""
    out = []
    for code in dict.fromkeys((lang or "en", "en")):
        for phrase, unit, count in calendar_words.ago_phrases(code):
            pattern = _phrase_re(phrase).replace(re.escape("{0}"), _COUNT)
            out.append((_bounded(pattern, phrase), unit, count))
    return tuple(out)


def count(word: str) -> int | None:
    """The count of an ago phrase: digits or a number word ("three", «трёх», "ثلاث"), up to MAX_COUNT."""
    if word.isdigit():
        n = int(word)
    else:
        value = _word_value(word)
        if value is None or value[0] != "unit" or value[1] != int(value[1]):
            return None
        n = int(value[1])
    return n if 0 < n <= MAX_COUNT else None


def interval(pub: dt.date, unit: str, off: int) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, granularity) of the ``unit`` ``off`` units from ``pub``."""
    if unit == "day":
        day = pub + dt.timedelta(days=off)
        return day, day, "day"
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=off)
        return monday, monday + dt.timedelta(days=6), "week"
    if unit == "month":
        y, m = divmod(pub.year * 12 + pub.month - 1 + off, 12)
        return dt.date(y, m + 1, 1), month_end(y, m + 1), "month"
    return dt.date(pub.year + off, 1, 1), dt.date(pub.year + off, 12, 31), "year"

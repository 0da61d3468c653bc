"""Dates: explicit ones in every script, month and weekday names (CLDR via
``reader.calendar_words``), relative days, years, and Chinese date patterns, resolved against
the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from reader import calendar_words
from reader.facts import relative_dates
from reader.facts.core import _WB, _WE, Fact, _inside_quotes, _Spans, month_end
from reader.facts.number_words import word_value as _word_value
from reader.facts.numbers import _currency_after, _percent_after
from reader.tokens import tokens

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



def _iso_interval(lo: dt.date, hi: dt.date, gran: str) -> str:
    if gran == "year":
        return f"{lo.year:04d}"
    if gran == "month":
        return f"{lo.year:04d}-{lo.month:02d}"
    if lo == hi:
        return lo.isoformat()
    return f"{lo.isoformat()}/{hi.isoformat()}"


def _day_value(tok: str | None) -> int | None:
    if tok is None:
        return None
    if tok in _AR_ORDINAL_DAYS:
        return _AR_ORDINAL_DAYS[tok]
    m = re.match(r"\d{1,2}", tok)
    return int(m.group()) if m else None

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


def _relative_fact(text: str, norm: str, start: int, end: int, pub: dt.date, unit: str, off: int, taken: _Spans,
                   lang: str) -> Fact:
    """The date ``off`` units from the publication date ("yesterday", "three years ago"), taking the
    span; a weekday right after a day ("اليوم الأربعاء", "today, Wednesday") belongs to the same date."""
    lo, hi, gran = relative_dates.interval(pub, unit, off)
    approx = unit == "day" and _inside_quotes(text, start)  # "tomorrow" in a quoted earlier statement
    wd = _weekday_re(lang).match(norm, end + (1 if norm[end : end + 1] in " ," else 0))
    if unit == "day" and wd and wd.start() - end <= 2:
        end = wd.end()
    taken.take(start, end)
    return _date_fact(text, start, end, lo, hi, gran, relative=True, approx=approx)


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
        hi, gran = (lo, "day") if day else (month_end(lo.year, month), "month")
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
        guessed = year is None and hint is None
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
                lo, hi, gran = dt.date(year, month, 1), month_end(year, month), "month"
        except ValueError:
            continue
        # a weekday written right before the day ("الخميس 27 نوفمبر", "Tuesday, 25 November")
        wd = re.search(r"(?:" + _either(p for _, p in _WEEKDAYS) + "|" + _either(calendar_words.weekday_patterns(lang).values())
                       + r")[,\s]*$", norm[max(0, start - 20) : start], re.IGNORECASE)
        if wd:
            start = start - len(norm[max(0, start - 20) : start]) + wd.start()
        taken.take(start, end)
        facts.append(_date_fact(text, start, end, lo, hi, gran))
        if guessed:  # "in November", read as the nearest November: the year is the reader's guess
            facts[-1].extra["year_guessed"] = True
    # relative expressions
    if pub is not None:
        for rx, unit, off in relative_dates.phrase_res(lang):
            for m in rx.finditer(norm):
                if taken.free(m.start(), m.end()):
                    facts.append(_relative_fact(text, norm, m.start(), m.end(), pub, unit, off, taken, lang))
        for rx, unit, fixed in relative_dates.ago_res(lang):
            for m in rx.finditer(norm):
                count = fixed or relative_dates.count(m["n"])
                if count and taken.free(m.start(), m.end()):
                    facts.append(_relative_fact(text, norm, m.start(), m.end(), pub, unit, -count, taken, lang))
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



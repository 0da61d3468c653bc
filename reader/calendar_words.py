"""Month and weekday names and relative days in any language, from CLDR (Babel).

* :func:`month_patterns` / :func:`weekday_patterns`: regular expressions per month (1-12)
  and weekday (0 = Monday), from CLDR's wide and abbreviated names in their format and
  stand-alone forms (Russian "ноября" and "ноябрь", Arabic's Levantine month names from
  the Syrian locale). Where the two forms differ, the stem they share takes the other
  case endings too ("ноябре", "середу");
* :func:`relative_phrases`: "yesterday", "hier", "dün", "昨天", "last week", «в прошлом
  году»… with their unit and offset, from CLDR's relative date fields;
* :func:`ago_phrases`: "{0} years ago", «{0} лет назад», "vor {0} Tagen", "قبل سنتين"…, CLDR's
  patterns for a count of days, weeks, months or years before now.

Patterns are lower case and meant for ``re.IGNORECASE``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader import cldr

__all__ = ["month_patterns", "weekday_patterns", "relative_phrases", "ago_phrases", "cjk"]

_EXTRA_LOCALES = {"ar": ("ar_SY",)}  # Levantine month names (كانون الثاني, شباط…)
_UNITS = (("day", "day"), ("week", "week"), ("month", "month"), ("year", "year"))


def _locales(lang: str):
    """The language's locale and its extra ones (Levantine months for Arabic), those Babel has."""
    found = [loc for code in (lang or "en", *_EXTRA_LOCALES.get(lang, ())) if (loc := cldr.known_locale(code))]
    return found or [cldr.locale("en")]


def cjk(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)


def _cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


def _alternatives(forms: set[str]) -> list[str]:
    """Escaped forms, longest first; a Cyrillic name also with its case endings ("среду",
    "ноябре": the stem less a final vowel, then up to three letters); a name in a Latin script
    with a suffix after an apostrophe (Turkish "Aralık'ta")."""
    clean = {f.lower().rstrip(".").strip() for f in forms if f}
    clean = {f for f in clean if len(f) >= 3 or cjk(f)}
    out = set()
    for f in clean:
        if _cyrillic(f) and len(f) >= 5:
            out.add(re.escape(f[:-1] if f[-1] in "аяеьийоуыюіїє" else f) + r"\w{0,3}")
        elif f.isascii() or any("\u00c0" <= ch <= "\u024f" for ch in f):
            out.add(re.escape(f) + r"(?:['’]\w{1,4})?")
        else:
            out.add(re.escape(f))
    return sorted(out, key=len, reverse=True)


def _names(lang: str, field: str, width: str) -> dict[int, set[str]]:
    """key -> the names of one width in format and stand-alone forms, in ``lang``'s locales."""
    out: dict[int, set[str]] = {}
    for loc in _locales(lang):
        table = getattr(loc, field)
        for context in ("format", "stand-alone"):
            for key, name in dict(table.get(context, {}).get(width, {})).items():
                if name:
                    out.setdefault(int(key), set()).add(name)
    return out


@lru_cache(maxsize=64)
def month_patterns(lang: str, abbreviated: bool = False) -> dict[int, str]:
    """Month number (1-12) -> a regular expression for its wide names in ``lang`` (or its
    abbreviations, which are ordinary words too often to stand without a day or a year)."""
    names = _names(lang, "months", "abbreviated" if abbreviated else "wide")
    if abbreviated:
        wide = _names(lang, "months", "wide")
        names = {k: {f for f in v if f.lower().rstrip(".") not in {w.lower() for w in wide.get(k, ())}}
                 for k, v in names.items()}
    return {k: "|".join(_alternatives(forms)) for k, forms in names.items() if _alternatives(forms)}


@lru_cache(maxsize=64)
def weekday_patterns(lang: str) -> dict[int, str]:
    """Weekday (0 = Monday) -> a regular expression for its wide names in ``lang``."""
    names = _names(lang, "days", "wide")
    for k, forms in _names(lang, "days", "abbreviated").items():  # 周三: CJK abbreviations are unambiguous
        names.setdefault(k, set()).update(f for f in forms if cjk(f))
    return {k: "|".join(_alternatives(forms)) for k, forms in names.items()}


@lru_cache(maxsize=64)
def relative_phrases(lang: str) -> tuple[tuple[str, str, int], ...]:
    """(phrase, unit, offset) from CLDR's relative fields: ("gestern", "day", -1), ("geçen hafta", "week", -1)…"""
    out = []
    for loc in _locales(lang)[:1]:
        fields = loc._data["date_fields"]
        for field, unit in _UNITS:
            for offset, phrase in dict(fields.get(field, {}).get("relative", {})).items():
                if phrase:
                    out.append((phrase.lower(), unit, int(offset)))
    return tuple(sorted(out, key=lambda p: len(p[0]), reverse=True))


_NAMED_COUNTS = {"one": 1, "two": 2}  # CLDR spells some plural forms out: Arabic «قبل سنتين» (two years ago)


def ago_phrases(lang: str) -> tuple[tuple[str, str, int | None], ...]:
    """(pattern, unit, count) from CLDR's past relative-time patterns: ("{0} years ago", "year", None),
    with ``{0}`` where the count goes, or ("قبل سنتين", "year", 2) for a form that spells its count.
    Only the past: "in {0} years" reads as often as a span ("within three years") as a date."""
    out = set()
    for loc in _locales(lang)[:1]:
        fields = loc._data["date_fields"]
        for field, unit in _UNITS:
            for plural, pattern in dict(fields.get(field, {}).get("past", {})).items():
                if "{0}" in pattern:
                    out.add((pattern.lower(), unit, None))
                elif plural in _NAMED_COUNTS:
                    out.add((pattern.lower(), unit, _NAMED_COUNTS[plural]))
    return tuple(sorted(out, key=lambda p: (-len(p[0]), p)))

"""Numbers as each language writes them, from CLDR (Babel) rather than hand tables.

* :func:`separators`: a language's decimal and group symbols ("13.000" is thirteen
  thousand in German and Spanish, "0,005" a fraction in French, "1,700" a count in English);
* :func:`scale_words`: the words and abbreviations that multiply a figure ("Mrd.",
  "milliards", "млрд", "مليار", "करोड़", "亿"), read from CLDR's compact number formats
  (long and short), plus the newswire abbreviations CLDR does not list
  (``reader/data/scale_words.json``: "bn", "mln"…);
* :func:`read_figure`: the value of a run of digits with its separators, in a language.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader import cldr
from reader.datafiles import table

__all__ = ["separators", "scale_words", "read_figure", "currency_words", "currency_symbols", "unit_words", "unit_family", "UNITS", "hedges"]

_SPACES = {"\u00a0", "\u202f", " ", "\u2009"}


def _locale(lang: str):
    return cldr.locale(lang)


@lru_cache(maxsize=64)
def separators(lang: str) -> tuple[str, str]:
    """(decimal, group) symbols of a language in Latin digits; a space-like group is " "."""
    symbols = _locale(lang).number_symbols.get("latn", {})
    decimal, group = symbols.get("decimal", "."), symbols.get("group", ",")
    return decimal, " " if group in _SPACES else group


@lru_cache(maxsize=64)
def scale_words(lang: str) -> dict[str, float]:
    """Lower-case word or abbreviation (without a final full stop) -> multiplier."""
    out: dict[str, float] = {}
    formats = _locale(lang)._data["compact_decimal_formats"]
    for width in ("long", "short"):
        for by_plural in formats.get(width, {}).values():
            for magnitude, pattern in by_plural.items():
                text = getattr(pattern, "pattern", str(pattern))
                zeros = text.count("0")
                word = text.replace("0", "").replace("'", "").strip(" \u00a0").rstrip(".").lower()
                if not zeros or not word or any(ch.isdigit() for ch in word):
                    continue
                value = float(magnitude) / 10 ** (zeros - 1)
                if value > 1:
                    out.setdefault(word, value)
    out.update({w.lower(): float(v) for w, v in _supplement().get(lang, {}).items()})
    return out


def _supplement() -> dict[str, dict[str, float]]:
    return table("scale_words.json")


def read_figure(raw: str, lang: str) -> float:
    """The value of ``raw`` (ASCII digits with "." "," or spaces), read the way ``lang`` writes numbers.

    Two different separators: the last is the decimal one ("1.234,5", "1,234.5"). One kind
    repeated, or a space: groups ("1.234.567", "25 000"). One separator with three digits
    after it: a group where the language groups with it ("13.000" in German), a decimal
    mark where it marks decimals ("0,005" in French; "1,700" stays 1700 where "," groups);
    a separator the language does not use, followed by three digits, is read as a group.
    Anything else: a decimal mark.
    """
    raw = raw.strip()
    seps = [ch for ch in raw if not ch.isdigit()]
    if not seps:
        return float(raw)
    kinds = set(seps)
    decimal, group = separators(lang)
    if len(kinds) >= 2:
        last = seps[-1]
        head, _, tail = raw.rpartition(last)
        return float(re.sub(r"\D", "", head) + "." + tail)
    sep = seps[0]
    if sep in _SPACES or len(seps) > 1:
        return float(re.sub(r"\D", "", raw))
    head, _, tail = raw.partition(sep)
    if len(tail) == 3 and len(head) <= 3 and head != "0":
        if sep == group or sep not in (decimal, group):
            return float(head + tail)
    return float(head + "." + tail)


# Currencies most news names, in the order that settles a shared symbol ("$" is the US
# dollar unless the text says otherwise).
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CNY", "RUB", "INR", "TRY", "UAH", "KGS", "KZT", "IRR", "KES", "MXN",
              "BRL", "CHF", "SAR", "AED", "EGP", "PKR")


@lru_cache(maxsize=64)
def currency_words(lang: str) -> tuple[tuple[str, str], ...]:
    """(regular expression, ISO code) for the currency nouns news writes in a language.

    CLDR's currency names are formal ("US-Dollar", "dólar estadounidense", "ABD doları"), so
    the nouns come from ``reader/data/currencies.json`` (patterns that take inflected forms),
    the language's and English's (wire copy quotes "$" and "dollars" in any language).
    """
    data = table("currencies.json")
    out: list[tuple[str, str]] = []
    for source in dict.fromkeys((lang, "en")):
        for code, pattern in data.get(source, {}).items():
            out.append((pattern, code))
    return tuple(out)


def currency_symbols(lang: str) -> dict[str, str]:
    """Symbol -> ISO code for the currencies of :data:`CURRENCIES` (the language's and the common ones)."""
    loc = _locale(lang)
    out = {}
    for code in reversed(CURRENCIES):
        for source in (loc, _locale("en")):
            symbol = source.currency_symbols.get(code)
            if symbol and symbol != code and not symbol.isalpha():
                out[symbol] = code
    return out


# Units news counts in, by CLDR unit id, with the factor to the family's base unit (SI metre,
# gram, litre, second, square metre, watt, watt-hour; a month is a twelfth of a Julian year).
UNITS: dict[str, float] = {
    "length-kilometer": 1e3, "length-meter": 1.0, "length-centimeter": 1e-2, "length-millimeter": 1e-3,
    "length-mile": 1609.344, "length-foot": 0.3048,
    "mass-tonne": 1e6, "mass-kilogram": 1e3, "mass-gram": 1.0, "mass-milligram": 1e-3, "mass-pound": 453.59237,
    "duration-year": 31_557_600.0, "duration-month": 2_629_800.0, "duration-week": 604_800.0,
    "duration-day": 86_400.0, "duration-hour": 3_600.0, "duration-minute": 60.0, "duration-second": 1.0,
    "area-square-kilometer": 1e6, "area-hectare": 1e4, "area-square-meter": 1.0,
    "volume-liter": 1.0, "volume-cubic-meter": 1e3,
    "power-gigawatt": 1e9, "power-megawatt": 1e6, "power-kilowatt": 1e3,
    "energy-kilowatt-hour": 1e3, "speed-kilometer-per-hour": 1.0, "temperature-celsius": 1.0,
    "point-basis-point": 1.0, "point-percentage-point": 100.0,  # not in CLDR: words in data/units.json
}


@lru_cache(maxsize=64)
def unit_words(lang: str) -> dict[str, str]:
    """Lower-case word after a figure -> CLDR unit id ("mètres" -> "length-meter", "лет" ->
    "duration-year", "أيام" -> "duration-day"), from the language's long and short unit
    patterns; one-letter abbreviations are left out (they are too often something else)."""
    patterns = _locale(lang)._data.get("unit_patterns", {})
    out: dict[str, str] = {}
    for unit in UNITS:
        for width in ("long", "short"):
            for plural, pattern in dict(patterns.get(unit, {}).get(width, {})).items():
                if plural == "per" or not isinstance(pattern, str) or not pattern.startswith("{0}"):
                    continue
                word = pattern.replace("{0}", "").strip(" \u00a0\u202f").rstrip(".").lower()
                if len(word) >= 2 and not any(ch.isdigit() for ch in word):
                    out.setdefault(word, unit)
    for unit, by_lang in table("units.json").items():
        for word in by_lang.get(lang, ()):
            out.setdefault(word.rstrip(".").lower(), unit)
    return out



def unit_family(unit: str) -> str:
    """"length", "mass", "duration"…: figures of one family compare after conversion."""
    return unit.split("-", 1)[0]


@lru_cache(maxsize=64)
def percent_words(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words after a figure, words before it) that make it a percentage, from CLDR's percent
    unit: "Prozent", "pour cent", "درصد" after; Turkish "yüzde" and "%" before."""
    after, before = set(), set()
    patterns = _locale(lang)._data.get("unit_patterns", {}).get("concentr-percent", {})
    for width in ("long", "short"):
        for plural, pattern in dict(patterns.get(width, {})).items():
            if plural == "per" or not isinstance(pattern, str) or "{0}" not in pattern:
                continue
            head, _, tail = pattern.partition("{0}")
            for word, side in ((tail, after), (head, before)):
                word = word.strip(" \u00a0\u202f").lower()
                if word:
                    side.add(word)
    return tuple(sorted(after, key=len, reverse=True)), tuple(sorted(before, key=len, reverse=True))


def hedges(lang: str) -> dict:
    """Bound and approximation words and fractions of a language (``reader/data/hedges.json``)."""
    return table("hedges.json").get(lang, {})

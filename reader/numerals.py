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

import json
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["separators", "scale_words", "read_figure", "currency_words", "currency_symbols"]

_SPACES = {"\u00a0", "\u202f", " ", "\u2009"}


def _locale(lang: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang or "en")
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


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
    return _data("scale_words.json")


@lru_cache(maxsize=8)
def _data(name: str) -> dict[str, dict]:
    """A data file of ``reader/data``: language -> table (its "about" entry left out)."""
    data = json.loads((Path(__file__).parent / "data" / name).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict)}


_GROUPED = re.compile(r"\d{1,3}(?:[.,' \u00a0\u202f]\d{3})+")


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
    data = _data("currencies.json")
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


def _cjk(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)

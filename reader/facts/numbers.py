"""Figures in digits or words, with scale words, currencies, units, percentages and hedges.

Locale data comes from CLDR through ``reader.numerals``; what CLDR lacks, from
``reader/data`` (see docs/facts.md).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from reader import numerals
from reader.facts import number_words
from reader.facts.core import (
    _WB,
    _WE,
    Fact,
    _fmt,
    _nearest_concept,
    _Spans,
)
from reader.tokens import normalize_token

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


# ----------------------------------------------------------------------------- numbers
_NUM = re.compile(
    # not inside a word or a figure; a CJK character may stand right before ("约130亿")
    # Indian grouping first (lakh and crore: "12,34,567", "1,23,45,678"), then groups of three
    r"(?<![.,])(?<![^\W\u3400-\u9fff])(?:\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d+)?|"
    r"\d+(?:[.,]\d+)?)(?!\d)"
)


@lru_cache(maxsize=64)
def _scale_words(lang: str) -> dict[str, float]:
    """Scale word -> multiplier: English's and the language's (CLDR), and the number-word tables'."""
    return {**numerals.scale_words("en"), **numerals.scale_words(lang), **number_words.MULTIPLIERS}


@lru_cache(maxsize=64)
def _scale_pattern(lang: str) -> re.Pattern[str]:
    """A scale word right after a figure: the language's (CLDR) and English's (wire copy in any
    language quotes "$4.1 bln"), plus the multipliers of the number-word tables. One-letter
    abbreviations ("5M", "5K") only when written against the figure."""
    words = _scale_words(lang)
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
    words = _scale_words(lang)
    value = words.get(word) or words.get(normalize_token(word)) or (1e9 if word == number_words.HI_ARAB else None)
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


def _phrase(text: str) -> str:
    return re.sub(r"\s+", " ", text).lower()


@lru_cache(maxsize=64)
def _fraction_words(lang: str) -> tuple[re.Pattern[str], dict[str, float]] | None:
    """A pattern for the fraction words of English and ``lang``, and phrase -> percent."""
    table = {**numerals.hedges("en").get("fractions", {}), **numerals.hedges(lang).get("fractions", {})}
    if not table:
        return None
    body = "|".join(re.escape(w).replace("\\ ", "\\s+") for w in sorted(table, key=len, reverse=True))
    return re.compile(_WB + "(?:" + body + ")" + _WE, re.IGNORECASE), {_phrase(w): float(v) for w, v in table.items()}


def _fractions(text: str, norm: str, lang: str, taken: _Spans) -> list[Fact]:
    """"almost a quarter", «почти треть», "la moitié": shares as percentages (``hedges.json``)."""
    found = _fraction_words(lang)
    if found is None:
        return []
    pattern, table = found
    out = []
    for m in pattern.finditer(norm):
        if not taken.free(m.start(), m.end()):
            continue
        value = table.get(_phrase(m.group()))
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


# what stands between the two ends of a range: "300-400", "300 to 400", «от 300 до 400», "300 से 400",
# "۳۰۰ تا ۴۰۰", "300至400"; "and" (und, et, y, и, و) only after "between" (zwischen, entre, между, بين)
_RANGE_TO = re.compile(r"\s*(?:[-–—~]|to|bis|à|a|до|по|إلى|الى|حتى|से|تا|至)\s*", re.IGNORECASE)
_RANGE_AND = re.compile(r"\s+(?:and|und|et|y|и|و|ile)\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"(?:between|zwischen|entre|между|от|بين|من)\s*$", re.IGNORECASE)
_AMONG_AFTER = re.compile(r"\s*(?:\w+\s+)?arasında", re.IGNORECASE)  # Turkish: "300 ile 400 (kişi) arasında"
MAX_RANGE = 20  # a high end more than this many times the low one is two figures, not a range


def _ranges(norm: str, items: list[tuple[int, int, float]]) -> tuple[list[tuple[int, int, float]], dict[int, float]]:
    """Adjacent figures that are the two ends of one range become one (its start -> its low end): a
    range agrees with any figure inside it. Not a score ("won 2-1", "1-2"): a dash between two
    whole numbers of ten or less reads as a result, unless a percent sign follows ("3-5%")."""
    out: list[tuple[int, int, float]] = []
    lows: dict[int, float] = {}
    i = 0
    while i < len(items):
        s1, e1, lo = items[i]
        if i + 1 < len(items):
            s2, e2, hi = items[i + 1]
            gap = norm[e1:s2]
            dash = gap.strip() in ("-", "–", "—")
            between = _BETWEEN.search(norm[max(0, s1 - 12):s1]) or _AMONG_AFTER.match(norm[e2:])
            joined = _RANGE_TO.fullmatch(gap) or (_RANGE_AND.fullmatch(gap) and between)
            score = dash and hi <= 10 and lo == int(lo) and hi == int(hi) and not re.match(r"\s?[%٪]", norm[e2:])
            if joined and 0 < lo < hi <= lo * MAX_RANGE and not score:
                out.append((s1, e2, hi))
                lows[s1] = lo
                i += 2
                continue
        out.append(items[i])
        i += 1
    return out, lows


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
    items += number_words.word_figures(norm, lang, taken)  # "eighty-five", «три тысячи», "خمسة وثمانون"
    items, lows = _ranges(norm, sorted(items))
    facts: list[Fact] = _fractions(text, norm, lang, taken)
    for start, end, value in items:
        if not taken.free(start, end):
            continue
        low, written = lows.get(start), value
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
        if low is not None:  # "300-400 million": the low end takes the high end's scale
            extra["low"] = low * value / written if written else low
            val = f"{_fmt(extra['low'])}–{val}"
        if unit:
            extra["unit"] = unit  # a CLDR unit id: "length-meter", "duration-day"
        if bound:
            extra["bound"] = bound
        concept = "day" if normalize_token(norm[start:end]) in number_words.DUAL_DAYS else _nearest_concept(norm, start, end)
        if concept:
            extra["concept"] = concept
        if _FIRST_BEFORE.search(norm[max(0, start - 12) : start]) or _FIRST_AFTER.match(norm[end : end + 14]):
            extra["first"] = True  # "the first three": a part, not the total
        facts.append(Fact(kind, val, text[start:end], start, end, extra))
    return facts



"""When two figures or dates can be the same value: rounding, bounds, units (docs/facts.md)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from reader import numerals
from reader.facts.core import Fact


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


def base_amount(f: Fact, end: str = "amount") -> float:
    """The amount (or a range's ``"low"`` end) in its unit family's base unit (1.731 kg -> 1731 g),
    or as written."""
    return float(f.extra[end]) * numerals.UNITS.get(f.extra.get("unit", ""), 1.0)


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


def _same(x: float, y: float) -> bool:
    """Ends of two ranges, compared as written: a range is quoted exactly (8% is not 8.5% rounded here)."""
    return abs(x - y) < 1e-9 * max(1.0, abs(x))


def within(f: Fact, v: float) -> bool:
    """Is ``v`` (in base units) inside the range ``f`` gives ("300-400", «от 300 до 400»)?"""
    return f.extra.get("low") is not None and base_amount(f, "low") <= v <= base_amount(f)


def compatible_numbers(a: Fact, b: Fact) -> bool:
    """Can two figures of the same kind describe the same quantity?

    Equal amounts (and currencies; units converted within a family) agree, and so does a
    figure of at least 1,000 with a more precise one that rounds to it (:func:`rounds_to`).
    A lower bound ("over 3,000") agrees with an amount at
    or above it and below 1.5 times it (3,165); "about N" agrees within 10%; an upper bound with
    anything at or below it and above two thirds of it; a range with anything inside it, and with
    another range when their ends agree (7.5-8% and 8-8.5% differ).
    """
    if a.kind != b.kind or not same_unit_family(a, b):
        return False
    if a.kind == "money" and a.value.split()[-1] != b.value.split()[-1]:
        return False
    x, y = base_amount(a), base_amount(b)
    if a.extra.get("low") is not None and b.extra.get("low") is not None:  # two ranges: end for end
        return _same(x, y) and _same(base_amount(a, "low"), base_amount(b, "low"))
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

    if fits(ba, x, y) or fits(bb, y, x) or within(a, y) or within(b, x):
        return True
    if ba and bb and ba == bb and abs(x - y) <= 0.5 * max(x, y):
        return True
    return False


def overlapping_dates(a: Fact, b: Fact) -> bool:
    la, ha = interval(a)
    lb, hb = interval(b)
    return la <= hb and lb <= ha



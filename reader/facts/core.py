"""The fact type, digits, and what a figure counts or a date dates (concepts and events).

Shared by the readers of numbers and dates (``numbers``, ``dates``) and the comparison
helpers (``compare``). Pure and stdlib only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from reader.tokens import normalize_token, tokens


@dataclass(frozen=True)
class Fact:
    kind: str  # number, percent, money, date, name, place
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


_WB = r"(?<![\w\u0900-\u097f])"  # word boundary that also knows Devanagari marks
_WE = r"(?![\w\u0900-\u097f])"


def _inside_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    if before.count("«") > before.count("»"):
        return True
    if before.count("“") > before.count("”"):
        return True
    return before.count('"') % 2 == 1

class _Spans:
    """Character ranges already claimed by a fact, so a year inside a date is not read twice."""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.ranges)

    def take(self, start: int, end: int) -> None:
        self.ranges.append((start, end))

def month_end(year: int, month: int) -> dt.date:
    """The last day of ``month`` (1-12) of ``year``."""
    return dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)


def _fmt(x: float) -> str:
    x = float(f"{x:.9g}")  # 4.1 * 1e9 is 4099999999.9999995
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    text = f"{x:.6g}"
    if "e" in text and abs(x) >= 1:  # a large figure with a fraction: 12345678.5, never 1.23457e+07
        text = f"{x:.3f}".rstrip("0").rstrip(".")
    return text



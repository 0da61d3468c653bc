"""Facts stated in a sentence, in any of reader's scripts: numbers, percentages, money, dates, names.

No models, no UI: locale data from CLDR through Babel (``reader.numerals``,
``reader.calendar_words``) and ``reader/data``. The package: ``core`` (the fact type,
digits, concepts), ``numbers``, ``dates``, ``compare`` (when two values can be one), and
here the facts stage. :func:`extract` reads one text (a sentence, or several) and returns
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
name       a person's or organisation's name as the skeleton of its last word
           (:mod:`reader.facts.names`): "jbrf" for Japarov, Жапарова, جباروف, जापारोव;
           ``extra["words"]`` the skeletons of all its words. Found by form (capitals) in
           scripts with case only; :mod:`reader.discrepancy` finds names in other scripts by
           the keys the run's reports share
place      a country or city of ``reader/data/exonyms.json`` ("russia", "moscow");
           ``extra["adjective"]`` for "Russian", «российский», «الروسي»
=========  ==========================================================================

Relative dates ("last year", «в прошлом году», «العام الماضي», "next week", «अगले हफ़्ते»,
weekdays, "today") are resolved against ``published`` (ISO date) when it is given; without
it they are skipped. Offsets ``start``/``end`` are into the text given, and every digit
script (ASCII, ٠–٩, ۰–۹, ०–९) is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from reader.facts.compare import (
    base_amount,
    compatible_numbers,
    interval,
    overlapping_dates,
    rounds_to,
    salient_figures,
    same_unit_family,
)
from reader.facts.core import (
    CONCEPTS,
    EVENTS,
    Fact,
    _nearest_event,
    _Spans,
    concepts_in,
    normalize_digits,
)
from reader.facts.dates import _dates
from reader.facts.names import name_mentions, place_mentions
from reader.facts.numbers import _numbers
from reader.model import Document
from reader.segment import dateline_end

__all__ = ["Fact", "extract", "normalize_digits", "CONCEPTS", "EVENTS", "concepts_in", "compatible_numbers", "interval",
           "overlapping_dates", "rounds_to", "salient_figures", "same_unit_family", "base_amount", "SentenceFacts"]


def _names(text: str, lang: str, taken: list[Fact]) -> list[Fact]:
    """Places of the exonym file and names by their form, outside the figures and dates found
    ("Tuesday" and "November" are capitalised in English, and no names)."""
    from reader.langid import stopwords

    spans = [(f.start, f.end) for f in taken]
    out = []
    for m in (*place_mentions(text), *name_mentions(text, lang, stopwords(lang))):
        if any(a < m.end and m.start < b for a, b in spans):
            continue
        extra = {"adjective": True} if m.adjective else {"words": m.words} if m.kind == "name" else {}
        out.append(Fact(m.kind, m.value, m.surface, m.start, m.end, extra))
    return out


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
    facts += _names(text, lang, facts)
    if (opening := dateline_end(text)):  # "ANKARA, Feb 7 (MWS) - ": where and when it was filed
        facts = [Fact(f.kind, f.value, f.surface, f.start, f.end, {**f.extra, "dateline": True})
                 if f.end <= opening else f for f in facts]
    facts.sort(key=lambda f: (f.start, f.end))
    return tuple(facts)



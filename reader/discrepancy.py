"""Where outlets differ: per-claim discrepancies and report-level omissions.

Pure and stdlib only. :func:`annotate` is the pipeline's last stage. For every claim it reads
the facts (:mod:`reader.facts`) of each member — from the original sentences, and from their
English translations where present — and compares every pair of members of the same event.

Kinds of per-claim discrepancy, exactly:

``number`` / ``percent`` / ``money``
    Both members state a figure of that kind about the same thing (same concept; both or neither
    qualified as "the first …") and the figures disagree:
    neither equals the other nor is compatible with it ("over 3,000" ~ 3,165, "about 370" ~
    365, «три» = "three" = 3 = «الثلاث»). Figures are paired by the noun they count
    (``concept``: schools, investment, days…); two figures with no known noun are paired only
    when each member has exactly one such unpaired figure.
``missing-number``
    One member states a figure (number, percent or money) about a concept — "9 schools",
    "$2 billion of investment" — and the other member speaks of the same concept (its
    original or translation names it) without any figure for it. A figure with no concept
    noun never counts as missing: that keeps precision high.
``date``
    Both members state dates that cannot be the same: no date of one overlaps an unpaired date
    of the other (2027 vs 2028; 25 November vs 25–27 November overlap, so they agree), and the
    two dates are not tied to different events (the nearest event word: visit/arrival, talks,
    meeting/summit, opening, trade, announcement — talks on the 26th do not conflict with a
    summit on the 27th, nor a Monday announcement with a Tuesday arrival). Relative
    dates are resolved first ("last year" in a 2025 article = 2024); "today"/"yesterday"/"tomorrow"
    count a day either side, as the publication date may be a day off the writing. Guesses — a weekday alone,
    "tomorrow" inside a quotation — never conflict. A duration is not compared with a date
    range: "two days" against "25–27 November" is left alone, since outlets count days and
    nights differently and the two-day state visit preceded a summit on the 27th.
``speaker``
    Both members attribute the statement (a speech verb: said, заявил, قال, कहा…) to someone
    and the people differ (Putin vs Japarov vs Ushakov). Descriptions count ("the Russian
    leader" = Putin); "according to him" does not.
``name``
    Each member names a person (or a city) that the other does not mention in any form
    (name, description, translation, transliteration) — Lukashenko in one, Aliyev in the other —
    while both mention some person in common (for cities: some entity in common), so that the
    two sentences are about the same people and differ in one of them.
    Not raised for the people of a ``speaker`` discrepancy on the same pair.

Report-level ``omission`` (``Report.omissions``): documents are grouped into events — two
documents belong to one event when they were published within :data:`EVENT_WINDOW_DAYS` of each
other and share at least :data:`EVENT_SHARE` × (sentences of the shorter one) claims, at least one
(two when a date is unknown); events are the connected groups.
A claim carried by at least two documents of an event is omitted by every other document of
that event, unless one of that document's unmatched sentences shares a figure or date with
the claim together with a named entity (then it probably carries it and alignment missed it).
Documents of another event (the 2020 transcripts) never generate omissions against 2025 reports.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Iterable, Mapping

from reader.facts import (
    Fact,
    base_amount,
    compatible_numbers,
    concepts_in,
    extract,
    interval,
    same_unit_family,
)
from reader.facts.names import (
    NOUNS_CAPITALISED,
    mentioned,
    name_key,
    name_mentions,
    place_kinds,
    word_keys,
)
from reader.facts.speakers import Book, Speaker, differ, find_speaker, roles
from reader.model import Claim, Discrepancy, Document, Report, Sentence, Span
from reader.names import caseless
from reader.settings import CompareConfig
from reader.tokens import tokens

__all__ = ["annotate", "claim_discrepancies", "omissions", "event_groups", "EVENT_WINDOW_DAYS", "EVENT_SHARE"]

EVENT_WINDOW_DAYS = CompareConfig().event_window_days  # tunables live in reader.settings
EVENT_SHARE = CompareConfig().event_share
FIGURE_RATIO = CompareConfig().figure_ratio
FIGURE_KINDS = ("number", "percent", "money")

# ----------------------------------------------------------------------------- member facts
@dataclass
class _Member:
    doc: str
    lang: str
    published: str | None
    sentences: list[Sentence]
    facts: list[tuple[Fact, Sentence]] = field(default_factory=list)  # from the original
    tfacts: list[Fact] = field(default_factory=list)  # from translations (no spans)
    text: str = ""
    translation: str = ""
    concepts: set[str] = field(default_factory=set)
    speaker: Speaker | None = None
    speaker_span: Span | None = None
    words: frozenset[str] = frozenset()  # every word's skeleton and the places named, original and English
    named: dict[str, tuple[str, Span]] = field(default_factory=dict)  # names and places: key -> (as written, where)
    roles: set[tuple[str, str | None]] = field(default_factory=set)  # offices described ("the Russian president")

    def of(self, *kinds: str) -> list[tuple[Fact, Sentence]]:
        return [(f, s) for f, s in self.facts if f.kind in kinds]

    def t_of(self, *kinds: str) -> list[Fact]:
        return [f for f in self.tfacts if f.kind in kinds]


def _span(f: Fact, s: Sentence) -> Span:
    return Span(s.id, s.start + f.start, s.start + f.end)


def _sentence_span(s: Sentence) -> Span:
    return Span(s.id, s.start, s.end)


FactsOf = Mapping[str, tuple[Fact, ...]]  # sentence id -> facts of its original text (the facts stage)


def _facts(s: Sentence, doc: Document, facts_of: FactsOf | None) -> tuple[Fact, ...] | list[Fact]:
    """A sentence's facts from the facts stage, or read now when it did not run (a hand-built report)."""
    if facts_of is not None and s.id in facts_of:
        return facts_of[s.id]
    return extract(s.text, doc.article.lang, doc.article.published)


@dataclass
class _Run:
    """What the comparison knows of the whole run: the skeletons its reports write as names (a
    capitalised word inside a sentence, in a language that capitalises names only, and never
    written in lower case), by document, so that a name in Arabic or Devanagari is found by what
    the other reports of its claim call a name; and which description stands for which name
    (:class:`reader.facts.speakers.Book`)."""

    names_by_doc: dict[str, frozenset[str]] = field(default_factory=dict)
    book: Book = field(default_factory=Book)

    @classmethod
    def of(cls, report: Report) -> "_Run":
        from reader.langid import stopwords

        lower: set[str] = set()  # words written in lower case somewhere: common words, not names
        capitals: dict[str, list[tuple[str, str]]] = {}
        for doc in report.documents:
            if doc.article.lang in NOUNS_CAPITALISED:
                continue
            mine = capitals.setdefault(doc.id, [])
            for s in doc.sentences:
                for n, (word, _, _) in enumerate(tokens(s.text)):
                    if caseless(word) or not word[0].isalpha():
                        continue
                    if word[0].islower():
                        lower.add(word)
                    elif n > 0:
                        mine.append((word, doc.article.lang))
        names = {d: {name_key(w, lang) for w, lang in words if w.lower() not in lower} for d, words in capitals.items()}
        run = cls({d: frozenset(k for k in keys if len(k) >= 3) for d, keys in names.items()})
        known = run.known_for(run.names_by_doc)
        for doc in report.documents:
            stop = stopwords(doc.article.lang)
            for s in doc.sentences:
                run.book.read(s.text, doc.article.lang, known, stop)
        return run

    def known_for(self, docs: Iterable[str]) -> frozenset[str]:
        return frozenset().union(*(self.names_by_doc.get(d, frozenset()) for d in docs))


def _member(report: Report, doc: Document, sentence_ids: Iterable[str], facts_of: FactsOf | None = None,
            run: _Run | None = None, known: frozenset[str] = frozenset()) -> _Member:
    from reader.langid import stopwords

    run = run or _Run()
    a = doc.article
    sents = [report.sentence(sid) for sid in sentence_ids]
    mem = _Member(a.id, a.lang, a.published, sents)
    for s in sents:
        for f in _facts(s, doc, facts_of):
            if not f.extra.get("dateline"):  # where and when the report was filed, not what it claims
                mem.facts.append((f, s))
                if f.kind == "name" and (f.start == 0 or a.lang in NOUNS_CAPITALISED) and f.value not in known:
                    continue  # a capital that only starts the sentence, or a German noun
                if f.kind == "name" or (f.kind == "place" and not f.extra.get("adjective")):
                    mem.named.setdefault(("" if f.kind == "name" else "=") + f.value, (f.surface, _span(f, s)))
        if s.translation:
            mem.tfacts += extract(s.translation, "en", a.published)
        if known:  # names in a script without case: the words the claim's reports call names
            for m in name_mentions(s.text, a.lang, frozenset(), known):
                if caseless(m.surface):
                    mem.named.setdefault(m.value, (m.surface, Span(s.id, s.start + m.start, s.start + m.end)))
    mem.text = " ".join(s.text for s in sents)
    mem.translation = " ".join(s.translation or "" for s in sents)
    mem.concepts = concepts_in(mem.text) | concepts_in(mem.translation)
    mem.words = word_keys(mem.text) | word_keys(mem.translation)
    mem.roles = {r for text in (mem.text, mem.translation) for r, _, _ in roles(text) if r[1]}
    stop = stopwords(a.lang)
    people = frozenset(k for k in known if run.book.person(k))
    for s in sents:
        found = find_speaker(s.text, a.lang, known, stop, people)
        if found:
            mem.speaker, mem.speaker_span = found, Span(s.id, s.start + found.start, s.start + found.end)
            break
    if mem.speaker is None:
        for s in sents:
            if s.translation and (found := find_speaker(s.translation, "en", known, people=people)):
                mem.speaker, mem.speaker_span = found, _sentence_span(s)
                break
    return mem


# ------------------------------------------------------------------------ pairwise findings
@dataclass
class _Finding:
    kind: str
    key: str  # what is compared: a concept, "date", "speaker", "name"
    values: dict[str, str]
    spans: dict[str, tuple[Span, ...]]
    surfaces: dict[str, str]


def _display(f: Fact) -> str:
    bound = {"min": "over ", "max": "up to ", "approx": "about "}.get(f.extra.get("bound", ""), "")
    return bound + f.value


def plausible(x: float, y: float, ratio: float | None = None) -> bool:
    """Could two figures be one outlet's and another's value of the same thing? When they are
    within ``CompareConfig.figure_ratio`` of each other (1,700 and 1,800; three and six months),
    or one is a slip of the other's digits: one digit changed, two swapped, or the decimal point
    moved (1,953.3 and 1,935.3; 0.05% and 0.005%). Figures further apart count different things
    (a total and a share, deaths and injuries) far more often than they misreport one."""
    ratio = FIGURE_RATIO if ratio is None else ratio
    if x == y:
        return True
    if min(abs(x), abs(y)) > 0 and max(abs(x), abs(y)) / min(abs(x), abs(y)) <= ratio:
        return True
    return _digit_slip(x, y)


def _significant(x: float) -> str:
    return f"{abs(x):.6f}".replace(".", "").strip("0")


def _digit_slip(x: float, y: float) -> bool:
    a, b = _significant(x), _significant(y)
    if a == b:
        return True  # the decimal point moved
    if len(a) != len(b) or len(a) < 2:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _figures(a: _Member, b: _Member, kind: str) -> list[_Finding]:
    """Conflicting and missing figures of one kind between two members."""
    fa, fb = a.of(kind), b.of(kind)
    ta, tb = a.t_of(kind), b.t_of(kind)
    # a figure is matched when the other member states a compatible one (original or translation)
    ua = [(f, s) for f, s in fa if not any(compatible_numbers(f, g) for g, _ in fb) and
          not any(compatible_numbers(f, g) for g in tb)]
    ub = [(f, s) for f, s in fb if not any(compatible_numbers(f, g) for g, _ in fa) and
          not any(compatible_numbers(f, g) for g in ta)]
    out: list[_Finding] = []
    matched_a: set[int] = set()
    matched_b: set[int] = set()

    def context(s: Sentence, facts: list[tuple[Fact, Sentence]]) -> set[str]:
        return {f.value for f, t in facts if t.id == s.id and f.kind in ("date", "name", "place")}

    # pair conflicts: same concept, then shared sentence context, then closeness
    cands = []
    for i, (f, s) in enumerate(ua):
        for j, (g, t) in enumerate(ub):
            ca, cb = f.extra.get("concept"), g.extra.get("concept")
            if ca and cb and ca != cb:
                continue
            if (ca is None) != (cb is None):
                continue
            if bool(f.extra.get("first")) != bool(g.extra.get("first")):
                continue  # "the first three" is a part; "9 schools" the total
            if not same_unit_family(f, g):
                continue  # 20 metres and 17 years
            if not ca and not plausible(base_amount(f), base_amount(g)):
                continue  # with nothing to say what they count, 21 and 200 count two things
            shared = len(context(s, a.facts) & context(t, b.facts))
            x, y = float(f.extra["amount"]), float(g.extra["amount"])
            ratio = max(x, y) / max(min(x, y), 1e-9)
            cands.append((-(10 if ca else 0) - 3 * shared + min(ratio, 1e6) / 1e6, i, j))
    unanchored_a = [i for i, (f, _) in enumerate(ua) if not f.extra.get("concept")]
    unanchored_b = [j for j, (g, _) in enumerate(ub) if not g.extra.get("concept")]
    for _, i, j in sorted(cands):
        if i in matched_a or j in matched_b:
            continue
        f, s = ua[i]
        g, t = ub[j]
        if not f.extra.get("concept") and not (len(unanchored_a) == 1 and len(unanchored_b) == 1):
            continue
        matched_a.add(i)
        matched_b.add(j)
        out.append(_Finding(kind, f.extra.get("concept") or kind, {a.doc: _display(f), b.doc: _display(g)},
                            {a.doc: (_span(f, s),), b.doc: (_span(g, t),)}, {a.doc: f.surface, b.doc: g.surface}))
    # missing: a figure about a concept the other member names without any unpaired figure for it
    for (x, ux, matched, y, uy) in ((a, ua, matched_a, b, ub), (b, ub, matched_b, a, ua)):
        for i, (f, s) in enumerate(ux):
            concept = f.extra.get("concept")
            if i in matched or not concept or concept not in y.concepts:
                continue
            if any(g.extra.get("concept") == concept for g, _ in uy):
                continue
            out.append(_Finding("missing-number", concept, {x.doc: _display(f), y.doc: ""},
                                {x.doc: (_span(f, s),), y.doc: ()}, {x.doc: f.surface, y.doc: ""}))
    return out


def _widened(f: Fact) -> tuple[dt.date, dt.date]:
    """A date's interval; "today"/"yesterday"/"tomorrow" get a day either side, since they are read
    against a publication date that may be a day off the writing (late edition, time zones)."""
    lo, hi = interval(f)
    if f.extra.get("relative") and f.extra.get("granularity") == "day":
        return lo - dt.timedelta(days=1), hi + dt.timedelta(days=1)
    return lo, hi


def _date_overlap(f: Fact, g: Fact) -> bool:
    """Is ``f`` accounted for by ``g``? Intervals overlap (``f`` widened when relative: a vague date
    is covered by a precise one nearby, but does not itself cover a precise one), and they are not
    dates of different events."""
    ea, eb = f.extra.get("event"), g.extra.get("event")
    if ea and eb and ea != eb:
        return False
    if _same_weekday(f, g):
        return True
    (la, ha), (lb, hb) = _widened(f), interval(g)
    return la <= hb and lb <= ha


def _same_weekday(f: Fact, g: Fact) -> bool:
    """A weekday alone ("on Tuesday", «во вторник») names a day of the week, not which week: it agrees
    with any date of that weekday within a week of the day it was read as ("Tuesday" read as 2 July
    in a report of 3 July agrees with "Tuesday 9 July" elsewhere: the match was still to come)."""
    if not (f.extra.get("weekday") or g.extra.get("weekday")):
        return False
    if f.extra.get("granularity") != "day" or g.extra.get("granularity") != "day":
        return False
    (da, _), (db, _) = interval(f), interval(g)
    return da.weekday() == db.weekday() and abs((da - db).days) <= 7


def _dates(a: _Member, b: _Member) -> list[_Finding]:
    fa = [(f, s) for f, s in a.of("date")]
    fb = [(f, s) for f, s in b.of("date")]
    ta, tb = a.t_of("date"), b.t_of("date")

    def unmatched(xs: list[tuple[Fact, Sentence]], ys: list[tuple[Fact, Sentence]], ts: list[Fact]):
        # guesses (approx) neither conflict nor vouch for another date
        return [(f, s) for f, s in xs if not f.extra.get("approx")
                and not any(_date_overlap(f, g) for g, _ in ys if not g.extra.get("approx"))
                and not any(_date_overlap(f, g) for g in ts if not g.extra.get("approx"))]

    ua, ub = unmatched(fa, fb, tb), unmatched(fb, fa, ta)
    if not ua or not ub:
        return []
    grans = ("day", "week", "month", "year")
    # a member left with two unaccounted dates of one granularity (arrival and talks, "since
    # 1966 … in 2021") does not say which is which: only a member's one such date is compared,
    # and only with the other member's one date of the same granularity
    def single(xs: list[tuple[Fact, Sentence]]) -> set[str]:
        counts = Counter(g for g, _ in {(f.extra.get("granularity"), f.value) for f, _ in xs})  # distinct dates
        return {g for g, n in counts.items() if n == 1}

    alone_a, alone_b = single(ua), single(ub)
    ua = [(f, s) for f, s in ua if f.extra.get("granularity") in alone_a]
    ub = [(f, s) for f, s in ub if f.extra.get("granularity") in alone_b]

    def score(p: tuple[Fact, Sentence], q: tuple[Fact, Sentence]) -> tuple[int, int, int]:
        f, g = p[0], q[0]
        (la, _), (lb, _) = interval(f), interval(g)
        gd = abs(grans.index(f.extra["granularity"]) - grans.index(g.extra["granularity"]))
        relative = int(bool(f.extra.get("relative"))) + int(bool(g.extra.get("relative")))
        return gd, relative, abs((la - lb).days)

    out = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    # globally closest pairs first: same granularity, explicit before relative, fewest days apart
    for _, i, j in sorted((score(p, q), i, j) for i, p in enumerate(ua) for j, q in enumerate(ub)):
        if i in used_a or j in used_b:
            continue
        ea, eb = ua[i][0].extra.get("event"), ub[j][0].extra.get("event")
        if ea and eb and ea != eb:  # dates of different events (talks on the 26th, a summit on the 27th)
            continue
        if ua[i][0].extra.get("granularity") != ub[j][0].extra.get("granularity"):
            continue
        used_a.add(i)
        used_b.add(j)
        f, s = ua[i]
        g, t = ub[j]
        out.append(_Finding("date", "date", {a.doc: f.value, b.doc: g.value},
                            {a.doc: (_span(f, s),), b.doc: (_span(g, t),)}, {a.doc: f.surface, b.doc: g.surface}))
    return out


def _speaker(a: _Member, b: _Member, run: _Run) -> list[_Finding]:
    if not a.speaker or not b.speaker or not differ(a.speaker, b.speaker, run.book, a.words, b.words):
        return []

    def shown(s: Speaker) -> str:
        return s.surface

    return [_Finding("speaker", "speaker", {a.doc: shown(a.speaker), b.doc: shown(b.speaker)},
                     {a.doc: (a.speaker_span,) if a.speaker_span else (), b.doc: (b.speaker_span,) if b.speaker_span else ()},
                     {a.doc: shown(a.speaker), b.doc: shown(b.speaker)})]


def _is_mentioned(key: str, m: _Member, book: Book) -> bool:
    """Does a member name ``key`` in any form: its words, a transliteration one letter away, or
    (for a person) the office the run describes them by ("the Russian president" for Putin)?"""
    if key.startswith("="):
        return key in m.words
    if mentioned(key, m.words, loose=True):
        return True
    return (role := book.role_of(key)) is not None and role in m.roles


def _names(a: _Member, b: _Member, skip: set[str], book: Book) -> list[_Finding]:
    """One person for another, or one country or city of the exonym file for another, in sentences
    that otherwise name the same things: each member names exactly one of that kind that the other
    does not mention in any form, and they share at least ``names_in_common`` names. A person is a
    name the run writes after an office somewhere ("President Ilham Aliyev"); other names (events,
    teams, parties) differ between outlets too freely to flag."""
    def unshared(x: _Member, y: _Member) -> dict[str, tuple[str, Span]]:
        return {k: v for k, v in x.named.items()
                if k not in skip and len(k) >= 2 and not _is_mentioned(k, y, book)}

    only_a, only_b = unshared(a, b), unshared(b, a)
    common = [k for k in a.named if k not in only_a and k not in skip]
    if len(common) < CompareConfig().names_in_common:
        return []
    out = []
    for kind, of_kind in (("place", lambda k: k.startswith("=")), ("person", book.person)):
        xa = {k: v for k, v in only_a.items() if of_kind(k)}
        xb = {k: v for k, v in only_b.items() if of_kind(k)}
        if len(xa) != 1 or len(xb) != 1:
            continue
        (ka, (sa, pa)), (kb, (sb, pb)) = next(iter(xa.items())), next(iter(xb.items()))
        if kind == "place" and not place_kinds().get(ka[1:]) == place_kinds().get(kb[1:]) == "city":
            continue  # countries are named in passing too freely; a capital for its country is a way of speaking
        if kind == "person" and not book.offices_of(ka) & book.offices_of(kb):
            continue  # one president for another, not a president for a footballer
        out.append(_Finding("name", kind, {a.doc: sa, b.doc: sb}, {a.doc: (pa,), b.doc: (pb,)}, {a.doc: sa, b.doc: sb}))
    return out


def _compare(a: _Member, b: _Member, run: _Run) -> list[_Finding]:
    found: list[_Finding] = []
    for kind in FIGURE_KINDS:
        found += _figures(a, b, kind)
    found += _dates(a, b)
    sp = _speaker(a, b, run)
    found += sp
    skip = {s.name for s in (a.speaker, b.speaker) if s and s.name} if sp else set()
    found += _names(a, b, skip, run.book)
    return found


def _merge(findings: list[_Finding]) -> list[_Finding]:
    """Join pairwise findings of one kind and key that agree on some document's value."""
    merged: list[_Finding] = []
    for f in findings:
        for m in merged:
            if m.kind == f.kind and m.key == f.key and any(
                d in m.values and m.values[d] == v for d, v in f.values.items()
            ) and all(m.values.get(d, v) == v for d, v in f.values.items()):
                m.values.update(f.values)
                m.spans.update(f.spans)
                m.surfaces.update(f.surfaces)
                break
        else:
            merged.append(_Finding(f.kind, f.key, dict(f.values), dict(f.spans), dict(f.surfaces)))
    return merged


_LABEL = {"number": "figure", "percent": "percentage", "money": "sum", "date": "date"}


def _detail(f: _Finding) -> str:
    def show(doc: str) -> str:
        v, s = f.values[doc], f.surfaces.get(doc, "")
        if not v:
            return f"{doc}: —"
        return f"{doc}: {v}" + (f" («{s}»)" if s and s != v else "")

    if f.kind == "missing-number":
        giver = [d for d, v in f.values.items() if v]
        lacking = [d for d, v in f.values.items() if not v]
        return (f"{', '.join(giver)} give{'s' if len(giver) == 1 else ''} a figure about {f.key} "
                f"({'; '.join(show(d) for d in giver)}); {', '.join(lacking)} mention{'s' if len(lacking) == 1 else ''}"
                f" {f.key} without it")
    if f.kind == "speaker":
        return "different speaker: " + "; ".join(show(d) for d in f.values)
    if f.kind == "name":
        return f"different {'people' if f.key == 'person' else 'places'} named: " + "; ".join(show(d) for d in f.values)
    what = _LABEL.get(f.kind, f.kind)
    about = f" about {f.key}" if f.key not in (f.kind, "date") else ""
    return f"conflicting {what}{about}: " + "; ".join(show(d) for d in f.values)


# ------------------------------------------------------------------------------ events
def _pub(doc: Document) -> dt.date | None:
    try:
        return dt.date.fromisoformat((doc.article.published or "")[:10])
    except ValueError:
        return None


def event_groups(report: Report) -> dict[str, int]:
    """Document id -> event number. Same event: a shared claim and publication dates within the window."""
    parent = {d.id: d.id for d in report.documents}
    shared: dict[tuple[str, str], int] = {}
    for c in report.claims:
        for x, y in combinations(sorted(set(c.documents())), 2):
            shared[(x, y)] = shared.get((x, y), 0) + 1

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    dates = {d.id: _pub(d) for d in report.documents}
    size = {d.id: len(d.sentences) for d in report.documents}
    for (x, y), n in shared.items():
        if x not in parent or y not in parent:
            continue
        dx, dy = dates[x], dates[y]
        # enough shared claims: a tenth of the shorter document's sentences (boilerplate such as
        # "Good afternoon, colleagues" shared by two transcripts of one day does not make one event)
        enough = n >= max(1, math.ceil(EVENT_SHARE * min(size[x], size[y])))
        if dx and dy:
            same = enough and abs((dx - dy).days) <= EVENT_WINDOW_DAYS
        else:
            same = enough and n >= 2
        if same:
            parent[root(x)] = root(y)
    roots: dict[str, int] = {}
    return {d.id: roots.setdefault(root(d.id), len(roots)) for d in report.documents}


# ------------------------------------------------------------------------------ public
def claim_discrepancies(
    report: Report, claim: Claim, groups: dict[str, int] | None = None, facts_of: FactsOf | None = None,
    run: _Run | None = None,
) -> tuple[Discrepancy, ...]:
    """The discrepancies of one claim (pairs of members of different events are not compared)."""
    groups = groups if groups is not None else event_groups(report)
    run = run if run is not None else _Run.of(report)
    known = run.known_for(m.document for m in claim.members)
    members = [_member(report, report.document(m.document), m.sentences, facts_of, run, known) for m in claim.members]
    findings: list[_Finding] = []
    for a, b in combinations(members, 2):
        if groups.get(a.doc) != groups.get(b.doc):
            continue
        findings += _compare(a, b, run)
    order = {m.doc: i for i, m in enumerate(members)}
    out = []
    for f in _merge(findings):
        docs = sorted(f.values, key=lambda d: order.get(d, 99))
        out.append(Discrepancy(
            kind=f.kind,
            detail=_detail(f),
            values={d: f.values[d] for d in docs},
            spans={d: f.spans.get(d, ()) for d in docs},
        ))
    return tuple(out)


def _salient(facts: Iterable[Fact]) -> set[tuple[str, str]]:
    return {(f.kind, f.value) for f in facts if f.kind in FIGURE_KINDS + ("date",) and not f.extra.get("approx")}


def _summary(report: Report, claim: Claim) -> str:
    s = report.sentence(claim.members[0].sentences[0])
    text = " ".join((s.translation or s.text).split())
    return text if len(text) <= 80 else text[:77].rstrip() + "…"


def omissions(report: Report, groups: dict[str, int] | None = None, facts_of: FactsOf | None = None
              ) -> tuple[Discrepancy, ...]:
    """Claims carried by two or more documents of an event and missing from its other documents."""
    groups = groups if groups is not None else event_groups(report)
    by_group: dict[int, list[str]] = {}
    for d in report.documents:
        by_group.setdefault(groups[d.id], []).append(d.id)
    unmatched_by_doc: dict[str, list[Sentence]] = {}
    for sid in report.unmatched:
        try:
            s = report.sentence(sid)
        except (KeyError, IndexError, ValueError):
            continue
        unmatched_by_doc.setdefault(s.document, []).append(s)
    out = []
    for claim in report.claims:
        docs = list(dict.fromkeys(claim.documents()))
        for g, members in by_group.items():
            carriers = [d for d in docs if groups.get(d) == g]
            if len(carriers) < 2:
                continue
            missing = [d for d in members if d not in carriers]
            if not missing:
                continue
            claim_facts: list[Fact] = []
            for m in claim.members:
                if m.document not in carriers:
                    continue
                doc = report.document(m.document)
                for sid in m.sentences:
                    s = report.sentence(sid)
                    claim_facts += _facts(s, doc, facts_of)
            key_facts = _salient(claim_facts)
            key_names = {f.value for f in claim_facts if f.kind in ("name", "place")}
            really_missing = []
            for d in missing:
                doc = report.document(d)
                carried = False
                for s in unmatched_by_doc.get(d, []):
                    fs = _facts(s, doc, facts_of)
                    if _salient(fs) & key_facts and {f.value for f in fs} & key_names:
                        carried = True
                        break
                if not carried:
                    really_missing.append(d)
            if not really_missing:
                continue
            values = {d: report.sentence(next(m for m in claim.members if m.document == d).sentences[0]).text
                      for d in carriers}
            values.update({d: "" for d in really_missing})
            spans = {m.document: tuple(_sentence_span(report.sentence(s)) for s in m.sentences)
                     for m in claim.members if m.document in carriers}
            spans.update({d: () for d in really_missing})
            out.append(Discrepancy(
                kind="omission",
                detail=f"{', '.join(carriers)} report {claim.id} ({_summary(report, claim)}); "
                       f"{', '.join(really_missing)} {'does' if len(really_missing) == 1 else 'do'} not",
                values=values,
                spans=spans,
            ))
    return tuple(out)


def annotate(report: Report, facts_of: FactsOf | None = None) -> Report:
    """A new Report whose claims carry their discrepancies and whose ``omissions`` are filled.

    Idempotent: discrepancies already on the claims are replaced, not added to.
    """
    groups = event_groups(report)
    run = _Run.of(report)
    claims = tuple(replace(c, discrepancies=claim_discrepancies(report, c, groups, facts_of, run)) for c in report.claims)
    annotated = replace(report, claims=claims)
    return replace(annotated, omissions=omissions(annotated, groups, facts_of))

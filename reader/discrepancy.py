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

from collections import Counter

import datetime as dt
import math
import re
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Iterable, Mapping

from reader.entities import display_name, entity, find_name, find_mentions
from reader.facts import (
    Fact,
    base_amount,
    compatible_numbers,
    concepts_in,
    extract,
    interval,
    normalize_digits,
    same_unit_family,
)
from reader.model import Claim, Discrepancy, Document, Report, Sentence, Span
from reader.settings import CompareConfig

__all__ = ["annotate", "claim_discrepancies", "omissions", "event_groups", "EVENT_WINDOW_DAYS", "EVENT_SHARE"]

EVENT_WINDOW_DAYS = CompareConfig().event_window_days  # tunables live in reader.settings
EVENT_SHARE = CompareConfig().event_share
FIGURE_RATIO = CompareConfig().figure_ratio
FIGURE_KINDS = ("number", "percent", "money")

# Speech verbs, as regexes on the original text (and English for translations).
_SPEECH = re.compile(
    r"(?<![\w\u0900-\u097f])(?:"
    r"said|says|stated|states|added|noted|told|announced|stressed|emphasi[sz]ed|underlined|explained|declared|"
    r"according to|"
    r"заяв\w*|сказал\w*|подчеркн\w*|добавил\w*|отметил\w*|сообщ\w*|пояснил\w*|указал\w*|говорит|"
    r"рассказал\w*|объявил\w*|по словам|"
    r"[وف]?(?:قال|أكد|اكد|أوضح|اوضح|أضاف|اضاف|بيّن|أردف|اردف|تابع|أعلن|اعلن|صرح|صرّح|ذكر|شدد|أشار)\w*|"
    r"कहा|कहते|बताया|बताते|कहना|घोषणा)(?![\w\u0900-\u097f])",
    re.IGNORECASE,
)
_SPEAKER_WINDOW = CompareConfig().speaker_window


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
    speaker: tuple[str, Span | None] | None = None
    covered: set[str] = field(default_factory=set)  # entity ids mentioned in any form

    def of(self, *kinds: str) -> list[tuple[Fact, Sentence]]:
        return [(f, s) for f, s in self.facts if f.kind in kinds]

    def t_of(self, *kinds: str) -> list[Fact]:
        return [f for f in self.tfacts if f.kind in kinds]


def _span(f: Fact, s: Sentence) -> Span:
    return Span(s.id, s.start + f.start, s.start + f.end)


def _sentence_span(s: Sentence) -> Span:
    return Span(s.id, s.start, s.end)


def _find_speaker(text: str, lang: str) -> tuple[str, int, int] | None:
    """(person id, start, end) of who a speech verb in ``text`` is attributed to, or None."""
    mentions = [m for m in find_mentions(text) if m.kind == "person"]
    if not mentions:
        return None
    for verb in _SPEECH.finditer(normalize_digits(text)):
        if verb.group().lower() in ("по словам",) and re.match(r"\s*(?:его|ее|её|их)\b", text[verb.end():]):
            continue
        best: tuple[int, int, object] | None = None
        for m in mentions:
            if m.start >= verb.end():
                dist = m.start - verb.end()
            elif m.end <= verb.start():
                dist = verb.start() - m.end
            else:
                continue
            between = text[min(m.end, verb.end()) : max(m.start, verb.start())]
            if dist > _SPEAKER_WINDOW or any(q in between for q in '«»"“”:'):
                continue
            rank = (1 if m.role else 0, dist)  # a name beats a description
            if best is None or rank < best[:2]:
                best = (rank[0], rank[1], m)
        if best is not None:
            m = best[2]
            return m.entity, m.start, m.end  # type: ignore[attr-defined]
    return None


FactsOf = Mapping[str, tuple[Fact, ...]]  # sentence id -> facts of its original text (the facts stage)


def _facts(s: Sentence, doc: Document, facts_of: FactsOf | None) -> tuple[Fact, ...] | list[Fact]:
    """A sentence's facts from the facts stage, or read now when it did not run (a hand-built report)."""
    if facts_of is not None and s.id in facts_of:
        return facts_of[s.id]
    return extract(s.text, doc.article.lang, doc.article.published)


def _member(report: Report, doc: Document, sentence_ids: Iterable[str], facts_of: FactsOf | None = None) -> _Member:
    a = doc.article
    sents = [report.sentence(sid) for sid in sentence_ids]
    mem = _Member(a.id, a.lang, a.published, sents)
    for s in sents:
        for f in _facts(s, doc, facts_of):
            if not f.extra.get("dateline"):  # where and when the report was filed, not what it claims
                mem.facts.append((f, s))
        if s.translation:
            mem.tfacts += extract(s.translation, "en", a.published)
    mem.text = " ".join(s.text for s in sents)
    mem.translation = " ".join(s.translation or "" for s in sents)
    mem.concepts = concepts_in(mem.text) | concepts_in(mem.translation)
    mem.covered = {f.value for f, _ in mem.facts if f.kind in ("person", "place", "org")}
    mem.covered |= {f.value for f in mem.tfacts if f.kind in ("person", "place", "org")}
    for s in sents:
        found = _find_speaker(s.text, a.lang)
        if found:
            mem.speaker = (found[0], Span(s.id, s.start + found[1], s.start + found[2]))
            break
    if mem.speaker is None:
        for s in sents:
            if s.translation and (found := _find_speaker(s.translation, "en")):
                mem.speaker = (found[0], _sentence_span(s))
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
        return {f.value for f, t in facts if t.id == s.id and f.kind in ("date", "person", "place", "org")}

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
    (la, ha), (lb, hb) = _widened(f), interval(g)
    return la <= hb and lb <= ha


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


def _mentions_person(m: _Member, person: str) -> bool:
    if person in m.covered:
        return True
    ent = entity(person)
    if ent is None:
        return False
    return any(find_name(m.text, alias) or find_name(m.translation, alias) for alias in ent.aliases[:1])


def _speaker(a: _Member, b: _Member) -> list[_Finding]:
    if not a.speaker or not b.speaker or a.speaker[0] == b.speaker[0]:
        return []
    (pa, sa), (pb, sb) = a.speaker, b.speaker
    return [_Finding("speaker", "speaker", {a.doc: display_name(pa), b.doc: display_name(pb)},
                     {a.doc: (sa,) if sa else (), b.doc: (sb,) if sb else ()},
                     {a.doc: display_name(pa), b.doc: display_name(pb)})]


def _names(a: _Member, b: _Member, skip: set[str]) -> list[_Finding]:
    out = []
    for kind, is_city in (("person", False), ("place", True)):
        def named(m: _Member) -> dict[str, tuple[Fact, Sentence]]:
            got: dict[str, tuple[Fact, Sentence]] = {}
            for f, s in m.of(kind):
                if f.extra.get("role") or f.value in skip:
                    continue
                ent = entity(f.value)
                if is_city and not (ent and ent.city):
                    continue
                got.setdefault(f.value, (f, s))
            return got

        na, nb = named(a), named(b)
        only_a = {k: v for k, v in na.items() if not _mentions_person(b, k)}
        only_b = {k: v for k, v in nb.items() if not _mentions_person(a, k)}
        # the members must otherwise speak of the same people (or, for cities, share some entity):
        # different names in sentences about different things are no discrepancy
        common = {e for e in a.covered & b.covered if e.startswith("person:")} if kind == "person" \
            else a.covered & b.covered
        if only_a and only_b and common:
            out.append(_Finding(
                "name", kind,
                {a.doc: ", ".join(display_name(k) for k in only_a), b.doc: ", ".join(display_name(k) for k in only_b)},
                {a.doc: tuple(_span(f, s) for f, s in only_a.values()),
                 b.doc: tuple(_span(f, s) for f, s in only_b.values())},
                {a.doc: ", ".join(f.surface for f, _ in only_a.values()),
                 b.doc: ", ".join(f.surface for f, _ in only_b.values())},
            ))
    return out


def _compare(a: _Member, b: _Member) -> list[_Finding]:
    found: list[_Finding] = []
    for kind in FIGURE_KINDS:
        found += _figures(a, b, kind)
    found += _dates(a, b)
    sp = _speaker(a, b)
    found += sp
    skip = {a.speaker[0], b.speaker[0]} if sp and a.speaker and b.speaker else set()
    found += _names(a, b, skip)
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
    report: Report, claim: Claim, groups: dict[str, int] | None = None, facts_of: FactsOf | None = None
) -> tuple[Discrepancy, ...]:
    """The discrepancies of one claim (pairs of members of different events are not compared)."""
    groups = groups if groups is not None else event_groups(report)
    members = [_member(report, report.document(m.document), m.sentences, facts_of) for m in claim.members]
    findings: list[_Finding] = []
    for a, b in combinations(members, 2):
        if groups.get(a.doc) != groups.get(b.doc):
            continue
        findings += _compare(a, b)
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
            key_names = {f.value for f in claim_facts if f.kind in ("person", "place", "org") and not f.extra.get("role")}
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
    claims = tuple(replace(c, discrepancies=claim_discrepancies(report, c, groups, facts_of)) for c in report.claims)
    annotated = replace(report, claims=claims)
    return replace(annotated, omissions=omissions(annotated, groups, facts_of))

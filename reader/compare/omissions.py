"""Events of a report (documents that share claims, published close together) and the claims one
document of an event leaves out."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from itertools import combinations

from reader.compare.members import (
    EVENT_SHARE,
    EVENT_WINDOW_DAYS,
    FIGURE_KINDS,
    FactsOf,
    sentence_facts,
    sentence_span,
)
from reader.facts import Fact
from reader.model import Claim, Discrepancy, Document, Report, Sentence


# ------------------------------------------------------------------------------ events
def published(doc: Document) -> dt.date | None:
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

    dates = {d.id: published(d) for d in report.documents}
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


def salient(facts: Iterable[Fact]) -> set[tuple[str, str]]:
    return {(f.kind, f.value) for f in facts if f.kind in FIGURE_KINDS + ("date",) and not f.extra.get("approx")}


def summary(report: Report, claim: Claim) -> str:
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
                    claim_facts += sentence_facts(s, doc, facts_of)
            key_facts = salient(claim_facts)
            key_names = {f.value for f in claim_facts if f.kind in ("name", "place")}
            really_missing = []
            for d in missing:
                doc = report.document(d)
                carried = False
                for s in unmatched_by_doc.get(d, []):
                    fs = sentence_facts(s, doc, facts_of)
                    if salient(fs) & key_facts and {f.value for f in fs} & key_names:
                        carried = True
                        break
                if not carried:
                    really_missing.append(d)
            if not really_missing:
                continue
            values = {d: report.sentence(next(m for m in claim.members if m.document == d).sentences[0]).text
                      for d in carriers}
            values.update({d: "" for d in really_missing})
            spans = {m.document: tuple(sentence_span(report.sentence(s)) for s in m.sentences)
                     for m in claim.members if m.document in carriers}
            spans.update({d: () for d in really_missing})
            out.append(Discrepancy(
                kind="omission",
                detail=f"{', '.join(carriers)} report {claim.id} ({summary(report, claim)}); "
                       f"{', '.join(really_missing)} {'does' if len(really_missing) == 1 else 'do'} not",
                values=values,
                spans=spans,
            ))
    return tuple(out)

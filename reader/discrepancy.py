"""Where outlets differ: per-claim discrepancies and report-level omissions.

Pure and stdlib only. :func:`annotate` is the pipeline's last stage; the comparisons themselves
live in the :mod:`reader.compare` wing. For every claim it reads
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
    Both members attribute the statement (a speech verb: said, заявил, قال, कहा, a déclaré…) to
    someone and the speakers differ (:mod:`reader.facts.speakers`): names whose skeletons
    differ, one of them not named by the other report at all, or descriptions of different
    offices or countries ("the Russian president" against "the Kyrgyz president"). A
    description counts as the name the run writes it with ("Russian President Vladimir
    Putin"); "according to him" does not count.
``name``
    One person for another, or one city of the exonym file for another: each member names
    exactly one such that the other does not mention in any form (name, transliteration, the
    office the run describes them by), the members share at least ``names_in_common`` other
    names, and (for people) the run describes both by the same office. Not raised for the
    people of a ``speaker`` discrepancy on the same pair. No list of people: who is a person
    comes from the run.

``event-kind``
    A working visit in one member against a state or official visit in the other
    (:mod:`reader.compare.kinds`; the kinds as each language writes them are data).

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

from collections.abc import Mapping
from dataclasses import replace
from itertools import combinations

from reader.compare.dates import dates
from reader.compare.figures import agreed_beside, figures, plausible, stated_beside
from reader.compare.kinds import event_kind
from reader.compare.members import FIGURE_KINDS, FactsOf, Finding, Member, Run, member
from reader.compare.omissions import (
    EVENT_SHARE,
    EVENT_WINDOW_DAYS,
    event_groups,
    omissions,
)
from reader.compare.people import names, speaker
from reader.model import Claim, Discrepancy, Report

__all__ = ["EVENT_SHARE", "EVENT_WINDOW_DAYS", "annotate", "claim_discrepancies", "event_groups", "omissions", "plausible"]


def _compare(a: Member, b: Member, run: Run) -> list[Finding]:
    found: list[Finding] = []
    for kind in FIGURE_KINDS:
        found += figures(a, b, kind)
    found += dates(a, b)
    sp = speaker(a, b, run)
    found += sp
    skip = {s.name for s in (a.speaker, b.speaker) if s and s.name} if sp else set()
    found += names(a, b, skip, run.book)
    found += event_kind(a, b)
    return found


def _merge(findings: list[Finding]) -> list[Finding]:
    """Join pairwise findings of one kind and key that agree on some document's value."""
    merged: list[Finding] = []
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
            merged.append(Finding(f.kind, f.key, dict(f.values), dict(f.spans), dict(f.surfaces)))
    return merged


_LABEL = {"number": "figure", "percent": "percentage", "money": "sum", "date": "date"}


def _detail(f: Finding) -> str:
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
    if f.kind == "event-kind":
        return "different kind of visit: " + "; ".join(show(d) for d in f.values)
    if f.kind == "name":
        return f"different {'people' if f.key == 'person' else 'places'} named: " + "; ".join(show(d) for d in f.values)
    what = _LABEL.get(f.kind, f.kind)
    about = f" about {f.key}" if f.key not in (f.kind, "date") else ""
    return f"conflicting {what}{about}: " + "; ".join(show(d) for d in f.values)


# ------------------------------------------------------------------------------ public
def claim_discrepancies(
    report: Report, claim: Claim, groups: dict[str, int] | None = None, facts_of: FactsOf | None = None,
    run: Run | None = None, claims_of: Mapping[str, tuple[Claim, ...]] | None = None,
) -> tuple[Discrepancy, ...]:
    """The discrepancies of one claim (pairs of members of different events are not compared)."""
    groups = groups if groups is not None else event_groups(report)
    run = run if run is not None else Run.of(report)
    claims_of = claims_of if claims_of is not None else report.claims_of()
    known = run.known_for(m.document for m in claim.members)
    members = [member(report, report.document(m.document), m.sentences, facts_of, run, known) for m in claim.members]
    findings: list[Finding] = []
    for a, b in combinations(members, 2):
        if groups.get(a.doc) != groups.get(b.doc):
            continue
        findings += _compare(a, b, run)
    order = {m.doc: i for i, m in enumerate(members)}
    out = []
    findings = [f for f in findings if not stated_beside(f, claim, report, claims_of, facts_of)
                and not agreed_beside(f, claim, report, claims_of, facts_of)]
    for f in _merge(findings):
        docs = sorted(f.values, key=lambda d: order.get(d, 99))
        out.append(Discrepancy(
            kind=f.kind,
            detail=_detail(f),
            values={d: f.values[d] for d in docs},
            spans={d: f.spans.get(d, ()) for d in docs},
        ))
    return tuple(out)


def annotate(report: Report, facts_of: FactsOf | None = None) -> Report:
    """A new Report whose claims carry their discrepancies and whose ``omissions`` are filled.

    Idempotent: discrepancies already on the claims are replaced, not added to.
    """
    groups = event_groups(report)
    run = Run.of(report)
    claims_of = report.claims_of()
    claims = tuple(replace(c, discrepancies=claim_discrepancies(report, c, groups, facts_of, run, claims_of))
                   for c in report.claims)
    annotated = replace(report, claims=claims)
    return replace(annotated, omissions=omissions(annotated, groups, facts_of))

"""Figures of two members: conflicting values of the same thing, and figures one leaves out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from reader.compare.members import FIGURE_KINDS, FIGURE_RATIO, FactsOf, Finding, Member, sentence_facts, span
from reader.facts import Fact, base_amount, compatible_numbers, same_unit_family
from reader.model import Claim, Report, Sentence


def display(f: Fact) -> str:
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
    return digit_slip(x, y)


def significant(x: float) -> str:
    return f"{abs(x):.6f}".replace(".", "").strip("0")


def digit_slip(x: float, y: float) -> bool:
    a, b = significant(x), significant(y)
    if a == b:
        return True  # the decimal point moved
    if len(a) != len(b) or len(a) < 2:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def figures(a: Member, b: Member, kind: str) -> list[Finding]:
    """Conflicting and missing figures of one kind between two members."""
    fa, fb = a.of(kind), b.of(kind)
    ta, tb = a.t_of(kind), b.t_of(kind)
    # a figure is matched when the other member states a compatible one (original or translation)
    ua = [(f, s) for f, s in fa if not any(compatible_numbers(f, g) for g, _ in fb) and
          not any(compatible_numbers(f, g) for g in tb)]
    ub = [(f, s) for f, s in fb if not any(compatible_numbers(f, g) for g, _ in fa) and
          not any(compatible_numbers(f, g) for g in ta)]
    out: list[Finding] = []
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
        out.append(Finding(kind, f.extra.get("concept") or kind, {a.doc: display(f), b.doc: display(g)},
                            {a.doc: (span(f, s),), b.doc: (span(g, t),)}, {a.doc: f.surface, b.doc: g.surface}))
    # missing: a figure about a concept the other member names without any unpaired figure for it
    for (x, ux, matched, y, uy) in ((a, ua, matched_a, b, ub), (b, ub, matched_b, a, ua)):
        for i, (f, s) in enumerate(ux):
            concept = f.extra.get("concept")
            if i in matched or not concept or concept not in y.concepts:
                continue
            if any(g.extra.get("concept") == concept for g, _ in uy):
                continue
            out.append(Finding("missing-number", concept, {x.doc: display(f), y.doc: ""},
                                {x.doc: (span(f, s),), y.doc: ()}, {x.doc: f.surface, y.doc: ""}))
    return out


def stated_beside(finding: Finding, claim: Claim, report: Report, claims_of: Mapping[str, tuple[Claim, ...]],
                  facts_of: FactsOf | None) -> bool:
    """Whether the member a ``missing-number`` finding says lacks a figure states that figure in a
    sibling claim: one that holds the same sentence of the member giving it. Alignment splits "three
    of nine schools" in one report against "9 schools … the first three" in two sentences of another
    into two claims that share the first sentence; each claim holds one of the figures, and neither
    is missing."""
    if finding.kind != "missing-number":
        return False
    giver = next((d for d, v in finding.values.items() if v), None)
    lacking = next((d for d, v in finding.values.items() if not v), None)
    if giver is None or lacking is None or not finding.spans.get(giver):
        return False
    value = finding.values[giver]
    return any(g.kind in FIGURE_KINDS and g.extra.get("concept") == finding.key and display(g) == value
               for g in _beside(lacking, finding.spans[giver][0].sentence, claim, report, claims_of, facts_of))


def agreed_beside(finding: Finding, claim: Claim, report: Report, claims_of: Mapping[str, tuple[Claim, ...]],
                  facts_of: FactsOf | None) -> bool:
    """Whether the two outlets of a conflicting figure or date state the same value after all, one of
    them in a sibling claim: one that holds the other's sentence. A sentence that tells two claims at
    once ("240 of the 543 seats, short of the 272 needed for a majority") carries a figure of the
    other claim; set against a sentence of the first claim alone ("240 of 543 seats") it looks like
    a conflict, while its own outlet and the other agree on it where it belongs."""
    if finding.kind not in (*FIGURE_KINDS, "date") or len(finding.values) != 2:
        return False
    (da, va), (db, vb) = finding.values.items()
    return _states(db, va, finding.spans.get(da, ()), claim, report, claims_of, facts_of, finding.kind) or \
        _states(da, vb, finding.spans.get(db, ()), claim, report, claims_of, facts_of, finding.kind)


def _states(doc_id: str, value: str, spans, claim: Claim, report: Report, claims_of, facts_of, kind: str) -> bool:
    """Does ``doc_id`` state ``value`` in a claim (other than ``claim``) holding the sentence of ``spans``?"""
    if not value or not spans:
        return False
    return any(g.kind == kind and (display(g) if kind in FIGURE_KINDS else g.value) == value
               for g in _beside(doc_id, spans[0].sentence, claim, report, claims_of, facts_of))


def _beside(doc_id: str, sentence: str, claim: Claim, report: Report, claims_of: Mapping[str, tuple[Claim, ...]],
            facts_of: FactsOf | None) -> Iterator[Fact]:
    """The facts ``doc_id`` states in the sibling claims of ``claim`` that hold ``sentence``."""
    doc = report.document(doc_id)
    for sibling in claims_of.get(sentence, ()):
        if sibling is claim:
            continue
        for m in sibling.members:
            if m.document == doc_id:
                for sid in m.sentences:
                    yield from sentence_facts(report.sentence(sid), doc, facts_of)

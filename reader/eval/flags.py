"""Flag precision and recall on the discrepancies planted in a benchmark with span gold.

The authors of ``corpora/dev`` planted discrepancies while writing it (``# flag c5 number
en-wire ru-daily: …``): one outlet gives another number, date, speaker or place for one
claim. Those are the gold; every other flag the comparison raises on the benchmark is
spurious by construction (the reports agree on everything else).

A raised flag *matches* a planted one when

* its kind says the same thing (``number``, ``percent`` and ``money`` are numbers; a
  place is a name),
* its claim holds a sentence that states the planted claim, and
* one of the two outlets the plant names (the odd one and one of the others, in either
  order) gives a value in it.

Omissions, and figures one outlet gives that another leaves out (``missing-number``), are
what an outlet leaves out, not what outlets disagree on: they are counted apart. Two runs are
scored: on the gold claims (the comparison of facts alone, whatever the
aligner does) and end to end on the report's own claims.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from reader.untrusted import printable
from reader.eval.evaluate import Gold, documents_by_path, share
from reader.model import Claim, Discrepancy, Member, Report

# what one outlet leaves out (a claim, a figure the others give) is not a disagreement: the
# plants are disagreements, so these are counted apart
LEFT_OUT = ("omission", "missing-number")
# raised kind -> planted kind
KIND = {"number": "number", "percent": "number", "money": "number", "date": "date", "speaker": "speaker",
        "name": "place", "place": "place", "event-kind": "event-kind"}


def planted_kind(d: Discrepancy) -> str | None:
    """The planted kind a raised discrepancy answers: a "name" flag is about people or places."""
    if d.kind == "name":
        return "name" if d.detail.startswith("different people") else "place"
    return KIND.get(d.kind)


@dataclass(frozen=True)
class Planted:
    event: str
    claim: str  # "event#cN"
    kind: str
    documents: tuple[str, str]  # report document ids
    detail: str


@dataclass(frozen=True)
class FlagScores:
    raised: int
    correct: int
    planted: int
    found: int
    spurious: tuple[str, ...]  # "claim id: detail" of raised flags that match no plant, printable
    missed: tuple[Planted, ...]
    left_out: int = 0  # figures one outlet gives and another leaves out: not disagreements, not scored

    @property
    def precision(self) -> float:
        return share(self.correct, self.raised)

    @property
    def recall(self) -> float:
        return share(self.found, self.planted)

    def summary(self, name: str) -> str:
        return (f"planted flags ({name}): precision {self.precision:.3f} ({self.correct}/{self.raised} flags), "
                f"recall {self.recall:.3f} ({self.found}/{self.planted} planted)"
                + (f"; {self.left_out} figures one outlet leaves out, not scored" if self.left_out else ""))


def planted(gold_path: Path, report: Report) -> list[Planted]:
    """The planted discrepancies of a span-gold file, with the report's document ids."""
    data = json.loads(gold_path.read_text(encoding="utf-8"))
    by_path = {path: doc.id for path, doc in documents_by_path(report).items()}
    out = []
    for event, entry in (data.get("events") or {}).items():
        for flag in entry.get("flags", ()):
            ids = [by_path.get((gold_path.parent / event / f"{slug}.txt").resolve()) for slug in flag["documents"]]
            if None in ids:
                continue
            out.append(Planted(event, f"{event}#{flag['claim']}", flag["kind"], (ids[0], ids[1]), flag["detail"]))
    return out


def gold_claims(report: Report, gold: Gold) -> Report:
    """The report with the gold's claims in place of the aligner's: every claim label carried by
    sentences of two or more documents, each document's labelled sentences one member."""
    carriers: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for doc in report.documents:
        for s in doc.sentences:
            for label in gold.sentence_claims.get(s.id, ()):
                carriers[label][doc.id].append(s.id)
    claims = []
    for label in sorted(carriers):
        docs = carriers[label]
        if len(docs) >= 2:
            members = tuple(Member(d, tuple(sids)) for d, sids in docs.items())
            claims.append(Claim(f"g{len(claims) + 1}", 1.0, members))
    return dataclasses.replace(report, claims=tuple(claims), omissions=())


def _matches(d: Discrepancy, claim: Claim, plant: Planted, labels: dict[str, frozenset[str]]) -> bool:
    if planted_kind(d) != plant.kind:
        return False
    if not any(plant.claim in labels.get(s, ()) for s in claim.sentence_ids()):
        return False
    stated = {doc for doc, value in d.values.items() if value}
    # a plant names the odd outlet and one of the others, not always in that order
    return len(stated) >= 2 and bool(set(plant.documents) & stated)


def score_flags(report: Report, gold: Gold, plants: list[Planted]) -> FlagScores:
    """Raised flags (omissions aside) of an annotated report against the plants."""
    scope = set(gold.events)
    every = [(c, d) for c in report.claims for d in c.discrepancies if any(doc in scope for doc in d.values)]
    raised = [(c, d) for c, d in every if d.kind not in LEFT_OUT]
    labels = gold.sentence_claims
    found = {i for i, p in enumerate(plants) if any(_matches(d, c, p, labels) for c, d in raised)}
    correct = [(c, d) for c, d in raised if any(_matches(d, c, p, labels) for p in plants)]
    # the detail quotes the articles: shown on a terminal, it is made printable
    spurious = tuple(printable(f"{c.id}: {d.detail}") for c, d in raised if (c, d) not in correct)
    return FlagScores(len(raised), len(correct), len(plants), len(found), spurious,
                      tuple(p for i, p in enumerate(plants) if i not in found),
                      sum(1 for _, d in every if d.kind == "missing-number"))

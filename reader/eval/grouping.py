"""Event grouping measured on a benchmark with span gold, and its model fitted on the dev half.

Pairwise scores, as for clustering: of the pairs of articles the grouping puts in one
event, how many the gold puts in one (precision); of the gold's pairs, how many the
grouping found (recall). Distractor events (the same court, place or leader in the same
week) are in the benchmark on purpose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from reader import events as grouping
from reader.eval.evaluate import harmonic, share
from reader.model import Document
from reader.names import document_keys
from reader.settings import EventConfig

GATES = (-3.0, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


@dataclass(frozen=True)
class PairScores:
    predicted: int
    correct: int
    gold: int

    @property
    def precision(self) -> float:
        return share(self.correct, self.predicted)

    @property
    def recall(self) -> float:
        return share(self.correct, self.gold)

    @property
    def f1(self) -> float:
        return harmonic(self.precision, self.recall)

    def summary(self, events: int, gold_events: int) -> str:
        return (f"event grouping: pairwise precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
                f"({self.correct}/{self.predicted} pairs correct, {self.correct}/{self.gold} gold pairs; "
                f"{events} events for {gold_events} gold events)")


def signals(documents: Sequence[Document], vectors: np.ndarray, facts_of=None) -> list[grouping.ArticleSignal]:
    """What grouping reads of each document: its sentence vectors (rows of ``vectors`` in
    document order), language, date, name keys and figures (``facts_of``: sentence id ->
    facts, the facts stage; read now without it)."""
    from datetime import date

    from reader.facts import extract, salient_figures

    out, row = [], 0
    for doc in documents:
        n = len(doc.sentences)
        try:
            published = date.fromisoformat(doc.article.published[:10]) if doc.article.published else None
        except ValueError:
            published = None
        found = [f for s in doc.sentences for f in (facts_of[s.id] if facts_of and s.id in facts_of else
                                                     extract(s.text, doc.article.lang, doc.article.published))]
        out.append(grouping.ArticleSignal(doc.id, doc.article.lang, published,
                                          document_keys((s.text for s in doc.sentences), doc.article.lang),
                                          np.asarray(vectors[row:row + n], dtype=np.float32), salient_figures(found)))
        row += n
    return out


def pairwise(events: Sequence[Sequence[str]], gold: Mapping[str, str]) -> PairScores:
    """Pairwise scores of ``events`` (document ids per event) against gold events (id -> event)."""
    predicted = {frozenset(p) for e in events for p in combinations([d for d in e if d in gold], 2)}
    ids = sorted(gold)
    truth = {frozenset((a, b)) for a, b in combinations(ids, 2) if gold[a] == gold[b]}
    return PairScores(len(predicted), len(predicted & truth), len(truth))


def score(articles: list[grouping.ArticleSignal], gold: Mapping[str, str], calibration,
          config: EventConfig = EventConfig()) -> tuple[PairScores, int]:
    result = grouping.group_calibrated(articles, calibration, config)
    events = [[articles[i].key for i in e] for e in result.events]
    return pairwise(events, gold), len(events)


def fit(articles: list[grouping.ArticleSignal], gold: Mapping[str, str], calibration,
        config: EventConfig = EventConfig(), log: Callable[[str], None] = lambda line: None
        ) -> tuple[dict[str, float], float]:
    """The grouping model (logistic, on every pair inside the date window: one event or not)
    and its gate (best pairwise F1 on the same articles; the middle of a plateau)."""
    from reader.align.scoring import fit_logistic

    means, backgrounds = grouping.calibrated_inputs(articles, calibration)
    loose = dataclasses.replace(config, prefilter=-1.0)
    xs, ys = [], []
    for (i, j), features in grouping.scored_pairs(articles, means, backgrounds, loose):
        if articles[i].key in gold and articles[j].key in gold:
            xs.append(features)
            ys.append(gold[articles[i].key] == gold[articles[j].key])
    if len(set(ys)) < 2:
        raise ValueError("the grouping model needs pairs of one event and of two inside the date window")
    weights, intercept = fit_logistic(np.array(xs), np.array(ys, dtype=float))
    model = {"intercept": intercept, **{f: float(w) for f, w in zip(grouping.GROUP_FEATURES, weights)}}
    trial = dataclasses.replace(calibration, grouping=model)
    results = []
    for gate in GATES:
        scores, _ = score(articles, gold, trial, dataclasses.replace(config, gate=gate))
        results.append((scores.f1, gate))
    log("  grouping gate " + "  ".join(f"{g:g}:{f:.3f}" for f, g in results))
    top = max(f for f, _ in results)
    plateau = [g for f, g in results if f >= top - 0.002]
    return model, plateau[len(plateau) // 2]

"""``reader calibrate``: fit the alignment's model-dependent values on a benchmark half, once.

1. Read the corpus (the dev half of ``corpora/dev`` by default) and embed it (cached).
2. From its span gold, every pair of sentences of two reports of one event that share
   no claim is a non-match: the language means and the per-language-pair backgrounds of
   ``reader.align.calibration`` come from them.
3. The thresholds (``GRID``) are chosen by coordinate ascent on F1 of sentence pairs,
   with every event of the half aligned in one run (as a user's mixed inbox would be).
4. The calibration is written with the model id; ``reader align`` uses it from then on.

Only the dev half is for fitting: measure on the test half with ``reader eval``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from reader.align import Calibration, effective_config, fit
from reader.align.types import DocVectors
from reader.errors import ReaderError
from reader.eval import evaluate
from reader.model import Report
from reader.settings import AlignConfig

# The fitted fields and the values tried, in the order coordinate ascent visits them.
GRID: dict[str, tuple[float, ...]] = {
    "link": (-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0),
    "support_slack": (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0),
    "anchor_slack": (0.0, 0.5, 1.0, 1.5, 2.0, 3.0),
    "join_slack": (0.0, 0.5, 1.0, 2.0),
    "join_gain": (0.0, 0.5, 1.0, 2.0),
    "document_gate": (-1.0, -0.1, 0.0, 0.05, 0.1, 0.15, 0.2),
    "event_days": (3, 5, 7, 10, 14, 30),
    "complete": (0, 1),
}
ROUNDS = 2
TIE = 0.002  # F1 differences below this are noise on a benchmark of this size


@dataclass
class Bench:
    """A corpus read, segmented and embedded once, so that many alignments of it cost little."""

    report: Report  # documents only (no claims)
    vectors: np.ndarray
    tokens: list[np.ndarray] | None
    gold_path: Path
    model_id: str
    facts: dict = field(default_factory=dict)  # sentence id -> facts, read once (the facts stage)

    def doc_vectors(self, config: AlignConfig) -> list[DocVectors]:
        from reader import pipeline

        return pipeline.doc_vectors(list(self.report.documents), self.vectors, self.tokens, config.min_words,
                                    self.facts)

    def score(self, config: AlignConfig, calibration: Calibration | None) -> tuple[evaluate.Scores, Report]:
        from reader import pipeline

        claims, unmatched, _ = pipeline.align_documents(list(self.report.documents), self.vectors, config,
                                                        self.tokens, calibration, self.model_id, self.facts)
        report = dataclasses.replace(self.report, claims=tuple(claims), unmatched=unmatched)
        gold = evaluate.load_gold(self.gold_path, report)
        return evaluate.score(report, gold), report


def load_bench(corpus: Path, gold_path: Path, settings, parts, progress=None, extra: list[Path] | None = None) -> Bench:
    """Read and embed ``corpus`` (and ``extra`` folders) with the run's embedder and cache."""
    from reader import pipeline
    from reader.embed import embed_with_tokens_cached, make_embedder
    from reader.progress import no_progress
    from reader.store import Store

    problems: list[str] = []
    documents = pipeline.read_documents([corpus, *(extra or [])], lambda e: problems.append(e.message))
    if problems:
        raise ReaderError(problems[0], hint="every file of a benchmark must read")
    if not documents:
        raise ReaderError(f"{corpus}: no articles")
    parts.store = parts.store or Store(settings.store_path)
    if parts.embedder is None:
        parts.embedder = make_embedder(settings, progress or no_progress)
    texts = [s.text for d in documents for s in d.sentences]
    vectors, tokens = embed_with_tokens_cached(texts, parts.embedder, parts.store, progress or no_progress)
    report = Report(documents=tuple(documents), claims=(), unmatched=())
    return Bench(report, vectors, tokens, gold_path, getattr(parts.embedder, "model_id", "?"),
                 parts.facts.by_sentence(documents))


def negatives(bench: Bench) -> np.ndarray:
    """[n, 2] global sentence numbers of pairs from two reports of one event that share no claim."""
    gold = evaluate.load_gold(bench.gold_path, bench.report)
    if not gold.events:
        raise ReaderError(f"{bench.gold_path}: calibration needs span gold (events and claims per sentence)")
    labels = gold.sentence_claims
    number, event = {}, {}
    n = 0
    for doc in bench.report.documents:
        for s in doc.sentences:
            number[s.id] = n
            n += 1
            event[s.id] = gold.events.get(doc.id)
    ids = [sid for sid in number if event[sid] is not None]
    out = []
    for i, a in enumerate(ids):
        da = a.rpartition(":")[0]
        for b in ids[i + 1:]:
            if event[a] == event[b] and b.rpartition(":")[0] != da and not (labels[a] & labels[b]):
                out.append((number[a], number[b]))
    return np.asarray(out, dtype=np.int64).reshape(-1, 2)


def _scoring(bench: Bench, calibration: Calibration, config: AlignConfig):
    """(documents as alignment sees them, their centred vectors, a scorer over single sentences,
    the gold): what fitting the pair model and the same-event model both start from."""
    from reader.align import candidates as cand
    from reader.align.linking import unique_names
    from reader.align.scoring import NAME_KINDS, Scorer

    docs = bench.doc_vectors(config)
    vectors = cand.centred(docs, calibration)
    units = cand.build_units(docs, vectors, joins=False)
    scorer = Scorer(docs, units, calibration, config, [unique_names(d.anchors, NAME_KINDS) for d in docs])
    return docs, vectors, scorer, evaluate.load_gold(bench.gold_path, bench.report)


def _compared(bench: Bench, docs, vectors, config: AlignConfig, gold: evaluate.Gold) -> list[tuple[int, int]]:
    """Every pair of gold documents alignment would consider (published within ``event_days``),
    whatever their mean vectors say."""
    from reader.align import candidates as cand

    ids = [d.id for d in bench.report.documents]
    return [(da, db) for da, db in cand.document_pairs(docs, vectors, dataclasses.replace(config, document_gate=-1.0))
            if ids[da] in gold.events and ids[db] in gold.events]


def pair_model(bench: Bench, calibration: Calibration, config: AlignConfig) -> dict[str, float]:
    """The logistic pair model, fitted on every pair of alignable sentences of two reports that are
    compared (published within ``event_days``): two reports of one event, and of two events, whose
    pairs are all non-matches."""
    from reader.align.scoring import FEATURES, fit_logistic

    docs, vectors, scorer, gold = _scoring(bench, calibration, config)
    documents = bench.report.documents
    xs, ys = [], []
    for da, db in _compared(bench, docs, vectors, config, gold):
        features, _ = scorer.features(da, db)
        ok = np.outer(_alignable(docs[da]), _alignable(docs[db]))
        la = [gold.sentence_claims[s.id] for s in documents[da].sentences]
        lb = [gold.sentence_claims[s.id] for s in documents[db].sentences]
        match = np.array([[bool(x & y) for y in lb] for x in la])
        xs.append(features[ok])
        ys.append(match[ok])
    weights, intercept = fit_logistic(np.concatenate(xs), np.concatenate(ys).astype(float))
    return {"intercept": intercept, **{f: float(w) for f, w in zip(FEATURES, weights)}}


def event_model(bench: Bench, calibration: Calibration, config: AlignConfig) -> dict[str, float]:
    """The logistic same-event model of ``reader.align.documents``, fitted on every pair of
    documents that alignment would consider (published within ``event_days``), labelled by
    whether the gold puts them in one event."""
    from reader.align.documents import EVENT_FEATURES, document_means, event_features
    from reader.align.scoring import fit_logistic

    docs, vectors, scorer, gold = _scoring(bench, calibration, config)
    means = document_means(vectors)
    ids = [d.id for d in bench.report.documents]
    xs, ys = [], []
    for da, db in _compared(bench, docs, vectors, config, gold):
        xs.append(event_features(scorer, means, da, db))
        ys.append(gold.events[ids[da]] == gold.events[ids[db]])
    if not xs or len(set(ys)) < 2:
        raise ReaderError(f"{bench.gold_path}: the event model needs pairs of reports of one event and of two")
    weights, intercept = fit_logistic(np.array(xs), np.array(ys, dtype=float))
    return {"intercept": intercept, **{f: float(w) for f, w in zip(EVENT_FEATURES, weights)}}


def _with_grouping(bench: Bench, calibration: Calibration, log: Callable[[str], None]) -> Calibration:
    """The calibration with batch's event grouping model and gate fitted on the bench."""
    from reader.eval import grouping

    gold = evaluate.load_gold(bench.gold_path, bench.report)
    articles = grouping.signals(bench.report.documents, bench.vectors, bench.facts)
    model, gate = grouping.fit(articles, gold.events, calibration, log=log)
    log("  grouping model: " + ", ".join(f"{k} {v:+.2f}" for k, v in model.items()) + f"; gate {gate:g}")
    return dataclasses.replace(calibration, grouping=model, config={**calibration.config, "group_gate": gate})


def _alignable(doc) -> np.ndarray:
    return np.ones(len(doc.vectors), dtype=bool) if doc.alignable is None else np.asarray(doc.alignable, dtype=bool)


def calibrate(bench: Bench, about: str, log: Callable[[str], None] = lambda line: None,
              also: list[Bench] | tuple[Bench, ...] = ()) -> Calibration:
    """Backgrounds from the bench's non-matches, the pair model, then thresholds by coordinate ascent
    on F1 (the mean of the bench's and each of ``also``'s: the sample corpus by default, so that a
    plateau of the benchmark is not chosen at the cost of the gold a user first meets)."""
    base_config = AlignConfig()
    docs = bench.doc_vectors(base_config)
    calibration = fit.fitted(docs, negatives(bench), bench.model_id, about)
    calibration = dataclasses.replace(calibration, model=pair_model(bench, calibration, base_config))
    log("  pair model: " + ", ".join(f"{k} {v:+.2f}" for k, v in calibration.model.items()))
    calibration = dataclasses.replace(calibration, events=event_model(bench, calibration, base_config))
    log("  event model: " + ", ".join(f"{k} {v:+.2f}" for k, v in calibration.events.items()))
    values = {k: getattr(base_config, k) for k in GRID}
    for round_ in range(ROUNDS):
        changed = False
        for name, grid in GRID.items():
            results = []
            for value in grid:
                trial = dataclasses.replace(calibration, config={**values, name: value})
                scores, _ = bench.score(effective_config(base_config, trial), trial)
                f1 = float(np.mean([scores.f1] + [b.score(effective_config(base_config, trial), trial)[0].f1
                                                  for b in also]))
                results.append((f1, -abs(value - values[name]), value, scores))
            # the middle of the values that score within TIE of the best: a plateau's centre is
            # the robust choice, its edge the fitted one
            top = max(r[0] for r in results)
            plateau = [r for r in results if r[0] >= top - TIE]
            f1, _, value, scores = plateau[len(plateau) // 2]
            log(f"  round {round_ + 1} {name:<16} " + "  ".join(f"{v:g}:{r[0]:.3f}" for r, v in
                                                               zip(results, grid)) + f"  -> {value:g}")
            if value != values[name]:
                values[name], changed = value, True
        if not changed:
            break
    final = dataclasses.replace(calibration, config=values)
    final = _with_grouping(bench, final, log)
    scores, _ = bench.score(effective_config(base_config, final), final)
    summary = (f"{about}; fitted {date.today().isoformat()}: P {scores.precision:.3f} R {scores.recall:.3f} "
               f"F1 {scores.f1:.3f} on it; " + ", ".join(f"{k}={v:g}" for k, v in final.config.items()))
    return dataclasses.replace(final, about=summary)

"""Phase 2: how likely two sentences of two reports state the same claim.

Every sentence of one report is scored against every sentence of the other (for the
pairs of documents ``candidates`` lets through), from evidence that depends on those
two documents and the model's calibration alone:

* ``token_z``: token coverage (``coverage.py``), BERTScore-style across languages: a
  short claim inside a long sentence that says three things is found, where mean
  pooling dilutes it; as a *z* against the non-matching pairs of the same two languages
  (``calibration.py``), so Hindi-Arabic and German-French pairs meet one scale;
* ``cosine_z``: the centred sentence cosine, the same way;
* ``margin_a``/``margin_b``/``margin_min``: how far the pair stands above the next best
  sentence of the other report, from either side: within one story every sentence is
  about the same thing, and what marks the right partner is that it beats the others
  (the idea of margin scoring, Artetxe & Schwenk 2019, inside one pair of reports);
* ``anchors``: the weighted overlap of known names (idf over the two documents),
  ``shared_figures`` (numbers and dates both state) and ``unique_name`` (a name only
  these two sentences mention in their reports). Figures that *differ* are no evidence
  against a pair: a differing figure is what the comparison of facts is there to flag.
  (Shared figures still cost the discrepancy suite: a changed figure loses the bonus; see
  docs/alignment.md for the figures of both choices.)
* ``position_gap`` and ``both_leads``: where the sentences sit in their reports (order
  is no rule in news, but it is evidence);
* ``shared_names`` and ``name_conflict``: the entities both reports name (``reader.names``
  skeletons, so Google/Гугл/غوغل meet) that the two sentences share, or that each names
  without the other (Apple's reaction against Google's, in two rulings of one day);
* ``same_language``;
* ``document_match``: how well the two reports match as a whole (each sentence's best
  token z in the other report, averaged over both): the right partner in a report of
  another story still beats its neighbours, so margins alone would link two stories.

A logistic model over these (fitted by ``reader calibrate`` on the dev half, stored in
the calibration) turns them into log-odds: the score every later phase uses.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

import numpy as np

from reader.align.calibration import Background, Calibration
from reader.align.coverage import TokenCoverage
from reader.align.types import DocVectors, Units
from reader.settings import AlignConfig

FEATURES = ("token_z", "cosine_z", "margin_a", "margin_b", "margin_min", "anchors", "shared_figures",
            "position_gap", "both_leads", "same_language", "unique_name", "document_match",
            "shared_names", "name_conflict")
_AT = {name: i for i, name in enumerate(FEATURES)}
NAME_KINDS = ("place:", "name:")  # a place of the exonym file; "name:" a quoted name, by skeleton
# Used where a calibration carries no pair model (an uncalibrated embedding model): the
# multilingual-e5-small fit, rounded; the features are z-normalised, so it carries over roughly.
DEFAULT_MODEL: dict[str, float] = {
    "intercept": -4.0, "token_z": 0.7, "cosine_z": -0.2, "margin_a": 1.0, "margin_b": 1.1, "margin_min": -1.0,
    "anchors": 0.5, "shared_figures": 1.2, "position_gap": -2.4, "both_leads": 0.9,
    "same_language": -0.2, "unique_name": 1.0, "document_match": 0.5, "shared_names": 0.5, "name_conflict": -0.5,
}


class Scorer:
    def __init__(self, docs: list[DocVectors], units: Units, calibration: Calibration, config: AlignConfig,
                 unique: list[dict[str, int]] | None = None) -> None:
        self.docs, self.units, self.calibration, self.config = docs, units, calibration, config
        self.tokens: TokenCoverage | None = None
        if config.token_scores and docs and all(d.tokens is not None for d in docs):
            self.tokens = TokenCoverage(
                tokens=[t for d in docs for t in d.tokens or ()],
                langs=[d.lang for d in docs for _ in d.tokens or ()],
                unit_first=units.single_start[units.doc] + units.first,
                unit_size=units.size,
                mean_of=lambda lang: calibration.mean(lang, tokens=True),
            )
        model = calibration.model or DEFAULT_MODEL
        self.weights = np.array([float(model.get(f, 0.0)) for f in FEATURES])
        self.intercept = float(model.get("intercept", 0.0))
        self.unique = unique or [{} for _ in docs]
        self._counts = [Counter(a for s in d.anchors or () for a in s) for d in docs]
        self._matrices: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def background(self, da: int, db: int) -> Background:
        return self.calibration.background(self.docs[da].lang, self.docs[db].lang, tokens=self.tokens is not None)

    def raw_z(self, rows: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Token-coverage z (or centred-cosine z without token vectors) of (unit, sentence) pairs."""
        rows, targets = np.asarray(rows, dtype=np.int64), np.asarray(targets, dtype=np.int64)
        if not len(rows):
            return np.zeros(0)
        if self.tokens is not None:
            raw = self.tokens.scores(rows, targets)
        else:
            raw = np.einsum("ij,ij->i", self.units.vectors[rows], self.units.vectors[targets]).astype(float)
        da, db = self.units.doc[rows], self.units.doc[targets]
        bgs = [self.background(a, b) for a, b in zip(da.tolist(), db.tolist())]
        return (raw - np.array([b.median for b in bgs])) / np.array([b.spread for b in bgs])

    def matrix(self, da: int, db: int) -> tuple[np.ndarray, np.ndarray]:
        """(log-odds, token z) of every sentence of ``da`` against every sentence of ``db``."""
        if (da, db) in self._matrices:
            return self._matrices[(da, db)]
        if (db, da) in self._matrices:
            logit, z = self._matrices[(db, da)]
            return logit.T, z.T
        features, z = self.features(da, db)
        logit = features @ self.weights + self.intercept
        self._matrices[(da, db)] = (logit, z)
        return logit, z

    def features(self, da: int, db: int) -> tuple[np.ndarray, np.ndarray]:
        """[n_a, n_b, len(FEATURES)] features and the [n_a, n_b] token z of two documents."""
        units, docs = self.units, self.docs
        a, b = units.singles_of(da), units.singles_of(db)
        na, nb = len(a), len(b)
        if self.tokens is not None:
            token_bg = self.background(da, db)
            z = (self.tokens.block(int(units.single_start[da]), na, int(units.single_start[db]), nb)
                 - token_bg.median) / token_bg.spread
        else:
            r, t = np.meshgrid(a, b, indexing="ij")
            z = self.raw_z(r.ravel(), t.ravel()).reshape(na, nb)
        bg = self.calibration.background(docs[da].lang, docs[db].lang)
        cosine_z = ((units.vectors[a] @ units.vectors[b].T) - bg.median) / bg.spread
        margin_a = z - _second_best(z, axis=1)
        margin_b = z - _second_best(z, axis=0)
        out = np.zeros((na, nb, len(FEATURES)))
        at = _AT
        out[..., at["token_z"]], out[..., at["cosine_z"]] = z, cosine_z
        out[..., at["margin_a"]], out[..., at["margin_b"]] = margin_a, margin_b
        out[..., at["margin_min"]] = np.minimum(margin_a, margin_b)
        pos_a = np.arange(na) / max(na, 1)
        pos_b = np.arange(nb) / max(nb, 1)
        out[..., at["position_gap"]] = np.abs(pos_a[:, None] - pos_b[None, :])
        if na and nb:
            out[0, 0, at["both_leads"]] = 1.0
        out[..., at["same_language"]] = float(bool(docs[da].lang) and docs[da].lang == docs[db].lang)
        anchors_a, anchors_b = docs[da].anchors, docs[db].anchors
        if anchors_a is not None and anchors_b is not None:
            weight = self._idf(da, db)
            names_a, figures_a = _split_anchors(anchors_a)
            names_b, figures_b = _split_anchors(anchors_b)
            out[..., at["anchors"]] = _weighted_jaccard_matrix(names_a, names_b, weight)
            out[..., at["shared_figures"]] = _overlap_matrix(figures_a, figures_b)
        for name in sorted(self.unique[da].keys() & self.unique[db].keys()):
            out[self.unique[da][name], self.unique[db][name], at["unique_name"]] = 1.0
        out[..., _AT["document_match"]] = (z.max(axis=1).mean() + z.max(axis=0).mean()) / 2.0
        if docs[da].keys is not None and docs[db].keys is not None:
            self._name_features(docs[da].keys, docs[db].keys, out)
        return out, z

    @staticmethod
    def _name_features(keys_a, keys_b, out: np.ndarray) -> None:
        """Entities both documents name (a name on at least one side, or a word of three letters or
        more in two scripts without case), per sentence; then shared and conflicting ones per pair."""
        def every(keys) -> tuple[set[str], set[str]]:
            names, words = set(), set()
            for n, w in keys:
                names |= n
                words |= w
            return names, words

        names_a, words_a = every(keys_a)
        names_b, words_b = every(keys_b)
        entities = (names_a & (names_b | words_b)) | (names_b & words_a)
        entities |= {w for w in words_a & words_b if len(w) >= 3}
        if not entities:
            return
        ents_a = [(n | w) & entities for n, w in keys_a]
        ents_b = [(n | w) & entities for n, w in keys_b]
        for i, ea in enumerate(ents_a):
            if not ea:
                continue
            for j, eb in enumerate(ents_b):
                if eb:
                    shared = len(ea & eb)
                    out[i, j, _AT["shared_names"]] = min(shared, 3)
                    out[i, j, _AT["name_conflict"]] = float(not shared)

    def _idf(self, da: int, db: int) -> Mapping[str, float]:
        n = len(self.docs[da].vectors) + len(self.docs[db].vectors)
        counts = self._counts[da] + self._counts[db]
        return {x: math.log((1 + n) / (1 + c)) + 1.0 for x, c in counts.items()}

    def pair(self, u: int, t: int) -> float:
        """The log-odds of two single sentences (unit ids); -inf for sentences of one document."""
        da, db = int(self.units.doc[u]), int(self.units.doc[t])
        if da == db:
            return -math.inf
        logit, _ = self.matrix(da, db)
        return float(logit[int(self.units.first[u]), int(self.units.first[t])])

    def pairs(self, items: list[tuple[int, int]]) -> list[float]:
        return [self.pair(u, t) for u, t in items]


def _second_best(z: np.ndarray, axis: int) -> np.ndarray:
    """For each cell, the best score among the other cells of its row (axis=1) or column (axis=0);
    0 (the median of non-matches) where there is no other cell."""
    n = z.shape[axis]
    if n < 2:
        return np.zeros_like(z)
    order = np.sort(z, axis=axis)
    top = np.take(order, [-1], axis=axis)
    second = np.take(order, [-2], axis=axis)
    return np.where(z >= top, second, top)


def _split_anchors(anchors: tuple[frozenset[str], ...]) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """Each sentence's anchors as (names, figures and dates)."""
    names = [frozenset(x for x in a if x.startswith(NAME_KINDS)) for a in anchors]
    return names, [a - n for a, n in zip(anchors, names)]


def _incidence(sets: list[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(sets), len(vocabulary)))
    for i, items in enumerate(sets):
        for x in items:
            if x in vocabulary:
                out[i, vocabulary[x]] = 1.0
    return out


def _overlap_matrix(a: list[frozenset[str]], b: list[frozenset[str]]) -> np.ndarray:
    """[len(a), len(b)] sizes of the pairwise intersections."""
    shared = sorted(frozenset().union(*a) & frozenset().union(*b)) if a and b else []
    if not shared:
        return np.zeros((len(a), len(b)))
    vocabulary = {x: k for k, x in enumerate(shared)}
    return _incidence(a, vocabulary) @ _incidence(b, vocabulary).T


def _weighted_jaccard_matrix(a: list[frozenset[str]], b: list[frozenset[str]], weight: Mapping[str, float]) -> np.ndarray:
    """[len(a), len(b)] weighted Jaccard of every pair of sets (the vocabulary in sorted order, so
    the sums do not depend on set order, which changes with the hash seed)."""
    out = np.zeros((len(a), len(b)))
    if not a or not b:
        return out
    vocabulary = {x: k for k, x in enumerate(sorted(frozenset().union(*a) | frozenset().union(*b)))}
    if not vocabulary:
        return out
    w = np.array([weight.get(x, 1.0) for x in sorted(vocabulary, key=vocabulary.get)])
    ia, ib = _incidence(a, vocabulary), _incidence(b, vocabulary)
    shared = (ia * w) @ ib.T
    union = (ia @ w)[:, None] + (ib @ w)[None, :] - shared
    np.divide(shared, union, out=out, where=union > 0)
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (IRLS): weights and intercept."""
    n, k = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(k + 1)
    penalty = np.eye(k + 1) * l2
    penalty[-1, -1] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ w, -30, 30)))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])

"""Whether two reports tell the same story: a calibrated model over the two documents alone.

Reports of two events of one week share a place, a court or a leader, and within each
pair of reports every sentence still has a *best* partner, so sentence evidence alone
links two stories (the Apple and Google rulings of one court on one day; an earthquake
and its aftershock in the same province two weeks later). Before any sentence of two
documents is linked, the pair of documents is judged as a whole:

* ``document_match``: each sentence's best token z in the other report, averaged over
  both sides (reports of one story state the same claims, so most sentences find a
  partner well above the non-matching background);
* ``top_match``: the mean of the three best of those (two stories of one kind share
  a few boilerplate sentences, but not their leads);
* ``linked_share``: the share of sentences whose best partner scores above even odds
  in the pair model;
* ``cosine``: the cosine of the two documents' centred mean sentence vectors;
* ``days_apart``: ``log(1 + days)`` between the publication dates (0 when either is
  unknown): follow-ups of a story come days later, a new event of the same kind later.

A logistic model over these, fitted by ``reader calibrate`` on the dev half's pairs of
documents (same event or not, from the gold), gives log-odds; a pair is compared when
they reach ``AlignConfig.event_gate``. Every input is a function of the two documents and
the calibration, so the decision for a pair does not move with the rest of the run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from reader.align.scoring import Scorer

EVENT_FEATURES = ("document_match", "top_match", "linked_share", "cosine", "days_apart")
# Used where a calibration has no event model: the multilingual-e5-small fit on the dev half, rounded.
DEFAULT_EVENT_MODEL: dict[str, float] = {
    "intercept": -5.0, "document_match": 2.4, "top_match": -0.2, "linked_share": 3.7, "cosine": 1.8,
    "days_apart": -1.6,
}
TOP = 3


def event_features(scorer: Scorer, means: np.ndarray, da: int, db: int) -> np.ndarray:
    """The features of ``EVENT_FEATURES`` for documents ``da`` and ``db`` (rows of ``means``: each
    document's centred mean vector, normalised)."""
    logit, z = scorer.matrix(da, db)
    out = np.zeros(len(EVENT_FEATURES))
    if z.size:
        best_a, best_b = z.max(axis=1), z.max(axis=0)
        out[0] = (best_a.mean() + best_b.mean()) / 2.0
        out[1] = (np.sort(best_a)[-TOP:].mean() + np.sort(best_b)[-TOP:].mean()) / 2.0
        out[2] = ((logit.max(axis=1) > 0).mean() + (logit.max(axis=0) > 0).mean()) / 2.0
    out[3] = float(means[da] @ means[db])
    a, b = scorer.docs[da].published, scorer.docs[db].published
    out[4] = math.log1p(abs(a.toordinal() - b.toordinal())) if a and b else 0.0
    return out


def event_logit(features: np.ndarray, model: Mapping[str, float] | None) -> float:
    """Log-odds that two documents report the same event."""
    model = model or DEFAULT_EVENT_MODEL
    weights = np.array([float(model.get(f, 0.0)) for f in EVENT_FEATURES])
    return float(features @ weights + float(model.get("intercept", 0.0)))


def document_means(vectors: list[np.ndarray]) -> np.ndarray:
    """Each document's centred mean sentence vector, normalised (zeros for an empty document)."""
    dim = next((v.shape[1] for v in vectors if v.ndim == 2 and v.shape[0]), 1)
    out = np.zeros((len(vectors), dim), dtype=np.float32)
    for d, v in enumerate(vectors):
        if len(v):
            m = v.mean(axis=0)
            out[d] = m / max(float(np.linalg.norm(m)), 1e-12)
    return out

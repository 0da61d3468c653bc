"""Phase 1: the vectors to compare, and which pairs of documents are worth comparing.

Everything here is computed per document or per pair of documents, from the model's
calibration and those documents alone, so what two documents are compared on is the
same whatever else is in the run (the invariance the GUIDE asks for):

1. *Centring*: each sentence vector loses its language's calibrated mean.
2. *Units*: every sentence, and every join of two adjacent sentences (its vector the
   length-weighted mean of the two, renormalised: mean pooling of the concatenation
   without a second pass through the model). Joins find a sentence of one report that
   covers two of another (bertalign's "overlaps").
3. *Document pairs*: two documents are compared when their centred mean vectors stand
   above ``document_gate`` (a faiss range search, so no matrix of all pairs is built)
   and they were published within ``event_days`` of each other; reports of one story are
   close, unrelated ones are skipped, so a run of many stories does not cost the square
   of its size in sentence pairs.

Within a compared pair of documents every sentence meets every sentence (``scoring``).
"""

from __future__ import annotations

import numpy as np

from reader.align.calibration import Calibration
from reader.align.types import DocVectors, Units
from reader.settings import AlignConfig


def normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def centred(docs: list[DocVectors], calibration: Calibration) -> list[np.ndarray]:
    """Each document's sentence vectors less its language's mean, renormalised."""
    out = []
    for d in docs:
        v = np.asarray(d.vectors, dtype=np.float32)
        mean = calibration.mean(d.lang)
        out.append(normalise(v - mean) if len(v) and mean is not None else v)
    return out


def build_units(docs: list[DocVectors], vectors: list[np.ndarray], joins: bool) -> Units:
    dim = next((v.shape[1] for v in vectors if v.ndim == 2 and v.shape[0]), 1)
    counts = np.array([len(v) for v in vectors], dtype=np.int64)
    n_single = int(counts.sum())
    single_start = np.cumsum(counts) - counts
    join_counts = np.where(counts >= 2, counts - 1, 0) if joins else np.zeros_like(counts)
    join_start = n_single + np.cumsum(join_counts) - join_counts
    doc_ids = [np.full(n, d, dtype=np.int64) for d, n in enumerate(counts)]
    firsts = [np.arange(n, dtype=np.int64) for n in counts]
    sizes = [np.ones(n, dtype=np.int64) for n in counts]
    rows = [v.reshape(-1, dim) for v in vectors]
    for d, (dv, v) in enumerate(zip(docs, vectors)):
        n = int(join_counts[d])
        if not n:
            continue
        w = np.ones(len(v), dtype=np.float32) if dv.weights is None else np.asarray(dv.weights, dtype=np.float32)
        rows.append(normalise(v[:-1] * w[:-1, None] + v[1:] * w[1:, None]))
        doc_ids.append(np.full(n, d, dtype=np.int64))
        firsts.append(np.arange(n, dtype=np.int64))
        sizes.append(np.full(n, 2, dtype=np.int64))
    matrix = np.concatenate(rows) if rows else np.zeros((0, dim), np.float32)
    return Units(
        doc=np.concatenate(doc_ids) if doc_ids else np.zeros(0, np.int64),
        first=np.concatenate(firsts) if firsts else np.zeros(0, np.int64),
        size=np.concatenate(sizes) if sizes else np.zeros(0, np.int64),
        vectors=np.ascontiguousarray(matrix, dtype=np.float32),
        n_single=n_single,
        single_start=single_start,
        join_start=join_start,
        join_count=join_counts,
    )


def alignable_units(docs: list[DocVectors], units: Units) -> np.ndarray:
    """A unit is alignable when all its sentences are (headings, furniture and fragments are not)."""
    flags = np.concatenate([
        np.ones(len(d.vectors), dtype=bool) if d.alignable is None else np.asarray(d.alignable, dtype=bool)
        for d in docs
    ] or [np.zeros(0, dtype=bool)])
    global_first = units.single_start[units.doc] + units.first
    out = flags[global_first].copy()
    for extra in range(1, int(units.size.max(initial=1))):
        more = units.size > extra
        out[more] &= flags[global_first[more] + extra]
    return out


def document_pairs(docs: list[DocVectors], vectors: list[np.ndarray], config: AlignConfig) -> list[tuple[int, int]]:
    """The pairs of documents worth comparing: published close enough, and not about opposite things.

    A faiss range search over the documents' centred mean vectors finds every pair above
    ``document_gate`` without a matrix of all pairs; the dates then drop pairs too far apart.
    """
    import faiss

    live = [d for d, v in enumerate(vectors) if len(v)]
    if len(live) < 2:
        return []
    means = normalise(np.stack([vectors[d].mean(axis=0) for d in live]))
    index = faiss.IndexFlatIP(means.shape[1])
    index.add(means)
    limits, _, found = index.range_search(means, float(config.document_gate))
    ordinal = [docs[d].published.toordinal() if docs[d].published else None for d in live]
    pairs = set()
    for q in range(len(live)):
        for hit in found[limits[q]:limits[q + 1]].tolist():
            if hit <= q:
                continue
            a, b = ordinal[q], ordinal[hit]
            if a is not None and b is not None and abs(a - b) > config.event_days:
                continue
            pairs.add((live[q], live[hit]))
    return sorted(pairs)

"""Fitting a calibration: language means, then the backgrounds of non-matching pairs.

``fitted`` is what ``reader calibrate`` stores: non-matching pairs come from gold
(two reports of one event, sentences that share no claim: the hard negatives a
threshold must separate from true pairs). ``adhoc`` stands in for a model that has no
calibration: means from the run's own sentences and, as background, a fixed random
sample of sentence pairs from different documents of the run (mostly non-matching).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from reader.align import candidates as cand
from reader.align.calibration import Calibration, backgrounds, language_means
from reader.align.coverage import TokenCoverage
from reader.align.types import DocVectors

SAMPLE_PAIRS = 20_000


def _means_only(docs: list[DocVectors], model_id: str) -> Calibration:
    sentence = language_means((d.vectors for d in docs), (d.lang for d in docs))
    token = language_means((t for d in docs for t in d.tokens or ()),
                           (d.lang for d in docs for _ in d.tokens or ()))
    overall = np.concatenate([d.vectors for d in docs if len(d.vectors)]).mean(axis=0).astype(np.float32)
    for d in docs:  # a language with too few sentences for a mean of its own takes the mean of all
        sentence.setdefault(d.lang, overall)
    return Calibration(model_id, sentence, token, {}, {}, fitted=False)


def _with_backgrounds(base: Calibration, docs: list[DocVectors], pairs: np.ndarray, about: str,
                      config: Mapping[str, float] | None, fitted: bool) -> Calibration:
    """``pairs``: [n, 2] global sentence numbers of non-matching pairs."""
    vectors = cand.centred(docs, base)
    units = cand.build_units(docs, vectors, joins=False)
    langs = np.array([d.lang for d in docs])[units.doc]
    a, b = pairs[:, 0], pairs[:, 1]
    cosines = np.einsum("ij,ij->i", units.vectors[a], units.vectors[b])
    sentence_bg = backgrounds(langs[a], langs[b], cosines)
    token_bg = {}
    if docs and all(d.tokens is not None for d in docs) and len(pairs):
        coverage = TokenCoverage(
            tokens=[t for d in docs for t in d.tokens or ()], langs=[d.lang for d in docs for _ in d.tokens or ()],
            unit_first=units.single_start[units.doc] + units.first, unit_size=units.size,
            mean_of=lambda lang: base.mean(lang, tokens=True),
        )
        token_bg = backgrounds(langs[a], langs[b], coverage.scores(a, b))
    return Calibration(base.model_id, base.sentence_means, base.token_means, sentence_bg, token_bg,
                       config=dict(config or {}), about=about, fitted=fitted)


def adhoc(docs: list[DocVectors], model_id: str) -> Calibration:
    """A stand-in calibration from the run itself (not invariant: it moves with the run's documents)."""
    base = _means_only(docs, model_id)
    starts = np.cumsum([0] + [len(d.vectors) for d in docs])
    total = int(starts[-1])
    doc_of = np.repeat(np.arange(len(docs)), [len(d.vectors) for d in docs])
    rng = np.random.default_rng(0)
    a = rng.integers(0, max(total, 1), SAMPLE_PAIRS * 2)
    b = rng.integers(0, max(total, 1), SAMPLE_PAIRS * 2)
    keep = (doc_of[a] != doc_of[b]) if total else np.zeros(0, dtype=bool)
    pairs = np.stack([a[keep], b[keep]], axis=1)[:SAMPLE_PAIRS] if total else np.zeros((0, 2), np.int64)
    return _with_backgrounds(base, docs, pairs, "ad hoc: from the run's own documents", None, fitted=False)


def fitted(docs: list[DocVectors], negatives: np.ndarray, model_id: str, about: str,
           config: Mapping[str, float] | None = None) -> Calibration:
    """A calibration from labelled data: ``negatives`` [n, 2] are global sentence numbers of pairs
    from two documents of one event that share no claim."""
    base = _means_only(docs, model_id)
    if len(negatives) > SAMPLE_PAIRS * 5:
        pick = np.sort(np.random.default_rng(0).choice(len(negatives), SAMPLE_PAIRS * 5, replace=False))
        negatives = negatives[pick]
    return _with_backgrounds(base, docs, negatives, about, config, fitted=True)

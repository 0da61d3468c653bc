"""Group articles into events from what they report: pure, numpy (and faiss) only.

An *event* is one story covered by one or more articles, in any languages. No list of
people or places is involved: two articles are judged by a calibrated logistic model
(``reader calibrate`` fits it on the benchmark's dev half, per embedding model) over

* ``best_mean``, ``best_top``, ``best_share``: each sentence's best match in the other
  article, as a *z* of the centred sentence cosine against the non-matching pairs of the
  two languages (the alignment calibration's backgrounds): averaged, the three best, and
  the share above ``STRONG``. Reports of one story state the same claims;
* ``cosine``: of the two articles' centred mean vectors;
* ``days_apart``: ``log(1 + days)`` between publication dates (0 when one is unknown);
* ``shared_names``: ``log(1 + n)`` for the names both mention, as transliteration keys
  (``reader.names``: Japarov, Жапаров, جاباروف and जापारोव meet), a name in a script
  with case against any word of a script without;
* ``shared_figures``: ``log(1 + n)`` for the figures and dates both state, normalised by
  the facts stage (€13bn, 13 milliards d'euros and १३ अरब यूरो are one value): reports of
  one story repeat its numbers, two rulings of one court on one day do not share them.

Every feature is a function of the two articles and the calibration. Pairs published more
than ``max_days`` apart are never linked, and no event spans more than ``max_days``.
Clusters merge by *average linkage*, strongest pair first: two clusters join when the mean
log-odds over all their cross pairs reaches ``gate`` (an unscored pair counts as
``UNSCORED``), so one strong pair cannot chain two stories together.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from reader.settings import EventConfig

__all__ = ["ArticleSignal", "EventConfig", "Grouping", "GROUP_FEATURES", "DEFAULT_GROUP_MODEL", "group",
           "group_calibrated", "pair_features", "group_logit", "centred", "effective", "scored_pairs",
           "calibrated_inputs"]

GROUP_FEATURES = ("best_mean", "best_top", "best_share", "cosine", "days_apart", "shared_names", "shared_figures")
# A prior for an embedding model without a calibration, whose vectors are read against a
# background of (0, 0.1): names and figures shared carry the decision, the vectors add to it.
# (The multilingual-e5-small fit leans on the vectors instead: see its calibration file.)
DEFAULT_GROUP_MODEL: dict[str, float] = {
    "intercept": -2.5, "best_mean": 0.2, "best_top": 0.0, "best_share": 1.0, "cosine": 1.0, "days_apart": -1.0,
    "shared_names": 2.0, "shared_figures": 1.0,
}
STRONG = 3.0  # a sentence "has a partner" when its best z reaches this
TOP = 3
UNSCORED = -10.0  # log-odds of a pair never scored (outside the date window or the prefilter)


@dataclass(frozen=True)
class ArticleSignal:
    """What grouping needs to know about one article."""

    key: str  # stable identity (content hash, path and position)
    lang: str
    published: date | None
    names: frozenset[str]  # transliteration keys of its names (a script with case) or words (without)
    vectors: np.ndarray  # [n, d] L2-normalised sentence vectors (n may be 0)
    figures: frozenset[str] = frozenset()  # normalised figures and dates it states ("13000000000 EUR", "2024-09-10")


@dataclass(frozen=True)
class Grouping:
    events: tuple[tuple[int, ...], ...]  # article indices per event; events ordered by their first member
    links: dict[tuple[int, int], float] = field(default_factory=dict)  # scored pairs: log-odds


Backgrounds = Mapping[tuple[str, str], tuple[float, float]]  # (lang, lang) -> (median, spread)


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def centred(vectors: np.ndarray, mean: np.ndarray | None) -> np.ndarray:
    """Sentence vectors less their language's calibrated mean, renormalised."""
    v = np.asarray(vectors, dtype=np.float32)
    if not len(v) or mean is None:
        return v
    return _normalise(v - mean)


def pair_features(a: ArticleSignal, b: ArticleSignal, va: np.ndarray, vb: np.ndarray,
                  background: tuple[float, float]) -> np.ndarray:
    """``GROUP_FEATURES`` of two articles, from their centred vectors ``va`` and ``vb``."""
    out = np.zeros(len(GROUP_FEATURES))
    if len(va) and len(vb):
        median, spread = background
        z = (va @ vb.T - median) / max(spread, 1e-6)
        best_a, best_b = z.max(axis=1), z.max(axis=0)
        out[0] = (best_a.mean() + best_b.mean()) / 2.0
        out[1] = (np.sort(best_a)[-TOP:].mean() + np.sort(best_b)[-TOP:].mean()) / 2.0
        out[2] = ((best_a >= STRONG).mean() + (best_b >= STRONG).mean()) / 2.0
        ma, mb = va.mean(axis=0), vb.mean(axis=0)
        out[3] = float(ma @ mb / max(float(np.linalg.norm(ma) * np.linalg.norm(mb)), 1e-12))
    if a.published and b.published:
        out[4] = math.log1p(abs((a.published - b.published).days))
    out[5] = math.log1p(len(a.names & b.names))
    out[6] = math.log1p(len(a.figures & b.figures))
    return out


def group_logit(features: np.ndarray, model: Mapping[str, float] | None) -> float:
    model = model or DEFAULT_GROUP_MODEL
    weights = np.array([float(model.get(f, 0.0)) for f in GROUP_FEATURES])
    return float(features @ weights + float(model.get("intercept", 0.0)))


def _days_apart(a: date | None, b: date | None) -> int:
    return 0 if a is None or b is None else abs((a - b).days)


def candidates(articles: Sequence[ArticleSignal], vectors: Sequence[np.ndarray], config: EventConfig) -> list[tuple[int, int]]:
    """Pairs inside the date window whose mean vectors stand above ``config.prefilter`` (a faiss
    range search, so an inbox of one busy day does not cost the square of its size)."""
    import faiss

    live = [i for i, v in enumerate(vectors) if len(v)]
    pairs: set[tuple[int, int]] = set()
    if len(live) >= 2:
        means = _normalise(np.stack([vectors[i].mean(axis=0) for i in live]))
        index = faiss.IndexFlatIP(means.shape[1])
        index.add(means)
        limits, _, found = index.range_search(means, float(config.prefilter))
        for q in range(len(live)):
            for hit in found[limits[q]:limits[q + 1]].tolist():
                if hit > q:
                    pairs.add((live[q], live[hit]))
    empty = [i for i, v in enumerate(vectors) if not len(v)]  # no sentences to prefilter on: names and dates only
    pairs |= {(min(i, j), max(i, j)) for i in empty for j in range(len(articles)) if j != i}
    return sorted((i, j) for i, j in pairs
                  if _days_apart(articles[i].published, articles[j].published) <= config.max_days)


def scored_pairs(articles: Sequence[ArticleSignal], means: Mapping[str, np.ndarray] | None,
                 backgrounds: Backgrounds | None, config: EventConfig) -> Iterator[tuple[tuple[int, int], np.ndarray]]:
    """``GROUP_FEATURES`` of every candidate pair (:func:`candidates`), on vectors centred with
    ``means``; a pair of languages without a background is read against (0, 0.1)."""
    means = means or {}
    vectors = [centred(a.vectors[: config.max_sentences], means.get(a.lang)) for a in articles]
    # the prefilter reads centred vectors; uncentred ones share a language component that says nothing
    window = config if means else replace(config, prefilter=-1.0)
    for i, j in candidates(articles, vectors, window):
        bg = (backgrounds or {}).get((articles[i].lang, articles[j].lang), (0.0, 0.1))
        yield (i, j), pair_features(articles[i], articles[j], vectors[i], vectors[j], bg)


def group(articles: Sequence[ArticleSignal], means: Mapping[str, np.ndarray] | None = None,
          backgrounds: Backgrounds | None = None, model: Mapping[str, float] | None = None,
          config: EventConfig = EventConfig()) -> Grouping:
    """Partition articles into events (each article in exactly one).

    ``means`` (language -> mean sentence vector) and ``backgrounds`` ((lang, lang) ->
    (median, spread) of non-matching cosines) come from the embedding model's calibration;
    without them vectors are used as they are, against a background of (0, 0.1).
    """
    n = len(articles)
    if n == 0:
        return Grouping(events=())
    logits = {pair: group_logit(features, model) for pair, features in scored_pairs(articles, means, backgrounds, config)}

    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    root = list(range(n))
    span: dict[int, tuple[date | None, date | None]] = {i: (a.published, a.published) for i, a in enumerate(articles)}

    def linkage(x: int, y: int) -> float:
        total = math.fsum(logits.get((min(p, q), max(p, q)), UNSCORED) for p in members[x] for q in members[y])
        return total / (len(members[x]) * len(members[y]))

    for (i, j), logit in sorted(logits.items(), key=lambda kv: (-kv[1], kv[0])):
        if logit < config.gate:
            break
        x, y = root[i], root[j]
        if x == y:
            continue
        dates = [d for d in (*span[x], *span[y]) if d is not None]
        if dates and (max(dates) - min(dates)).days > config.max_days:
            continue
        if linkage(x, y) < config.gate:
            continue
        keep, gone = min(x, y), max(x, y)
        members[keep] += members.pop(gone)
        for m in members[keep]:
            root[m] = keep
        span[keep] = (min(dates), max(dates)) if dates else (None, None)
        del span[gone]

    events = tuple(tuple(sorted(m)) for _, m in sorted(members.items(), key=lambda kv: min(kv[1])))
    return Grouping(events=tuple(sorted(events, key=lambda e: e[0])), links=logits)


def effective(config: EventConfig, calibration) -> EventConfig:
    """``config`` with the calibration's fitted ``gate`` where the config keeps the default."""
    fitted = (getattr(calibration, "config", None) or {}).get("group_gate")
    if fitted is None or config.gate != EventConfig().gate:
        return config
    return replace(config, gate=float(fitted))


def group_calibrated(articles: Sequence[ArticleSignal], calibration, config: EventConfig = EventConfig()) -> Grouping:
    """:func:`group` with the language means, backgrounds, model and gate of an alignment
    calibration (``reader.align.calibration.Calibration``), or plain vectors without one."""
    if calibration is None:
        return group(articles, config=config)
    means, backgrounds = calibrated_inputs(articles, calibration)
    return group(articles, means, backgrounds, calibration.grouping or None, effective(config, calibration))


def calibrated_inputs(articles: Sequence[ArticleSignal], calibration) -> tuple[dict[str, np.ndarray], Backgrounds]:
    """The language means and the backgrounds of every pair of the articles' languages, from an
    alignment calibration."""
    langs = sorted({a.lang for a in articles})
    means = {lang: m for lang in langs if (m := calibration.mean(lang)) is not None}
    backgrounds = {(x, y): (b.median, b.spread) for x in langs for y in langs
                   for b in (calibration.background(x, y),)}
    return means, backgrounds

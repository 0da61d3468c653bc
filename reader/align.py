"""Order-free, many-to-many alignment of claims across N reports (pure: vectors in, claims out).

News reports of one event are comparable, not parallel: claims come in any
order and many appear in one outlet only. So, unlike bitext aligners, nothing
here assumes monotone order:

1. *Centring*: each language's mean vector is subtracted before comparing
   (Libovický et al., 2020). This model's raw cosines sit in a narrow band
   (0.80-0.90 for related and unrelated pairs alike) because language identity
   and the shared topic dominate; what is left after centring is what a
   sentence says beyond them.
2. *Units*: every sentence, and every join of two adjacent sentences (its
   vector the length-weighted mean of the two, renormalised: mean pooling of
   the concatenation, without a second pass through the model). Joins find a
   sentence of one report that covers two of another (bertalign's "overlaps").
3. *Candidates*: one faiss inner-product index over all sentences; each unit
   asks for its nearest sentences, and hits in its own document are dropped.
4. *Score*: when the embedder gives contextual token vectors (e5 does), sentence
   cosine only proposes: a pair whose centred cosine stands ``prefilter_z``
   spreads above its background (or that shares a rare name) is scored by token
   coverage, BERTScore-style across languages: tokens are centred per language,
   each token of one side takes its best match on the other, and the better
   covered side's mean is the score. Mean pooling dilutes a claim that sits inside
   a long sentence saying three things ("trade hit a record, 97% of settlements are
   in national currencies, Russia is a key partner"); coverage does not. On the
   gold this took F1 from 0.906 (sentence cosine) to 0.947 at the same ``z``, and
   the sweep around it is flat where sentence cosine had a sharp peak. Without token
   vectors the centred cosine is the score. Either way a small bonus is added for
   shared names, numbers and dates (idf-weighted, so "Russia" counts for little).
   Margin scoring (Artetxe & Schwenk, distance form; ``knn_weight``) applies to
   sentence cosine only and is off: ``reader eval --sweep`` prints both.
5. *Thresholds* come from the run's own score distribution: a link must stand
   ``z`` robust standard deviations above the median of the candidate pairs' scores
   (with a floor). Same-language pairs must be near-paraphrases, documents
   published far apart (different events) link only on near-paraphrase, and a
   name that each of two reports mentions exactly once (a lexical anchor: a
   known person, place or organisation, or a short quoted name such as
   «Ынтымак Ордо» matched by its consonant skeleton) lowers the bar for that pair.
   The defaults were calibrated on the gold of the sample corpus (``reader eval
   --sweep`` prints the grid).
6. *Linking*, per pair of documents: competitive linking (best score first,
   each sentence used once per pair), which contains mutual-nearest-neighbour
   matching; a join must beat its single sentences and both halves must nearly
   pass alone. An anchored pair may reuse a sentence already linked: a sentence
   that says two things ("arrived at Yntymak Ordo, where Japarov met him") is
   then in two claims, its first one the primary.
7. *Claims*: links merge greedily (best first) into claims with at most one
   member per document; a member is one sentence or up to three adjacent ones.
   Then a member grows into a free adjacent sentence that passes the threshold
   alone against another member of its claim (one long sentence against three).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from reader.coverage import TokenCoverage

Member = tuple[int, tuple[int, ...]]  # (document index, sentence indices)


@dataclass(frozen=True)
class AlignConfig:
    center: bool = True  # subtract each language's mean vector before comparing
    center_min: int = 5  # fewer sentences than this in a language: subtract the mean of all sentences
    anchor_weight: float = 0.1  # weight of shared names, numbers and dates in a pair's score
    anchor_floor: float = 0.4  # anchor similarity below this adds nothing (common names are no evidence)
    knn_weight: float = 0.0  # margin scoring: minus this times the mean cosine to the k nearest (0: plain cosine)
    k: int = 4  # neighbours averaged for the margin
    candidates: int = 12  # nearest sentences fetched per unit, per other document on average
    z: float = 3.75  # a link must stand this many robust std devs above the run's background…
    min_score: float = 0.25  # …and above this floor
    join_gain: float = 0.12  # a join must beat its best single sentence by this much…
    join_slack: float = 0.08  # …and each of its sentences alone must score within this of the threshold
    joins: bool = True
    max_member: int = 3  # sentences in one member at most
    extend: bool = True  # a member takes in a free neighbour that passes alone against another member
    event_days: int = 30  # documents published further apart are different events…
    cross_event_cosine: float = 0.75  # …and link only on near-paraphrase (centred cosine)
    same_language_cosine: float = 0.60  # within one language a true pair is a near-paraphrase
    unique_name_z: float = 0.5  # a pair sharing a name each document mentions once needs only this
    token_scores: bool = True  # score candidates by token coverage when documents carry token vectors
    prefilter_z: float = 2.0  # …for candidates whose sentence cosine stands this many spreads above its background
    token_background_pairs: int = 20_000  # candidate pairs sampled for the token scores' background


@dataclass(frozen=True)
class DocVectors:
    vectors: np.ndarray  # [n, d], L2-normalised rows
    weights: np.ndarray | None = None  # [n] lengths used to weight joins (tokens or characters)
    published: date | None = None
    lang: str = ""
    anchors: tuple[frozenset[str], ...] | None = None  # per sentence: names, numbers, dates (canonical)
    tokens: tuple[np.ndarray, ...] | None = None  # per sentence: contextual token vectors [tokens, d]
    alignable: np.ndarray | None = None  # [n] bool: False for headings, furniture, fragments


@dataclass(frozen=True)
class Link:
    a: Member
    b: Member
    cosine: float  # of the (centred) vectors
    score: float  # what linking used: cosine + anchors - neighbourhood
    anchored: bool = False  # the two sentences share a name only they mention: may be a sentence's second claim


@dataclass(frozen=True)
class AlignedClaim:
    members: tuple[Member, ...]  # sorted by document index
    score: float  # mean cosine of the links that built it
    links: tuple[Link, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Alignment:
    claims: tuple[AlignedClaim, ...]
    links: tuple[Link, ...]
    thresholds: dict[str, float]


@dataclass
class _Units:
    doc: np.ndarray  # [U] document index of each unit
    first: np.ndarray  # [U] first sentence index
    size: np.ndarray  # [U] 1 for a sentence, 2 for a join
    vectors: np.ndarray  # [U, d]
    anchors: list[dict[str, float]]  # [U] anchor -> weight (idf)
    single_of: dict[tuple[int, int], int]  # (doc, sentence) -> unit id of the single

    def member(self, u: int) -> Member:
        first = int(self.first[u])
        return int(self.doc[u]), tuple(range(first, first + int(self.size[u])))


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def _centred(docs: list[DocVectors], config: AlignConfig) -> list[np.ndarray]:
    """Remove what every sentence of a language shares (language identity, house style).

    Cross-lingual cosines of this model sit in a narrow band because the
    language component dominates; subtracting each language's mean vector
    (Libovický et al., 2020) leaves the meaning. A language with too few
    sentences for a stable mean uses the mean of all sentences instead.
    """
    vectors = [np.asarray(d.vectors, dtype=np.float32) for d in docs]
    if not config.center:
        return vectors
    everything = np.concatenate([v for v in vectors if len(v)])
    overall = everything.mean(axis=0)
    by_lang: dict[str, list[np.ndarray]] = defaultdict(list)
    for d, v in zip(docs, vectors):
        if len(v):
            by_lang[d.lang].append(v)
    means = {}
    for lang, parts in by_lang.items():
        rows = np.concatenate(parts)
        means[lang] = rows.mean(axis=0) if len(rows) >= config.center_min else overall
    return [_normalise(v - means[d.lang]) if len(v) else v for d, v in zip(docs, vectors)]


def _idf(docs: list[DocVectors]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for d in docs:
        for anchors in d.anchors or ():
            total += 1
            for a in anchors:
                counts[a] += 1
    return {a: float(np.log((1 + total) / (1 + c))) + 1.0 for a, c in counts.items()}


def _build_units(docs: list[DocVectors], vectors: list[np.ndarray], joins: bool) -> _Units:
    idf = _idf(docs)
    doc_ids, firsts, sizes, vecs, anchors = [], [], [], [], []
    single_of: dict[tuple[int, int], int] = {}

    def anchor_weights(d: DocVectors, idx: range) -> dict[str, float]:
        if d.anchors is None:
            return {}
        return {a: idf[a] for i in idx for a in d.anchors[i]}

    for d, (dv, v) in enumerate(zip(docs, vectors)):
        for i in range(len(v)):
            single_of[(d, i)] = len(doc_ids)
            doc_ids.append(d)
            firsts.append(i)
            sizes.append(1)
            anchors.append(anchor_weights(dv, range(i, i + 1)))
        vecs.append(v)
    for d, (dv, v) in enumerate(zip(docs, vectors)):
        n = len(v)
        if not joins or n < 2:
            continue
        w = np.ones(n, dtype=np.float32) if dv.weights is None else np.asarray(dv.weights, dtype=np.float32)
        vecs.append(_normalise(v[:-1] * w[:-1, None] + v[1:] * w[1:, None]))
        for i in range(n - 1):
            doc_ids.append(d)
            firsts.append(i)
            sizes.append(2)
            anchors.append(anchor_weights(dv, range(i, i + 2)))
    dim = next((v.shape[1] for v in vecs if v.ndim == 2 and v.shape[0]), 1)
    matrix = np.concatenate([v.reshape(-1, dim) for v in vecs]) if vecs else np.zeros((0, dim), np.float32)
    return _Units(
        doc=np.asarray(doc_ids, dtype=np.int64),
        first=np.asarray(firsts, dtype=np.int64),
        size=np.asarray(sizes, dtype=np.int64),
        vectors=np.ascontiguousarray(matrix, dtype=np.float32),
        anchors=anchors,
        single_of=single_of,
    )


def _anchor_similarity(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted Jaccard of two anchor sets (idf weights: a rare name counts more than "Russia")."""
    if not a or not b:
        return 0.0
    # fsum: exact, so the score does not depend on set order (which changes with the hash seed)
    shared = math.fsum(w for k, w in a.items() if k in b)
    union = math.fsum(a.values()) + math.fsum(w for k, w in b.items() if k not in a)
    return shared / union


@dataclass
class _Candidates:
    """Pairs (unit, sentence of another document) that may pass a threshold, with their scores."""

    rows: np.ndarray
    targets: np.ndarray
    cosines: np.ndarray
    scores: np.ndarray

    def subset(self, keep: np.ndarray) -> "_Candidates":
        return _Candidates(self.rows[keep], self.targets[keep], self.cosines[keep], self.scores[keep])


class _Searcher:
    """faiss inner-product search over all sentences, one block of query units at a time.

    Each unit gets its nearest sentences of *other* documents: enough hits to survive
    dropping its own document, and a few per other document (capped, so a large corpus
    costs per-unit work that does not grow with the number of documents).
    """

    def __init__(self, units: _Units, alignable: np.ndarray, n_single: int, n_docs: int, largest: int,
                 config: AlignConfig) -> None:
        import faiss

        self.units, self.alignable, self.config = units, alignable, config
        self.index = faiss.IndexFlatIP(units.vectors.shape[1])
        self.index.add(units.vectors[:n_single])
        self.want = min(n_single, largest + max(config.k, config.candidates * min(max(1, n_docs - 1), 16)))

    def _search(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """faiss hits of the units in ``query``, and which of them lie in another document."""
        u = self.units
        cos, ids = self.index.search(u.vectors[query], self.want)
        other = (ids >= 0) & (u.doc[np.maximum(ids, 0)] != u.doc[query][:, None])
        return cos, ids, other

    def block(self, query: np.ndarray) -> _Candidates:
        """Every candidate of the units in ``query`` (their ids), scored without anchors."""
        cos, ids, valid = self._search(query)
        neighbourhood = self._knn(cos, valid) if self.config.knn_weight else None
        valid &= self.alignable[query][:, None] & self.alignable[np.maximum(ids, 0)]
        r, col = np.nonzero(valid)
        targets, cosines = ids[r, col], cos[r, col].astype(float)
        scores = cosines.copy()
        if neighbourhood is not None:
            scores -= self.config.knn_weight * (neighbourhood[r] + self.knn_single[targets]) / 2.0
        return _Candidates(query[r], targets, cosines, scores)

    def _knn(self, cos: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """Mean cosine of each query to its k nearest sentences of other documents."""
        top = -np.sort(-np.where(valid, cos, -np.inf), axis=1)[:, : self.config.k]
        finite = np.isfinite(top)
        return np.where(finite, top, 0.0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)

    def neighbourhoods(self, n_single: int, block: int) -> None:
        """Margin scoring needs every sentence's neighbourhood before any pair is scored."""
        self.knn_single = np.zeros(n_single)
        for i in range(0, n_single, block):
            query = np.arange(i, min(i + block, n_single))
            cos, _, other = self._search(query)
            self.knn_single[query] = self._knn(cos, other)


def _token_coverage(docs: list[DocVectors], units: _Units) -> TokenCoverage:
    first_of_doc = np.cumsum([0] + [len(d.vectors) for d in docs])[:-1]
    return TokenCoverage(
        tokens=[t for d in docs for t in d.tokens or ()],
        langs=[d.lang for d in docs for _ in d.tokens or ()],
        unit_first=first_of_doc[units.doc] + units.first,
        unit_size=units.size,
    )


def _sample_pairs(candidates: list[_Candidates], size: int) -> tuple[np.ndarray, np.ndarray]:
    """A fixed random subset of those candidates: the token scores' background."""
    rows = np.concatenate([c.rows for c in candidates] or [np.zeros(0, np.int64)])
    targets = np.concatenate([c.targets for c in candidates] or [np.zeros(0, np.int64)])
    if len(rows) > size:
        pick = np.sort(np.random.default_rng(0).choice(len(rows), size, replace=False))
        rows, targets = rows[pick], targets[pick]
    return rows, targets


def _share_unique_name(names: np.ndarray, rows: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Whether each (unit, sentence) pair shares a name that only those sentences of their documents mention."""
    a, b = names[rows], names[targets]
    return ((a[:, :, None] == b[:, None, :]) & (a[:, :, None] >= 0)).any(axis=(1, 2))


def _statistics_sample(units: _Units, n_single: int, size: int = 20_000) -> np.ndarray:
    """The sentences whose candidates set the background: all of them, or a fixed random sample."""
    if n_single <= size:
        return np.arange(n_single)
    return np.sort(np.random.default_rng(0).choice(n_single, size, replace=False))


def align(docs: list[DocVectors], config: AlignConfig = AlignConfig(), block: int = 4096) -> Alignment:
    """Claims shared by two or more documents; see the module docstring for the method.

    Memory stays bounded by ``block``: candidates are searched block by block and only those
    that can still pass a threshold are kept.
    """
    n_single = sum(len(d.vectors) for d in docs)
    if n_single == 0 or len(docs) < 2:
        return Alignment((), (), {})
    units = _build_units(docs, _centred(docs, config), config.joins)
    alignable = np.ones(len(units.doc), dtype=bool)
    for u in range(len(units.doc)):
        d = docs[int(units.doc[u])]
        if d.alignable is not None:
            first, size = int(units.first[u]), int(units.size[u])
            alignable[u] = bool(np.all(d.alignable[first : first + size]))
    searcher = _Searcher(units, alignable, n_single, len(docs), max(len(d.vectors) for d in docs), config)
    if config.knn_weight:
        searcher.neighbourhoods(n_single, block)

    # The background comes from the candidates of single sentences (all, or a large sample).
    sample = _statistics_sample(units, n_single)
    tokens = _token_coverage(docs, units) if config.token_scores and all(d.tokens is not None for d in docs) else None
    background = [searcher.block(sample[i : i + block]) for i in range(0, len(sample), block)]
    thresholds = _thresholds(np.concatenate([c.scores for c in background] or [np.zeros(0)]), config)
    # Sentence cosine only proposes candidates; the token scores decide. Their background
    # comes from a fixed random sample of the same candidates the sentence background used.
    pairs = _sample_pairs(background, config.token_background_pairs) if tokens is not None else None
    del background  # the sample's candidates are not needed past this point
    prefilter = -np.inf
    if tokens is not None and pairs is not None:
        if np.isfinite(thresholds["spread"]):
            prefilter = thresholds["background"] + config.prefilter_z * thresholds["spread"]
        thresholds = {
            **_thresholds(tokens.scores(*pairs), config),
            "sentence_background": thresholds["background"],
            "sentence_spread": thresholds["spread"],
            "prefilter": prefilter,
        }
    # Only pairs that can still pass are kept (the bulk cannot): those near the threshold, and
    # those above the lower bar of the unique-name rule that share such a name.
    unique = [_unique_names(d) for d in docs]
    names = _unique_name_table(units, unique)
    lower = thresholds["score"]
    if np.isfinite(thresholds["spread"]):
        lower = min(lower, thresholds["background"] + config.unique_name_z * thresholds["spread"])
    kept: list[_Candidates] = []
    for i in range(0, len(units.doc), block):
        cand = searcher.block(np.arange(i, min(i + block, len(units.doc))))
        if tokens is not None:
            cand = cand.subset((cand.scores >= prefilter) | _share_unique_name(names, cand.rows, cand.targets))
            cand.scores = tokens.scores(cand.rows, cand.targets)
        near = cand.scores + config.anchor_weight >= thresholds["score"]
        maybe = ~near & (cand.scores >= lower)
        if maybe.any():
            near[np.flatnonzero(maybe)[_share_unique_name(names, cand.rows[maybe], cand.targets[maybe])]] = True
        kept.append(cand.subset(near))
    rows = np.concatenate([k.rows for k in kept])
    targets = np.concatenate([k.targets for k in kept])
    pair_cos = np.concatenate([k.cosines for k in kept])
    score = np.concatenate([k.scores for k in kept])
    anchor = np.array(
        [_anchor_similarity(units.anchors[r], units.anchors[t]) for r, t in zip(rows.tolist(), targets.tolist())]
    )
    if anchor.size:
        anchor = np.clip((anchor - config.anchor_floor) / max(1e-9, 1.0 - config.anchor_floor), 0.0, 1.0)
        score = score + config.anchor_weight * anchor

    published = [d.published for d in docs]
    by_pair: dict[tuple[int, int], list[tuple[int, int, float, float]]] = defaultdict(list)
    single_score: dict[tuple[int, int], float] = {}
    for r, t, c, m in zip(rows.tolist(), targets.tolist(), pair_cos.tolist(), score.tolist()):
        if units.size[r] == 1:
            key = _key(r, t)
            single_score[key] = max(single_score.get(key, -np.inf), m)
        da, db = int(units.doc[r]), int(units.doc[t])
        by_pair[_key(da, db)].append((r, t, c, m))

    links: list[Link] = []
    passing: dict[tuple[int, int], tuple[float, float]] = {}  # single pairs that pass on their own
    for (da, db), cands in by_pair.items():
        floor = thresholds["score"]
        min_cosine = -np.inf
        if _different_events(published[da], published[db], config.event_days):
            min_cosine = config.cross_event_cosine
        if docs[da].lang and docs[da].lang == docs[db].lang:
            min_cosine = max(min_cosine, config.same_language_cosine)
        if min_cosine > -np.inf:
            cands = [cand for cand in cands if cand[2] >= min_cosine]
        anchored: set[tuple[int, int]] = set()
        if min_cosine == -np.inf and np.isfinite(thresholds["spread"]):
            lower = thresholds["background"] + config.unique_name_z * thresholds["spread"]
            cands, anchored = _lift_unique_names(units, (da, unique[da]), (db, unique[db]), cands, floor, lower)
        passing.update({_key(r, t): (c, m) for r, t, c, m in cands if m >= floor and units.size[r] == 1})
        links += _competitive_links(units, cands, single_score, floor, config, anchored)

    claims = _merge(links, config.max_member)
    if config.extend:
        claims = _extend(_merge_blocks(claims, units, passing, config.max_member), units, alignable, passing,
                         config.max_member)
    return Alignment(tuple(claims), tuple(links), thresholds)


NAME_KINDS = ("person:", "place:", "org:", "name:")  # "name:": a quoted name, by skeleton


def _unique_names(doc: DocVectors) -> dict[str, int]:
    """Names (people, places, organisations) that exactly one sentence of the document mentions."""
    where: dict[str, list[int]] = defaultdict(list)
    for i, anchors in enumerate(doc.anchors or ()):
        for a in anchors:
            if a.startswith(NAME_KINDS):
                where[a].append(i)
    return {a: s[0] for a, s in where.items() if len(s) == 1}


def _unique_name_table(units: _Units, unique: list[dict[str, int]], width: int = 4) -> np.ndarray:
    """[units, width] ids of the names only that sentence of its document mentions (-1: none)."""
    table = np.full((len(units.doc), width), -1, dtype=np.int64)
    ids: dict[str, int] = {}
    for d, names in enumerate(unique):
        for name, i in names.items():
            u = units.single_of[(d, i)]
            free = np.flatnonzero(table[u] < 0)
            if free.size:
                table[u, free[0]] = ids.setdefault(name, len(ids))
    return table


def _lift_unique_names(
    units: _Units,
    a: tuple[int, dict[str, int]],
    b: tuple[int, dict[str, int]],
    cands: list[tuple[int, int, float, float]],
    floor: float,
    lower: float,
) -> tuple[list[tuple[int, int, float, float]], set[tuple[int, int]]]:
    """Lexical anchors: a name that each of two reports mentions in one sentence only (Lukashenko,
    St Petersburg, «Ынтымак Ордо») ties those sentences together, so they need less semantic
    evidence: a score above ``lower`` (the background plus a few spreads) lifts the pair to
    the threshold. Returns the candidates and the anchored pairs (those that reach ``lower``).
    """
    (da, ua), (db, ub) = a, b
    pairs = {
        _key(units.single_of[(da, ua[name])], units.single_of[(db, ub[name])]) for name in ua.keys() & ub.keys()
    }
    if not pairs:
        return cands, set()
    out, anchored = [], set()
    for r, t, c, m in cands:
        if _key(r, t) in pairs and m >= lower:
            anchored.add(_key(r, t))
            m = max(m, floor)
        out.append((r, t, c, m))
    return out, anchored


def _thresholds(scores: np.ndarray, config: AlignConfig) -> dict[str, float]:
    """Link threshold from this run's background: robust centre + z robust spreads, with a floor."""
    if scores.size < 8:
        return {"score": config.min_score, "background": float("nan"), "spread": float("nan")}
    centre = float(np.median(scores))
    spread = float(1.4826 * np.median(np.abs(scores - centre)))
    return {
        "score": max(config.min_score, centre + config.z * spread),
        "background": centre,
        "spread": spread,
    }


def _different_events(a: date | None, b: date | None, days: int) -> bool:
    return a is not None and b is not None and abs((a - b).days) > days


def _competitive_links(
    units: _Units,
    cands: list[tuple[int, int, float, float]],
    single_score: dict[tuple[int, int], float],
    floor: float,
    config: AlignConfig,
    anchored: AbstractSet[tuple[int, int]] = frozenset(),
) -> list[Link]:
    """Best-first 1:1 (or 1:2 with joins) linking inside one pair of documents.

    One exception to "each sentence once": an anchored pair (a name only those two sentences
    mention) whose one side is already linked still links, as that sentence's second claim.
    A sentence can say two things ("Putin arrived at Yntymak Ordo, where Japarov met him"):
    its arrival matches one report's arrival, its venue another sentence's talks there.
    """
    best: dict[tuple[int, int], tuple[float, float]] = {}
    for r, t, c, m in cands:
        if m >= floor and best.get((r, t), (0.0, -np.inf))[1] < m:
            best[(r, t)] = (c, m)
    used: set[tuple[int, int]] = set()
    out: list[Link] = []
    for (r, t), (c, m) in sorted(best.items(), key=lambda kv: -kv[1][1]):
        mem_r, mem_t = units.member(r), units.member(t)
        if len(mem_r[1]) > 1 and not _join_stands(units, mem_r, t, m, single_score, floor, config):
            continue
        sents = {(mem_r[0], i) for i in mem_r[1]} | {(mem_t[0], i) for i in mem_t[1]}
        second = _key(r, t) in anchored and len(sents & used) == 1 and len(sents) == 2
        if sents & used and not second:
            continue
        used |= sents
        out.append(Link(mem_r, mem_t, c, m, anchored=second))
    return out


def _join_stands(
    units: _Units,
    member: Member,
    target: int,
    score: float,
    single_score: dict[tuple[int, int], float],
    floor: float,
    config: AlignConfig,
) -> bool:
    """A join stands when both halves would pass alone (one sentence of one report covers two
    of another), or when it beats its best half by a clear gain while the weaker half nearly
    passes: both halves say part of the claim."""
    alone = [single_score.get(_key(units.single_of[(member[0], i)], target), -np.inf) for i in member[1]]
    both_pass = min(alone) >= floor
    gains = score >= max(alone) + config.join_gain and min(alone) >= floor - config.join_slack
    return both_pass or gains


def _key(a: int, b: int) -> tuple[int, int]:
    return (min(a, b), max(a, b))


def _contiguous(indices: set[int], limit: int) -> bool:
    return len(indices) <= limit and max(indices) - min(indices) + 1 == len(indices)


def _merge(links: list[Link], max_member: int) -> list[AlignedClaim]:
    """Greedy best-first clustering: a claim never holds two separate members of one document.

    Two claims merge through a link only if every document they share has the
    same member in both; a member grows (to adjacent sentences) only through a
    join link of its own document.
    """
    clusters: dict[int, dict[int, set[int]]] = {}
    cluster_links: dict[int, list[Link]] = {}
    owner: dict[tuple[int, int], int] = {}
    next_id = 0
    for link in sorted(links, key=lambda l: -l.score):
        found = {owner[(doc, i)] for doc, sents in (link.a, link.b) for i in sents if (doc, i) in owner}
        proposal: dict[int, set[int]] = {}
        clash = False
        for cid in found:
            for doc, sents in clusters[cid].items():
                if doc in proposal and proposal[doc] != sents:
                    clash = True
                proposal.setdefault(doc, set()).update(sents)
        for doc, sents in (link.a, link.b):
            proposal.setdefault(doc, set()).update(sents)
        if clash or not all(_contiguous(s, max_member) for s in proposal.values()):
            free = [(doc, i) for doc, sents in (link.a, link.b) for i in sents if (doc, i) not in owner]
            if link.anchored and free:  # the sentence's second claim, on its own
                cid = next_id
                next_id += 1
                clusters[cid] = {doc: set(sents) for doc, sents in (link.a, link.b)}
                cluster_links[cid] = [link]
                owner.update({key: cid for key in free})
            continue
        cid = next_id
        next_id += 1
        clusters[cid] = proposal
        cluster_links[cid] = [l for old in found for l in cluster_links.pop(old)] + [link]
        for old in found:
            del clusters[old]
        for doc, sents in proposal.items():
            for i in sents:
                owner[(doc, i)] = cid
    return sorted((_claim(members, cluster_links[cid]) for cid, members in clusters.items()), key=_position)


def _claim(members: dict[int, Iterable[int]], links: Iterable[Link]) -> AlignedClaim:
    """A claim of those members (document -> sentence indices), scored by the mean cosine of its links."""
    links = tuple(links)
    return AlignedClaim(
        members=tuple((d, tuple(sorted(idx))) for d, idx in sorted(members.items())),
        score=float(np.mean([l.cosine for l in links])),
        links=links,
    )


def _position(claim: AlignedClaim) -> tuple[int, int]:
    """Claims in reading order: by the first document they touch, then its first sentence."""
    return claim.members[0][0], claim.members[0][1][0]


def _extend(
    claims: list[AlignedClaim],
    units: _Units,
    alignable: np.ndarray,
    passing: dict[tuple[int, int], tuple[float, float]],
    max_member: int,
) -> list[AlignedClaim]:
    """Members grow into adjacent sentences that no claim holds, when such a sentence passes the
    threshold on its own against a sentence of another member of the same claim.

    Competitive linking gives each sentence one partner per pair of documents, and a join
    covers two sentences at most; a long sentence of one report that sums up three of
    another ("trade hit a record, investment grew, settlements are in roubles, Moscow is a key
    partner") keeps only its best match. This puts the others back, with the same bar as any link.
    """
    owned = {(d, i) for c in claims for d, idx in c.members for i in idx}
    out = []
    for claim in claims:
        members = {d: list(idx) for d, idx in claim.members}
        links = list(claim.links)
        while True:
            best: tuple[float, int, int, Link] | None = None
            for d, idx in members.items():
                if len(idx) >= max_member:
                    continue
                for s in (idx[0] - 1, idx[-1] + 1):
                    u = units.single_of.get((d, s))
                    if u is None or (d, s) in owned or not alignable[u]:
                        continue
                    for e, jdx in members.items():
                        for j in jdx if e != d else ():
                            hit = passing.get(_key(u, units.single_of[(e, j)]))
                            if hit and (best is None or hit[1] > best[0]):
                                best = (hit[1], d, s, Link((d, (s,)), (e, (j,)), hit[0], hit[1]))
            if best is None:
                break
            _, d, s, link = best
            members[d] = sorted(members[d] + [s])
            owned.add((d, s))
            links.append(link)
        out.append(_claim(members, links) if len(links) > len(claim.links) else claim)
    return out


def _merge_blocks(
    claims: list[AlignedClaim],
    units: _Units,
    passing: dict[tuple[int, int], tuple[float, float]],
    max_member: int,
) -> list[AlignedClaim]:
    """Two claims whose members sit side by side in every document they share, and that a
    passing link ties across documents, are one claim: a many-to-many block.

    Two sentences of one report against two of another, each saying half of both ("trade hit
    a record last year" + "investment reached two billion" against "in 2024 trade hit a record
    and investment keeps growing" + …), come out of one-to-one linking as two claims that
    split the block at a sentence either way would do; merged, the comparison sees it whole.
    """
    claims = list(claims)
    while True:
        owner = {(d, i): n for n, c in enumerate(claims) for d, idx in c.members for i in idx}
        best: tuple[float, int, int, Link] | None = None
        for x, claim in enumerate(claims):
            a = dict(claim.members)
            neighbours = {owner.get((d, i)) for d, idx in a.items() for i in (idx[0] - 1, idx[-1] + 1)}
            for y in sorted(n for n in neighbours if n is not None and n > x):
                b = dict(claims[y].members)
                shared = a.keys() & b.keys()
                if not all(len(a[d]) + len(b[d]) <= max_member and (a[d][-1] + 1 == b[d][0] or b[d][-1] + 1 == a[d][0])
                           for d in shared):
                    continue
                for d, i, e, j in ((d, i, e, j) for d in a for i in a[d] for e in b for j in b[e] if d != e):
                    hit = passing.get(_key(units.single_of[(d, i)], units.single_of[(e, j)]))
                    if hit and (best is None or hit[1] > best[0]):
                        best = (hit[1], x, y, Link((d, (i,)), (e, (j,)), hit[0], hit[1]))
        if best is None:
            return claims
        _, x, y, link = best
        members: dict[int, list[int]] = defaultdict(list)
        for d, idx in claims[x].members + claims[y].members:
            members[d] += idx
        merged = _claim(members, claims[x].links + claims[y].links + (link,))
        claims = sorted([c for n, c in enumerate(claims) if n not in (x, y)] + [merged], key=_position)

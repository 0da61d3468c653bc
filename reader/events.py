"""Group articles into events: pure, numpy only.

An *event* is one story covered by one or more articles, in any languages.
Three signals decide whether two articles report the same event:

1. **Publication dates** gate everything: two articles whose dates are more than
   ``max_days`` apart never share an event, and no event spans more than
   ``max_days`` (a constraint checked when clusters merge, so links cannot chain
   a story across weeks). Undated articles are compatible with any date.
2. **Shared names** (``facts.extract`` canonical values such as
   ``person:japarov``, equal across scripts): the IDF-weighted cosine of the two
   articles' name sets. Names every article mentions (Putin, Russia, Moscow in
   this corpus) weigh little; rarer ones (Japarov, Bishkek) carry the link.
3. **Sentence embeddings**: the symmetric "soft match" of the two articles'
   sentences (mean over each article's sentences of the best cosine in the
   other), after subtracting each language's mean vector (the global mean when
   a language has too few sentences). The raw vectors of multilingual-e5-small
   carry a strong language component (article-mean cosines sit in 0.92–0.98 for
   every pair of the sample corpus), so uncentred scores say little; within one
   language scores run higher, so a same-language pair pays ``same_language_offset``.

A pair links when ``name_weight * names + embed_weight * embedding >= threshold``;
links are merged strongest first (single linkage under the date-span limit).
Only pairs inside the date window that share a name (or where one side has no
names at all) are scored, so the cost follows the size of events, not the
square of the inbox.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from reader.settings import EventConfig

__all__ = ["ArticleSignal", "EventConfig", "Link", "Grouping", "group", "centred_vectors"]


@dataclass(frozen=True)
class ArticleSignal:
    """What grouping needs to know about one article."""

    key: str  # stable identity (content hash, path and position)
    lang: str
    published: date | None
    names: frozenset[str]  # canonical names: "person:japarov", "place:bishkek", …
    vectors: np.ndarray  # [n, d] L2-normalised sentence vectors (n may be 0)


@dataclass(frozen=True)
class Link:
    a: int
    b: int
    names: float
    embedding: float
    score: float


@dataclass(frozen=True)
class Grouping:
    events: tuple[tuple[int, ...], ...]  # article indices per event; events ordered by their first member
    links: tuple[Link, ...] = field(default=())  # every pair scored (for diagnostics), strongest first


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32)


def centred_vectors(articles: Sequence[ArticleSignal], center_min: int = 200) -> list[np.ndarray]:
    """Each article's sentence vectors minus its language's mean (or the global mean), renormalised."""
    nonempty = [a.vectors for a in articles if len(a.vectors)]
    if not nonempty:
        return [a.vectors for a in articles]
    overall = np.concatenate(nonempty).mean(axis=0)
    by_lang: dict[str, list[np.ndarray]] = defaultdict(list)
    for a in articles:
        if len(a.vectors):
            by_lang[a.lang].append(a.vectors)
    means = {}
    for lang, parts in by_lang.items():
        rows = np.concatenate(parts)
        means[lang] = rows.mean(axis=0) if len(rows) >= center_min else overall
    return [_normalise(a.vectors - means[a.lang]) if len(a.vectors) else a.vectors for a in articles]


def _idf(articles: Sequence[ArticleSignal]) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    for a in articles:
        for name in a.names:
            df[name] += 1
    n = len(articles)
    return {name: math.log((n + 1) / (count + 1)) + 0.1 for name, count in df.items()}


def name_similarity(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """IDF-weighted cosine of two name sets (0 when either is empty)."""
    if not a or not b:
        return 0.0
    # fsum: exact, so the result does not depend on set order (which changes with the hash seed)
    shared = math.fsum(idf.get(n, 1.0) ** 2 for n in a & b)
    if shared == 0:
        return 0.0
    na = math.sqrt(math.fsum(idf.get(n, 1.0) ** 2 for n in a))
    nb = math.sqrt(math.fsum(idf.get(n, 1.0) ** 2 for n in b))
    return float(shared / (na * nb))


def soft_match(a: np.ndarray, b: np.ndarray) -> float:
    """Mean best cosine of each side's sentences in the other, averaged over both sides."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    m = a @ b.T
    return float(0.5 * (m.max(axis=1).mean() + m.max(axis=0).mean()))


def _days_apart(a: date | None, b: date | None) -> int:
    if a is None or b is None:
        return 0
    return abs((a - b).days)


def _candidates(articles: Sequence[ArticleSignal], max_days: int) -> list[tuple[int, int]]:
    """Pairs inside the date window that share a name (or where a side has no names)."""
    by_name: dict[str, list[int]] = defaultdict(list)
    nameless: list[int] = []
    for i, a in enumerate(articles):
        if a.names:
            for n in a.names:
                by_name[n].append(i)
        else:
            nameless.append(i)
    pairs: set[tuple[int, int]] = set()
    for members in by_name.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    for i in nameless:
        for j in range(len(articles)):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return sorted(
        (i, j) for i, j in pairs if _days_apart(articles[i].published, articles[j].published) <= max_days
    )


def group(articles: Sequence[ArticleSignal], config: EventConfig = EventConfig()) -> Grouping:
    """Partition articles into events (each article in exactly one)."""
    n = len(articles)
    if n == 0:
        return Grouping(events=())
    idf = _idf(articles)
    vectors = [v[: config.max_sentences] for v in centred_vectors(articles, config.center_min)]
    links: list[Link] = []
    for i, j in _candidates(articles, config.max_days):
        names = name_similarity(articles[i].names, articles[j].names, idf)
        emb = soft_match(vectors[i], vectors[j])
        if articles[i].lang == articles[j].lang:
            emb -= config.same_language_offset
        score = config.name_weight * names + config.embed_weight * emb
        links.append(Link(i, j, round(names, 4), round(emb, 4), round(score, 4)))
    links.sort(key=lambda l: (-l.score, l.a, l.b))

    parent = list(range(n))
    lo = [a.published for a in articles]  # earliest date per cluster root
    hi = [a.published for a in articles]  # latest

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        if link.score < config.threshold:
            break
        ra, rb = find(link.a), find(link.b)
        if ra == rb:
            continue
        dates = [d for d in (lo[ra], hi[ra], lo[rb], hi[rb]) if d is not None]
        if dates and (max(dates) - min(dates)).days > config.max_days:
            continue
        root, child = min(ra, rb), max(ra, rb)
        parent[child] = root
        lo[root] = min(dates) if dates else None
        hi[root] = max(dates) if dates else None

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        clusters[find(i)].append(i)
    events = tuple(tuple(members) for _, members in sorted(clusters.items(), key=lambda kv: kv[1][0]))
    return Grouping(events=events, links=tuple(links))

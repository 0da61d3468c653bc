"""Phase 3: links between the sentences of one pair of documents.

Competitive linking (best log-odds first, each sentence used once per pair of
documents), which contains mutual-nearest-neighbour matching. A link needs ``link``.

A *join* (two adjacent sentences of one report against one of the other: one sentence
that says what the other report says in two) is offered when each half comes within
``join_slack`` of the bar, and stands when both halves pass alone or the join's token
coverage beats its better half's by ``join_gain``; it then outranks its halves.

A pair that shares a name only those two sentences mention in their reports
(Lukashenko, «Ынтымак Ордо» by its consonant skeleton) is *anchored*: when it is the
best pair of one of its sentences it needs only ``link - anchor_slack``, and it may reuse
a sentence already linked, as that sentence's second claim (a sentence can say two
things: "arrived at Yntymak Ordo, where Japarov met him").
"""

from __future__ import annotations

import numpy as np

from reader.align.scoring import Scorer
from reader.align.types import Link, Units, key
from reader.settings import AlignConfig

Candidate = tuple[int, int, float, float]  # (unit, sentence unit, centred cosine, log-odds)


def unique_names(anchors: tuple[frozenset[str], ...] | None, kinds: tuple[str, ...]) -> dict[str, int]:
    """Names (people, places, organisations, quoted names) that exactly one sentence of a document mentions."""
    where: dict[str, list[int]] = {}
    for i, found in enumerate(anchors or ()):
        for a in found:
            if a.startswith(kinds):
                where.setdefault(a, []).append(i)
    return {a: s[0] for a, s in where.items() if len(s) == 1}


def pair_candidates(
    scorer: Scorer, da: int, db: int, alignable: np.ndarray, config: AlignConfig
) -> tuple[list[Candidate], set[tuple[int, int]]]:
    """Single and join candidates of two documents that may pass, and the anchored pairs."""
    units = scorer.units
    logit, z = scorer.matrix(da, db)
    a, b = units.singles_of(da), units.singles_of(db)
    ok = alignable[a][:, None] & alignable[b][None, :]
    near = ok & (logit >= config.link - config.join_slack)
    cosines = units.vectors[a] @ units.vectors[b].T
    out: list[Candidate] = []
    for i, j in zip(*np.nonzero(near & (logit >= config.link))):
        out.append((int(a[i]), int(b[j]), float(cosines[i, j]), float(logit[i, j])))
    anchored = set()
    for name in sorted(scorer.unique[da].keys() & scorer.unique[db].keys()):
        i, j = scorer.unique[da][name], scorer.unique[db][name]
        if not ok[i, j] or key(int(a[i]), int(b[j])) in anchored:
            continue
        if logit[i, j] >= config.link:
            anchored.add(key(int(a[i]), int(b[j])))
        elif logit[i, j] >= config.link - config.anchor_slack and logit[i, j] >= min(logit[i].max(), logit[:, j].max()):
            anchored.add(key(int(a[i]), int(b[j])))
            out.append((int(a[i]), int(b[j]), float(cosines[i, j]), config.link))  # lifted to the bar
    if config.joins:
        out += _joins(scorer, da, db, near, logit, z, config)
        out += [(r, t, c, m) for t, r, c, m in _joins(scorer, db, da, near.T, logit.T, z.T, config)]
    return out, anchored


def _joins(scorer: Scorer, da: int, db: int, near: np.ndarray, logit: np.ndarray, z: np.ndarray,
           config: AlignConfig) -> list[Candidate]:
    """Joins of two adjacent sentences of ``da`` against single sentences of ``db``, where they stand.
    Returned as (join unit, sentence unit of db, cosine, log-odds)."""
    units = scorer.units
    joins = units.joins_of(da)
    if not len(joins):
        return []
    both = near[:-1] & near[1:]  # [joins, sentences of db]
    k, j = np.nonzero(both)
    if not len(k):
        return []
    rows, targets = joins[k], units.singles_of(db)[j]
    join_z = scorer.raw_z(rows, targets)
    halves = np.maximum(z[k, j], z[k + 1, j])
    pass_both = np.minimum(logit[k, j], logit[k + 1, j]) >= config.link
    stands = pass_both | (join_z >= halves + config.join_gain)
    cosines = np.einsum("ij,ij->i", units.vectors[rows], units.vectors[targets])
    best = np.maximum(logit[k, j], logit[k + 1, j])
    return [(int(r), int(t), float(c), float(m) + 1e-3)
            for r, t, c, m, s in zip(rows, targets, cosines, best, stands) if s and m >= config.link]


def competitive_links(units: Units, cands: list[Candidate], anchored: set[tuple[int, int]]) -> list[Link]:
    """Best-first 1:1 (or 1:2 with joins) linking inside one pair of documents."""
    used: set[tuple[int, int]] = set()
    out: list[Link] = []
    for r, t, c, m in sorted(cands, key=lambda x: (-x[3], x[0], x[1])):
        mem_r, mem_t = units.member(r), units.member(t)
        sents = {(mem_r[0], i) for i in mem_r[1]} | {(mem_t[0], i) for i in mem_t[1]}
        second = key(r, t) in anchored and len(sents & used) == 1 and len(sents) == 2
        if sents & used and not second:
            continue
        used |= sents
        out.append(Link(mem_r, mem_t, c, m, anchored=second))
    return out

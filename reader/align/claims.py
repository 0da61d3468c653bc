"""Phase 4: links of many pairs of documents -> claims, each one coherent.

Links are merged best first into claims with at most one member per document (a
member is one sentence or up to ``max_member`` adjacent ones). A link may join two
groups only when the result is *coherent*: of the pairs it creates between the
members of the two groups, more than half must score at least ``link_z -
support_slack``. A sentence therefore joins a claim because it matches the claim, not
one member of it: single-link chains ("… said at a meeting with …" tied to one report
and, through it, to twenty) cannot form.

Then three passes that only add what passes on its own:

* *blocks*: two claims side by side in every document they share, that a passing link
  ties across documents, are one claim (two sentences of one report against two of
  another, each saying half of both);
* *growth*: a member takes in a free adjacent sentence that passes against another
  member of its claim (one long sentence that sums up three);
* *completion*: a claim takes in a sentence of a report it lacks when that sentence
  passes against one member and coheres with most of them, even if the sentence is in
  another claim already (at most ``max_claims`` in all): a sentence that states two
  things ("the bill passed 195 to 106, and protesters stormed parliament") belongs to
  both claims, where one-to-one linking gives it to one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from reader.align.types import AlignedClaim, Link, Member, Units, key

PairScores = Callable[[list[tuple[int, int]]], list[float]]  # single-sentence unit pairs -> z


def _contiguous(indices: set[int], limit: int) -> bool:
    return len(indices) <= limit and max(indices) - min(indices) + 1 == len(indices)


def coherent(a: dict[int, set[int]], b: dict[int, set[int]], units: Units, scores: PairScores, bar: float) -> bool:
    """More than half of the member pairs between groups ``a`` and ``b`` (documents -> sentences)
    score ``bar`` or more; a member pair scores its best pair of sentences."""
    pairs = [(da, db) for da in sorted(a) for db in sorted(b) if da != db]
    if not pairs:
        return True
    items = [(units.single(da, i), units.single(db, j)) for da, db in pairs for i in sorted(a[da]) for j in sorted(b[db])]
    values = iter(scores(items))
    passing = 0
    for da, db in pairs:
        best = max(next(values) for _ in range(len(a[da]) * len(b[db])))
        passing += best >= bar
    return passing * 2 > len(pairs)


def merge(links: list[Link], units: Units, scores: PairScores, bar: float, max_member: int) -> list[AlignedClaim]:
    """Best-first merging of links into coherent claims (see the module docstring)."""
    clusters: dict[int, dict[int, set[int]]] = {}
    cluster_links: dict[int, list[Link]] = {}
    owner: dict[tuple[int, int], int] = {}
    next_id = 0
    for link in sorted(links, key=lambda l: (-l.score, l.a, l.b)):
        sides = []
        for doc, sents in (link.a, link.b):
            found = {owner[(doc, i)] for i in sents if (doc, i) in owner}
            sides.append(found)
        found = sides[0] | sides[1]
        proposal: dict[int, set[int]] = {}
        clash = False
        for cid in sorted(found):
            for doc, sents in clusters[cid].items():
                if doc in proposal and proposal[doc] != sents:
                    clash = True
                proposal.setdefault(doc, set()).update(sents)
        for doc, sents in (link.a, link.b):
            proposal.setdefault(doc, set()).update(sents)
        ok = not clash and all(_contiguous(s, max_member) for s in proposal.values())
        if ok and len(found) and not (sides[0] and sides[1] and sides[0] == sides[1]):
            ok = coherent(_group(clusters, sides[0], link.a), _group(clusters, sides[1], link.b), units, scores, bar)
        if not ok:
            free = [(doc, i) for doc, sents in (link.a, link.b) for i in sents if (doc, i) not in owner]
            if link.anchored and free:  # the sentence's second claim, on its own
                cid, next_id = next_id, next_id + 1
                clusters[cid] = {doc: set(sents) for doc, sents in (link.a, link.b)}
                cluster_links[cid] = [link]
                owner.update({k: cid for k in free})
            continue
        cid, next_id = next_id, next_id + 1
        clusters[cid] = proposal
        cluster_links[cid] = [l for old in sorted(found) for l in cluster_links.pop(old)] + [link]
        for old in found:
            del clusters[old]
        for doc, sents in proposal.items():
            for i in sents:
                owner[(doc, i)] = cid
    return sorted((claim(members, cluster_links[cid]) for cid, members in clusters.items()), key=position)


def _group(clusters: dict[int, dict[int, set[int]]], found: set[int], member: Member) -> dict[int, set[int]]:
    """One side of a link: the claims its sentences are in, or just the member."""
    out: dict[int, set[int]] = {}
    for cid in sorted(found):
        for doc, sents in clusters[cid].items():
            out.setdefault(doc, set()).update(sents)
    out.setdefault(member[0], set()).update(member[1])
    return out


def claim(members: dict[int, Iterable[int]], links: Iterable[Link]) -> AlignedClaim:
    """A claim of those members (document -> sentence indices), scored by the mean cosine of its links."""
    links = tuple(links)
    return AlignedClaim(
        members=tuple((d, tuple(sorted(idx))) for d, idx in sorted(members.items())),
        score=float(np.mean([l.cosine for l in links])) if links else 0.0,
        links=links,
    )


def position(c: AlignedClaim) -> tuple[int, int]:
    """Claims in reading order: by the first document they touch, then its first sentence."""
    return c.members[0][0], c.members[0][1][0]


def extend(
    claims: list[AlignedClaim],
    units: Units,
    alignable: np.ndarray,
    passing: dict[tuple[int, int], tuple[float, float]],
    max_member: int,
) -> list[AlignedClaim]:
    """Members grow into adjacent sentences that no claim holds, when such a sentence passes the
    bar on its own against a sentence of another member of the same claim."""
    owned = {(d, i) for c in claims for d, idx in c.members for i in idx}
    out = []
    for c in claims:
        members = {d: list(idx) for d, idx in c.members}
        links = list(c.links)
        while True:
            best: tuple[float, int, int, Link] | None = None
            for d, idx in sorted(members.items()):
                if len(idx) >= max_member:
                    continue
                for s in (idx[0] - 1, idx[-1] + 1):
                    if s < 0 or s >= len(units.singles_of(d)) or (d, s) in owned:
                        continue
                    u = units.single(d, s)
                    if not alignable[u]:
                        continue
                    for e, jdx in sorted(members.items()):
                        for j in jdx if e != d else ():
                            hit = passing.get(key(u, units.single(e, j)))
                            if hit and (best is None or hit[1] > best[0]):
                                best = (hit[1], d, s, Link((d, (s,)), (e, (j,)), hit[0], hit[1]))
            if best is None:
                break
            _, d, s, link = best
            members[d] = sorted(members[d] + [s])
            owned.add((d, s))
            links.append(link)
        out.append(claim(members, links) if len(links) > len(c.links) else c)
    return out


def merge_blocks(
    claims: list[AlignedClaim],
    units: Units,
    passing: dict[tuple[int, int], tuple[float, float]],
    max_member: int,
) -> list[AlignedClaim]:
    """Two claims whose members sit side by side in every document they share, and that a
    passing link ties across documents, are one claim: a many-to-many block.

    In rounds: every possible merge is scored once, the best ones that touch different claims
    are made, and the merged claims are looked at again in the next round (a round costs the
    claims times their neighbours, so a large run stays linear).
    """
    claims = list(claims)
    while True:
        owner = {(d, i): n for n, c in enumerate(claims) for d, idx in c.members for i in idx}
        found: list[tuple[float, int, int, Link]] = []
        for x, cx in enumerate(claims):
            a = dict(cx.members)
            neighbours = {owner.get((d, i)) for d, idx in a.items() for i in (idx[0] - 1, idx[-1] + 1)}
            for y in sorted(n for n in neighbours if n is not None and n > x):
                b = dict(claims[y].members)
                shared = a.keys() & b.keys()
                if not shared or not all(
                    len(a[d]) + len(b[d]) <= max_member and (a[d][-1] + 1 == b[d][0] or b[d][-1] + 1 == a[d][0])
                    for d in shared
                ):
                    continue
                best: tuple[float, int, int, Link] | None = None
                for d, i, e, j in ((d, i, e, j) for d in a for i in a[d] for e in b for j in b[e] if d != e):
                    hit = passing.get(key(units.single(d, i), units.single(e, j)))
                    if hit and (best is None or hit[1] > best[0]):
                        best = (hit[1], x, y, Link((d, (i,)), (e, (j,)), hit[0], hit[1]))
                if best is not None:
                    found.append(best)
        if not found:
            return claims
        touched: set[int] = set()
        merged_claims = []
        for _, x, y, link in sorted(found, key=lambda f: (-f[0], f[1], f[2])):
            if x in touched or y in touched:
                continue
            touched |= {x, y}
            members: dict[int, list[int]] = defaultdict(list)
            for d, idx in claims[x].members + claims[y].members:
                members[d] += idx
            merged_claims.append(claim(members, claims[x].links + claims[y].links + (link,)))
        claims = sorted([c for n, c in enumerate(claims) if n not in touched] + merged_claims, key=position)


def complete(
    claims: list[AlignedClaim],
    units: Units,
    alignable: np.ndarray,
    compared: set[tuple[int, int]],
    scores: PairScores,
    link: float,
    bar: float,
    max_claims: int = 2,
) -> list[AlignedClaim]:
    """Claims take in the best sentence of each compared report they lack (see the module docstring)."""
    uses: dict[tuple[int, int], int] = defaultdict(int)
    for c in claims:
        for d, idx in c.members:
            for i in idx:
                uses[(d, i)] += 1
    partners: dict[int, set[int]] = defaultdict(set)
    for a, b in compared:
        partners[a].add(b)
        partners[b].add(a)
    out = []
    for c in claims:
        members = dict(c.members)
        added: dict[int, tuple[int, ...]] = {}
        for d in sorted(set.intersection(*(partners[e] for e in members)) - members.keys()):
            best: tuple[float, int] | None = None
            for u in units.singles_of(d):
                i = int(units.first[u])
                if not alignable[u] or uses[(d, i)] >= max_claims:
                    continue
                per_member = [max(scores([(int(u), units.single(e, j)) for j in idx])) for e, idx in members.items()]
                if max(per_member) < link or sum(v >= bar for v in per_member) * 2 <= len(per_member):
                    continue
                total = float(sum(per_member))
                if best is None or total > best[0]:
                    best = (total, i)
            if best is not None:
                added[d] = (best[1],)
        for d, idx in added.items():
            uses[(d, idx[0])] += 1
        out.append(claim({**members, **added}, c.links) if added else c)
    return out


def split_wide(claims: list[AlignedClaim], units: Units, scores: PairScores, bar: float) -> list[AlignedClaim]:
    """Claims with a member of two or more sentences become one claim per sentence of it.

    A member of two sentences says in two what another report says in one; kept whole it
    would pair each of its sentences with every other member, though most reports state only
    one of the two halves. So the widest member's sentences each start a claim, and every
    other member joins each of those whose sentence it scores ``bar`` or more against, with
    its best sentence for it (a sentence that says both halves is in both claims; of another
    wide member, the half that matches). A member that passes against none goes with its best
    pair. A claim is left as it is when it has one wide member that every other member joins
    whole (split, it would pair the same sentences), or only two members (its pairs are what
    the link between them judged together); a claim of one document is dropped.
    """
    out: list[AlignedClaim] = []
    for c in claims:
        wide = [(d, idx) for d, idx in c.members if len(idx) > 1]
        if not wide:
            out.append(c)
            continue
        d, halves = max(wide, key=lambda m: (len(m[1]), -m[0]))
        parts: dict[int, dict[int, tuple[int, ...]]] = {i: {d: (i,)} for i in halves}
        whole = len(wide) == 1 or len(c.members) == 2
        for e, idx in c.members:
            if e == d:
                continue
            pairs = [(i, j) for i in halves for j in idx]
            got = dict(zip(pairs, scores([(units.single(d, i), units.single(e, j)) for i, j in pairs])))
            chosen = {i: max(idx, key=lambda j: (got[(i, j)], -j)) for i in halves
                      if max(got[(i, j)] for j in idx) >= bar}
            if not chosen:
                i, j = max(pairs, key=lambda p: (got[p], -p[0], -p[1]))
                chosen = {i: j}
            whole = whole and len(chosen) == len(halves)
            for i, j in chosen.items():
                parts[i][e] = (j,)
        if whole:
            out.append(c)
            continue
        for i, members in parts.items():
            if len(members) > 1:
                links = [l for l in c.links if _touches(l, members)]
                out.append(claim(members, links or c.links))
    return sorted(out, key=position)


def _touches(link: Link, members: dict[int, tuple[int, ...]]) -> bool:
    """Whether both sides of ``link`` are within ``members``."""
    return all(doc in members and set(sents) & set(members[doc]) for doc, sents in (link.a, link.b))

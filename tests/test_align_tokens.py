"""reader.align with token vectors: coverage scores, and claims that grow into neighbours.

Words are random directions in 48 dimensions, shared across "languages", so two sentences
that say the same thing share words; a sentence vector is the normalised mean of its words,
as mean pooling makes it. Everything is seeded.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from align_helpers import EVERY_PAIR, run

from reader.align import AlignedClaim, DocVectors, Link
from reader.align.candidates import build_units
from reader.align.claims import extend
from reader.align.coverage import TokenCoverage
from reader.align.types import key

DIM = 48


class Words:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.vectors: dict[str, np.ndarray] = {}

    def word(self, w: str) -> np.ndarray:
        if w not in self.vectors:
            v = self.rng.standard_normal(DIM)
            self.vectors[w] = (v / np.linalg.norm(v)).astype(np.float32)
        return self.vectors[w]

    def filler(self, n: int) -> list[str]:
        return [f"w{self.rng.integers(1_000_000)}" for _ in range(n)]

    def doc(self, sentences: list[list[str]], lang: str, tokens: bool = True) -> DocVectors:
        toks = [np.stack([self.word(w) for w in s]) for s in sentences]
        means = np.stack([t.mean(axis=0) for t in toks])
        return DocVectors(
            vectors=(means / np.linalg.norm(means, axis=1, keepdims=True)).astype(np.float32),
            lang=lang,
            tokens=tuple(t.astype(np.float16) for t in toks) if tokens else None,
        )


def _naive(a: np.ndarray, b: np.ndarray, join: bool) -> float:
    sims = a @ b.T
    covered_a, covered_b = sims.max(axis=1).mean(), sims.max(axis=0).mean()
    return covered_a if join else max(covered_a, covered_b)


def test_token_scores_are_the_better_covered_side_for_sentences_and_the_joins_own_coverage_for_joins() -> None:
    words = Words(1)
    docs = [words.doc([words.filler(int(n)) for n in words.rng.integers(1, 9, 6)], lang) for lang in ("ru", "ar")]
    units = build_units(docs, [d.vectors for d in docs], joins=True)
    means = {d.lang: np.concatenate([t.astype(np.float32) for t in d.tokens]).mean(axis=0) for d in docs}
    tokens = TokenCoverage(
        tokens=[t for d in docs for t in d.tokens], langs=[d.lang for d in docs for _ in d.tokens],
        unit_first=units.single_start[units.doc] + units.first, unit_size=units.size, mean_of=means.get,
    )
    centred = []
    for d in docs:
        mean = means[d.lang]
        centred.append([(t - mean) / np.linalg.norm(t - mean, axis=1, keepdims=True) for t in (x.astype(np.float32) for x in d.tokens)])
    rows, targets, expected = [], [], []
    for u in range(len(units.doc)):
        d, first, size = int(units.doc[u]), int(units.first[u]), int(units.size[u])
        query = np.concatenate(centred[d][first : first + size])
        for t in range(len(docs[0].vectors), len(docs[0].vectors) + len(docs[1].vectors)) if d == 0 else range(len(docs[0].vectors)):
            other = 1 - d
            j = t - (len(docs[0].vectors) if other == 1 else 0)
            rows.append(u)
            targets.append(t)
            expected.append(_naive(query, centred[other][j], join=size > 1))
    got = tokens.scores(np.asarray(rows), np.asarray(targets))
    np.testing.assert_allclose(got, expected, atol=2e-3)  # float16 storage


def _corpus(words: Words, tokens: bool) -> list[DocVectors]:
    """Two reports of 40 unrelated sentences each; ru-7 says what part of a long ar-20 says."""
    claim = ["школы", "откроются", "сентября", "2027"]
    ru = [words.filler(6) for _ in range(40)]
    ar = [words.filler(6) for _ in range(40)]
    ru[7] = claim + words.filler(2)
    ar[20] = claim + words.filler(12)
    return [words.doc(ru, "ru", tokens), words.doc(ar, "ar", tokens)]


def test_a_claim_inside_a_longer_sentence_is_found_by_token_coverage_not_by_the_diluted_mean() -> None:
    with_tokens = run(_corpus(Words(2), tokens=True))
    assert {0: (7,), 1: (20,)} in [dict(c.members) for c in with_tokens.claims]
    sentence_only = run(_corpus(Words(2), tokens=False))
    assert not any(dict(c.members).get(0) == (7,) for c in sentence_only.claims)
    switched_off = run(_corpus(Words(2), tokens=True), dataclasses.replace(EVERY_PAIR, token_scores=False))
    assert [c.members for c in switched_off.claims] == [c.members for c in sentence_only.claims]


def test_a_member_grows_into_a_neighbour_that_passes_alone_against_the_claim() -> None:
    """ar-10 sums up three adjacent Russian sentences; competitive linking gives it one of them."""

    def corpus(words: Words) -> list[DocVectors]:
        parts = [["торговля", "рекорд", "2024", "году"], ["инвестиции", "растут", "Киргизия", "быстро"],
                 ["расчеты", "рубли", "механизмы", "новые"]]
        ru = [words.filler(6) for _ in range(40)]
        ar = [words.filler(6) for _ in range(40)]
        ru[5:8] = [p + words.filler(1) for p in parts]
        ar[10] = [w for p in parts for w in p] + words.filler(1)
        return [words.doc(ru, "ru"), words.doc(ar, "ar")]

    grown = run(corpus(Words(3)))
    assert [dict(c.members) for c in grown.claims] == [{0: (5, 6, 7), 1: (10,)}]
    linked = {i for link in grown.claims[0].links for d, idx in (link.a, link.b) if d == 0 for i in idx}
    assert linked == {5, 6, 7}  # each sentence the member took in came with the link that justified it
    plain = run(corpus(Words(3)), dataclasses.replace(EVERY_PAIR, extend=False, joins=False))
    assert [len(dict(c.members)[0]) for c in plain.claims] == [1]


def test_growth_never_takes_a_sentence_another_claim_holds() -> None:
    words = Words(4)
    docs = [words.doc([words.filler(5) for _ in range(8)], lang) for lang in ("ru", "ar", "hi")]
    units = build_units(docs, [d.vectors for d in docs], joins=True)
    sid = units.single
    link = Link((0, (5,)), (1, (3,)), 0.5, 0.9)
    mine, theirs = AlignedClaim(((0, (5,)), (1, (3,))), 0.5, (link,)), AlignedClaim(((0, (6,)), (2, (2,))), 0.5, ())
    passing = {key(sid(0, 6), sid(1, 3)): (0.4, 0.8), key(sid(0, 4), sid(1, 3)): (0.3, 0.7)}
    alignable = np.ones(len(units.doc), dtype=bool)
    grown = extend([mine, theirs], units, alignable, passing, max_member=3)
    assert dict(grown[0].members) == {0: (4, 5), 1: (3,)}  # ru-4 is free; ru-6 belongs to the other claim
    assert grown[1] == theirs


def test_two_claims_side_by_side_in_both_reports_merge_into_one_block() -> None:
    """ru-5 + ru-6 against ar-10 + ar-11, where ar-10 also says part of ru-6: one 2x2 claim."""

    def corpus(words: Words) -> list[DocVectors]:
        ru = [words.filler(6) for _ in range(40)]
        ar = [words.filler(6) for _ in range(40)]
        ru[5], ru[6] = ["a1", "a2", "a3", "a4", "a5"], ["b1", "b2", "b3", "b4", "b5", "b6"]
        ar[10], ar[11] = ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4"], ["b1", "b2", "b3", "b4", "b5", "b6"]
        return [words.doc(ru, "ru"), words.doc(ar, "ar")]

    def holding(result, i: int) -> dict[int, tuple[int, ...]]:
        return next(dict(c.members) for c in result.claims if i in dict(c.members).get(0, ()))

    merged = run(corpus(Words(5)))
    assert holding(merged, 5) == {0: (5, 6), 1: (10, 11)}
    apart = run(corpus(Words(5)), dataclasses.replace(EVERY_PAIR, extend=False, joins=False))
    assert holding(apart, 5) == {0: (5,), 1: (10,)} and holding(apart, 6) == {0: (6,), 1: (11,)}


def test_a_sentence_that_says_two_things_is_in_two_claims_when_a_rare_name_ties_the_second() -> None:
    """ar-3: "Putin arrived, and Japarov met him at Yntymak Ordo"; ru-5 is the arrival, ru-9 the
    talks at Yntymak Ordo. The arrival wins the one-to-one link; the name gives ar-3 a second claim."""

    def corpus(words: Words, name: bool) -> list[DocVectors]:
        ru = [words.filler(6) for _ in range(30)]
        ar = [words.filler(6) for _ in range(30)]
        ru[5] = ["прибыл", "аэропорт", "вторник", "визит", "встретил"]
        ru[9] = ["переговоры", "начались", "резиденции", "ынтымак", "ордо", "лидеров"]
        ar[3] = ["прибыл", "аэропорт", "вторник", "визит", "встретил", "ынтымак", "ордо"]
        docs = [words.doc(ru, "ru"), words.doc(ar, "ar")]
        anchors = [[frozenset() for _ in ru], [frozenset() for _ in ar]]
        if name:
            anchors[0][9] = anchors[1][3] = frozenset({"name:ntmk rd"})
        return [dataclasses.replace(d, anchors=tuple(a)) for d, a in zip(docs, anchors)]

    result = run(corpus(Words(6), name=True))
    holding = [dict(c.members) for c in result.claims if 3 in dict(c.members).get(1, ())]
    assert holding == [{0: (5,), 1: (3,)}, {0: (9,), 1: (3,)}]
    assert [l.anchored for c in result.claims for l in c.links if l.a[1] == (9,) or l.b[1] == (9,)] == [True]
    unnamed = run(corpus(Words(6), name=False))
    assert [dict(c.members) for c in unnamed.claims if 3 in dict(c.members).get(1, ())] == [{0: (5,), 1: (3,)}]


def test_a_pair_of_documents_scored_in_one_block_matches_the_scores_of_each_pair() -> None:
    words = Words(7)
    docs = [words.doc([words.filler(int(n)) for n in words.rng.integers(1, 9, 7)], lang) for lang in ("ru", "ar", "hi")]
    units = build_units(docs, [d.vectors for d in docs], joins=False)
    tokens = TokenCoverage(
        tokens=[t for d in docs for t in d.tokens], langs=[d.lang for d in docs for _ in d.tokens],
        unit_first=units.single_start[units.doc] + units.first, unit_size=units.size, mean_of=lambda lang: None,
    )
    for da, db in ((0, 1), (1, 2), (2, 0)):
        a, b = units.singles_of(da), units.singles_of(db)
        r, t = np.meshgrid(a, b, indexing="ij")
        each = tokens.scores(r.ravel(), t.ravel()).reshape(len(a), len(b))
        block = tokens.block(int(units.single_start[da]), len(a), int(units.single_start[db]), len(b))
        np.testing.assert_allclose(block, each, atol=1e-5)

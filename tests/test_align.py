"""reader.align on constructed vectors: no model, fixed seeds, assertions on structure.

Sentences are noisy copies of random "topic" directions in 48 dimensions: two
sentences that say the same thing share a topic; everything else is unrelated
(cosine near 0, spread ~0.15), which is the background a calibration measures.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from reader.align import Alignment, Calibration, DocVectors
from reader.align.calibration import Background
from align_helpers import SIMPLE_MODEL, calibrated, run

DIM = 48


class Topics:
    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.topics: dict[object, np.ndarray] = {}

    def topic(self, key: object) -> np.ndarray:
        if key not in self.topics:
            v = self.rng.standard_normal(DIM)
            self.topics[key] = v / np.linalg.norm(v)
        return self.topics[key]

    def sentence(self, key: object, noise: float = 0.25) -> np.ndarray:
        v = self.topic(key) + noise * self.rng.standard_normal(DIM) / np.sqrt(DIM)
        return v / np.linalg.norm(v)

    def doc(self, keys: list[object], lang: str, noise: float = 0.25, **kwargs) -> DocVectors:
        return DocVectors(vectors=np.stack([self.sentence(k, noise) for k in keys]).astype(np.float32), lang=lang, **kwargs)


def _claims(result: Alignment) -> list[dict[int, tuple[int, ...]]]:
    return [dict(c.members) for c in result.claims]


def _pairs(result: Alignment) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    """Every cross-document sentence pair the claims predict, as ((doc, i), (doc, j)) sorted."""
    out = set()
    for claim in result.claims:
        flat = [(d, i) for d, idx in claim.members for i in idx]
        for a in flat:
            for b in flat:
                if a[0] < b[0]:
                    out.add((a, b))
    return out


def _claim_with(result: Alignment, doc: int, index: int) -> dict[int, tuple[int, ...]] | None:
    for members in _claims(result):
        if index in members.get(doc, ()):
            return members
    return None


def _assert_well_formed(result: Alignment) -> None:
    for claim in result.claims:
        docs = [d for d, _ in claim.members]
        assert len(docs) >= 2 and len(set(docs)) == len(docs), claim.members
        for _, idx in claim.members:
            assert list(idx) == list(range(idx[0], idx[0] + len(idx))), claim.members


# ------------------------------------------------------------------ order-free
def test_a_permuted_document_still_aligns_sentence_for_sentence() -> None:
    t = Topics(1)
    keys = list(range(12))
    order = list(np.random.default_rng(7).permutation(12))
    a = t.doc(keys, "ru")
    b = t.doc(order, "ar")
    result = run([a, b])
    _assert_well_formed(result)
    expected = {((0, k), (1, order.index(k))) for k in keys}
    assert _pairs(result) == expected
    # Reversed order too: nothing assumes monotone order.
    result = run([a, t.doc(keys[::-1], "ar")])
    assert _pairs(result) == {((0, k), (1, 11 - k)) for k in keys}


def test_three_documents_merge_into_n_way_claims_with_one_member_per_document() -> None:
    t = Topics(2)
    shared = list(range(6))
    ru = t.doc(shared + ["ru-a", "ru-b", "ru-c", "ru-d"], "ru")
    ar = t.doc(["ar-a", "ar-b"] + shared[::-1] + ["ar-c", "ar-d"], "ar")
    hi = t.doc(["hi-a"] + shared[3:] + ["hi-b"] + shared[:3] + ["hi-c"], "hi")
    result = run([ru, ar, hi])
    _assert_well_formed(result)
    for k in shared:
        members = _claim_with(result, 0, k)
        assert members is not None, k
        assert members == {0: (k,), 1: (2 + 5 - k,), 2: ((1 + k - 3) if k >= 3 else (5 + k),)}
    assert len(result.claims) == len(shared)


# ------------------------------------------------------------------ joins
def test_a_sentence_that_is_the_weighted_mean_of_two_adjacent_ones_joins_them() -> None:
    t = Topics(3)
    b_keys = [f"b{i}" for i in range(10)]
    b = t.doc(b_keys, "ar", noise=0.15)
    weights = np.array([40.0 + 5 * i for i in range(10)], dtype=np.float32)
    b = DocVectors(vectors=b.vectors, lang="ar", weights=weights)
    combined = weights[4] * b.vectors[4] + weights[5] * b.vectors[5]
    a_vectors = [t.sentence(k, 0.15) for k in ["b0", "b1", "b2", "b3"]]
    a_vectors.append(combined / np.linalg.norm(combined))
    a_vectors += [t.sentence(k, 0.15) for k in ["b6", "b7", "a-own-1", "a-own-2"]]
    a = DocVectors(vectors=np.stack(a_vectors).astype(np.float32), lang="ru", weights=np.full(9, 60.0, np.float32))
    result = run([a, b])
    _assert_well_formed(result)
    assert _claim_with(result, 0, 4) == {0: (4,), 1: (4, 5)}
    for i in (0, 1, 2, 3):
        assert _claim_with(result, 0, i) == {0: (i,), 1: (i,)}
    assert _claim_with(result, 0, 5) == {0: (5,), 1: (6,)}


def test_a_wide_member_splits_its_claim_so_a_report_with_one_half_pairs_with_that_half_only() -> None:
    t = Topics(11)
    b = t.doc([f"b{i}" for i in range(10)], "ar", noise=0.15)
    weights = np.array([40.0 + 5 * i for i in range(10)], dtype=np.float32)
    b = DocVectors(vectors=b.vectors, lang="ar", weights=weights)
    combined = weights[4] * b.vectors[4] + weights[5] * b.vectors[5]
    a_vectors = [t.sentence(k, 0.15) for k in ["b0", "b1", "b2", "b3"]] + [combined / np.linalg.norm(combined)]
    a_vectors += [t.sentence(k, 0.15) for k in ["b6", "b7", "a-own-1", "a-own-2"]]
    a = DocVectors(vectors=np.stack(a_vectors).astype(np.float32), lang="ru", weights=np.full(9, 60.0, np.float32))
    c = t.doc(["b0", "b1", "b4", "c-own", "b6"], "hi", noise=0.15)  # c:2 says what b:4 says, not b:5
    result = run([a, b, c])
    _assert_well_formed(result)
    assert all(len(idx) == 1 for claim in result.claims for _, idx in claim.members)
    # a:4 says both halves, so it is in both claims; c:2 pairs with b:4 (and a:4) only
    assert {0: (4,), 1: (4,), 2: (2,)} in _claims(result)
    assert {0: (4,), 1: (5,)} in _claims(result)
    assert ((1, 5), (2, 2)) not in _pairs(result)


def test_no_join_when_one_half_is_unrelated() -> None:
    t = Topics(4)
    b = t.doc([f"b{i}" for i in range(5)] + ["unrelated"] + [f"b{i}" for i in range(6, 10)], "ar", noise=0.15)
    a = t.doc([f"b{i}" for i in range(5)] + ["b6", "own-1", "own-2"], "ru", noise=0.15)
    result = run([a, b])
    _assert_well_formed(result)
    # a:4 says what b:4 says; b:5 is unrelated, so the member of b is b:4 alone.
    assert _claim_with(result, 0, 4) == {0: (4,), 1: (4,)}
    assert _claim_with(result, 1, 5) is None
    assert all(len(idx) == 1 for claim in result.claims for _, idx in claim.members)


# ------------------------------------------------------------------ unmatched
def test_sentences_without_a_counterpart_stay_out_of_every_claim() -> None:
    t = Topics(5)
    a = t.doc(["s0", "a1", "s1", "a2", "s2", "a3", "s3", "a4"], "ru")
    b = t.doc(["b1", "s3", "b2", "s0", "b3", "s2", "b4", "s1", "b5"], "ar")
    result = run([a, b])
    _assert_well_formed(result)
    in_claims = {(d, i) for c in result.claims for d, idx in c.members for i in idx}
    assert in_claims == {(0, 0), (0, 2), (0, 4), (0, 6), (1, 1), (1, 3), (1, 5), (1, 7)}


# ------------------------------------------------------------------ rules
def _paraphrase_pair(rng: np.random.Generator, cosine: float) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors with exactly this cosine."""
    x = rng.standard_normal(DIM)
    x /= np.linalg.norm(x)
    u = rng.standard_normal(DIM)
    u -= (u @ x) * x
    u /= np.linalg.norm(u)
    return x, cosine * x + np.sqrt(1 - cosine**2) * u


def _docs_with_pairs(seed: int, cosines: list[float], extra: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """Two documents: sentence i of each is a pair with cosines[i]; then ``extra`` unrelated sentences each."""
    rng = np.random.default_rng(seed)
    pairs = [_paraphrase_pair(rng, c) for c in cosines]
    noise = rng.standard_normal((2 * extra, DIM))
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    a = np.vstack([np.stack([p[0] for p in pairs]), noise[:extra]]).astype(np.float32)
    b = np.vstack([np.stack([p[1] for p in pairs]), noise[extra:]]).astype(np.float32)
    return a, b


def _fixed(docs: list[DocVectors], same_median: float = 0.0) -> Calibration:
    """No centring; unrelated pairs have cosine 0 with spread 0.15 (a same-language pair: ``same_median``);
    a link needs z >= 3."""
    return Calibration("test", {}, {}, {"cross": Background(0.0, 0.15), "same": Background(same_median, 0.15)}, {},
                       model={**SIMPLE_MODEL, "intercept": -3.0})


def test_documents_published_more_than_event_days_apart_are_never_compared() -> None:
    a, b = _docs_with_pairs(6, [0.98, 0.7, 0.65, 0.6])
    near = [DocVectors(a, lang="en", published=date(2025, 11, 26)), DocVectors(b, lang="ru", published=date(2025, 11, 27))]
    assert {(x[1], y[1]) for x, y in _pairs(run(near, calibration=_fixed(near)))} == {(0, 0), (1, 1), (2, 2), (3, 3)}
    apart = [DocVectors(a, lang="en", published=date(2020, 12, 2)), DocVectors(b, lang="ru", published=date(2025, 11, 26))]
    assert run(apart, calibration=_fixed(apart)).claims == ()


def test_each_pair_of_languages_is_scored_against_its_own_background() -> None:
    # Two reports in one language share words that say nothing: their non-matches score higher,
    # so the same cosine is weaker evidence.
    a, b = _docs_with_pairs(8, [0.95, 0.7, 0.56, 0.54])
    cross = [DocVectors(a, lang="ru"), DocVectors(b, lang="ar")]
    assert {(x[1], y[1]) for x, y in _pairs(run(cross, calibration=_fixed(cross, 0.2)))} == {(0, 0), (1, 1), (2, 2), (3, 3)}
    same = [DocVectors(a, lang="ru"), DocVectors(b, lang="ru")]
    assert {(x[1], y[1]) for x, y in _pairs(run(same, calibration=_fixed(same, 0.2)))} == {(0, 0), (1, 1)}


def _anchors(n: int, where: dict[int, str]) -> tuple[frozenset[str], ...]:
    return tuple(frozenset({where[i]}) if i in where else frozenset() for i in range(n))


def test_a_name_each_document_mentions_once_links_a_weaker_pair() -> None:
    # Pair 0 is strong; pair 1 is weak (z about 2: below the bar): only the shared unique name lifts it.
    a, b = _docs_with_pairs(9, [0.95, 0.3])
    n = len(a)
    plain = [DocVectors(a, lang="ru"), DocVectors(b, lang="hi")]
    assert {(x[1], y[1]) for x, y in _pairs(run(plain, calibration=_fixed(plain)))} == {(0, 0)}

    name = "name:lksnk"  # a quoted name by its skeleton (anchors hold places and quoted names)
    once = [DocVectors(a, lang="ru", anchors=_anchors(n, {1: name})), DocVectors(b, lang="hi", anchors=_anchors(n, {1: name}))]
    assert {(x[1], y[1]) for x, y in _pairs(run(once, calibration=_fixed(once)))} == {(0, 0), (1, 1)}

    # The same name in a second sentence of one document: no longer an anchor for that pair.
    twice = [
        DocVectors(a, lang="ru", anchors=_anchors(n, {1: name, 5: name})),
        DocVectors(b, lang="hi", anchors=_anchors(n, {1: name})),
    ]
    assert {(x[1], y[1]) for x, y in _pairs(run(twice, calibration=_fixed(twice)))} == {(0, 0)}


def test_links_between_two_documents_do_not_depend_on_the_other_documents_of_the_run() -> None:
    t = Topics(10)
    ru = t.doc([0, 1, 2, 3, "r1", "r2", 4, 5], "ru")
    ar = t.doc(["a1", 3, 2, "a2", 1, 0, 5, "a3"], "ar")
    fixed = calibrated([ru, ar])  # one calibration for both runs, as a stored one is
    alone = {(l.a, l.b) for l in run([ru, ar], calibration=fixed).links}
    others = [t.doc([f"o{k}-{i}" for i in range(10)] + [k], lang) for k, lang in ((2, "hi"), (4, "ar"), (0, "ru"))]
    mixed = {(l.a, l.b) for l in run([ru, ar, *others], calibration=fixed).links if l.a[0] < 2 and l.b[0] < 2}
    assert alone == mixed and len(alone) >= 5


# ------------------------------------------------------------------ merging
def test_claims_never_hold_two_separate_members_of_one_document() -> None:
    """ru:1–ar:1, ar:1–hi:1 and hi:1–ru:5 are all links: chaining them would put ru:1 and ru:5 in one claim."""
    rng = np.random.default_rng(11)
    base = rng.standard_normal(DIM)
    base /= np.linalg.norm(base)

    def near(scale: float) -> np.ndarray:
        v = base + scale * rng.standard_normal(DIM) / np.sqrt(DIM)
        return v / np.linalg.norm(v)

    def noise(n: int) -> list[np.ndarray]:
        m = rng.standard_normal((n, DIM))
        return list(m / np.linalg.norm(m, axis=1, keepdims=True))

    ru1, ru5 = near(0.6), near(0.6)
    ar1 = (ru1 * 3 + base) / np.linalg.norm(ru1 * 3 + base)  # closest to ru:1
    hi1 = (ru5 * 3 + base) / np.linalg.norm(ru5 * 3 + base)  # closest to ru:5
    ru = noise(1) + [ru1] + noise(3) + [ru5] + noise(4)
    ar = noise(1) + [ar1] + noise(8)
    hi = noise(1) + [hi1] + noise(8)
    docs = [DocVectors(np.stack(v).astype(np.float32), lang=lang) for v, lang in ((ru, "ru"), (ar, "ar"), (hi, "hi"))]
    result = run(docs, calibration=_fixed(docs))

    linked = {frozenset({(l.a[0], l.a[1]), (l.b[0], l.b[1])}) for l in result.links}
    assert frozenset({(0, (1,)), (1, (1,))}) in linked
    assert frozenset({(0, (5,)), (2, (1,))}) in linked
    assert frozenset({(1, (1,)), (2, (1,))}) in linked  # the chain exists

    _assert_well_formed(result)
    for claim in result.claims:
        ru_sentences = {i for d, idx in claim.members if d == 0 for i in idx}
        assert not {1, 5} <= ru_sentences
    assert _claim_with(result, 0, 1) is not None and _claim_with(result, 0, 5) is not None


def test_a_generic_sentence_cannot_glue_two_claims_together() -> None:
    """hi-0 says a little of both ru-0 and ar-0, which say different things: it links to each, but
    a claim needs most of its members to match, so ru-0 and ar-0 never share one."""
    t = Topics(14)
    x, y = t.sentence("x", 0.05), t.sentence("y", 0.05)
    generic = (x + y) / np.linalg.norm(x + y)
    filler = lambda tag: [t.sentence(f"{tag}{i}") for i in range(8)]  # noqa: E731
    docs = [DocVectors(np.stack([x] + filler("r")).astype(np.float32), lang="ru"),
            DocVectors(np.stack([y] + filler("a")).astype(np.float32), lang="ar"),
            DocVectors(np.stack([generic] + filler("h")).astype(np.float32), lang="hi")]
    result = run(docs, calibration=_fixed(docs))
    linked = {frozenset({l.a, l.b}) for l in result.links}
    assert frozenset({(0, (0,)), (2, (0,))}) in linked and frozenset({(1, (0,)), (2, (0,))}) in linked
    assert not any({0, 1} <= set(dict(c.members)) for c in result.claims)


# ------------------------------------------------------------------ edge cases
# align() averages an empty neighbour list when one document has no sentences (a harmless numpy warning).
@pytest.mark.filterwarnings("ignore:Mean of empty slice:RuntimeWarning")
def test_empty_and_single_document_inputs_give_no_claims() -> None:
    t = Topics(12)
    one = t.doc(list(range(6)), "ru")
    fixed = calibrated([one])
    assert run([], calibration=fixed).claims == ()
    assert run([one], calibration=fixed).claims == ()
    empty = DocVectors(np.zeros((0, DIM), np.float32), lang="ar")
    assert run([one, empty], calibration=fixed).claims == ()
    assert run([empty, empty], calibration=fixed).claims == ()


def test_one_sentence_documents_still_align() -> None:
    t = Topics(13)
    docs = [t.doc(["x"], "ru", noise=0.05), t.doc(["x"], "ar", noise=0.05), t.doc(["y"], "hi")]
    result = run(docs, calibration=_fixed(docs))
    _assert_well_formed(result)
    assert _claims(result) == [{0: (0,), 1: (0,)}]


@pytest.mark.parametrize("seed", [21, 22])
def test_results_do_not_depend_on_document_order(seed: int) -> None:
    t = Topics(seed)
    ru = t.doc([0, 1, 2, 3, "r1", "r2"], "ru")
    ar = t.doc(["a1", 3, 2, "a2", 1, 0], "ar")
    fixed = calibrated([ru, ar])
    forward = run([ru, ar], calibration=fixed)
    backward = run([ar, ru], calibration=fixed)
    flip = {((1 - y[0], y[1]), (1 - x[0], x[1])) for x, y in _pairs(backward)}
    assert _pairs(forward) == {tuple(sorted(p)) for p in flip}

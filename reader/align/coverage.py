"""Token-level coverage scores across languages (pure: arrays in, scores out).

Mean pooling gives a sentence one vector, which dilutes a claim that sits inside a long
sentence saying three things. Coverage keeps the tokens: for a pair, each token of one side
finds its most similar token on the other, and the mean of those maxima is how much of that
side the other covers (BERTScore's recall and precision, Zhang et al. 2020, here across
languages on a multilingual encoder's contextual token vectors, each language's mean token
vector removed first, as for sentence vectors; the means come from the model's calibration,
so a pair's score does not depend on the other documents of the run).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["TokenCoverage"]


def _normalise(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


class TokenCoverage:
    """Coverage scores of (unit, sentence) pairs, where a unit is a sentence or a run of adjacent ones.

    Sentences are numbered globally (in the order of ``tokens``); a unit is named by its
    first sentence and its size. Rows are centred per language, normalised and laid end to
    end, so every unit is one contiguous range of rows.

    The score of a sentence against a sentence is the better covered side's coverage: a short
    claim is found inside a long sentence that says more. A join counts only its own
    coverage: two sentences offer any target more tokens to match, so the target's coverage
    would favour joins for nothing; "one sentence covers two" is the join's tokens found in
    the target.
    """

    FLOAT32_UP_TO = 512 * 2**20  # bytes: larger corpora keep float16 rows and convert per block

    def __init__(
        self,
        tokens: Sequence[np.ndarray],
        langs: Sequence[str],
        unit_first: np.ndarray,
        unit_size: np.ndarray,
        mean_of: Callable[[str], np.ndarray | None],
    ) -> None:
        # Rows are written into one preallocated array: no float32 copy of every token exists at once.
        counts = [len(t) for t in tokens]
        dim = next((t.shape[1] for t in tokens if len(t)), 1)
        means = {lang: mean_of(lang) for lang in set(langs)}
        small = sum(counts) * dim * 4 <= self.FLOAT32_UP_TO  # converting each gathered block costs more than the matmul
        self.flat = np.zeros((sum(counts), dim), dtype=np.float32 if small else np.float16)
        row = 0
        for t, lang in zip(tokens, langs, strict=True):
            if len(t):
                rows = np.asarray(t, dtype=np.float32)
                mean = means[lang]
                self.flat[row : row + len(t)] = _normalise(rows if mean is None else rows - mean)
            row += len(t)
        sentence_count = np.asarray(counts, dtype=np.int64)
        sentence_start = np.cumsum(sentence_count) - sentence_count
        first = np.asarray(unit_first, dtype=np.int64)
        size = np.asarray(unit_size, dtype=np.int64)
        self.start = sentence_start[first]
        self.count = sentence_count[first].copy()
        for extra in range(1, int(size.max(initial=1))):
            more = size > extra
            self.count[more] += sentence_count[first[more] + extra]
        self.joined = size > 1

    def scores(self, rows: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """Coverage score of each (unit, sentence unit) pair; 0 where either side has no tokens."""
        rows, targets = np.asarray(rows, dtype=np.int64), np.asarray(targets, dtype=np.int64)
        out = np.zeros(len(rows), dtype=float)
        order = np.argsort(rows, kind="stable")
        bounds = np.flatnonzero(np.diff(rows[order])) + 1
        for group in np.split(order, bounds):
            if not group.size:
                continue
            r = int(rows[group[0]])
            t = targets[group]
            ok = (self.count[t] > 0) & (self.count[r] > 0)
            if not ok.any():
                continue
            group, t = group[ok], t[ok]
            query = self.flat[self.start[r] : self.start[r] + self.count[r]].astype(np.float32, copy=False)
            lengths = self.count[t]
            offsets = np.cumsum(lengths) - lengths
            index = np.repeat(self.start[t] - offsets, lengths) + np.arange(lengths.sum())
            sims = query @ self.flat[index].astype(np.float32, copy=False).T  # [query tokens, all target tokens]
            covered_target = np.add.reduceat(sims.max(axis=0), offsets) / lengths
            covered_query = np.maximum.reduceat(sims, offsets, axis=1).mean(axis=0)
            out[group] = covered_query if self.joined[r] else np.maximum(covered_target, covered_query)
        return out

    def block(self, first_a: int, n_a: int, first_b: int, n_b: int) -> np.ndarray:
        """[n_a, n_b] scores of two runs of single sentences (two documents): one token matrix
        product for the pair instead of one per sentence, the same values as ``scores``."""
        out = np.zeros((n_a, n_b))
        a = np.arange(first_a, first_a + n_a)
        b = np.arange(first_b, first_b + n_b)
        a, b = a[self.count[a] > 0], b[self.count[b] > 0]
        if not len(a) or not len(b):
            return out
        rows_a = self.flat[self.start[a[0]] : self.start[a[-1]] + self.count[a[-1]]].astype(np.float32, copy=False)
        rows_b = self.flat[self.start[b[0]] : self.start[b[-1]] + self.count[b[-1]]].astype(np.float32, copy=False)
        sims = rows_a @ rows_b.T
        off_a, off_b = self.start[a] - self.start[a[0]], self.start[b] - self.start[b[0]]
        best_in_b = np.maximum.reduceat(sims, off_b, axis=1)  # [tokens of a, sentences of b]
        covered_a = np.add.reduceat(best_in_b, off_a, axis=0) / self.count[a][:, None]
        best_in_a = np.maximum.reduceat(sims, off_a, axis=0)  # [sentences of a, tokens of b]
        covered_b = np.add.reduceat(best_in_a, off_b, axis=1) / self.count[b][None, :]
        out[np.ix_(a - first_a, b - first_b)] = np.maximum(covered_a, covered_b)
        return out

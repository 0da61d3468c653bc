"""Stand-ins for the models, for unit tests only (the real ones have tests of their own)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reader.store import text_hash


class HashEmbedder:
    """Deterministic unit vectors from the text (no model), and a record of what it encoded.

    Alignment of such vectors is arbitrary; what the tests check is caching, batching and the
    stages around the embedder. ``fail_on_call`` makes the n-th call raise, as a crash would.
    """

    def __init__(self, model_id: str = "test-hash-embedder", dim: int = 16, fail_on_call: int | None = None) -> None:
        self.model_id = model_id
        self.dim = dim
        self.calls: list[list[str]] = []
        self.fail_on_call = fail_on_call

    @property
    def encoded(self) -> list[str]:
        return [t for call in self.calls for t in call]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        if self.fail_on_call is not None and len(self.calls) == self.fail_on_call:
            raise RuntimeError("model crashed")
        rows = [np.random.default_rng(int(text_hash(t)[:8], 16)).standard_normal(self.dim) for t in texts]
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        matrix = np.asarray(rows, dtype=np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


class TokenHashEmbedder(HashEmbedder):
    """A HashEmbedder that also gives token vectors: one hash vector per word, so two sentences
    sharing words share tokens, and the sentence vector is the normalised mean of its words."""

    def _words(self, text: str) -> np.ndarray:
        words = text.split() or [""]
        rows = [np.random.default_rng(int(text_hash(w.lower())[:8], 16)).standard_normal(self.dim) for w in words]
        return np.asarray(rows, dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_with_tokens(texts)[0]

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        self.calls.append(list(texts))
        if self.fail_on_call is not None and len(self.calls) == self.fail_on_call:
            raise RuntimeError("model crashed")
        tokens = [self._words(t) for t in texts]
        if not tokens:
            return np.zeros((0, self.dim), dtype=np.float32), []
        means = np.stack([t.mean(axis=0) for t in tokens])
        return means / np.linalg.norm(means, axis=1, keepdims=True), [t.astype(np.float16) for t in tokens]


class NoTranslator:
    """A translator with no packages: every non-English language stays untranslated."""

    def package_for(self, lang: str) -> str | None:
        return None

    def translate(self, lang: str, texts: Sequence[str]) -> list[str]:  # pragma: no cover - never called
        raise AssertionError("no translation expected without a package")

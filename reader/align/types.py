"""The values alignment passes between its phases (plain arrays and tuples, no models)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

Member = tuple[int, tuple[int, ...]]  # (document index, sentence indices)


@dataclass(frozen=True)
class DocVectors:
    """One document as alignment sees it."""

    vectors: np.ndarray  # [n, d] sentence vectors, L2-normalised
    weights: np.ndarray | None = None  # [n] lengths used to weight joins (tokens or characters)
    published: date | None = None
    lang: str = ""
    anchors: tuple[frozenset[str], ...] | None = None  # per sentence: names, numbers, dates (canonical)
    tokens: tuple[np.ndarray, ...] | None = None  # per sentence: contextual token vectors [tokens, d]
    alignable: np.ndarray | None = None  # [n] bool: False for headings, furniture, fragments
    keys: tuple[tuple[frozenset[str], frozenset[str]], ...] | None = None  # per sentence: (names, words) skeletons


@dataclass(frozen=True)
class Link:
    a: Member
    b: Member
    cosine: float  # of the centred sentence vectors
    score: float  # what linking used, in z units
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
    same_event: dict[tuple[int, int], float] = field(default_factory=dict)  # compared document pairs: log-odds


@dataclass
class Units:
    """Every sentence, then every join of two adjacent sentences, as rows of one matrix.

    Units ``0 .. n_single-1`` are the sentences in document order, so a sentence's unit id
    is its global sentence number.
    """

    doc: np.ndarray  # [U] document index of each unit
    first: np.ndarray  # [U] first sentence index
    size: np.ndarray  # [U] 1 for a sentence, 2 for a join
    vectors: np.ndarray  # [U, d] centred, normalised
    n_single: int
    single_start: np.ndarray  # [D] unit id of each document's first sentence
    join_start: np.ndarray  # [D] unit id of each document's first join (joins of a document are contiguous)
    join_count: np.ndarray  # [D]

    def member(self, u: int) -> Member:
        first = int(self.first[u])
        return int(self.doc[u]), tuple(range(first, first + int(self.size[u])))

    def single(self, doc: int, sentence: int) -> int:
        return int(self.single_start[doc]) + sentence

    def singles_of(self, doc: int) -> np.ndarray:
        end = self.single_start[doc + 1] if doc + 1 < len(self.single_start) else self.n_single
        return np.arange(self.single_start[doc], end)

    def joins_of(self, doc: int) -> np.ndarray:
        return np.arange(self.join_start[doc], self.join_start[doc] + self.join_count[doc])


def key(a: int, b: int) -> tuple[int, int]:
    return (min(a, b), max(a, b))

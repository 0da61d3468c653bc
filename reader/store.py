"""SQLite cache of embeddings and translations, keyed by model id + text hash.

Only misses are computed (the idiom of simonw/llm's embeddings store). The
schema moves forward by numbered migrations recorded in ``PRAGMA user_version``.
Every write runs in a transaction, so a killed run never leaves half a batch,
and WAL mode lets two processes share one cache.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

MIGRATIONS: tuple[str, ...] = (
    # 1: embeddings
    """
    CREATE TABLE embeddings (
        model TEXT NOT NULL,
        hash  TEXT NOT NULL,
        dim   INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, hash)
    ) WITHOUT ROWID;
    """,
    # 2: translations
    """
    CREATE TABLE translations (
        package TEXT NOT NULL,
        hash    TEXT NOT NULL,
        source  TEXT NOT NULL,
        target  TEXT NOT NULL,
        PRIMARY KEY (package, hash)
    ) WITHOUT ROWID;
    """,
    # 3: contextual token vectors (float16), for token-level alignment scores
    """
    CREATE TABLE token_vectors (
        model  TEXT NOT NULL,
        hash   TEXT NOT NULL,
        tokens INTEGER NOT NULL,
        dim    INTEGER NOT NULL,
        data   BLOB NOT NULL,
        PRIMARY KEY (model, hash)
    ) WITHOUT ROWID;
    """,
)


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Store:
    """A cache file. Safe to share between threads of one process (one lock)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    def _migrate(self) -> None:
        with self._lock:
            (version,) = self._db.execute("PRAGMA user_version").fetchone()
            for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
                with self._db:
                    self._db.executescript(f"BEGIN; {sql} PRAGMA user_version = {number}; COMMIT;")

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def _select(self, query: str, owner: str, hashes: Iterable[str]) -> list[tuple]:
        """Rows of ``query`` (which ends in ``hash IN ({marks})``) for one model or package and
        those text hashes, asked 500 at a time (SQLite's limit on bound parameters)."""
        rows: list[tuple] = []
        with self._lock:
            for chunk in _chunks(sorted(set(hashes)), 500):
                rows += self._db.execute(query.format(marks=",".join("?" * len(chunk))), (owner, *chunk)).fetchall()
        return rows

    # ------------------------------------------------------------ embeddings
    def get_embeddings(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors for those texts that have one: text hash -> float32 vector."""
        query = "SELECT hash, dim, vector FROM embeddings WHERE model = ? AND hash IN ({marks})"
        found: dict[str, np.ndarray] = {}
        for h, dim, blob in self._select(query, model, (text_hash(t) for t in texts)):
            vec = np.frombuffer(blob, dtype=np.float32)
            if vec.shape[0] == dim:
                found[h] = vec
        return found

    def put_embeddings(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        rows = [
            (model, text_hash(t), int(v.shape[0]), v.tobytes()) for t, v in zip(texts, vectors, strict=True)
        ]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)

    # --------------------------------------------------------- token vectors
    def get_token_vectors(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached token vectors: text hash -> float16 array [tokens, dim]."""
        query = "SELECT hash, tokens, dim, data FROM token_vectors WHERE model = ? AND hash IN ({marks})"
        found: dict[str, np.ndarray] = {}
        for h, count, dim, blob in self._select(query, model, (text_hash(t) for t in texts)):
            flat = np.frombuffer(blob, dtype=np.float16)
            if flat.shape[0] == count * dim:
                found[h] = flat.reshape(count, dim)
        return found

    def put_token_vectors(self, model: str, texts: Sequence[str], tokens: Sequence[np.ndarray]) -> None:
        rows = []
        for t, m in zip(texts, tokens, strict=True):
            m = np.ascontiguousarray(m, dtype=np.float16)
            rows.append((model, text_hash(t), int(m.shape[0]), int(m.shape[1]) if m.ndim == 2 else 0, m.tobytes()))
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO token_vectors VALUES (?, ?, ?, ?, ?)", rows)

    # ---------------------------------------------------------- translations
    def get_translations(self, package: str, texts: Sequence[str]) -> dict[str, str]:
        """Cached translations: source text -> English, for those texts that have one."""
        by_hash = {text_hash(t): t for t in texts}
        query = "SELECT hash, target FROM translations WHERE package = ? AND hash IN ({marks})"
        return {by_hash[h]: target for h, target in self._select(query, package, by_hash)}

    def put_translations(self, package: str, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(package, text_hash(src), src, tgt) for src, tgt in pairs]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)", rows)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {
                table: self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("embeddings", "token_vectors", "translations")
            }


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]

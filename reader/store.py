"""SQLite cache of embeddings and translations, keyed by model id + text hash.

Only misses are computed (the idiom of simonw/llm's embeddings store). The
schema moves forward by numbered migrations recorded in ``PRAGMA user_version``.
Every write runs in a transaction, so a killed run never leaves half a batch,
and WAL mode lets two processes share one cache.

The cache only saves time, so trouble with its file never fails a run that can compute its
answer. A damaged file (not a database, truncated) is moved aside next to itself
(``cache.sqlite3.corrupt-<time>``) and a new one is started. A cache that cannot be opened
or read (a read-only folder, a full disk, a folder where the file should be, a lock another
process holds past ``Limits.cache_lock_seconds``) is left out for the rest of the run: reads
miss, writes are skipped. One that cannot be written (full disk, lock) is still read, and no
longer written. Each of these is one warning on the ``reader.store`` logger, which the CLI
prints as ``reader: <message>``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

from reader.settings import limits
from reader.untrusted import printable

T = TypeVar("T")
log = logging.getLogger(__name__)

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
    # 4: token vectors stored as int8 with one scale per token (half of float16's size, the same
    # gold figures: docs/models.md); rows written before stay float16 and are read as they are
    """
    ALTER TABLE token_vectors ADD COLUMN form TEXT NOT NULL DEFAULT 'float16';
    """,
)
TOKEN_FORM = "int8"  # how put_token_vectors writes: int8 values and a float32 scale per token

MEMORY = ":memory:"
# SQLite's error names for a file that is not, or no longer, a whole database
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_IOERR_SHORT_READ", "SQLITE_FORMAT")
_LOCKED = ("SQLITE_BUSY", "SQLITE_LOCKED")
# errors of reader's own making (a wrong query or argument): these trace back
_BUGS = (sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.IntegrityError)
# files SQLite keeps next to a database, which belong to it
_SIDECARS = ("-wal", "-shm", "-journal")


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Store:
    """A cache file. Safe to share between threads of one process (one lock).

    ``lock_seconds`` bounds each wait for another process's lock (default:
    ``Limits.cache_lock_seconds``)."""

    def __init__(self, path: str | Path, lock_seconds: float | None = None) -> None:
        self.path = Path(path)
        self.lock_seconds = limits().cache_lock_seconds if lock_seconds is None else lock_seconds
        self._in_memory = str(path) == MEMORY
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._writable = False  # False: writes are skipped (the file is read while _db is open)
        with self._lock:
            self._open()

    # ------------------------------------------------------------ the file
    def _connect(self) -> sqlite3.Connection:
        """A connection in WAL mode with the schema migrated forward."""
        if not self._in_memory:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=self.lock_seconds)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            (version,) = db.execute("PRAGMA user_version").fetchone()
            for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
                with db:
                    db.executescript(f"BEGIN; {sql} PRAGMA user_version = {number}; COMMIT;")
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> None:
        """Open the file, or a new one in place of a damaged one, or go on without a cache."""
        for first in (True, False):
            try:
                self._db, self._writable = self._connect(), True
                return
            except (sqlite3.Error, OSError) as error:
                if not self._survive(error, "opening", may_replace=first):
                    return

    def _close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:  # a last checkpoint that failed: the WAL keeps the pages
                pass
        self._db, self._writable = None, False

    def _survive(self, error: Exception, doing: str, may_replace: bool) -> bool:
        """Deal with ``error``, met while ``doing`` ("opening", "reading" or "writing") as the
        module docstring says; True when a new file replaced a damaged one (try again on it).
        An error that is reader's own bug is raised again."""
        trouble = _trouble(error)
        if trouble is None:
            raise error
        name = f"cache {printable(str(self.path))}"
        if trouble == "damaged" and may_replace and not self._in_memory:
            self._close()
            try:
                aside = _move_aside(self.path)
            except OSError as move:
                log.warning("%s: %s and cannot be moved aside (%s); running without it",
                            name, self._problem(trouble, error), move.strerror or move)
                return False
            log.warning("%s: %s; moved it to %s and started a new one",
                        name, self._problem(trouble, error), printable(aside.name))
            return True
        if doing == "writing" and trouble != "damaged":
            self._writable = False
            log.warning("%s: %s; going on without saving to it", name, self._problem(trouble, error))
        else:
            self._close()
            log.warning("%s: %s; running without it", name, self._problem(trouble, error))
        return False

    def _problem(self, trouble: str, error: BaseException) -> str:
        """The few words after the cache's name that say what is wrong with it."""
        if trouble == "locked":
            return (f"locked by another process (gave up after {self.lock_seconds:g} s; "
                    "READER_LIMITS_CACHE_LOCK_SECONDS waits longer)")
        if trouble == "damaged":
            truncated = getattr(error, "sqlite_errorname", "") == "SQLITE_IOERR_SHORT_READ"
            return "damaged (shorter than it says it is)" if truncated else f"damaged ({error})"
        where = None if self._in_memory else _place_problem(self.path)
        if where:
            return where
        if isinstance(error, OSError):
            return error.strerror or str(error)
        return str(error)

    def _run(self, action: Callable[[sqlite3.Connection], T], fallback: T, writing: bool = False) -> T:
        """``action`` on the connection under the lock, or ``fallback`` when the cache is left out
        (or, writing, no longer written) or fails now; a damaged file is replaced once and the
        action tried again on the new one."""
        with self._lock:
            for first in (True, False):
                if self._db is None or (writing and not self._writable):
                    return fallback
                try:
                    return action(self._db)
                except (sqlite3.Error, OSError) as error:
                    if not self._survive(error, "writing" if writing else "reading", may_replace=first):
                        return fallback
                    self._open()
            return fallback

    @property
    def schema_version(self) -> int:
        return self._run(lambda db: db.execute("PRAGMA user_version").fetchone()[0], 0)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _select(self, query: str, owner: str, hashes: Iterable[str]) -> list[tuple]:
        """Rows of ``query`` (which ends in ``hash IN ({marks})``) for one model or package and
        those text hashes, asked 500 at a time (SQLite's limit on bound parameters); none when
        the cache is left out."""
        chunks = list(_chunks(sorted(set(hashes)), 500))

        def select(db: sqlite3.Connection) -> list[tuple]:
            rows: list[tuple] = []
            for chunk in chunks:
                rows += db.execute(query.format(marks=",".join("?" * len(chunk))), (owner, *chunk)).fetchall()
            return rows

        return self._run(select, [])

    def _insert(self, sql: str, rows: list[tuple]) -> None:
        """Write ``rows`` in one transaction, or skip them when the cache is not written."""

        def insert(db: sqlite3.Connection) -> None:
            with db:
                db.executemany(sql, rows)

        self._run(insert, None, writing=True)

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
        self._insert("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)

    # --------------------------------------------------------- token vectors
    def get_token_vectors(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached token vectors: text hash -> float16 array [tokens, dim] (rows of either form)."""
        query = "SELECT hash, tokens, dim, form, data FROM token_vectors WHERE model = ? AND hash IN ({marks})"
        found: dict[str, np.ndarray] = {}
        for h, count, dim, form, blob in self._select(query, model, (text_hash(t) for t in texts)):
            tokens = unpack_tokens(blob, count, dim, form)
            if tokens is not None:
                found[h] = tokens
        return found

    def put_token_vectors(self, model: str, texts: Sequence[str], tokens: Sequence[np.ndarray]) -> None:
        rows = []
        for t, m in zip(texts, tokens, strict=True):
            m = np.asarray(m)
            count, dim = int(m.shape[0]), int(m.shape[1]) if m.ndim == 2 else 0
            rows.append((model, text_hash(t), count, dim, TOKEN_FORM, pack_tokens(m.reshape(count, dim))))
        self._insert("INSERT OR REPLACE INTO token_vectors (model, hash, tokens, dim, form, data) "
                     "VALUES (?, ?, ?, ?, ?, ?)", rows)

    # ---------------------------------------------------------- translations
    def get_translations(self, package: str, texts: Sequence[str]) -> dict[str, str]:
        """Cached translations: source text -> English, for those texts that have one."""
        by_hash = {text_hash(t): t for t in texts}
        query = "SELECT hash, target FROM translations WHERE package = ? AND hash IN ({marks})"
        return {by_hash[h]: target for h, target in self._select(query, package, by_hash)}

    def put_translations(self, package: str, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [(package, text_hash(src), src, tgt) for src, tgt in pairs]
        self._insert("INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?)", rows)

    def counts(self) -> dict[str, int]:
        """Rows per table (all 0 when the cache is left out)."""
        tables = ("embeddings", "token_vectors", "translations")
        return self._run(
            lambda db: {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables},
            dict.fromkeys(tables, 0),
        )


# ------------------------------------------------------------ token vectors' stored form
def pack_tokens(tokens: np.ndarray) -> bytes:
    """[tokens, dim] vectors as stored: a float32 scale per token (its largest magnitude / 127),
    then the int8 values, row by row. 4 + dim bytes a token, against float16's 2 x dim."""
    rows = np.asarray(tokens, dtype=np.float32)
    scales = np.abs(rows).max(axis=1, initial=0.0) / 127.0
    safe = np.where(scales > 0, scales, 1.0)[:, None]
    values = np.clip(np.rint(rows / safe), -127, 127).astype(np.int8)
    return scales.astype("<f4").tobytes() + values.tobytes()


def unpack_tokens(blob: bytes, count: int, dim: int, form: str = TOKEN_FORM) -> np.ndarray | None:
    """Stored token vectors back as float16 [count, dim]; None for a row of the wrong size."""
    if form == "float16":
        flat = np.frombuffer(blob, dtype=np.float16)
        return flat.reshape(count, dim) if flat.shape[0] == count * dim else None
    if form != "int8" or len(blob) != count * (4 + dim):
        return None
    scales = np.frombuffer(blob, dtype="<f4", count=count)
    values = np.frombuffer(blob, dtype=np.int8, offset=4 * count).reshape(count, dim)
    return (values.astype(np.float32) * scales[:, None]).astype(np.float16)


def stored_tokens(tokens: np.ndarray) -> np.ndarray:
    """``tokens`` as the cache gives them back, so that a run that computes them aligns exactly
    as a run that reads them."""
    rows = np.asarray(tokens)
    count, dim = int(rows.shape[0]), int(rows.shape[1]) if rows.ndim == 2 else 0
    unpacked = unpack_tokens(pack_tokens(rows.reshape(count, dim)), count, dim)
    assert unpacked is not None  # pack_tokens wrote exactly count * (4 + dim) bytes
    return unpacked


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ------------------------------------------------------------ trouble with the file
def _trouble(error: BaseException) -> str | None:
    """What ``error`` says of the cache file: "damaged", "locked" or "unusable" (read-only,
    full, missing folder…); None for a bug of reader's own."""
    if isinstance(error, OSError):
        return "unusable"
    if not isinstance(error, sqlite3.Error) or isinstance(error, _BUGS):
        return None
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(_DAMAGED):
        return "damaged"
    if name.startswith(_LOCKED):
        return "locked"
    return "unusable"


def _place_problem(path: Path) -> str | None:
    """Why ``path`` cannot hold a database file, when the file system says so: it is a folder,
    a parent is a file, or its folder cannot be written."""
    try:
        if path.is_dir():
            return "it is a folder, not a file"
        for parent in path.parents:
            if parent.is_dir():
                return None if os.access(parent, os.W_OK) else f"{printable(str(parent))} is read-only"
            if parent.exists():
                return f"{printable(str(parent))} is a file, not a folder"
    except OSError:
        return None
    return None


def _move_aside(path: Path) -> Path:
    """Rename a damaged cache and the files SQLite keeps next to it, next to themselves and
    named by the time (``cache.sqlite3.corrupt-20250101-120000``); the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
    path.rename(aside)
    for suffix in _SIDECARS:  # a stale -wal would be replayed into the new file
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            sidecar.rename(aside.with_name(aside.name + suffix))
    return aside

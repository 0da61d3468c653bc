"""What ``reader batch`` has done in OUT: a typed manifest in SQLite (``OUT/manifest.sqlite``).

One row per inbox file, per article and per event, so recording one file read or one event
aligned is one small transaction, not a whole file rewritten. The database runs in WAL mode with
``synchronous=FULL``: a commit is on disk when it returns, so a run killed at any instant (kill -9,
the OOM killer, a power cut) keeps every file and event it had recorded and loses at most the one
it was working on; the next run redoes exactly what the manifest lacks.

Schema (``PRAGMA application_id`` marks the file as reader batch's, ``user_version`` is
:data:`SCHEMA_VERSION`)::

    meta(key PRIMARY KEY, value)                       'model': the embedding model the rows are of
    files(path PRIMARY KEY, hash, size, mtime_ns, error, warnings, articles)   one row per inbox file
    articles(path, position, hash, lang, published, title, outlet, sentences,
             names, figures, doc_id, digest; PRIMARY KEY (path, position))  one per article of a file
    events(id PRIMARY KEY, signature, claims, discrepancies, untranslated, members)  one per event aligned
    event_articles(event, rank, key, hash, doc_id; PRIMARY KEY (event, rank))   its members, in order

Lists (warnings, names, figures, untranslated) are JSON arrays of strings.

Nothing read back is trusted (it may have been cut short, edited by hand, or written to do harm):
a row of the wrong shape (a value of another type, a hash that is not one, a document id
``reader.docids`` could not have made, an article whose file is not in the manifest or whose
positions have a gap) counts as never done and is deleted, so its file is read again and its event
aligned again, with one notice. A file that is not such a database at all (garbage, another
program's database, cut short) is replaced by a new one with one notice; one of an earlier schema
is replaced quietly (an upgrade), as is the ``manifest.json`` earlier versions wrote (with a
notice). The caches (embeddings, translations, vectors) keep the work, so rebuilding costs little.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader import docids
from reader.batch.files import (
    ARTICLE_HASH,
    EVENT_ID,
    MANIFEST_NAME,
    OLD_MANIFEST_NAME,
    remove,
)
from reader.errors import ReaderError

SCHEMA_VERSION = 1
APPLICATION_ID = 0x52424D46  # "RBMF": a reader batch manifest file

SCHEMA = f"""
PRAGMA application_id = {APPLICATION_ID};
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files (
    path TEXT PRIMARY KEY, hash TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    error TEXT, warnings TEXT NOT NULL, articles INTEGER NOT NULL
);
CREATE TABLE articles (
    path TEXT NOT NULL, position INTEGER NOT NULL, hash TEXT NOT NULL, lang TEXT NOT NULL, published TEXT,
    title TEXT, outlet TEXT, sentences INTEGER NOT NULL, names TEXT NOT NULL, figures TEXT NOT NULL,
    doc_id TEXT NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (path, position)
);
CREATE TABLE events (
    id TEXT PRIMARY KEY, signature TEXT NOT NULL, claims INTEGER NOT NULL, discrepancies INTEGER NOT NULL,
    untranslated TEXT NOT NULL, members INTEGER NOT NULL
);
CREATE TABLE event_articles (
    event TEXT NOT NULL, rank INTEGER NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, doc_id TEXT NOT NULL,
    PRIMARY KEY (event, rank)
);
PRAGMA user_version = {SCHEMA_VERSION};
"""
ARTICLE_COLUMNS = "path, position, hash, lang, published, title, outlet, sentences, names, figures, doc_id, digest"
TABLES = ("meta", "files", "articles", "events", "event_articles")
SIDECARS = ("-wal", "-shm", "-journal")


# ----------------------------------------------------------------- rows
@dataclass(frozen=True)
class FileRow:
    """An inbox file as last read: its content hash, size and mtime (a file whose size and mtime
    match is not read again), and what reading it said (``error``: it gave no article)."""

    path: str
    hash: str
    size: int
    mtime_ns: int
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleRow:
    """One article of a file, with what grouping needs (names, figures; its vectors are in
    ``OUT/.vectors/<hash>.npy``) and the id ingest gave it reading its file alone."""

    path: str
    position: int
    hash: str
    lang: str
    published: str | None
    title: str | None
    outlet: str | None
    sentences: int
    names: tuple[str, ...]
    figures: tuple[str, ...]
    doc_id: str
    digest: str

    @property
    def key(self) -> str:
        return f"{self.path}#{self.position}"


@dataclass(frozen=True)
class MemberRow:
    """An article of an aligned event: its key (path#position), content hash and document id."""

    key: str
    hash: str
    doc_id: str


@dataclass(frozen=True)
class EventRow:
    """An aligned event: the signature its reports were written for, and their counts."""

    id: str
    signature: str
    members: tuple[MemberRow, ...]
    claims: int
    discrepancies: int
    untranslated: tuple[str, ...] = ()


# ----------------------------------------------------------------- checks on rows read back
def _text(value: object) -> bool:
    return type(value) is str


def _count(value: object) -> bool:
    return type(value) is int and value >= 0


def _optional(value: object) -> bool:
    return value is None or type(value) is str


def _strings(value: object) -> tuple[str, ...] | None:
    """A JSON array of strings as a tuple; None when it is anything else."""
    if type(value) is not str:
        return None
    try:
        items = json.loads(value)
    except (ValueError, RecursionError):
        return None
    if type(items) is not list or not all(type(x) is str for x in items):
        return None
    return tuple(items)


def _file_row(row: tuple) -> FileRow | None:
    path, digest, size, mtime_ns, error, warnings = row[:6]
    listed = _strings(warnings)
    if not (_text(path) and _text(digest) and ARTICLE_HASH.fullmatch(digest) and _count(size) and _count(mtime_ns)
            and _optional(error)) or listed is None:
        return None
    return FileRow(path, digest, size, mtime_ns, error, listed)


def _article_row(row: tuple) -> ArticleRow | None:
    path, position, digest, lang, published, title, outlet, sentences, names, figures, doc_id, body = row
    names_, figures_ = _strings(names), _strings(figures)
    if names_ is None or figures_ is None:
        return None
    if not (_text(path) and _count(position) and _text(lang) and _count(sentences)
            and _optional(published) and _optional(title) and _optional(outlet)):
        return None
    # the hash names a vector file and an event, the id and digest are shown in every report
    if not (_text(digest) and ARTICLE_HASH.fullmatch(digest) and docids.plain(doc_id)
            and _text(body) and docids.DIGEST.fullmatch(body)):
        return None
    return ArticleRow(path, position, digest, lang, published, title, outlet, sentences, names_, figures_, doc_id, body)


def _member_row(row: tuple) -> MemberRow | None:
    key, digest, doc_id = row
    if not (_text(key) and _text(digest) and docids.plain(doc_id)):
        return None
    return MemberRow(key, digest, doc_id)


def _event_row(row: tuple, members: Sequence[tuple[object, MemberRow | None]]) -> EventRow | None:
    """An event row and its members' (rank, row) pairs; None unless every one has the right shape
    and the ranks run 0 … count-1."""
    event_id, signature, claims, discrepancies, untranslated, count = row
    listed = _strings(untranslated)
    if not (_text(event_id) and EVENT_ID.fullmatch(event_id) and _text(signature) and ARTICLE_HASH.fullmatch(signature)
            and _count(claims) and _count(discrepancies) and _count(count)) or listed is None:
        return None
    if not count or [rank for rank, _ in members] != list(range(count)) or any(m is None for _, m in members):
        return None
    return EventRow(event_id, signature, tuple(m for _, m in members if m is not None), claims, discrepancies, listed)


# ----------------------------------------------------------------- the manifest
class Manifest:
    """The manifest of one OUT, read whole on opening (checked, as the module docstring says) and
    kept in memory; every change is written through in one transaction before it returns.

    ``notices`` holds what was found damaged and rebuilt, one line each."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST_NAME
        self.notices: list[str] = []
        self.model: str | None = None
        self.files: dict[str, FileRow] = {}
        self.articles: dict[str, tuple[ArticleRow, ...]] = {}  # by file path, in position order
        self.events: dict[str, EventRow] = {}
        self._forget_old_manifest(out / OLD_MANIFEST_NAME)
        self._db = self._open()

    # ----------------------------------------------------------- opening
    def _forget_old_manifest(self, old: Path) -> None:
        if old.is_file() or old.is_symlink():
            remove([old])
            self.notices.append(f"{old}: the manifest of an earlier reader batch; removed (the caches keep the work)")

    def _open(self) -> sqlite3.Connection:
        exists = self.path.exists() or self.path.is_symlink()
        if exists and not stat.S_ISREG(self.path.lstat().st_mode):
            raise ReaderError(f"{self.path} is not a file reader batch wrote",
                              hint="move it out of the output folder, or write to another --out folder")
        if exists:
            db = None
            try:
                db = self._connect()
                if self._ours(db):
                    self._load(db)
                    return db
            except sqlite3.DatabaseError as error:  # not a database, cut short, a table missing or changed
                self.notices.append(f"{self.path}: not a reader batch manifest ({error}); rebuilt")
            if db is not None:
                db.close()
            self._reset()
        return self._create()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=5.0, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a commit is on disk when it returns
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _ours(self, db: sqlite3.Connection) -> bool:
        """Whether ``db`` is a manifest of this schema; a notice when it is not one of ours at all
        (an earlier schema of ours is replaced quietly)."""
        (app,) = db.execute("PRAGMA application_id").fetchone()
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if app == APPLICATION_ID:
            return version == SCHEMA_VERSION
        self.notices.append(f"{self.path}: not a reader batch manifest (another program's database); rebuilt")
        return False

    def _reset(self) -> None:
        self.model, self.files, self.articles, self.events = None, {}, {}, {}
        remove([self.path.with_name(self.path.name + s) for s in ("", *SIDECARS)])

    def _create(self) -> sqlite3.Connection:
        db = self._connect()
        db.executescript(f"BEGIN; {SCHEMA} COMMIT;")
        return db

    def _load(self, db: sqlite3.Connection) -> None:
        """Read every row, keep those of the right shape and delete the others."""
        model = db.execute("SELECT value FROM meta WHERE key = 'model'").fetchone()
        self.model = model[0] if model and _optional(model[0]) else None
        raw_articles: dict[object, list[tuple]] = {}
        for row in db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY path, position"):
            raw_articles.setdefault(row[0], []).append(row)
        bad_files = []
        for raw in db.execute("SELECT path, hash, size, mtime_ns, error, warnings, articles FROM files ORDER BY path").fetchall():
            entry = _file_row(raw)
            rows = [_article_row(r) for r in raw_articles.pop(raw[0], [])]
            positions = [a.position for a in rows if a is not None]
            if entry is None or None in rows or not _count(raw[6]) or positions != list(range(raw[6])):  # its count
                bad_files.append(raw[0])
                continue
            self.files[entry.path] = entry
            self.articles[entry.path] = tuple(a for a in rows if a is not None)
        orphans = list(raw_articles)  # articles of a file the manifest does not hold
        members: dict[object, list[tuple[object, MemberRow | None]]] = {}
        for event, rank, *member in db.execute("SELECT event, rank, key, hash, doc_id FROM event_articles ORDER BY event, rank"):
            members.setdefault(event, []).append((rank, _member_row(tuple(member))))
        bad_events = []
        for raw in db.execute("SELECT id, signature, claims, discrepancies, untranslated, members FROM events").fetchall():
            entry = _event_row(raw, members.pop(raw[0], []))
            if entry is None:
                bad_events.append(raw[0])
            else:
                self.events[entry.id] = entry
        orphans_events = list(members)
        dropped = len(bad_files) + len(orphans) + len(bad_events) + len(orphans_events)
        if dropped:
            with _transaction(db):
                for path in (*bad_files, *orphans):
                    db.execute("DELETE FROM files WHERE path IS ?", (path,))
                    db.execute("DELETE FROM articles WHERE path IS ?", (path,))
                for event in (*bad_events, *orphans_events):
                    db.execute("DELETE FROM events WHERE id IS ?", (event,))
                    db.execute("DELETE FROM event_articles WHERE event IS ?", (event,))
            self.notices.append(f"{self.path}: {dropped} entries of the wrong shape left out; rebuilt")

    # ----------------------------------------------------------- changes, each one transaction
    def start_over(self, model: str) -> None:
        """Forget everything: the rows are of another embedding model (or of none)."""
        with _transaction(self._db):
            for table in TABLES:
                self._db.execute(f"DELETE FROM {table}")  # a fixed table name, not input
            self._db.execute("INSERT INTO meta VALUES ('model', ?)", (model,))
        self.model, self.files, self.articles, self.events = model, {}, {}, {}

    def put_file(self, entry: FileRow, articles: Sequence[ArticleRow]) -> None:
        """Record a file read (and its articles, replacing what the file held before)."""
        with _transaction(self._db):
            self._db.execute("DELETE FROM articles WHERE path = ?", (entry.path,))
            self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (entry.path, entry.hash, entry.size, entry.mtime_ns, entry.error, _json(entry.warnings),
                              len(articles)))
            self._db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.path, a.position, a.hash, a.lang, a.published, a.title, a.outlet, a.sentences, _json(a.names),
                  _json(a.figures), a.doc_id, a.digest) for a in articles],
            )
        self.files[entry.path] = entry
        self.articles[entry.path] = tuple(articles)

    def touch_files(self, entries: Iterable[FileRow]) -> None:
        """Record new sizes and mtimes of files whose bytes did not change."""
        entries = list(entries)
        if not entries:
            return
        with _transaction(self._db):
            self._db.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                                 [(e.size, e.mtime_ns, e.path) for e in entries])
        self.files.update((e.path, e) for e in entries)

    def drop_files(self, paths: Iterable[str]) -> None:
        """Forget files (gone from the inbox, or unreadable now: the next run tries them again)."""
        paths = [p for p in paths if p in self.files]
        if not paths:
            return
        with _transaction(self._db):
            self._db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in paths])
            self._db.executemany("DELETE FROM articles WHERE path = ?", [(p,) for p in paths])
        for path in paths:
            del self.files[path]
            self.articles.pop(path, None)

    def put_event(self, event: EventRow) -> None:
        """Record an event aligned (its reports are written before this is called)."""
        with _transaction(self._db):
            self._db.execute("DELETE FROM event_articles WHERE event = ?", (event.id,))
            self._db.execute("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?)",
                             (event.id, event.signature, event.claims, event.discrepancies, _json(event.untranslated),
                              len(event.members)))
            self._db.executemany("INSERT INTO event_articles VALUES (?, ?, ?, ?, ?)",
                                 [(event.id, n, m.key, m.hash, m.doc_id) for n, m in enumerate(event.members)])
        self.events[event.id] = event

    def drop_events(self, event_ids: Iterable[str]) -> None:
        ids = [e for e in event_ids if e in self.events]
        if not ids:
            return
        with _transaction(self._db):
            self._db.executemany("DELETE FROM events WHERE id = ?", [(e,) for e in ids])
            self._db.executemany("DELETE FROM event_articles WHERE event = ?", [(e,) for e in ids])
        for event_id in ids:
            del self.events[event_id]

    def all_articles(self) -> list[ArticleRow]:
        return [a for path in sorted(self.articles) for a in self.articles[path]]

    def close(self) -> None:
        self._db.close()


class _transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an error) on a connection in autocommit mode."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, trace) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def _json(items: Sequence[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)

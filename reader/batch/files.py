"""The files ``reader batch`` owns in its output folder: their names, how they are written, the
lock, the checks on what it reads back from them, and which of them it may delete.

Written whole or not at all: :func:`atomic_write` puts the bytes in a temporary file beside the
target (:func:`temporary_path`), syncs it and renames it over the old one, so a reader of OUT sees
the old or the new report, never half of one. :func:`locked` holds OUT for one run (an
``fcntl.flock`` the kernel releases when the process dies, so a killed run leaves no stale lock).

Nothing read back from OUT is trusted: a vector file may have been cut short by a full disk,
edited by hand, copied from another version, or written to do harm. What is of the wrong shape
counts as never computed, so the batch computes it again, and says so in one line
(:func:`checked_vectors`; the manifest's rows are checked in ``reader.batch.manifest``).

And what a batch deletes, only ever by the names it writes itself, so nothing else a user keeps in
OUT is touched:

* :func:`stale_temporaries`: the temporary files of atomic writes that a killed run left behind,
  older than the current run.
* :func:`orphan_vectors`: the vectors of articles no longer in the inbox.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import os
import re
import stat
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from reader.errors import ReaderError

MANIFEST_NAME = "manifest.sqlite"  # reader.batch.manifest; SQLite keeps -wal and -shm files beside it
OLD_MANIFEST_NAME = "manifest.json"  # what earlier versions wrote: removed with a notice
LOCK_NAME = ".reader-batch.lock"
INDEX_NAMES = ("index.json", "index.md")
VECTORS_DIR = ".vectors"
EVENTS_DIR = "events"

ARTICLE_HASH = re.compile(r"[0-9a-f]{32}")  # hash_bytes: blake2b, 16 bytes
EVENT_ID = re.compile(r"e-[0-9a-f]{12}(-[0-9]+)?")
EVENT_FILE = re.compile(EVENT_ID.pattern + r"\.(json|md|html)")  # an event's reports: report_paths
VECTOR_FILE = re.compile(ARTICLE_HASH.pattern + r"\.npy")
TEMPORARY = re.compile(r"\.(?P<name>.+)\.[0-9]+\.[0-9]+\.tmp")  # temporary_path's names


def hash_bytes(data: bytes) -> str:
    """The content hash batch names files and articles by: 32 hex digits of blake2b."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def temporary_path(path: Path) -> Path:
    """Where an atomic write of ``path`` puts its bytes before the rename: ``.NAME.PID.THREAD.tmp``
    beside it, so two writers never share one and a killed run's are recognised by the name."""
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with open(tmp, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold OUT's exclusive lock; fail fast (ReaderError) when another run holds it, or when OUT
    cannot be a folder written to (a file, under a file, no permission)."""
    path = out / LOCK_NAME
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        reasons = {FileExistsError: "it is not a folder", NotADirectoryError: "a folder above it is a file"}
        reason = reasons.get(type(exc), exc.strerror or str(exc))
        hint = "--out names a folder for the reports: a new path, or a folder you can write to"
        raise ReaderError(f"{out} cannot be the output folder: {reason}", hint=hint) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise ReaderError(
                f"{out} is in use by another reader batch (pid {holder})",
                hint="wait for it to finish, or write to another --out folder",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def report_paths(out: Path, event_id: str) -> tuple[Path, Path, Path]:
    """An event's three reports: JSON, Markdown, HTML."""
    base = out / EVENTS_DIR / event_id
    return base.with_suffix(".json"), base.with_suffix(".md"), base.with_suffix(".html")


def vector_path(out: Path, article_hash: str) -> Path:
    return out / VECTORS_DIR / f"{article_hash}.npy"


def npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


# ----------------------------------------------------------------- vectors
def checked_vectors(path: Path, rows: int) -> np.ndarray | None:
    """The vectors saved at ``path`` as float32, when they have the shape an article's have: a
    regular file holding one 2-D array of ``rows`` rows of finite floats. None otherwise (missing,
    cut short, another shape or type, a pickle, an archive, a FIFO that would block the read)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        array = np.load(path, mmap_mode="r", allow_pickle=False)  # mapped: a header claiming petabytes fails
    except Exception:  # noqa: BLE001  damaged: ValueError, EOFError, BadZipFile, TokenError, NotImplementedError…
        return None
    if not isinstance(array, np.ndarray):  # an .npz archive
        array.close()
        return None
    if array.ndim != 2 or len(array) != rows or array.dtype.kind != "f" or (rows and not array.shape[1]):
        return None
    vectors = np.array(array, dtype=np.float32)
    return vectors if np.isfinite(vectors).all() else None


def majority_width(arrays: Iterable[np.ndarray]) -> int | None:
    """The width more than half of the non-empty ``arrays`` share (the embedding model's), or None."""
    widths = Counter(a.shape[1] for a in arrays if len(a))
    if not widths:
        return None
    width, count = widths.most_common(1)[0]
    return width if count * 2 > sum(widths.values()) else None


# ----------------------------------------------------------------- cleaning
def _owned(folder: str, name: str) -> bool:
    """Whether ``name`` in OUT's ``folder`` ("" for OUT itself) is a file reader batch writes."""
    if folder == EVENTS_DIR:
        return EVENT_FILE.fullmatch(name) is not None
    if folder == VECTORS_DIR:
        return VECTOR_FILE.fullmatch(name) is not None
    return name in (MANIFEST_NAME, OLD_MANIFEST_NAME) or name in INDEX_NAMES


def stale_temporaries(out: Path, before_ns: int) -> list[Path]:
    """Temporary files of atomic writes in OUT, OUT/events and OUT/.vectors last written before
    ``before_ns`` (the current run's start): a killed run's. Only regular files named as
    :func:`temporary_path` names a temporary of a file reader batch writes there."""
    found = []
    for folder in ("", EVENTS_DIR, VECTORS_DIR):
        with contextlib.suppress(OSError), os.scandir(out / folder) as entries:
            for entry in entries:
                match = TEMPORARY.fullmatch(entry.name)
                if match is None or not _owned(folder, match["name"]):
                    continue
                with contextlib.suppress(OSError):
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode) and st.st_mtime_ns < before_ns:
                        found.append(Path(entry.path))
    return sorted(found)


def orphan_vectors(out: Path, keep: set[str]) -> list[Path]:
    """The vector files in OUT/.vectors of articles (content hashes) not in ``keep``."""
    folder = out / VECTORS_DIR
    with contextlib.suppress(OSError):
        return sorted(p for p in folder.iterdir() if VECTOR_FILE.fullmatch(p.name) and p.stem not in keep)
    return []


def remove(paths: Iterable[Path]) -> int:
    """Delete ``paths`` (files), going on past any that cannot be; how many were deleted."""
    removed = 0
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed

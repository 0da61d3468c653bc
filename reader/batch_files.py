"""The files ``reader batch`` owns in its output folder: their names, the checks on what it reads
back from them, and which of them it may delete.

Nothing read back from OUT is trusted: a manifest or a vector file may have been cut short by a
full disk, edited by hand, copied from another version, or written to do harm (a path outside
OUT, a file that is not in the inbox). What is of the wrong shape counts as never computed, so
the batch computes it again, and says so in one line:

* :func:`checked_manifest`: the manifest with every entry of the wrong shape left out (its file
  is read again, its event aligned again).
* :func:`checked_vectors`: an article's vectors, or None when the ``.npy`` is missing, unreadable
  or of the wrong shape; :func:`majority_width` is the width most of them share.

And what a batch deletes, only ever by the names it writes itself, so nothing else a user keeps in
OUT is touched:

* :func:`stale_temporaries`: the temporary files of atomic writes (:func:`temporary_path`) that a
  killed run left behind, older than the current run.
* :func:`orphan_vectors`: the vectors of articles no longer in the inbox.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from reader import docids

MANIFEST_NAME = "manifest.json"
INDEX_NAMES = ("index.json", "index.md")
VECTORS_DIR = ".vectors"
EVENTS_DIR = "events"

ARTICLE_HASH = re.compile(r"[0-9a-f]{32}")  # batch._hash_bytes: blake2b, 16 bytes
EVENT_ID = re.compile(r"e-[0-9a-f]{12}(-[0-9]+)?")
EVENT_FILE = re.compile(EVENT_ID.pattern + r"\.(json|md|html)")  # an event's reports: batch._report_paths
VECTOR_FILE = re.compile(ARTICLE_HASH.pattern + r"\.npy")
TEMPORARY = re.compile(r"\.(?P<name>.+)\.[0-9]+\.[0-9]+\.tmp")  # temporary_path's names


def temporary_path(path: Path) -> Path:
    """Where an atomic write of ``path`` puts its bytes before the rename: ``.NAME.PID.THREAD.tmp``
    beside it, so two writers never share one and a killed run's are recognised by the name."""
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")


# ----------------------------------------------------------------- manifest
_TEXT = (str,)
_COUNT = (int,)
_LIST = (list,)
_OPTIONAL = (str, type(None))
_FILE = {"hash": _TEXT, "size": _COUNT, "mtime_ns": _COUNT, "error": _OPTIONAL, "warnings": _LIST, "articles": _LIST}
_ARTICLE = {"key": _TEXT, "path": _TEXT, "position": _COUNT, "hash": _TEXT, "lang": _TEXT, "published": _OPTIONAL,
            "title": _OPTIONAL, "outlet": _OPTIONAL, "sentences": _COUNT, "names": _LIST, "figures": _LIST,
            "id": _TEXT, "digest": _TEXT}
_EVENT = {"signature": _TEXT, "articles": _LIST, "claims": _COUNT, "discrepancies": _COUNT, "untranslated": _LIST}
_MEMBER = {"key": _TEXT, "hash": _TEXT, "id": _TEXT}


def _shaped(value: object, fields: dict[str, tuple[type, ...]]) -> bool:
    """A JSON object holding every field with a value of its type (exact: a bool is no count),
    counts not negative, and lists of strings only (except the lists of objects checked apart)."""
    if not isinstance(value, dict):
        return False
    for name, kinds in fields.items():
        item = value.get(name, ...)
        if type(item) not in kinds or (type(item) is int and item < 0):
            return False
        if type(item) is list and name != "articles" and not all(type(x) is str for x in item):
            return False
    return True


def _file_entry_ok(path: str, entry: object) -> bool:
    """A manifest file entry whose articles are those of ``path``, in order, each with a real hash
    (it names a vector file and an event, so it must not name a path)."""
    if not _shaped(entry, _FILE):
        return False
    articles = entry["articles"]
    return all(
        _shaped(a, _ARTICLE) and a["path"] == path and a["position"] == n
        and a["key"] == f"{path}#{n}" and ARTICLE_HASH.fullmatch(a["hash"]) is not None
        and docids.plain(a["id"]) and docids.DIGEST.fullmatch(a["digest"]) is not None  # ids shown in reports
        for n, a in enumerate(articles)
    )


def _event_entry_ok(event_id: str, entry: object) -> bool:
    return (
        EVENT_ID.fullmatch(event_id) is not None
        and _shaped(entry, _EVENT)
        and all(_shaped(m, _MEMBER) and docids.plain(m["id"]) for m in entry["articles"])
    )


def checked_manifest(data: object, version: int) -> tuple[dict[str, Any] | None, str | None]:
    """The manifest as read from JSON, with every file and event entry of the wrong shape left out,
    and what was wrong with it. ``(None, None)``: a manifest of another version, not used (it is
    rebuilt quietly, as an upgrade); ``(None, problem)``: not a manifest at all."""
    if not isinstance(data, dict):
        return None, f"not a manifest (a JSON {type(data).__name__}, not an object)"
    if data.get("version") != version:
        return None, None
    files, events, model = data.get("files"), data.get("events"), data.get("model")
    if not isinstance(files, dict) or not isinstance(events, dict) or type(model) not in _OPTIONAL:
        return None, "not a manifest (no files, events or model)"
    good_files = {k: v for k, v in files.items() if _file_entry_ok(k, v)}
    good_events = {k: v for k, v in events.items() if _event_entry_ok(k, v)}
    dropped = len(files) - len(good_files) + len(events) - len(good_events)
    manifest = {"version": version, "model": model, "files": good_files, "events": good_events}
    return manifest, f"{dropped} entries of the wrong shape left out" if dropped else None


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
    return name == MANIFEST_NAME or name in INDEX_NAMES


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

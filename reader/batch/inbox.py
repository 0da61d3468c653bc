"""The inbox as ``reader batch`` sees it: which files it takes, and one look at each.

A scan stats every file and hashes the bytes of those whose size or mtime differ from the
manifest (a file that matches is not read at all). The bytes read for the hash are kept, so a new
or changed file is read from disk once, and the bytes, not the path, go to whichever worker reads
its articles (``reader.batch.stages.FileInput``): a worker on another machine cannot open a path
on this one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reader.batch.files import hash_bytes
from reader.batch.manifest import FileRow


def inbox_files(inbox: Path) -> list[Path]:
    """The files a folder read would take (ingest's rules: known suffixes, no README*/gold*/hidden)."""
    from reader.ingest import SUFFIXES

    out = []
    for child in sorted(inbox.rglob("*")):
        rel = child.relative_to(inbox).parts
        name = child.name.lower()
        if any(p.startswith(".") for p in rel):
            continue
        with contextlib.suppress(OSError):  # one that cannot even be looked at is kept: the scan names it
            if not child.is_file():
                continue
        if name.startswith(("readme", "gold")) or ".gold." in name or child.suffix.lower() not in SUFFIXES:
            continue
        out.append(child)
    return out


@dataclass(frozen=True)
class Scanned:
    """One inbox file as the scan found it; ``data`` holds its bytes when the scan read them."""

    path: Path
    size: int
    mtime_ns: int
    hash: str
    data: bytes | None = None

    def row(self) -> FileRow:
        return FileRow(str(self.path), self.hash, self.size, self.mtime_ns)


def scan(paths: list[Path], known: Mapping[str, FileRow]) -> tuple[list[Scanned], list[tuple[Path, str]]]:
    """Each file's size, mtime and content hash (from the manifest when size and mtime match), and
    the files that cannot be looked at or read, as one line each (tried again on the next run)."""
    found, unreadable = [], []
    for path in paths:
        entry = known.get(str(path))
        try:
            st = path.stat()
            if entry is not None and (entry.size, entry.mtime_ns) == (st.st_size, st.st_mtime_ns):
                found.append(Scanned(path, st.st_size, st.st_mtime_ns, entry.hash))
                continue
            data = read_bytes(path)
        except OSError as exc:
            unreadable.append((path, f"{path}: cannot read ({exc.strerror or exc}); tried again on the next run"))
            continue
        found.append(Scanned(path, st.st_size, st.st_mtime_ns, hash_bytes(data), data))
    return found, unreadable


def read_bytes(path: Path) -> bytes:
    """A file's bytes; opened without blocking, so a named pipe put in its place is an error, not a wait."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb") as fh:
        return fh.read()

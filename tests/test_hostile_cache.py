"""reader.store under hostile conditions: a damaged file is moved aside and rebuilt; a read-only
folder, a full disk, a foreign lock or a cache path of the wrong kind leave the cache out (or
unwritten) with one line saying so, and never fail a run that can compute its answer.

Every hostile file is made here, at test time. The notices are warnings of the ``reader.store``
logger (``caplog``); the CLI prints them as ``reader: <message>``.
"""

from __future__ import annotations

import errno
import gc
import io
import json
import logging
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from fakes import NoTranslator, TokenHashEmbedder
from reader import cli, pipeline
from reader.store import Store, text_hash

TEXTS = [f"sentence number {i}" for i in range(300)]


@pytest.fixture
def notices(caplog: pytest.LogCaptureFixture):
    """The store's notices so far, as a function of no arguments."""
    caplog.set_level(logging.WARNING, logger="reader.store")
    return lambda: [r.getMessage() for r in caplog.records if r.name == "reader.store"]


def _filled(path: Path) -> None:
    """A healthy cache at ``path`` holding embeddings and translations of TEXTS."""
    store = Store(path)
    store.put_embeddings("m", TEXTS, np.ones((len(TEXTS), 32)))
    store.put_translations("p", [(t, t.upper()) for t in TEXTS])
    store.close()


def _works_from_empty(store: Store) -> None:
    """A cache that starts empty and keeps what is written to it."""
    assert store.get_embeddings("m", TEXTS) == {}
    store.put_embeddings("m", TEXTS[:2], np.ones((2, 4)))
    assert set(store.get_embeddings("m", TEXTS)) == {text_hash(t) for t in TEXTS[:2]}


def _left_out(store: Store) -> None:
    """A cache the run goes on without: reads miss, writes are skipped, nothing raises."""
    store.put_embeddings("m", TEXTS[:2], np.ones((2, 4)))
    store.put_translations("p", [("a", "b")])
    assert store.get_embeddings("m", TEXTS) == {}
    assert store.get_translations("p", ["a"]) == {}
    assert store.counts() == {"embeddings": 0, "token_vectors": 0, "translations": 0}


def _aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*[0-9]"))


# ------------------------------------------------------------ 1. damaged file
def test_garbage_in_place_of_the_cache_is_moved_aside_and_a_new_one_built(tmp_path: Path, notices) -> None:
    folder = tmp_path / "odd\x1b[31m\nname"  # the name reaches the terminal through printable
    folder.mkdir()
    path = folder / "cache.sqlite3"
    garbage = b"not a database, only bytes\x00\xff" * 400
    path.write_bytes(garbage)

    store = Store(path)
    _works_from_empty(store)
    (aside,) = _aside(path)
    assert aside.read_bytes() == garbage  # kept, next to the new cache
    (message,) = notices()
    assert "damaged (file is not a database)" in message and f"moved it to {aside.name}" in message
    assert "\x1b" not in message and "\n" not in message and "\\x1b" in message
    store.close()


def test_a_truncated_cache_is_moved_aside_and_a_new_one_built(tmp_path: Path, notices) -> None:
    path = tmp_path / "cache.sqlite3"
    _filled(path)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])

    store = Store(path)
    _works_from_empty(store)
    (aside,) = _aside(path)
    assert aside.stat().st_size == len(whole) // 2
    (message,) = notices()
    assert "damaged" in message and "moved it to" in message
    store.close()


def test_damage_found_while_reading_is_a_miss_and_the_new_cache_keeps_later_writes(tmp_path: Path, notices) -> None:
    path = tmp_path / "cache.sqlite3"
    _filled(path)
    store = Store(path)  # opens fine: the header is whole
    with path.open("r+b") as f:  # another program scribbles over every page after the second
        f.seek(2 * 4096)
        f.write(b"\xff" * (path.stat().st_size - 2 * 4096))

    assert store.get_embeddings("m", TEXTS) == {}
    assert len(_aside(path)) == 1 and len(notices()) == 1
    store.put_embeddings("m", TEXTS[:3], np.ones((3, 4)))
    assert len(store.get_embeddings("m", TEXTS)) == 3
    store.close()
    assert len(Store(path).get_embeddings("m", TEXTS)) == 3


# ------------------------------------------------------------ 2. read-only folder
def test_a_read_only_folder_runs_without_a_cache(tmp_path: Path, notices) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder; the /proc test below covers root")
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        store = Store(folder / "cache.sqlite3")
        _left_out(store)
    finally:
        folder.chmod(0o755)
    (message,) = notices()
    assert "is read-only; running without it" in message


def test_a_folder_no_one_may_write_runs_without_a_cache_even_as_root(notices) -> None:
    proc = Path("/proc/self")
    if not proc.is_dir():
        pytest.skip("needs Linux's /proc, where no one (not even root) creates files")
    store = Store(proc / "cache.sqlite3")
    _left_out(store)
    (message,) = notices()
    assert message.startswith("cache /proc/self/cache.sqlite3: ") and message.endswith("; running without it")


# ------------------------------------------------------------ 3. full disk
@pytest.fixture
def capped_connections(monkeypatch: pytest.MonkeyPatch):
    """From now on every SQLite connection is capped at its file's current size (or at
    ``pages``): SQLite itself then reports "database or disk is full"."""
    connect = sqlite3.connect

    def cap(pages: int | None = None) -> None:
        def capped(*args, **kwargs):
            db = connect(*args, **kwargs)
            current = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages or current}")
            return db

        monkeypatch.setattr(sqlite3, "connect", capped)

    return cap


def test_a_full_disk_stops_the_writes_and_keeps_what_was_written(tmp_path: Path, notices, capped_connections) -> None:
    path = tmp_path / "cache.sqlite3"
    _filled(path)
    capped_connections()
    store = Store(path)
    more = [f"another sentence {i}" for i in range(2000)]
    store.put_embeddings("m", more, np.ones((len(more), 64)))  # does not fit
    store.put_embeddings("m", ["one more"], np.ones((1, 64)))  # skipped without a second notice
    assert len(store.get_embeddings("m", TEXTS)) == len(TEXTS)  # still read
    assert store.get_embeddings("m", more + ["one more"]) == {}
    (message,) = notices()
    assert "database or disk is full; going on without saving to it" in message
    store.close()

    with closing(sqlite3.Connection(str(path))) as db:  # the class itself: sqlite3.connect is capped
        assert db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0] == len(TEXTS)  # no half batch
        assert db.execute("SELECT COUNT(*) FROM translations").fetchone()[0] == len(TEXTS)


def test_a_disk_too_full_for_a_new_cache_runs_without_one(tmp_path: Path, notices, capped_connections) -> None:
    capped_connections(pages=1)  # not even the first table fits
    store = Store(tmp_path / "cache.sqlite3")
    _left_out(store)
    (message,) = notices()
    assert "database or disk is full; running without it" in message


def test_no_space_for_the_cache_folder_runs_without_a_cache(
    tmp_path: Path, notices, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))

    monkeypatch.setattr(Path, "mkdir", full)
    store = Store(tmp_path / "new" / "cache.sqlite3")
    _left_out(store)
    (message,) = notices()
    assert "No space left on device; running without it" in message


# ------------------------------------------------------------ 4. another process's lock
HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
db.execute("CREATE TABLE held (x)")
print("locked", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


def test_a_lock_held_past_the_limit_skips_the_writes_and_still_reads(
    tmp_path: Path, notices, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.sqlite3"
    _filled(path)
    monkeypatch.setenv("READER_LIMITS_CACHE_LOCK_SECONDS", "0.3")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO translations VALUES ('x', 'y', 'z', 'w')")
    try:
        store = Store(path)
        assert store.lock_seconds == 0.3
        assert len(store.get_embeddings("m", TEXTS)) == len(TEXTS)  # WAL: readers pass a writer's lock
        clock = time.monotonic()
        store.put_embeddings("m", ["new"], np.ones((1, 32)))  # waits 0.3 s, then skips
        store.put_embeddings("m", ["newer"], np.ones((1, 32)))  # skips without waiting
        assert time.monotonic() - clock < 3
        assert store.get_embeddings("m", ["new", "newer"]) == {}
        assert len(store.get_translations("p", TEXTS)) == len(TEXTS)
    finally:
        holder.rollback()
        holder.close()
    (message,) = notices()
    assert "locked by another process (gave up after 0.3 s" in message and "going on without saving to it" in message
    store.close()
    assert len(Store(path).get_embeddings("m", TEXTS)) == len(TEXTS)


def test_a_cache_another_process_holds_from_the_start_is_left_out(
    tmp_path: Path, notices, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cache.sqlite3"
    monkeypatch.setenv("READER_LIMITS_CACHE_LOCK_SECONDS", "0.3")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        clock = time.monotonic()
        store = Store(path)
        _left_out(store)
        assert time.monotonic() - clock < 3
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)
    (message,) = notices()
    assert "locked by another process (gave up after 0.3 s" in message and message.endswith("running without it")


# ------------------------------------------------------------ 5. a path of the wrong kind
def test_a_file_where_the_cache_folder_should_be_runs_without_a_cache(tmp_path: Path, notices) -> None:
    folder = tmp_path / "cache"
    folder.write_text("I am a file\n")
    store = Store(folder / "cache.sqlite3")
    _left_out(store)
    (message,) = notices()
    assert f"{folder} is a file, not a folder; running without it" in message
    assert folder.read_text() == "I am a file\n"


def test_a_folder_where_the_cache_file_should_be_runs_without_a_cache(tmp_path: Path, notices) -> None:
    path = tmp_path / "cache.sqlite3"
    path.mkdir()
    (path / "keep.txt").write_text("mine")
    store = Store(path)
    _left_out(store)
    (message,) = notices()
    assert "it is a folder, not a file; running without it" in message
    assert (path / "keep.txt").read_text() == "mine" and not _aside(path)


# ------------------------------------------------------------ the command, end to end
@pytest.fixture
def fake_models(monkeypatch: pytest.MonkeyPatch) -> list[TokenHashEmbedder]:
    """The command's runs use fake models (no model is loaded); the embedders made, one a run."""
    made: list[TokenHashEmbedder] = []
    components = pipeline.Components

    def with_fakes(**kwargs) -> pipeline.Components:
        made.append(TokenHashEmbedder("fake/hostile"))
        return components(embedder=made[-1], translator=NoTranslator(), **kwargs)

    monkeypatch.setattr(pipeline, "Components", with_fakes)
    return made


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> list[str]:
    """Two short articles telling one story."""
    paths = []
    for name, body in (
        ("a.txt", "The minister arrived in Bishkek on Monday. He met the president for two hours."),
        ("b.txt", "The minister came to Bishkek on Monday. The talks with the president lasted two hours."),
    ):
        (tmp_path / name).write_text(body + "\n", encoding="utf-8")
        paths.append(str(tmp_path / name))
    return paths


def _align(paths: list[str], cache_dir: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["align", *paths, "--cache-dir", str(cache_dir)], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _reader_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("reader: ")]


def test_align_with_a_damaged_cache_succeeds_with_one_line_and_rebuilds_it(
    tiny_corpus: list[str], fake_models: list[TokenHashEmbedder], tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    code, healthy_out, err = _align(tiny_corpus, cache_dir)
    assert code == 0 and _reader_lines(err) == []
    gc.collect()  # the run's cache is closed, as at the end of a process: its WAL is checkpointed
    assert sorted(p.name for p in cache_dir.iterdir()) == ["cache.sqlite3"]
    (cache_dir / "cache.sqlite3").write_bytes(b"\x00garbage" * 1000)

    code, out, err = _align(tiny_corpus, cache_dir)
    assert code == 0, err
    assert "Traceback" not in err
    (line,) = _reader_lines(err)
    assert line.startswith(f"reader: cache {cache_dir / 'cache.sqlite3'}: damaged") and "moved it to" in line
    assert json.loads(out)["claims"] == json.loads(healthy_out)["claims"]

    code, _, err = _align(tiny_corpus, cache_dir)  # the new cache was filled: nothing is encoded
    assert code == 0 and _reader_lines(err) == []
    assert fake_models[-1].calls == []


def test_align_with_a_file_for_a_cache_folder_succeeds_without_a_cache(
    tiny_corpus: list[str], fake_models: list[TokenHashEmbedder], tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("")
    code, out, err = _align(tiny_corpus, not_a_folder)
    assert code == 0, err
    (line,) = _reader_lines(err)
    problem = f"{not_a_folder} is a file, not a folder; running without it"
    assert line == f"reader: cache {not_a_folder / 'cache.sqlite3'}: {problem}"
    assert len(json.loads(out)["documents"]) == 2

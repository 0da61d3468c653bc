"""reader batch on hostile input: an inbox file that cannot be read, a damaged or hostile
manifest or vector file in OUT, an --out that cannot be a folder, and what killed runs and
deleted articles leave behind in OUT.

Every test runs the CLI (``reader.cli.main``) with the fake embedder and translator of
tests/fakes.py, so each takes a fraction of a second; the damage is made at test time.
"""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from batch_articles import VISIT_EN2, article, batch_outputs, four_article_inbox
from fakes import HashEmbedder, NoTranslator

from reader import cli
from reader.batch import BatchJob
from reader.pipeline import Components


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def summary(self) -> dict:
        return json.loads(self.stdout)


@pytest.fixture
def batch_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """``reader batch INBOX --out OUT [flags]`` through the CLI, with the fake embedder and translator."""
    real_init = BatchJob.__init__

    def with_fakes(self, *args, **kwargs):
        kwargs["components"] = Components(embedder=HashEmbedder("fake/1"), translator=NoTranslator())
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(BatchJob, "__init__", with_fakes)

    def run(inbox: Path, out: Path, *flags: str) -> Run:
        stdout, stderr = io.StringIO(), io.StringIO()
        code = cli.main(["batch", str(inbox), "--out", str(out), *flags], out=stdout, err=stderr)
        assert "Traceback" not in stderr.getvalue()
        return Run(code, stdout.getvalue(), stderr.getvalue())

    return run


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> set[Path]:
    """Paths that cannot be opened: PermissionError, as a file of mode 000 gives anyone but root.
    Every way of opening a file is refused (``open``/``io.open``, which ``Path.read_bytes`` uses,
    and ``os.open``), whichever the reader uses. Empty the set to heal them."""
    blocked: set[Path] = set()

    def refusing(real_open):
        def opener(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and Path(os.fspath(file)) in blocked:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
            return real_open(file, *args, **kwargs)
        return opener

    for module in (builtins, io, os):
        monkeypatch.setattr(module, "open", refusing(module.open))
    return blocked


def _event_of(out: Path, name: str) -> dict:
    index = json.loads((out / "index.json").read_text("utf-8"))
    return next(e for e in index["events"] if any(a["path"].endswith("/" + name) for a in e["articles"]))


def _manifest(out: Path) -> dict:
    """The manifest's files and their articles (hash, sentence count), as the SQLite file holds them."""
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        files = {path: {"hash": digest, "articles": []} for path, digest in db.execute("SELECT path, hash FROM files")}
        for path, digest, sentences in db.execute("SELECT path, hash, sentences FROM articles ORDER BY path, position"):
            files[path]["articles"].append({"hash": digest, "sentences": sentences})
    return {"files": files}


def _summary_lines(stderr: str) -> list[str]:
    """The lines of the summary that list files with problems."""
    return [line for line in stderr.splitlines() if line.startswith("  ")]


# ----------------------------------------------------------------- 1. an unreadable inbox file
def _check_unreadable_then_healed(batch_cli, inbox: Path, out: Path, bad: Path, heal: Callable[[], None],
                                  reason: str = "Permission denied") -> None:
    first = batch_cli(inbox, out)  # the text summary, on stderr
    assert first.code == 0, first.stderr
    named = [line for line in _summary_lines(first.stderr) if "late" in line]
    assert len(named) == 1 and reason in named[0] and "next run" in named[0]
    assert "\x1b" not in first.stderr and "\\x1b[31m" in named[0]  # the name, through untrusted.printable
    assert str(bad) not in _manifest(out)["files"]  # not recorded as done
    assert len(list(out.glob("events/*.json"))) == 3  # the other files' events: visit, minsk, old
    assert len(_event_of(out, "visit-en.txt")["articles"]) == 2

    heal()
    second = batch_cli(inbox, out, "--json")
    assert second.code == 0
    summary = second.summary
    assert summary["files_new"] == 1 and summary["files_unchanged"] == 4 and not summary["errors"]
    assert str(bad) in _manifest(out)["files"]
    assert len(_event_of(out, bad.name)["articles"]) == 3  # the late article joined its event


def test_an_unreadable_file_is_named_once_and_tried_again_while_the_others_get_reports(
    tmp_path: Path, batch_cli, unreadable: set[Path]
) -> None:
    inbox, out = four_article_inbox(tmp_path), tmp_path / "out"
    bad = inbox / "late\x1b[31m.txt"  # a name that would colour the terminal, printed raw
    bad.write_text(VISIT_EN2, "utf-8")
    unreadable.add(bad)  # works as root too, where chmod does not stop a read
    _check_unreadable_then_healed(batch_cli, inbox, out, bad, unreadable.clear)


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux's /proc/self/mem")
def test_a_file_even_root_cannot_read_is_named_once_and_tried_again(tmp_path: Path, batch_cli) -> None:
    inbox, out = four_article_inbox(tmp_path), tmp_path / "out"
    bad = inbox / "late\x1b[31m.txt"
    bad.symlink_to("/proc/self/mem")  # a regular file whose read at offset 0 fails with EIO, for anyone

    def heal() -> None:
        bad.unlink()
        bad.write_text(VISIT_EN2, "utf-8")

    _check_unreadable_then_healed(batch_cli, inbox, out, bad, heal, reason="Input/output error")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads a file of mode 000; the test above makes it unreadable another way")
def test_a_file_of_mode_000_is_named_once_and_tried_again_while_the_others_get_reports(
    tmp_path: Path, batch_cli
) -> None:
    inbox, out = four_article_inbox(tmp_path), tmp_path / "out"
    bad = inbox / "late\x1b[31m.txt"
    bad.write_text(VISIT_EN2, "utf-8")
    bad.chmod(0)
    try:
        _check_unreadable_then_healed(batch_cli, inbox, out, bad, lambda: bad.chmod(0o644))
    finally:
        bad.chmod(0o644)


def test_a_file_unreadable_when_its_event_is_aligned_again_holds_back_that_event_only(
    tmp_path: Path, batch_cli, unreadable: set[Path]
) -> None:
    inbox, out = four_article_inbox(tmp_path), tmp_path / "out"
    assert batch_cli(inbox, out).code == 0
    before = batch_outputs(out)
    visit = _event_of(out, "visit-ru.txt")
    # visit-ru.txt is unchanged (not read in the files stage), but its event gains an article,
    # so aligning it must read visit-ru.txt again: that read fails
    (inbox / "visit-en2.txt").write_text(VISIT_EN2, "utf-8")
    unreadable.add(inbox / "visit-ru.txt")
    second = batch_cli(inbox, out, "--json")
    assert second.code == 0
    errors = second.summary["errors"]
    assert len(errors) == 1 and "visit-ru.txt" in errors[0] and visit["id"] in errors[0]
    assert second.summary["events_aligned"] == 0 and second.summary["events_unchanged"] == 2
    assert all((out / p).read_bytes() == data for p, data in before.items() if p.startswith("events/"))

    unreadable.clear()
    third = batch_cli(inbox, out, "--json")
    assert third.code == 0 and not third.summary["errors"]
    assert third.summary["events_aligned"] == 1 and third.summary["events_unchanged"] == 2
    assert len(_event_of(out, "visit-ru.txt")["articles"]) == 3


# ----------------------------------------------------------------- 2. damaged vector files
def _npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=allow_pickle)
    return buf.getvalue()


DAMAGED_VECTORS: dict[str, Callable[[int], bytes]] = {
    "empty": lambda rows: b"",
    "not numpy": lambda rows: b"these are not vectors",
    "cut short": lambda rows: _npy(np.ones((rows, 16), np.float16))[:90],
    "one-dimensional": lambda rows: _npy(np.ones(16, np.float16)),
    "three-dimensional": lambda rows: _npy(np.ones((rows, 16, 2), np.float16)),
    "wrong row count": lambda rows: _npy(np.ones((rows + 3, 16), np.float16)),
    "wrong width": lambda rows: _npy(np.ones((rows, 5), np.float16)),
    "strings": lambda rows: _npy(np.full((rows, 16), "x")),
    "not finite": lambda rows: _npy(np.full((rows, 16), np.nan, np.float16)),
    "a pickle": lambda rows: _npy(np.array([{"rows": rows}], dtype=object), allow_pickle=True),
    "a header claiming petabytes": lambda rows: _npy(np.ones((2, 3), np.float16)).replace(
        b"(2, 3)", b"(99999999999, 99999)"
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGED_VECTORS))
def test_a_damaged_vector_file_is_rebuilt_with_one_line_and_changes_no_report(
    tmp_path: Path, batch_cli, damage: str
) -> None:
    inbox, out = four_article_inbox(tmp_path), tmp_path / "out"
    assert batch_cli(inbox, out).code == 0
    before = batch_outputs(out)
    article = _manifest(out)["files"][str(inbox / "minsk.txt")]["articles"][0]
    vector_file = out / ".vectors" / f"{article['hash']}.npy"
    good = vector_file.read_bytes()
    vector_file.write_bytes(DAMAGED_VECTORS[damage](article["sentences"]))

    second = batch_cli(inbox, out)
    assert second.code == 0, second.stderr
    notices = [line for line in second.stderr.splitlines() if ".vectors" in line]
    assert len(notices) == 1 and "rebuilt 1 vector file" in notices[0]
    assert vector_file.read_bytes() == good  # computed again (from the embedding cache)
    assert batch_outputs(out) == before

    third = batch_cli(inbox, out, "--json")  # and the runs after it are quiet again
    assert third.code == 0 and not third.summary["notices"] and third.summary["events_aligned"] == 0


# ----------------------------------------------------------------- 3. an --out that cannot be a folder
@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_out_that_is_a_file_is_one_line_naming_it_and_exit_1(tmp_path: Path, batch_cli, where: str) -> None:
    inbox = four_article_inbox(tmp_path)
    taken = tmp_path / "reports.txt"
    taken.write_text("keep me\n", "utf-8")
    out = taken if where == "a file" else taken / "reports"
    run = batch_cli(inbox, out)
    assert run.code == 1
    lines = run.stderr.splitlines()
    assert len(lines) == 2, run.stderr
    assert lines[0].startswith(f"reader: {out} ") and "cannot be the output folder" in lines[0]
    assert lines[1].startswith("hint: ") and "--out" in lines[1]
    assert taken.read_text("utf-8") == "keep me\n"


# ----------------------------------------------------------------- 4. a manifest of the wrong shape
FIRST_FILE = "(SELECT min(path) FROM files)"
FIRST_EVENT = "(SELECT min(id) FROM events)"

# SQL run on a manifest, each leaving it in a shape batch did not write: a value of another type,
# a name that would lead outside OUT, an id that could carry markup or escapes, rows that vanished
BAD_ROWS: dict[str, str] = {
    "a size that is text": f"UPDATE files SET size = 'twelve' WHERE path = {FIRST_FILE}",
    "a file hash naming a path": f"UPDATE files SET hash = '../../outside' WHERE path = {FIRST_FILE}",
    "warnings that are not a list": f"UPDATE files SET warnings = '{{\"a\": 1}}' WHERE path = {FIRST_FILE}",
    "an article missing": f"DELETE FROM articles WHERE path = {FIRST_FILE}",
    "a sentence count that is a fraction": f"UPDATE articles SET sentences = 2.5 WHERE path = {FIRST_FILE}",
    "names that are not a list": f"UPDATE articles SET names = '{{\"key\": 1}}' WHERE path = {FIRST_FILE}",
    "names nested too deep": f"UPDATE articles SET names = '{'[' * 100_000}{']' * 100_000}' WHERE path = {FIRST_FILE}",
    "an article hash naming a path": f"UPDATE articles SET hash = '../../outside/' || hex(zeroblob(10)) WHERE path = {FIRST_FILE}",
    # a document id is shown in every report and the index: only one reader.docids could make is used
    "a document id with an escape sequence": f"UPDATE articles SET doc_id = char(27) || ']0;owned' || char(7) WHERE path = {FIRST_FILE}",
    "a document id with a colon": f"UPDATE articles SET doc_id = 'visit-en:0' WHERE path = {FIRST_FILE}",
    "a digest naming a path": f"UPDATE articles SET digest = '../../x' WHERE path = {FIRST_FILE}",
    "an event signature that is bytes": f"UPDATE events SET signature = x'00ff' WHERE id = {FIRST_EVENT}",
    "claims that are text": f"UPDATE events SET claims = 'three' WHERE id = {FIRST_EVENT}",
    "an event member missing": f"DELETE FROM event_articles WHERE event = {FIRST_EVENT} AND rank = 0",
    "an event's document id with markup": f"UPDATE event_articles SET doc_id = '[link=https://x]y[/link]' WHERE event = {FIRST_EVENT}",
    "members of an event not in the manifest": "INSERT INTO event_articles VALUES ('e-000000000000', 0, 'k', 'h', 'x')",
    "a table missing": "DROP TABLE events",
    "a column missing": "ALTER TABLE articles DROP COLUMN figures",
    "another program's database": "PRAGMA application_id = 7",
}
# bytes written over the whole file
BAD_FILES: dict[str, Callable[[bytes], bytes]] = {
    "garbage": lambda data: b"these are not rows " * 100,
    "empty of rows, not of bytes": lambda data: b"\0" * len(data),
    "cut short": lambda data: data[: len(data) // 3],
}


@pytest.mark.parametrize("shape", sorted(BAD_ROWS) + sorted(BAD_FILES) + ["an article of another file"])
def test_a_manifest_of_the_wrong_shape_is_rebuilt_with_one_line_and_changes_no_report(
    tmp_path: Path, batch_cli, shape: str
) -> None:
    inbox, out = four_article_inbox(tmp_path), tmp_path / "out"
    assert batch_cli(inbox, out).code == 0
    before = batch_outputs(out)
    path = out / "manifest.sqlite"
    assert not path.with_name("manifest.sqlite-wal").exists() or not path.with_name("manifest.sqlite-wal").stat().st_size
    if shape in BAD_FILES:
        path.write_bytes(BAD_FILES[shape](path.read_bytes()))
    else:
        with contextlib.closing(sqlite3.connect(path)) as db:
            if shape == "an article of another file":  # the manifest points an inbox article at a file outside it
                secret = tmp_path / "secret.txt"
                secret.write_text(article("en", "2025-11-26", "SECRET", "SECRET text about Putin in Bishkek."), "utf-8")
                db.execute("UPDATE articles SET path = ? WHERE path = ?", (str(secret), str(inbox / "visit-en.txt")))
            else:
                db.execute(BAD_ROWS[shape])
            db.commit()

    second = batch_cli(inbox, out)
    assert second.code == 0, second.stderr
    notices = [line for line in second.stderr.splitlines() if "manifest.sqlite" in line]
    assert len(notices) == 1 and "rebuilt" in notices[0]
    assert batch_outputs(out) == before
    assert not (tmp_path / "outside").exists()
    assert all(b"SECRET" not in data for data in batch_outputs(out).values())

    third = batch_cli(inbox, out, "--json")
    assert third.code == 0 and not third.summary["notices"]
    assert third.summary["files_unchanged"] == 4 and third.summary["events_aligned"] == 0


# ----------------------------------------------------------------- 5. what killed runs and deleted articles leave
KILLED_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from fakes import HashEmbedder, NoTranslator
from reader.batch import BatchJob
from reader.pipeline import Components
from reader.settings import Settings

real_replace = os.replace

def die_before_the_first_markdown_report(src, dst):
    if str(dst).endswith(".md") and Path(dst).parent.name == "events":
        os.kill(os.getpid(), signal.SIGKILL)  # its temporary file is written and never renamed
    real_replace(src, dst)

os.replace = die_before_the_first_markdown_report
parts = Components(embedder=HashEmbedder("fake/1"), translator=NoTranslator())
BatchJob(Path({inbox!r}), Path({out!r}), Settings.from_env(), components=parts).run()
"""


def test_a_killed_runs_temporary_files_are_deleted_by_the_next_run_and_nothing_else(
    tmp_path: Path, batch_cli
) -> None:
    inbox = four_article_inbox(tmp_path)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    assert batch_cli(inbox, clean).code == 0

    code = KILLED_WHILE_WRITING.format(tests=str(Path(__file__).parent), inbox=str(inbox), out=str(killed))
    child = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert child.returncode == -9, child.stderr
    left = list(killed.glob("events/.e-*.md.*.tmp"))
    assert len(left) == 1

    # look-alikes a user may keep in OUT: not files batch writes, or not older than the run
    not_ours = [killed / ".notes.txt.1.2.tmp", killed / "draft.tmp", killed / "events" / ".notes.md.1.2.tmp",
                killed / ".vectors" / ".README.npy.1.2.tmp"]
    for path in not_ours:
        path.write_text("mine\n", "utf-8")
    future = killed / ".index.md.1.2.tmp"
    future.write_text("written after the run starts\n", "utf-8")
    later = time.time() + 3600
    os.utime(future, (later, later))

    rerun = batch_cli(inbox, killed, "--json")
    assert rerun.code == 0
    assert not left[0].exists()
    assert all(p.read_text("utf-8") == "mine\n" for p in not_ours) and future.exists()
    assert batch_outputs(killed) == batch_outputs(clean)


def test_the_vectors_of_articles_gone_from_the_inbox_are_deleted_and_nothing_else(tmp_path: Path, batch_cli) -> None:
    inbox, out = four_article_inbox(tmp_path), tmp_path / "out"
    assert batch_cli(inbox, out).code == 0
    files = _manifest(out)["files"]
    vectors = {name: out / ".vectors" / f"{f['articles'][0]['hash']}.npy" for name, f in files.items()}
    gone = vectors.pop(str(inbox / "old.txt"))
    kept = list(vectors.values())
    assert gone.exists() and all(p.exists() for p in kept)
    not_ours = [out / ".vectors" / "notes.txt", out / ".vectors" / ("AB" * 16 + ".npy"), out / "keep.md",
                out / "events" / "notes.md", out / "events" / "e-mine.json"]
    for path in not_ours:
        path.write_text("mine\n", "utf-8")

    (inbox / "old.txt").unlink()
    run = batch_cli(inbox, out, "--json")
    assert run.code == 0 and run.summary["files_removed"] == 1
    assert not gone.exists()
    assert all(p.exists() for p in kept)
    assert all(p.read_text("utf-8") == "mine\n" for p in not_ours)

"""reader batch on hostile input: an inbox file that cannot be read, a damaged or hostile
manifest or vector file in OUT, an --out that cannot be a folder, and what killed runs and
deleted articles leave behind in OUT.

Every test runs the CLI (``reader.cli.main``) with the fake embedder and translator of
tests/fakes.py, so each takes a fraction of a second; the damage is made at test time.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from batch_articles import MINSK, OLD, VISIT_EN, VISIT_EN2, VISIT_RU, article
from fakes import HashEmbedder, NoTranslator

from reader import cli
from reader.batch import BatchJob
from reader.pipeline import Components


def _inbox(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    for name, text in (("visit-en.txt", VISIT_EN), ("visit-ru.txt", VISIT_RU), ("minsk.txt", MINSK), ("old.txt", OLD)):
        (inbox / name).write_text(text, "utf-8")
    return inbox


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


def _outputs(out: Path) -> dict[str, bytes]:
    files = sorted(out.glob("events/e-*")) + [out / "index.json", out / "index.md"]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


def _event_of(out: Path, name: str) -> dict:
    index = json.loads((out / "index.json").read_text("utf-8"))
    return next(e for e in index["events"] if any(a["path"].endswith("/" + name) for a in e["articles"]))


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text("utf-8"))


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
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    bad = inbox / "late\x1b[31m.txt"  # a name that would colour the terminal, printed raw
    bad.write_text(VISIT_EN2, "utf-8")
    unreadable.add(bad)  # works as root too, where chmod does not stop a read
    _check_unreadable_then_healed(batch_cli, inbox, out, bad, unreadable.clear)


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux's /proc/self/mem")
def test_a_file_even_root_cannot_read_is_named_once_and_tried_again(tmp_path: Path, batch_cli) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
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
    inbox, out = _inbox(tmp_path), tmp_path / "out"
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
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    assert batch_cli(inbox, out).code == 0
    before = _outputs(out)
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
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    assert batch_cli(inbox, out).code == 0
    before = _outputs(out)
    article = _manifest(out)["files"][str(inbox / "minsk.txt")]["articles"][0]
    vector_file = out / ".vectors" / f"{article['hash']}.npy"
    good = vector_file.read_bytes()
    vector_file.write_bytes(DAMAGED_VECTORS[damage](article["sentences"]))

    second = batch_cli(inbox, out)
    assert second.code == 0, second.stderr
    notices = [line for line in second.stderr.splitlines() if ".vectors" in line]
    assert len(notices) == 1 and "rebuilt 1 vector file" in notices[0]
    assert vector_file.read_bytes() == good  # computed again (from the embedding cache)
    assert _outputs(out) == before

    third = batch_cli(inbox, out, "--json")  # and the runs after it are quiet again
    assert third.code == 0 and not third.summary["notices"] and third.summary["events_aligned"] == 0


# ----------------------------------------------------------------- 3. an --out that cannot be a folder
@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_out_that_is_a_file_is_one_line_naming_it_and_exit_1(tmp_path: Path, batch_cli, where: str) -> None:
    inbox = _inbox(tmp_path)
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
def _first(mapping: dict) -> dict:
    return mapping[min(mapping)]


def _set(path: tuple, value: object) -> Callable[[dict], dict]:
    """A change to a manifest: the field at ``path`` (keys; "*" is the first entry) set to ``value``
    (``...``: deleted)."""

    def change(manifest: dict) -> dict:
        node = manifest
        for key in path[:-1]:
            node = _first(node) if key == "*" else node[key]
        if value is ...:
            del node[path[-1]]
        else:
            node[path[-1]] = value
        return manifest

    return change


BAD_MANIFESTS: dict[str, Callable[[dict], object]] = {
    "a list": lambda m: [m],
    "a string": lambda m: "manifest",
    "files a list": lambda m: {**m, "files": list(m["files"].values())},
    "a file without its hash": _set(("files", "*", "hash"), ...),
    "a size that is text": _set(("files", "*", "size"), "12"),
    "an article without names": _set(("files", "*", "articles", 0, "names"), ...),
    "a sentence count that is true": _set(("files", "*", "articles", 0, "sentences"), True),
    "an article hash naming a path": _set(("files", "*", "articles", 0, "hash"), "../../outside/" + "0" * 20),
    "an event without its signature": _set(("events", "*", "signature"), ...),
    "claims that are text": _set(("events", "*", "claims"), "3"),
    "event articles an object": _set(("events", "*", "articles"), {"key": "x"}),
    # a document id is shown in every report and the index: only one reader.docids could make is used
    "a document id with an escape sequence": _set(("files", "*", "articles", 0, "id"), "\x1b]0;owned\x07"),
    "a document id with a colon": _set(("files", "*", "articles", 0, "id"), "visit-en:0"),
    "an article without its digest": _set(("files", "*", "articles", 0, "digest"), ...),
    "a digest naming a path": _set(("files", "*", "articles", 0, "digest"), "../../x"),
    "an event's document id with markup": _set(("events", "*", "articles", 0, "id"), "[link=https://x]y[/link]"),
}


@pytest.mark.parametrize("shape", sorted(BAD_MANIFESTS) + ["nested too deep", "an article of another file"])
def test_a_manifest_of_the_wrong_shape_is_rebuilt_with_one_line_and_changes_no_report(
    tmp_path: Path, batch_cli, shape: str
) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    assert batch_cli(inbox, out).code == 0
    before = _outputs(out)
    manifest = _manifest(out)
    if shape == "nested too deep":
        text = "[" * 100_000 + "]" * 100_000
    elif shape == "an article of another file":  # the manifest points an inbox article at a file outside it
        secret = tmp_path / "secret.txt"
        secret.write_text(article("en", "2025-11-26", "SECRET", "SECRET text about Putin in Bishkek."), "utf-8")
        record = manifest["files"][str(inbox / "visit-en.txt")]["articles"][0]
        record["path"] = str(secret)
        text = json.dumps(manifest)
    else:
        text = json.dumps(BAD_MANIFESTS[shape](manifest))
    (out / "manifest.json").write_text(text, "utf-8")

    second = batch_cli(inbox, out)
    assert second.code == 0, second.stderr
    notices = [line for line in second.stderr.splitlines() if "manifest.json" in line]
    assert len(notices) == 1 and "rebuilt" in notices[0]
    assert _outputs(out) == before
    assert not (tmp_path / "outside").exists()
    assert all(b"SECRET" not in data for data in _outputs(out).values())

    third = batch_cli(inbox, out, "--json")
    assert third.code == 0 and not third.summary["notices"]
    assert third.summary["files_unchanged"] == 4 and third.summary["events_aligned"] == 0


# ----------------------------------------------------------------- 5. what killed runs and deleted articles leave
KILLED_WHILE_WRITING = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from fakes import HashEmbedder, NoTranslator
from reader import batch
from reader.batch import BatchJob
from reader.pipeline import Components
from reader.settings import Settings

real_replace = os.replace

def die_before_the_first_markdown_report(src, dst):
    if str(dst).endswith(".md") and Path(dst).parent.name == "events":
        os.kill(os.getpid(), signal.SIGKILL)  # its temporary file is written and never renamed
    real_replace(src, dst)

batch.os.replace = die_before_the_first_markdown_report
parts = Components(embedder=HashEmbedder("fake/1"), translator=NoTranslator())
BatchJob(Path({inbox!r}), Path({out!r}), Settings.from_env(), components=parts).run()
"""


def test_a_killed_runs_temporary_files_are_deleted_by_the_next_run_and_nothing_else(
    tmp_path: Path, batch_cli
) -> None:
    inbox = _inbox(tmp_path)
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
    assert _outputs(killed) == _outputs(clean)


def test_the_vectors_of_articles_gone_from_the_inbox_are_deleted_and_nothing_else(tmp_path: Path, batch_cli) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
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

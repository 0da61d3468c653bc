"""reader batch: manifest, incremental runs, atomic writes, the lock, kill-resume, --watch, the CLI.

Unit tests use a fake embedder (deterministic vectors from a text hash) and a fake
translator (no packages); one slow test runs the real e5 model on the sample corpus.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from batch_articles import MINSK, OLD, VISIT_EN, VISIT_EN2, VISIT_RU
from e5_fixture import e5_cache_dir  # noqa: F401  (fixture)
from fakes import HashEmbedder, NoTranslator

from reader.batch import BatchJob, locked
from reader.batch import command as batch_command
from reader.batch import files as batch_files
from reader.errors import ReaderError
from reader.pipeline import Components
from reader.progress import Progress
from reader.settings import Settings
from reader.store import Store


def _inbox(root: Path) -> Path:
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "visit-en.txt").write_text(VISIT_EN, "utf-8")
    (inbox / "visit-ru.txt").write_text(VISIT_RU, "utf-8")
    (inbox / "minsk.txt").write_text(MINSK, "utf-8")
    (inbox / "old.txt").write_text(OLD, "utf-8")
    (inbox / "README.md").write_text("not an article", "utf-8")
    (inbox / "broken.txt").write_bytes(b"ok \xc3\x28 bad")
    return inbox


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")


def _job(inbox: Path, out: Path, settings: Settings, embedder: HashEmbedder | None = None, **kw) -> BatchJob:
    parts = Components(embedder=embedder or HashEmbedder("fake/1"), translator=NoTranslator(), store=Store(settings.store_path))
    return BatchJob(inbox, out, settings, components=parts, **kw)


def _outputs(out: Path) -> dict[str, bytes]:
    files = sorted(out.glob("events/*")) + [out / "index.json", out / "index.md"]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


def _event_of(out: Path, path_end: str) -> dict:
    index = json.loads((out / "index.json").read_text("utf-8"))
    for event in index["events"]:
        if any(a["path"].endswith(path_end) for a in event["articles"]):
            return event
    raise AssertionError(path_end)


def test_first_run_groups_aligns_and_writes_reports_and_index(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    errors: list[str] = []
    summary = _job(inbox, out, settings, on_error=errors.append).run()
    assert summary.files == 5 and summary.files_new == 5  # README skipped
    assert summary.articles == 4
    assert len(summary.errors) == 1 and "broken.txt" in summary.errors[0] and "UTF-8" in summary.errors[0]
    assert errors == summary.errors
    visit = _event_of(out, "visit-en.txt")
    assert {a["path"].rsplit("/", 1)[-1] for a in visit["articles"]} == {"visit-en.txt", "visit-ru.txt"}
    assert visit["languages"] == ["en", "ru"]
    assert _event_of(out, "minsk.txt")["id"] != visit["id"]
    assert _event_of(out, "old.txt")["id"] != visit["id"]
    assert summary.events == 3 == len(list(out.glob("events/*.json"))) == len(list(out.glob("events/*.md")))
    assert len(list(out.glob("events/*.html"))) == 3
    assert (out / visit["html"]).read_text("utf-8").startswith("<!DOCTYPE html>")
    report = json.loads((out / visit["report"]).read_text("utf-8"))
    assert [d["id"] for d in report["documents"]] == ["visit-en", "visit-ru"]  # their files' names (reader.docids)
    assert "timings" not in report["meta"]
    assert "broken.txt" in (out / "index.md").read_text("utf-8")
    assert not list(out.rglob("*.tmp"))


def test_rerun_without_changes_does_no_work_and_writes_identical_files(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    before = _outputs(out)
    embedder = HashEmbedder("fake/1")
    summary = _job(inbox, out, settings, embedder).run()
    assert summary.files_unchanged == 5 and summary.files_new == summary.files_changed == 0
    assert summary.events_aligned == 0 and summary.events_unchanged == 3
    assert embedder.calls == []
    assert _outputs(out) == before


def test_a_new_article_realigns_only_the_event_it_joins(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    visit_id = _event_of(out, "visit-en.txt")["id"]
    untouched = {p: (out / p).read_bytes() for p in (_event_of(out, "minsk.txt")["report"], _event_of(out, "old.txt")["report"])}
    (inbox / "visit-en2.txt").write_text(VISIT_EN2, "utf-8")
    summary = _job(inbox, out, settings).run()
    assert summary.files_new == 1 and summary.files_unchanged == 5
    assert summary.events_aligned == 1 and summary.events_unchanged == 2
    visit = _event_of(out, "visit-en2.txt")
    assert visit["id"] == visit_id  # the event keeps its id (its earliest article did not change)
    assert len(visit["articles"]) == 3
    assert all((out / p).read_bytes() == data for p, data in untouched.items())


def test_an_event_whose_html_report_is_missing_is_aligned_again_to_the_same_bytes(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    before = _outputs(out)
    (out / _event_of(out, "minsk.txt")["html"]).unlink()  # as an OUT written before batch wrote HTML
    summary = _job(inbox, out, settings).run()
    assert summary.events_aligned == 1 and summary.events_unchanged == 2
    assert _outputs(out) == before


def test_stale_temporaries_of_html_reports_are_batchs_and_a_users_are_not(tmp_path: Path) -> None:
    events = tmp_path / "events"
    events.mkdir()
    ours, theirs = events / ".e-0123456789ab.html.1.2.tmp", events / ".notes.html.1.2.tmp"
    for path in (ours, theirs):
        path.write_text("half\n", "utf-8")
    assert batch_files.stale_temporaries(tmp_path, ours.stat().st_mtime_ns + 1) == [ours]
    assert batch_files.EVENT_FILE.fullmatch("e-0123456789ab.html") and not batch_files.EVENT_FILE.fullmatch("notes.html")


def test_a_changed_file_is_reprocessed_and_a_removed_one_drops_its_event(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    old_report = out / _event_of(out, "old.txt")["report"]
    (inbox / "old.txt").unlink()
    (inbox / "minsk.txt").write_text(MINSK.replace("2026", "2027"), "utf-8")
    summary = _job(inbox, out, settings).run()
    assert summary.files_changed == 1 and summary.files_removed == 1
    # the edited article has a new content hash, so its event gets a new id and the old files go
    assert summary.events == 2 and summary.events_removed == 2 and summary.events_aligned == 1
    assert not old_report.exists() and not old_report.with_suffix(".html").exists()
    assert len(list(out.glob("events/*.json"))) == 2 == len(list(out.glob("events/*.html")))
    report = json.loads((out / _event_of(out, "minsk.txt")["report"]).read_text("utf-8"))
    assert "2027" in report["documents"][0]["sentences"][-1]["text"]


def test_a_run_killed_midway_then_rerun_equals_an_uninterrupted_run(tmp_path: Path, settings: Settings) -> None:
    inbox = _inbox(tmp_path)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    _job(inbox, clean, settings).run()

    class Kill(BaseException):
        pass

    def die_after_first_event(p: Progress) -> None:
        if p.stage == "events" and p.done == 1:
            raise Kill()

    with pytest.raises(Kill):
        _job(inbox, killed, settings, progress=die_after_first_event).run()
    assert len(list(killed.glob("events/*.json"))) == 1  # one event written, the rest not yet
    assert not (killed / "index.json").exists()
    assert not list(killed.rglob("*.tmp"))

    summary = _job(inbox, killed, settings).run()
    assert summary.events_unchanged == 1 and summary.events_aligned == 2
    assert _outputs(killed) == _outputs(clean)


KILLED_CHILD = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from fakes import HashEmbedder, NoTranslator
from reader.batch import BatchJob
from reader.pipeline import Components
from reader.settings import Settings
from reader.store import Store

settings = Settings(cache_dir=Path({cache!r}), data_dir=Path({data!r}))

def die_after_first_event(p):
    if p.stage == "events" and p.done == 1:
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no finally: as the OOM killer or kill -9 would

parts = Components(embedder=HashEmbedder("fake/1"), translator=NoTranslator(), store=Store(settings.store_path))
BatchJob(Path({inbox!r}), Path({out!r}), settings, components=parts, progress=die_after_first_event).run()
"""


def test_a_process_killed_with_sigkill_then_rerun_equals_an_uninterrupted_run(tmp_path: Path, settings: Settings) -> None:
    import signal
    import subprocess
    import sys

    inbox = _inbox(tmp_path)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    _job(inbox, clean, settings).run()

    code = KILLED_CHILD.format(tests=str(Path(__file__).parent), inbox=str(inbox), out=str(killed),
                               cache=str(settings.cache_dir), data=str(settings.data_dir))
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert len(list(killed.glob("events/*.json"))) == 1 and not (killed / "index.json").exists()

    summary = _job(inbox, killed, settings).run()  # the lock died with the process: no stale lock
    assert summary.events_unchanged == 1 and summary.events_aligned == 2
    assert _outputs(killed) == _outputs(clean)
    assert not list(killed.rglob("*.tmp"))


def test_a_crash_while_writing_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    batch_files.atomic_write(target, "old\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(batch_files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        batch_files.atomic_write(target, "new\n" * 1000)
    assert target.read_text() == "old\n"


def test_a_second_run_on_the_same_out_fails_fast_with_one_line(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    with locked(out):
        with pytest.raises(ReaderError) as caught:
            _job(inbox, out, settings).run()
    assert "in use by another reader batch" in caught.value.message
    assert caught.value.hint
    _job(inbox, out, settings).run()  # the lock is released afterwards


def test_a_corrupt_manifest_starts_over_without_losing_reports(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    before = _outputs(out)
    (out / "manifest.sqlite").write_text("{ half", "utf-8")
    summary = _job(inbox, out, settings).run()
    assert summary.files_new == 5
    assert len(summary.notices) == 1 and "manifest.sqlite" in summary.notices[0] and "rebuilt" in summary.notices[0]
    assert _outputs(out) == before


def test_the_manifest_holds_one_row_per_file_article_and_event(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        count = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                 for table in ("files", "articles", "events", "event_articles")}
        (journal,) = db.execute("PRAGMA journal_mode").fetchone()
        broken = db.execute("SELECT error FROM files WHERE path LIKE '%broken.txt'").fetchone()
    assert count == {"files": 5, "articles": 4, "events": 3, "event_articles": 4}  # broken.txt: a file, no article
    assert journal == "wal" and "UTF-8" in broken[0]
    assert not (out / "manifest.json").exists()


def test_watch_processes_a_file_that_arrives_and_stops_on_the_event(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    stop = threading.Event()
    summaries = []

    def on_summary(s) -> None:
        summaries.append(s)
        if len(summaries) == 1:
            (inbox / "visit-en2.txt").write_text(VISIT_EN2, "utf-8")
        else:
            stop.set()

    job = _job(inbox, out, settings)
    worker = threading.Thread(target=job.watch, kwargs={"interval": 0.05, "stop": stop, "on_summary": on_summary})
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert summaries[1].files_new == 1 and summaries[1].events_aligned == 1
    assert len(_event_of(out, "visit-en2.txt")["articles"]) == 3


def _args(inbox: Path, out: Path, **kw) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    batch_command.add_parser(parser.add_subparsers())
    argv = ["batch", str(inbox), "--out", str(out)] + [x for k, v in kw.items() if v for x in ([f"--{k}"] if v is True else [f"--{k}", str(v)])]
    return parser.parse_args(argv)


def test_cli_json_summary_on_stdout_and_errors_on_stderr(tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    real_init = BatchJob.__init__

    def with_fakes(self, *a, **kw):
        kw["components"] = Components(embedder=HashEmbedder("fake/1"), translator=NoTranslator())
        real_init(self, *a, **kw)

    monkeypatch.setattr(BatchJob, "__init__", with_fakes)
    stdout, stderr = io.StringIO(), io.StringIO()
    assert batch_command.run(_args(inbox, out, json=True), settings, stdout, stderr) == 0
    data = json.loads(stdout.getvalue())
    assert data["events"] == 3 and data["articles"] == 4 and data["files_new"] == 5
    assert set(data["timings"]) >= {"files", "grouping", "aligning"}
    assert "reader: skipped" in stderr.getvalue() and "broken.txt" in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()


def test_cli_user_errors_are_one_line_with_a_hint(tmp_path: Path, settings: Settings) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    assert batch_command.run(_args(tmp_path / "nope", tmp_path / "out"), settings, stdout, stderr) == 1
    lines = stderr.getvalue().splitlines()
    assert lines[0].startswith("reader: ") and "no such folder" in lines[0]
    assert lines[1].startswith("hint: ")
    inbox = _inbox(tmp_path)
    with locked(tmp_path / "out"):
        stderr = io.StringIO()
        assert batch_command.run(_args(inbox, tmp_path / "out"), settings, io.StringIO(), stderr) == 1
    assert stderr.getvalue().startswith("reader: ") and "in use" in stderr.getvalue()


# ------------------------------------------------------------------ document ids
def _align_ids(paths: list[Path], settings: Settings) -> dict[tuple[str, str], str]:
    """(path, first sentence) -> document id, as ``reader align`` names the documents of ``paths``."""
    from reader.pipeline import build_report

    parts = Components(embedder=HashEmbedder("fake/1"), translator=NoTranslator(), store=Store(settings.store_path))
    report = build_report(paths, settings, components=parts)
    return {(d.article.path, d.sentences[0].text): d.id for d in report.documents}


def _batch_ids(out: Path) -> dict[tuple[str, str], str]:
    """(path, first sentence) -> document id, over every event report of OUT."""
    ids = {}
    for path in sorted(out.glob("events/*.json")):
        for d in json.loads(path.read_text("utf-8"))["documents"]:
            ids[(d["path"], d["sentences"][0]["text"])] = d["id"]
    return ids


def _colliding_and_several(inbox: Path) -> None:
    (inbox / "more").mkdir()
    (inbox / "more" / "minsk.md").write_text(MINSK.replace("officials", "ministers").replace("budget", "road"), "utf-8")
    (inbox / "feed.txt").write_text(VISIT_EN2 + OLD.replace("Rosatom", "Gazprom"), "utf-8")  # two articles, two events


def test_batch_names_each_document_as_align_does_on_the_same_files(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _colliding_and_several(inbox)
    _job(inbox, out, settings).run()
    ids = _batch_ids(out)
    assert ids == _align_ids([inbox], settings)
    by_name = sorted((Path(path).name, doc_id) for (path, _), doc_id in ids.items())
    assert [name for name, _ in by_name] == ["feed.txt", "feed.txt", "minsk.md", "minsk.txt", "old.txt", "visit-en.txt", "visit-ru.txt"]
    shapes = [re.sub(r"-[0-9a-f]{6}$", "-HASH", doc_id) for _, doc_id in by_name]
    assert shapes == ["feed-HASH", "feed-HASH", "minsk-HASH", "minsk-HASH", "old", "visit-en", "visit-ru"]
    assert len(set(ids.values())) == len(ids)
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert sorted(a["id"] for e in index["events"] for a in e["articles"]) == sorted(ids.values())


def test_a_file_that_arrives_under_a_name_in_use_renames_both_as_a_fresh_run_would(tmp_path: Path, settings: Settings) -> None:
    inbox, out, fresh = _inbox(tmp_path), tmp_path / "out", tmp_path / "fresh"
    _job(inbox, out, settings).run()
    assert "minsk" in _batch_ids(out).values()
    _colliding_and_several(inbox)
    summary = _job(inbox, out, settings).run()
    assert summary.files_new == 2 and summary.files_unchanged == 5
    _job(inbox, fresh, settings).run()
    assert _outputs(out) == _outputs(fresh)  # the minsk.txt event is written again under its new id
    assert "minsk" not in _batch_ids(out).values() and _batch_ids(out) == _align_ids([inbox], settings)


def test_another_embedding_model_starts_over(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    other = HashEmbedder("fake/2")
    summary = _job(inbox, out, settings, other).run()
    assert summary.files_new == 5 and summary.events_aligned == 3 and summary.notices == []
    assert other.calls  # its vectors, not the first model's
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'model'").fetchall() == [("fake/2",)]
    assert json.loads((out / "index.json").read_text("utf-8"))["model"] == "fake/2"


def test_a_manifest_of_an_earlier_schema_is_replaced_quietly(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    before = _outputs(out)
    with contextlib.closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        db.execute("PRAGMA user_version = 0")  # as an earlier version of this schema would be
    summary = _job(inbox, out, settings).run()
    assert summary.notices == [] and summary.files_new == 5 and summary.events_aligned == 3
    assert _outputs(out) == before


def test_the_json_manifest_of_an_earlier_version_is_removed_with_one_notice(tmp_path: Path, settings: Settings) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "out"
    _job(inbox, out, settings).run()
    before = _outputs(out)
    (out / "manifest.sqlite").unlink()
    (out / "manifest.json").write_text(json.dumps({"version": 3, "model": "fake/1", "files": {}, "events": {}}), "utf-8")
    summary = _job(inbox, out, settings).run()
    assert len(summary.notices) == 1 and "manifest.json" in summary.notices[0] and "removed" in summary.notices[0]
    assert not (out / "manifest.json").exists()
    assert summary.files_new == 5 and _outputs(out) == before
    assert _job(inbox, out, settings).run().notices == []


# ------------------------------------------------------------------ the real model
@pytest.fixture(scope="session")
def e5_settings(e5_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The session's converted e5 model (tests/e5_fixture.py), not a second copy."""
    return Settings(cache_dir=e5_cache_dir, data_dir=tmp_path_factory.mktemp("batch-data"))


@pytest.mark.slow
def test_sample_corpus_the_2025_reports_form_one_event_without_the_2020_transcripts(
    tmp_path: Path, e5_settings: Settings, corpus_dir: Path
) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(corpus_dir, inbox)
    out = tmp_path / "out"
    parts = Components(translator=NoTranslator())
    summary = BatchJob(inbox, out, e5_settings, components=parts).run()
    assert summary.articles == 6 and not summary.errors
    index = json.loads((out / "index.json").read_text("utf-8"))
    visit = _event_of(out, "ru-bishkek.txt")
    assert sorted(a["path"].rsplit("/", 1)[-1] for a in visit["articles"]) == ["ar-bishkek.txt", "hi-bishkek.txt", "ru-bishkek.txt"]
    assert visit["languages"] == ["ar", "hi", "ru"] and visit["claims"] > 0
    for event in index["events"]:
        if event["id"] != visit["id"]:
            assert event["languages"] == ["en"]
    again = BatchJob(inbox, out, e5_settings, components=parts).run()
    assert again.events_aligned == 0 and again.files_unchanged == summary.files

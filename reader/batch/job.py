"""``BatchJob``: one inbox, one output folder; the run that the package docstring describes.

The job holds OUT's lock, asks the planner what to do, hands the work to a runner (local, or
Ray), and records each result as it arrives: a file's vectors and rows, then each event's three
reports and its row. The runner computes; only the job writes to OUT.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reader import docids
from reader import events as grouping
from reader.batch import files
from reader.batch.files import (
    VECTORS_DIR,
    atomic_write,
    locked,
    npy_bytes,
    report_paths,
    vector_path,
)
from reader.batch.inbox import Scanned, inbox_files, read_bytes, scan
from reader.batch.index import write_index
from reader.batch.local import LocalRunner
from reader.batch.manifest import ArticleRow, EventRow, Manifest, MemberRow
from reader.batch.planner import (
    PlannedEvent,
    damaged_vectors,
    plan_alignment,
    plan_events,
    plan_files,
)
from reader.batch.stages import (
    EventInput,
    FileInput,
    article_hash,
    event_input,
    parse_file,
)
from reader.embed import make_embedder
from reader.errors import ReaderError
from reader.model import Document
from reader.progress import Progress, ProgressFn, check_cancel, no_progress
from reader.settings import Settings, overridden


@dataclass
class Summary:
    """What a run did; ``as_dict`` is the ``--json`` output."""

    inbox: str
    out: str
    files: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    articles: int = 0
    events: int = 0
    events_aligned: int = 0
    events_unchanged: int = 0
    events_removed: int = 0
    claims: int = 0
    discrepancies: int = 0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what was found damaged in OUT and rebuilt
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["timings"] = {k: round(v, 3) for k, v in self.timings.items()}
        return data


class BatchJob:
    """One inbox, one output folder. ``run`` once, or ``watch`` to follow the inbox.

    ``components`` (reader.pipeline.Components) carries the embedder, translator and Store of this
    process; one is built on first need and reused for every event and every cycle, so the model
    loads once. ``runner`` does the work (default: ``LocalRunner`` on those components; a
    ``reader.batch.ray_runner.RayRunner`` spreads it over a Ray cluster).
    """

    def __init__(
        self,
        inbox: str | Path,
        out: str | Path,
        settings: Settings,
        components: Any | None = None,
        progress: ProgressFn = no_progress,
        cancel: threading.Event | None = None,
        config: grouping.EventConfig | None = None,
        on_error: Callable[[str], None] | None = None,
        runner: Any | None = None,
    ) -> None:
        from reader.pipeline import Components

        self.inbox = Path(inbox)
        self.out = Path(out)
        self.settings = settings
        self.parts = components or Components()
        self.progress = progress
        self.cancel = cancel
        self.config = config or overridden(grouping.EventConfig(), "EVENTS")
        self.on_error = on_error or (lambda _msg: None)
        self.runner = runner or LocalRunner(settings, self.parts, progress, cancel)
        self._vectors: dict[str, np.ndarray] = {}  # by article hash: checked or computed this run, for grouping

    # --------------------------------------------------------- this process's parts
    def _model_id(self) -> str:
        if self.parts.embedder is None:
            self.parts.embedder = make_embedder(self.settings, self.progress)
        return str(getattr(self.parts.embedder, "model_id", "?"))

    def _store(self):
        if self.parts.store is None:
            from reader.store import Store

            self.parts.store = Store(self.settings.store_path)
        return self.parts.store

    def _calibration(self):
        """The embedding model's stored calibration (language means, backgrounds, the grouping
        model), or None: grouping then reads the vectors as they are."""
        from reader.pipeline import calibration_of

        self._model_id()
        return calibration_of(self.parts, self.settings)

    # --------------------------------------------------------- run
    def run(self) -> Summary:
        """One pass over the inbox, holding OUT's lock."""
        if not self.inbox.is_dir():
            raise ReaderError(f"{self.inbox}: no such folder", hint="reader batch INBOX --out OUT: INBOX is a folder of articles")
        with locked(self.out):
            return self._run()

    def watch(self, interval: float = 5.0, stop: threading.Event | None = None,
              on_summary: Callable[[Summary], None] | None = None) -> None:
        """Run, then poll the inbox every ``interval`` seconds and run again when files change.

        Holds OUT's lock throughout. Returns when ``stop`` is set (or on KeyboardInterrupt,
        which the caller catches); a file still being written (modified within the last
        ``interval`` seconds, at most 1 s) waits for the next poll.
        """
        stop = stop or threading.Event()
        if not self.inbox.is_dir():
            raise ReaderError(f"{self.inbox}: no such folder")
        settle = min(1.0, interval)
        with locked(self.out):
            seen: tuple | None = None
            while not stop.is_set():
                snapshot = self._snapshot()
                fresh = any(time.time() - mtime < settle for _, _, mtime in snapshot)
                if snapshot != seen and not fresh:
                    summary = self._run()
                    seen = snapshot
                    if on_summary is not None:
                        on_summary(summary)
                stop.wait(interval)

    def _snapshot(self) -> tuple[tuple[str, int, float], ...]:
        out = []
        for p in inbox_files(self.inbox):
            with contextlib.suppress(OSError):
                st = p.stat()
                out.append((str(p), st.st_size, st.st_mtime))
        return tuple(out)

    def _run(self) -> Summary:
        summary = Summary(inbox=str(self.inbox), out=str(self.out))
        files.remove(files.stale_temporaries(self.out, time.time_ns()))  # under the lock: a killed run's
        manifest = Manifest(self.out)
        try:
            summary.notices += manifest.notices
            return self._run_on(manifest, summary)
        finally:
            manifest.close()

    def _run_on(self, manifest: Manifest, summary: Summary) -> Summary:
        clock = time.perf_counter()
        model_id = self._model_id()
        if manifest.model != model_id:  # another model's rows (or none): start over, the caches keep the work
            manifest.start_over(model_id)
        docs_by_path = self._update_files(manifest, summary)
        summary.timings["files"] = time.perf_counter() - clock

        clock = time.perf_counter()
        records = manifest.all_articles()
        summary.articles = len(records)
        self.progress(Progress("grouping", 0, len(records), f"{len(records)} articles"))
        planned = plan_events(records, self._load_vectors, self._calibration(), self.config, model_id)
        self.progress(Progress("grouping", len(records), len(records), f"{len(planned)} events"))
        summary.events = len(planned)
        summary.timings["grouping"] = time.perf_counter() - clock

        clock = time.perf_counter()
        self._align_events(planned, manifest, docs_by_path, summary, model_id)
        summary.timings["aligning"] = time.perf_counter() - clock

        clock = time.perf_counter()
        write_index(self.out, manifest, self.inbox)
        summary.timings["index"] = time.perf_counter() - clock
        for entry in manifest.events.values():
            summary.claims += entry.claims
            summary.discrepancies += entry.discrepancies
        files.remove(files.orphan_vectors(self.out, {a.hash for a in manifest.all_articles()}))
        unread = summary.errors  # files and events this run could not read: tried again next run
        summary.errors = sorted(f.error for f in manifest.files.values() if f.error)
        summary.errors += [e for path in sorted(manifest.files) for e in manifest.files[path].warnings] + unread
        return summary

    # --------------------------------------------------------- stage 1: files
    def _update_files(self, manifest: Manifest, summary: Summary) -> dict[str, list[Document]]:
        """Bring the manifest's files up to date; returns the documents read in this run, by path."""
        paths = inbox_files(self.inbox)
        summary.files = len(paths)
        self.progress(Progress("scanning", 0, len(paths), f"{len(paths)} files"))
        scanned, unreadable = scan(paths, manifest.files)
        for path, message in unreadable:  # not recorded as done, so the next run tries it again
            self._unreadable(message, summary)
        plan = plan_files(scanned, manifest.files, [str(p) for p in paths])
        manifest.drop_files(plan.removed + [str(path) for path, _ in unreadable])
        manifest.touch_files(plan.touched)
        summary.files_removed = len(plan.removed)
        summary.files_new, summary.files_changed, summary.files_unchanged = plan.new, plan.changed, len(plan.unchanged)
        self.progress(Progress("scanning", len(paths), len(paths), f"{len(plan.read)} new or changed"))

        inputs = []
        for item in plan.read + self._damaged(plan.unchanged, manifest, summary):
            try:
                inputs.append(FileInput.of(item, item.data if item.data is not None else read_bytes(item.path)))
            except OSError as exc:
                manifest.drop_files([str(item.path)])
                self._unreadable(f"{item.path}: cannot read ({exc.strerror or exc}); tried again on the next run", summary)

        docs_by_path: dict[str, list[Document]] = {}
        for done in self.runner.process_files(inputs, self.config.max_sentences):
            check_cancel(self.cancel)
            for message in done.read.problems:
                self.on_error(message)
            for article, vectors in zip(done.read.articles, done.vectors):
                atomic_write(vector_path(self.out, article.hash), npy_bytes(vectors))  # over any file there
                self._vectors[article.hash] = vectors.astype(np.float32)
            manifest.put_file(done.read.file, done.read.articles)  # after its vectors: a kill loses no row's vectors
            docs_by_path[done.read.file.path] = list(done.read.documents)
        return docs_by_path

    def _unreadable(self, message: str, summary: Summary) -> None:
        self.on_error(message)
        summary.errors.append(message)

    def _damaged(self, unchanged: list[Scanned], manifest: Manifest, summary: Summary) -> list[Scanned]:
        """Load the vectors of the unchanged files' articles (kept for grouping); the files with an
        article whose vectors are missing, damaged or of the wrong shape, to read and embed again."""
        records = [a for item in unchanged for a in manifest.articles.get(str(item.path), ())]
        loaded = {a.hash: self._checked_vectors(a) for a in records}
        width = files.majority_width(v for v in loaded.values() if v is not None)
        bad = damaged_vectors(records, loaded, width)
        self._vectors = {h: v for h, v in loaded.items() if h not in bad and v is not None}
        if bad:
            summary.notices.append(f"{self.out / VECTORS_DIR}: rebuilt {len(bad)} vector file(s) missing or of the wrong shape")
        return [item for item in unchanged if any(a.hash in bad for a in manifest.articles.get(str(item.path), ()))]

    def _checked_vectors(self, record: ArticleRow) -> np.ndarray | None:
        rows = min(record.sentences, self.config.max_sentences)
        return files.checked_vectors(vector_path(self.out, record.hash), rows)

    def _load_vectors(self, record: ArticleRow) -> np.ndarray:
        """An article's vectors: checked or computed in the files stage, else read now; none when damaged."""
        vectors = self._vectors[record.hash] if record.hash in self._vectors else self._checked_vectors(record)
        return np.zeros((0, 1), dtype=np.float32) if vectors is None else vectors

    # --------------------------------------------------------- stage 3: aligning
    def _align_events(self, planned: list[PlannedEvent], manifest: Manifest, docs_by_path: dict[str, list[Document]],
                      summary: Summary, model_id: str) -> None:
        plan = plan_alignment(planned, manifest.events, lambda event_id: all(p.exists() for p in report_paths(self.out, event_id)))
        summary.events_unchanged = plan.unchanged
        # events that no longer exist: forget them and delete their files
        manifest.drop_events(plan.removed)
        summary.events_removed = len(plan.removed)
        wanted = {e.id for e in planned}
        folder = self.out / files.EVENTS_DIR
        for path in sorted(folder.glob("*")) if folder.exists() else []:
            if files.EVENT_FILE.fullmatch(path.name) and path.stem not in wanted:
                files.remove([path])

        todo = {event.id: event for event in plan.align}
        self.progress(Progress("events", 0, len(todo), f"{len(todo)} events to align"))
        for n, output in enumerate(self.runner.align_events(self._event_inputs(plan.align, docs_by_path, summary, model_id)),
                                   start=1):
            event = todo[output.event_id]
            json_path, md_path, html_path = report_paths(self.out, event.id)
            atomic_write(json_path, output.json)
            atomic_write(md_path, output.markdown)
            atomic_write(html_path, output.html)
            members = tuple(MemberRow(m.key, m.hash, i) for m, i in zip(event.members, event.doc_ids))
            manifest.put_event(EventRow(event.id, event.signature, members, output.claims, output.discrepancies,
                                        output.untranslated))
            summary.events_aligned += 1
            self.progress(Progress("events", n, len(todo), event.id))

    def _event_inputs(self, events: list[PlannedEvent], docs_by_path: dict[str, list[Document]], summary: Summary,
                      model_id: str) -> Iterator[EventInput]:
        """Each event's input, built when the runner asks for it (so few are in memory at once)."""
        store = self._store()
        for event in events:
            check_cancel(self.cancel)
            try:
                docs = [docids.renamed(self._document(m, docs_by_path), i) for m, i in zip(event.members, event.doc_ids)]
            except _Unreadable as exc:  # its manifest row stays as it was: aligned on the next run
                self._unreadable(f"{exc.message}; event {event.id} is aligned again on the next run", summary)
                continue
            yield event_input(event.id, docs, model_id, store)

    def _document(self, member: ArticleRow, docs_by_path: dict[str, list[Document]]) -> Document:
        """A member's document: read in this run, else its file read now (here: it is one file)."""
        path = member.path
        if path not in docs_by_path:
            try:
                data = read_bytes(Path(path))
            except OSError as exc:
                raise _Unreadable(f"{path}: cannot read: {exc.strerror or exc}") from None
            docs, problems = parse_file(FileInput(path, data, "", len(data), 0), self.settings.limits)
            if not docs:  # unreadable now (a file read in an earlier run)
                raise _Unreadable(problems[0] if problems else f"{path}: no articles")
            docs_by_path[path] = list(docs)
        docs = docs_by_path[path]
        if member.position >= len(docs) or article_hash(docs[member.position]) != member.hash:
            raise ReaderError(f"{path} changed while reader batch was running", hint="run reader batch again")
        return docs[member.position]


class _Unreadable(ReaderError):
    """A file of an event to align that cannot be read now; the event waits for the next run."""

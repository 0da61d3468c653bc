"""``reader batch``: group the articles of an inbox into events, align each event, write reports.

The job, one run::

    lock OUT ─ scan INBOX ─ read new/changed files ─ embed + names ─ group all articles
        ─ align the events whose members changed ─ write their reports ─ index

Layout of OUT::

    OUT/.reader-batch.lock        exclusive flock while a run (or a watch) holds OUT
    OUT/manifest.json             what was processed: files, articles, events (written atomically)
    OUT/.vectors/<hash>.npy       sentence vectors per article (float16, first 64 sentences), for grouping
    OUT/events/<event>.json|.md|.html  one report per event (reader.report formats)
    OUT/index.json, OUT/index.md  every event: articles, languages, dates, claims, discrepancies

Incremental: a file whose size and mtime match the manifest is not read again;
one whose bytes hash the same is not re-processed. All articles are re-grouped
on every run (cheap: vectors and names come from OUT), and only the events whose
*signature* (the sorted content hashes of their members, the embedding model and
the report version) differ from the manifest, or whose report files are missing,
are aligned again. So an article that joins an existing event re-aligns that
event and no other.

Safe: every file is written to a temporary file in the same folder and renamed
over the old one (``os.replace``), so a reader of OUT sees the old or the new
report, never half of one. The manifest is saved after the files stage and again
after each event's reports are written; an interrupted run loses at most the
event it was aligning (embeddings and translations are cached per chunk in the
Store), and the next run re-aligns exactly what is missing. Two runs on one OUT:
the second fails fast with a one-line error naming the holder's pid (an
``fcntl.flock`` on the lock file, released by the kernel when a process dies, so
a killed run never leaves a stale lock).

Hostile or damaged OUT (see ``reader.batch_files``): a manifest entry or a vector file of the
wrong shape counts as never computed and is computed again (one line says so); a killed run's
temporary files and the vectors of articles gone from the inbox are deleted, by the names batch
writes and no others. A file of the inbox that cannot be read is named in the summary and left
out of the manifest, so the next run tries it again; the rest goes on.

Document ids are those of ``reader align`` on the same files (``reader.docids``): each file's
articles keep the ids ingest gave them (stored in the manifest with a digest of their text), and
ids that files of the inbox share are told apart over the whole inbox, as one read of it would.
An event's signature holds its documents' ids, so a report is written again when one changes.

Event ids are stable: ``e-`` + the first 12 hex digits of the content hash of the
event's earliest article (by date, then hash), so a rerun overwrites the same
files, and an event that gains a later article keeps its id.

Timings go to the summary only; reports and the index hold none, so two runs
over the same inbox write byte-identical files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from reader import batch_files, docids
from reader import events as grouping
from reader.batch_files import EVENTS_DIR, MANIFEST_NAME, VECTORS_DIR
from reader.errors import ReaderError
from reader.facts import SentenceFacts
from reader.model import Document, Report
from reader.progress import Progress, ProgressFn, check_cancel, no_progress
from reader.settings import Settings, overridden
from reader.untrusted import markdown

MANIFEST_VERSION = 3  # 2: articles carry name keys and figures (events from content), not gazetteer names; 3: ids
REPORT_VERSION = 3  # 3: calibrated pair model, coherent claims. Bump when report_for's output changes, to re-align every event
LOCK_NAME = ".reader-batch.lock"


# ----------------------------------------------------------------- small helpers
def _hash_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = batch_files.temporary_path(path)
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


def article_hash(doc: Document) -> str:
    a = doc.article
    key = json.dumps([a.lang, a.title, a.outlet, a.published, a.url, a.body], ensure_ascii=False)
    return _hash_bytes(key.encode("utf-8"))


def names_of(doc: Document) -> frozenset[str]:
    """An article's names as transliteration keys (``reader.names``), for grouping by content."""
    from reader.names import document_keys

    return document_keys((s.text for s in doc.sentences), doc.article.lang)


def figures_of(doc: Document, stage: SentenceFacts | None = None) -> frozenset[str]:
    """The figures and dates that identify an article's story, from the facts stage."""
    from reader.facts import salient_figures

    stage = stage or SentenceFacts()
    return salient_figures(f for s in doc.sentences for f in stage.of(s.text, doc.article.lang, doc.article.published))


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# ----------------------------------------------------------------- results
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


# ----------------------------------------------------------------- the job
class BatchJob:
    """One inbox, one output folder. ``run`` once, or ``watch`` to follow the inbox.

    ``components`` (reader.pipeline.Components) carries the embedder, translator and
    Store; one is built on first need and reused for every event and every cycle,
    so the model loads once.
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
        self._vectors: dict[str, np.ndarray] = {}  # by article hash: checked in the files stage, for grouping

    # --------------------------------------------------------- parts, lazily
    def _store(self):
        if self.parts.store is None:
            from reader.store import Store

            self.parts.store = Store(self.settings.store_path)
        return self.parts.store

    def _embedder(self):
        if self.parts.embedder is None:
            from reader.embed import SentenceTransformerEmbedder

            self.parts.embedder = SentenceTransformerEmbedder(self.settings, self.progress)
        return self.parts.embedder

    # --------------------------------------------------------- manifest
    def _calibration(self):
        """The embedding model's stored calibration (language means, backgrounds, the grouping
        model), or None: grouping then reads the vectors as they are."""
        from reader.pipeline import calibration_of

        self._embedder()
        return calibration_of(self.parts, self.settings)

    def _manifest_path(self) -> Path:
        return self.out / MANIFEST_NAME

    def _load_manifest(self, summary: Summary) -> dict[str, Any]:
        """The manifest; what is unreadable or of the wrong shape in it counts as not done (its
        files are read again, its events aligned again: caches keep the work), with one notice."""
        empty = {"version": MANIFEST_VERSION, "model": None, "files": {}, "events": {}}
        path = self._manifest_path()
        if not path.exists():
            return empty
        try:
            if not path.is_file():  # a folder or a FIFO (whose read would block)
                raise ValueError(path)
            data, problem = batch_files.checked_manifest(json.loads(path.read_text("utf-8")), MANIFEST_VERSION)
        except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
            data, problem = None, "not readable as JSON"
        if problem:
            summary.notices.append(f"{path}: {problem}; rebuilt")
        return data or empty

    def _save_manifest(self, manifest: dict[str, Any]) -> None:
        atomic_write(self._manifest_path(), json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

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
        batch_files.remove(batch_files.stale_temporaries(self.out, time.time_ns()))  # under the lock: a killed run's
        clock = time.perf_counter()
        manifest = self._load_manifest(summary)
        embedder = self._embedder()
        model_id = str(getattr(embedder, "model_id", "?"))
        if manifest.get("model") != model_id:
            manifest = {"version": MANIFEST_VERSION, "model": model_id, "files": {}, "events": {}}

        docs_by_path = self._update_files(manifest, summary)
        summary.timings["files"] = time.perf_counter() - clock
        self._save_manifest(manifest)

        clock = time.perf_counter()
        records = [a for f in manifest["files"].values() for a in f.get("articles", [])]
        summary.articles = len(records)
        planned = self._group(records)
        summary.events = len(planned)
        summary.timings["grouping"] = time.perf_counter() - clock

        clock = time.perf_counter()
        self._align_events(planned, manifest, docs_by_path, summary, model_id)
        summary.timings["aligning"] = time.perf_counter() - clock

        clock = time.perf_counter()
        self._write_index(manifest)
        summary.timings["index"] = time.perf_counter() - clock
        for entry in manifest["events"].values():
            summary.claims += entry["claims"]
            summary.discrepancies += entry["discrepancies"]
        kept = {a["hash"] for f in manifest["files"].values() for a in f["articles"]}
        batch_files.remove(batch_files.orphan_vectors(self.out, kept))
        unread = summary.errors  # files and events this run could not read: tried again next run
        summary.errors = sorted(f["error"] for f in manifest["files"].values() if f.get("error"))
        summary.errors += [e for f in manifest["files"].values() for e in f.get("warnings", [])] + unread
        return summary

    # --------------------------------------------------------- stage 1: files
    def _update_files(self, manifest: dict[str, Any], summary: Summary) -> dict[str, list[Document]]:
        """Bring manifest["files"] up to date; returns the documents read in this run, by path."""
        known: dict[str, Any] = manifest["files"]
        paths = inbox_files(self.inbox)
        summary.files = len(paths)
        current = {str(p) for p in paths}
        for gone in sorted(set(known) - current):
            del known[gone]
            summary.files_removed += 1

        to_read: list[tuple[Path, str, os.stat_result]] = []
        unchanged: dict[str, tuple[Path, str, os.stat_result]] = {}
        self.progress(Progress("scanning", 0, len(paths), f"{len(paths)} files"))
        for n, path in enumerate(paths, start=1):
            key = str(path)
            entry = known.get(key)
            try:
                st = path.stat()
                same = entry and entry["size"] == st.st_size and entry["mtime_ns"] == st.st_mtime_ns
                digest = entry["hash"] if same else _hash_bytes(path.read_bytes())
            except OSError as exc:  # not recorded as done, so the next run tries it again
                known.pop(key, None)
                self._unreadable(f"{path}: cannot read ({exc.strerror or exc}); tried again on the next run", summary)
                continue
            if entry and entry["hash"] == digest:
                entry["size"], entry["mtime_ns"] = st.st_size, st.st_mtime_ns
                summary.files_unchanged += 1
                unchanged[key] = (path, digest, st)
                continue
            if entry:
                summary.files_changed += 1
            else:
                summary.files_new += 1
            to_read.append((path, digest, st))
            self.progress(Progress("scanning", n, len(paths)))
        self.progress(Progress("scanning", len(paths), len(paths), f"{len(to_read)} new or changed"))
        to_read += self._check_vectors(unchanged, known, summary)

        docs_by_path = self._read(to_read, known)
        self._embed_and_name(docs_by_path, known)
        return docs_by_path

    def _unreadable(self, message: str, summary: Summary) -> None:
        self.on_error(message)
        summary.errors.append(message)

    def _check_vectors(self, unchanged: dict[str, tuple[Path, str, os.stat_result]], known: dict[str, Any],
                       summary: Summary) -> list[tuple[Path, str, os.stat_result]]:
        """Load the vectors of the unchanged files' articles (kept for grouping); the files with an
        article whose vectors are missing, damaged or of the wrong shape, to read and embed again."""
        records = [a for key in unchanged for a in known[key]["articles"]]
        loaded = {a["hash"]: self._checked_vectors(a) for a in records}
        width = batch_files.majority_width(v for v in loaded.values() if v is not None)
        bad = {h for h, v in loaded.items() if v is None or (len(v) and width and v.shape[1] != width)}
        self._vectors = {h: v for h, v in loaded.items() if h not in bad}
        if bad:
            folder = self.out / VECTORS_DIR
            summary.notices.append(f"{folder}: rebuilt {len(bad)} vector file(s) missing or of the wrong shape")
        return [item for key, item in unchanged.items() if any(a["hash"] in bad for a in known[key]["articles"])]

    def _read(self, to_read: list[tuple[Path, str, os.stat_result]], known: dict[str, Any]) -> dict[str, list[Document]]:
        from reader.pipeline import read_documents

        docs_by_path: dict[str, list[Document]] = {}
        for n, (path, digest, st) in enumerate(to_read, start=1):
            check_cancel(self.cancel)
            problems: list[str] = []
            docs = read_documents([path], lambda e: problems.append(e.message), bounds=self.settings.limits)
            fatal = problems[0] if problems and not docs else None
            for message in problems:
                self.on_error(message)
            known[str(path)] = {
                "hash": digest,
                "size": st.st_size,
                "mtime_ns": st.st_mtime_ns,
                "error": fatal,
                "warnings": problems if docs else [],
                "articles": [],  # filled by _embed_and_name
            }
            docs_by_path[str(path)] = docs
            self.progress(Progress("reading", n, len(to_read), path.name))
        return docs_by_path

    def _embed_and_name(self, docs_by_path: dict[str, list[Document]], known: dict[str, Any]) -> None:
        from reader.embed import embed_cached

        docs = [d for ds in docs_by_path.values() for d in ds]
        if not docs:
            return
        texts = [s.text for d in docs for s in d.sentences]
        vectors = embed_cached(texts, self._embedder(), self._store(), self.progress, self.cancel)
        row = 0
        for path, path_docs in docs_by_path.items():
            records = []
            for position, doc in enumerate(path_docs):
                check_cancel(self.cancel)
                n = len(doc.sentences)
                h = article_hash(doc)
                self._save_vectors(h, vectors[row : row + n])
                row += n
                a = doc.article
                records.append(
                    {
                        "key": f"{path}#{position}",
                        "path": path,
                        "position": position,
                        "hash": h,
                        "lang": a.lang,
                        "published": a.published,
                        "title": a.title,
                        "outlet": a.outlet,
                        "sentences": n,
                        "names": sorted(names_of(doc)),
                        "figures": sorted(figures_of(doc, self.parts.facts)),
                        "id": a.id,  # as ingest named it, reading this file alone (reader.docids.file_ids)
                        "digest": docids.digest(a.body),
                    }
                )
            known[path]["articles"] = records
            self.progress(Progress("naming", len(records), len(records), Path(path).name))

    def _vector_path(self, article: str) -> Path:
        return self.out / VECTORS_DIR / f"{article}.npy"

    def _save_vectors(self, article: str, vectors: np.ndarray) -> None:
        """Written over any file there: one of another model or of the wrong shape is replaced."""
        rows = np.asarray(vectors[: self.config.max_sentences], dtype=np.float16)
        atomic_write(self._vector_path(article), _npy_bytes(rows))

    def _checked_vectors(self, record: dict[str, Any]) -> np.ndarray | None:
        rows = min(record["sentences"], self.config.max_sentences)
        return batch_files.checked_vectors(self._vector_path(record["hash"]), rows)

    def _load_vectors(self, record: dict[str, Any]) -> np.ndarray:
        """An article's vectors: checked in the files stage, else read now; none when damaged."""
        vectors = self._vectors[record["hash"]] if record["hash"] in self._vectors else self._checked_vectors(record)
        return np.zeros((0, 1), dtype=np.float32) if vectors is None else vectors

    # --------------------------------------------------------- stage 2: grouping
    def _group(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Plan events over every article: [{id, signature, members: [records]}]."""
        records = sorted(records, key=lambda r: (r["path"], r["position"]))
        self.progress(Progress("grouping", 0, len(records), f"{len(records)} articles"))
        signals = [
            grouping.ArticleSignal(
                key=r["key"],
                lang=r["lang"],
                published=_parse_date(r["published"]),
                names=frozenset(r.get("names", ())),
                vectors=self._load_vectors(r),
                figures=frozenset(r.get("figures", ())),
            )
            for r in records
        ]
        dims = {s.vectors.shape[1] for s in signals if len(s.vectors)}
        if len(dims) > 1:  # vectors of another model: group on names and dates only
            signals = [dataclasses.replace(s, vectors=np.zeros((0, 1), np.float32)) for s in signals]
        result = grouping.group_calibrated(signals, self._calibration(), self.config)
        # over the whole inbox, as reader align reads it: files whose ids collide are told apart
        ids = docids.run_ids([(r["path"], r["lang"], r["id"], r["digest"]) for r in records])
        id_of = {r["key"]: doc_id for r, doc_id in zip(records, ids)}
        planned = []
        used: set[str] = set()
        for member_idx in result.events:
            members = sorted(
                (records[i] for i in member_idx),
                key=lambda r: (r["lang"], r["published"] or "9999", r["path"], r["position"]),
            )
            anchor = min(members, key=lambda r: (r["published"] or "9999", r["hash"], r["key"]))
            event_id = "e-" + anchor["hash"][:12]
            suffix = 2
            while event_id in used:  # identical copies of one article in two events
                event_id = f"e-{anchor['hash'][:12]}-{suffix}"
                suffix += 1
            used.add(event_id)
            planned.append({"id": event_id, "members": members, "ids": [id_of[m["key"]] for m in members]})
        self.progress(Progress("grouping", len(records), len(records), f"{len(planned)} events"))
        return planned

    # --------------------------------------------------------- stage 3: aligning
    def _signature(self, members: list[dict[str, Any]], ids: list[str], model_id: str) -> str:
        key = json.dumps(
            [REPORT_VERSION, model_id, [(m["hash"], m["path"], m["position"], i) for m, i in zip(members, ids)]],
            ensure_ascii=False,
        )
        return _hash_bytes(key.encode("utf-8"))

    def _report_paths(self, event_id: str) -> tuple[Path, Path, Path]:
        base = self.out / EVENTS_DIR / event_id
        return base.with_suffix(".json"), base.with_suffix(".md"), base.with_suffix(".html")

    def _align_events(
        self,
        planned: list[dict[str, Any]],
        manifest: dict[str, Any],
        docs_by_path: dict[str, list[Document]],
        summary: Summary,
        model_id: str,
    ) -> None:
        from reader import report as report_io
        from reader.pipeline import report_for

        events: dict[str, Any] = manifest["events"]
        todo = []
        for plan in planned:
            plan["signature"] = self._signature(plan["members"], plan["ids"], model_id)
            entry = events.get(plan["id"])
            files_there = all(p.exists() for p in self._report_paths(plan["id"]))
            if entry and entry["signature"] == plan["signature"] and files_there:
                summary.events_unchanged += 1
            else:
                todo.append(plan)

        # events that no longer exist: forget them and delete their files
        wanted = {p["id"] for p in planned}
        for event_id in sorted(set(events) - wanted):
            del events[event_id]
            summary.events_removed += 1
        for path in sorted((self.out / EVENTS_DIR).glob("*")) if (self.out / EVENTS_DIR).exists() else []:
            if batch_files.EVENT_FILE.fullmatch(path.name) and path.stem not in wanted:
                batch_files.remove([path])
        self._save_manifest(manifest)

        for n, plan in enumerate(todo, start=1):
            check_cancel(self.cancel)
            self.progress(Progress("events", n - 1, len(todo), f"{plan['id']} ({len(plan['members'])} articles)"))
            try:
                docs = [docids.renamed(self._document(m, docs_by_path), i) for m, i in zip(plan["members"], plan["ids"])]
            except _Unreadable as exc:  # its manifest entry stays as it was: aligned on the next run
                self._unreadable(f"{exc.message}; event {plan['id']} is aligned again on the next run", summary)
                continue
            report = report_for(docs, self.settings, self.progress, self.cancel, self.parts)
            report = _without_timings(report)
            json_path, md_path, html_path = self._report_paths(plan["id"])
            atomic_write(json_path, report_io.to_json(report))
            atomic_write(md_path, report_io.to_markdown(report))
            atomic_write(html_path, report_io.to_html(report))
            events[plan["id"]] = {
                "signature": plan["signature"],
                "articles": [
                    {"key": m["key"], "hash": m["hash"], "id": d.id} for m, d in zip(plan["members"], docs)
                ],
                "claims": len(report.claims),
                "discrepancies": sum(len(c.discrepancies) for c in report.claims) + len(report.omissions),
                "untranslated": list(report.meta.get("untranslated_languages", [])),
            }
            self._save_manifest(manifest)
            summary.events_aligned += 1
            self.progress(Progress("events", n, len(todo), plan["id"]))

    def _document(self, member: dict[str, Any], docs_by_path: dict[str, list[Document]]) -> Document:
        from reader.pipeline import read_documents

        path = member["path"]
        if path not in docs_by_path:
            problems: list[str] = []
            docs = read_documents([path], lambda e: problems.append(e.message), bounds=self.settings.limits)
            if not docs:  # unreadable now (a file read in an earlier run)
                raise _Unreadable(problems[0] if problems else f"{path}: no articles")
            docs_by_path[path] = docs
        docs = docs_by_path[path]
        position = member["position"]
        if position >= len(docs) or article_hash(docs[position]) != member["hash"]:
            raise ReaderError(
                f"{path} changed while reader batch was running", hint="run reader batch again"
            )
        return docs[position]

    # --------------------------------------------------------- index
    def _write_index(self, manifest: dict[str, Any]) -> None:
        by_key = {a["key"]: a for f in manifest["files"].values() for a in f.get("articles", [])}
        rows = []
        for event_id, entry in manifest["events"].items():
            articles = []
            for member in entry["articles"]:
                rec = by_key.get(member["key"], {})
                articles.append(
                    {
                        "id": member["id"],
                        "path": rec.get("path"),
                        "position": rec.get("position"),
                        "lang": rec.get("lang"),
                        "published": rec.get("published"),
                        "title": rec.get("title"),
                        "outlet": rec.get("outlet"),
                        "sentences": rec.get("sentences"),
                    }
                )
            dates = sorted(a["published"] for a in articles if a["published"])
            rows.append(
                {
                    "id": event_id,
                    "report": f"{EVENTS_DIR}/{event_id}.json",
                    "markdown": f"{EVENTS_DIR}/{event_id}.md",
                    "html": f"{EVENTS_DIR}/{event_id}.html",
                    "languages": sorted({a["lang"] for a in articles if a["lang"]}),
                    "first_published": dates[0] if dates else None,
                    "last_published": dates[-1] if dates else None,
                    "articles": articles,
                    "claims": entry["claims"],
                    "discrepancies": entry["discrepancies"],
                    "untranslated": entry.get("untranslated", []),
                }
            )
        rows.sort(key=lambda r: (r["first_published"] or "9999", r["id"]))
        errors = sorted(f["error"] for f in manifest["files"].values() if f.get("error"))
        index = {"inbox": str(self.inbox), "model": manifest.get("model"), "events": rows, "errors": errors}
        atomic_write(self.out / "index.json", json.dumps(index, ensure_ascii=False, indent=2) + "\n")
        atomic_write(self.out / "index.md", index_markdown(index))


class _Unreadable(ReaderError):
    """A file of an event to align that cannot be read now; the event waits for the next run."""


def _npy_bytes(array: np.ndarray) -> bytes:
    import io

    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def _without_timings(report: Report) -> Report:
    meta = {k: v for k, v in report.meta.items() if k != "timings"}
    return dataclasses.replace(report, meta=meta)


def _cell(text: object) -> str:
    """A path, title or outlet made literal Markdown (no HTML, link or escape survives)."""
    return markdown(str(text))


def index_markdown(index: dict[str, Any]) -> str:
    """The index as Markdown: one table of events, then each event's articles."""
    events = index["events"]
    out = ["# Events", "", f"{len(events)} events from {_cell(index['inbox'])}.", ""]
    out.append("| event | dates | languages | articles | claims | discrepancies |")
    out.append("|---|---|---|---|---|---|")
    for e in events:
        dates = e["first_published"] or "?"
        if e["last_published"] and e["last_published"] != e["first_published"]:
            dates += f" – {e['last_published']}"
        out.append(
            f"| [{e['id']}]({e['markdown']}) | {_cell(dates)} | {_cell(', '.join(e['languages']))} | "
            f"{len(e['articles'])} | {e['claims']} | {e['discrepancies']} |"
        )
    for e in events:
        out += ["", f"## {e['id']}", ""]
        for a in e["articles"]:
            bits = [a["id"], a["lang"] or "?", a["published"] or "?", a["outlet"] or "unknown"]
            title = f" — {_cell(a['title'])}" if a["title"] else ""
            out.append(f"- {' · '.join(_cell(b) for b in bits)}{title} ({_cell(a['path'])}#{a['position']})")
    if index["errors"]:
        out += ["", "## Files that could not be read", ""]
        out += [f"- {_cell(e)}" for e in index["errors"]]
    return "\n".join(out) + "\n"

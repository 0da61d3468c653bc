"""What a ``reader batch`` run must (re)compute: decisions over the manifest and the inbox scan.

No model runs here and nothing is written; the job (``reader.batch.job``) acts on the plans and a
runner (local or Ray) does the work.

* :func:`plan_files`: which files are new, changed, unchanged (only their size or mtime moved) or
  gone; :func:`damaged_vectors` adds the unchanged files whose grouping vectors must be rebuilt.
* :func:`plan_events`: every article grouped into events (``reader.events``), each event with a
  stable id (``e-`` + the first 12 hex digits of the content hash of its earliest article, by date
  then hash, so an event that gains a later article keeps its id and a rerun overwrites the same
  files), its members' document ids over the whole inbox (``reader.docids``, as one read of the
  inbox would name them) and its *signature*.
* :func:`plan_alignment`: the events to align: those whose signature (their members' hashes,
  places and ids, the embedding model, :data:`REPORT_VERSION`) differs from the manifest's, or
  whose report files are missing; and the events gone.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from reader import docids
from reader import events as grouping
from reader.batch.files import hash_bytes
from reader.batch.inbox import Scanned
from reader.batch.manifest import ArticleRow, EventRow, FileRow

REPORT_VERSION = 3  # 3: calibrated pair model, coherent claims. Bump when report_for's output changes, to re-align every event


# ----------------------------------------------------------------- files
@dataclass
class FilePlan:
    """The scan against the manifest."""

    read: list[Scanned] = field(default_factory=list)  # new or changed: read, embed, name
    unchanged: list[Scanned] = field(default_factory=list)
    touched: list[FileRow] = field(default_factory=list)  # unchanged bytes under a new size or mtime
    removed: list[str] = field(default_factory=list)  # in the manifest, gone from the inbox
    new: int = 0
    changed: int = 0


def plan_files(scanned: Sequence[Scanned], known: Mapping[str, FileRow], inbox: Iterable[str]) -> FilePlan:
    """Sort the scanned files by what must be done with them; ``inbox`` is every path listed (a
    file listed but unreadable is neither removed nor done: the job forgets it, to try it again)."""
    plan = FilePlan(removed=sorted(set(known) - set(inbox)))
    for item in scanned:
        entry = known.get(str(item.path))
        if entry is not None and entry.hash == item.hash:
            plan.unchanged.append(item)
            if (entry.size, entry.mtime_ns) != (item.size, item.mtime_ns):
                plan.touched.append(dataclasses.replace(entry, size=item.size, mtime_ns=item.mtime_ns))
            continue
        plan.read.append(item)
        if entry is None:
            plan.new += 1
        else:
            plan.changed += 1
    return plan


def damaged_vectors(articles: Sequence[ArticleRow], loaded: Mapping[str, np.ndarray | None],
                    width: int | None) -> set[str]:
    """The article hashes whose vectors are missing, damaged, or of another width than most
    (``width``, the embedding model's): their files are read and embedded again."""
    bad = set()
    for article in articles:
        vectors = loaded.get(article.hash)
        if vectors is None or (len(vectors) and width and vectors.shape[1] != width):
            bad.add(article.hash)
    return bad


# ----------------------------------------------------------------- events
@dataclass(frozen=True)
class PlannedEvent:
    id: str
    members: tuple[ArticleRow, ...]  # by language, date, path, position
    doc_ids: tuple[str, ...]  # the members' document ids over the whole inbox, in order
    signature: str


def plan_events(articles: Sequence[ArticleRow], vectors_of: Callable[[ArticleRow], np.ndarray],
                calibration, config: grouping.EventConfig, model_id: str) -> list[PlannedEvent]:
    """Group every article into events (``reader.events.group_calibrated``) and name them."""
    records = sorted(articles, key=lambda r: (r.path, r.position))
    signals = [
        grouping.ArticleSignal(key=r.key, lang=r.lang, published=_parse_date(r.published), names=frozenset(r.names),
                               vectors=vectors_of(r), figures=frozenset(r.figures))
        for r in records
    ]
    dims = {s.vectors.shape[1] for s in signals if len(s.vectors)}
    if len(dims) > 1:  # vectors of another model: group on names and dates only
        signals = [dataclasses.replace(s, vectors=np.zeros((0, 1), np.float32)) for s in signals]
    result = grouping.group_calibrated(signals, calibration, config)
    # over the whole inbox, as reader align reads it: files whose ids collide are told apart
    ids = docids.run_ids([(r.path, r.lang, r.doc_id, r.digest) for r in records])
    id_of = {r.key: doc_id for r, doc_id in zip(records, ids)}
    planned, used = [], set()
    for member_idx in result.events:
        members = sorted((records[i] for i in member_idx),
                         key=lambda r: (r.lang, r.published or "9999", r.path, r.position))
        anchor = min(members, key=lambda r: (r.published or "9999", r.hash, r.key))
        event_id, suffix = "e-" + anchor.hash[:12], 2
        while event_id in used:  # identical copies of one article in two events
            event_id, suffix = f"e-{anchor.hash[:12]}-{suffix}", suffix + 1
        used.add(event_id)
        doc_ids = tuple(id_of[m.key] for m in members)
        planned.append(PlannedEvent(event_id, tuple(members), doc_ids, signature(members, doc_ids, model_id)))
    return planned


def signature(members: Sequence[ArticleRow], doc_ids: Sequence[str], model_id: str) -> str:
    """What an event's reports depend on: its members (content, place, id), the model, the report version."""
    key = json.dumps([REPORT_VERSION, model_id, [(m.hash, m.path, m.position, i) for m, i in zip(members, doc_ids)]],
                     ensure_ascii=False)
    return hash_bytes(key.encode("utf-8"))


@dataclass
class AlignmentPlan:
    align: list[PlannedEvent]
    unchanged: int
    removed: list[str]  # event ids in the manifest no longer planned


def plan_alignment(planned: Sequence[PlannedEvent], known: Mapping[str, EventRow],
                   reports_exist: Callable[[str], bool]) -> AlignmentPlan:
    todo, unchanged = [], 0
    for event in planned:
        entry = known.get(event.id)
        if entry is not None and entry.signature == event.signature and reports_exist(event.id):
            unchanged += 1
        else:
            todo.append(event)
    wanted = {e.id for e in planned}
    return AlignmentPlan(todo, unchanged, sorted(set(known) - wanted))


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None

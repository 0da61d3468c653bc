"""The work of ``reader batch``, as functions of serialisable inputs, so that any runner (local,
or a Ray worker on another machine) can call them in any process.

* :func:`read_file`: one inbox file's bytes (never its path: a worker elsewhere cannot open it)
  -> its documents (ingest, segmentation) and article rows (names and figures from the facts
  stage, content hashes, ids as ``reader align`` gives them). Embedding is apart
  (:func:`vectors_by_article`), so a runner can batch it across files.
* :func:`align_event`: an event's documents, with the vectors the driver's cache holds for their
  sentences -> its JSON, Markdown and HTML reports as strings, and their counts.

Byte-identical reports whichever runner: the model's output for a sentence depends (in its last
bit) on the other sentences of its batch, so every runner embeds the run's sentences in the same
chunks (:data:`EMBED_CHUNK` of the unique texts the cache lacks, in inbox order), and an event is
aligned on the vectors shipped with it (:class:`PreloadedVectors`) rather than on ones a worker
might compute afresh in another company.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from reader import docids
from reader.batch.files import hash_bytes
from reader.batch.inbox import Scanned
from reader.batch.manifest import ArticleRow, FileRow
from reader.facts import SentenceFacts
from reader.model import Document, Report
from reader.progress import ProgressFn, no_progress
from reader.settings import Limits, Settings
from reader.store import text_hash

EMBED_CHUNK = 256  # texts per encode call: the same for every runner (see the module docstring)


# ----------------------------------------------------------------- files
@dataclass(frozen=True)
class FileInput:
    """An inbox file as a worker gets it: its name (for ids and messages) and its bytes."""

    path: str
    data: bytes
    hash: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, item: Scanned, data: bytes) -> FileInput:
        return cls(str(item.path), data, item.hash, item.size, item.mtime_ns)


@dataclass(frozen=True)
class FileRead:
    """What reading one file gave: its manifest row, documents, articles and every problem met."""

    file: FileRow
    documents: tuple[Document, ...]
    articles: tuple[ArticleRow, ...]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileDone:
    """A file read and embedded: its grouping vectors, one array per article."""

    read: FileRead
    vectors: tuple[np.ndarray, ...]


def read_file(item: FileInput, bounds: Limits, facts: SentenceFacts | None = None) -> FileRead:
    """Ingest, segment and describe one file (no model). A file that gives no article has its
    first problem as ``error``; one that gives some keeps the problems as warnings."""
    documents, problems = parse_file(item, bounds)
    fatal = problems[0] if problems and not documents else None
    row = FileRow(item.path, item.hash, item.size, item.mtime_ns, fatal, problems if documents else ())
    return FileRead(row, documents, describe(item.path, documents, facts or SentenceFacts()), problems)


def parse_file(item: FileInput, bounds: Limits) -> tuple[tuple[Document, ...], tuple[str, ...]]:
    """A file's documents (ingest and segmentation, as ``reader align`` reads it) and its problems."""
    from reader import ingest
    from reader.pipeline import documents_of

    problems: list[str] = []
    articles = ingest.read_file_bytes(item.data, item.path, lambda e: problems.append(e.message))
    documents = documents_of(articles, lambda e: problems.append(e.message), bounds)
    return tuple(documents), tuple(problems)


def describe(path: str, documents: Sequence[Document], facts: SentenceFacts) -> tuple[ArticleRow, ...]:
    """The article rows of a file's documents: what grouping and the index need of each."""
    rows = []
    for position, doc in enumerate(documents):
        a = doc.article
        rows.append(ArticleRow(
            path=path, position=position, hash=article_hash(doc), lang=a.lang, published=a.published, title=a.title,
            outlet=a.outlet, sentences=len(doc.sentences), names=tuple(sorted(names_of(doc))),
            figures=tuple(sorted(figures_of(doc, facts))),
            doc_id=a.id,  # as ingest named it, reading this file alone (reader.docids.file_ids)
            digest=docids.digest(a.body),
        ))
    return tuple(rows)


def article_hash(doc: Document) -> str:
    a = doc.article
    key = json.dumps([a.lang, a.title, a.outlet, a.published, a.url, a.body], ensure_ascii=False)
    return hash_bytes(key.encode("utf-8"))


def names_of(doc: Document) -> frozenset[str]:
    """An article's names as transliteration keys (``reader.names``), for grouping by content."""
    from reader.names import document_keys

    return document_keys((s.text for s in doc.sentences), doc.article.lang)


def figures_of(doc: Document, stage: SentenceFacts | None = None) -> frozenset[str]:
    """The figures and dates that identify an article's story, from the facts stage."""
    from reader.facts import salient_figures

    stage = stage or SentenceFacts()
    return salient_figures(f for s in doc.sentences for f in stage.of(s.text, doc.article.lang, doc.article.published))


def texts_of(reads: Sequence[FileRead]) -> list[str]:
    """Every sentence of the files read, in inbox order: what the files stage embeds."""
    return [s.text for r in reads for d in r.documents for s in d.sentences]


def vectors_by_article(reads: Sequence[FileRead], matrix: np.ndarray, max_sentences: int) -> list[FileDone]:
    """Cut the rows of ``matrix`` (one per sentence of :func:`texts_of`) into each article's
    grouping vectors: float16, its first ``max_sentences`` sentences."""
    done, row = [], 0
    for read in reads:
        per_article = []
        for doc in read.documents:
            n = len(doc.sentences)
            per_article.append(np.asarray(matrix[row : row + min(n, max_sentences)], dtype=np.float16))
            row += n
        done.append(FileDone(read, tuple(per_article)))
    return done


# ----------------------------------------------------------------- events
@dataclass(frozen=True)
class EventInput:
    """An event to align: its documents (under their ids over the whole inbox) and the cached
    vectors of their sentences (by text hash; token vectors when the model gives them)."""

    event_id: str
    documents: tuple[Document, ...]
    model_id: str
    vectors: Mapping[str, np.ndarray]
    tokens: Mapping[str, np.ndarray]


@dataclass(frozen=True)
class EventOutput:
    """An event's reports, rendered, and what the manifest and the index keep of them."""

    event_id: str
    json: str
    markdown: str
    html: str
    claims: int
    discrepancies: int
    untranslated: tuple[str, ...]


def event_input(event_id: str, documents: Sequence[Document], model_id: str, store) -> EventInput:
    """An event's input, with what ``store`` (the driver's cache) holds for its sentences."""
    texts = list(dict.fromkeys(s.text for d in documents for s in d.sentences))
    vectors = store.get_embeddings(model_id, texts) if store is not None else {}
    tokens = store.get_token_vectors(model_id, texts) if store is not None else {}
    return EventInput(event_id, tuple(documents), model_id, vectors, tokens)


def align_event(item: EventInput, settings: Settings, parts, progress: ProgressFn = no_progress,
                cancel: threading.Event | None = None) -> EventOutput:
    """Align one event and render its reports (no timings in them: reruns write the same bytes)."""
    from reader import report as report_io
    from reader.pipeline import report_for
    from reader.store import Store

    store = parts.store if parts.store is not None else Store(settings.store_path)
    seeded = dataclasses.replace(parts, store=PreloadedVectors(store, item.model_id, item.vectors, item.tokens))
    report = report_for(list(item.documents), settings, progress, cancel, seeded)
    report = dataclasses.replace(report, meta={k: v for k, v in report.meta.items() if k != "timings"})
    parts.embedder = parts.embedder or seeded.embedder  # built on first need: kept for the next event
    parts.calibration = parts.calibration or seeded.calibration
    return EventOutput(
        event_id=item.event_id,
        json=report_io.to_json(report),
        markdown=report_io.to_markdown(report),
        html=report_io.to_html(report),
        claims=len(report.claims),
        discrepancies=_discrepancies(report),
        untranslated=tuple(report.meta.get("untranslated_languages", [])),
    )


def _discrepancies(report: Report) -> int:
    return sum(len(c.discrepancies) for c in report.claims) + len(report.omissions)


class PreloadedVectors:
    """A cache that answers one event's embedding reads from the vectors shipped with it, and
    everything else (translations, misses) from the worker's own cache."""

    def __init__(self, store, model_id: str, vectors: Mapping[str, np.ndarray], tokens: Mapping[str, np.ndarray]) -> None:
        self._store = store
        self._model_id = model_id
        self._vectors = vectors
        self._tokens = tokens

    def _lookup(self, shipped: Mapping[str, np.ndarray], model: str, texts: Sequence[str], read) -> dict[str, np.ndarray]:
        found = {h: shipped[h] for t in texts if (h := text_hash(t)) in shipped} if model == self._model_id else {}
        rest = [t for t in texts if text_hash(t) not in found]
        if rest:
            found.update(read(model, rest))
        return found

    def get_embeddings(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return self._lookup(self._vectors, model, texts, self._store.get_embeddings)

    def get_token_vectors(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return self._lookup(self._tokens, model, texts, self._store.get_token_vectors)

    def __getattr__(self, name: str):
        return getattr(self._store, name)

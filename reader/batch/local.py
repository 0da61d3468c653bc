"""The local runner: ``reader batch``'s stages in this process, one model loaded once.

Files are read one after another, then every sentence of the files read is embedded in one pass
(``reader.embed.embed_cached``, in chunks of ``EMBED_CHUNK`` texts the cache lacks, each chunk
cached as soon as it is done), which keeps the model's batches full across small files. Events are
aligned one after another, each result handed back as soon as it is done so the job records it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence

from reader.batch.stages import (
    EMBED_CHUNK,
    EventInput,
    EventOutput,
    FileDone,
    FileInput,
    align_event,
    read_file,
    texts_of,
    vectors_by_article,
)
from reader.embed import make_embedder
from reader.progress import Progress, ProgressFn, check_cancel, no_progress
from reader.settings import Settings


class LocalRunner:
    """Runs the stages here. ``parts`` (``reader.pipeline.Components``) carries the embedder,
    translator and cache; what it lacks is built on first need and kept."""

    engine = "local"

    def __init__(self, settings: Settings, parts, progress: ProgressFn = no_progress,
                 cancel: threading.Event | None = None) -> None:
        self.settings = settings
        self.parts = parts
        self.progress = progress
        self.cancel = cancel

    def embedder(self):
        if self.parts.embedder is None:
            self.parts.embedder = make_embedder(self.settings, self.progress)
        return self.parts.embedder

    def store(self):
        if self.parts.store is None:
            from reader.store import Store

            self.parts.store = Store(self.settings.store_path)
        return self.parts.store

    def process_files(self, inputs: Sequence[FileInput], max_sentences: int) -> Iterator[FileDone]:
        from reader.embed import embed_cached

        reads = []
        for n, item in enumerate(inputs, start=1):
            check_cancel(self.cancel)
            reads.append(read_file(item, self.settings.limits, self.parts.facts))
            self.progress(Progress("reading", n, len(inputs), item.path.rsplit("/", 1)[-1]))
        texts = texts_of(reads)
        matrix = embed_cached(texts, self.embedder(), self.store(), self.progress, self.cancel, chunk=EMBED_CHUNK) \
            if texts else None
        yield from vectors_by_article(reads, matrix, max_sentences)

    def align_events(self, inputs: Iterable[EventInput]) -> Iterator[EventOutput]:
        for item in inputs:
            check_cancel(self.cancel)
            yield align_event(item, self.settings, self.parts, self.progress, self.cancel)

    def close(self) -> None:
        """Nothing to release: the parts stay with their owner."""

"""The Ray runner: ``reader batch --engine ray`` spreads the heavy stages over a Ray cluster.

Driver (this process)                       Workers (Ray actors, one model each)
  scan, plan, lock, manifest, writes          read + segment + facts + names of a chunk of files
  which texts the cache lacks, in chunks  ──▶ encode a chunk (the model loads once per actor)
  group all articles into events              align one event and render its reports
  record each result as it arrives       ◀──

The job (``reader.batch.job``) is the same for every runner, so the manifest, incremental reruns,
atomic writes and the lock behave as with the local engine; and the reports are the same bytes:

* the run's sentences are embedded in the chunks the local runner uses (``EMBED_CHUNK`` of the
  unique texts the driver's cache lacks, in inbox order), and the vectors go into the driver's
  cache, as the local runner's do;
* an event goes to a worker with the cached vectors of its sentences
  (``reader.batch.stages.EventInput``), the driver's calibration and alignment settings, and the
  ``READER_*`` variables, so a worker on another machine aligns exactly what the driver would;
* a worker's thread count only changes how fast it runs: measured here, the model gives the same
  bits with 1 and 2 threads.

A worker process that dies (killed, out of memory) is restarted by Ray and its tasks run again
(``max_restarts``, ``max_task_retries``): it costs only its own tasks. Workers on one machine share
that machine's cache (``Settings.store_path``, SQLite in WAL mode: reads never wait) for
translations; they never write embeddings (the driver does), so a worker waits on another only
for a translation's short write, and for the opening of a new cache file (:func:`_open_store`).

Ray is an optional extra (``pip install 'reader[ray]'``); this module imports it only when a
runner starts. ``--address`` (or ``RAY_ADDRESS``) joins a running cluster; without one, a local Ray
is started in this process (no dashboard, no usage statistics, quiet logs) and stopped at the end.
"""

from __future__ import annotations

import dataclasses
import fcntl
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

import numpy as np

from reader.batch.stages import (
    EMBED_CHUNK,
    EventInput,
    EventOutput,
    FileDone,
    FileInput,
    FileRead,
    align_event,
    read_file,
    texts_of,
    vectors_by_article,
)
from reader.embed import make_embedder
from reader.errors import ReaderError
from reader.pipeline import calibration_of
from reader.progress import Progress, ProgressFn, check_cancel, no_progress
from reader.settings import Settings
from reader.store import text_hash

FILES_PER_TASK = 16  # files one read task takes: enough to outweigh a task's overhead
RETRIES = 3  # restarts of a dead worker, and runs of each of its tasks
QUIET = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_DEDUP_LOGS": "0"}


class BatchWorker:
    """One worker process's stages, with its own components (model, translator, cache, facts).

    Built in the worker from what the driver sends: its settings (threads set to the worker's
    share of the CPUs), alignment config and calibration, and optionally ``make_parts`` (a
    function of the settings giving the components: tests pass fakes)."""

    def __init__(self, settings: Settings, config, calibration, make_parts: Callable | None = None) -> None:
        from reader.pipeline import Components

        self.settings = settings
        self.parts = make_parts(settings) if make_parts is not None else Components()
        self.parts.config = config
        if calibration is not None:
            self.parts.calibration = calibration

    def where(self) -> tuple[int, str]:
        """This worker's process id and Ray node id."""
        import ray

        return os.getpid(), ray.get_runtime_context().get_node_id()

    def read_files(self, inputs: Sequence[FileInput]) -> list[FileRead]:
        return [read_file(item, self.settings.limits, self.parts.facts) for item in inputs]

    def encode(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray] | None]:
        """Sentence vectors, and token vectors when the model gives them (as ``reader.embed``
        asks the model for both when it caches)."""
        if self.parts.embedder is None:
            self.parts.embedder = make_embedder(self.settings)
        embedder = self.parts.embedder
        if hasattr(embedder, "encode_with_tokens"):
            return embedder.encode_with_tokens(list(texts))
        return embedder.encode(list(texts)), None

    def align(self, item: EventInput) -> EventOutput:
        if self.parts.store is None:
            self.parts.store = _open_store(self.settings.store_path)
        return align_event(item, self.settings, self.parts)


def _open_store(path: Path):
    """This machine's cache, opened by one worker at a time: the first to open a new file creates
    its tables, and a second creating them at the same instant would fail. The lock is held for
    the opening only (milliseconds), never while a worker reads or writes."""
    from reader.store import Store

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".open-lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return Store(path)


class RayRunner:
    """Runs the stages on a pool of :class:`BatchWorker` actors. ``parts`` are the driver's
    components: its cache receives the embeddings, its embedder gives the model id."""

    engine = "ray"

    def __init__(self, settings: Settings, parts, progress: ProgressFn = no_progress,
                 cancel: threading.Event | None = None, address: str | None = None, workers: int | None = None,
                 make_parts: Callable | None = None) -> None:
        self.settings = settings
        self.parts = parts
        self.progress = progress
        self.cancel = cancel
        self.address = address or settings.ray_address or os.environ.get("RAY_ADDRESS") or None
        self.workers = workers or settings.batch_workers or None
        self.make_parts = make_parts
        self._ray = None
        self._owns_ray = False
        self._actors: list = []
        self._pool = None

    # --------------------------------------------------------- the cluster
    def _start(self):
        if self._pool is not None:
            return self._pool
        try:
            import ray
            from ray.util import ActorPool
        except ImportError:
            raise ReaderError("--engine ray needs Ray, which is not installed",
                              hint="pip install 'reader[ray]', or leave out --engine ray") from None
        self._ray = ray
        if not ray.is_initialized():
            for key, value in QUIET.items():
                os.environ.setdefault(key, value)
            env = {k: v for k, v in os.environ.items() if k.startswith("READER_")}
            options = {"logging_level": logging.ERROR, "log_to_driver": False, "runtime_env": {"env_vars": env}}
            try:
                if self.address:
                    ray.init(address=self.address, **options)
                else:
                    ray.init(address="local", num_cpus=os.cpu_count() or 1, include_dashboard=False, **options)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ReaderError(f"cannot start or join Ray at {self.address or 'a local Ray'}: {exc}",
                                  hint="start a cluster with ray start --head, then pass --address HOST:PORT") from None
            self._owns_ray = True
        count, share = _worker_shape(self.workers, [n.get("Resources", {}).get("CPU", 0) for n in ray.nodes() if n.get("Alive")])
        threads = max(1, int(share))
        settings = dataclasses.replace(self.settings, threads=threads)
        if self.parts.embedder is None:
            self.parts.embedder = make_embedder(self.settings, self.progress)
        calibration = calibration_of(self.parts, self.settings)
        actor = ray.remote(BatchWorker).options(num_cpus=share, max_restarts=RETRIES, max_task_retries=RETRIES)
        self._actors = [actor.remote(settings, self.parts.config, calibration, self.make_parts) for _ in range(count)]
        self._pool = ActorPool(self._actors)
        self.progress(Progress("starting", count, count, f"{count} Ray workers, {threads} thread(s) each"))
        return self._pool

    def load_models(self) -> None:
        """Load the model in every worker now (a benchmark times the work, not the loading)."""
        self._start()
        self._unwrapped(lambda: self._ray.get([a.encode.remote(["warm up"]) for a in self._actors]))

    def workers_at(self) -> list[tuple[int, str]]:
        """Each worker's process id and node id, in the pool's order (a test kills one)."""
        self._start()
        return self._unwrapped(lambda: self._ray.get([a.where.remote() for a in self._actors]))

    def _unwrapped(self, call: Callable):
        """``call()``, with a worker's ReaderError (a model missing, a bad setting) raised as itself."""
        try:
            return call()
        except self._ray.exceptions.RayTaskError as exc:
            cause = getattr(exc, "cause", None)
            if isinstance(cause, ReaderError):
                raise cause from None
            raise

    def close(self) -> None:
        """Stop the workers, and the local Ray this runner started."""
        if self._ray is None:
            return
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors, self._pool = [], None
        if self._owns_ray:
            self._ray.shutdown()
            self._owns_ray = False

    # --------------------------------------------------------- stages
    def _store(self):
        if self.parts.store is None:
            from reader.store import Store

            self.parts.store = Store(self.settings.store_path)
        return self.parts.store

    def process_files(self, inputs: Sequence[FileInput], max_sentences: int) -> Iterator[FileDone]:
        if not inputs:
            return
        pool = self._start()
        chunks = [list(inputs[i : i + FILES_PER_TASK]) for i in range(0, len(inputs), FILES_PER_TASK)]
        reads: list[FileRead] = []
        for chunk, done in zip(chunks, self._map(pool, lambda a, c: a.read_files.remote(c), chunks)):
            reads += done
            self.progress(Progress("reading", len(reads), len(inputs), chunk[-1].path.rsplit("/", 1)[-1]))
        texts = texts_of(reads)
        matrix = self._embed(texts) if texts else np.zeros((0, 0), np.float32)
        yield from vectors_by_article(reads, matrix, max_sentences)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """``reader.embed.embed_cached`` here, its encoding done by the workers: the chunks it will
        ask for (``EMBED_CHUNK`` of the unique texts the cache lacks) are sent to the workers at
        once, so they encode in parallel while embed_cached takes the results in order and caches
        them, exactly as the local runner's call does."""
        from reader.embed import embed_cached

        store, embedder = self._store(), self.parts.embedder
        unique = list(dict.fromkeys(texts))
        cached = store.get_embeddings(embedder.model_id, unique)
        missing = [t for t in unique if text_hash(t) not in cached]
        chunks = [missing[i : i + EMBED_CHUNK] for i in range(0, len(missing), EMBED_CHUNK)]
        ahead = {tuple(c): self._actors[n % len(self._actors)].encode.remote(c) for n, c in enumerate(chunks)}
        kind = _RemoteTokenEmbedder if hasattr(embedder, "encode_with_tokens") else _RemoteEmbedder
        remote = kind(embedder.model_id, ahead, self._actors[0], lambda ref: self._unwrapped(lambda: self._ray.get(ref)))
        return embed_cached(texts, remote, store, self.progress, self.cancel, chunk=EMBED_CHUNK)

    def _map(self, pool, submit, values: list) -> Iterator:
        """The results of ``submit`` over ``values`` in order, as they can be taken."""
        for value in values:
            pool.submit(submit, value)
        for _ in values:
            check_cancel(self.cancel)
            yield self._unwrapped(pool.get_next)

    def align_events(self, inputs: Iterable[EventInput]) -> Iterator[EventOutput]:
        """Each event's reports as soon as a worker has them (in any order); a few events ahead
        are sent, so the workers never wait and few inputs are in memory at once."""
        pending = iter(inputs)
        first = next(pending, None)
        if first is None:
            return
        pool = self._start()
        for item in (first, *islice(pending, 2 * len(self._actors) - 1)):
            pool.submit(lambda a, v: a.align.remote(v), item)
        while pool.has_next():
            check_cancel(self.cancel)
            yield self._unwrapped(pool.get_next_unordered)
            item = next(pending, None)
            if item is not None:
                pool.submit(lambda a, v: a.align.remote(v), item)


def _worker_shape(workers: int | None, node_cpus: list[float]) -> tuple[int, float]:
    """How many workers, and the CPUs each reserves: the cluster's CPUs shared evenly (one worker
    per CPU by default), never more than one node has, so that every worker can be placed."""
    total = sum(node_cpus) or 1.0
    count = workers or max(1, int(total))
    return count, min(total / count, max(node_cpus, default=1.0) or 1.0)


class _RemoteEmbedder:
    """The driver's stand-in for the model: each chunk's vectors come from a worker, sent ahead
    (``ahead``, by the chunk's texts) or, for a chunk not foreseen, asked for now."""

    def __init__(self, model_id: str, ahead: dict, fallback, get: Callable) -> None:
        self.model_id = model_id
        self._ahead = ahead
        self._fallback = fallback
        self._get = get

    def _result(self, texts: Sequence[str]):
        ref = self._ahead.pop(tuple(texts), None)
        return self._get(ref if ref is not None else self._fallback.encode.remote(list(texts)))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._result(texts)[0]


class _RemoteTokenEmbedder(_RemoteEmbedder):
    """:class:`_RemoteEmbedder` of a model that gives token vectors too."""

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        return self._result(texts)

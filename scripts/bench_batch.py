"""Benchmark ``reader batch`` on synthetic inboxes of N articles built from the sample corpus.

    .venv/bin/python scripts/bench_batch.py --sizes 10,100,1000
    .venv/bin/python scripts/bench_batch.py --engine ray --workers 1,2 --sizes 100,1000
    .venv/bin/python scripts/bench_batch.py --engine local,ray --workers 1,2 --sizes 1000,10000

Each inbox holds N articles in events of about ``--per-event`` articles
(``tests/batch_articles.make_inbox``): an event copies the 2025 reports (hi, ar, ru) or one
English transcript, a week after the one before; each article rotates the sentence order and
changes the numbers of ``--vary`` sentences (so it brings new sentences while the unique ones
stay bounded), cut to its first 30 sentences.

Per N and per engine (local; Ray with each ``--workers`` count, on a local Ray of this machine's
CPUs, the workers' models loaded before the clock starts) it prints: the first run's time and
articles/s (a cold embedding cache of its own); the ratio of that time to the raw model's encode
time on the same unique sentences (the embedder's ``encode`` in this process, model loaded);
peak resident memory per process (VmHWM from /proc: this process, the driver, and each Ray
worker; a running maximum over the whole benchmark, as the processes live through every N);
the rerun after adding one new article, and its share of the first run. Then how each figure
grows from one N to the next, and Ray's time with the most workers against the fewest. No
translation packages are used (translation has its own benchmark).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the inbox builder the tests use too

from batch_articles import make_inbox

from reader import embed
from reader.batch import BatchJob
from reader.embed import make_embedder
from reader.pipeline import Components, read_documents
from reader.settings import Settings
from reader.store import Store


class NoTranslator:
    def package_for(self, lang: str) -> None:
        return None

    def translate(self, lang: str, texts: list[str]) -> list[str]:
        raise AssertionError


@dataclass
class Row:
    n: int
    engine: str
    first: float
    raw: float
    rerun: float
    events: int
    aligned_again: int
    memory: dict[str, float]  # process -> peak MB
    timings: dict[str, float]


def peak_mb(pid: int | str = "self") -> float:
    """A process's peak resident memory (VmHWM), in MB; 0 when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def unique_sentences(folder: Path) -> list[str]:
    docs = read_documents([folder], lambda e: None)
    return list(dict.fromkeys(s.text for d in docs for s in d.sentences))


def cold_settings(work: Path, name: str, shared: Settings) -> Settings:
    """Settings of a cache of its own (no embeddings yet) sharing the converted model."""
    cache = work / f"cache-{name}"
    cache.mkdir()
    (cache / "models").symlink_to(shared.models_dir)
    return Settings(cache_dir=cache, data_dir=shared.data_dir)


def run_engine(n: int, engine: str, inbox: Path, work: Path, shared: Settings, embedder, runner_of, raw: float,
               extra_article: Path) -> Row:
    settings = cold_settings(work, engine.replace(" ", "-"), shared)
    out = work / f"out-{engine.replace(' ', '-')}"
    parts = Components(embedder=embedder, translator=NoTranslator(), store=Store(settings.store_path))
    runner = runner_of(settings, parts)
    clock = time.perf_counter()
    summary = BatchJob(inbox, out, settings, components=parts, runner=runner).run()
    first = time.perf_counter() - clock

    shutil.copy(extra_article, inbox / extra_article.name)
    clock = time.perf_counter()
    again = BatchJob(inbox, out, settings, components=parts, runner=runner).run()
    rerun = time.perf_counter() - clock
    (inbox / extra_article.name).unlink()

    memory = {"driver": peak_mb()}
    if runner is not None:
        memory.update({f"worker {k}": peak_mb(pid) for k, (pid, _) in enumerate(runner.workers_at(), start=1)})
    row = Row(n, engine, first, raw, rerun, summary.events, again.events_aligned, memory, summary.timings)
    print(
        f"N={n:>5} {engine:<13} {summary.events} events; first run {first:7.1f}s ({n / first:6.2f} articles/s; "
        f"{', '.join(f'{k} {v:.1f}s' for k, v in summary.timings.items())}); batch/raw {first / raw:5.2f}; "
        f"peak MB {', '.join(f'{k} {v:.0f}' for k, v in memory.items())}; rerun +1 file {rerun:5.2f}s "
        f"({100 * rerun / first:4.1f}% of first; {again.events_aligned} event re-aligned)",
        flush=True,
    )
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,1000", help="comma-separated inbox sizes")
    ap.add_argument("--engine", default="local", help="comma-separated engines: local, ray")
    ap.add_argument("--workers", default="1,2", help="with ray: comma-separated worker counts")
    ap.add_argument("--per-event", type=int, default=6, help="articles per event")
    ap.add_argument("--vary", type=int, default=3, help="sentences changed per article")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    engines = [e.strip() for e in args.engine.split(",") if e.strip()]
    workers = [int(x) for x in args.workers.split(",") if x.strip()]

    root = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    shared = Settings(cache_dir=root / "shared", data_dir=root / "data")
    embed.ensure_e5(shared)
    embedder = make_embedder(shared)
    embedder.encode(["load the model"])  # load once, outside every timing
    print(f"model loaded; {shared.cpu_threads} threads; per event {args.per_event}; {args.vary} sentences varied per article")

    inboxes = []  # (n, inbox, the extra article for the rerun, raw encode seconds)
    for n in sizes:
        work = root / f"n{n}"
        make_inbox(work / "inbox", n, args.per_event, args.vary)
        make_inbox(work / "extra", n + 1, args.per_event, args.vary)
        texts = unique_sentences(work / "inbox")
        clock = time.perf_counter()
        embedder.encode(texts)
        raw = time.perf_counter() - clock
        inboxes.append((n, work / "inbox", max((work / "extra").iterdir()), raw))
        print(f"N={n:>5}: {len(texts)} unique sentences; raw encode {raw:.1f}s", flush=True)

    rows: list[Row] = []
    if "local" in engines:
        for n, inbox, extra, raw in inboxes:
            rows.append(run_engine(n, "local", inbox, inbox.parent, shared, embedder, lambda settings, parts: None,
                                   raw, extra))
    if "ray" in engines:
        import ray

        from reader.batch.ray_runner import RayRunner

        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(address="local", num_cpus=os.cpu_count(), include_dashboard=False, logging_level="ERROR",
                 log_to_driver=False)
        for count in workers:  # one pool at a time: each takes the machine's CPUs
            pool = RayRunner(shared, Components(embedder=make_embedder(shared)), workers=count)
            pool.load_models()

            def runner_of(settings, parts, pool=pool):  # the pool's workers, this run's cache and components
                pool.settings, pool.parts = settings, parts
                return pool

            for n, inbox, extra, raw in inboxes:
                rows.append(run_engine(n, f"ray x{count}", inbox, inbox.parent, shared, embedder, runner_of, raw, extra))
            pool.close()
        ray.shutdown()

    by_engine: dict[str, list[Row]] = {}
    for row in rows:
        by_engine.setdefault(row.engine, []).append(row)
    if len(sizes) > 1:
        print("growth from one N to the next (1.0 = linear in N for times; ratio for the rest):")
        for engine, engine_rows in by_engine.items():
            for prev, cur in pairwise(engine_rows):
                k = cur.n / prev.n
                print(f"  {engine:<13} N {prev.n}->{cur.n} (x{k:g}): first run x{cur.first / prev.first:.1f} "
                      f"(per article x{cur.first / prev.first / k:.2f}); batch/raw {prev.first / prev.raw:.2f}->"
                      f"{cur.first / cur.raw:.2f}; rerun x{cur.rerun / prev.rerun:.1f}")
    ray_engines = [e for e in by_engine if e.startswith("ray")]
    if len(ray_engines) > 1:
        fewest, most = ray_engines[0], ray_engines[-1]
        for a, b in zip(by_engine[fewest], by_engine[most]):
            print(f"  N={a.n}: {most} against {fewest}: first run {a.first / b.first:.2f}x as fast")
    if "local" in by_engine:
        for engine in ray_engines:
            for a, b in zip(by_engine["local"], by_engine[engine]):
                print(f"  N={a.n}: {engine} against local: first run {a.first / b.first:.2f}x as fast")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"kept {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

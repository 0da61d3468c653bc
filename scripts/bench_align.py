"""Benchmark of `reader align`: speed against the raw model, warm runs, and growth with corpus size.

    .venv/bin/python scripts/bench_align.py                 # sample corpus, then 1x, 10x, 30x the benchmark
    .venv/bin/python scripts/bench_align.py --sizes 1,10    # a quicker scaling table
    .venv/bin/python scripts/bench_align.py --source sample --sizes 1,10,100   # copies of the sample instead

Figures are ratios against a baseline measured in the same run, so they hold on
a noisy machine:

* cold pipeline / raw encode: the whole align path (read, segment, translate
  stage, embed with an empty cache, align, compare) on the sample corpus, with
  the model already converted and loaded, divided by the time sentence-
  transformers' own ``encode`` takes for the same unique sentences;
* warm: the same with the cache full, in process and as a `reader align` command;
* scaling: corpora of 1x, 10x and 30x the development benchmark (corpora/dev, both
  halves: 100 reports of 16 events; or of the sample with ``--source sample``), each
  copy varied (new numbers, a rotated sentence order, a copy marker in every sentence
  so nothing is cached, a publication date moved so copies are distinct events), each
  run in a fresh process with an empty cache; time and peak memory per size.

Nothing here asserts: it prints.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "bishkek-2025"
BENCHMARK = [ROOT / "corpora" / "dev" / "dev", ROOT / "corpora" / "dev" / "test"]
BENCH_CACHE = ROOT / ".bench" / "cache"

MARKERS = {"ru": "источник {k}", "ar": "المصدر {k}", "hi": "स्रोत {k}", "en": "source {k}", "fr": "source {k}",
           "de": "Quelle {k}", "es": "fuente {k}", "tr": "kaynak {k}", "fa": "منبع {k}", "uk": "джерело {k}",
           "zh": "来源{k}"}


def _settings(cache_dir: Path):
    from reader.settings import Settings

    return Settings.from_env(cache_dir=cache_dir)


def _loaded_embedder(settings):
    from reader.embed import make_embedder

    embedder = make_embedder(settings)
    clock = time.perf_counter()
    embedder.encode(["warm-up sentence", "ещё одно предложение"])
    return embedder, time.perf_counter() - clock


def _unique_texts(paths: list[Path]) -> list[str]:
    from reader.pipeline import read_documents

    documents = read_documents(paths, lambda e: None)
    return list(dict.fromkeys(s.text for d in documents for s in d.sentences))


def sample_figures() -> None:
    from reader import pipeline
    from reader.store import Store

    settings = _settings(BENCH_CACHE)
    embedder, load_s = _loaded_embedder(settings)
    texts = _unique_texts([SAMPLE])

    def raw() -> float:  # the embedder's own encode (sentence-transformers' or ONNX Runtime's), no cache
        clock = time.perf_counter()
        embedder.encode(texts)
        return time.perf_counter() - clock

    with tempfile.TemporaryDirectory() as tmp:
        raw_before = raw()
        parts = pipeline.Components(embedder=embedder, store=Store(Path(tmp) / "cold.sqlite3"))
        clock = time.perf_counter()
        report = pipeline.build_report([SAMPLE], settings, components=parts)
        cold = time.perf_counter() - clock
        raw_after = raw()
        clock = time.perf_counter()
        pipeline.build_report([SAMPLE], settings, components=parts)
        warm = time.perf_counter() - clock
    raw_s = (raw_before + raw_after) / 2
    n = sum(len(d.sentences) for d in report.documents)
    stages = report.meta.get("timings", {})

    env = dict(os.environ, READER_CACHE_DIR=str(BENCH_CACHE))
    command = [str(Path(sys.executable).with_name("reader")), "align", str(SAMPLE), "--format", "json"]
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    clock = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    warm_cli = time.perf_counter() - clock

    print(f"sample corpus: {len(report.documents)} articles, {n} sentences ({len(texts)} unique)")
    print(f"  model load (converted, first encode):   {load_s:7.2f} s")
    print(f"  raw encode of the unique sentences:     {raw_s:7.2f} s  ({len(texts) / raw_s:6.1f} sentences/s)")
    print(f"  cold align path, empty cache:           {cold:7.2f} s  ({n / cold:6.1f} sentences/s)")
    print(f"  ratio cold / raw encode:                {cold / raw_s:7.2f}x   (goal <= 1.3)")
    print("  cold stages: " + ", ".join(f"{k} {v:.2f}s" for k, v in stages.items()))
    print(f"  warm align path, in process:            {warm:7.2f} s")
    print(f"  warm `reader align` command, wall time: {warm_cli:7.2f} s   (goal < 3 s)")


# ---------------------------------------------------------------- scaling
def _vary(text: str, lang: str, k: int) -> str:
    """One varied copy of an article body: numbers moved, sentences rotated, a marker per sentence."""
    from reader.segment import sentence_spans

    sentences = [text[a:b] for a, b in sentence_spans(text, lang=lang)]
    if not sentences:
        return text
    shift = k % len(sentences)
    sentences = sentences[shift:] + sentences[:shift]
    marker = MARKERS.get(lang, "source {k}").format(k=k)

    def bump(m: re.Match[str]) -> str:
        value = int(m.group(0))
        return str(value + k) if value < 1900 else m.group(0)

    out = []
    for s in sentences:
        s = re.sub(r"\d+", bump, s)
        out.append(f"({marker}) {s.strip()}")
    return "\n".join(out) + "\n"


def make_corpus(target: Path, copies: int, sources: list[Path]) -> int:
    from reader.ingest import read_paths

    articles = read_paths(sources, lambda e: None)
    target.mkdir(parents=True, exist_ok=True)
    dates = [date.fromisoformat(a.published) for a in articles if a.published]
    # each copy starts after the last one ends, with more than a month between: distinct events
    shift = (max(dates) - min(dates)).days + 45 if dates else 45
    count = 0
    for k in range(copies):
        for a in articles:
            published = date.fromisoformat(a.published) + timedelta(days=shift * k) if a.published else None
            body = a.body if k == 0 else _vary(a.body, a.lang, k)
            head = [f"lang: {a.lang}"]
            if a.title:
                head.append(f"title: {a.title}")
            if a.outlet:
                head.append(f"outlet: {a.outlet}")
            if published:
                head.append(f"published: {published.isoformat()}")
            (target / f"{k:04d}-{count:05d}-{a.id}.txt").write_text("---\n" + "\n".join(head) + "\n---\n" + body, encoding="utf-8")
            count += 1
    return count


def child(corpus: Path, cache: Path) -> None:
    """One size, in a fresh process: model loaded first (not timed), then the whole align path."""
    from reader import pipeline
    from reader.store import Store

    settings = _settings(BENCH_CACHE)
    embedder, _ = _loaded_embedder(settings)
    parts = pipeline.Components(embedder=embedder, store=Store(cache / "cold.sqlite3"))
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    clock = time.perf_counter()
    report = pipeline.build_report([corpus], settings, components=parts)
    seconds = time.perf_counter() - clock
    print(
        json.dumps(
            {
                "articles": len(report.documents),
                "sentences": sum(len(d.sentences) for d in report.documents),
                "claims": len(report.claims),
                "seconds": seconds,
                "timings": report.meta.get("timings", {}),
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "model_rss_mb": base_rss / 1024,
            }
        )
    )


def scaling(sizes: list[int], sources: list[Path]) -> None:
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            make_corpus(corpus, n, sources)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(corpus), "--child-cache", tmp],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rows.append((n, json.loads(out.strip().splitlines()[-1])))
    print(f"\nscaling, copies of the {'benchmark' if len(sources) > 1 else 'sample'} "
          "(fresh process and empty cache per size; model load excluded):")
    print(f"  {'size':>5} {'articles':>8} {'sentences':>9} {'seconds':>8} {'sent/s':>7} {'embed':>7} {'align':>7} "
          f"{'peak MB':>8} {'time x':>7} {'mem x':>6}")
    base = rows[0][1]
    for n, r in rows:
        t = r["timings"]
        print(
            f"  {n:>4}x {r['articles']:>8} {r['sentences']:>9} {r['seconds']:>8.1f} {r['sentences'] / r['seconds']:>7.1f} "
            f"{t.get('embedding', 0):>7.1f} {t.get('aligning', 0):>7.1f} {r['peak_rss_mb']:>8.0f} "
            f"{r['seconds'] / base['seconds']:>7.1f} {r['peak_rss_mb'] / base['peak_rss_mb']:>6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,30", help="corpus sizes, in copies of the source (default 1,10,30)")
    parser.add_argument("--source", choices=("benchmark", "sample"), default="benchmark",
                        help="what the scaling corpora copy (default: the development benchmark)")
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.child_cache)
        return
    BENCH_CACHE.mkdir(parents=True, exist_ok=True)
    print(f"cpu cores: {os.cpu_count()}, cache: {BENCH_CACHE}")
    if not args.skip_sample:
        sample_figures()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if sizes:
        scaling(sizes, BENCHMARK if args.source == "benchmark" else [SAMPLE])
    if os.environ.get("READER_BENCH_CLEAN"):
        shutil.rmtree(BENCH_CACHE, ignore_errors=True)


if __name__ == "__main__":
    main()

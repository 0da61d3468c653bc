"""Benchmark ``reader batch`` on synthetic inboxes of N articles built from the sample corpus.

    .venv/bin/python scripts/bench_batch.py --sizes 10,100,1000

Each inbox holds N articles in events of about ``--per-event`` articles. An event copies
the 2025 reports (hi, ar, ru) or one English transcript, shifts the publication date by
a week per event (so events stay apart), rotates the sentence order and changes the
numbers of ``--vary`` sentences per article (so each article brings genuinely new
sentences, while the total of unique sentences stays bounded). English transcripts are
cut to their first 30 sentences to keep article sizes realistic.

Per N it prints: the first run's time and articles/s; the ratio of that time to the raw
model's encode time on the same unique sentences (SentenceTransformer.encode in this
process, model already loaded); peak RSS (ru_maxrss, a running maximum over the
process); the rerun time after adding one new article, and its share of the first run.
Then how each figure grows from one N to the next. No translation packages are used
(translation is a separate stage with its own benchmark).
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader import embed  # noqa: E402
from reader.batch import BatchJob  # noqa: E402
from reader.pipeline import Components, read_documents  # noqa: E402
from reader.settings import Settings  # noqa: E402
from reader.store import Store  # noqa: E402

CORPUS = ROOT / "corpora" / "bishkek-2025"
DIGITS = re.compile(r"\d+")


class NoTranslator:
    def package_for(self, lang: str) -> None:
        return None

    def translate(self, lang: str, texts: list[str]) -> list[str]:
        raise AssertionError


def _bases() -> dict[str, list]:
    docs = read_documents([CORPUS], lambda e: None)
    visit = [d for d in docs if d.article.lang != "en"]
    english = [d for d in docs if d.article.lang == "en"]
    return {"visit": visit, "english": english}


def _vary(sentences: list[str], seed: int, vary: int) -> list[str]:
    n = len(sentences)
    rot = seed % max(1, n // 4 or 1)
    out = sentences[rot:] + sentences[:rot]  # a different order
    for k in range(min(vary, n)):
        j = (seed * 7 + k * 5) % n
        s = out[j]
        if DIGITS.search(s):
            out[j] = DIGITS.sub(lambda m: str((int(m.group()) + seed + k) % 997 + 1), s, count=1)
        else:
            out[j] = s.rstrip() + f" ({seed % 89 + 2} sources)"
    return out


def make_inbox(folder: Path, n: int, per_event: int, vary: int) -> None:
    bases = _bases()
    folder.mkdir(parents=True)
    start = date(2024, 1, 1)
    for i in range(n):
        event = i // per_event
        if event % 4 == 3:  # every fourth event is an English story, the rest the visit
            doc = bases["english"][event % len(bases["english"])]
        else:
            doc = bases["visit"][i % len(bases["visit"])]
        a = doc.article
        sentences = [s.text for s in doc.sentences][:30]
        body = " ".join(_vary(sentences, i, vary))
        published = start + timedelta(days=7 * event + (i % 2))
        title = f"{a.title or 'report'} #{i}"
        (folder / f"{i:05d}-{a.lang}.txt").write_text(
            f"---\nlang: {a.lang}\ntitle: {title}\noutlet: outlet-{i % 5}\npublished: {published}\n---\n{body}\n",
            "utf-8",
        )


def unique_sentences(folder: Path) -> list[str]:
    docs = read_documents([folder], lambda e: None)
    return list(dict.fromkeys(s.text for d in docs for s in d.sentences))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,100,1000", help="comma-separated inbox sizes")
    ap.add_argument("--per-event", type=int, default=6, help="articles per event")
    ap.add_argument("--vary", type=int, default=3, help="sentences changed per article")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]

    root = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    shared = Settings(cache_dir=root / "shared", data_dir=root / "data")
    embed.ensure_e5(shared)
    embedder = embed.SentenceTransformerEmbedder(shared)
    model = embedder._load()  # load once, outside every timing
    print(f"model loaded; {shared.cpu_threads} threads; per event {args.per_event}; {args.vary} sentences varied per article")

    rows = []
    for n in sizes:
        work = root / f"n{n}"
        inbox, out = work / "inbox", work / "out"
        make_inbox(inbox, n, args.per_event, args.vary)
        cache = work / "cache"
        cache.mkdir()
        (cache / "models").symlink_to(shared.models_dir)
        settings = Settings(cache_dir=cache, data_dir=root / "data")
        parts = Components(embedder=embedder, translator=NoTranslator(), store=Store(settings.store_path))
        texts = unique_sentences(inbox)

        clock = time.perf_counter()
        summary = BatchJob(inbox, out, settings, components=parts).run()
        first = time.perf_counter() - clock

        clock = time.perf_counter()
        model.encode(texts, batch_size=shared.embed_batch_size, normalize_embeddings=True, show_progress_bar=False)
        raw = time.perf_counter() - clock

        extra = work / "extra"
        make_inbox(extra, n + 1, args.per_event, args.vary)
        newest = sorted(extra.iterdir())[-1]
        shutil.copy(newest, inbox / newest.name)
        clock = time.perf_counter()
        again = BatchJob(inbox, out, settings, components=parts).run()
        rerun = time.perf_counter() - clock
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append((n, first, raw, rerun, peak_mb, summary, again, len(texts)))
        print(
            f"N={n:>5}: {summary.events} events, {len(texts)} unique sentences; first run {first:7.1f}s "
            f"({n / first:6.2f} articles/s; stages {', '.join(f'{k} {v:.1f}s' for k, v in summary.timings.items())}); "
            f"raw encode {raw:6.1f}s -> batch/raw {first / raw:5.2f}; peak RSS {peak_mb:6.0f} MB; "
            f"rerun +1 file {rerun:5.2f}s ({100 * rerun / first:4.1f}% of first; {again.events_aligned} event re-aligned)",
            flush=True,
        )

    if len(rows) > 1:
        print("growth from one N to the next (1.0 = linear in N for times; ratio for the rest):")
        for prev, cur in zip(rows, rows[1:]):
            k = cur[0] / prev[0]
            print(
                f"  N {prev[0]}->{cur[0]} (x{k:g}): first run x{cur[1] / prev[1]:.1f} (per article x{cur[1] / prev[1] / k:.2f}); "
                f"batch/raw {prev[1] / prev[2]:.2f}->{cur[1] / cur[2]:.2f}; peak RSS x{cur[4] / prev[4]:.2f}; "
                f"rerun x{cur[3] / prev[3]:.1f}"
            )
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    else:
        print(f"kept {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

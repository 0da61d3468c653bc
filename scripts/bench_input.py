"""How `reader align` grows with one very long article: time and peak memory at N sentences.

    .venv/bin/python scripts/bench_input.py [--sizes 5000 10000 20000] [--limit-case 100000]

Each size writes one article of N short, distinct sentences (generated here from a word list,
new ones for each size so that no run finds another's in the cache), runs ``reader align FILE
--format json`` in a fresh process (one cache, its model built by a warm-up run), and reports wall
time, peak resident memory (the child's ru_maxrss) and both per sentence. Ratios are against the
smallest size measured in the same run: time growing linearly keeps "time/sentence" flat.

``--limit-case N`` also runs one article of N sentences with the default limits, which should
be refused in one line (exit 1) without reading it into memory whole; its peak memory is printed.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / ".venv" / "bin" / "reader"
WORDS = ("market price city council river bridge school teacher police report weather rain wind storm train "
         "station road harbour ferry museum library hospital doctor nurse farmer harvest wheat bakery bread "
         "festival music theatre stadium match goal coach player league").split()


def article(n: int) -> str:
    rng = random.Random(n)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(7)).capitalize() + f" on day {i}." for i in range(n)]
    return "title: A very long article\n\n" + " ".join(sentences) + "\n"


def run(n: int, workdir: Path, limit: bool = False) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, exit code) of one align run on an article of ``n`` sentences; with
    ``limit``, under the default limits, else with the sentence limits raised past ``n``."""
    path = workdir / f"long-{n}.txt"
    path.write_text(article(n), encoding="utf-8")
    env = {"READER_CACHE_DIR": str(workdir / "cache"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "PATH": str(READER.parent) + ":/usr/bin:/bin", "HOME": str(workdir)}
    # a fresh wrapper process per run: RUSAGE_CHILDREN's peak then covers this run alone
    wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)")
    start = time.perf_counter()
    raised = [] if limit else ["--max-sentences", str(2 * n), "--max-run-sentences", str(2 * n)]
    done = subprocess.run([sys.executable, "-c", wrapper, str(READER), "align", str(path), "--format", "json",
                           *raised], env=env, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    lines = done.stderr.strip().splitlines()
    if done.returncode not in (0, 1) or not lines or not lines[-1].isdigit():
        sys.exit(f"align failed on {n} sentences:\n{done.stderr[-2000:]}")
    peak = int(lines[-1])
    if done.returncode == 1:
        said = [line for line in lines if line.startswith("reader: ")]
        print(f"  {n} sentences: {said[0] if said else '?'}")
    return seconds, peak, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--limit-case", type=int, default=100000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run(10, work)  # builds the embedding model into the cache once
        rows = []
        for n in sorted(args.sizes):
            seconds, peak, _ = run(n, work)
            rows.append((n, seconds, peak))
        base_n, base_s, base_m = rows[0]
        print(f"{'sentences':>10} {'seconds':>8} {'peak MiB':>9} {'ms/sent':>8} {'KiB/sent':>9} "
              f"{'time ratio':>10} {'size ratio':>10}")
        for n, seconds, peak in rows:
            print(f"{n:>10} {seconds:>8.1f} {peak / 1024:>9.0f} {1000 * seconds / n:>8.2f} {peak / n:>9.1f} "
                  f"{seconds / base_s:>10.2f} {n / base_n:>10.2f}")
        if args.limit_case:
            seconds, peak, code = run(args.limit_case, work, limit=True)
            print(f"{args.limit_case} sentences in one file: exit {code} in {seconds:.1f} s, "
                  f"peak {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()

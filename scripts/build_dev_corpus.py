#!/usr/bin/env python3
"""Build corpora/dev/{dev,test} (articles and span gold) from corpora/dev/sources/*.src.

    python scripts/build_dev_corpus.py                 # rebuild both halves
    python scripts/build_dev_corpus.py --check FILE…   # only check source files and print their figures

Runs with the standard library alone (the checker is used while writing sources).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.eval.sources import SPLITS, SourceError, build, parse, summary  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", nargs="+", type=Path, metavar="FILE", help="check these sources, write nothing")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "dev")
    args = parser.parse_args()
    paths = args.check or sorted((args.corpus / "sources").glob("*.src"))
    failed = False
    for path in paths:
        try:
            print(summary(parse(path)))
        except SourceError as exc:
            failed = True
            print("\n".join(exc.problems), file=sys.stderr)
    if failed or args.check:
        return 1 if failed else 0
    for split in SPLITS:
        shutil.rmtree(args.corpus / split, ignore_errors=True)
    counts = build(args.corpus / "sources", args.corpus)
    print(f"wrote {', '.join(f'{n} {split} reports' for split, n in counts.items())} under {args.corpus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

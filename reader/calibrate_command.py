"""``reader calibrate``: fit the alignment's calibration for the embedding model on a benchmark half.

    reader calibrate                                   # corpora/dev/dev, written to the cache
    reader calibrate --corpus DIR [--gold FILE]        # any corpus with span gold
    reader calibrate --out reader/align/calibrations/  # a folder (or a file) of your choice
    reader calibrate --also DIR                        # thresholds chosen on the mean F1 of both corpora

The method is in ``reader.eval.calibrate``; the file format in ``reader.align.calibration``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from reader.errors import ReaderError
from reader.settings import Settings
from reader.untrusted import printable

ROOT = Path(__file__).resolve().parent.parent
DEV_HALF = ROOT / "corpora" / "dev" / "dev"
SAMPLE = ROOT / "corpora" / "bishkek-2025"


def add_parser(sub, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("calibrate", help="fit alignment thresholds for the embedding model on a benchmark half")
    p.add_argument("--corpus", type=Path, default=DEV_HALF, metavar="DIR",
                   help="corpus with span gold to fit on (default: the dev half of corpora/dev)")
    p.add_argument("--gold", type=Path, default=None, metavar="FILE", help="gold file (default: DIR/gold.json)")
    p.add_argument("--also", type=Path, action="append", default=None, metavar="DIR",
                   help="another corpus with gold whose F1 counts as much as the main one's when thresholds are "
                        "chosen (repeatable; default: the sample corpus, corpora/bishkek-2025)")
    p.add_argument("--out", type=Path, default=None, metavar="PATH",
                   help="file or folder to write (default: the cache's calibrations folder)")
    common(p)


def run(args: argparse.Namespace, settings: Settings, out: TextIO, err: TextIO) -> int:
    from reader import pipeline
    from reader.align.calibration import file_name
    from reader.console import LineProgress
    from reader.eval import calibrate, evaluate

    gold = evaluate.gold_file(args.corpus, args.gold, "reader calibrate")
    bar = LineProgress(err)
    parts = pipeline.Components()
    bench = calibrate.load_bench(args.corpus, gold, settings, parts, progress=bar)
    also = [calibrate.load_bench(folder, evaluate.gold_file(folder, None, "reader calibrate"), settings, parts,
                                 progress=bar)
            for folder in (args.also if args.also is not None else [SAMPLE] if SAMPLE.is_dir() else [])]
    bar.clear()
    shown = _shown(args.corpus)
    about = f"fitted on {shown}" + "".join(f" and {_shown(b.gold_path.parent)}" for b in also)
    calibration = calibrate.calibrate(bench, about, log=lambda line: print(line, file=out), also=also)
    target = args.out or settings.calibration_dir
    if target.suffix != ".json":
        target = target / file_name(calibration.model_id)
    try:
        calibration.save(target)
    except OSError as exc:
        raise ReaderError(f"{printable(str(target))}: cannot write the calibration ({exc.strerror or exc})",
                          hint="free some space, or give another --out") from None
    print(calibration.about, file=out)
    print(f"wrote {target}", file=out)
    return 0


def _shown(folder: Path) -> Path:
    try:
        return folder.resolve().relative_to(ROOT)
    except ValueError:
        return folder

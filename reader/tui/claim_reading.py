"""The claim view's part of the app: its filters, picking outlets, and the jump to compare them.

A mixin of :class:`reader.tui.app.ReaderApp`; the view itself (list, cards, filters,
picks) is :class:`reader.tui.widgets.claim_view.ClaimView`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from reader.tui.claims import MAX_COMPARED, View, outlet_choices
from reader.tui.rows import search
from reader.tui.screens.outlet_picker import OutletPicker
from reader.tui.widgets.claim_view import ClaimView
from reader.tui.widgets.outlet_cards import OutletCards

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

    _Base = ReaderApp
else:
    _Base = object


class ClaimReading(_Base):
    """Keys and messages of the claim view."""

    def _mount_claim_view(self) -> ClaimView:
        assert self.full_index is not None
        self.claim_view = ClaimView(self.full_index, self.view_mode, self.translation_note, self._claim_selected)
        self.query_one("#main").mount(self.claim_view)
        return self.claim_view

    def _in_claims(self) -> bool:
        return self.view is View.CLAIMS and self.claim_view is not None

    @property
    def selected_claim(self):
        """The claim selected in the claim view (None before it shows, or when the filters keep none)."""
        if self.claim_view is None or self.claim_view.entry is None:
            return None
        return self.claim_view.entry.claim

    def _claim_selected(self) -> None:
        if self.view is View.CLAIMS and self.report_shown:
            self._status()

    # ----------------------------------------------------------------- picks
    def on_outlet_cards_picked(self, message: OutletCards.Picked) -> None:
        assert self.claim_view is not None
        problem = self.claim_view.toggle_pick(message.doc_id)
        if problem:
            self.notice(problem, severity="warning")

    def on_outlet_cards_compare(self, message: OutletCards.Compare) -> None:
        self.compare_picked()

    def compare_picked(self) -> None:
        """The picked outlets side by side, on the selected claim."""
        picks = self.claim_view.picks if self.claim_view is not None else []
        if not 2 <= len(picks) <= MAX_COMPARED:
            self.notice(f"pick 2 to {MAX_COMPARED} outlets first: space on an outlet picks it "
                        f"({len(picks)} picked)", severity="warning")
            return
        self.show_view(View.COLUMNS, tuple(picks))

    # ----------------------------------------------------------------- filters
    def action_language(self, step: int) -> None:
        if self._in_claims():
            self._kept(self.claim_view.cycle_language(step))

    def action_outlet(self) -> None:
        if not self._in_claims():
            return
        assert self.full_index is not None

        def chosen(doc_id: str | None) -> None:
            if doc_id is not None and self.claim_view is not None:
                self._kept(self.claim_view.set_outlet(doc_id or None))
                self.claim_view.list.focus()

        self.push_screen(OutletPicker(outlet_choices(self.full_index), self.claim_view.filter.outlet), chosen)

    def action_clear_filters(self) -> None:
        if self._in_claims():
            self.claim_view.clear_filters()

    def _kept(self, count: int) -> None:
        if count == 0:
            self.notice("no claim passes these filters: x clears them", severity="warning")
        self._status()

    def _search_claims(self, query: str) -> None:
        assert self.full_index is not None and self.claim_view is not None
        claims_of = self.full_index.report.claims_of()
        found = frozenset(c.id for sid in search(self.full_index, query) for c in claims_of.get(sid, ()))
        if not query.strip():
            self.claim_view.search(None, None)
            return
        if not found:
            self.notice(f"no claim says {query!r}", severity="warning")
            return
        self.claim_view.search(query.strip(), found)

    # ----------------------------------------------------------------- status
    def _claim_status(self) -> Text:
        assert self.full_index is not None and self.claim_view is not None
        report = self.full_index.report
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(f"{len(report.documents)} articles · {len(report.claims)} claims", style="bold")
        flagged = sum(1 for c in report.claims if c.discrepancies)
        if flagged:
            out.append(f" ({flagged} ◆)", style="bold red")
        entry = self.claim_view.entry
        if entry is not None:
            out.append(f" │ {entry.claim.id} · {entry.outlets} outlets", style="bold")
        out.append(f" │ text {self.view_mode.value} │ v columns")
        return out

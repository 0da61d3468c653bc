"""The claim view: the filters on top, the claim list, and the selected claim's outlet cards.

It owns what the reader chose here (filters, picked outlets); the app switches views,
turns problems into notices and opens the column view of the picked outlets.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, Vertical

from reader.tui.claims import (
    MAX_COMPARED,
    ClaimEntry,
    ClaimFilter,
    claim_entries,
    cycle,
    filter_label,
    flag_choices,
    is_english,
    kept,
    language_choices,
    outlet_cards,
)
from reader.tui.rows import Mode, ReportIndex, claim_colour
from reader.tui.widgets.claim_list import ClaimList
from reader.tui.widgets.outlet_cards import OutletCards
from reader.tui.widgets.status import StatusLine


class ClaimView(Vertical):
    """Layout in app.tcss: the list over the cards, beside them on a wide terminal."""

    def __init__(self, index: ReportIndex, mode: Mode, note: str | None,
                 on_select: Callable[[], None] | None = None, *, id: str | None = "claim-view") -> None:
        super().__init__(id=id)
        self.on_select = on_select  # the app's status follows in the same frame
        self.index = index
        self.mode = mode
        self.note = note
        self.entries = claim_entries(index)
        self.filter = ClaimFilter()
        self.picks: list[str] = []  # document ids, in the order picked
        self.bar = StatusLine(id="claim-filters")
        self.list = ClaimList(self._show, id="claim-list")
        self.cards = OutletCards(id="outlet-cards")

    def compose(self) -> ComposeResult:
        yield self.bar
        with Container(id="claim-panes"):
            yield self.list
            yield self.cards

    def on_mount(self) -> None:
        self.apply(self.filter)

    @property
    def entry(self) -> ClaimEntry | None:
        return self.list.entry

    @property
    def shown(self) -> list[ClaimEntry]:
        return self.list.entries

    # ----------------------------------------------------------------- filters
    def apply(self, flt: ClaimFilter) -> int:
        """Keep the claims ``flt`` keeps (the selection stays if it passes); how many it keeps."""
        self.filter = flt
        entries = kept(self.entries, flt)
        self.list.set_entries(entries, keep=self.entry)
        self._draw_bar()
        return len(entries)

    def cycle_language(self, step: int = 1) -> int:
        lang = cycle(language_choices(self.index), self.filter.lang, step)
        return self.apply(ClaimFilter(lang, self.filter.outlet, self.filter.flag, self.filter.words, self.filter.found))

    def cycle_flag(self, step: int = 1) -> int:
        flag = cycle(flag_choices(self.index), self.filter.flag, step)
        return self.apply(ClaimFilter(self.filter.lang, self.filter.outlet, flag, self.filter.words, self.filter.found))

    def set_outlet(self, doc_id: str | None) -> int:
        return self.apply(ClaimFilter(self.filter.lang, doc_id, self.filter.flag, self.filter.words, self.filter.found))

    def search(self, words: str | None, found: frozenset[str] | None) -> int:
        return self.apply(self.filter.with_search(words, found))

    def clear_filters(self) -> int:
        return self.apply(ClaimFilter())

    # ----------------------------------------------------------------- claims
    def on_claim_list_opened(self, message: ClaimList.Opened) -> None:
        message.stop()
        self.cards.focus()

    def _show(self, entry: ClaimEntry | None) -> None:
        if entry is None:
            if not self.entries:
                self.cards.empty = "This report has no claims: no two outlets say the same thing."
            self.cards.show(None, "white", [], self.note, 0, self.mode, self.picks)
        else:
            cards = outlet_cards(self.index, entry.claim, self.filter.lang)
            hidden = entry.outlets - len(cards)
            self.cards.show(entry.claim, claim_colour(entry.position), cards, self._note_for(cards), hidden,
                            self.mode, self.picks)
        if self.on_select is not None:
            self.on_select()

    def _note_for(self, cards) -> str | None:
        """The translation note, on claims that have an outlet without English."""
        return self.note if any(c.english is None and not is_english(c.doc.article.lang) for c in cards) else None

    def select_claim(self, claim_id: str) -> None:
        """Select a claim the list shows (the one in focus in the columns); else leave the selection."""
        for at, entry in enumerate(self.list.entries):
            if entry.claim.id == claim_id:
                self.list.select(at)
                return

    def step(self, step: int, flagged: bool = False) -> bool:
        """Select the next (previous) claim of the list, or the next one with a flag; False if none."""
        entries = self.list.entries
        if not entries:
            return False
        if not flagged:
            self.list.select((self.list.selected + step) % len(entries))
            return True
        n = len(entries)
        for k in range(1, n + 1):
            at = (self.list.selected + step * k) % n
            if entries[at].kinds:
                self.list.select(at)
                return True
        return False

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self.cards.set_mode(mode)

    def focus_pane(self, step: int) -> None:
        (self.cards if step > 0 else self.list).focus()

    # ----------------------------------------------------------------- picks
    def toggle_pick(self, doc_id: str) -> str | None:
        """Pick or unpick an outlet; a sentence to tell the reader when it cannot be picked."""
        if doc_id in self.picks:
            self.picks.remove(doc_id)
        elif len(self.picks) >= MAX_COMPARED:
            return f"at most {MAX_COMPARED} outlets side by side: unpick one first (space on it)"
        else:
            self.picks.append(doc_id)
        self.cards.picks_changed(self.picks)
        self._draw_bar()
        return None

    def _draw_bar(self) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(f"{len(self.list.entries)} of {len(self.entries)} claims", style="bold")
        for (name, value), key in zip(filter_label(self.filter, self.index), ("L", "o", "f", "/"), strict=False):
            out.append(" │ ")
            out.append(f"{name} ", style="dim")
            out.append(value, style="bold yellow" if value != "all" else "")
            out.append(f" ({key})", style="dim")
        out.append(" │ ")
        if self.picks:
            names = ", ".join((self.index.document(d).article.outlet or d) for d in self.picks)
            out.append(f"picked {len(self.picks)}: ", style="bold green")
            out.append(names)
            out.append(" · Enter compares" if len(self.picks) >= 2 else " · pick one more", style="dim")
        else:
            out.append("space picks outlets to compare", style="dim")
        self.bar.show(out)

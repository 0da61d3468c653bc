"""The claim view's list: a line per claim (outlets, flags, languages, gist), drawn only on screen."""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from reader.tui.cards import entry_pieces, list_header
from reader.tui.claims import ClaimEntry
from reader.tui.rows import UNIQUE_COLOR, claim_colour
from reader.tui.widgets.scrolling import (
    THUMB,
    CachedLines,
    scroll_by_thumb,
    set_content_size,
)


class ClaimList(CachedLines, can_focus=True):
    """The claims the filters keep; the selected one is shown beside (or under) it."""

    HEADER = 1

    BINDINGS = [
        Binding("up,k", "step(-1)", "Previous claim", show=False, tooltip="Claim list: previous claim"),
        Binding("down,j", "step(1)", "Next claim", show=False, tooltip="Claim list: next claim"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="Claim list: a screen up"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="Claim list: a screen down"),
        Binding("home", "edge(0)", "First", show=False, tooltip="Claim list: first claim"),
        Binding("end", "edge(-1)", "Last", show=False, tooltip="Claim list: last claim"),
        Binding("enter", "open", "Outlets", show=False, tooltip="Claim list: go to the claim's outlets, to pick some"),
    ]

    COMPONENT_CLASSES = {
        "claim-list--header",
        "claim-list--selected",
        "claim-list--selected-focus",
        "claim-list--muted",
        "claim-list--flags",
        "claim-list--empty",
        "claim-list--thumb",
    }

    DEFAULT_CSS = """
    ClaimList { scrollbar-size-vertical: 0; overflow-x: hidden; overflow-y: scroll; }  /* its own thumb */
    ClaimList > .claim-list--thumb { color: $panel-lighten-3; }
    ClaimList > .claim-list--header { background: $boost; color: $text-muted; text-style: bold; }
    ClaimList > .claim-list--selected { background: $primary 25%; }
    ClaimList > .claim-list--selected-focus { background: $primary 50%; text-style: bold; }
    ClaimList > .claim-list--muted { color: $text-muted; }
    ClaimList > .claim-list--flags { color: $error; text-style: bold; }
    ClaimList > .claim-list--empty { color: $text-muted; text-style: italic; }
    """

    class Selected(Message):
        """Another claim is selected (or none, when the filters keep nothing)."""

        def __init__(self, entry: ClaimEntry | None) -> None:
            super().__init__()
            self.entry = entry

    class Opened(Message):
        """Enter on a claim: the reader wants its outlets."""

    def __init__(self, on_select: Callable[[ClaimEntry | None], None] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.on_select = on_select  # called at once (the cards follow in the same frame); Selected comes after
        self.entries: list[ClaimEntry] = []
        self.selected = -1

    @property
    def entry(self) -> ClaimEntry | None:
        return self.entries[self.selected] if 0 <= self.selected < len(self.entries) else None

    def set_entries(self, entries: list[ClaimEntry], keep: ClaimEntry | None = None) -> None:
        """Show ``entries``; the selection stays on ``keep`` when it is still there, else the first."""
        self.entries = entries
        ids = [e.claim.id for e in entries]
        at = ids.index(keep.claim.id) if keep is not None and keep.claim.id in ids else 0
        self.selected = at if entries else -1
        self._strips.clear()
        set_content_size(self, Size(self.scrollable_content_region.width, len(entries) + self.HEADER))
        self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self._reveal()
        self.refresh()
        self._selected()

    def _selected(self) -> None:
        if self.on_select is not None:
            self.on_select(self.entry)
        self.post_message(self.Selected(self.entry))

    def select(self, position: int) -> None:
        if not self.entries:
            return
        position = max(0, min(len(self.entries) - 1, position))
        if position == self.selected:
            return
        old, self.selected = self.selected, position
        self._strips.pop(old, None)
        self._strips.pop(position, None)
        top = round(self.scroll_y)
        self._reveal()
        if round(self.scroll_y) == top:  # no scroll: only the two lines change
            self.refresh_lines(old + self.HEADER)
            self.refresh_lines(position + self.HEADER)
        else:
            self.refresh()
        self._selected()

    def _reveal(self) -> None:
        height = self.scrollable_content_region.height - self.HEADER
        top = round(self.scroll_y)
        if height <= 0 or self.selected < 0:
            return
        if self.selected < top:
            self.scroll_to(y=self.selected, animate=False, immediate=True, force=True)
        elif self.selected >= top + height:
            self.scroll_to(y=self.selected - height + 1, animate=False, immediate=True, force=True)

    def action_step(self, step: int) -> None:
        self.select(self.selected + step)

    def action_page(self, step: int) -> None:
        self.select(self.selected + step * max(1, self.scrollable_content_region.height - self.HEADER - 1))

    def action_edge(self, which: int) -> None:
        self.select(0 if which == 0 else len(self.entries) - 1)

    def action_open(self) -> None:
        self.post_message(self.Opened())

    # ----------------------------------------------------------------- paint
    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        set_content_size(self, Size(self.scrollable_content_region.width, len(self.entries) + self.HEADER))
        self._reveal()

    def render_line(self, y: int) -> Strip:
        width = self._frame.width - THUMB
        return self.with_thumb(self._line(y, width), y, len(self.entries) + self.HEADER, "claim-list--thumb")

    def _line(self, y: int, width: int) -> Strip:
        base = self.base_style
        if y < self.HEADER:
            style = base + self.get_component_rich_style("claim-list--header")
            return Strip([Segment(" " + list_header(width - 1), style)]).adjust_cell_length(width, style)
        position = round(self.scroll_y) + y - self.HEADER
        if not self.entries and y == self.HEADER:
            style = base + self.get_component_rich_style("claim-list--empty")
            return Strip([Segment(" no claim passes the filters: x clears them", style)]).adjust_cell_length(width, base)
        if position >= len(self.entries):
            return Strip.blank(width, base)
        strip = self._strips.get(position)
        if strip is None or strip.cell_length != width:
            strip = self._strips[position] = self._entry_strip(position, width)
        return strip

    def _entry_strip(self, position: int, width: int) -> Strip:
        entry = self.entries[position]
        back = self.base_style
        if position == self.selected:
            back += self.get_component_rich_style(
                "claim-list--selected-focus" if self.has_focus else "claim-list--selected")
        muted = back + self.get_component_rich_style("claim-list--muted", partial=True)
        roles = {
            "mark": back + Style(color=claim_colour(entry.position) if not entry.kinds else None, bold=True)
            + (self.get_component_rich_style("claim-list--flags", partial=True) if entry.kinds else Style()),
            "count": back + Style(bold=True),
            "flags": back + self.get_component_rich_style("claim-list--flags", partial=True),
            "langs": muted,
            "gist": back if entry.outlets > 1 else back + Style(color=UNIQUE_COLOR),
        }
        segments = [Segment(" ", back)]
        segments += [Segment(text, roles.get(role, back)) for text, role in entry_pieces(entry, width - 1)]
        return Strip(segments).adjust_cell_length(width, back)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if scroll_by_thumb(self, event, offset, len(self.entries) + self.HEADER) or offset.y < self.HEADER:
            return
        position = round(self.scroll_y) + offset.y - self.HEADER
        if 0 <= position < len(self.entries):
            event.stop()
            self.focus()
            self.select(position)

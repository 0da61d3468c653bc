"""The claim view's detail: the selected claim, then each outlet's wording on a card of its own.

Lines come from :func:`reader.tui.cards.card_lines` in logical order; a line is put in
display order (Arabic shaped and reordered, the flags' values highlighted) only when
it is painted, so a claim carried by 100 outlets costs the lines on screen.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from reader.model import Claim
from reader.tui.cards import INDENT, CardLine, card_lines, card_starts, outlet_header
from reader.tui.claims import OutletCard
from reader.tui.highlight import display_marked, marks_of, runs
from reader.tui.rows import Mode, term_len
from reader.tui.widgets.scrolling import (
    THUMB,
    CachedLines,
    scroll_by_thumb,
    set_content_size,
)


class OutletCards(CachedLines, can_focus=True):
    """Each outlet's wording of one claim; a cursor on a card, and space picks it to compare."""

    BINDINGS = [
        Binding("up,k", "step(-1)", "Previous outlet", show=False, tooltip="Outlets: previous outlet"),
        Binding("down,j", "step(1)", "Next outlet", show=False, tooltip="Outlets: next outlet"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="Outlets: a screen up"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="Outlets: a screen down"),
        Binding("space", "pick", "Pick", show=False, tooltip="Outlets: pick or unpick this outlet to compare (2 to 4)"),
        Binding("enter", "compare", "Compare", show=False, tooltip="Outlets: the picked outlets side by side in columns"),
    ]

    COMPONENT_CLASSES = {
        "outlet-cards--title",
        "outlet-cards--flag",
        "outlet-cards--note",
        "outlet-cards--outlet",
        "outlet-cards--cursor",
        "outlet-cards--cursor-focus",
        "outlet-cards--picked",
        "outlet-cards--english",
        "outlet-cards--value",
        "outlet-cards--thumb",
    }

    DEFAULT_CSS = """
    OutletCards { scrollbar-size-vertical: 0; overflow-x: hidden; overflow-y: scroll; }  /* its own thumb */
    OutletCards > .outlet-cards--thumb { color: $panel-lighten-3; }
    OutletCards > .outlet-cards--title { text-style: bold; }
    OutletCards > .outlet-cards--flag { color: $error; }
    OutletCards > .outlet-cards--note { color: $text-muted; text-style: italic; }
    OutletCards > .outlet-cards--outlet { background: $panel; }
    OutletCards > .outlet-cards--cursor { background: $primary 20%; }
    OutletCards > .outlet-cards--cursor-focus { background: $primary 40%; }
    OutletCards > .outlet-cards--picked { color: $success; text-style: bold; }
    OutletCards > .outlet-cards--english { color: $text-muted; text-style: italic; }
    OutletCards > .outlet-cards--value { background: $warning 60%; color: $text; text-style: bold; }
    """

    class Picked(Message):
        """Space (or a click) on a card: pick or unpick its outlet."""

        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    class Compare(Message):
        """Enter: the picked outlets side by side."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.claim: Claim | None = None
        self.empty = "No claim: the filters keep none (x clears them)."  # what shows without a claim
        self.colour = "white"
        self.cards: list[OutletCard] = []
        self.note: str | None = None
        self.hidden = 0
        self.mode = Mode.BOTH
        self.picks: Collection[str] = ()
        self.cursor = 0
        self.lines: list[CardLine] = []
        self.starts: dict[int, int] = {}
        self._laid: tuple[object, ...] | None = None

    # ----------------------------------------------------------------- state
    def show(self, claim: Claim | None, colour: str, cards: Sequence[OutletCard], note: str | None,
             hidden: int, mode: Mode, picks: Collection[str]) -> None:
        """Show ``claim``'s cards from the top, the cursor on the first."""
        self.claim, self.colour, self.cards, self.note, self.hidden = claim, colour, list(cards), note, hidden
        self.mode, self.picks, self.cursor = mode, picks, 0
        self._layout(force=True)
        self.scroll_to(y=0, animate=False, immediate=True, force=True)

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self._layout(force=True)
        self._reveal()

    def picks_changed(self, picks: Collection[str]) -> None:
        self.picks = picks
        self._strips.clear()
        self.refresh()

    @property
    def card(self) -> OutletCard | None:
        return self.cards[self.cursor] if 0 <= self.cursor < len(self.cards) else None

    def move_to(self, position: int) -> None:
        if not self.cards:
            return
        self.cursor = max(0, min(len(self.cards) - 1, position))
        self._strips.clear()
        self._reveal()
        self.refresh()

    def _layout(self, force: bool = False) -> None:
        width = self.scrollable_content_region.width - THUMB
        key = (width, self.claim, self.mode)
        if width <= 0 or (not force and key == self._laid):
            return
        self._laid = key
        self._strips.clear()
        if self.claim is None:
            self.lines = [CardLine("note", text=self.empty)]
        else:
            self.lines = card_lines(self.claim, self.cards, width - 1, self.mode, self.note, self.hidden)
        self.starts = card_starts(self.lines)
        set_content_size(self, Size(width, len(self.lines)))
        self.refresh()

    def _reveal(self) -> None:
        """Scroll so the cursor's card shows (its header and as much of it as fits)."""
        start = self.starts.get(self.cursor)
        if start is None:
            return
        end = self.starts.get(self.cursor + 1, len(self.lines))
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if self.cursor == 0:
            start = 0  # the first card: the claim's heading with it
        if start < top or min(end, start + height) > top + height:
            self.scroll_to(y=start if start < top else min(start, end - height), animate=False, immediate=True, force=True)

    # ----------------------------------------------------------------- keys
    def action_step(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step * max(1, self.scrollable_content_region.height - 1),
                       animate=False, immediate=True, force=True)
        top = round(self.scroll_y)
        on_screen = [c for c, y in self.starts.items() if y >= top]
        if on_screen:
            self.cursor = min(on_screen) if step > 0 or top > 0 else 0
            self._strips.clear()
            self.refresh()

    def action_pick(self) -> None:
        if self.card is not None:
            self.post_message(self.Picked(self.card.doc.id))

    def action_compare(self) -> None:
        self.post_message(self.Compare())

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if scroll_by_thumb(self, event, offset, len(self.lines)):
            return
        y = round(self.scroll_y) + offset.y
        if 0 <= y < len(self.lines) and self.lines[y].card >= 0:
            event.stop()
            self.focus()
            self.move_to(self.lines[y].card)
            self.post_message(self.Picked(self.cards[self.cursor].doc.id))

    # ----------------------------------------------------------------- paint
    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    def render_line(self, y: int) -> Strip:
        width = self._frame.width - THUMB
        at = round(self.scroll_y) + y
        if at >= len(self.lines):
            strip = Strip.blank(width, self.base_style)
        else:
            strip = self._strips.get(at)
            if strip is None or strip.cell_length != width:
                strip = self._strips[at] = self._line_strip(self.lines[at], width)
        return self.with_thumb(strip, y, len(self.lines), "outlet-cards--thumb")

    def _line_strip(self, line: CardLine, width: int) -> Strip:
        base = self.base_style
        if line.card >= 0 and line.card == self.cursor and line.kind != "gap":
            base = self.get_component_rich_style(
                "outlet-cards--cursor-focus" if self.has_focus else "outlet-cards--cursor")
        elif line.kind == "outlet":
            base = self.get_component_rich_style("outlet-cards--outlet")
        style = self.get_component_rich_style
        if line.kind == "title":
            segments = [Segment(" " + line.text, base + style("outlet-cards--title", partial=True)
                                + Style(color=self.colour))]
        elif line.kind in ("flag", "note"):
            segments = [Segment(" " + line.text, base + style(f"outlet-cards--{line.kind}", partial=True))]
        elif line.kind == "outlet":
            segments = self._header(line, width, base)
        elif line.kind in ("original", "english"):
            segments = self._text(line, width, base)
        else:
            segments = []
        return Strip(segments).adjust_cell_length(width, base)

    def _header(self, line: CardLine, width: int, base: Style) -> list[Segment]:
        card = self.cards[line.card]
        picked = card.doc.id in self.picks
        head = base + Style(bold=True)
        roles = {
            "box": head + (self.get_component_rich_style("outlet-cards--picked", partial=True) if picked else Style()),
            "heading": head,
            "value": self.get_component_rich_style("outlet-cards--value"),
        }
        mark = "▸ " if line.card == self.cursor else "  "
        segments = [Segment(mark, head)]
        segments += [Segment(text, roles.get(role, head)) for text, role in outlet_header(card, picked, width - 2)]
        return segments

    def _text(self, line: CardLine, width: int, base: Style) -> list[Segment]:
        card = self.cards[line.card]
        if line.kind == "english":
            return [Segment(" " * INDENT, base),
                    Segment(line.text, base + self.get_component_rich_style("outlet-cards--english", partial=True))]
        marks = marks_of(line.start, line.start + len(line.text), card.marks)
        text, shown_marks = display_marked(line.text, marks, line.rtl)
        value = self.get_component_rich_style("outlet-cards--value")
        segments = [Segment(" " * INDENT, base)]
        pad = width - 1 - INDENT - term_len(text)
        if line.rtl and pad > 0:
            segments.append(Segment(" " * pad, base))
        segments += [Segment(piece, value if marked else base) for piece, marked in runs(text, shown_marks)]
        return segments

"""The article columns on screen: as many widgets as fit, showing a window of the articles.

With 100 articles and room for four columns, four :class:`ArticleColumn` widgets exist;
moving sideways past the edge hands them the next articles' states (no mount, no
layout pass), and a one-line ruler under them says where the window is.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.strip import Strip
from textual.widget import Widget

from reader.tui.column_state import ColumnState
from reader.tui.widgets.column import ArticleColumn


def ruler_cells(first: int, shown: int, total: int, width: int) -> tuple[str, int, int]:
    """The ruler's label and where its thumb starts and ends (cells of ``width``)."""
    label = f" articles {first + 1}–{first + shown} of {total} · ←/→ move · wheel scrolls "
    if len(label) > width // 2:
        label = f" {first + 1}–{first + shown}/{total} "
    start = round(width * first / total)
    end = max(start + 1, round(width * (first + shown) / total))
    return label, start, end


class ColumnRuler(Widget):
    """Where the columns on screen are among all the articles; a click moves there."""

    DEFAULT_CSS = """
    ColumnRuler { height: 1; }
    ColumnRuler > .column-ruler--track { color: $panel-lighten-2; }
    ColumnRuler > .column-ruler--thumb { color: $accent; }
    ColumnRuler > .column-ruler--label { color: $text-muted; }
    """
    COMPONENT_CLASSES = {"column-ruler--track", "column-ruler--thumb", "column-ruler--label"}

    def __init__(self, strip: ColumnStrip) -> None:
        super().__init__()
        self.strip = strip

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        strip = self.strip
        label, start, end = ruler_cells(strip.first, len(strip.pool), len(strip.states), width)
        track = self.get_component_rich_style("column-ruler--track")
        thumb = self.get_component_rich_style("column-ruler--thumb")
        cells = [Segment("─" * start, track), Segment("━" * (end - start), thumb), Segment("─" * (width - end), track)]
        line = Strip(cells).adjust_cell_length(width)
        text = Strip([Segment(label, self.get_component_rich_style("column-ruler--label") + Style(bold=True))])
        if start + end < width:  # the thumb on the left: the label goes right, never over it
            joined = [line.crop(0, width - text.cell_length), text]
        else:
            joined = [text, line.crop(text.cell_length, width)]
        return Strip.join(joined).apply_style(self.rich_style)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        total = len(self.strip.states)
        self.strip.show_from(int(event.x * total / max(1, self.size.width)) - len(self.strip.pool) // 2)


class ColumnStrip(Vertical):
    """A row of column widgets over a window of the article states, and its ruler."""

    DEFAULT_CSS = """
    ColumnStrip { width: 1fr; height: 1fr; }
    ColumnStrip > Horizontal { height: 1fr; }
    ColumnStrip ArticleColumn { width: 1fr; }
    """

    def __init__(self, states: Sequence[ColumnState], fits: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.states = list(states)
        self.first = 0
        self.pool = [ArticleColumn(state) for state in self.states[: self._pool_size(fits)]]
        self.ruler = ColumnRuler(self)
        self.ruler.display = len(self.pool) < len(self.states)

    def _pool_size(self, fits: int) -> int:
        return max(1, min(fits, len(self.states)))

    def compose(self) -> ComposeResult:
        yield Horizontal(*self.pool, id="column-row")
        yield self.ruler

    @property
    def last(self) -> int:
        """One past the last article on screen."""
        return self.first + len(self.pool)

    def on_screen(self, position: int) -> bool:
        return self.first <= position < self.last

    def fit(self, fits: int) -> None:
        """Keep as many widgets as ``fits`` columns (the terminal was resized)."""
        size = self._pool_size(fits)
        if size == len(self.pool):
            return
        row = self.query_one("#column-row", Horizontal)
        if size < len(self.pool):
            gone, self.pool = self.pool[size:], self.pool[:size]
            for widget in gone:
                if widget.state.view is widget:
                    widget.state.view = None
                widget.remove()
        else:
            first = min(self.first, len(self.states) - size)
            extra = [ArticleColumn(self.states[first + k]) for k in range(len(self.pool), size)]
            self.pool += extra
            row.mount(*extra)
        self.ruler.display = len(self.pool) < len(self.states)
        self.show_from(self.first)

    def show_from(self, first: int) -> None:
        """Show the articles from position ``first`` (kept within the strip)."""
        first = max(0, min(first, len(self.states) - len(self.pool)))
        self.first = first
        for k, widget in enumerate(self.pool):
            widget.show(self.states[first + k])
        self.ruler.refresh()

    def bring_into_view(self, position: int) -> None:
        """Move the window the least that puts article ``position`` on screen."""
        if position < self.first:
            self.show_from(position)
        elif position >= self.last:
            self.show_from(position - len(self.pool) + 1)

    def prefetch(self) -> None:
        """Lay out the articles a window either side of this one, and put their first screenful in
        display order (Arabic shaping is slow), so that moving sideways finds them ready. Called
        when the app is idle; a state already laid out at this width costs nothing."""
        if not self.pool or self.pool[0].scrollable_content_region.width <= 0:
            return
        width, height = self.pool[0].text_size()
        size = len(self.pool)
        for position in range(max(0, self.first - size), min(len(self.states), self.last + size)):
            state = self.states[position]
            if state.view is None and state.laid_width != width:
                state.layout(width, height)
                for _sid, row, _first in state.rows[state.top : state.top + height]:
                    row.shown  # noqa: B018 (remembered by rows.shown_line)

    def widget_of(self, position: int) -> ArticleColumn | None:
        return self.pool[position - self.first] if self.on_screen(position) else None

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if event.shift or event.ctrl:  # shift + wheel: sideways, as in other terminal apps
            event.stop()
            self.show_from(self.first + 1)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if event.shift or event.ctrl:
            event.stop()
            self.show_from(self.first - 1)

    def on_mouse_scroll_right(self, event: events.MouseScrollRight) -> None:
        event.stop()
        self.show_from(self.first + 1)

    def on_mouse_scroll_left(self, event: events.MouseScrollLeft) -> None:
        event.stop()
        self.show_from(self.first - 1)

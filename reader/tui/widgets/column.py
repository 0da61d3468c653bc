"""One article as a column: a Line API widget that draws only the lines on screen.

A column shows a :class:`~reader.tui.column_state.ColumnState` (rows from
:mod:`reader.tui.rows`); only the articles on screen have one, and the strip
(:mod:`reader.tui.widgets.column_strip`) hands a widget another article when the
reader moves sideways. Moving the cursor only changes which sentences are lit and
repaints the few columns on screen, so a claim-to-claim move costs the same with
3 articles or 100.
"""

from __future__ import annotations

from collections.abc import Collection

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.tui.column_state import ColumnState
from reader.tui.rows import GUTTER, MARK_CONT, Filter, Mode, term_len
from reader.tui.widgets.scrolling import (
    THUMB,
    scroll_by_thumb,
    set_content_size,
    thumb_cell,
)


class ArticleColumn(ScrollView, can_focus=False):
    """The sentences of one document, wrapped to the column's width."""

    HEADER = ColumnState.HEADER

    COMPONENT_CLASSES = {
        "article-column--header",
        "article-column--header-active",
        "article-column--cursor",
        "article-column--member",
        "article-column--match",
        "article-column--english",
        "article-column--note",
        "article-column--unique",
        "article-column--thumb",
    }

    DEFAULT_CSS = """
    ArticleColumn {
        scrollbar-size-vertical: 0;  /* a thumb of its own: see reader.tui.widgets.scrolling */
        overflow-x: hidden;
        overflow-y: scroll;
        height: 1fr;
        border-right: vkey $panel-lighten-2;
    }
    ArticleColumn > .article-column--thumb { color: $panel-lighten-3; }
    ArticleColumn > .article-column--header { background: $boost; color: $text-muted; }
    ArticleColumn > .article-column--header-active { background: $accent 40%; color: $text; }
    ArticleColumn > .article-column--cursor { background: $accent 45%; text-style: bold; }
    ArticleColumn > .article-column--member { background: $primary 30%; }
    ArticleColumn > .article-column--match { background: $warning 20%; }
    ArticleColumn > .article-column--english { color: $text-muted; text-style: italic; }
    ArticleColumn > .article-column--note { color: $text-disabled; text-style: italic; }
    ArticleColumn > .article-column--unique { color: $text-muted; }
    """

    class Clicked(Message):
        """A sentence was clicked."""

        def __init__(self, sentence_id: str) -> None:
            super().__init__()
            self.sentence_id = sentence_id

    def __init__(self, state: ColumnState, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        state.view = self
        self._laying_out = False
        self._style_cache: dict[str, Style] | None = None
        self._headers: dict[tuple[int, int, bool, str], list[Segment]] = {}
        self._frame = Region()  # the content region, taken once a frame

    # what the app and the tests read: the state's, as shown here
    doc = property(lambda self: self.state.doc)
    index = property(lambda self: self.state.index)
    lang = property(lambda self: self.state.lang)
    mode = property(lambda self: self.state.mode)
    filter = property(lambda self: self.state.filter)
    cursor = property(lambda self: self.state.cursor)
    lit = property(lambda self: self.state.lit)
    matches = property(lambda self: self.state.matches)
    active = property(lambda self: self.state.active)
    visible_ids = property(lambda self: self.state.visible_ids)

    @property
    def column(self) -> ArticleColumn:  # the app addresses columns and states alike
        return self

    def row_count(self) -> int:
        return self.state.row_count()

    def span_of(self, sentence_id: str) -> tuple[int, int] | None:
        return self.state.span_of(sentence_id)

    def header_lines(self) -> tuple[str, str]:
        return self.state.header_lines()

    def set_state(self, cursor: str | None, lit: frozenset[str], matches: frozenset[str] | None = None) -> None:
        self.state.set_state(cursor, lit, matches)

    def set_active(self, active: bool) -> None:
        self.state.set_active(active)

    def configure(self, mode: Mode, flt: Filter) -> None:
        self.state.configure(mode, flt)

    def ensure_visible(self, sentence_id: str, last_id: str | None = None) -> None:
        self._layout()
        self.state.ensure_visible(sentence_id, last_id)

    def show(self, state: ColumnState) -> None:
        """Show another article in this widget (the strip moved sideways)."""
        if state is self.state:
            return
        if self.state.view is self:
            self.state.view = None
        self.state = state
        state.view = self
        self._layout()
        self.refresh()

    def state_changed(self, relaid: bool = False, sentences: Collection[str] | None = None,
                      header: bool = False) -> None:
        """The state changed: new rows, a new top row, or the lighting of some sentences (only
        their rows are painted again, unless the column scrolled)."""
        if self._laying_out:
            return  # _layout takes the state's place when it is done
        if relaid:
            self._layout()
            self.refresh()
            return
        top = round(self.scroll_y)
        self._take_place()
        if round(self.scroll_y) != top:
            return  # scrolling repaints the whole column
        if sentences is None:
            self.refresh()
            return
        if header:
            self.refresh_lines(top, self.HEADER)
        height = self.scrollable_content_region.height - self.HEADER
        for sid in sentences:
            span = self.state.span_of(sid)
            if span is not None and span[0] < top + height and span[0] + span[1] > top:
                self.refresh_lines(span[0] + self.HEADER, span[1])

    def _take_place(self) -> None:
        """Scroll to the state's top row (forced: the scrollbars of a new layout are not there yet)."""
        if round(self.scroll_y) != self.state.top:
            self.scroll_to(y=self.state.top, animate=False, immediate=True, force=True)

    def _styles(self) -> dict[str, Style]:
        """The rich styles of the column's parts, computed once (rich_style costs a walk up the DOM)."""
        if self._style_cache is None:
            base = self.rich_style
            part = self.get_component_rich_style
            self._style_cache = {
                "base": base,
                "cursor": base + part("article-column--cursor"),
                "member": base + part("article-column--member"),
                "match": base + part("article-column--match"),
                "english": part("article-column--english", partial=True),
                "note": part("article-column--note", partial=True),
                "unique": part("article-column--unique", partial=True),
                "header": base + part("article-column--header"),
                "header-active": base + part("article-column--header-active"),
                "thumb": base + part("article-column--thumb", partial=True),
            }
        return self._style_cache

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache = None
        self._headers = {}

    # ---------------------------------------------------------------- layout
    def text_size(self) -> tuple[int, int]:
        """Cells for a row's text (gutter and thumb left out), and rows of text on screen."""
        region = self.scrollable_content_region
        return max(8, region.width - THUMB - GUTTER), max(0, region.height - self.HEADER)

    def _layout(self) -> None:
        """Lay the state out at this widget's width and take its place (top row)."""
        region = self.scrollable_content_region
        if region.width <= 0:
            return  # not sized yet: on_resize does it
        state = self.state
        self._laying_out = True
        try:
            changed = state.layout(*self.text_size())
        finally:
            self._laying_out = False
        size = Size(region.width, state.row_count() + self.HEADER)
        if size != self.virtual_size:
            set_content_size(self, size)
            changed = True
        self._take_place()
        if changed:
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    def on_mount(self) -> None:
        self._layout()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value) and not self._laying_out:
            self.state.scrolled(round(new_value))

    # ----------------------------------------------------------------- paint
    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self.scrollable_content_region  # once a frame: each look-up walks to the screen
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """One line: its cells up to the thumb, then the thumb's cell; one Strip, no copies
        (the compositor makes enough of them)."""
        width = self._frame.width - THUMB
        segments = self._header(y, width) if y < self.HEADER else self._line(y, width)
        segments.append(self._thumb(y))
        return Strip(segments, width + THUMB)

    def _thumb(self, y: int) -> Segment:
        """The cell right of line ``y``: the column's scroll position, in place of a scrollbar."""
        total = self.state.row_count() + self.HEADER
        return Segment(thumb_cell(y, self._frame.height, total, self.scroll_y),
                       self._styles()["thumb"])

    def _header(self, y: int, width: int) -> list[Segment]:
        """Line ``y`` of the two on top (outlet · language · date, then the title), ``width`` cells."""
        key = (y, width, self.active, self.state.doc.id)
        cached = self._headers.get(key)
        if cached is None:
            style = self._styles()["header-active" if self.active else "header"]
            heading, title = self.header_lines()
            text = Text(" " + (heading if y == 0 else title), style=Style(bold=y == 0, italic=y == 1), end="")
            text.truncate(width, overflow="ellipsis")
            strip = Strip(text.render(self.app.console)).apply_style(style).adjust_cell_length(width, style)
            cached = self._headers[key] = list(strip)
        return list(cached)

    def _line(self, y: int, width: int) -> list[Segment]:
        """Line ``y`` of the rows, ``width`` cells: gutter mark, then the row (right-aligned if RTL)."""
        index = round(self.scroll_y) + y - self.HEADER
        styles = self._styles()
        rows = self.state.rows
        if index >= len(rows):
            return [Segment(" " * width, styles["base"])]
        sid, row, first = rows[index]
        if sid == self.cursor:
            back = styles["cursor"]
        elif sid in self.lit:
            back = styles["member"]
        elif sid in self.matches:
            back = styles["match"]
        else:
            back = styles["base"]
        mark, colour = self.index.marker(sid)
        claimed = sid in self.index.claim_of
        if not first:
            mark = MARK_CONT if claimed else " "
        gutter_style = back + Style(color=colour, bold=True)
        if row.kind in ("english", "note"):
            text_style = back + styles[row.kind]
        elif not claimed:
            text_style = back + styles["unique"]
        else:
            text_style = back
        shown = row.shown
        pad = width - GUTTER - term_len(shown)
        if pad < 0:  # never, as rows are wrapped to the width; if it were, cut rather than spill
            return list(Strip([Segment(mark + " ", gutter_style), Segment(shown, text_style)]).crop(0, width))
        segments = [Segment(mark + " " * (GUTTER - 1), gutter_style)]
        if row.rtl and pad:
            segments.append(Segment(" " * pad, back))
        segments.append(Segment(shown, text_style))
        if not row.rtl and pad:
            segments.append(Segment(" " * pad, back))
        return segments

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if scroll_by_thumb(self, event, offset, self.state.row_count() + self.HEADER):
            return
        index = round(self.scroll_y) + offset.y - self.HEADER
        rows = self.state.rows
        if offset.y >= self.HEADER and 0 <= index < len(rows):
            event.stop()
            self.post_message(self.Clicked(rows[index][0]))

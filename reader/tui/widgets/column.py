"""One article as a column: a Line API widget that draws only the lines on screen.

Rows come from :mod:`reader.tui.rows`; moving the cursor only changes which
sentences are lit and repaints the few columns concerned, so a claim-to-claim
move costs the same with 3 articles or 100.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Document
from reader.tui.rows import (
    GUTTER,
    MARK_CONT,
    Filter,
    Mode,
    ReportIndex,
    Row,
    display_lines,
    doc_heading,
    has_rtl,
    is_rtl,
    sentence_rows,
)


class ArticleColumn(ScrollView, can_focus=False):
    """The sentences of one document, wrapped to the column's width."""

    HEADER = 2  # fixed lines on top: outlet · language · date, then the title

    COMPONENT_CLASSES = {
        "article-column--header",
        "article-column--header-active",
        "article-column--cursor",
        "article-column--member",
        "article-column--match",
        "article-column--english",
        "article-column--note",
        "article-column--unique",
    }

    DEFAULT_CSS = """
    ArticleColumn {
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        height: 1fr;
        border-right: vkey $panel-lighten-2;
    }
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

    def __init__(self, doc: Document, index: ReportIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc = doc
        self.index = index
        self.lang = doc.article.lang
        self.mode = Mode.BOTH
        self.filter = Filter.ALL
        self.cursor: str | None = None
        self.lit: frozenset[str] = frozenset()
        self.matches: frozenset[str] = frozenset()
        self.visible_ids: list[str] = [s.id for s in doc.sentences]
        self._rows: list[tuple[str, Row, bool]] = []  # sentence id, row, first row of its sentence
        self._span: dict[str, tuple[int, int]] = {}  # sentence id -> first row, row count
        self._laid_width = -1
        self.active = False

    @property
    def column(self) -> ArticleColumn:  # the app addresses columns and boxes alike
        return self

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.refresh_lines(round(self.scroll_y), self.HEADER)

    def header_lines(self) -> tuple[str, str]:
        doc = self.doc
        title = doc.article.title or doc.article.path or ""
        if has_rtl(title):
            title = display_lines(title, 10_000, is_rtl(doc.article.lang))[0]
        return doc_heading(doc), title

    def _header_strip(self, y: int, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style(
            "article-column--header-active" if self.active else "article-column--header"
        )
        heading, title = self.header_lines()
        text = Text(" " + (heading if y == 0 else title), style=Style(bold=y == 0, italic=y == 1), end="")
        text.truncate(width, overflow="ellipsis")
        return Strip(text.render(self.app.console)).apply_style(style).adjust_cell_length(width, style)

    # ---------------------------------------------------------------- layout
    def configure(self, mode: Mode, flt: Filter) -> None:
        if mode is self.mode and flt is self.filter:
            return
        top = round(self.scroll_y)
        top_id = self._rows[top][0] if top < len(self._rows) else None
        self.mode, self.filter = mode, flt
        self.visible_ids = [s.id for s in self.index.visible(self.doc, flt)]
        self._laid_width = -1
        self._layout()
        # keep the sentence that was on top on top (it may have gone: then back to the start)
        span = self._span.get(top_id or "")
        self.scroll_to(y=span[0] if span else 0, animate=False, immediate=True)

    def _text_width(self) -> int:
        return max(8, self.scrollable_content_region.width - GUTTER)

    def _layout(self) -> None:
        width = self._text_width()
        if width == self._laid_width:
            return
        self._laid_width = width
        rows: list[tuple[str, Row, bool]] = []
        span: dict[str, tuple[int, int]] = {}
        sentences = self.doc.sentences
        for sid in self.visible_ids:
            sentence = sentences[int(sid.rpartition(":")[2])]
            lines = sentence_rows(sentence, self.lang, self.mode, width)
            span[sid] = (len(rows), len(lines))
            rows.extend((sid, row, i == 0) for i, row in enumerate(lines))
        self._rows, self._span = rows, span
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows) + self.HEADER)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    def on_mount(self) -> None:
        self._layout()

    def row_count(self) -> int:
        return len(self._rows)

    def span_of(self, sentence_id: str) -> tuple[int, int] | None:
        return self._span.get(sentence_id)

    # ----------------------------------------------------------------- state
    def set_state(
        self, cursor: str | None, lit: frozenset[str], matches: frozenset[str] | None = None
    ) -> None:
        matches = self.matches if matches is None else matches
        if cursor == self.cursor and lit == self.lit and matches == self.matches:
            return
        self.cursor, self.lit, self.matches = cursor, lit, matches
        self.refresh()

    def ensure_visible(self, sentence_id: str, last_id: str | None = None) -> None:
        """Scroll so the rows of the sentence (through ``last_id``) are on screen, only when they are not."""
        self._layout()
        span = self._span.get(sentence_id)
        if span is None:
            return
        start, count = span
        if last_id is not None and (last := self._span.get(last_id)) is not None:
            count = last[0] + last[1] - start
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height - self.HEADER
        if height <= 0:
            return
        if start < top or start + min(count, height) > top + height:
            self.scroll_to(y=max(0, start - max(0, (height - count) // 3)), animate=False, immediate=True)

    # ----------------------------------------------------------------- paint
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y < self.HEADER:
            return self._header_strip(y, width)
        index = round(self.scroll_y) + y - self.HEADER
        base = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        sid, row, first = self._rows[index]
        if sid == self.cursor:
            back = base + self.get_component_rich_style("article-column--cursor")
        elif sid in self.lit:
            back = base + self.get_component_rich_style("article-column--member")
        elif sid in self.matches:
            back = base + self.get_component_rich_style("article-column--match")
        else:
            back = base
        mark, colour = self.index.marker(sid)
        claimed = sid in self.index.claim_of
        if not first:
            mark = MARK_CONT if claimed else " "
        gutter_style = back + Style(color=colour, bold=True)
        if row.kind == "english":
            text_style = back + self.get_component_rich_style("article-column--english", partial=True)
        elif row.kind == "note":
            text_style = back + self.get_component_rich_style("article-column--note", partial=True)
        elif not claimed:
            text_style = back + self.get_component_rich_style("article-column--unique", partial=True)
        else:
            text_style = back
        segments = [Segment(mark + " " * (GUTTER - 1), gutter_style)]
        pad = width - GUTTER - row.width
        if row.rtl and pad > 0:
            segments.append(Segment(" " * pad, back))
        segments.append(Segment(row.text, text_style))
        return Strip(segments).adjust_cell_length(width, back)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_y) + offset.y - self.HEADER
        if offset.y >= self.HEADER and 0 <= index < len(self._rows):
            event.stop()
            self.post_message(self.Clicked(self._rows[index][0]))

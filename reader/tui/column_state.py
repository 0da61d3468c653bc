"""One article's column without a widget: no Textual here.

The app keeps a :class:`ColumnState` per article: which sentences the filter keeps,
the cursor and the lit claim members, its rows at the width it was last laid out,
and the row at its top. Only the columns on screen have a widget
(:class:`reader.tui.widgets.column.ArticleColumn`); a widget shows a state and is
told when it changes, and a state that leaves the screen keeps its place, so that
with 100 articles a claim move touches data, not 100 widgets.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from reader.model import Document
from reader.tui.rows import (
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


class ColumnView(Protocol):
    """What a state tells the widget showing it: new rows (``relaid``), else a new top row or
    new lighting of ``sentences`` (None: any), or of the ``header``."""

    def state_changed(self, relaid: bool = False, sentences: Collection[str] | None = None,
                      header: bool = False) -> None: ...


class ColumnState:
    """The sentences of one document as its column shows them."""

    HEADER = 2  # fixed lines on top: outlet · language · date, then the title

    def __init__(self, doc: Document, index: ReportIndex) -> None:
        self.doc = doc
        self.index = index
        self.lang = doc.article.lang
        self.mode = Mode.BOTH
        self.filter = Filter.ALL
        self.cursor: str | None = None
        self.lit: frozenset[str] = frozenset()
        self.matches: frozenset[str] = frozenset()
        self.active = False
        self.visible_ids: list[str] = [s.id for s in doc.sentences]
        self.rows: list[tuple[str, Row, bool]] = []  # sentence id, row, first row of its sentence
        self._span: dict[str, tuple[int, int]] = {}  # sentence id -> first row, row count
        self.laid_width = -1  # text width of the last layout; -1: never laid out
        self.top = 0  # the row at the top of the column
        self.height = 0  # rows of text the column had on screen when last shown
        self._wanted: tuple[str, str | None] | None = None  # a reveal waiting for a layout
        self.view: ColumnView | None = None  # the widget showing it while it is on screen

    @property
    def column(self) -> ColumnState | ColumnView:
        """The widget showing this article while it is on screen, else the state itself;
        both answer ``cursor``, ``lit``, ``visible_ids``, ``mode``, ``span_of`` and ``row_count``."""
        return self.view if self.view is not None else self

    def _tell(self, relaid: bool = False, sentences: Collection[str] | None = None, header: bool = False) -> None:
        if self.view is not None:
            self.view.state_changed(relaid, sentences, header)

    def header_lines(self) -> tuple[str, str]:
        doc = self.doc
        title = doc.article.title or doc.article.path or ""
        if has_rtl(title):
            title = display_lines(title, 10_000, is_rtl(doc.article.lang))[0]
        return doc_heading(doc), title

    # ---------------------------------------------------------------- layout
    def layout(self, width: int, height: int | None = None) -> bool:
        """Rows at a text ``width`` (cells, gutter excluded); True when they changed."""
        if height is not None:
            self.height = height
        changed = width != self.laid_width
        if changed:
            self.laid_width = width
            rows: list[tuple[str, Row, bool]] = []
            span: dict[str, tuple[int, int]] = {}
            sentences = self.index.sentence_by_id
            for sid in self.visible_ids:
                lines = sentence_rows(sentences[sid], self.lang, self.mode, width, lazy=True)
                span[sid] = (len(rows), len(lines))
                rows.extend((sid, row, i == 0) for i, row in enumerate(lines))
            self.rows, self._span = rows, span
            self.top = min(self.top, max(0, len(rows) - 1))
        if self._wanted is not None and self.height > 0:
            first, last = self._wanted
            self._wanted = None
            self._reveal(first, last)
        return changed

    def configure(self, mode: Mode, flt: Filter) -> None:
        """Show ``mode`` and keep what ``flt`` keeps; the sentence on top stays on top if it stays."""
        if mode is self.mode and flt is self.filter:
            return
        top_id = self.rows[self.top][0] if self.top < len(self.rows) else None
        self.mode, self.filter = mode, flt
        self.visible_ids = [s.id for s in self.index.visible(self.doc, flt)]
        width, self.laid_width = self.laid_width, -1
        self.rows, self._span = [], {}
        if width > 0:
            self.layout(width)
        span = self._span.get(top_id or "")
        self.top = span[0] if span else 0
        self._tell(relaid=True)

    def row_count(self) -> int:
        return len(self.rows)

    def span_of(self, sentence_id: str) -> tuple[int, int] | None:
        return self._span.get(sentence_id)

    @property
    def scroll_y(self) -> float:
        """The row on top, as a widget's scroll offset would say it."""
        return float(self.top)

    # ----------------------------------------------------------------- state
    def set_state(self, cursor: str | None, lit: frozenset[str], matches: frozenset[str] | None = None) -> None:
        matches = self.matches if matches is None else matches
        if cursor == self.cursor and lit == self.lit and matches == self.matches:
            return
        changed = (self.lit ^ lit) | (self.matches ^ matches) | {s for s in (self.cursor, cursor) if s}
        self.cursor, self.lit, self.matches = cursor, lit, matches
        self._tell(sentences=changed)

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self._tell(sentences=(), header=True)

    def ensure_visible(self, sentence_id: str, last_id: str | None = None) -> None:
        """Bring the rows of the sentence (through ``last_id``) on screen, only when they are not;
        a column never laid out does it when it is."""
        if self.laid_width < 0 or self.height <= 0:
            self._wanted = (sentence_id, last_id)
            return
        self._reveal(sentence_id, last_id)

    def _reveal(self, sentence_id: str, last_id: str | None) -> None:
        span = self._span.get(sentence_id)
        if span is None:
            return
        start, count = span
        if last_id is not None and (last := self._span.get(last_id)) is not None:
            count = last[0] + last[1] - start
        top, height = self.top, self.height
        if start < top or start + min(count, height) > top + height:
            self.top = max(0, start - max(0, (height - count) // 3))
            self._tell()

    def scrolled(self, top: int) -> None:
        """The widget scrolled (wheel, scrollbar): remember where."""
        self.top = max(0, top)

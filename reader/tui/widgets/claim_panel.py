"""The panel under (or beside) the columns: the claim at the cursor, outlet by outlet."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from reader.model import Claim
from reader.tui.rows import ReportIndex, display_lines, doc_heading, has_rtl, is_rtl, member_text, visual, wrap


def claim_text(index: ReportIndex, claim: Claim | None, sentence_id: str | None, width: int) -> Text:
    """The panel's content at ``width`` cells: article text goes in as plain strings, never markup."""
    width = max(20, width)
    out = Text(no_wrap=True)
    if sentence_id is None:
        out.append("No sentence selected.", style="dim")
        return out
    if claim is None:
        doc_id = sentence_id.rpartition(":")[0]
        out.append(f"{sentence_id}", style="bold")
        out.append("  only in this outlet", style="dim italic")
        lang = index.report.document(doc_id).article.lang
        s = index.report.sentence(sentence_id)
        _lines(out, s.text, width - 2, is_rtl(lang), "")
        if s.translation:
            _lines(out, s.translation, width - 2, False, "italic dim")
        return out
    colour = index.colour(claim)
    out.append(f"claim {claim.id}", style=f"bold {colour}")
    out.append(f"  score {claim.score:.2f}  ·  {len(claim.members)} outlets", style="bold")
    if claim.discrepancies:
        out.append(f"  ·  ◆ {len(claim.discrepancies)} discrepanc{'y' if len(claim.discrepancies) == 1 else 'ies'}",
                   style="bold red")
    for d in claim.discrepancies:
        out.append("\n")
        out.append(f"◆ {d.kind}: ", style="bold red")
        first, *rest = wrap(d.detail, max(10, width - len(d.kind) - 4))
        out.append(_visual(first))
        for line in rest:
            out.append("\n    " + _visual(line))
        for doc_id, value in d.values.items():
            out.append("\n    ")
            out.append(f"{doc_id}: ", style="bold")
            out.append(_visual(value) or "—", style="" if value else "dim")
    for m in claim.members:
        doc = index.report.document(m.document)
        original, english = member_text(index, claim, m.document)
        out.append("\n")
        out.append(f"{doc_heading(doc)}", style=f"bold {colour}")
        out.append(f"  ({', '.join(m.sentences)})", style="dim")
        _lines(out, original, width - 2, is_rtl(doc.article.lang), "")
        if english:
            _lines(out, english, width - 2, False, "italic dim")
        else:
            out.append("\n  (no translation)", style="dim italic")
    return out


def _visual(text: str) -> str:
    """One short line in visual order (an Arabic value inside an English line)."""
    return visual(text, "L") if has_rtl(text) else text


def _lines(out: Text, text: str, width: int, rtl: bool, style: str) -> None:
    for line in display_lines(text, width, rtl):
        out.append("\n  ")
        out.append(line, style=style)


class ClaimPanel(Widget, can_focus=False):
    """A fixed-height panel that draws :func:`claim_text` at its own width.

    Showing another claim repaints this widget only (no layout pass over the
    columns); ``[``/``]`` or the mouse wheel scroll the panel when the claim is long.
    """

    DEFAULT_CSS = """
    ClaimPanel > .claim-panel--more { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {"claim-panel--more"}

    def __init__(self, index: ReportIndex) -> None:
        super().__init__(id="claim-panel")
        self.index = index
        self.claim: Claim | None = None
        self.sentence_id: str | None = None
        self.top_line = 0
        self._cache: tuple[int, Claim | None, str | None, list[Strip]] | None = None

    def show(self, claim: Claim | None, sentence_id: str | None) -> None:
        if claim is not None and claim is self.claim:
            return  # same claim: nothing to redraw
        if claim is None and self.claim is None and sentence_id == self.sentence_id:
            return
        self.claim, self.sentence_id, self.top_line = claim, sentence_id, 0
        self.refresh()

    def text(self, width: int) -> Text:
        return claim_text(self.index, self.claim, self.sentence_id, width)

    def _lines(self) -> list[Strip]:
        width = self.content_region.width
        key = (width, self.claim, self.sentence_id)
        if self._cache is None or self._cache[:3] != key:
            console = self.app.console
            options = console.options.update_width(max(1, width))
            lines = console.render_lines(self.text(width), options, pad=False)
            self._cache = (*key, [Strip(line) for line in lines])
        return self._cache[3]

    def scroll_lines(self, step: int) -> None:
        lines = self._lines()
        height = self.content_region.height
        self.top_line = max(0, min(self.top_line + step, max(0, len(lines) - height)))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        height = self.content_region.height
        lines = self._lines()
        base = self.rich_style
        hidden = len(lines) - self.top_line - height
        if y == height - 1 and hidden > 0:
            more = self.get_component_rich_style("claim-panel--more")
            return Strip([Segment(f"… {hidden + 1} more lines: ] scrolls", more)]).adjust_cell_length(width, base)
        i = self.top_line + y
        if i >= len(lines):
            return Strip.blank(width, base)
        return lines[i].apply_style(base).adjust_cell_length(width, base)

    def on_mouse_scroll_down(self, event) -> None:
        event.stop()
        self.scroll_lines(2)

    def on_mouse_scroll_up(self, event) -> None:
        event.stop()
        self.scroll_lines(-2)

"""The panel under (or beside) the columns: the claim at the cursor, outlet by outlet."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from reader.model import Claim
from reader.tui.claims import is_english
from reader.tui.rows import (
    ReportIndex,
    display_lines,
    doc_heading,
    has_rtl,
    is_rtl,
    member_text,
    visual,
    wrap,
)

EAGER_MEMBERS = 8  # up to this many outlets a claim is rendered whole, its values listed outlet by outlet


def claim_text(index: ReportIndex, claim: Claim | None, sentence_id: str | None, width: int,
               note: str | None = None) -> Text:
    """The panel's whole content at ``width`` cells (see :func:`claim_parts`)."""
    return Text("\n", no_wrap=True).join(claim_parts(index, claim, sentence_id, width, note))


def claim_parts(index: ReportIndex, claim: Claim | None, sentence_id: str | None, width: int,
                note: str | None = None) -> Iterator[Text]:
    """The panel's content at ``width`` cells, a Text per part (the claim's head, then each member),
    so that the panel renders as many outlets as it shows. Article text goes in as plain strings,
    never markup. ``note`` (the report's missing translations) is said once, on a claim with a
    member without English, rather than under each member."""
    width = max(20, width)
    out = Text(no_wrap=True)
    if sentence_id is None:
        out.append("No sentence selected.", style="dim")
        yield out
        return
    if claim is None:
        s = index.sentence(sentence_id)
        out.append(f"{sentence_id}", style="bold")
        out.append("  only in this outlet", style="dim italic")
        lang = index.document(s.document).article.lang
        _lines(out, s.text, width - 2, is_rtl(lang), "")
        if s.translation:
            _lines(out, s.translation, width - 2, False, "italic dim")
        yield out
        return
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
        if len(d.values) <= EAGER_MEMBERS:
            for doc_id, value in d.values.items():
                out.append("\n    ")
                out.append(f"{doc_id}: ", style="bold")
                out.append(_visual(value) or "—", style="" if value else "dim")
            continue
        by_value: dict[str, list[str]] = {}  # many outlets: each value once, with who states it
        for doc_id, value in d.values.items():
            by_value.setdefault(value, []).append(doc_id)
        for value, docs in by_value.items():
            out.append("\n    ")
            out.append(_visual(value) or "—", style="bold" if value else "dim")
            named = ", ".join(docs[:4]) + (f" and {len(docs) - 4} more" if len(docs) > 4 else "")
            out.append(f" ({named})", style="dim")
    if note and any(not is_english(index.document(m.document).article.lang)
                    and not all(index.sentence(s).translation for s in m.sentences) for m in claim.members):
        out.append("\n")
        out.append(note, style="dim italic")
    yield out
    for m in claim.members:
        doc = index.document(m.document)
        original, english = member_text(index, claim, m.document)
        part = Text(no_wrap=True)
        part.append(f"{doc_heading(doc)}", style=f"bold {colour}")
        part.append(f"  ({', '.join(m.sentences)})", style="dim")
        _lines(part, original, width - 2, is_rtl(doc.article.lang), "")
        if english:
            _lines(part, english, width - 2, False, "italic dim")
        yield part


def _visual(text: str) -> str:
    """One short line in visual order (an Arabic value inside an English line)."""
    return visual(text, "L") if has_rtl(text) else text


def _lines(out: Text, text: str, width: int, rtl: bool, style: str) -> None:
    for line in display_lines(text, width, rtl):
        out.append("\n  ")
        out.append(line, style=style)


class ClaimPanel(Widget, can_focus=False):
    """A fixed-height panel that draws :func:`claim_parts` at its own width.

    Showing another claim repaints this widget only (no layout pass over the columns), and
    renders only the outlets it has room for; ``[``/``]`` or the mouse wheel scroll the
    panel when the claim is long.
    """

    DEFAULT_CSS = """
    ClaimPanel > .claim-panel--more { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES = {"claim-panel--more"}

    def __init__(self, index: ReportIndex, note: str | None = None) -> None:
        super().__init__(id="claim-panel")
        self.index = index
        self.note = note
        self.claim: Claim | None = None
        self.sentence_id: str | None = None
        self.top_line = 0
        self._key: tuple[int, Claim | None, str | None] | None = None  # what _rendered holds
        self._parts: Iterator[Text] = iter(())
        self._rendered: list[Strip] = []
        self._complete = True  # every part rendered
        self._painted: dict[tuple[int, int, int], Strip] = {}
        self._base: Style | None = None
        self._frame = Region()  # the content region, taken once a frame

    def show(self, claim: Claim | None, sentence_id: str | None) -> None:
        if claim is not None and claim is self.claim:
            return  # same claim: nothing to redraw
        if claim is None and self.claim is None and sentence_id == self.sentence_id:
            return
        self.claim, self.sentence_id, self.top_line = claim, sentence_id, 0
        self.refresh()

    def text(self, width: int) -> Text:
        return claim_text(self.index, self.claim, self.sentence_id, width, self.note)

    def _lines(self, wanted: int, width: int) -> list[Strip]:
        """At least ``wanted`` lines rendered at ``width`` (fewer when the claim has fewer)."""
        key = (width, self.claim, self.sentence_id)
        if key != self._key:
            self._key, self._rendered, self._painted = key, [], {}
            self._parts = claim_parts(self.index, self.claim, self.sentence_id, width, self.note)
            self._complete = False
        if self.claim is None or len(self.claim.members) <= EAGER_MEMBERS:
            wanted = sys.maxsize  # a short claim: render it all, and say how many lines are below
        if not self._complete and len(self._rendered) < wanted:
            console = self.app.console
            options = console.options.update_width(max(1, width))
            for part in self._parts:
                self._rendered += [Strip(line) for line in console.render_lines(part, options, pad=False)]
                if len(self._rendered) >= wanted:
                    break
            else:
                self._complete = True
        return self._rendered

    def scroll_lines(self, step: int) -> None:
        width, height = self.content_region.width, self.content_region.height
        lines = self._lines(self.top_line + step + 2 * height, width)
        self.top_line = max(0, min(self.top_line + step, max(0, len(lines) - height)))
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = self.content_region  # once a frame: each look-up walks to the screen
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width, height = self._frame.width, self._frame.height
        lines = self._lines(self.top_line + height + 1, width)
        key = (y, self.top_line, height)
        strip = self._painted.get(key)
        if strip is None:
            strip = self._painted[key] = self._paint(lines, y, width, height)
        return strip

    def _paint(self, lines: list[Strip], y: int, width: int, height: int) -> Strip:
        if self._base is None:
            self._base = self.rich_style
        base = self._base
        hidden = len(lines) - self.top_line - height
        if y == height - 1 and hidden > 0:
            more = self.get_component_rich_style("claim-panel--more")
            says = f"… {hidden + 1} more lines: ] scrolls" if self._complete else "… more below: ] scrolls"
            return Strip([Segment(says, more)]).adjust_cell_length(width, base)
        i = self.top_line + y
        if i >= len(lines):
            return Strip.blank(width, base)
        return lines[i].apply_style(base).adjust_cell_length(width, base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base, self._painted = None, {}

    def on_mouse_scroll_down(self, event) -> None:
        event.stop()
        self.scroll_lines(2)

    def on_mouse_scroll_up(self, event) -> None:
        event.stop()
        self.scroll_lines(-2)

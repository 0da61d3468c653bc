"""The panel under (or beside) the columns: the claim at the cursor, outlet by outlet."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget

from reader.model import Claim
from reader.tui.rows import ReportIndex, display_lines, doc_heading, is_rtl, member_text


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
        out.append("  only in this outlet — no other report carries this sentence", style="dim italic")
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
        out.append(d.detail)
        for doc_id, value in d.values.items():
            out.append("\n    ")
            out.append(f"{doc_id}: ", style="bold")
            out.append(value or "—", style="" if value else "dim")
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


def _lines(out: Text, text: str, width: int, rtl: bool, style: str) -> None:
    for line in display_lines(text, width, rtl):
        out.append("\n  ")
        out.append(line, style=style)


class ClaimBody(Widget):
    """Draws :func:`claim_text` at its own width (so Arabic lines are wrapped, then reordered)."""

    DEFAULT_CSS = "ClaimBody { height: auto; }"

    def __init__(self, index: ReportIndex) -> None:
        super().__init__()
        self.index = index
        self.claim: Claim | None = None
        self.sentence_id: str | None = None
        self._cache: tuple[int, Claim | None, str | None, Text] | None = None

    def show(self, claim: Claim | None, sentence_id: str | None) -> None:
        if claim is not None and claim is self.claim:
            return  # same claim, nothing to redraw
        if claim is None and sentence_id == self.sentence_id and self.claim is None:
            return
        self.claim, self.sentence_id = claim, sentence_id
        self.refresh(layout=True)

    def _text(self, width: int) -> Text:
        key = (width, self.claim, self.sentence_id)
        if self._cache is None or self._cache[:3] != key:
            self._cache = (*key, claim_text(self.index, self.claim, self.sentence_id, width))
        return self._cache[3]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._text(width).plain.split("\n"))

    def render(self) -> Text:
        return self._text(self.content_region.width or self.size.width)


class ClaimPanel(VerticalScroll, can_focus=False):
    def __init__(self, index: ReportIndex) -> None:
        super().__init__(id="claim-panel")
        self.body = ClaimBody(index)

    def compose(self):
        yield self.body

    def show(self, claim: Claim | None, sentence_id: str | None) -> None:
        changed = claim is not self.body.claim or (claim is None and sentence_id != self.body.sentence_id)
        self.body.show(claim, sentence_id)
        if changed:
            self.scroll_home(animate=False)

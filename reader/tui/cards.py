"""The lines of the claim view's outlet cards and of its claim list: no Textual here.

Lines keep logical text and offsets (so a highlight can be carried through
right-to-left display at paint time, for the few lines on screen); the widgets
in :mod:`reader.tui.widgets.outlet_cards` and :mod:`reader.tui.widgets.claim_list`
turn them into styled strips.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.model import Claim
from reader.tui.claims import ClaimEntry, OutletCard, fit, is_english
from reader.tui.rows import (
    MARK_CLAIM,
    MARK_DISCREPANT,
    Mode,
    display_lines,
    doc_heading,
    has_rtl,
    term_len,
    visual,
    wrap,
)
from reader.tui.wrapping import line_text, wrap_offsets

INDENT = 4  # cells before a card's text
PICKED, UNPICKED = "☑", "☐"


@dataclass(frozen=True)
class CardLine:
    """One line of the detail pane."""

    kind: str  # "title", "flag", "note", "gap", "outlet", "original", "english"
    card: int = -1  # the card it belongs to (-1: the claim's own lines on top)
    text: str = ""  # logical order; original/english: one wrapped line of the card's text
    start: int = 0  # original: where ``text`` starts in the card's original (for its marks)
    rtl: bool = False


def card_lines(claim: Claim, cards: Sequence[OutletCard], width: int, mode: Mode,
               note: str | None = None, hidden: int = 0) -> list[CardLine]:
    """The claim's heading, its flags, a translation note said once, then a card per outlet."""
    width = max(12, width)
    langs = " ".join(sorted({c.doc.article.lang for c in cards}))
    outlets = f"{len(claim.members)} outlet{'s' if len(claim.members) != 1 else ''}"
    lines = [CardLine("title", text=fit(f"claim {claim.id} · {outlets} · {langs}", width))]
    for d in claim.discrepancies:
        for i, piece in enumerate(wrap(f"◆ {d.kind}: {d.detail}", width - 2)):
            lines.append(CardLine("flag", text=piece if i == 0 else "  " + piece))
    if hidden:
        lines.append(CardLine("note", text=fit(f"{hidden} more outlet{'s' if hidden != 1 else ''} "
                                               "in other languages: L changes the language", width)))
    if note:
        lines += [CardLine("note", text=piece) for piece in wrap(note, width)]
    text_width = width - INDENT
    for i, card in enumerate(cards):
        lines.append(CardLine("gap", i))
        lines.append(CardLine("outlet", i))
        english = card.english if not is_english(card.doc.article.lang) else None
        if mode is not Mode.ENGLISH or english is None:
            lines += [CardLine("original", i, line_text(card.original, a, b), a, card.rtl)
                      for a, b in wrap_offsets(card.original, text_width)]
        if english is not None and mode is not Mode.ORIGINAL:
            lines += [CardLine("english", i, line_text(english, a, b), a)
                      for a, b in wrap_offsets(english, text_width)]
    return lines


def card_starts(lines: Sequence[CardLine]) -> dict[int, int]:
    """Card -> the line its outlet header is on."""
    return {line.card: y for y, line in enumerate(lines) if line.kind == "outlet"}


def outlet_header(card: OutletCard, picked: bool, width: int) -> list[tuple[str, str]]:
    """(text, role) pieces of a card's first line: pick box, outlet · language · date, values."""
    box = PICKED if picked else UNPICKED
    values = "  ".join(f"◆ {visual(value, 'L') if has_rtl(value) else value}" for _kind, value in card.values)
    room = width - 2 - (term_len(values) + 2 if values else 0)
    heading = fit(doc_heading(card.doc), max(8, room))
    pieces = [(f"{box} ", "box"), (heading, "heading")]
    if values:
        gap = max(2, width - 2 - term_len(heading) - term_len(values))
        pieces += [(" " * gap, ""), (fit(values, max(4, width - 4 - term_len(heading))), "value")]
    return pieces


# ------------------------------------------------------------------ the list
def list_columns(width: int) -> tuple[int, int]:
    """Cells for the flags and the languages columns of the claim list at ``width``."""
    if width < 50:
        return 0, 0
    return (12, 12) if width < 100 else (16, 16)


def list_header(width: int) -> str:
    flags, langs = list_columns(width)
    parts = ["  out"]
    if flags:
        parts += [f"{'flags':<{flags}}", f"{'languages':<{langs}}"]
    return fit(" ".join(parts + ["claim"]), width)


def entry_pieces(entry: ClaimEntry, width: int) -> list[tuple[str, str]]:
    """(text, role) pieces of one claim list line: mark, outlets, flags, languages, gist."""
    flags_w, langs_w = list_columns(width)
    mark = MARK_DISCREPANT if entry.kinds else MARK_CLAIM
    pieces = [(mark + " ", "mark"), (f"{entry.outlets:>3} ", "count")]
    if flags_w:
        pieces.append((f"{fit(', '.join(entry.kinds), flags_w - 1):<{flags_w - 1}} ", "flags"))
        pieces.append((f"{fit(' '.join(entry.langs), langs_w - 1):<{langs_w - 1}} ", "langs"))
    used = sum(term_len(text) for text, _ in pieces)
    pieces.append((gist_line(entry, max(4, width - used)), "gist"))
    return pieces


def gist_line(entry: ClaimEntry, width: int) -> str:
    """The start of what the claim says, in display order, in ``width`` cells."""
    first, *more = wrap(entry.gist, width - 1) or [""]
    shown = display_lines(first, width, entry.gist_rtl)[0]
    if not more:
        return shown
    return "…" + shown if entry.gist_rtl else shown + "…"

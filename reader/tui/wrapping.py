"""Word wrap measured in terminal cells: no Textual here.

``wrap_offsets`` keeps offsets into the text (the claim view carries highlights by
them); ``wrap`` gives the lines themselves. Each word is measured once, so a
sentence costs its length, not its length times its words.
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len

_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s")


def term_len(text: str) -> int:
    """Cells a terminal gives ``text``: Rich's count, plus one per spacing combining mark.

    Rich measures Devanagari vowel signs such as ि (category Mc) as zero wide; terminals
    (wcwidth, tmux, VTE) give them a cell. Wrapping by this count keeps Hindi inside its column.
    """
    if text.isascii() and text.isprintable():
        return len(text)  # the common case, one cell a character
    cells = cell_len(text)
    if text and max(text) >= "\u0900":  # spacing marks all sit from Devanagari up
        cells += sum(1 for ch in text if unicodedata.category(ch) == "Mc" and cell_len(ch) == 0)
    return cells


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap in logical order as (start, end) offsets into ``text``, measured in
    terminal cells. Never returns an empty list."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    start = end = -1
    used = 0
    for m in _WORD.finditer(text):
        a, b = m.span()
        cells = term_len(m.group())
        if start >= 0 and used + (a - end) + cells <= width:
            used += (a - end) + cells
            end = b
            continue
        if start >= 0:
            lines.append((start, end))
        if cells <= width:
            start, end, used = a, b, cells
            continue
        pieces = _split_offsets(text, a, b, width)
        lines.extend(pieces[:-1])
        (start, end) = pieces[-1]
        used = term_len(text[start:end])
    if start >= 0:
        lines.append((start, end))
    return lines or [(0, 0)]


def _split_offsets(text: str, a: int, b: int, width: int) -> list[tuple[int, int]]:
    """A word wider than ``width`` cut between characters (never before a combining mark)."""
    pieces: list[tuple[int, int]] = []
    start, used = a, 0
    for i in range(a, b):
        ch = text[i]
        cells = term_len(ch)
        joins = unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Mc", "Me") or ch in "\u200c\u200d"
        if i > start and not joins and used + cells > width:
            pieces.append((start, i))
            start, used = i, 0
        used += cells
    pieces.append((start, b))
    return pieces


def line_text(text: str, start: int, end: int) -> str:
    """The characters of one wrapped line, whitespace shown as plain spaces (one for one)."""
    return _SPACE.sub(" ", text[start:end])


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap in logical order, runs of whitespace shown as one space. Never returns an
    empty list."""
    flat = " ".join(text.split())
    return [flat[a:b] for a, b in wrap_offsets(flat, width)]

"""Measure Indic vowel signs the way terminals draw them.

Rich's width tables give spacing combining marks (Unicode category Mc, such as the
Devanagari vowel sign ि) zero cells, while terminals that follow wcwidth (tmux,
VTE, xterm) give them one. Textual pads each line by Rich's count, so a Hindi line
would spill past its column into the border and the next column. ``install`` makes
Rich (and so Textual) count those marks as one cell, inside the app's process only.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from rich import cells

INDIC = (0x0900, 0x0DFF)  # Devanagari … Sinhala
_installed = False


def _split(table: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    out: list[tuple[int, int, int]] = []
    for start, end, width in table:
        if width != 0 or end < INDIC[0] or start > INDIC[1]:
            out.append((start, end, width))
            continue
        run_start = start
        run_width = None
        for cp in range(start, end + 1):
            w = 1 if INDIC[0] <= cp <= INDIC[1] and unicodedata.category(chr(cp)) == "Mc" else 0
            if run_width is None:
                run_width = w
            elif w != run_width:
                out.append((run_start, cp - 1, run_width))
                run_start, run_width = cp, w
        out.append((run_start, end, run_width or 0))
    return out


def install() -> None:
    """Patch Rich's cell table once; idempotent."""
    global _installed
    if _installed:
        return
    original = cells.load_cell_table

    @cache
    def load(unicode_version: str = "auto"):  # type: ignore[no-untyped-def]
        table = original(unicode_version)
        return table._replace(widths=_split(list(table.widths)))

    cells.load_cell_table = load  # type: ignore[assignment]
    cells.get_character_cell_size.cache_clear()
    cells.cached_cell_len.cache_clear()
    _installed = True

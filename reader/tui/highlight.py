"""Marked ranges of a sentence through wrapping and right-to-left display: no Textual here.

The claim view highlights the values a claim's flags differ on (``Discrepancy.spans``,
offsets into the article text) in each outlet's sentence. A terminal needs Arabic
shaped and right-to-left runs in visual order (:func:`reader.tui.rows.visual`); this
module wraps a text keeping offsets, and carries each character's mark through
shaping and reordering, so the highlight lands on the same letters on screen.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import arabic_reshaper

from reader.tui.bidi_order import display_order
from reader.tui.rows import has_rtl, visual

Ranges = Sequence[tuple[int, int]]
_DROPPED = {"\u200d", "\u0640"}  # joiner, tatweel: the shaper may drop them


def marks_of(start: int, end: int, ranges: Ranges) -> list[bool]:
    """For each character of ``start:end``: is it inside one of ``ranges``?"""
    out = [False] * (end - start)
    for a, b in ranges:
        for i in range(max(a, start), min(b, end)):
            out[i - start] = True
    return out


def display_marked(line: str, marks: Sequence[bool], rtl: bool) -> tuple[str, list[bool]]:
    """A logical line in display order, as :func:`reader.tui.rows.display_lines` shows it, with
    each character's mark carried along; lines with no right-to-left letter stay as they are."""
    if not (rtl or has_rtl(line)):
        return line, list(marks)
    base = "R" if rtl else "L"
    shaped = arabic_reshaper.reshape(line)
    shaped_marks = _through_shaping(line, shaped, marks)
    shown = visual(line, base)
    if not any(marks):
        return shown, [False] * len(shown)
    ordered = display_order(shaped, base)
    if ordered is None:
        return shown, [False] * len(shown)
    text, order = ordered
    return text, [shaped_marks[i] for i in order]


def _dropped(ch: str) -> bool:
    return ch in _DROPPED or (unicodedata.category(ch) == "Mn" and "\u0600" <= ch <= "\u06ff")


def _through_shaping(original: str, shaped: str, marks: Sequence[bool]) -> list[bool]:
    """The mark of each shaped character: a presentation form takes its letter's mark, a
    ligature (lam-alef) is marked when any of its letters is, dropped harakat go with it."""
    out: list[bool] = []
    j, n = 0, len(original)
    for ch in shaped:
        if j < n and original[j] == ch:
            out.append(marks[j])
            j += 1
            continue
        letters = unicodedata.normalize("NFKC", ch)
        while j < n and original[j] != letters[:1] and _dropped(original[j]):
            j += 1
        took: list[bool] = []
        k = 0
        while k < len(letters) and j < n:
            if original[j] == letters[k]:
                k += 1
            elif not _dropped(original[j]):
                break
            took.append(marks[j])
            j += 1
        if not took and j < n:  # no match: one for one
            took, j = [marks[j]], j + 1
        out.append(any(took))
    return out


def runs(text: str, marks: Sequence[bool]) -> list[tuple[str, bool]]:
    """``text`` cut where its marks change: (piece, marked)."""
    out: list[tuple[str, bool]] = []
    for ch, mark in zip(text, marks, strict=True):
        if out and out[-1][1] == mark:
            out[-1] = (out[-1][0] + ch, mark)
        else:
            out.append((ch, mark))
    return out

"""Untrusted text (article text, titles, outlets, file names, values read from them) at the
boundaries where it meets a terminal or a document format. Nothing else in reader decides how
such text is made safe; every place that shows it calls one of these.

* :func:`printable`: one line for a terminal (stderr, the app's notices and cells). Control
  characters (escape sequences, newlines, BEL) and the bidirectional controls that reorder what
  follows them are written as visible ``\\x1b`` / ``\\u202e`` escapes; everything else (the
  joiners Persian and Devanagari need) stays as it is.
* :func:`visible`: article text for the terminal app, character for character (offsets into
  the text still hold): line breaks and tabs kept, every other control shown as a symbol
  (␛, ␇) that the terminal does not obey.
* :func:`markdown`: text placed in a Markdown document: the above, then every character that
  Markdown or HTML would read as markup (``<``, ``[``, ``*``, backticks, ``|``…) escaped, so
  that no tag, link, image or table cell survives from an article.
* :func:`html_text`: text placed in an HTML document, as element text or a quoted attribute
  value: controls made visible as :func:`visible` does, then ``& < > " '`` written as character
  references, so no tag, attribute, entity or ``javascript:`` link survives from an article.
"""

from __future__ import annotations

import html
import re
import unicodedata

# embeddings, overrides and isolates of the bidirectional algorithm, and the marks that steer it:
# they reorder what follows them on the screen (a file name that reads "txt.exe" as "exe.txt")
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# line and paragraph separators break a line as a newline does
_BREAKS = frozenset("\u2028\u2029\x85")


def _escape(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii")


def _steers(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in BIDI or ch in _BREAKS


def printable(text: str) -> str:
    """``text`` as one line a terminal shows and does not obey (see the module docstring)."""
    return "".join(_escape(ch) if _steers(ch) else ch for ch in text)


def _picture(ch: str) -> str:
    """One visible character for a control: its symbol from Unicode's Control Pictures block
    (␛ for ESC, ␇ for BEL, ␡ for DEL), else the replacement character."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """Article text for the terminal app, character for character (so offsets into it still hold):
    newlines and tabs kept, every other control shown as a symbol the terminal does not obey."""
    return "".join(_picture(ch) if _steers(ch) and ch not in "\n\t" else ch for ch in text)


# characters that inline Markdown (CommonMark, GitHub's tables and strikethrough) reads as syntax:
# tags and autolinks (<), entities (&), links and images ([ ]), code, emphasis, cells. Text placed
# by reader never starts a line, so the block markers (#, -, +, 1.) need no escape.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>|~&])")


def markdown(text: str) -> str:
    """``text`` as literal Markdown inline text on one line: runs of white space made one space,
    controls made visible, every inline markup character backslash-escaped (so ``<script>``,
    ``[x](javascript:…)`` and ``![](…)`` are shown as written, never rendered)."""
    return _MARKDOWN.sub(r"\\\1", printable(" ".join(text.split())))


def html_text(text: str) -> str:
    """``text`` as literal HTML, for element text or a quoted attribute value: controls shown as
    symbols (:func:`visible`; line breaks and tabs kept, which HTML reads as spaces), then every
    character HTML reads as markup (``& < > " '``) escaped, so ``<script>``, ``onerror=``,
    ``&lt;`` and ``javascript:`` stay the text they were, never markup."""
    return html.escape(visible(text), quote=True)

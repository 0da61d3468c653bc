"""JSON from untrusted files, parsed only when nested no deeper than a limit.

``json.loads`` recurses once per nested list or object, so ``[[[[…]]]]`` nested
100 000 deep raises RecursionError: a traceback, not a message. Here the nesting
is measured first, by one linear scan that counts brackets outside strings (no
recursion, a regular expression skips the strings), and text nested deeper than
the limit (``Limits.json_depth``, ``READER_LIMITS_JSON_DEPTH``) is refused
before it is parsed. Every other failure of the parser (a syntax error, an
integer of too many digits, RecursionError under a limit raised very high) comes
out as one line too.

* :func:`loads`: text to a value, or :class:`BadJSON` (a ValueError) whose message
  is the problem alone, for a caller that adds its own context ("line 3: …").
* :func:`load_json`: the same, as :class:`reader.errors.BadInput` naming the file.
* :func:`depth`: the nesting of a text, without parsing it.
"""

from __future__ import annotations

import json
import re

from reader.errors import BadInput
from reader.settings import limits
from reader.untrusted import printable

DEPTH_VARIABLE = "READER_LIMITS_JSON_DEPTH"

# a string (its closing quote optional: an unterminated one runs to the end) or a bracket
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


class BadJSON(ValueError):
    """Text that is not JSON reader accepts; the message is the problem, in one line."""


def depth(text: str, stop: int | None = None) -> int:
    """How deep lists and objects nest in ``text``: 0 for a scalar, 1 for ``[1, 2]``, 2 for ``[{}]``.

    Brackets inside strings do not count. Linear in the length of ``text`` and
    never recursive; valid JSON is not required (an unbalanced closer is ignored).
    With ``stop``, the scan ends as soon as the nesting passes it.
    """
    level = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            level += 1
            if level > deepest:
                deepest = level
                if stop is not None and deepest > stop:
                    break
        elif token in ("]", "}"):
            level = max(level - 1, 0)
    return deepest


def loads(text: str | bytes, max_depth: int | None = None) -> object:
    """The value of JSON ``text`` (bytes are read as UTF-8) nested at most ``max_depth`` deep.

    ``max_depth`` defaults to ``Limits.json_depth``. Raises :class:`BadJSON` for
    text nested deeper, text that is not JSON, and anything the parser refuses;
    RecursionError never escapes.
    """
    limit = limits().json_depth if max_depth is None else max_depth
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise BadJSON(f"not UTF-8 text (byte {err.start})") from None
    opened = text.count("[") + text.count("{")  # nesting can be no deeper: most texts need no scan
    if opened > limit and depth(text, stop=limit) > limit:
        raise BadJSON(f"JSON nested deeper than {limit} levels (limit {DEPTH_VARIABLE})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise BadJSON(f"invalid JSON at line {err.lineno} column {err.colno}: {err.msg}") from None
    except RecursionError:
        raise BadJSON(f"JSON nested too deeply to parse (limit {DEPTH_VARIABLE})") from None
    except ValueError as err:  # e.g. an integer of more digits than Python converts
        raise BadJSON(f"invalid JSON: {printable(str(err))}") from None


def load_json(text: str | bytes, where: str, max_depth: int | None = None) -> object:
    """:func:`loads`, raising :class:`BadInput` that names ``where`` (the file, shown printable)."""
    try:
        return loads(text, max_depth)
    except BadJSON as err:
        raise BadInput(printable(where), str(err)) from None

"""What kind of event two members say it was: a working visit against a state or official one.

The kinds and how each language writes them are in ``reader/data/event_kinds.json``. State and
official visits are one kind here: outlets call a state visit official as often as not, and a
flag's precision matters more than its count.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader.compare.members import Finding, Member
from reader.datafiles import table
from reader.model import Span

_SAME = {"state": "formal", "official": "formal", "working": "working"}


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    return {kind: re.compile("|".join(f"(?:{p})" for p in forms), re.IGNORECASE)
            for kind, forms in table("event_kinds.json").items()}


def stated(m: Member) -> dict[str, tuple[str, Span]]:
    """Kinds of visit a member states in its original sentences: kind -> (as written, where)."""
    out: dict[str, tuple[str, Span]] = {}
    for s in m.sentences:
        for kind, pattern in _patterns().items():
            if kind not in out and (found := pattern.search(s.text)):
                out[kind] = (found.group(), Span(s.id, s.start + found.start(), s.start + found.end()))
    return out


def event_kind(a: Member, b: Member) -> list[Finding]:
    """A working visit in one member against a state or official visit in the other (and neither
    member states both)."""
    ka, kb = stated(a), stated(b)
    ga, gb = {_SAME[k] for k in ka}, {_SAME[k] for k in kb}
    if len(ga) != 1 or len(gb) != 1 or ga == gb:
        return []
    (wa, sa), (wb, sb) = next(iter(ka.values())), next(iter(kb.values()))
    return [Finding("event-kind", "visit", {a.doc: wa, b.doc: wb}, {a.doc: (sa,), b.doc: (sb,)}, {a.doc: wa, b.doc: wb})]

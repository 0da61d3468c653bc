"""What kind of event two members say it was: a working visit against a state or official one.

The kinds and how each language writes them are in ``reader/data/event_kinds.json``. State and
official visits are one kind here: outlets call a state visit official as often as not, and a
flag's precision matters more than its count.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from reader.compare.members import Finding, Member
from reader.model import Span

_DATA = Path(__file__).resolve().parent.parent / "data" / "event_kinds.json"
_SAME = {"state": "formal", "official": "formal", "working": "working"}


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return {kind: re.compile("|".join(f"(?:{p})" for p in forms), re.IGNORECASE)
            for kind, forms in data.items() if not kind.startswith("_")}


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

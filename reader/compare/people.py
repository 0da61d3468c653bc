"""Who two members say spoke, and one person (or city) for another."""

from __future__ import annotations

from reader.compare.members import Finding, Member, Run
from reader.facts.names import mentioned, place_kinds
from reader.facts.speakers import Book, Speaker, differ
from reader.model import Span
from reader.settings import CompareConfig


def speaker(a: Member, b: Member, run: Run) -> list[Finding]:
    if not a.speaker or not b.speaker or not differ(a.speaker, b.speaker, run.book, a.words, b.words):
        return []

    def shown(s: Speaker) -> str:
        return s.surface

    return [Finding("speaker", "speaker", {a.doc: shown(a.speaker), b.doc: shown(b.speaker)},
                     {a.doc: (a.speaker_span,) if a.speaker_span else (), b.doc: (b.speaker_span,) if b.speaker_span else ()},
                     {a.doc: shown(a.speaker), b.doc: shown(b.speaker)})]


def is_mentioned(key: str, m: Member, book: Book) -> bool:
    """Does a member name ``key`` in any form: its words, a transliteration one letter away, or
    (for a person) the office the run describes them by ("the Russian president" for Putin), or
    any mention of the country of that office ("the Russian dictator" may well be Putin)?"""
    if key.startswith("="):
        return key in m.words
    if mentioned(key, m.words, loose=True):
        return True
    role = book.role_of(key)
    return role is not None and (role in m.roles or (role[1] is not None and f"={role[1]}" in m.words))


def names(a: Member, b: Member, skip: set[str], book: Book) -> list[Finding]:
    """One person for another, or one country or city of the exonym file for another, in sentences
    that otherwise name the same things: each member names exactly one of that kind that the other
    does not mention in any form, and they share at least ``names_in_common`` names. A person is a
    name the run writes after an office somewhere ("President Ilham Aliyev"); other names (events,
    teams, parties) differ between outlets too freely to flag."""
    def unshared(x: Member, y: Member) -> dict[str, tuple[str, Span]]:
        return {k: v for k, v in x.named.items()
                if k not in skip and len(k) >= 2 and not is_mentioned(k, y, book)}

    only_a, only_b = unshared(a, b), unshared(b, a)
    common = [k for k in a.named if k not in only_a and k not in skip]
    if len(common) < CompareConfig().names_in_common:
        return []
    out = []
    for kind, of_kind in (("place", lambda k: k.startswith("=")), ("person", book.person)):
        xa = {k: v for k, v in only_a.items() if of_kind(k)}
        xb = {k: v for k, v in only_b.items() if of_kind(k)}
        if len(xa) != 1 or len(xb) != 1:
            continue
        (ka, (sa, pa)), (kb, (sb, pb)) = next(iter(xa.items())), next(iter(xb.items()))
        if kind == "place" and not place_kinds().get(ka[1:]) == place_kinds().get(kb[1:]) == "city":
            continue  # countries are named in passing too freely; a capital for its country is a way of speaking
        if kind == "person" and not book.offices_of(ka) & book.offices_of(kb):
            continue  # one president for another, not a president for a footballer
        out.append(Finding("name", kind, {a.doc: sa, b.doc: sb}, {a.doc: (pa,), b.doc: (pb,)}, {a.doc: sa, b.doc: sb}))
    return out

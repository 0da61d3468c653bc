"""Dates of two members that cannot be the same day, month or year."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from reader.compare.members import YEAR_GAP, Finding, Member, span
from reader.facts import Fact, interval
from reader.model import Sentence


def widened(f: Fact) -> tuple[dt.date, dt.date]:
    """A date's interval; "today"/"yesterday"/"tomorrow" get a day either side, since they are read
    against a publication date that may be a day off the writing (late edition, time zones)."""
    lo, hi = interval(f)
    if f.extra.get("relative") and f.extra.get("granularity") == "day":
        return lo - dt.timedelta(days=1), hi + dt.timedelta(days=1)
    return lo, hi


def date_overlap(f: Fact, g: Fact) -> bool:
    """Is ``f`` accounted for by ``g``? Intervals overlap (``f`` widened when relative: a vague date
    is covered by a precise one nearby, but does not itself cover a precise one), and they are not
    dates of different events."""
    ea, eb = f.extra.get("event"), g.extra.get("event")
    if ea and eb and ea != eb:
        return False
    if same_weekday(f, g) or same_but_year(f, g):
        return True
    (la, ha), (lb, hb) = widened(f), interval(g)
    return la <= hb and lb <= ha


def same_but_year(f: Fact, g: Fact) -> bool:
    """A day or month written without its year ("in November", «25 ноября») was read as the nearest
    one to publication, a guess: it agrees with the same day or month a year either side
    ("November 2023" in another report of a September 2024 story)."""
    if not (f.extra.get("year_guessed") or g.extra.get("year_guessed")):
        return False
    (la, _), (lb, _) = interval(f), interval(g)
    if f.extra.get("granularity") != g.extra.get("granularity") or abs(la.year - lb.year) > 1:
        return False
    return (la.month, la.day if f.extra.get("granularity") == "day" else 1) == \
        (lb.month, lb.day if g.extra.get("granularity") == "day" else 1)


def same_weekday(f: Fact, g: Fact) -> bool:
    """A weekday alone ("on Tuesday", «во вторник») names a day of the week, not which week: it agrees
    with any date of that weekday within a week of the day it was read as ("Tuesday" read as 2 July
    in a report of 3 July agrees with "Tuesday 9 July" elsewhere: the match was still to come)."""
    if not (f.extra.get("weekday") or g.extra.get("weekday")):
        return False
    if f.extra.get("granularity") != "day" or g.extra.get("granularity") != "day":
        return False
    (da, _), (db, _) = interval(f), interval(g)
    return da.weekday() == db.weekday() and abs((da - db).days) <= 7


def weekday_comparable(f: Fact, g: Fact, published: tuple[str | None, str | None]) -> bool:
    """A weekday ("on Wednesday", «в среду») is read as a day of the week around publication, so it
    is compared with an explicit date only when they are within a week of each other ("Tuesday"
    against 3 May in a June report dates two different things). Two weekdays are compared unless
    each is its own report's day of publication: then each report says when it saw a running
    story (a toll "on Tuesday" in Tuesday's report, "on Wednesday" in Wednesday's), not when one
    thing happened."""
    wf, wg = bool(f.extra.get("weekday")), bool(g.extra.get("weekday"))
    if wf and wg:
        return not (interval(f)[0].isoformat() == published[0] and interval(g)[0].isoformat() == published[1])
    if not (wf or wg):
        return True
    (la, _), (lb, _) = interval(f), interval(g)
    return abs((la - lb).days) <= 7


def years_comparable(f: Fact, g: Fact, published: tuple[str | None, str | None]) -> bool:
    """Two years date two different things when they are more than ``CompareConfig.year_gap`` apart
    ("the first title since 1966" and "lost the final three years ago": an outlet misdates by a year
    or two, not by decades), or when one is past and the other future for the outlets writing them
    (a final lost in 2021, the next chance in 2026)."""
    if f.extra.get("granularity") != "year" or g.extra.get("granularity") != "year":
        return True
    x, y = interval(f)[0].year, interval(g)[0].year
    if abs(x - y) > YEAR_GAP:
        return False
    pa, pb = (int(p[:4]) if p and p[:4].isdigit() else None for p in published)
    if pa is None or pb is None:
        return True
    return not ((x < pa and y > pb) or (x > pa and y < pb))


def dates(a: Member, b: Member) -> list[Finding]:
    fa = [(f, s) for f, s in a.of("date")]
    fb = [(f, s) for f, s in b.of("date")]
    ta, tb = a.t_of("date"), b.t_of("date")

    def unmatched(xs: list[tuple[Fact, Sentence]], ys: list[tuple[Fact, Sentence]], ts: list[Fact]):
        # guesses (approx) neither conflict nor vouch for another date
        return [(f, s) for f, s in xs if not f.extra.get("approx")
                and not any(date_overlap(f, g) for g, _ in ys if not g.extra.get("approx"))
                and not any(date_overlap(f, g) for g in ts if not g.extra.get("approx"))]

    ua, ub = unmatched(fa, fb, tb), unmatched(fb, fa, ta)
    if not ua or not ub:
        return []
    grans = ("day", "week", "month", "year")
    # a member left with two unaccounted dates of one granularity (arrival and talks, "since
    # 1966 … in 2021") does not say which is which: only a member's one such date is compared,
    # and only with the other member's one date of the same granularity
    def single(xs: list[tuple[Fact, Sentence]]) -> set[str]:
        counts = Counter(g for g, _ in {(f.extra.get("granularity"), f.value) for f, _ in xs})  # distinct dates
        return {g for g, n in counts.items() if n == 1}

    alone_a, alone_b = single(ua), single(ub)
    ua = [(f, s) for f, s in ua if f.extra.get("granularity") in alone_a]
    ub = [(f, s) for f, s in ub if f.extra.get("granularity") in alone_b]

    def score(p: tuple[Fact, Sentence], q: tuple[Fact, Sentence]) -> tuple[int, int, int]:
        f, g = p[0], q[0]
        (la, _), (lb, _) = interval(f), interval(g)
        gd = abs(grans.index(f.extra["granularity"]) - grans.index(g.extra["granularity"]))
        relative = int(bool(f.extra.get("relative"))) + int(bool(g.extra.get("relative")))
        return gd, relative, abs((la - lb).days)

    out = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    # globally closest pairs first: same granularity, explicit before relative, fewest days apart
    for _, i, j in sorted((score(p, q), i, j) for i, p in enumerate(ua) for j, q in enumerate(ub)):
        if i in used_a or j in used_b:
            continue
        ea, eb = ua[i][0].extra.get("event"), ub[j][0].extra.get("event")
        if ea and eb and ea != eb:  # dates of different events (talks on the 26th, a summit on the 27th)
            continue
        if ua[i][0].extra.get("granularity") != ub[j][0].extra.get("granularity"):
            continue
        if not weekday_comparable(ua[i][0], ub[j][0], (a.published, b.published)):
            continue
        if not years_comparable(ua[i][0], ub[j][0], (a.published, b.published)):
            continue
        used_a.add(i)
        used_b.add(j)
        f, s = ua[i]
        g, t = ub[j]
        out.append(Finding("date", "date", {a.doc: f.value, b.doc: g.value},
                            {a.doc: (span(f, s),), b.doc: (span(g, t),)}, {a.doc: f.surface, b.doc: g.surface}))
    return out

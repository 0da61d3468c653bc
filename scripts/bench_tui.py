"""Benchmark the terminal reader: first paint, and key press to repaint between claims, in both views.

    .venv/bin/python scripts/bench_tui.py [--presses 100] [--articles 100]

Reports: the saved sample (3 articles), and two synthetic reports of N articles built
from it without any model (copies of the sample's articles with new ids and varied
English): "copies", where each copy keeps its own claims (many claims of 2-3 outlets),
and "one story", where each claim joins its members in every copy (9 claims carried
by up to N outlets, the shape of thirty outlets reporting one event).

For each report, view (columns, claims) and terminal size it prints the time to first
paint (app start to the first frame with the cursor placed or a claim selected) and the
median/p95 time from pressing ``n`` (next claim) to the last frame it caused. As a
baseline in the same process it also times a key bound to nothing, the Pilot's own
cost for a press and a repaint; the ratio is the app's share.
Goals on N = 100: first paint < 1 s; claim-to-claim p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.model import Claim, Document, Member, Report
from reader.report import from_json

FIXTURE = ROOT / "tests" / "fixtures" / "sample_report.json"


def synthetic(base: Report, articles: int) -> Report:
    """``articles`` documents: copies of the sample's with new ids, varied text, and their claims."""
    docs: list[Document] = []
    claims: list[Claim] = []
    copies = -(-articles // len(base.documents))
    for k in range(copies):
        rename: dict[str, str] = {}
        for d in base.documents:
            if len(docs) >= articles:
                break
            lang = d.article.lang
            new_id = f"{lang}-{k + 1}"
            rename[d.id] = new_id
            sentences = tuple(
                replace(s, id=f"{new_id}:{s.index}", document=new_id,
                        translation=(f"[{k}] {s.translation}" if s.translation else None))
                for s in d.sentences
            )
            article = replace(d.article, id=new_id, outlet=f"{d.article.outlet} #{k + 1}")
            docs.append(Document(article, sentences))
        for c in base.claims:
            members = tuple(
                Member(rename[m.document], tuple(f"{rename[m.document]}:{s.rpartition(':')[2]}" for s in m.sentences))
                for m in c.members if m.document in rename
            )
            if len(members) >= 2:
                flags = tuple(replace(d, values={rename[doc]: v for doc, v in d.values.items() if doc in rename},
                                      spans={}) for d in c.discrepancies)
                claims.append(Claim(f"{c.id}-{k + 1}", c.score, members, flags))
    claimed = {s for c in claims for s in c.sentence_ids()}
    unmatched = tuple(s.id for d in docs for s in d.sentences if s.id not in claimed)
    return Report(tuple(docs), tuple(claims), unmatched)


def one_story(base: Report, articles: int) -> Report:
    """:func:`synthetic`'s articles with each claim joined across every copy: one claim per claim
    of the sample, carried by up to ``articles`` outlets, its flags' values and spans merged."""
    copies = synthetic(base, articles)
    by_claim: dict[str, list[Claim]] = {}
    for c in copies.claims:
        by_claim.setdefault(c.id.rpartition("-")[0], []).append(c)
    claims = []
    for cid, parts in by_claim.items():
        members = tuple(m for c in parts for m in c.members)
        flags = []
        for i, d in enumerate(parts[0].discrepancies):
            values = {k: v for c in parts for k, v in c.discrepancies[i].values.items()}
            spans = {k: v for c in parts for k, v in c.discrepancies[i].spans.items()}
            flags.append(replace(d, values=values, spans=spans))
        claims.append(Claim(cid, parts[0].score, members, tuple(flags)))
    return Report(copies.documents, tuple(claims), copies.unmatched)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def measure(report: Report, presses: int, size: tuple[int, int], view: str) -> dict[str, float]:
    from reader.tui import create_app

    app = create_app(report=report, view=view)
    t0 = time.perf_counter()
    async with app.run_test(size=size) as pilot:
        while not app.report_shown:
            await pilot.pause()
        await pilot.pause()  # the paint after the cursor landed
        first_paint = time.perf_counter() - t0

        painted: list[float] = []
        display = app._display

        def spy(screen, renderable) -> None:  # the moment a frame goes to the (headless) terminal
            display(screen, renderable)
            if renderable is not None:
                painted.append(time.perf_counter())

        app._display = spy  # type: ignore[method-assign]

        async def timed(key: str) -> tuple[list[float], list[float]]:
            to_paint, round_trip = [], []
            for _ in range(presses):
                before = len(painted)
                t = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                round_trip.append(time.perf_counter() - t)
                if len(painted) > before:
                    to_paint.append(painted[-1] - t)
            return to_paint, round_trip

        _, baseline = await timed("z")  # bound to nothing: the Pilot's own round trip
        before = app.selected_claim if view == "claims" else app.current_claim
        to_paint, claim = await timed("n")
        after = app.selected_claim if view == "claims" else app.current_claim
        widgets = len(app.query("ArticleColumn"))
    assert to_paint and (before is not after or presses % len(report.claims) == 0), "no move measured"
    return {
        "first_paint": first_paint,
        "paint_median": statistics.median(to_paint),
        "paint_p95": pct(to_paint, 0.95),
        "median": statistics.median(claim),
        "base_median": statistics.median(baseline),
        "columns": widgets,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--articles", type=int, default=100)
    args = parser.parse_args()
    sample = from_json(FIXTURE.read_text(encoding="utf-8"))
    copies, story = synthetic(sample, args.articles), one_story(sample, args.articles)
    rows = [
        (f"sample ({len(sample.documents)} art., {len(sample.claims)} claims)", sample),
        (f"copies ({len(copies.documents)} art., {len(copies.claims)} claims)", copies),
        (f"one story ({len(story.documents)} art., {len(story.claims)} claims)", story),
    ]
    print("first paint: app start to the first frame with the cursor placed (claims: a claim selected)")
    print("n -> paint: key press ('n', next claim) to the last frame it caused (median / p95)")
    print("round trip: Pilot press + pause for 'n', against a key bound to nothing (ratio = app's share)")
    print("widgets: article column widgets mounted at the end")
    print(f"{'report':<34} {'view':<8} {'size':>7} {'first paint':>12} {'n->paint med':>13} {'p95':>8}"
          f" {'round trip':>11} {'no-op':>8} {'ratio':>6} {'widgets':>8}")
    worst_paint = worst_p95 = 0.0
    for name, report in rows:
        for view in ("columns", "claims"):
            for size in ((80, 24), (200, 50)):
                r = asyncio.run(measure(report, args.presses, size, view))
                print(f"{name:<34} {view:<8} {size[0]}x{size[1]:<4} {r['first_paint'] * 1000:>9.0f} ms"
                      f" {r['paint_median'] * 1000:>10.1f} ms {r['paint_p95'] * 1000:>5.1f} ms"
                      f" {r['median'] * 1000:>8.1f} ms {r['base_median'] * 1000:>5.1f} ms"
                      f" {r['median'] / r['base_median']:>6.2f} {r['columns']:>8}", flush=True)
                if len(report.documents) >= args.articles:
                    worst_paint = max(worst_paint, r["first_paint"])
                    worst_p95 = max(worst_p95, r["paint_p95"])
    print(f"\n{args.articles} articles, worst of both views and sizes: first paint {worst_paint * 1000:.0f} ms"
          f" (goal < 1000 ms), claim-to-claim p95 {worst_p95 * 1000:.1f} ms (goal < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the terminal reader: first paint, and key press to repaint between claims.

    .venv/bin/python scripts/bench_tui.py [--presses 200] [--articles 100]

Prints time to first paint for the saved sample report and for a synthetic
report of N articles (copies of the sample with varied ids and text), and the
median/p95 time from pressing ``n`` (next claim) to the repaint being done, on
both. As a baseline in the same process it also times a key bound to nothing,
the Pilot's own cost for a press and a repaint; the ratio is the app's share.
Goals: first paint of the sample < 1 s; claim-to-claim < 50 ms on 100 articles.
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

from reader.model import Claim, Document, Member, Report  # noqa: E402
from reader.report import from_json  # noqa: E402

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
                claims.append(Claim(f"{c.id}-{k + 1}", c.score, members, c.discrepancies))
    claimed = {s for c in claims for s in c.sentence_ids()}
    unmatched = tuple(s.id for d in docs for s in d.sentences if s.id not in claimed)
    return Report(tuple(docs), tuple(claims), unmatched)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def measure(report: Report, presses: int, size: tuple[int, int]) -> dict[str, float]:
    from reader.tui import create_app

    app = create_app(report=report)
    t0 = time.perf_counter()
    async with app.run_test(size=size) as pilot:
        while app.cursor_id is None:
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
        to_paint, claim = await timed("n")
        moved = app.cursor_id
    assert moved is not None and to_paint, "no repaint measured"
    return {
        "first_paint": first_paint,
        "paint_median": statistics.median(to_paint),
        "paint_p95": pct(to_paint, 0.95),
        "median": statistics.median(claim),
        "base_median": statistics.median(baseline),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presses", type=int, default=200)
    parser.add_argument("--articles", type=int, default=100)
    args = parser.parse_args()
    sample = from_json(FIXTURE.read_text(encoding="utf-8"))
    big = synthetic(sample, args.articles)
    rows = [
        (f"sample ({len(sample.documents)} articles, {len(sample.claims)} claims)", sample),
        (f"synthetic ({len(big.documents)} articles, {len(big.claims)} claims)", big),
    ]
    print("first paint: app start to the first frame with the cursor placed")
    print("n -> paint: key press ('n', next claim) to the last frame it caused (median / p95)")
    print("round trip: Pilot press + pause for 'n', against a key bound to nothing (ratio = app's share)")
    print(f"{'report':<38} {'size':>7} {'first paint':>12} {'n->paint med':>13} {'p95':>8} {'round trip':>11} {'no-op':>8} {'ratio':>6}")
    for name, report in rows:
        for size in ((80, 24), (200, 50)):
            r = asyncio.run(measure(report, args.presses, size))
            print(f"{name:<38} {size[0]}x{size[1]:<4} {r['first_paint'] * 1000:>9.0f} ms {r['paint_median'] * 1000:>10.1f} ms"
                  f" {r['paint_p95'] * 1000:>5.1f} ms {r['median'] * 1000:>8.1f} ms {r['base_median'] * 1000:>5.1f} ms"
                  f" {r['median'] / r['base_median']:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""SVG snapshots of the reader on the fixed sample report (pytest-textual-snapshot).

Update after an intended change: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

from claim_fixture import claim_report

from reader.report import from_json
from reader.tui import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "sample_report.json"
RU_SCHOOLS = "ru-1:16"


def _app():
    return create_app(report=from_json(FIXTURE.read_text(encoding="utf-8")))


async def _wait(pilot) -> None:
    for _ in range(50):
        await pilot.pause()
        if pilot.app.cursor_id is not None:
            return


def test_opening_view_80x24(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_wait)


def test_schools_claim_followed_120x36(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _wait(pilot)
        pilot.app.set_cursor(RU_SCHOOLS)
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(120, 36), run_before=run_before)


def test_wide_discrepancy_filter_200x50(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _wait(pilot)
        await pilot.press("f", "d")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(200, 50), run_before=run_before)


def test_help_screen(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _wait(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 30), run_before=run_before)


# ------------------------------------------------------------------ the claim view (six articles)
async def _claims_shown(pilot) -> None:
    for _ in range(50):
        await pilot.pause()
        if pilot.app.report_shown:
            return


def test_claim_view_80x24(snap_compare) -> None:
    """The widest claim first: the schools, five outlets, the numbers marked, Arabic flush right."""
    assert snap_compare(create_app(report=claim_report()), terminal_size=(80, 24), run_before=_claims_shown)


def test_claim_view_one_outlet_picked_200x50(snap_compare) -> None:
    """The arrival claim beside the list: the dates marked in Hindi, Arabic and Russian, one outlet picked."""
    async def run_before(pilot) -> None:
        await _claims_shown(pilot)
        await pilot.press("j", "l", "space", "j", "j")
        await pilot.pause()

    assert snap_compare(create_app(report=claim_report()), terminal_size=(200, 50), run_before=run_before)

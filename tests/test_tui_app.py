"""The app driven by the Pilot: keys in, state out. No real pipeline: builders are injected."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pilot import pause_until
from reader.errors import ModelMissing
from reader.model import Report
from reader.progress import Progress
from reader.report import from_json
from reader.tui import create_app
from reader.tui.app import ReaderApp
from reader.tui.rows import Filter, Mode
from reader.tui.screens.error import ErrorDialog
from reader.tui.screens.help import HelpScreen
from reader.tui.widgets.progress import ProgressView

FIXTURE = Path(__file__).parent / "fixtures" / "sample_report.json"

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def report() -> Report:
    return from_json(FIXTURE.read_text(encoding="utf-8"))


def sid(report: Report, doc: str, begins: str) -> str:
    return next(s.id for s in report.document(doc).sentences if s.text.startswith(begins))


async def settle(pilot, app: ReaderApp) -> None:
    await pause_until(pilot, lambda: app.cursor_id is not None, "the report showing")


async def test_opens_a_saved_report_with_one_column_per_article() -> None:
    app = create_app(report_path=FIXTURE)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert [b.doc.id for b in app.boxes] == ["hi-1", "ar-1", "ru-1"]
        assert app.cursor_id == "hi-1:0" and app.active_column == 0
        header = " ".join(app.boxes[2].header_lines())
        assert "ru-1" in header and "ru" in header and "2025-11-26" in header


async def test_russian_schools_sentence_highlights_the_arabic_one(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        ru = sid(report, "ru-1", "С 1 сентября 2027")
        ar = sid(report, "ar-1", "ومن المقرر افتتاح")
        app.set_cursor(ru)
        await pilot.pause()
        assert ar in app.lit
        ar_column = app.boxes[1].column
        assert ar in ar_column.lit and ar_column.cursor is None
        assert app.boxes[2].column.cursor == ru
        # the Arabic member was scrolled into view
        rows_on_screen = ar_column.scrollable_content_region.height - ar_column.HEADER
        for member in app.current_claim.members[0].sentences:  # both Arabic sentences of the claim begin on screen
            start, _ = ar_column.span_of(member)
            assert ar_column.scroll_y <= start < ar_column.scroll_y + rows_on_screen
        assert app.panel.claim is app.current_claim
        assert "number" in app.panel.text(70).plain


async def test_keys_move_between_sentences_columns_and_claims(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "j")
        assert app.cursor_id == "hi-1:2"
        await pilot.press("k")
        assert app.cursor_id == "hi-1:1"
        await pilot.press("l")
        assert app.active_column == 1 and app.cursor_id.startswith("ar-1:")
        await pilot.press("right")
        assert app.active_column == 2
        await pilot.press("n")
        first = app.current_claim
        assert first is not None and app.cursor_id in first.sentence_ids()
        await pilot.press("n")
        second = app.current_claim
        assert second is not None and second.id != first.id
        await pilot.press("p")
        assert app.current_claim.id == first.id
        await pilot.press("d")
        assert app.current_claim.discrepancies
        before = app.current_claim.id
        await pilot.press("d")
        assert app.current_claim.discrepancies and app.current_claim.id != before
        # the members of the claim are lit in every column holding one
        for m in app.current_claim.members:
            col = app.boxes[app.index.doc_pos[m.document]].column
            assert set(m.sentences) <= col.lit


async def test_left_moves_to_the_member_of_the_same_claim(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot, app)
        ru = sid(report, "ru-1", "25 ноября Путин")
        app.set_cursor(ru)
        await pilot.press("h")
        assert app.cursor_id == sid(report, "ar-1", "ووصل بوتين صباح")
        await pilot.press("h")
        assert app.cursor_id == sid(report, "hi-1", "राष्ट्रपति पुतिन ने 25")


async def test_toggle_text_and_filters(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        col = app.boxes[0].column
        both_rows = col.row_count()
        await pilot.press("t")
        assert app.view_mode is Mode.ORIGINAL and col.mode is Mode.ORIGINAL
        assert col.row_count() < both_rows
        await pilot.press("t")
        assert app.view_mode is Mode.ENGLISH
        await pilot.press("t")
        assert app.view_mode is Mode.BOTH
        await pilot.press("f")
        assert app.view_filter is Filter.DISCREPANCIES
        for box in app.boxes:
            assert all(app.index.claim_of[s].discrepancies for s in box.column.visible_ids)
        assert app.current_claim is not None and app.current_claim.discrepancies
        await pilot.press("f")
        assert app.view_filter is Filter.UNIQUE
        for box in app.boxes:
            assert all(s in app.index.unique for s in box.column.visible_ids)
        assert app.cursor_id in app.index.unique
        await pilot.press("f")
        assert app.view_filter is Filter.ALL
        assert app.boxes[2].column.visible_ids == [s.id for s in report.document("ru-1").sentences]


async def test_search_jumps_through_matches(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("slash")
        assert app.focused is app.query_one("#search")
        await pilot.press(*"first three schools", "enter")
        assert app.focused is None
        assert len(app.matches) == 2
        assert app.cursor_id == app.matches[0] == sid(report, "ar-1", "ومن المقرر")
        await pilot.press("m")
        assert app.cursor_id == sid(report, "ru-1", "С 1 сентября 2027")
        await pilot.press("m")
        assert app.cursor_id == app.matches[0]
        await pilot.press("M")
        assert app.cursor_id == app.matches[1]
        await pilot.press("escape")
        assert app.matches == []
        # typing letters in the search box does not trigger their keys
        await pilot.press("slash", "n", "q", "escape")
        assert app.is_running and app.cursor_id == sid(report, "ru-1", "С 1 сентября 2027")


async def test_help_lists_every_binding(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        descriptions = {d for _, d in app.screen.rows}
        for binding in ReaderApp.BINDINGS:
            assert (binding.tooltip or binding.description) in descriptions
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("q")
    assert not app.is_running


async def test_click_selects_a_sentence(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        col = app.boxes[2].column
        col.ensure_visible("ru-1:3")
        await pilot.pause()
        start, _ = col.span_of("ru-1:3")
        y = start - round(col.scroll_y) + col.HEADER
        assert col.HEADER <= y < col.scrollable_content_region.height
        await pilot.click(col, offset=(5, y))
        assert app.cursor_id == "ru-1:3" and app.active_column == 2
        assert sid(report, "ar-1", "وقال بوتين") in app.lit


async def test_builder_error_opens_a_dialog_not_a_traceback() -> None:
    def broken(paths, settings, progress=None, cancel=None, on_error=None):
        raise ModelMissing("the e5-small embedding model is not installed", "run: reader setup")

    app = create_app(paths=[Path("a.txt")], builder=broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pause_until(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
        assert isinstance(app.screen, ErrorDialog)
        assert "e5-small" in app.screen.message and app.screen.hint == "run: reader setup"
        await pilot.press("enter")
        assert not isinstance(app.screen, ErrorDialog)
        assert app.is_running


async def test_unexpected_exception_in_a_stage_is_shown() -> None:
    def buggy(paths, settings, progress=None, cancel=None, on_error=None):
        raise ZeroDivisionError("boom")

    app = create_app(paths=[Path("a.txt")], builder=buggy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pause_until(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
        assert isinstance(app.screen, ErrorDialog)
        assert "ZeroDivisionError" in app.screen.message


async def test_bad_saved_report_opens_a_dialog(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    app = create_app(report_path=bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        assert "bad.json" in app.screen.message


async def test_progress_then_cancel_with_escape() -> None:
    started = threading.Event()
    seen_cancel = threading.Event()

    def slow(paths, settings, progress=None, cancel=None, on_error=None):
        progress(Progress("reading", 2, 2))
        progress(Progress("translating", 1, 10, "ru → en"))
        started.set()
        if cancel.wait(10):
            seen_cancel.set()
            from reader.progress import check_cancel

            check_cancel(cancel)
        raise AssertionError("never cancelled")

    app = create_app(paths=[Path("a.txt"), Path("b.txt")], builder=slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await pause_until(
            pilot,
            lambda: started.is_set() and bool(app.query(ProgressView)) and app.query_one(ProgressView).current == "translating",
            "the translating stage showing",
        )
        view = app.query_one(ProgressView)
        assert view.current == "translating" and view.seen["reading"].done == 2
        text = view.render()
        assert "translating" in str(text) and "1/10" in str(text)
        await pilot.press("escape")
        await pause_until(pilot, lambda: not app.building, "the build stopping")
        assert seen_cancel.is_set() and not app.building
        assert not isinstance(app.screen, ErrorDialog)
        assert app.is_running


async def test_build_success_shows_the_report(report: Report) -> None:
    calls = []

    def fake(paths, settings, progress=None, cancel=None, on_error=None):
        calls.append(list(paths))
        for stage in ("reading", "translating", "embedding", "aligning"):
            progress(Progress(stage, 1, 1))
        return report

    app = create_app(paths=[Path("x.txt")], builder=fake)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert calls == [[Path("x.txt")]]
        assert len(app.boxes) == 3 and not app.query(ProgressView)


async def test_a_sentence_in_two_claims_shows_each_claim_and_n_visits_every_claim_once(report: Report) -> None:
    import dataclasses

    from reader.model import Claim, Member

    ar = sid(report, "ar-1", "ووصل بوتين صباح")  # already in the arrival claim
    ru = sid(report, "ru-1", "Переговоры президентов")
    assert report.claim_of().get(ar) is not None and report.claim_of().get(ru) is None
    talks = Claim("c-talks", 0.3, (Member("ar-1", (ar,)), Member("ru-1", (ru,))))
    report = dataclasses.replace(report, claims=report.claims + (talks,))
    app = create_app(report=report)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot, app)
        seen = []
        for _ in report.claims:
            await pilot.press("n")
            seen.append(app.current_claim.id)
            assert app.cursor_id in app.current_claim.sentence_ids()
            assert set(app.current_claim.sentence_ids()) == set(app.lit)
        assert sorted(seen) == sorted(c.id for c in report.claims)  # none skipped, none twice
        first = report.claim_of()[ar]
        app.set_cursor(ru)
        app.set_cursor(ar)  # the claim in focus stays while it holds the sentence
        assert app.current_claim.id == "c-talks" and ru in app.lit
        other = next(s for s in first.sentence_ids() if s != ar)
        app.set_cursor(other)
        app.set_cursor(ar)
        assert app.current_claim.id == first.id and ru not in app.lit
        app.set_cursor(ar, claim=talks)
        assert app.current_claim.id == "c-talks"

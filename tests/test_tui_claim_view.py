"""The claim view driven by the Pilot, and the virtual columns: keys and clicks in, widget state out."""

from __future__ import annotations

import pytest
from claim_fixture import ARRIVAL, SCHOOLS, claim_report, many_articles

from pilot import pause_until
from reader.model import (
    Article,
    Claim,
    Discrepancy,
    Document,
    Member,
    Report,
    Sentence,
    Span,
)
from reader.tui import create_app
from reader.tui.app import ReaderApp
from reader.tui.claims import ANY_FLAG, View
from reader.tui.rows import Mode, term_len, visual
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.outlet_picker import OutletPicker
from reader.tui.widgets.claim_list import ClaimList
from reader.tui.widgets.column import ArticleColumn
from reader.tui.widgets.outlet_cards import OutletCards
from reader.tui.widgets.scrolling import THUMB

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def report() -> Report:
    return claim_report()


async def shown_up(pilot, app: ReaderApp) -> None:
    await pause_until(pilot, lambda: app.report_shown, "the report showing")


def cards(app: ReaderApp) -> OutletCards:
    assert app.claim_view is not None
    return app.claim_view.cards


def notices(app: ReaderApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_six_articles_open_on_the_claim_view_without_any_column(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(100, 30)) as pilot:
        await shown_up(pilot, app)
        assert app.view is View.CLAIMS and app.boxes == [] and not app.query(ArticleColumn)
        assert isinstance(app.focused, ClaimList)
        entries = app.claim_view.shown
        assert len(entries) == len(report.claims) and entries[0].claim.id == SCHOOLS
        assert app.selected_claim.id == SCHOOLS
        assert "6 articles · 9 claims" in app.query_one("#status").text.plain


async def test_selecting_a_claim_shows_every_outlets_wording_with_the_values_marked(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(100, 40)) as pilot:
        await shown_up(pilot, app)
        await pilot.press("j")  # the next claim of the list
        claim = app.selected_claim
        assert claim.id == ARRIVAL
        shown = cards(app).cards
        assert [c.doc.id for c in shown] == list(claim.documents())
        for card, member in zip(shown, claim.members):
            assert card.original == " ".join(report.sentence(s).text for s in member.sentences)
        wire = next(c for c in shown if c.doc.id == "wire-en")
        assert [wire.original[a:b] for a, b in wire.marks] == ["25 November"]
        # each card's wording is on the card's lines, English under it where there is some
        lines = cards(app).lines
        for i, card in enumerate(shown):
            said = " ".join(line.text for line in lines if line.card == i and line.kind == "original")
            assert said == " ".join(card.original.split())
            english = [line for line in lines if line.card == i and line.kind == "english"]
            assert bool(english) == (card.english is not None and card.doc.article.lang != "en")
        assert not any("(no translation)" in line.text for line in lines)
        await pilot.press("k")
        assert app.selected_claim.id == SCHOOLS
        notes = [line.text for line in cards(app).lines if line.kind == "note"]
        assert notes == ["No English for fa: no translation installed for it."]  # said once, not per outlet
        await pilot.press("t")  # originals only
        assert cards(app).mode is Mode.ORIGINAL and not any(line.kind == "english" for line in cards(app).lines)
        await pilot.press("t")  # English, and the original where there is none
        kinds = {(line.card, line.kind) for line in cards(app).lines if line.card >= 0}
        tehran = next(i for i, c in enumerate(cards(app).cards) if c.doc.id == "tehran-daily")
        assert (0, "english") in kinds and (0, "original") not in kinds and (tehran, "original") in kinds


async def test_arabic_reads_right_to_left_and_hindi_stays_in_its_width_on_the_cards(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(90, 40)) as pilot:
        await shown_up(pilot, app)
        await pilot.press("j")  # the arrival claim: Hindi, Arabic, Russian, English
        widget = cards(app)
        width = widget.scrollable_content_region.width
        height = widget.scrollable_content_region.height
        rtl_lines = 0
        for y in range(height):
            line = widget.lines[y] if y < len(widget.lines) else None
            strip = widget.render_line(y)
            assert strip.cell_length == width
            if line is None or line.kind != "original":
                continue
            if line.rtl:  # flush right (but for a margin cell and the scroll thumb's), in visual order
                text = strip.crop(0, width - THUMB).text
                body = text.rstrip()
                assert len(text) - len(body) <= 1 and body.startswith("    ")
                assert body.strip() == visual(line.text, "R").strip()
                rtl_lines += 1
            if widget.cards[line.card].doc.article.lang == "hi":
                assert term_len(line.text) <= width - 1 - 4
        assert rtl_lines >= 2


async def test_pick_two_outlets_and_read_them_side_by_side_keyboard_only(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(120, 36)) as pilot:
        await shown_up(pilot, app)
        claim = app.selected_claim
        await pilot.press("l")  # to the outlets
        assert isinstance(app.focused, OutletCards)
        await pilot.press("space", "j", "space")
        assert app.claim_view.picks == ["ar-1", "ru-1"]
        await pilot.press("enter")
        await pause_until(pilot, lambda: app.cursor_id is not None, "the columns showing")
        assert app.view is View.COLUMNS and app.index.narrowed
        assert [b.doc.id for b in app.boxes] == ["ar-1", "ru-1"] and len(app.query(ArticleColumn)) == 2
        assert app.current_claim.id == claim.id and app.cursor_id == "ar-1:9"
        assert app.lit == {"ar-1:9", "ar-1:10", "ru-1:16"}
        assert app.boxes[1].column.lit == app.lit and isinstance(app.boxes[1].column, ArticleColumn)
        assert "comparing 2 of 6 articles" in app.query_one("#status").text.plain
        await pilot.press("n")  # the next claim the two share
        assert app.current_claim.id != claim.id
        await pilot.press("v")  # back to the claims: the claim in focus is selected there
        assert app.view is View.CLAIMS and app.selected_claim.id == app.current_claim.id
        assert isinstance(app.focused, ClaimList)
        await pilot.press("k", "v")  # another claim, then the same two outlets again, on it
        await pause_until(pilot, lambda: app.view is View.COLUMNS, "the columns again")
        assert [b.doc.id for b in app.boxes] == ["ar-1", "ru-1"]
        assert app.current_claim.id == app.selected_claim.id


async def test_two_to_four_outlets_are_compared(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(120, 36)) as pilot:
        await shown_up(pilot, app)
        await pilot.press("l", "space", "enter")
        assert app.view is View.CLAIMS and any("pick 2 to 4 outlets" in m for m in notices(app))
        await pilot.press("j", "space", "j", "space", "j", "space", "j", "space")
        assert len(app.claim_view.picks) == 4
        assert any("at most 4 outlets" in m for m in notices(app))
        await pilot.press("k", "space")  # unpick the fourth
        assert app.claim_view.picks == ["ar-1", "ru-1", "wire-en"]
        await pilot.press("v")  # v compares the picks too
        await pause_until(pilot, lambda: app.view is View.COLUMNS and app.cursor_id is not None, "the columns")
        assert [b.doc.id for b in app.boxes] == app.claim_view.picks


async def test_filters_by_language_flag_outlet_and_words(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(120, 36)) as pilot:
        await shown_up(pilot, app)
        view = app.claim_view
        await pilot.press("L")  # the first language: ar
        assert view.filter.lang == "ar" and all("ar" in e.langs for e in view.shown)
        assert all(c.doc.article.lang == "ar" for c in cards(app).cards)
        assert any("in other languages" in line.text for line in cards(app).lines)
        await pilot.press("L", "L")  # ar -> en -> fa
        assert view.filter.lang == "fa" and [e.claim.id for e in view.shown] == [SCHOOLS]
        await pilot.press("x")
        assert view.filter.lang is None and len(view.shown) == len(report.claims)
        await pilot.press("f")
        assert view.filter.flag == ANY_FLAG and all(e.kinds for e in view.shown)
        await pilot.press("f")
        kind = view.filter.flag
        assert kind in ("number", "date") and all(kind in e.kinds for e in view.shown)
        await pilot.press("x", "o")
        assert isinstance(app.screen, OutletPicker)
        await pilot.press(*"tehran", "enter")
        assert not isinstance(app.screen, OutletPicker)
        assert view.filter.outlet == "tehran-daily" and [e.claim.id for e in view.shown] == [SCHOOLS]
        await pilot.press("o", "escape")  # Escape leaves the filter as it was
        assert view.filter.outlet == "tehran-daily"
        await pilot.press("x", "slash", *"Bishkek", "enter")
        assert view.filter.words == "Bishkek"
        said = {c.id for c in report.claims
                for s in c.sentence_ids()
                if "Bishkek" in report.sentence(s).text or "Bishkek" in (report.sentence(s).translation or "")}
        assert {e.claim.id for e in view.shown} == said and isinstance(app.focused, ClaimList)
        await pilot.press("escape")
        assert view.filter.words is None and len(view.shown) == len(report.claims)


async def test_clicks_select_a_claim_and_pick_an_outlet(report: Report) -> None:
    app = create_app(report=report)
    async with app.run_test(size=(120, 36)) as pilot:
        await shown_up(pilot, app)
        claim_list = app.claim_view.list
        await pilot.click(claim_list, offset=(10, claim_list.HEADER + 2))  # the third claim
        assert claim_list.selected == 2 and app.selected_claim.id == app.claim_view.shown[2].claim.id
        widget = cards(app)
        y = next(y for y, line in enumerate(widget.lines) if line.kind == "outlet" and line.card == 1)
        await pilot.click(widget, offset=(6, y))
        assert app.claim_view.picks == [widget.cards[1].doc.id] and widget.cursor == 1


async def test_v_switches_views_and_the_help_lists_the_claim_view_keys() -> None:
    from claim_fixture import FIXTURE

    from reader.report import from_json

    app = create_app(report=from_json(FIXTURE.read_text(encoding="utf-8")))  # 3 articles: columns first
    async with app.run_test(size=(100, 30)) as pilot:
        await shown_up(pilot, app)
        assert app.view is View.COLUMNS
        await pilot.press("d")
        claim = app.current_claim
        await pilot.press("v")
        assert app.view is View.CLAIMS and app.selected_claim.id == claim.id
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        described = {d for _, d in app.screen.rows}
        for binding in (*ClaimList.BINDINGS, *OutletCards.BINDINGS):
            assert binding.tooltip in described
        await pilot.press("escape", "v")
        assert app.view is View.COLUMNS and len(app.boxes) == 3 and app.current_claim.id == claim.id


async def test_a_hundred_articles_mount_only_the_columns_on_screen() -> None:
    report = many_articles(100)
    app = create_app(report=report, view="columns")
    async with app.run_test(size=(200, 50)) as pilot:
        await shown_up(pilot, app)
        assert len(app.boxes) == 100
        widgets = list(app.query(ArticleColumn))
        assert len(widgets) == 4  # (200 - the panel) // 34 columns
        assert [w.doc.id for w in widgets] == [b.doc.id for b in app.boxes[:4]]
        far = report.claims[-1]
        app.set_cursor(far.members[0].sentences[0], claim=far)
        await pilot.pause()
        assert list(app.query(ArticleColumn)) == widgets  # the same widgets, showing other articles
        assert app.strip.on_screen(app.active_column)
        shown = [w.doc.id for w in widgets]
        assert app.boxes[app.active_column].doc.id in shown
        assert all(app.boxes[i].view is not None for i in range(app.strip.first, app.strip.last))
        assert sum(b.view is not None for b in app.boxes) == 4
        await pilot.press("right")  # moving sideways past the edge slides the window
        assert app.strip.on_screen(app.active_column) and len(app.query(ArticleColumn)) == 4


def _hostile_report(hostile: str) -> Report:
    docs, members = [], []
    for k, lang in enumerate(("ru", "ar", "hi", "en", "fa")):
        text = f"{lang} {hostile} 3 schools."
        doc_id = f"{hostile}{k}"
        docs.append(Document(Article(doc_id, f"{hostile}.txt", lang, text, 0, len(text), title=hostile, outlet=hostile),
                             (Sentence(f"{doc_id}:0", doc_id, 0, text, 0, len(text), f"English {hostile}"),)))
        members.append(Member(doc_id, (f"{doc_id}:0",)))
    at = docs[0].sentences[0].text.index("3")
    flag = Discrepancy("number", f"figure {hostile}", {d.id: hostile for d in docs},
                       {docs[0].id: (Span(f"{docs[0].id}:0", at, at + 1),)})
    return Report(tuple(docs), (Claim("c1", 0.9, tuple(members), (flag,)),), ())


async def test_markup_and_escapes_in_articles_show_literally_on_the_cards() -> None:
    hostile = "[bold red]x[/] [@click=app.quit]y \x1b]0;owned\x07"
    app = create_app(report=_hostile_report(hostile))
    async with app.run_test(size=(120, 40)) as pilot:
        await shown_up(pilot, app)
        assert app.view is View.CLAIMS
        texts = [line.text for line in cards(app).lines]
        assert any("[bold red]x[/] [@click=app.quit]y ␛]0;owned␇" in t for t in texts)
        screen = app.export_screenshot()
        assert "\x1b" not in screen and "\x07" not in screen
        await pilot.click(cards(app), offset=(6, 3))
        assert app.is_running


async def test_a_report_without_claims_says_so_in_the_claim_view(report: Report) -> None:
    import dataclasses

    bare = dataclasses.replace(report, claims=(), omissions=())
    app = create_app(report=bare)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown_up(pilot, app)
        assert app.view is View.CLAIMS and app.selected_claim is None
        assert [line.text for line in cards(app).lines] == ["This report has no claims: no two outlets say the same thing."]
        await pilot.press("n", "d", "l", "space", "enter", "L", "f", "x")  # nothing to move to, nothing breaks
        assert app.is_running and app.claim_view.picks == []

"""The pure functions behind the claim view and the virtual columns: entries, filters, cards,
highlights through right-to-left display, the translation note, narrowed indexes, column states."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from claim_fixture import ARRIVAL, SCHOOLS, claim_report

from reader.model import Claim, Discrepancy, Member, Span
from reader.report import from_json
from reader.tui.cards import card_lines
from reader.tui.claims import (
    ANY_FLAG,
    ClaimFilter,
    View,
    claim_entries,
    cycle,
    first_view,
    flag_choices,
    kept,
    language_choices,
    outlet_cards,
    outlet_choices,
    translation_note,
    value_marks,
)
from reader.tui.column_state import ColumnState
from reader.tui.highlight import display_marked, marks_of, runs
from reader.tui.rows import Filter, Mode, ReportIndex, claim_target, visual, wrap
from reader.tui.wrapping import line_text, wrap_offsets

FIXTURE = Path(__file__).parent / "fixtures" / "sample_report.json"


@pytest.fixture(scope="module")
def index() -> ReportIndex:
    return ReportIndex(claim_report())


def _claim(index: ReportIndex, claim_id: str) -> Claim:
    return next(c for c in index.report.claims if c.id == claim_id)


# ------------------------------------------------------------------ the list
def test_entries_count_outlets_flags_and_languages_widest_first(index: ReportIndex) -> None:
    entries = claim_entries(index)
    assert [e.claim.id for e in entries][:2] == [SCHOOLS, ARRIVAL]  # 5 outlets each, report order among equals
    assert [e.outlets for e in entries] == sorted((e.outlets for e in entries), reverse=True)
    schools = entries[0]
    assert schools.outlets == 5 and schools.kinds == ("number",)
    assert schools.langs == ("ar", "en", "fa", "ru")
    assert schools.gist.startswith("Russia will build five")  # the English original says it best
    plain = next(e for e in entries if e.claim.id == "c1")
    assert plain.kinds == () and not plain.gist_rtl and plain.gist.startswith("During his meeting")


def test_filters_keep_by_language_outlet_flag_and_search(index: ReportIndex) -> None:
    entries = claim_entries(index)
    assert {e.claim.id for e in kept(entries, ClaimFilter(lang="fa"))} == {SCHOOLS}
    assert {e.claim.id for e in kept(entries, ClaimFilter(lang="hi"))} == {ARRIVAL, "c9"}
    assert {e.claim.id for e in kept(entries, ClaimFilter(outlet="wire-en"))} == {SCHOOLS, ARRIVAL}
    assert all(e.kinds for e in kept(entries, ClaimFilter(flag=ANY_FLAG)))
    assert {e.claim.id for e in kept(entries, ClaimFilter(flag="number"))} == {SCHOOLS}
    assert {e.claim.id for e in kept(entries, ClaimFilter(lang="ru", flag="date"))} == {ARRIVAL, "c2"}
    found = ClaimFilter().with_search("schools", frozenset({SCHOOLS}))
    assert [e.claim.id for e in kept(entries, found)] == [SCHOOLS] and found.active
    assert not ClaimFilter().active


def test_choices_cycle_and_wrap(index: ReportIndex) -> None:
    langs = language_choices(index)
    assert langs == [None, "ar", "en", "fa", "hi", "ru"]
    assert cycle(langs, None) == "ar" and cycle(langs, "ru") is None and cycle(langs, None, -1) == "ru"
    flags = flag_choices(index)
    assert flags[:2] == [None, ANY_FLAG] and set(flags[2:]) == {"number", "date"}
    outlets = outlet_choices(index)
    assert {o.doc_id for o in outlets} == {d.id for d in index.report.documents}
    assert outlets[0].claims >= outlets[-1].claims
    assert next(o for o in outlets if o.doc_id == "tehran-daily").label.startswith("Tehran Daily · fa")


def test_first_view_by_the_number_of_articles() -> None:
    assert first_view(3) is View.COLUMNS and first_view(4) is View.COLUMNS
    assert first_view(5) is View.CLAIMS and first_view(100) is View.CLAIMS


# ------------------------------------------------------------------ the cards
def test_a_card_per_outlet_with_its_wording_and_english(index: ReportIndex) -> None:
    claim = _claim(index, SCHOOLS)
    cards = outlet_cards(index, claim)
    assert [c.doc.id for c in cards] == list(claim.documents())
    ar = cards[0]
    assert ar.sentence_ids == ("ar-1:9", "ar-1:10") and ar.rtl
    assert ar.original == " ".join(index.sentence(s).text for s in ar.sentence_ids)
    assert ar.english is not None and ar.english.startswith("He added: In 2023")
    tehran = next(c for c in cards if c.doc.id == "tehran-daily")
    assert tehran.english is None and tehran.rtl and tehran.values == (("number", "3"),)
    assert [c.doc.id for c in outlet_cards(index, claim, lang="ru")] == ["ru-1", "moscow-evening"]


def test_marks_sit_on_the_values_the_flags_differ_on(index: ReportIndex) -> None:
    cards = {c.doc.id: c for c in outlet_cards(index, _claim(index, SCHOOLS))}
    said = {doc: [c.original[a:b] for a, b in c.marks] for doc, c in cards.items()}
    assert said == {"ar-1": ["9"], "ru-1": ["три"], "wire-en": ["five"], "tehran-daily": ["سه"],
                    "moscow-evening": ["три"]}
    arrival = {c.doc.id: c for c in outlet_cards(index, _claim(index, ARRIVAL))}
    assert [arrival["hi-1"].original[a:b] for a, b in arrival["hi-1"].marks] == ["25 से 27 नवंबर"]


def test_a_span_outside_the_member_is_dropped_and_one_past_its_sentence_cut(index: ReportIndex) -> None:
    s9, s10 = index.sentence("ar-1:9"), index.sentence("ar-1:10")
    flag = Discrepancy("number", "x", {"ar-1": "9"}, {"ar-1": (
        Span("ar-1:3", 0, 5),  # another sentence: not this member
        Span("ar-1:10", s10.end - 5, s10.end + 40),  # runs past the sentence: cut at its end
        Span("ar-1:9", s9.start, s9.start + 5),
    )})
    claim = Claim("x", 0.5, (Member("ar-1", ("ar-1:9", "ar-1:10")),), (flag,))
    marks = value_marks(claim, "ar-1", [s9, s10])
    joined = s9.text + " " + s10.text
    assert [joined[a:b] for a, b in marks] == [s9.text[:5], s10.text[-5:]]


def test_the_translation_note_is_said_once_not_under_every_sentence(index: ReportIndex) -> None:
    assert translation_note(index) == "No English for fa: no translation installed for it."
    sample = ReportIndex(from_json(FIXTURE.read_text(encoding="utf-8")))
    assert translation_note(sample) is None  # every language has some English
    bare = dataclasses.replace(index.report, documents=tuple(
        dataclasses.replace(d, sentences=tuple(dataclasses.replace(s, translation=None) for s in d.sentences))
        for d in index.report.documents))
    assert translation_note(ReportIndex(bare)).startswith("No English in this report")
    claim = _claim(index, SCHOOLS)
    lines = card_lines(claim, outlet_cards(index, claim), 60, Mode.BOTH, translation_note(index))
    assert [line.kind for line in lines].count("note") == 1
    assert not any("(no translation)" in line.text for line in lines)


def test_card_lines_wrap_each_outlet_and_follow_the_text_mode(index: ReportIndex) -> None:
    claim = _claim(index, SCHOOLS)
    cards = outlet_cards(index, claim)
    both = card_lines(claim, cards, 50, Mode.BOTH)
    assert [line.card for line in both if line.kind == "outlet"] == list(range(len(cards)))
    for i, card in enumerate(cards):
        originals = [line for line in both if line.card == i and line.kind == "original"]
        assert " ".join(line.text for line in originals) == " ".join(card.original.split())
        assert all(card.original[line.start:line.start + len(line.text)] == line.text for line in originals)
    english = card_lines(claim, cards, 50, Mode.ENGLISH)
    tehran = cards.index(next(c for c in cards if c.english is None))
    assert any(line.kind == "original" and line.card == tehran for line in english)  # no English: its original
    assert not any(line.kind == "original" and line.card == 0 for line in english)
    assert not any(line.kind == "english" for line in card_lines(claim, cards, 50, Mode.ORIGINAL))


# ------------------------------------------------------------------ highlights and bidi
def test_wrap_offsets_wrap_as_the_columns_do() -> None:
    sample = from_json(FIXTURE.read_text(encoding="utf-8"))
    for d in sample.documents:
        for s in d.sentences:
            for width in (12, 33, 70):
                lines = [line_text(s.text, a, b) for a, b in wrap_offsets(s.text, width)]
                assert [" ".join(line.split()) for line in lines] == wrap(s.text, width)


def _unshaped(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(("doc", "words", "rtl"), [("ar-1:9", "9", True), ("tehran-daily:0", "سه", True),
                                                   ("ru-1:16", "три", False), ("wire-en:1", "five", False)])
def test_a_mark_lands_on_its_word_after_shaping_and_reordering(index: ReportIndex, doc: str, words: str,
                                                               rtl: bool) -> None:
    text = index.sentence(doc).text
    at = text.index(words)
    line = line_text(text, 0, len(text))
    shown, marks = display_marked(line, marks_of(0, len(line), [(at, at + len(words))]), rtl)
    zwnj = "\u200c"  # a zero-width control the reordering leaves out: the terminal draws nothing for it
    assert shown.replace(zwnj, "") == (visual(line, "R" if rtl else "L") if rtl else line).replace(zwnj, "")
    marked = [piece for piece, on in runs(shown, marks) if on]
    assert len(marked) == 1
    expected = words[::-1] if rtl and not words.isdigit() else words  # Arabic letters read right to left
    assert _unshaped(marked[0]) == expected


def test_brackets_in_right_to_left_text_face_the_words_they_enclose() -> None:
    shown = visual("من سبتمبر(أيلول)", "R")  # python-bidi's fast reordering does not mirror them
    assert shown.index("(") < shown.index(")")
    assert _unshaped(shown[shown.index("(") + 1:shown.index(")")]) == "أيلول"[::-1]


# ------------------------------------------------------------------ narrowed index, column states
def test_an_index_of_some_documents_keeps_their_claims_and_lights_only_them(index: ReportIndex) -> None:
    narrow = ReportIndex(index.report, shown=("moscow-evening", "ar-1"))
    assert [d.id for d in narrow.documents] == ["moscow-evening", "ar-1"] and narrow.narrowed
    assert {c.id for c in narrow.claims} >= {SCHOOLS, ARRIVAL}
    assert all(any(m.document in ("moscow-evening", "ar-1") for m in c.members) for c in narrow.claims)
    assert narrow.highlight("ar-1:9") == {"ar-1:9", "ar-1:10", "moscow-evening:1"}
    assert claim_target(narrow, _claim(index, SCHOOLS), "wire-en") == "ar-1:9"
    assert narrow.colour(_claim(index, SCHOOLS)) == index.colour(_claim(index, SCHOOLS))


def test_a_column_state_lays_out_lazily_and_reveals_once_laid_out(index: ReportIndex) -> None:
    state = ColumnState(index.document("ar-1"), index)
    assert state.row_count() == 0 and state.column is state  # nothing on screen: no rows yet
    state.ensure_visible("ar-1:14")
    assert state.top == 0  # waits for a layout
    state.layout(30, 10)
    start, _ = state.span_of("ar-1:14")
    assert state.top <= start < state.top + 10
    rtl_rows = [row for _sid, row, _first in state.rows if row.rtl]
    assert rtl_rows and all(row.bidi == "R" for row in rtl_rows)  # put in visual order when painted
    assert rtl_rows[0].shown == visual(rtl_rows[0].text, "R")
    top_sentence = state.rows[state.top][0]
    state.configure(Mode.ORIGINAL, Filter.ALL)
    assert state.rows[state.top][0] == top_sentence


def test_the_claim_view_and_column_state_modules_do_not_import_textual() -> None:
    code = ("import sys; import reader.tui.claims, reader.tui.cards, reader.tui.highlight, reader.tui.wrapping, "
            "reader.tui.column_state, reader.tui.bidi_order; "
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

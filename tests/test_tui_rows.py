"""The pure functions behind the columns: rows, markers, highlights, filters, search, bidi."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import arabic_reshaper
from bidi import get_display

from reader.model import Article, Claim, Document, Member, Report, Sentence
from reader.report import from_json
from reader.tui.rows import (
    MARK_CLAIM,
    MARK_DISCREPANT,
    MARK_UNIQUE,
    Filter,
    Mode,
    ReportIndex,
    claim_target,
    display_lines,
    search,
    sentence_rows,
    step_claim,
    term_len,
    visible_sentences,
    wrap,
)

FIXTURE = Path(__file__).parent / "fixtures" / "sample_report.json"


@pytest.fixture(scope="module")
def index() -> ReportIndex:
    return ReportIndex(from_json(FIXTURE.read_text(encoding="utf-8")))


def _sid(index: ReportIndex, doc: str, begins: str) -> str:
    return next(s.id for s in index.report.document(doc).sentences if s.text.startswith(begins))


def test_fixture_offsets_are_exact() -> None:
    seeds = Path("/work/shared/seeds")
    report = from_json(FIXTURE.read_text(encoding="utf-8"))
    for doc in report.documents:
        prefix = {"hi-1": "000_", "ar-1": "001_", "ru-1": "003_"}[doc.id]
        files = list(seeds.glob(prefix + "*.txt"))
        if not files:
            pytest.skip("seed texts not on this machine")
        text = files[0].read_text(encoding="utf-8")
        for s in doc.sentences:
            assert text[s.start : s.end] == s.text


def test_schools_sentence_lights_the_arabic_schools_sentence(index: ReportIndex) -> None:
    ru = _sid(index, "ru-1", "С 1 сентября 2027")
    ar = _sid(index, "ar-1", "ومن المقرر افتتاح")
    lit = index.highlight(ru)
    assert ar in lit and ru in lit
    assert index.highlight(_sid(index, "hi-1", "यूक्रेन पर")) == frozenset()


def test_markers_tell_claims_discrepancies_and_unique(index: ReportIndex) -> None:
    schools = _sid(index, "ru-1", "С 1 сентября 2027")  # claim with a discrepancy
    relations = _sid(index, "ru-1", "Путин заявил")  # claim without
    alone = _sid(index, "ru-1", "В аэропорту")  # no other outlet
    assert index.marker(schools)[0] == MARK_DISCREPANT
    assert index.marker(relations)[0] == MARK_CLAIM
    assert index.marker(alone)[0] == MARK_UNIQUE
    assert alone in index.unique and relations not in index.unique
    # members of one claim share a colour, two claims differ
    c_schools, c_rel = index.claim_of[schools], index.claim_of[relations]
    assert index.marker(_sid(index, "ar-1", "ومن المقرر"))[1] == index.colour(c_schools) != index.colour(c_rel)


def test_filters(index: ReportIndex) -> None:
    ru = index.report.document("ru-1")
    assert len(visible_sentences(index, ru, Filter.ALL)) == len(ru.sentences)
    flagged = visible_sentences(index, ru, Filter.DISCREPANCIES)
    assert flagged and all(index.claim_of[s.id].discrepancies for s in flagged)
    unique = visible_sentences(index, ru, Filter.UNIQUE)
    assert unique and all(s.id not in index.claim_of for s in unique)
    assert Filter.ALL.next() is Filter.DISCREPANCIES and Filter.UNIQUE.next() is Filter.ALL


def test_search_covers_originals_and_translations(index: ReportIndex) -> None:
    assert _sid(index, "ru-1", "С 1 сентября 2027") in search(index, "ШКОЛЫ")  # case-insensitive original
    english = search(index, "first three schools")
    assert _sid(index, "ar-1", "ومن المقرر") in english and _sid(index, "ru-1", "С 1 сентября") in english
    assert search(index, "   ") == []
    hits = search(index, "Бишкек")
    assert hits == sorted(hits, key=lambda s: (index.doc_pos[s.rpartition(":")[0]], int(s.rpartition(":")[2])))


def test_step_claim_wraps_and_skips(index: ReportIndex) -> None:
    claims = index.claims
    first = claim_target(index, claims[0], "ru-1")
    assert step_claim(index, first, 1).id == claims[1].id
    assert step_claim(index, first, -1).id == claims[-1].id
    flagged = [c.id for c in claims if c.discrepancies]
    assert step_claim(index, first, 1, only_discrepant=True).id == flagged[0]
    # from a sentence of no claim: the next claim below it in the same column
    hi0 = _sid(index, "hi-1", "यूक्रेन पर")
    assert step_claim(index, hi0, 1) is index.claim_of[_sid(index, "hi-1", "राष्ट्रपति पुतिन ने 25")]
    assert claim_target(index, index.claim_of[first], "hi-1") == index.claim_of[first].members[0].sentences[0]


def test_wrap_measures_cells_and_keeps_words() -> None:
    text = "the quick brown fox jumps over the lazy dog"
    lines = wrap(text, 10)
    assert all(term_len(line) <= 10 for line in lines)
    assert " ".join(lines) == text
    assert wrap("", 10) == [""]
    assert all(term_len(x) <= 4 for x in wrap("abcdefghij", 4))


def test_devanagari_lines_fit_the_terminal_width() -> None:
    hindi = "राष्ट्रपति पुतिन ने 25 से 27 नवंबर तक बिश्केक में काम किया।"
    assert term_len("ि") == 1  # a spacing vowel sign takes a cell in the terminal
    assert term_len("्") == 0  # the virama does not
    for width in (8, 12, 20, 33):
        lines = wrap(hindi, width)
        assert all(term_len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == hindi.replace(" ", "")


def test_arabic_is_wrapped_logically_then_reordered_per_line() -> None:
    arabic = "ومن المقرر افتتاح المدارس الثلاث الأولى بحلول الأول من سبتمبر 2027."
    logical = wrap(arabic, 20)
    shown = display_lines(arabic, 20, rtl=True)
    assert len(shown) == len(logical) > 1
    assert shown == [get_display(arabic_reshaper.reshape(line), base_dir="R") for line in logical]
    # the top line holds the sentence's first word at its right end (read right to left),
    # not its last words, as reordering the whole sentence before wrapping would give
    assert shown[0].endswith(arabic_reshaper.reshape("ومن")[::-1]) and "2027" in shown[-1]
    # letters come in their joined forms (terminals do not shape), and no line grows
    assert "\uFEE3" in shown[0]  # meem, initial form, as in «من»
    assert all(term_len(a) <= term_len(get_display(b, base_dir="R")) for a, b in zip(shown, logical))
    rows = sentence_rows(Sentence("ar-1:0", "ar-1", 0, arabic, 0, len(arabic), None), "ar", Mode.ORIGINAL, 20)
    assert all(r.rtl for r in rows)


def test_modes_and_missing_translation() -> None:
    s = Sentence("ru-1:0", "ru-1", 0, "Путин прибыл.", 0, 13, "Putin arrived.")
    bare = Sentence("ru-1:1", "ru-1", 1, "Без перевода.", 14, 27, None)
    assert [r.kind for r in sentence_rows(s, "ru", Mode.ORIGINAL, 40)] == ["original"]
    assert [r.kind for r in sentence_rows(s, "ru", Mode.ENGLISH, 40)] == ["english"]
    assert [r.kind for r in sentence_rows(s, "ru", Mode.BOTH, 40)] == ["original", "english"]
    assert [r.kind for r in sentence_rows(bare, "ru", Mode.ENGLISH, 40)] == ["note", "original"]
    assert Mode.ORIGINAL.next() is Mode.ENGLISH and Mode.BOTH.next() is Mode.ORIGINAL


def test_markup_in_article_text_stays_literal() -> None:
    from reader.tui.widgets.claim_panel import claim_text

    text = "A [bold]quoted[/bold] tag and [link=http://x]a link[/link]."
    doc = lambda i: Document(  # noqa: E731
        Article(f"en-{i}", "x.txt", "en", text, 0, len(text)),
        (Sentence(f"en-{i}:0", f"en-{i}", 0, text, 0, len(text), text),),
    )
    report = Report((doc(1), doc(2)), (Claim("c1", 0.9, (Member("en-1", ("en-1:0",)), Member("en-2", ("en-2:0",)))),), ())
    idx = ReportIndex(report)
    rows = sentence_rows(report.sentence("en-1:0"), "en", Mode.ORIGINAL, 80)
    assert rows[0].text == text
    panel = claim_text(idx, report.claims[0], "en-1:0", 100)
    assert "[bold]quoted[/bold]" in panel.plain and "[link=http://x]" in panel.plain


def test_domain_modules_do_not_import_the_ui() -> None:
    code = (
        "import sys, reader.model, reader.report, reader.errors, reader.progress, reader.settings;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich') or m.startswith('reader.tui')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    assert done.returncode == 0, done.stdout + done.stderr


def _doc(doc_id: str, n: int = 2) -> Document:
    lang = doc_id.split("-")[0]
    text = " ".join(f"S{i}." for i in range(n))
    article = Article(id=doc_id, path=f"{doc_id}.txt", lang=lang, text=text, body_start=0, body_end=len(text))
    sentences = tuple(Sentence(f"{doc_id}:{i}", doc_id, i, f"S{i}.", 4 * i, 4 * i + 3) for i in range(n))
    return Document(article, sentences)


def test_columns_put_the_story_with_most_claims_first_and_keep_report_order_within_it() -> None:
    from reader.tui.rows import column_order

    docs = tuple(_doc(d) for d in ("en-1", "ar-1", "en-2", "hi-1", "ru-1", "en-3"))
    claims = (
        Claim("c1", 0.9, (Member("ar-1", ("ar-1:0",)), Member("ru-1", ("ru-1:0",)))),
        Claim("c2", 0.9, (Member("hi-1", ("hi-1:0",)), Member("ru-1", ("ru-1:1",)))),
        Claim("c3", 0.9, (Member("en-1", ("en-1:0",)), Member("en-2", ("en-2:0",)))),
    )
    report = Report(documents=docs, claims=claims, unmatched=())
    assert [d.id for d in column_order(report)] == ["ar-1", "hi-1", "ru-1", "en-1", "en-2", "en-3"]
    assert [d.id for d in ReportIndex(report).documents] == ["ar-1", "hi-1", "ru-1", "en-1", "en-2", "en-3"]

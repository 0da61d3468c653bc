"""reader.report: the JSON contract of GUIDE.md (keys, spans, round trip) and the Markdown view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import report as fmt
from reader.errors import BadInput
from reader.model import Article, Claim, Discrepancy, Document, Member, Report, Sentence, Span
from reader.pipeline import read_documents
from reader.untrusted import markdown


@pytest.fixture(scope="module")
def corpus_report() -> Report:
    """The sample corpus read and segmented, with no claims (no model needed)."""
    corpus = Path(__file__).resolve().parent.parent / "corpora" / "bishkek-2025"
    errors: list[BadInput] = []
    documents = read_documents([corpus], errors.append)
    assert not errors
    unmatched = tuple(s.id for d in documents for s in d.sentences)
    return Report(documents=tuple(documents), claims=(), unmatched=unmatched, meta={"embedding_model": "none"})


def _hand_made() -> Report:
    ru_text = "Путин | прибыл в [bold]Бишкек[/bold]. Там было 3 школы."
    ar_text = "وصل بوتين إلى بيشكيك. هناك 9 مدارس."
    ru = Article("ru-1", "ru.txt", "ru", ru_text, 0, len(ru_text), title="Визит | Бишкек", outlet="[link=x]outlet", published="2025-11-26")
    ar = Article("ar-1", "ar.txt", "ar", ar_text, 0, len(ar_text), published="2025-11-26")
    cut = ru_text.index(". ") + 1
    ru_s = (
        Sentence("ru-1:0", "ru-1", 0, ru_text[:cut], 0, cut, translation="Putin | arrived in [bold]Bishkek[/bold]."),
        Sentence("ru-1:1", "ru-1", 1, ru_text[cut + 1 :], cut + 1, len(ru_text), translation="There were 3 schools."),
    )
    cut = ar_text.index(". ") + 1
    ar_s = (
        Sentence("ar-1:0", "ar-1", 0, ar_text[:cut], 0, cut, translation=None),
        Sentence("ar-1:1", "ar-1", 1, ar_text[cut + 1 :], cut + 1, len(ar_text), translation="There are 9 schools."),
    )
    discrepancy = Discrepancy(
        kind="number",
        detail="schools: 3 vs 9",
        values={"ru-1": "3", "ar-1": "9"},
        spans={
            "ru-1": (Span("ru-1:1", ru_text.index("3"), ru_text.index("3") + 1),),
            "ar-1": (Span("ar-1:1", ar_text.index("9"), ar_text.index("9") + 1),),
        },
    )
    claims = (
        Claim("c1", 0.912345, (Member("ar-1", ("ar-1:0",)), Member("ru-1", ("ru-1:0",)))),
        Claim("c2", 0.8, (Member("ar-1", ("ar-1:1",)), Member("ru-1", ("ru-1:1",))), (discrepancy,)),
    )
    for doc, sentences in ((ru, ru_s), (ar, ar_s)):
        assert all(doc.text[x.start : x.end] == x.text for x in sentences)
    return Report(
        documents=(Document(ar, ar_s), Document(ru, ru_s)),
        claims=claims,
        unmatched=(),
        omissions=(Discrepancy("omission", "only ru-1 says it", {"ru-1": "x", "ar-1": ""}),),
        meta={"embedding_model": "fake", "thresholds": {"score": 0.3}},
    )


# ------------------------------------------------------------------ JSON
def test_json_round_trip_is_identical() -> None:
    report = _hand_made()
    text = fmt.to_json(report)
    again = fmt.from_json(text)
    assert fmt.to_json(again) == text
    assert again.claims[1].discrepancies[0].spans == report.claims[1].discrepancies[0].spans
    assert again.sentence("ru-1:0").translation == "Putin | arrived in [bold]Bishkek[/bold]."


def test_json_round_trip_of_the_sample_corpus(corpus_report: Report) -> None:
    text = fmt.to_json(corpus_report)
    assert fmt.to_json(fmt.from_json(text)) == text


def test_json_has_the_keys_the_guide_requires() -> None:
    data = json.loads(fmt.to_json(_hand_made()))
    assert {"documents", "claims", "unmatched"} <= set(data)
    for doc in data["documents"]:
        assert {"id", "path", "lang", "title", "outlet", "published", "sentences"} <= set(doc)
        for s in doc["sentences"]:
            assert {"id", "index", "text", "start", "end", "translation"} <= set(s)
            assert isinstance(s["start"], int) and isinstance(s["end"], int)
    for claim in data["claims"]:
        assert {"id", "score", "members", "discrepancies"} <= set(claim)
        assert isinstance(claim["score"], float)
        for m in claim["members"]:
            assert set(m) >= {"document", "sentences"} and isinstance(m["sentences"], list)
        for d in claim["discrepancies"]:
            assert {"kind", "detail", "values"} <= set(d)
    assert data["claims"][1]["discrepancies"][0]["values"] == {"ru-1": "3", "ar-1": "9"}
    assert data["claims"][0]["score"] == 0.9123
    assert isinstance(data["unmatched"], list)
    assert data["documents"][0]["sentences"][0]["translation"] is None


def test_every_sentence_text_is_the_file_text_between_its_offsets(corpus_report: Report) -> None:
    data = json.loads(fmt.to_json(corpus_report))
    files: dict[str, str] = {}
    checked = 0
    for doc in data["documents"]:
        text = files.setdefault(doc["path"], Path(doc["path"]).read_text(encoding="utf-8"))
        assert doc["sentences"], doc["id"]
        for i, s in enumerate(doc["sentences"]):
            assert s["index"] == i and s["id"] == f"{doc['id']}:{i}"
            assert text[s["start"] : s["end"]] == s["text"], s["id"]
            assert s["text"].strip() == s["text"] and s["text"]
            checked += 1
    assert {d["lang"] for d in data["documents"]} == {"ar", "en", "hi", "ru"}
    assert len(data["documents"]) == 6  # the English file holds three transcripts
    assert checked == sum(len(d.sentences) for d in corpus_report.documents)
    assert len(data["unmatched"]) == checked


# ------------------------------------------------------------------ Markdown
def test_markdown_escapes_pipes_and_keeps_markup_literal() -> None:
    md = fmt.to_markdown(_hand_made())
    # one line per document under each claim, the original's markup escaped; no table anywhere
    assert ("- **ru-1** (ru · \\[link=x\\]outlet): Путин \\| прибыл в \\[bold\\]Бишкек\\[/bold\\]. — "
            "*Putin \\| arrived in \\[bold\\]Bishkek\\[/bold\\].*") in md.splitlines()
    assert "- **ar-1** (ar): وصل بوتين إلى بيشكيك." in md.splitlines()
    assert not [line for line in md.splitlines() if line.replace("\\|", "").count("|")]
    assert "\\[link=x\\]outlet" in md and "Визит \\| Бишкек" in md


def test_markdown_shows_the_translation_after_the_original_in_italics_and_the_values_in_bold() -> None:
    md = fmt.to_markdown(_hand_made())
    lines = md.splitlines()
    assert "- **ar-1** (ar): هناك **9** مدارس. — *There are 9 schools.*" in lines
    assert "- **ru-1** (ru · \\[link=x\\]outlet): Там было **3** школы. — *There were 3 schools.*" in lines
    assert "### c2 · 2 of 2 documents · ar, ru · score 0.80 · ⚠ number" in lines  # a flagged claim says so
    assert "### c1 · 2 of 2 documents · ar, ru · score 0.91" in lines
    # the flag under its claim: its detail (here hand-written, no subject to split off) and each value
    assert lines.index("- ⚠ schools: 3 vs 9: ru-1: 3; ar-1: 9") > lines.index("### c2 · 2 of 2 documents · ar, ru · score 0.80 · ⚠ number")
    assert "- only ru-1 says it (left out by ar-1)" in lines  # an omission tied to no claim: its detail whole


def test_markdown_lists_unmatched_sentences_per_document(corpus_report: Report) -> None:
    md = fmt.to_markdown(corpus_report)
    assert "## Claims (0)" in md
    assert f"## Unmatched sentences ({len(corpus_report.unmatched)})" in md
    ru = next(d.id for d in corpus_report.documents if d.article.lang == "ru")
    assert f"`{ru}:0` В Бишкеке стартовали переговоры Путина и Жапарова" in md
    # per document: a heading with its count, the first sentences (a share of about 100 in all), the rest counted
    big = max(corpus_report.documents, key=lambda d: len(d.sentences))
    assert f"### {markdown(big.id)} (en · kremlin.ru): 312 sentences" in md and "- … and 296 more (all in the JSON report)" in md
    ar = next(d.id for d in corpus_report.documents if d.article.lang == "ar")
    assert f"### {markdown(ar)} (ar): 16 sentences" in md and md.count(f"`{ar}:") == 16
    assert len(md.splitlines()) < 200


def test_a_sentence_in_two_claims_round_trips_and_its_first_claim_is_the_primary_one() -> None:
    import dataclasses

    report = _hand_made()
    second = Claim("c3", 0.3, (Member("ar-1", ("ar-1:0",)), Member("ru-1", ("ru-1:1",))))
    report = dataclasses.replace(report, claims=report.claims + (second,))
    assert report.claim_of()["ar-1:0"].id == "c1"
    assert [c.id for c in report.claims_of()["ar-1:0"]] == ["c1", "c3"]
    assert [c.id for c in report.claims_of()["ru-1:1"]] == ["c2", "c3"]
    again = fmt.from_json(fmt.to_json(report))
    assert [c.id for c in again.claims_of()["ar-1:0"]] == ["c1", "c3"]

"""reader.report: the JSON contract of GUIDE.md (keys, spans, round trip) and the Markdown table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import report as fmt
from reader.errors import BadInput
from reader.model import Article, Claim, Discrepancy, Document, Member, Report, Sentence, Span
from reader.pipeline import read_documents


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
def test_markdown_table_escapes_pipes_and_keeps_markup_literal() -> None:
    md = fmt.to_markdown(_hand_made())
    table = [line for line in md.splitlines() if line.startswith("| c1") or line.startswith("| c2")]
    assert len(table) == 2
    row = table[0]
    assert "Путин \\| прибыл в \\[bold\\]Бишкек\\[/bold\\]." in row
    # Every unescaped pipe is a column border: claim, score, one column per document.
    borders = row.replace("\\|", "").count("|")
    assert borders == 2 + 2 + 1
    assert "\\[link=x\\]outlet" in md and "Визит \\| Бишкек" in md
    assert "| claim | score |" in md and "|---|---|" in md


def test_markdown_shows_the_translation_under_the_original_in_italics() -> None:
    md = fmt.to_markdown(_hand_made())
    row = next(line for line in md.splitlines() if line.startswith("| c2"))
    assert "هناك 9 مدارس.<br>*There are 9 schools.*" in row
    assert "Там было 3 школы.<br>*There were 3 schools.*" in row
    assert "⚠" in row  # a claim with discrepancies is flagged
    assert "*Putin \\| arrived in \\[bold\\]Bishkek\\[/bold\\].*" in md
    assert "## Discrepancies" in md and "schools: 3 vs 9" in md


def test_markdown_lists_unmatched_sentences_per_document(corpus_report: Report) -> None:
    md = fmt.to_markdown(corpus_report)
    assert "## Claims (0)" in md
    assert f"## Unmatched sentences ({len(corpus_report.unmatched)})" in md
    assert "`ru-1:0` В Бишкеке стартовали переговоры Путина и Жапарова" in md


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

"""The Markdown report at thirty documents (issue 13): no line grows with the number of documents,
one line per outlet under each claim with the differing values in bold, flags with their subject
and values, omissions one line per outlet, the translation state at the top.

The reports are built by hand (no model) and compared by :func:`reader.discrepancy.annotate`, so
the flags and omissions are worded as a real run words them.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from markdown_it import MarkdownIt

from reader.discrepancy import annotate
from reader.model import Article, Claim, Discrepancy, Document, Member, Report, Sentence
from reader.report import to_markdown

SCHOOLS = {  # lang -> (original, English); {n}: the number of schools, 9 in every third document, else 3
    "ru": (("Чиновники сообщили, что к сентябрю 2027 года в Киргизии откроются {n} новых школ с обучением "
            "на русском языке."),
           "Officials said that {n} new schools teaching in Russian will open in Kyrgyzstan by September 2027."),
    "en": ("Officials said that {n} new schools teaching in Russian will open in Kyrgyzstan by September 2027.", None),
}
TALKS = {  # lang -> (original, English); {k}: the claim
    "ru": ("Путин и Жапаров обсудили торговлю, энергетику и безопасность на переговорах в Бишкеке, тема {k}.",
           "Putin and Japarov discussed trade, energy and security at the talks in Bishkek, topic {k}."),
    "en": ("Putin and Japarov discussed trade, energy and security at the talks in Bishkek, topic {k}.", None),
}
CLAIMS = 9


def _ids(n_docs: int) -> list[str]:
    return [f"{('ru', 'en')[i % 2]}-{i // 2 + 1}" for i in range(n_docs)]


def _many(n_docs: int, untranslated: list[str] | None = None) -> Report:
    """``n_docs`` documents (ru and en, one outlet each) and :data:`CLAIMS` claims: c1 (the
    schools, 3 or 9) in every document, c2…c9 left out by some (document i leaves out claim k
    when i % k == 1, writing about the weather instead), one sentence of its own each."""
    docs = []
    for i, did in enumerate(_ids(n_docs)):
        lang = did[:2]
        n = "9" if i % 3 == 0 else "3"
        pairs = [(SCHOOLS[lang][0].format(n=n), SCHOOLS[lang][1] and SCHOOLS[lang][1].format(n=n))]
        for k in range(2, CLAIMS + 1):
            if i % k == 1:
                pairs.append((f"The weather was mild, outlet {i} wrote in paragraph {k}.", None))
            else:
                pairs.append((TALKS[lang][0].format(k=k), TALKS[lang][1] and TALKS[lang][1].format(k=k)))
        pairs.append((f"Only outlet {i} mentions the market.", None))
        text = "\n".join(t for t, _ in pairs)
        sentences, at = [], 0
        for j, (t, english) in enumerate(pairs):
            sentences.append(Sentence(f"{did}:{j}", did, j, t, at, at + len(t), english))
            at += len(t) + 1
        article = Article(did, f"{did}.txt", lang, text, 0, len(text), title=f"Talks in Bishkek ({i})",
                          outlet=f"Outlet {i}", published="2025-11-26")
        docs.append(Document(article, tuple(sentences)))
    claims = tuple(
        Claim(f"c{k}", 0.9, tuple(Member(d.id, (f"{d.id}:{k - 1}",)) for i, d in enumerate(docs) if k == 1 or i % k != 1))
        for k in range(1, CLAIMS + 1)
    )
    used = {s for c in claims for s in c.sentence_ids()}
    unmatched = tuple(s.id for d in docs for s in d.sentences if s.id not in used)
    meta = {"untranslated_languages": untranslated} if untranslated is not None else {}
    return annotate(Report(tuple(docs), claims, unmatched, meta=meta))


@pytest.fixture(scope="module")
def thirty() -> Report:
    return _many(30, untranslated=[])


@pytest.fixture(scope="module")
def md30(thirty: Report) -> str:
    return to_markdown(thirty)


def _section(md: str, heading: str) -> list[str]:
    """The lines of one ``## `` section, without its heading."""
    lines = md.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def _member_lines(md: str) -> list[str]:
    return [line for line in _section(md, f"## Claims ({CLAIMS})") if line.startswith("- **")]


# ------------------------------------------------------------------ width
def test_no_line_is_longer_than_one_outlets_sentence_needs(md30: str) -> None:
    longest_member = max(len(line) for line in _member_lines(md30))
    assert max(len(line) for line in md30.splitlines()) <= longest_member
    # and nothing grows with the documents: 30 documents need no longer lines than 4 (ids "ru-15" against "ru-2")
    md4 = to_markdown(_many(4, untranslated=[]))
    assert max(len(line) for line in md30.splitlines()) <= max(len(line) for line in md4.splitlines()) + 4


def test_there_is_no_table_only_one_line_per_outlet_under_each_claim(thirty: Report, md30: str) -> None:
    assert not [line for line in md30.splitlines() if line.startswith("|") or line.replace("\\|", "").count("|")]
    lines = md30.splitlines()
    for claim in thirty.claims:
        at = next(i for i, line in enumerate(lines) if line.startswith(f"### {claim.id} · "))
        members = [line for line in lines[at + 2 : at + 2 + len(claim.members) + 1] if line]
        assert [line.split("**")[1] for line in members] == list(claim.documents())
    c1 = next(line for line in lines if line.startswith("### c1 · "))
    assert c1 == "### c1 · 30 of 30 documents · ru, en · score 0.90 · ⚠ number"
    assert "- **ru-1** (ru · Outlet 0): Чиновники" in md30 and "- **en-15** (en · Outlet 29): Officials" in md30


# ------------------------------------------------------------------ values in bold
def test_the_differing_values_are_bold_in_each_outlets_line_and_the_english_follows(md30: str) -> None:
    lines = _member_lines(md30)
    ru1 = next(line for line in lines if line.startswith("- **ru-1** "))
    assert ru1 == ("- **ru-1** (ru · Outlet 0): Чиновники сообщили, что к сентябрю 2027 года в Киргизии откроются **9** "
                   "новых школ с обучением на русском языке. — *Officials said that 9 new schools teaching in Russian "
                   "will open in Kyrgyzstan by September 2027.*")
    en1 = next(line for line in lines if line.startswith("- **en-1** "))
    assert "Officials said that **3** new schools" in en1 and " — *" not in en1  # English: no translation
    html = MarkdownIt("commonmark").render(ru1)
    assert "<strong>9</strong>" in html and "<em>Officials said" in html


# ------------------------------------------------------------------ flags
def test_a_flag_over_many_outlets_names_its_subject_and_one_line_per_value(md30: str) -> None:
    flags = _section(md30, f"## Claims ({CLAIMS})")
    at = flags.index("- ⚠ conflicting figure about school (30 documents):")
    assert flags[at + 1 : at + 3] == [
        "  - 9: ru-1, en-2, ru-4, en-5, ru-7 and 5 more",
        "  - 3: en-1, ru-2, ru-3, en-3, en-4 and 15 more",
    ]


def test_a_flag_over_two_outlets_reads_subject_then_each_outlets_value() -> None:
    md = to_markdown(_many(2))
    assert "- ⚠ conflicting figure about school: ru-1: 9; en-1: 3" in md.splitlines()


@pytest.mark.parametrize(("kind", "detail", "values", "line"), [
    ("number", "conflicting figure: ru-1: 27; en-1: 25", {"ru-1": "27", "en-1": "25"},
     "- ⚠ conflicting figure (what it counts is not named: see the outlets' lines above): ru-1: 27; en-1: 25"),
    ("missing-number", "ru-1 gives a figure about school (ru-1: 9 («девять»)); en-1 mentions school without it",
     {"ru-1": "9", "en-1": ""}, "- ⚠ figure about school given by some, not others: ru-1: 9 («девять»); en-1: no figure"),
    ("speaker", "different speaker: en-1: Peskov; ru-1: Putin («Путин»)", {"ru-1": "Putin", "en-1": "Peskov"},
     "- ⚠ different speaker: ru-1: Putin («Путин»); en-1: Peskov"),
    ("date", "arrival: 25 November (ru) vs 26 November (en)", {"ru-1": "2025-11-25", "en-1": "2025-11-26"},
     "- ⚠ arrival: 25 November (ru) vs 26 November (en): ru-1: 2025-11-25; en-1: 2025-11-26"),
])
def test_every_kind_of_flag_shows_what_it_is_about_and_each_value(kind: str, detail: str, values: dict[str, str],
                                                                  line: str) -> None:
    report = _many(2)
    c2 = dataclasses.replace(report.claims[1], discrepancies=(Discrepancy(kind, detail, values),))
    md = to_markdown(dataclasses.replace(report, claims=(report.claims[0], c2) + report.claims[2:]))
    assert line in md.splitlines()


def test_a_figure_some_outlets_leave_out_groups_those_without_it() -> None:
    report = _many(6)
    ids = _ids(6)
    flag = Discrepancy("missing-number", f"{ids[0]}, {ids[1]} give a figure about school ({ids[0]}: 9; {ids[1]}: 9); "
                       f"{', '.join(ids[2:])} mention school without it", {d: "9" if i < 2 else "" for i, d in enumerate(ids)})
    c2 = dataclasses.replace(report.claims[1], discrepancies=(flag,))
    md = to_markdown(dataclasses.replace(report, claims=(report.claims[0], c2) + report.claims[2:])).splitlines()
    at = md.index("- ⚠ figure about school given by some, not others (6 documents):")
    assert md[at + 1 : at + 3] == ["  - 9: ru-1, en-1", "  - no figure: ru-2, en-2, ru-3, en-3"]


# ------------------------------------------------------------------ omissions
def test_omissions_are_one_line_per_outlet(thirty: Report, md30: str) -> None:
    lines = [line for line in _section(md30, "## Omissions") if line.startswith("- ")]
    leaving = {doc for d in thirty.omissions for doc, v in d.values.items() if not v}
    assert len(lines) == len(leaving) == 23 and len(thirty.omissions) == 8
    assert "- **en-1** (en · Outlet 1) leaves out 8 of 9 claims: c2, c3, c4, c5, c6, c7, c8, c9" in lines
    assert "- **ru-3** (ru · Outlet 4) leaves out 1 of 9 claims: c3" in lines
    assert "- **ru-1** " not in md30.split("## Omissions")[1]  # leaves nothing out
    c3 = md30.split("### c3 · ")[1].split("### c4")[0]
    assert f"Left out by {sum(1 for i in range(30) if i % 3 == 1)} documents of the same event" in c3


# ------------------------------------------------------------------ the top
@pytest.mark.parametrize(("untranslated", "langs", "line"), [
    (["ar", "hi"], ("ru", "ar", "hi", "en"),
     ("**Translation:** no English translation for ar, hi: no translation package installed "
      "(`reader models install ar hi`); their sentences are shown in the original only. Translated into English: ru.")),
    ([], ("ru", "en"), "**Translation:** every language had a translation package; ru translated into English."),
    ([], ("en",), "**Translation:** every document is in English; nothing to translate."),
    (None, ("ru", "en"),
     "**Translation:** not recorded in this report; 18 of 20 non-English sentences have an English translation."),
])
def test_the_translation_state_is_stated_at_the_top(untranslated: list[str] | None, langs: tuple[str, ...],
                                                    line: str) -> None:
    report = _many(3, untranslated)
    docs = tuple(dataclasses.replace(d, article=dataclasses.replace(d.article, lang=langs[i % len(langs)]))
                 for i, d in enumerate(report.documents))
    md = to_markdown(dataclasses.replace(report, documents=docs))
    top = md.split("## Documents")[0].splitlines()
    assert line in top, top
    assert top[2].startswith("3 documents in ") and "from 3 outlets; 9 claims" in top[2]


def test_unmatched_sentences_are_capped_per_document_and_the_rest_counted(md30: str) -> None:
    lines = _section(md30, "## Unmatched sentences (87)")
    assert lines[1] == "Sentences in no claim, the first 3 of each document:"
    en1 = lines[lines.index("### en-1 (en · Outlet 1): 9 sentences") :]
    assert en1[2:6] == ["- `en-1:1` The weather was mild, outlet 1 wrote in paragraph 2.",
                        "- `en-1:2` The weather was mild, outlet 1 wrote in paragraph 3.",
                        "- `en-1:3` The weather was mild, outlet 1 wrote in paragraph 4.",
                        "- … and 6 more (all in the JSON report)"]
    assert len(lines) < 30 * 7


def test_every_line_of_the_thirty_document_report_is_plain_markdown(md30: str) -> None:
    html = MarkdownIt("commonmark").render(md30)
    assert "<table" not in html and not re.search(r"<(?!/?(h[1-3]|p|ul|li|strong|em|code)>)", html)

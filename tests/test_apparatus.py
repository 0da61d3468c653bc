"""Page apparatus (credit lines, notes in brackets, links to other articles) is never aligned."""

from __future__ import annotations

import pytest

from reader.apparatus import is_apparatus


@pytest.mark.parametrize("text", [
    "(Reporting by Priya Nair; Editing by Tom Wexler)",
    "(Additional reporting by Anna Lee (Moscow) and Omar Said)",
    "(1 доллар = 90 рублей).",
    "（责任编辑：王立）",
    "Also read: The ten biggest floods of the decade",
    "Читайте также: Как устроены выборы",
    "यह भी पढ़ें: भूकंप आए तो क्या करें",
    "اقرأ أيضا: كيف تعمل الانتخابات",
    "Lesen Sie auch: Wie die Schuldenkrise wirkt",
    "Lire aussi : Au Kenya, la dette publique",
    "بیشتر بخوانید: چرا زلزله ویرانگر بود؟",
])
def test_credit_lines_notes_and_links_are_apparatus(text: str) -> None:
    assert is_apparatus(text)


@pytest.mark.parametrize("text", [
    "(Reporting by the bureau) Putin said the talks went well (in Bishkek).",
    "Putin said (in Bishkek) that trade grew by a quarter.",
    "Песков: «Визит прошел успешно».",
    "Relatedly, the central bank kept its rate at 16%.",
    "Read the full text of the ruling, the court said on Tuesday.",
])
def test_claims_with_brackets_colons_or_the_word_read_are_not(text: str) -> None:
    assert not is_apparatus(text)


def test_apparatus_is_not_alignable() -> None:
    import numpy as np

    from reader import pipeline
    from reader.model import Article, Document, Sentence

    texts = ["Putin arrived in Bishkek on a state visit on Tuesday.", "(Reporting by Anna Lee; Editing by Tom Hart)",
             "Also read: Ten facts about Kyrgyzstan"]
    body = " ".join(texts)
    article = Article(id="en-1", path="en-1.txt", lang="en", text=body, body_start=0, body_end=len(body),
                      published="2025-11-25", outlet="Wire")
    starts = [body.index(t) for t in texts]
    doc = Document(article, tuple(Sentence(f"en-1:{i}", "en-1", i, t, a, a + len(t))
                                  for i, (t, a) in enumerate(zip(texts, starts))))
    [vectors] = pipeline.doc_vectors([doc], np.zeros((3, 4), np.float32))
    assert vectors.alignable.tolist() == [True, False, False]

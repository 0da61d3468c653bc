"""Language detection on the sample corpus and on a few sentences of other languages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reader import langid
from reader.ingest import read_paths
from reader.segment import split_sentences


def _sample_sentences(corpus: Path) -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {}
    articles = read_paths([corpus], lambda e: pytest.fail(str(e)))
    for article in articles:
        by_lang.setdefault(article.lang, []).extend(s.text for s in split_sentences(article))
    return by_lang


def test_sample_sentences_accuracy_per_language(corpus_dir: Path) -> None:
    by_lang = _sample_sentences(corpus_dir)
    assert set(by_lang) == {"hi", "ar", "ru", "en"}
    for lang, sentences in by_lang.items():
        right = sum(langid.detect(s) == lang for s in sentences)
        assert right / len(sentences) >= 0.99, (lang, Counter(langid.detect(s) for s in sentences))


def test_whole_articles(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert langid.detect(text) == path.name[:2]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("रूस और किर्गिस्तान के बीच व्यापार बढ़ रहा है।", "hi"),
        ("भारत के प्रधानमंत्री ने कहा कि बातचीत सफल रही।", "hi"),
        ("أكد الرئيس أن العلاقات بين البلدين قوية.", "ar"),
        ("هل ستزور الوفود موسكو الشهر المقبل؟", "ar"),
        ("Президент заявил, что переговоры прошли успешно.", "ru"),
        ("Ещё одна встреча состоится в декабре.", "ru"),
        ("The president said the talks had been a success.", "en"),
        ("I am sure you know what I am talking about.", "en"),
        ("Geography", "en"),
        ("Le président a dit que la Russie est prête au dialogue.", "fr"),
        ("Der Präsident sagte, dass Russland zu Gesprächen bereit ist.", "de"),
        ("El presidente dijo que Rusia está lista para el diálogo.", "es"),
        ("Il presidente ha detto che la Russia è pronta al dialogo.", "it"),
        ("O presidente disse que a Rússia está pronta para o diálogo.", "pt"),
        ("Prezydent powiedział, że Rosja jest gotowa do rozmów.", "pl"),
        ("Cumhurbaşkanı bugün bir açıklama yaptı.", "tr"),
        ("Президент України заявив про це сьогодні.", "uk"),
        ("Президентът каза, че това е така.", "bg"),
        ("رئیس جمهور گفت که این کار را انجام می‌دهیم.", "fa"),
        ("صدر نے کہا کہ یہ ٹھیک ہے۔", "ur"),
        ("Ο πρόεδρος είπε ότι οι συνομιλίες ήταν επιτυχείς.", "el"),
        ("הנשיא אמר שהשיחות הצליחו.", "he"),
        ("大統領は会談が成功したと述べた。", "ja"),
        ("总统说会谈取得了成功。", "zh"),
        ("대통령은 회담이 성공적이었다고 말했다.", "ko"),
    ],
)
def test_detect(text: str, lang: str) -> None:
    assert langid.detect(text) == lang


@pytest.mark.parametrize("text", ["", "16:40", "* * *", "<…>", "3,165"])
def test_no_letters_no_language(text: str) -> None:
    assert langid.detect(text) is None


def test_supported_languages() -> None:
    assert {"hi", "ar", "ru", "en"} <= langid.SUPPORTED
    assert langid.DETECTABLE <= langid.SUPPORTED

"""The translation stage: Argos packages called through CTranslate2 in batches, cached in the Store."""

from __future__ import annotations

import math
import re
import threading
from pathlib import Path

import pytest

from argos_fixture import sample_russian_text, tiny_package
from fakes import HashEmbedder
from reader import argos_packages
from reader.errors import Cancelled, ModelMissing
from reader.model import Article, Document, Sentence
from reader.progress import Progress
from reader.settings import Settings
from reader.store import Store
from reader.translate import ArgosTranslator, Translator, missing_message, require_packages, translate_documents


def make_document(doc_id: str, lang: str, text: str) -> Document:
    """An article whose sentences are its lines split after . ! ? (offsets into ``text``)."""
    article = Article(id=doc_id, path=f"{doc_id}.txt", lang=lang, text=text, body_start=0, body_end=len(text))
    sentences = []
    for match in re.finditer(r"[^\n.!?…]+[.!?…]*", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            index = len(sentences)
            sentences.append(Sentence(f"{doc_id}:{index}", doc_id, index, text[start:end], start, end))
    return Document(article, tuple(sentences))


@pytest.fixture(scope="session")
def package_file() -> Path:
    return tiny_package()


@pytest.fixture
def settings(package_file: Path) -> Settings:
    settings = Settings.from_env(threads=1)
    argos_packages.install_file(settings, package_file)
    return settings


@pytest.fixture
def russian() -> Document:
    return make_document("ru-1", "ru", sample_russian_text())


def test_the_sample_has_enough_sentences(russian: Document) -> None:
    assert len(russian.sentences) >= 20
    assert all(russian.article.text[s.start : s.end] == s.text for s in russian.sentences)


def test_package_for(settings: Settings) -> None:
    translator = ArgosTranslator(settings)
    assert isinstance(translator, Translator)
    assert translator.package_for("ru") == "translate-ru_en-1.9"
    assert translator.package_for("hi") is None
    assert translator.package_for("en") is None
    assert translator.batches_run == 0  # nothing loaded or run yet


def test_translate_returns_one_text_per_input_in_batches(settings: Settings, russian: Document) -> None:
    settings = Settings.from_env(threads=1, translate_batch_size=8)
    translator = ArgosTranslator(settings)
    texts = [s.text for s in russian.sentences]
    english = translator.translate("ru", texts)
    assert len(english) == len(texts)
    assert all(isinstance(t, str) for t in english)
    assert translator.batches_run == math.ceil(len(texts) / 8)
    assert translator.sentences_translated == len(texts)
    # order is kept although batches are sorted by length
    assert english[3] == translator.translate("ru", [texts[3]])[0]
    assert translator.translate("ru", []) == []


def test_translate_without_a_package_is_model_missing(settings: Settings) -> None:
    with pytest.raises(ModelMissing, match="no hi→en translation package") as caught:
        ArgosTranslator(settings).translate("hi", ["नमस्ते"])
    assert caught.value.hint is not None and "reader models install hi" in caught.value.hint


def test_translate_documents_fills_every_russian_sentence_and_caches(settings: Settings, russian: Document) -> None:
    store = Store(settings.store_path)
    translator = ArgosTranslator(settings)
    seen: list[Progress] = []
    docs, missing = translate_documents([russian], translator, store, progress=seen.append)
    assert missing == []
    assert len(docs) == 1 and len(docs[0].sentences) == len(russian.sentences)
    assert all(s.translation is not None for s in docs[0].sentences)
    # offsets and text untouched
    assert [(s.text, s.start, s.end) for s in docs[0].sentences] == [(s.text, s.start, s.end) for s in russian.sentences]
    unique = len({s.text for s in russian.sentences})
    assert translator.sentences_translated == unique
    assert 1 <= translator.batches_run <= math.ceil(unique / settings.translate_batch_size) < len(russian.sentences)
    assert seen[-1].stage == "translating" and seen[-1].done == seen[-1].total == unique
    assert store.counts()["translations"] == unique

    # a second run, with a fresh translator: everything from the cache
    again = ArgosTranslator(settings)
    docs2, missing2 = translate_documents([russian], again, store)
    assert (again.batches_run, again.sentences_translated, missing2) == (0, 0, [])
    assert [s.translation for s in docs2[0].sentences] == [s.translation for s in docs[0].sentences]
    store.close()


def test_english_passes_and_a_missing_package_leaves_none(settings: Settings, russian: Document) -> None:
    english = make_document("en-1", "en", "Putin met Japarov in Bishkek. Trade grew.")
    hindi = make_document("hi-1", "hi", "पुतिन ने बिश्केक में बात की। व्यापार बढ़ा।")
    arabic = make_document("ar-1", "ar", "التقى بوتين جباروف.")
    store = Store(":memory:")
    docs, missing = translate_documents([hindi, english, russian, arabic], ArgosTranslator(settings), store)
    assert missing == ["ar", "hi"]
    assert docs[1] == english
    assert all(s.translation is None for s in docs[0].sentences + docs[3].sentences)
    assert all(s.translation for s in docs[2].sentences)
    assert [d.id for d in docs] == ["hi-1", "en-1", "ru-1", "ar-1"]
    assert "reader models install ar hi" in missing_message(missing)
    with pytest.raises(ModelMissing):
        require_packages(missing)
    require_packages([])


def test_cancel_between_batches_keeps_what_was_done(settings: Settings, russian: Document) -> None:
    store = Store(":memory:")
    cancel = threading.Event()
    settings = Settings.from_env(threads=1, translate_batch_size=4)
    translator = ArgosTranslator(settings)

    def stop_after_first_batch(progress: Progress) -> None:
        if translator.batches_run >= 1:
            cancel.set()

    with pytest.raises(Cancelled):
        translate_documents([russian], translator, store, progress=stop_after_first_batch, cancel=cancel)
    assert translator.batches_run == 1
    assert store.counts()["translations"] == 4


class FakeTranslator:
    """Any Translator works with the stage: it only needs package_for and translate."""

    batch_size = 2

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def package_for(self, lang: str) -> str | None:
        return "fake-ru_en-1" if lang == "ru" else None

    def translate(self, lang: str, texts: list[str]) -> list[str]:
        self.calls.append(list(texts))
        return [t.upper() for t in texts]


def test_the_stage_dedupes_and_uses_the_translators_batch_size() -> None:
    doc = make_document("ru-1", "ru", "Да. Нет. Да. Может быть.")
    fake = FakeTranslator()
    docs, _ = translate_documents([doc], fake, Store(":memory:"))
    assert [s.translation for s in docs[0].sentences] == ["ДА.", "НЕТ.", "ДА.", "МОЖЕТ БЫТЬ."]
    assert sum(len(c) for c in fake.calls) == 3 and all(len(c) <= 2 for c in fake.calls)


def test_a_broken_install_is_a_reader_error(settings: Settings) -> None:
    model = settings.packages_dir / "translate-ru_en-1.9" / "model" / "model.bin"
    model.write_bytes(b"garbage")
    from reader.errors import ReaderError

    with pytest.raises(ReaderError, match="cannot load the translation package translate-ru_en-1.9"):
        ArgosTranslator(settings).translate("ru", ["Привет."])


# ------------------------------------------------------------------ through the pipeline
@pytest.mark.slow  # the full pipeline: aligning and comparing take seconds; translating takes milliseconds
def test_the_pipeline_fills_russian_translations_and_caches_them(settings: Settings, corpus_dir: Path) -> None:
    from reader import pipeline

    translator = ArgosTranslator(settings)
    parts = pipeline.Components(embedder=HashEmbedder(), translator=translator)
    report = pipeline.build_report([corpus_dir], settings, components=parts)
    russian = [d for d in report.documents if d.article.lang == "ru"]
    assert russian and all(s.translation is not None for d in russian for s in d.sentences)
    for doc in report.documents:
        if doc.article.lang != "ru":  # no packages for hi and ar here; English passes through
            assert all(s.translation is None for s in doc.sentences)
    assert translator.sentences_translated > 0
    assert translator.batches_run < sum(len(d.sentences) for d in russian)

    again = ArgosTranslator(settings)
    parts = pipeline.Components(embedder=HashEmbedder(), translator=again)
    report2 = pipeline.build_report([corpus_dir], settings, components=parts)
    assert (again.sentences_translated, again.batches_run) == (0, 0)
    assert [s.translation for d in report2.documents for s in d.sentences] == [
        s.translation for d in report.documents for s in d.sentences
    ]

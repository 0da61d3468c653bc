"""Benchmark: reader's batched translation path against argostranslate's own ``translate()``.

    .venv/bin/python scripts/bench_translate.py [--package PATH.argosmodel] [--sentences 300]

Both paths run in this process on the same package and the same sentences (the
Russian sample's sentences, repeated to ``--sentences``), with the same beam size
and threads, after one warm-up call each (model loading is not timed):

* reader: ``ArgosTranslator.translate`` — tokenizer + CTranslate2 ``translate_batch``
  on length-sorted batches of ``translate_batch_size``;
* argostranslate: ``argostranslate.translate.translate(sentence, "ru", "en")`` once
  per sentence (how a caller with ready-split sentences uses it). Its sentence
  splitter (MiniSBD, which downloads its model, or stanza) is replaced on the
  loaded ``PackageTranslation`` by one that returns the text whole, so nothing
  reaches the network; beam size, threads and batch size are set to reader's in
  ``argostranslate.settings``.

Then the cache: ``translate_documents`` twice over the same documents with one
SQLite store (first run cold, second run warm), with times and translation counts.

Without ``--package`` a tiny random-weight package is built (tests/argos_fixture.py),
so the figures measure overheads around the model rather than a real model's
compute; pass a real ``translate-ru_en-*.argosmodel`` for a real-model figure.
Everything (packages, cache, argostranslate's dirs) lives in a temporary directory.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", type=Path, help="a ru→en .argosmodel (default: build the tiny test package)")
    parser.add_argument("--sentences", type=int, default=300, help="how many sentences to translate")
    parser.add_argument("--threads", type=int, default=0, help="CPU threads (0: one per core)")
    parser.add_argument("--d-model", type=int, default=32, help="width of the built random model (512 is Argos-sized)")
    parser.add_argument("--layers", type=int, default=1, help="encoder/decoder layers of the built random model")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    for name in ("READER_CACHE_DIR", "READER_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(work / name.lower())
    os.environ.pop("READER_PACKAGES_DIR", None)

    import argos_fixture
    from reader.argos_packages import argos, install_file
    from reader.model import Article, Document, Sentence
    from reader.settings import Settings
    from reader.store import Store
    from reader.translate import ArgosTranslator, translate_documents

    settings = Settings.from_env(threads=args.threads or None)
    started = time.perf_counter()
    package_file = args.package or argos_fixture.build_argosmodel(work / "built", d_model=args.d_model, layers=args.layers)
    built = time.perf_counter() - started
    info = install_file(settings, package_file)
    base = argos_fixture.sample_russian_sentences()
    sentences = [base[i % len(base)] for i in range(args.sentences)]
    kind = "given" if args.package else f"random, d_model {args.d_model}, {args.layers} layers, built in {built:.1f} s"
    print(f"package: {info.id} ({kind})")
    print(
        f"sentences: {len(sentences)} ({len(base)} distinct, repeated); beam {settings.translate_beam_size}, "
        f"batch {settings.translate_batch_size}, threads {settings.cpu_threads}"
    )

    # ------------------------------------------------------------ reader's batched path
    reader_tr = ArgosTranslator(settings)
    reader_tr.translate("ru", sentences[:2])  # load + warm up
    reader_tr.batches_run = 0
    t0 = time.perf_counter()
    reader_out = reader_tr.translate("ru", sentences)
    reader_s = time.perf_counter() - t0
    print(f"reader batched:          {len(sentences) / reader_s:9.1f} sentences/s  ({reader_s:.3f} s, {reader_tr.batches_run} translate_batch calls)")

    # ------------------------------------------------------------ argostranslate's translate()
    argos(settings)  # argostranslate's settings and directories inside the temporary dirs
    import argostranslate.settings as argos_settings

    argos_settings.beam_size = settings.translate_beam_size
    argos_settings.batch_size = settings.translate_batch_size
    argos_settings.inter_threads = 1
    argos_settings.intra_threads = settings.cpu_threads
    argos_settings.package_dirs = [settings.packages_dir]
    import argostranslate.translate as argos_translate

    class WholeText:
        """A sentence splitter that keeps the text whole (the input is one sentence already)."""

        def split_sentences(self, text: str) -> list[str]:
            return [text]

    translation = argos_translate.get_translation_from_codes("ru", "en")
    underlying = getattr(translation, "underlying", translation)  # CachedTranslation -> PackageTranslation
    underlying.sentencizer = WholeText()
    argos_translate.translate(sentences[0], "ru", "en")  # load + warm up
    t0 = time.perf_counter()
    argos_out = [argos_translate.translate(s, "ru", "en") for s in sentences]
    argos_s = time.perf_counter() - t0
    print(f"argostranslate translate(): {len(sentences) / argos_s:6.1f} sentences/s  ({argos_s:.3f} s, one call per sentence)")
    print(f"speed-up: {argos_s / reader_s:.1f}x  (goal: at least 3x)")
    same = sum(a == b for a, b in zip(reader_out, argos_out, strict=True))
    print(f"identical outputs: {same}/{len(sentences)} (beam search on padded batches may differ in ties)")

    # ------------------------------------------------------------ the cache
    text = "\n".join(sentences)
    article = Article(id="ru-1", path="bench.txt", lang="ru", text=text, body_start=0, body_end=len(text))
    spans, pos = [], 0
    for i, sentence in enumerate(sentences):
        spans.append(Sentence(f"ru-1:{i}", "ru-1", i, sentence, pos, pos + len(sentence)))
        pos += len(sentence) + 1
    documents = [Document(article, tuple(spans))]
    store = Store(settings.store_path)
    for label in ("first run (cold cache)", "second run (warm cache)"):
        translator = ArgosTranslator(settings)
        translator.translate("ru", sentences[:1])  # model loading is not the cache's effect
        translator.batches_run = translator.sentences_translated = 0
        t0 = time.perf_counter()
        out, _ = translate_documents(documents, translator, store)
        elapsed = time.perf_counter() - t0
        filled = sum(s.translation is not None for s in out[0].sentences)
        print(
            f"{label}: {elapsed * 1000:8.1f} ms, {translator.sentences_translated} translations performed "
            f"in {translator.batches_run} batches, {filled}/{len(sentences)} sentences filled"
        )
    store.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

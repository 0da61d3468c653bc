"""Translation into English: the Translator protocol, the Argos implementation, the pipeline stage.

Reader translates its own sentences (already split by ``reader.segment``), so
argostranslate's paragraph path (MiniSBD/stanza sentence splitting, which reach
for the network and lose reader's boundaries) is never used. Instead the
installed package's tokenizer (SentencePiece, or BPE) and its CTranslate2 model
are called directly, in batches of ``Settings.translate_batch_size`` sentences
sorted by length, with ``Settings.translate_beam_size`` and one thread per core.

Translations are cached in the Store under the package id (pair + version), so a
second run translates nothing. Models load lazily on first use, never at import.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from reader.argos_packages import PackageInfo, argos, find_package
from reader.errors import ModelMissing, ReaderError
from reader.model import Document
from reader.progress import Progress, ProgressFn, check_cancel, no_progress
from reader.settings import Settings
from reader.store import Store

ENGLISH = "en"


@runtime_checkable
class Translator(Protocol):
    """Translates sentences of one language into English."""

    def package_for(self, lang: str) -> str | None:
        """The id of the ``lang→en`` package (``translate-ru_en-1.9``), or None when there is none."""
        ...

    def translate(self, lang: str, texts: Sequence[str]) -> list[str]:
        """One English text per input text, in order."""
        ...


@dataclasses.dataclass
class _Loaded:
    info: PackageInfo
    tokenizer: Any  # argostranslate.tokenizer.Tokenizer: encode(str) -> list[str], decode(list[str]) -> str
    model: Any  # ctranslate2.Translator
    target_prefix: str


class ArgosTranslator:
    """Argos Translate packages from ``Settings.packages_dir``, called through CTranslate2 directly.

    ``batches_run`` counts calls to ``translate_batch`` and ``sentences_translated``
    the sentences sent to the model, so tests and benchmarks can check batching.
    """

    max_decoding_length = 256  # as argostranslate (CTranslate2's default)
    length_penalty = 0.2  # as argostranslate

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.batch_size = max(1, settings.translate_batch_size)
        self.beam_size = max(1, settings.translate_beam_size)
        self.batches_run = 0
        self.sentences_translated = 0
        self._packages: dict[str, PackageInfo | None] = {}
        self._loaded: dict[str, _Loaded] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ packages
    def _package(self, lang: str) -> PackageInfo | None:
        if lang not in self._packages:
            self._packages[lang] = find_package(self.settings, lang)
        return self._packages[lang]

    def package_for(self, lang: str) -> str | None:
        if lang == ENGLISH:
            return None
        info = self._package(lang)
        return info.id if info else None

    def _load(self, lang: str) -> _Loaded:
        with self._lock:
            if lang in self._loaded:
                return self._loaded[lang]
            info = self._package(lang)
            if info is None:
                raise ModelMissing(
                    f"no {lang}→en translation package is installed",
                    f"reader models install {lang}  (offline: reader models install --file PATH.argosmodel)",
                )
            argos(self.settings)  # contain argostranslate's directories before its first import
            import ctranslate2
            from argostranslate.package import Package

            try:
                package = Package(info.path)
                tokenizer = package.tokenizer
                model = ctranslate2.Translator(
                    str(info.model_dir),
                    device="cpu",
                    inter_threads=1,
                    intra_threads=self.settings.cpu_threads,
                    compute_type="auto",
                )
            except (OSError, RuntimeError, ValueError, AttributeError) as err:
                raise ReaderError(
                    f"cannot load the translation package {info.id} ({err})",
                    f"reinstall it: reader models remove {lang} && reader models install {lang}",
                ) from None
            loaded = _Loaded(info, tokenizer, model, str(getattr(package, "target_prefix", "") or ""))
            self._loaded[lang] = loaded
            return loaded

    # ------------------------------------------------------------ translation
    def translate(self, lang: str, texts: Sequence[str]) -> list[str]:
        """Translate ``texts`` in batches of ``batch_size``, shortest first (less padding)."""
        results = [""] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if not todo:
            return results
        loaded = self._load(lang)
        tokens = {i: loaded.tokenizer.encode(texts[i]) for i in todo}
        todo.sort(key=lambda i: len(tokens[i]))
        for start in range(0, len(todo), self.batch_size):
            chunk = todo[start : start + self.batch_size]
            batch = [tokens[i] for i in chunk]
            prefix = [[loaded.target_prefix] for _ in chunk] if loaded.target_prefix else None
            outputs = loaded.model.translate_batch(
                batch,
                target_prefix=prefix,
                beam_size=self.beam_size,
                num_hypotheses=1,
                max_batch_size=self.batch_size,
                max_decoding_length=self.max_decoding_length,
                length_penalty=self.length_penalty,
                replace_unknowns=True,
            )
            self.batches_run += 1
            self.sentences_translated += len(chunk)
            for i, output in zip(chunk, outputs, strict=True):
                results[i] = _decode(loaded, output.hypotheses[0])
        return results


def _decode(loaded: _Loaded, pieces: list[str]) -> str:
    text: str = loaded.tokenizer.decode(pieces)
    if loaded.target_prefix and text.startswith(loaded.target_prefix):
        text = text[len(loaded.target_prefix) :]
    return text.strip()


# ---------------------------------------------------------------- the pipeline stage
def translate_documents(
    documents: Sequence[Document],
    translator: Translator,
    store: Store,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> tuple[list[Document], list[str]]:
    """Fill ``Sentence.translation`` for every non-English sentence that has a package.

    Returns the documents (English ones unchanged; sentences of a language without
    a package keep ``translation=None``) and the sorted languages that had no
    package. Cached translations are used first; only misses reach the translator,
    in chunks of its ``batch_size``; each chunk is stored as soon as it is done, so
    a cancelled run keeps what it translated.
    """
    report = progress or no_progress
    by_lang: dict[str, set[str]] = {}
    for doc in documents:
        lang = doc.article.lang
        if lang == ENGLISH:
            continue
        by_lang.setdefault(lang, set()).update(s.text for s in doc.sentences if s.text.strip())

    missing: list[str] = []
    plan: list[tuple[str, str, list[str]]] = []  # lang, package id, texts to translate
    found: dict[str, dict[str, str]] = {}  # lang -> source -> English
    for lang in sorted(by_lang):
        package = translator.package_for(lang)
        if package is None:
            missing.append(lang)
            continue
        texts = sorted(by_lang[lang])
        found[lang] = store.get_translations(package, texts)
        plan.append((lang, package, [t for t in texts if t not in found[lang]]))

    total = sum(len(by_lang[lang]) for lang in found)
    done = total - sum(len(todo) for _, _, todo in plan)
    report(Progress("translating", done, total, f"{done} cached"))
    chunk_size = max(1, int(getattr(translator, "batch_size", 32)))
    for lang, package, todo in plan:
        for start in range(0, len(todo), chunk_size):
            check_cancel(cancel)
            chunk = todo[start : start + chunk_size]
            english = translator.translate(lang, chunk)
            if len(english) != len(chunk):
                raise ReaderError(f"the {lang}→en translator returned {len(english)} texts for {len(chunk)}")
            store.put_translations(package, zip(chunk, english, strict=True))
            found[lang].update(zip(chunk, english, strict=True))
            done += len(chunk)
            report(Progress("translating", done, total, f"{lang}→en"))

    out: list[Document] = []
    for doc in documents:
        table = found.get(doc.article.lang)
        if table is None:
            out.append(doc)
            continue
        sentences = tuple(dataclasses.replace(s, translation=table.get(s.text)) for s in doc.sentences)
        out.append(dataclasses.replace(doc, sentences=sentences))
    return out, missing


def missing_message(missing: Sequence[str]) -> str:
    """One line for the CLI when languages had no package (translations left empty)."""
    langs = ", ".join(missing)
    return f"no translation package for {langs}: translations left empty; install with: reader models install {' '.join(missing)}"


def require_packages(missing: Sequence[str]) -> None:
    """``--require-translation``: a missing package is an error."""
    if missing:
        raise ModelMissing(
            f"no translation package for {', '.join(missing)}",
            f"reader models install {' '.join(missing)}  (offline: reader models install --file PATH.argosmodel)",
        )

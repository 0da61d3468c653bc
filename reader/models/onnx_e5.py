"""multilingual-e5-small through ONNX Runtime: the same vectors as sentence-transformers gives,
without torch.

``OnnxE5Embedder`` has the interface of ``reader.embed.SentenceTransformerEmbedder``
(``model_id``, ``encode``, ``encode_with_tokens``, ``dimension``) and follows its
conventions exactly, so the rest of reader cannot tell them apart except by the model id:

* the "query: " prompt in front of every text, the folder's own fast tokenizer (``tokenizers``),
  truncation at 512 tokens;
* sentence vector = mean of the last hidden state over the attention mask, L2-normalised;
* token vectors = the last hidden state of the text's own tokens: the leading special token,
  the prompt's tokens and the trailing special token dropped; float16.

Texts are batched by token length (``length_batches``), so a batch pads little. The model is
exported on first use (``reader.models.onnx_export``) and loaded lazily; nothing loads at
import, and encoding imports onnxruntime, tokenizers and numpy only.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from reader.errors import ModelMissing
from reader.progress import Progress, ProgressFn, no_progress
from reader.settings import Settings

PROMPT = "query: "
MAX_TOKENS = 512  # the e5 folder's max_seq_length
# variant -> (file of the ONNX folder, the suffix of the model id: the cache key of its vectors).
# "int8" is the backend a user picks; "onnx-float32" is the exported graph before quantisation, for
# scripts/bench_embed.py and the tests that check the export (it has no calibration of its own).
VARIANTS = {"int8": ("model-int8.onnx", "onnx-int8"), "onnx-float32": ("model.onnx", "onnx-float32")}


def length_batches(lengths: Sequence[int], batch_size: int) -> list[np.ndarray]:
    """Indices of the texts in batches of at most ``batch_size``, by token length (shortest first),
    so that the texts of one batch need little padding. Every index appears once."""
    order = np.argsort(np.asarray(lengths, dtype=np.int64), kind="stable")
    size = max(1, int(batch_size))
    return [order[i : i + size] for i in range(0, len(order), size)]


def padded(ids: Sequence[Sequence[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Token ids laid into [batch, longest] int64 arrays: the ids (``pad_id`` after each text's
    end) and the attention mask (1 on the text's tokens)."""
    longest = max((len(row) for row in ids), default=0)
    input_ids = np.full((len(ids), longest), pad_id, dtype=np.int64)
    mask = np.zeros((len(ids), longest), dtype=np.int64)
    for row, tokens in enumerate(ids):
        input_ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    return input_ids, mask


def mean_pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """L2-normalised mean of each row's hidden states over its mask ([batch, seq, dim] -> [batch, dim])."""
    weights = mask.astype(np.float32)[:, :, None]
    sums = (hidden.astype(np.float32) * weights).sum(axis=1)
    means = sums / np.maximum(weights.sum(axis=1), 1e-9)
    return (means / np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def own_tokens(hidden: np.ndarray, length: int, skip: int) -> np.ndarray:
    """A text's own token vectors (float16) from its row of hidden states: the first ``skip``
    positions (the leading special token and the prompt) and the trailing special token go."""
    return np.ascontiguousarray(hidden[skip : max(skip, length - 1)], dtype=np.float16)


class OnnxE5Embedder:
    """e5 through ONNX Runtime (``backend``: a key of ``VARIANTS``), loaded on first encode."""

    def __init__(self, settings: Settings, progress: ProgressFn = no_progress, backend: str = "int8") -> None:
        from reader.embed import e5_model_id

        if backend not in VARIANTS:
            raise ValueError(f"not an ONNX backend: {backend!r} (one of {', '.join(VARIANTS)})")
        self.settings = settings
        self.backend = backend
        self.name = settings.embedding_model
        self.model_id = f"{e5_model_id()}/{VARIANTS[backend][1]}"
        self._progress = progress
        self._lock = threading.Lock()
        self._session = None
        self._tokenizer = None
        self._pad_id = 1
        self._skip = 1

    def _load(self):
        with self._lock:
            if self._session is not None:
                return self._session
            from reader.embed import ensure_e5
            from reader.models import onnx_export

            folder = onnx_export.ensure_onnx(ensure_e5(self.settings, self._progress), self._progress)
            self._progress(Progress("embedding", 0, 0, f"loading multilingual-e5-small ({self.backend}, ONNX Runtime)"))
            self._tokenizer, self._pad_id, self._skip = _tokenizer(folder)
            self._session = _session(folder / VARIANTS[self.backend][0], self.settings.cpu_threads)
            return self._session

    @property
    def dimension(self) -> int:
        session = self._load()
        return int(session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, with_tokens=False)[0]

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """One pass through the model for both the sentence vectors and the token vectors."""
        return self._run(texts, with_tokens=True)

    def _run(self, texts: Sequence[str], with_tokens: bool) -> tuple[np.ndarray, list[np.ndarray]]:
        session = self._load()
        if not texts:
            return np.zeros((0, 0), np.float32), []
        encodings = self._tokenizer.encode_batch([PROMPT + t for t in texts])
        ids = [e.ids for e in encodings]
        vectors: list[np.ndarray | None] = [None] * len(texts)
        tokens: list[np.ndarray | None] = [None] * len(texts)
        for batch in length_batches([len(row) for row in ids], self.settings.embed_batch_size):
            input_ids, mask = padded([ids[i] for i in batch], self._pad_id)
            (hidden,) = session.run(None, {"input_ids": input_ids, "attention_mask": mask})
            pooled = mean_pooled(hidden, mask)
            for row, index in enumerate(batch):
                vectors[index] = pooled[row]
                if with_tokens:
                    tokens[index] = own_tokens(hidden[row], len(ids[index]), self._skip)
        return np.stack(vectors), tokens if with_tokens else []  # type: ignore[arg-type, return-value]


def _tokenizer(folder: Path):
    """The e5 folder's fast tokenizer (truncating as sentence-transformers does), the padding id,
    and how many leading positions are not the text's own (the special token and the prompt's)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    pad_id = tokenizer.token_to_id("<pad>")
    # "query: " adds three tokens here; counted on a probe text, since the prompt's trailing space
    # merges into the next word (as SentenceTransformerEmbedder counts them).
    bare, prompted = tokenizer.encode_batch(["x", PROMPT + "x"], add_special_tokens=False)
    skip = 1 + max(0, len(prompted.ids) - len(bare.ids))
    return tokenizer, 1 if pad_id is None else pad_id, skip


def _session(path: Path, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, int(threads))
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: its notes on unused initialisers are not the user's business
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types for a bad or missing file
        raise ModelMissing(
            f"the ONNX model {path} cannot be loaded ({type(exc).__name__})",
            hint=f"delete {path.parent} and run again to export it anew, or READER_EMBEDDING_BACKEND=float32",
        ) from exc

"""Build a tiny, valid Argos Translate package (``.argosmodel``) offline, in seconds.

The package holds what a real one holds: ``metadata.json``, a SentencePiece model
(trained here on a few sentences) and a CTranslate2 transformer in ``model/``
(random weights written with ``ctranslate2.specs``: no network, no torch). Its
"translations" are nonsense, but every code path of a real package runs.

Used by the tests and by ``scripts/bench_translate.py``.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

SEEDS = Path("/work/shared/seeds")
ROOT = Path(__file__).resolve().parent.parent

# A few sentences for when the shared sample is not around.
FALLBACK_RU = (
    "В Бишкеке стартовали переговоры Путина и Жапарова.",
    "Главы государств обсудили сотрудничество между странами.",
    "Путин заявил, что отношения успешно развиваются.",
    "Москва является одним из ключевых партнеров Бишкека.",
    "В 2024 г. товарооборот между странами достиг рекордных показателей.",
)


def sample_russian_text() -> str:
    """The Russian sample report (the shared seed, else the corpus file without its front matter)."""
    candidates = [*sorted(SEEDS.glob("003_*.txt")), *sorted((ROOT / "corpora" / "bishkek-2025").glob("ru*.txt"))]
    for path in candidates:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if text.startswith("---\n"):
                text = text.split("\n---\n", 1)[-1]
            return text
    return "\n".join(FALLBACK_RU)


def sample_russian_sentences() -> list[str]:
    """The sample's sentences, split naively (lines, then after . ! ?)."""
    out: list[str] = []
    for line in sample_russian_text().splitlines():
        for part in re.split(r"(?<=[.!?…])\s+", line.strip()):
            if part.strip():
                out.append(part.strip())
    return out


def _train_sentencepiece(sentences: Sequence[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(sentences)),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    return buffer.getvalue()


def _random_transformer(vocab: list[str], model_dir: Path, *, d_model: int = 32, layers: int = 1, seed: int = 0) -> None:
    """Write a random-weight CTranslate2 transformer with a shared source/target vocabulary."""
    from ctranslate2.specs import common_spec, transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(layers, 2)
    ffn = 2 * d_model

    def matrix(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) * 0.3).astype(np.float32)

    def vector(n: int) -> np.ndarray:
        return (rng.standard_normal(n) * 0.1).astype(np.float32)

    def linear(lin: common_spec.LinearSpec, rows: int, cols: int) -> None:
        lin.weight = matrix(rows, cols)
        lin.bias = vector(rows)

    def norm(ln: common_spec.LayerNormSpec) -> None:
        ln.gamma = np.ones(d_model, dtype=np.float32)
        ln.beta = np.zeros(d_model, dtype=np.float32)

    def feed_forward(ff: transformer_spec.FeedForwardSpec) -> None:
        norm(ff.layer_norm)
        linear(ff.linear_0, ffn, d_model)
        linear(ff.linear_1, d_model, ffn)

    n = len(vocab)
    spec.encoder.embeddings[0].weight = matrix(n, d_model)
    norm(spec.encoder.layer_norm)
    for layer in spec.encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        feed_forward(layer.ffn)

    spec.decoder.embeddings.weight = matrix(n, d_model)
    norm(spec.decoder.layer_norm)
    spec.decoder.projection.weight = matrix(n, d_model)
    bias = vector(n)
    bias[vocab.index("</s>")] = 1.5  # a random model that stops after a few words
    spec.decoder.projection.bias = bias
    for layer in spec.decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d_model, d_model)
        linear(layer.attention.linear[1], 2 * d_model, d_model)
        linear(layer.attention.linear[2], d_model, d_model)
        feed_forward(layer.ffn)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))


def build_argosmodel(
    dest_dir: Path,
    *,
    from_code: str = "ru",
    to_code: str = "en",
    version: str = "1.9",
    sentences: Sequence[str] | None = None,
    vocab_size: int = 400,
    d_model: int = 32,
    layers: int = 1,
) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` into ``dest_dir`` and return its path."""
    import sentencepiece as spm

    dest_dir.mkdir(parents=True, exist_ok=True)
    texts = list(sentences) if sentences is not None else sample_russian_sentences()
    sp_bytes = _train_sentencepiece(texts, vocab_size)
    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]

    top = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    metadata = {
        "package_version": version,
        "argos_version": "1.9.0",
        "from_code": from_code,
        "from_name": {"ru": "Russian", "en": "English"}.get(from_code, from_code),
        "to_code": to_code,
        "to_name": {"ru": "Russian", "en": "English"}.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }
    out = dest_dir / f"translate-{from_code}_{to_code}-{version}.argosmodel"
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "model"
        _random_transformer(vocab, model_dir, d_model=d_model, layers=layers)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{top}/metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2))
            zf.writestr(f"{top}/sentencepiece.model", sp_bytes)
            zf.writestr(f"{top}/README.md", "A tiny random-weight package built by reader's tests.\n")
            for file in sorted(model_dir.rglob("*")):
                if file.is_file():
                    zf.write(file, f"{top}/model/{file.relative_to(model_dir).as_posix()}")
    return out


def rewrite_package(src: Path, dest: Path, *, drop: str | None = None, metadata: dict | None = None) -> Path:
    """Copy a package file, dropping members whose name ends with ``drop`` or replacing metadata.json."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if drop is not None and item.filename.endswith(drop):
                continue
            data = zin.read(item)
            if metadata is not None and item.filename.endswith("metadata.json"):
                data = json.dumps(metadata).encode("utf-8")
            zout.writestr(item, data)
    return dest


_BUILT: dict[str, Path] = {}


def tiny_package(**kwargs: object) -> Path:
    """The tiny ru→en package, built once per process into a temporary directory (reused after)."""
    key = repr(sorted(kwargs.items()))
    if key not in _BUILT or not _BUILT[key].is_file():
        _BUILT[key] = build_argosmodel(Path(tempfile.mkdtemp(prefix="argos-fixture-")), **kwargs)  # type: ignore[arg-type]
    return _BUILT[key]

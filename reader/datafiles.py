"""The data files of ``reader/data``: what CLDR lacks (wire abbreviations, currency nouns, hedge
words, units), exonyms, offices and kinds of visit. Each is a JSON object whose ``about`` entry
says what it holds and how it is read; :func:`table` gives the rest, read once."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["table"]

_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=16)
def table(name: str) -> dict[str, Any]:
    """The entries of ``reader/data/<name>``, its ``about`` entry left out."""
    data = json.loads((_DIR / name).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k != "about"}

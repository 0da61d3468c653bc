"""Right-to-left display order with each character's origin: no Textual here.

python-bidi's fast (Rust) ``get_display`` reorders but does not mirror: an Arabic
"(أيلول)" comes out with its parentheses facing away from the word (rule L4 is left
to a renderer, and a terminal does not do it). Its step-by-step Python algorithm
mirrors, and tells where each displayed character came from, which the claim view
needs to carry a highlight through the reordering.
"""

from __future__ import annotations

import unicodedata

from bidi import algorithm as _steps


def has_mirrored(text: str) -> bool:
    """True when ``text`` holds a character drawn mirrored in right-to-left runs (brackets, « »)."""
    return any(unicodedata.mirrored(ch) for ch in text)


def display_order(text: str, base: str) -> tuple[str, list[int]] | None:
    """``text`` reordered (and mirrored) for display in a paragraph of direction ``base``
    ("L" or "R"), and for each displayed character the position it came from. Characters the
    algorithm removes (rule X9: zero-width controls such as the Persian ZWNJ, which a
    terminal does not draw) are left out. None if positions went astray."""
    storage = _steps.get_empty_storage()
    level = _steps.PARAGRAPH_LEVELS[base]
    storage["base_level"], storage["base_dir"] = level, base
    _steps.get_embedding_levels(text, storage)
    for i, ch in enumerate(storage["chars"]):
        ch["at"] = i
    _steps.explicit_embed_and_overrides(storage)
    _steps.resolve_weak_types(storage)
    _steps.resolve_neutral_types(storage, False)
    _steps.resolve_implicit_levels(storage, False)
    _steps.reorder_resolved_levels(storage, False)
    _steps.apply_mirroring(storage, False)
    chars = storage["chars"]
    order = [c["at"] for c in chars]
    if len(set(order)) != len(order):
        return None
    return "".join(c["ch"] for c in chars), order

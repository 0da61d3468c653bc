"""Words of any script, in the forms that compare across spellings. Pure and stdlib only.

:func:`tokens` finds words (letters of any script with their combining marks, joined by an
inner apostrophe or hyphen) with their offsets; :func:`normalize_token` folds what the same word
may carry in different texts (case, ё, Arabic diacritics and alef/ya variants, Devanagari
nukta); :func:`arabic_variants` gives an Arabic word and what is left of it once its clitics
(و ف ب ل ك ال) are taken off the front, since Arabic writes "and", "in", "to" and "the" as
part of the next word.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["arabic_variants", "normalize_token", "script_of", "tokens"]

_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963"
_TOKEN = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])(?:[^\W\d_]|[{_MARKS}]|['’\-](?=[^\W\d_]))*")
_AR_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
_AR_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of ``text`` with their offsets (letters of any script with their combining marks)."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def normalize_token(tok: str) -> str:
    """Case-fold and remove script noise: ё→е, Arabic diacritics and alef/ya variants, Devanagari nukta."""
    t = tok.casefold().replace("ё", "е").replace("’", "'")
    t = _AR_DIACRITICS.sub("", t)
    t = t.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ى", "ي")
    t = unicodedata.normalize("NFD", t).replace("\u093c", "")  # nukta
    t = t.replace("\u0901", "\u0902")  # chandrabindu → anusvara
    return unicodedata.normalize("NFC", t)


def script_of(tok: str) -> str:
    """"cyrl", "arab", "deva", "han" or "latn" (the first letter's script; anything else counts as Latin)."""
    for ch in tok:
        o = ord(ch)
        if 0x0400 <= o <= 0x04FF:
            return "cyrl"
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F:
            return "arab"
        if 0x0900 <= o <= 0x097F:
            return "deva"
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
            return "han"
        if ch.isalpha():
            return "latn"
    return "latn"


def arabic_variants(tok: str) -> set[str]:
    """A (normalised) Arabic word and the forms left after stripping clitics (و ف ب ل ك ال) from its front."""
    out = {tok}
    frontier = [tok]
    while frontier:
        t = frontier.pop()
        for c in _AR_CLITICS:
            if t.startswith(c) and len(t) - len(c) >= 2:
                rest = t[len(c):]
                if c == "لل":
                    rest = "ال" + rest
                if rest not in out:
                    out.add(rest)
                    frontier.append(rest)
    return out

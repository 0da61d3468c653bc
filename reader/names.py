"""Names across scripts without a list: a consonant skeleton of each word's transliteration.

``Google``, ``Гугл``, ``غوغل`` and ``गूगल`` all become ``gl``; ``Erdoğan``, ``Эрдоган``,
``أردوغان`` and ``एर्दोगन`` become ``rdgn``. The skeleton is the word in Latin letters
(anyascii), folded where scripts and spelling traditions disagree (``dsch``/``zh``/``dj``
-> ``j``, ``sh``/``sch`` -> ``s``, ``kh`` -> ``k``, ``gh`` -> ``g``, ``p`` -> ``b``
(Arabic has no p), ``v`` -> ``f``, ``z`` -> ``s``, ``c``/``q`` -> ``k``), without vowels
and the letters that stand for them in Arabic script (``w``, ``y``, ``h``), and with
repeated letters collapsed.

Which words are names: in scripts with case, a word that starts with a capital (not a
stopword at the start of a sentence) or is written in capitals; in scripts without case
(Arabic, Devanagari, Chinese…) any word may be one, so a sentence offers every word's
skeleton and a pair of sentences decides which of them are names by what the other side,
or its document, calls a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from anyascii import anyascii

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-])*", re.UNICODE)
_FOLDS = (
    ("dsch", "j"), ("tsch", "c"), ("dzh", "j"), ("sch", "s"), ("zh", "j"), ("dj", "j"), ("sh", "s"),
    ("ch", "c"), ("kh", "k"), ("gh", "g"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ck", "k"), ("ts", "c"),
)
_LETTERS = str.maketrans({"p": "b", "v": "f", "z": "s", "c": "k", "q": "k", "x": "k", "w": None, "y": None,
                          "h": None, "a": None, "e": None, "i": None, "o": None, "u": None})
_CASELESS = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u0900-\u097f\u0980-\u09ff\u0e00-\u0e7f\u3040-\u30ff\u4e00-\u9fff]")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The consonant skeleton of one word in any script ("" when nothing is left)."""
    s = anyascii(word).lower()
    s = "".join(ch for ch in s if "a" <= ch <= "z")
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = s.translate(_LETTERS)
    return re.sub(r"(.)\1+", r"\1", s)


def caseless(word: str) -> bool:
    return bool(_CASELESS.match(word))


def sentence_keys(text: str, stopwords: frozenset[str] = frozenset()) -> tuple[frozenset[str], frozenset[str]]:
    """(names, words) of a sentence as skeletons of two letters or more: ``names`` the words that
    read as names (capitalised in a cased script), ``words`` every word of a script without case."""
    names, words = set(), set()
    for n, m in enumerate(_WORD.finditer(text)):
        word = m.group(0).strip("'’-")
        if not word:
            continue
        if caseless(word):
            key = skeleton(word)
            if len(key) >= 2:
                words.add(key)
            continue
        if not word[0].isupper():
            continue
        if n == 0 and (word.lower() in stopwords or len(word) < 4) and not word.isupper():
            continue
        key = skeleton(word)
        if len(key) >= 2:
            names.add(key)
    return frozenset(names), frozenset(words)


def document_keys(texts: Iterable[str], lang: str) -> frozenset[str]:
    """The names of a document as skeletons: its capitalised words in a script with case, its
    words of three consonants or more in a script without (function words have fewer), so a
    name in one report meets its spelling in another report in any script."""
    from reader.langid import stopwords

    stop = stopwords(lang)
    out: set[str] = set()
    for text in texts:
        names, words = sentence_keys(text, stop)
        out |= names
        out |= {w for w in words if len(w) >= 3}
    return frozenset(out)

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


_LATIN_BY_LANG = {  # letters a Latin alphabet reads its own way: Turkish c is the j of "Jim"
    "tr": str.maketrans({"c": "j", "C": "J", "ç": "ch", "Ç": "Ch"}),
    "az": str.maketrans({"c": "j", "C": "J", "ç": "ch", "Ç": "Ch"}),
}


@lru_cache(maxsize=65536)
def skeleton(word: str, lang: str = "") -> str:
    """The consonant skeleton of one word in any script ("" when nothing is left); ``lang`` for
    Latin alphabets that read a letter their own way (Turkish ``Caparov`` = ``Japarov``)."""
    if lang in _LATIN_BY_LANG:
        word = word.translate(_LATIN_BY_LANG[lang])
    s = anyascii(word).lower()
    s = "".join(ch for ch in s if "a" <= ch <= "z")
    for a, b in _FOLDS:
        s = s.replace(a, b)
    s = s.translate(_LETTERS)
    return re.sub(r"(.)\1+", r"\1", s)


def keys_match(a: str, b: str) -> bool:
    """Are two skeletons one name? Equal, or (three consonants or more) one is the other plus a
    final consonant: a case ending (Жапаров-ым ``jbrfm``), a German -w for -v (Dschaparow ``jbr``)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 3 and len(long_) == len(short) + 1 and long_.startswith(short)


def near_keys(a: str, b: str) -> bool:
    """Could two skeletons spell one name, transliterated by different conventions? :func:`keys_match`,
    or one edit apart (two for skeletons of six consonants or more): Цзиньпин ``kjnbn`` and Jinping
    ``jnbng``. For deciding that a report *does* name someone, never that two names are one."""
    if keys_match(a, b):
        return True
    if min(len(a), len(b)) < 3 or abs(len(a) - len(b)) > 2:
        return False
    limit = 2 if min(len(a), len(b)) >= 6 else 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= limit


def caseless(word: str) -> bool:
    return bool(_CASELESS.match(word))


def sentence_keys(text: str, stopwords: frozenset[str] = frozenset(), lang: str = ""
                  ) -> tuple[frozenset[str], frozenset[str]]:
    """(names, words) of a sentence as skeletons of two letters or more: ``names`` the words that
    read as names (capitalised in a cased script), ``words`` every word of a script without case."""
    names, words = set(), set()
    for n, m in enumerate(_WORD.finditer(text)):
        word = m.group(0).strip("'’-")
        if not word:
            continue
        if caseless(word):
            key = skeleton(word, lang)
            if len(key) >= 2:
                words.add(key)
            continue
        if not word[0].isupper():
            continue
        if n == 0 and (word.lower() in stopwords or len(word) < 4) and not word.isupper():
            continue
        key = skeleton(word, lang)
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
        names, words = sentence_keys(text, stop, lang)
        out |= names
        out |= {w for w in words if len(w) >= 3}
    return frozenset(out)


_PAIRED_QUOTES = re.compile(r"«([^«»\n]*)»|“([^“”\n]*)”|„([^„“”\n]*)[“”]|‹([^‹›\n]*)›")


def quoted_names(text: str, max_words: int = 3) -> list[str]:
    """Skeleton keys of short quoted names: «Ынтымак Ордо», "ينتيماك أوردو", «Росатом».

    Venues, companies and events are written in quotes in Russian and Arabic news, transliterated,
    so their skeletons agree across scripts. Straight quotes are paired in order (an Arabic sentence
    quoting two statements has four), so the text between two quotations is never taken for a
    name. Longer quotations are statements, not names; keys need three consonants.
    """
    spans = [next(g for g in m.groups() if g is not None) for m in _PAIRED_QUOTES.finditer(text)]
    straight = [i for i, ch in enumerate(text) if ch == '"']
    spans += [text[a + 1 : b] for a, b in zip(straight[::2], straight[1::2])]
    out = []
    for span in spans:
        words = _WORD.findall(span)
        if not 1 <= len(words) <= max_words or any(ch.isdigit() for ch in span):
            continue
        key = " ".join(k for w in words if (k := skeleton(w)))
        if len(key.replace(" ", "")) >= 3:
            out.append(key)
    return out

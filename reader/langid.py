"""Offline language detection: the script first, then letters and stopwords inside a script.

No model and no third-party package. The rules, in order:

1. Count the letters of ``text`` per script (Devanagari, Arabic, Cyrillic, Latin,
   Greek, Hebrew, Bengali, Thai, Hangul, kana, Han). The script with most letters wins.
2. A script used by one supported language gives that language
   (Devanagari -> hi, Greek -> el, Hebrew -> he, Bengali -> bn, Thai -> th,
   Hangul -> ko, kana -> ja, Han without kana -> zh).
3. Inside a shared script, letters unique to one language decide, then stopwords:
   - Arabic script: Urdu letters (ٹ ڈ ڑ ں ے) -> ur; Persian letters (پ چ ژ گ and
     Persian kaf/yeh without Arabic ة/ى) -> fa; otherwise ar.
   - Cyrillic: і ї є ґ -> uk; ы э ё or Russian stopwords -> ru; Bulgarian stopwords -> bg.
   - Latin: stopword counts (with diacritic hints) for en fr de es it pt nl pl tr sv;
     a Latin text with no stopword at all (a heading such as "Geography") is taken as
     English, the language of most Latin-script news in the corpora we read.
4. No letters at all ("16:40", "* * *") -> ``None``.

``SUPPORTED`` lists the languages Argos Translate has packages for; ``DETECTABLE``
the ones ``detect`` can return.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

#: ISO 639-1 codes Argos Translate has packages for (to or from English).
SUPPORTED: frozenset[str] = frozenset(
    "ar az bg bn ca cs da de el en eo es et eu fa fi fr ga gl he hi hu id it ja ko "
    "ky lt lv ms nb nl pl pt ro ru sk sl sq sr sv th tl tr uk ur vi zh".split()
)

_LATIN_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is that for it with as was on are be this by have from at "
                    "we you not which will has been were their they our would there i am what about do my me "
                    "he she his her an can all this these those who".split()),
    "fr": frozenset("le la les des et est une un du dans que qui pour pas sur au aux avec ce sont "
                    "il elle nous vous par plus ont été".split()),
    "de": frozenset("der die das und ist nicht ein eine zu den von mit sich des auf für im dem "
                    "auch es wir sie wird werden oder".split()),
    "es": frozenset("el la los las y es en que de del un una por con para se su al lo como más "
                    "pero sus fue han está".split()),
    "it": frozenset("il lo la gli le di che è e un una per non con del della sono si nel alla "
                    "anche come più dei ha".split()),
    "pt": frozenset("o a os as e é de do da dos das em um uma que não para com por no na se "
                    "mais foi são ao".split()),
    "nl": frozenset("de het een en van is dat niet te in op zijn voor met die er ook aan door "
                    "wordt maar als bij".split()),
    "pl": frozenset("w nie się że jest z jak po ale od przez dla są był tak oraz jego".split()),
    "tr": frozenset("ve bir bu da de için ile çok olarak daha olan gibi ama ne değil mi".split()),
    "sv": frozenset("och att det som en är på för med av den till inte har om ett var jag".split()),
}
_LATIN_HINTS: dict[str, str] = {  # letters that point at one language
    "pl": "ąćęłńśźż",
    "tr": "ğış",
    "de": "ß",
    "pt": "ãõ",
    "es": "ñ¿¡",
    "sv": "å",
}
_RU_STOP = frozenset("и в не на что с по как это он она они его но к из за от для же так".split())
_BG_STOP = frozenset("и в не на че се да с за от като това той тя са е ще по към".split())
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _script(ch: str) -> str | None:
    """The script of one letter, by code point range; ``None`` for non-letters."""
    if not ch.isalpha():
        return None
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o < 0x1F00:
        return "latin"
    if 0x370 <= o < 0x400 or 0x1F00 <= o < 0x2000:
        return "greek"
    if 0x400 <= o < 0x530:
        return "cyrillic"
    if 0x590 <= o < 0x600:
        return "hebrew"
    if 0x600 <= o < 0x700 or 0x750 <= o < 0x780 or 0xFB50 <= o < 0xFE00 or 0xFE70 <= o < 0xFF00:
        return "arabic"
    if 0x900 <= o < 0x980:
        return "devanagari"
    if 0x980 <= o < 0xA00:
        return "bengali"
    if 0xE00 <= o < 0xE80:
        return "thai"
    if 0x3040 <= o < 0x3100:
        return "kana"
    if 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200:
        return "hangul"
    if 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0:
        return "han"
    return "other"


_SINGLE_SCRIPT: dict[str, str] = {
    "devanagari": "hi",
    "greek": "el",
    "hebrew": "he",
    "bengali": "bn",
    "thai": "th",
    "hangul": "ko",
    "kana": "ja",
    "han": "zh",
}


#: The languages ``detect`` can return.
DETECTABLE: frozenset[str] = frozenset(
    set(_SINGLE_SCRIPT.values()) | {"ar", "fa", "ur", "ru", "uk", "bg"} | set(_LATIN_STOPWORDS)
)


def stopwords(lang: str) -> frozenset[str]:
    """The function words ``detect`` knows for a language (Latin-script ones, Russian, Bulgarian)."""
    return {"ru": _RU_STOP, "bg": _BG_STOP}.get(lang) or _LATIN_STOPWORDS.get(lang, frozenset())


def scripts(text: str) -> Counter[str]:
    """Letters of ``text`` counted per script."""
    counts: Counter[str] = Counter()
    for ch in text:
        s = _script(ch)
        if s is not None:
            counts[s] += 1
    return counts


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or ``None`` when it has no letters or an unknown script."""
    counts = scripts(unicodedata.normalize("NFC", text))
    if not counts:
        return None
    top, _ = counts.most_common(1)[0]
    if top == "han" and counts.get("kana"):
        return "ja"
    if top in _SINGLE_SCRIPT:
        return _SINGLE_SCRIPT[top]
    if top == "arabic":
        return _arabic(text)
    if top == "cyrillic":
        return _cyrillic(text)
    if top == "latin":
        return _latin(text)
    return None


def _arabic(text: str) -> str:
    if any(ch in text for ch in "ٹڈڑںے"):
        return "ur"
    arabic_only = sum(text.count(ch) for ch in "ةىك")
    persian = sum(text.count(ch) for ch in "پچژگکی")
    if persian > arabic_only:
        return "fa"
    return "ar"


def _cyrillic(text: str) -> str:
    lower = text.lower()
    if any(ch in lower for ch in "іїєґ"):
        return "uk"
    if any(ch in lower for ch in "ыэё"):
        return "ru"
    words = _WORD.findall(lower)
    ru = sum(w in _RU_STOP for w in words)
    bg = sum(w in _BG_STOP for w in words)
    return "bg" if bg > ru else "ru"


def _latin(text: str) -> str:
    lower = text.lower()
    words = _WORD.findall(lower)
    scores: Counter[str] = Counter()
    for lang, stop in _LATIN_STOPWORDS.items():
        scores[lang] = sum(w in stop for w in words)
    for lang, letters in _LATIN_HINTS.items():
        scores[lang] += 2 * sum(lower.count(ch) for ch in letters)
    best = max(scores.values())
    if best == 0:
        return "en"
    if scores["en"] == best:  # prefer English on ties: the common case for mixed headings
        return "en"
    return max(scores, key=lambda lang: (scores[lang], lang == "en"))

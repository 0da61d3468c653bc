"""Offline language detection: the script first, then a model inside a script several languages share.

The rules, in order:

1. Count the letters of ``text`` per script (Devanagari, Arabic, Cyrillic, Latin,
   Greek, Hebrew, Bengali, Thai, Hangul, kana, Han). The script with most letters wins.
2. A script used by one supported language gives that language
   (Devanagari -> hi, Greek -> el, Hebrew -> he, Bengali -> bn, Thai -> th,
   Hangul -> ko, kana -> ja, Han without kana -> zh).
3. Inside a shared script (Cyrillic, Latin, Arabic), py3langid's naive Bayes model
   (character n-grams; bundled with the package, numpy only, offline) ranks the
   languages reader knows in that script: ``SUPPORTED`` ones and ``NEIGHBOURS``
   (Kazakh, Croatian…: unsupported, but recognised so that they are not taken for
   Kyrgyz, Ukrainian or English). Its answer counts when it holds at least half of
   the probability among them (with its close relatives, ``_RELATIVES``: Croatian,
   Bosnian and Serbian in Latin letters split one language's mass).
4. Short or ambiguous text (a heading, a name, "Colleagues,") falls back to letters
   and stopwords:
   - Arabic script: Urdu letters (ٹ ڈ ڑ ں ے) -> ur; Persian letters (پ چ ژ گ and
     Persian kaf/yeh without Arabic ة/ى) -> fa; otherwise ar.
   - Cyrillic: Kazakh letters (ә ғ қ ұ һ) -> kk; Kyrgyz ones (ң ө ү) -> ky; ђ ћ -> sr;
     ѓ ќ ѕ -> mk; ў -> be; і ї є ґ -> uk; ј љ њ џ -> sr; ы э ё or Russian stopwords
     -> ru; Bulgarian stopwords -> bg.
   - Latin: stopword counts (with diacritic hints) for en fr de es it pt nl pl tr sv;
     a Latin text with no stopword at all (a heading such as "Geography") is taken as
     English, the language of most Latin-script news in the corpora we read.
5. No letters at all ("16:40", "* * *") -> ``None``.

``SUPPORTED`` lists the languages Argos Translate has packages for; ``DETECTABLE``
the supported ones ``detect`` can return, ``NEIGHBOURS`` the unsupported ones it may
return (reading refuses them rather than translate Kazakh as Kyrgyz).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from typing import Any

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


#: Unsupported languages ``detect`` recognises in a shared script, so that a text in one is
#: not taken for a supported language of that script (Kazakh for Kyrgyz or Ukrainian,
#: Croatian and Bosnian for English or Serbian, Macedonian for Bulgarian, Belarusian for
#: Ukrainian or Russian).
NEIGHBOURS: frozenset[str] = frozenset({"kk", "hr", "bs", "mk", "be"})

#: The languages the model chooses between, per shared script (reader's codes).
_SCRIPT_LANGS: dict[str, frozenset[str]] = {
    "cyrillic": frozenset("ru uk bg sr ky kk mk be".split()),
    "latin": frozenset(
        "az ca cs da de en eo es et eu fi fr ga gl hu id it lt lv ms nb nl pl pt ro sk sl sq sr sv tl "
        "tr vi hr bs".split()
    ),
    "arabic": frozenset({"ar", "fa", "ur"}),
}
#: Close relatives the model splits one text's probability between: its answer is trusted
#: when the family holds most of it, and the family's most probable member is the answer.
_RELATIVES: tuple[frozenset[str], ...] = (
    frozenset({"hr", "bs", "sr"}),
    frozenset({"id", "ms"}),
    frozenset({"cs", "sk"}),
    frozenset({"da", "nb"}),
)
_MODEL_CONFIDENCE = 0.5  # share of the script's probability the model's answer must hold
_MODEL_CHARS = 20_000  # the model reads the start of a long text

#: The supported languages ``detect`` can return.
DETECTABLE: frozenset[str] = frozenset(set(_SINGLE_SCRIPT.values()).union(*_SCRIPT_LANGS.values())) - NEIGHBOURS


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
    """The ISO 639-1 code of ``text``'s language, or ``None`` when it has no letters or an unknown script.

    The code is one of ``DETECTABLE`` or ``NEIGHBOURS``.
    """
    text = unicodedata.normalize("NFC", text)
    counts = scripts(text)
    if not counts:
        return None
    top, _ = counts.most_common(1)[0]
    if top == "han" and counts.get("kana"):
        return "ja"
    if top in _SINGLE_SCRIPT:
        return _SINGLE_SCRIPT[top]
    if top not in _SCRIPT_LANGS:
        return None
    by_model = _by_model(text, top)
    if by_model is not None:
        return by_model
    if top == "arabic":
        return _arabic(text)
    if top == "cyrillic":
        return _cyrillic(text)
    return _latin(text)


def _by_model(text: str, script: str) -> str | None:
    """The model's language among ``script``'s candidates, or ``None`` when it is not sure."""
    identifier, to_reader = _model()
    shares: dict[str, float] = {}
    for label, p in identifier.rank(text[:_MODEL_CHARS]):
        lang = to_reader.get(label, label)
        if lang in _SCRIPT_LANGS[script]:
            shares[lang] = shares.get(lang, 0.0) + p
    total = sum(shares.values())
    if total <= 0:
        return None
    best = max(shares, key=shares.__getitem__)
    family = next((f for f in _RELATIVES if best in f), frozenset({best}))
    held = sum(shares.get(lang, 0.0) for lang in family) / total
    return best if held >= _MODEL_CONFIDENCE else None


_model_lock = threading.Lock()
_identifier: tuple[Any, dict[str, str]] | None = None


def _model() -> tuple[Any, dict[str, str]]:
    """py3langid's identifier restricted to the model languages, and its labels -> reader's codes.

    Loaded once (about a second: the bundled model is decompressed); an instance of its own,
    so that nothing else using py3langid sees the restriction.
    """
    global _identifier
    with _model_lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            labels = set(identifier.labels)
            to_reader = {"no": "nb"} if "nb" not in labels else {}  # py3langid 0.4 has Norwegian as "no"
            to_model = {v: k for k, v in to_reader.items()}
            wanted = {to_model.get(lang, lang) for lang in set().union(*_SCRIPT_LANGS.values())}
            identifier.set_languages(sorted(wanted & labels))
            _identifier = identifier, to_reader
        return _identifier


def _arabic(text: str) -> str:
    if any(ch in text for ch in "ٹڈڑںے"):
        return "ur"
    arabic_only = sum(text.count(ch) for ch in "ةىك")
    persian = sum(text.count(ch) for ch in "پچژگکی")
    if persian > arabic_only:
        return "fa"
    return "ar"


# letters that point at one Cyrillic language when the ones listed before them are absent
_CYRILLIC_LETTERS: tuple[tuple[str, str], ...] = (
    ("kk", "әғқұһ"),
    ("ky", "ңөү"),
    ("sr", "ђћ"),
    ("mk", "ѓќѕ"),
    ("be", "ў"),
    ("uk", "іїєґ"),
    ("sr", "јљњџ"),
    ("ru", "ыэё"),
)


def _cyrillic(text: str) -> str:
    lower = text.lower()
    for lang, letters in _CYRILLIC_LETTERS:
        if any(ch in lower for ch in letters):
            return lang
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

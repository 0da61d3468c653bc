"""People, places and organisations across scripts: a small gazetteer plus a transliteration matcher.

Pure and stdlib only. Two routes find a name:

* the **gazetteer** (:data:`GAZETTEER`): curated aliases for the domain (Russia, Central Asia, the
  CSTO/CIS summits), in Russian, Arabic, Hindi and English, matched with the morphology each
  script needs: Russian case endings (Жапарова, Жапаровым), Arabic clitics (و ب ل ف ك ال),
  Devanagari nukta variants (किर्गिज़स्तान = किर्गिजस्तान);
* a **skeleton** (:func:`skeleton`): a Latin consonant key made by transliterating Cyrillic,
  Arabic or Devanagari and folding sounds that the scripts write differently (p/b, v/w/f, zh/j…),
  so Жапаров, جباروف, जापारोव and Japarov share the key ``jbrv``. :func:`same_name` and
  :func:`find_name` use it for names the gazetteer does not know.

A :class:`Mention` is one place in a text where an entity is named. ``role`` mentions are
descriptions that stand for a person in this domain ("the Russian leader", «президент России»,
«الرئيس الروسي», "रूसी नेता" = Putin): they count when deciding who spoke or whether a person is
covered, never as a named person on their own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Entity",
    "Mention",
    "GAZETTEER",
    "find_mentions",
    "find_name",
    "quoted_names",
    "normalize_token",
    "same_name",
    "skeleton",
    "tokens",
    "transliterate",
]


@dataclass(frozen=True)
class Entity:
    id: str  # canonical id: "person:putin", "place:bishkek", "org:csto"
    kind: str  # "person", "place", "org"
    name: str  # English display name
    aliases: tuple[str, ...]  # full names in any script (multi-word allowed)
    roles: tuple[str, ...] = ()  # descriptions standing for the person in this domain
    city: bool = False  # a city (places only): cities are concrete enough to conflict


@dataclass(frozen=True)
class Mention:
    entity: str  # Entity.id
    kind: str
    start: int  # character offsets into the text searched
    end: int
    surface: str
    role: bool = False


def _p(id_: str, name: str, *aliases: str, roles: tuple[str, ...] = ()) -> Entity:
    return Entity(f"person:{id_}", "person", name, (name, *aliases), roles)


def _c(id_: str, name: str, *aliases: str, city: bool = False) -> Entity:
    return Entity(f"place:{id_}", "place", name, (name, *aliases), (), city)


def _o(id_: str, name: str, *aliases: str) -> Entity:
    return Entity(f"org:{id_}", "org", name, (name, *aliases))


GAZETTEER: tuple[Entity, ...] = (
    # people
    _p(
        "putin", "Putin", "Vladimir Putin", "Путин", "بوتين", "पुतिन",
        roles=(
            "Russian President", "President of Russia", "Russian leader", "Russian President Vladimir",
            "президент России", "президент РФ", "российский лидер", "глава российского государства",
            "الرئيس الروسي", "رئيس روسيا", "رئيس روسيا الاتحادية",
            "रूसी नेता", "रूसी राष्ट्रपति", "रूस के राष्ट्रपति",
        ),
    ),
    _p(
        "japarov", "Japarov", "Sadyr Japarov", "Zhaparov", "Жапаров", "Джапаров", "جباروف", "جاباروف",
        "जापारोव", "जपारोव",
        roles=(
            "Kyrgyz President", "President of Kyrgyzstan", "Kyrgyz leader", "Kyrgyz counterpart",
            "президент Киргизии", "президент Кыргызстана", "киргизский лидер", "киргизский коллега",
            "الرئيس القيرغيزي", "الرئيس القرغيزي", "نظيره القيرغيزي", "نظيره القرغيزي",
            "किर्गिज़ नेता", "किर्गिज़ राष्ट्रपति",
        ),
    ),
    _p("lukashenko", "Lukashenko", "Лукашенко", "لوكاشينكو", "لوكاشنكو", "लुकाशेंको", "लुकाशेन्को",
       roles=("president of Belarus", "Belarusian President", "президент Белоруссии", "президент Беларуси",
              "رئيس بيلاروس", "الرئيس البيلاروسي", "बेलारूस के राष्ट्रपति")),
    _p("ushakov", "Ushakov", "Yuri Ushakov", "Ушаков", "أوشاكوف", "اوشاكوف", "उशाकोव"),
    _p("peskov", "Peskov", "Dmitry Peskov", "Песков", "بيسكوف", "पेसकोव", "पेस्कोव"),
    _p("oreshkin", "Oreshkin", "Орешкин", "أوريشكين", "ओरेश्किन"),
    _p("likhachev", "Likhachev", "Лихачев", "Лихачёв", "ليخاتشوف", "लिखाचेव"),
    _p("medinsky", "Medinsky", "Мединский", "ميدينسكي", "मेडिंस्की"),
    _p("lavrov", "Lavrov", "Лавров", "لافروف", "लावरोव"),
    _p("tokayev", "Tokayev", "Токаев", "توكاييف", "توكايف", "तोकायेव"),
    _p("mirziyoyev", "Mirziyoyev", "Мирзиёев", "ميرضيائيف", "ميرزيوييف", "मिर्ज़ियोयेव"),
    _p("rahmon", "Rahmon", "Рахмон", "رحمن", "रहमोन"),
    _p("pashinyan", "Pashinyan", "Пашинян", "باشينيان", "पशिनयान"),
    _p("aliyev", "Aliyev", "Алиев", "علييف", "अलीयेव"),
    _p("trump", "Trump", "Трамп", "ترامب", "ट्रंप", "ट्रम्प"),
    _p("zelensky", "Zelensky", "Зеленский", "زيلينسكي", "ज़ेलेंस्की"),
    _p("witkoff", "Witkoff", "Уиткофф", "ويتكوف", "विटकॉफ़"),
    _p("shoigu", "Shoigu", "Шойгу", "شويغو", "शोइगु"),
    # places: cities
    _c("bishkek", "Bishkek", "Бишкек", "بيشكيك", "بشكيك", "बिश्केक", city=True),
    _c("moscow", "Moscow", "Москва", "موسكو", "मास्को", "मॉस्को", city=True),
    _c("st-petersburg", "St Petersburg", "Saint Petersburg", "St. Petersburg", "Санкт-Петербург", "Петербург",
       "سان بطرسبرغ", "سانت بطرسبرغ", "بطرسبورغ", "सेंट पीटर्सबर्ग", city=True),
    _c("astana", "Astana", "Астана", "أستانا", "अस्ताना", city=True),
    _c("minsk", "Minsk", "Минск", "مينسك", "मिन्स्क", city=True),
    _c("tashkent", "Tashkent", "Ташкент", "طشقند", "ताशकंद", city=True),
    _c("dushanbe", "Dushanbe", "Душанбе", "دوشانبي", "दुशांबे", city=True),
    _c("yerevan", "Yerevan", "Ереван", "يريفان", "येरेवान", city=True),
    _c("kyiv", "Kyiv", "Kiev", "Киев", "كييف", "कीव", city=True),
    _c("washington", "Washington", "Вашингтон", "واشنطن", "वाशिंगटन", city=True),
    _c("pskov", "Pskov", "Псков", "بسكوف", "प्सकोव", city=True),
    _c("astrakhan", "Astrakhan", "Астрахань", "أستراخان", "अस्त्राखान", city=True),
    # places: countries and regions
    _c("russia", "Russia", "Russian Federation", "Россия", "РФ", "Российская Федерация", "روسيا", "روسيا الاتحادية",
       "रूस"),
    _c("kyrgyzstan", "Kyrgyzstan", "Kyrgyz Republic", "Киргизия", "Кыргызстан", "Киргизская Республика",
       "قيرغيزستان", "قرغيزستان", "قيرغيزيا", "किर्गिज़स्तान", "किर्गिस्तान", "किर्गिज़िस्तान"),
    _c("belarus", "Belarus", "Белоруссия", "Беларусь", "بيلاروس", "بيلاروسيا", "बेलारूस"),
    _c("kazakhstan", "Kazakhstan", "Казахстан", "كازاخستان", "कज़ाख़स्तान", "कजाकिस्तान"),
    _c("ukraine", "Ukraine", "Украина", "أوكرانيا", "यूक्रेन"),
    _c("usa", "United States", "USA", "US", "America", "США", "Америка", "الولايات المتحدة", "أمريكا", "अमेरिका"),
    _c("europe", "Europe", "Европа", "أوروبا", "यूरोप"),
    # organisations
    _o("csto", "CSTO", "Collective Security Treaty Organization", "Collective Security Treaty Organisation",
       "ОДКБ", "Организация Договора о коллективной безопасности", "منظمة معاهدة الأمن الجماعي",
       "सामूहिक सुरक्षा संधि संगठन"),
    _o("cis", "CIS", "Commonwealth of Independent States", "СНГ", "Содружество Независимых Государств",
       "رابطة الدول المستقلة", "كومنولث الدول المستقلة", "स्वतंत्र राष्ट्रों का राष्ट्रमंडल"),
    _o("eaeu", "EAEU", "Eurasian Economic Union", "ЕАЭС", "الاتحاد الاقتصادي الأوراسي", "यूरेशियन आर्थिक संघ"),
    _o("sco", "SCO", "Shanghai Cooperation Organisation", "ШОС", "منظمة شنغهاي للتعاون", "शंघाई सहयोग संगठन"),
    _o("un", "United Nations", "UN", "ООН", "الأمم المتحدة", "संयुक्त राष्ट्र"),
    _o("rosatom", "Rosatom", "Росатом", "روساتوم", "रोसाटॉम"),
    _o("kremlin", "Kremlin", "Кремль", "الكرملين", "क्रेमलिन"),
    _o("defence-ministry", "Defence Ministry", "Ministry of Defence", "Минобороны", "Министерство обороны",
       "وزارة الدفاع", "रक्षा मंत्रालय"),
)

# ------------------------------------------------------------------ tokens and normal forms
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963"
_TOKEN = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])(?:[^\W\d_]|[{_MARKS}]|['’\-](?=[^\W\d_]))*")
_AR_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
_AR_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_RU_ENDINGS = ("", "а", "у", "ом", "ым", "ой", "е", "ы", "ого", "ому", "ем", "и", "ю", "ей", "ым", "ом", "ая", "ую",
               "ий", "им", "их", "ими", "ам", "ами", "ах", "я", "ь", "ов")


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


def _script(tok: str) -> str:
    for ch in tok:
        o = ord(ch)
        if 0x0400 <= o <= 0x04FF:
            return "cyrl"
        if 0x0600 <= o <= 0x06FF:
            return "arab"
        if 0x0900 <= o <= 0x097F:
            return "deva"
        if ch.isalpha():
            return "latn"
    return "latn"


def _ar_variants(tok: str) -> set[str]:
    """A token and the forms left after stripping Arabic clitics (و ف ب ل ك ال) from its front."""
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


def _ru_stem(alias_tok: str) -> str:
    return alias_tok[:-1] if alias_tok and alias_tok[-1] in "аяьйое" and len(alias_tok) > 3 else alias_tok


def _token_matches(text_tok: str, alias_tok: str) -> bool:
    """Does a normalised text token realise a normalised alias token (allowing inflection and clitics)?"""
    if text_tok == alias_tok:
        return True
    script = _script(alias_tok)
    if script == "cyrl":
        if alias_tok.isupper() or len(alias_tok) <= 3:  # abbreviations (РФ, ОДКБ) do not inflect here
            return False
        stem = _ru_stem(alias_tok)
        if text_tok.startswith(stem) and text_tok[len(stem):] in _RU_ENDINGS:
            return True
        # adjectival aliases: российский → российского, российскому…
        if alias_tok.endswith(("ий", "ый")) and text_tok.startswith(alias_tok[:-2]):
            return text_tok[len(alias_tok) - 2:] in _RU_ENDINGS
        return False
    if script == "arab":
        return alias_tok in _ar_variants(text_tok) or ("ال" + alias_tok) in _ar_variants(text_tok)
    if script == "latn":
        return text_tok in (alias_tok + "'s", alias_tok + "s'") or (text_tok == alias_tok + "s" and len(alias_tok) > 4)
    return False


@dataclass(frozen=True)
class _Pattern:
    entity: Entity
    words: tuple[str, ...]  # normalised alias tokens
    case_sensitive: str | None  # original alias when it is an all-caps abbreviation
    role: bool


@lru_cache(maxsize=1)
def _patterns() -> tuple[_Pattern, ...]:
    pats: list[_Pattern] = []
    for ent in GAZETTEER:
        for alias, role in [(a, False) for a in ent.aliases] + [(r, True) for r in ent.roles]:
            words = tuple(normalize_token(t) for t, _, _ in tokens(alias))
            if not words:
                continue
            caps = alias if (len(alias) <= 5 and alias.isupper()) else None
            pats.append(_Pattern(ent, words, caps, role))
    pats.sort(key=lambda p: -len(p.words))  # longest alias first
    return tuple(pats)


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[_Pattern, ...]]:
    """Patterns by their first normalised word."""
    idx: dict[str, list[_Pattern]] = {}
    for pat in _patterns():
        key = pat.case_sensitive if pat.case_sensitive is not None else pat.words[0]
        idx.setdefault(key, []).append(pat)
    return {k: tuple(v) for k, v in idx.items()}


def _keys(tok: str, norm: str) -> set[str]:
    """Alias first-words a text token could realise: itself, minus clitics or endings."""
    keys = {tok, norm}
    script = _script(norm)
    if script == "arab":
        for v in _ar_variants(norm):
            keys.add(v)
            if v.startswith("ال"):
                keys.add(v[2:])
    elif script == "cyrl":
        for ending in _RU_ENDINGS:
            if ending and norm.endswith(ending):
                stem = norm[: -len(ending)]
                keys.add(stem)  # Жапаров-ым
                keys.update(stem + v for v in "аяьйое")  # Москв-ой → Москва
                keys.update((stem + "ий", stem + "ый"))  # российск-ого → российский
    elif script == "latn":
        for suffix in ("'s", "s'", "s"):
            if norm.endswith(suffix):
                keys.add(norm[: -len(suffix)])
    return keys


def find_mentions(text: str) -> list[Mention]:
    """Gazetteer mentions in ``text`` (any script), longest match first, non-overlapping, in text order."""
    return list(_find_mentions(text))


@lru_cache(maxsize=4096)
def _find_mentions(text: str) -> tuple[Mention, ...]:
    toks = tokens(text)
    norm = [normalize_token(t) for t, _, _ in toks]
    index = _index()
    candidates: list[tuple[int, int, _Pattern]] = []  # (-length, position, pattern)
    for i, (tok, _, _) in enumerate(toks):
        seen: set[int] = set()
        for key in _keys(tok, norm[i]):
            for pat in index.get(key, ()):
                if id(pat) in seen:
                    continue
                seen.add(id(pat))
                n = len(pat.words)
                if i + n > len(toks):
                    continue
                if pat.case_sensitive is not None:
                    ok = n == 1 and tok == pat.case_sensitive
                else:
                    ok = all(_token_matches(norm[i + k], pat.words[k]) for k in range(n))
                if ok:
                    candidates.append((-n, i, pat))
    taken = [False] * len(toks)
    found: list[Mention] = []
    for neg_n, i, pat in sorted(candidates, key=lambda c: (c[0], c[1], c[2].role)):
        n = -neg_n
        if any(taken[i : i + n]):
            continue
        start, end = toks[i][1], toks[i + n - 1][2]
        for k in range(i, i + n):
            taken[k] = True
        found.append(Mention(pat.entity.id, pat.entity.kind, start, end, text[start:end], pat.role))
    found.sort(key=lambda m: m.start)
    return tuple(found)


def entity(entity_id: str) -> Entity | None:
    for ent in GAZETTEER:
        if ent.id == entity_id:
            return ent
    return None


def display_name(entity_id: str) -> str:
    ent = entity(entity_id)
    return ent.name if ent else entity_id.partition(":")[2]


# ------------------------------------------------------------------ transliteration skeleton
_CYRL = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                 ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s",
                  "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
_ARAB = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh",
         "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
         "ع": "", "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a",
         "و": "w", "ي": "y", "ى": "a", "ء": "", "ئ": "", "ؤ": "", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g",
         "ڤ": "v"}
_DEVA = {"क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "n", "च": "ch", "छ": "chh", "ज": "j", "झ": "jh",
         "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t", "थ": "th", "द": "d", "ध": "dh",
         "न": "n", "प": "p", "फ": "f", "ब": "b", "भ": "bh", "म": "m", "य": "y", "र": "r", "ल": "l", "व": "v",
         "श": "sh", "ष": "sh", "स": "s", "ह": "h", "ं": "n", "ँ": "n", "अ": "a", "आ": "a", "इ": "i", "ई": "i",
         "उ": "u", "ऊ": "u", "ए": "e", "ऐ": "ai", "ओ": "o", "औ": "au", "ा": "a", "ि": "i", "ी": "i", "ु": "u",
         "ू": "u", "े": "e", "ै": "ai", "ो": "o", "ौ": "au", "ॉ": "o", "्": ""}
_DEVA_NUKTA = {"ज": "z", "फ": "f", "क": "q", "ख": "kh", "ग": "g", "ड": "r", "ढ": "rh"}


def transliterate(text: str) -> str:
    """A rough Latin rendering of Cyrillic, Arabic or Devanagari text (Latin passes through, lower-cased)."""
    out: list[str] = []
    s = unicodedata.normalize("NFD", text.casefold())
    i = 0
    while i < len(s):
        ch = s[i]
        nxt = s[i + 1] if i + 1 < len(s) else ""
        if ch in _DEVA and nxt == "\u093c":
            out.append(_DEVA_NUKTA.get(ch, _DEVA[ch]))
            i += 2
            continue
        if ch in _CYRL:
            out.append(_CYRL[ch])
        elif ch in _ARAB:
            out.append(_ARAB[ch])
        elif ch in _DEVA:
            out.append(_DEVA[ch])
        elif unicodedata.category(ch).startswith("M"):
            pass
        else:
            out.append(ch)
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


_FOLD = [("shch", "s"), ("dzh", "j"), ("tsh", "c"), ("zh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"),
         ("ch", "c"), ("sh", "s"), ("ts", "s"), ("th", "t"), ("dh", "d"), ("bh", "b"), ("jh", "j"), ("ph", "f"),
         ("x", "ks"), ("q", "k"), ("p", "b"), ("w", ""), ("f", "v"), ("z", "s"), ("c", "s")]


def skeleton(name: str) -> str:
    """A consonant key for comparing a name across scripts: Жапаров, جباروف, जापारोव, Japarov → ``jbrv``."""
    words = []
    for tok, _, _ in tokens(name):
        lat = transliterate(tok)
        lat = re.sub(r"[^a-z]", "", lat)
        for a, b in _FOLD:
            lat = lat.replace(a, b)
        lat = re.sub(r"[aeiouyh]", "", lat)
        lat = re.sub(r"(.)\1+", r"\1", lat)
        if lat:
            words.append(lat)
    return " ".join(words)


def same_name(a: str, b: str) -> bool:
    """Do two single names, in any scripts, plausibly spell the same name? (Skeletons equal, at least 3 consonants.)"""
    sa, sb = skeleton(a), skeleton(b)
    return bool(sa) and sa == sb and len(sa.replace(" ", "")) >= 3


def find_name(text: str, name: str) -> tuple[int, int] | None:
    """Where ``name`` (one word, any script) occurs in ``text`` by skeleton, allowing clitics and case endings."""
    target = skeleton(name)
    if len(target) < 3:
        return None
    for tok, start, end in tokens(text):
        norm = normalize_token(tok)
        candidates = _ar_variants(norm) if _script(norm) == "arab" else {norm}
        for cand in candidates:
            sk = skeleton(cand)
            if sk == target or (sk.startswith(target) and len(sk) - len(target) <= 1 and _script(norm) == "cyrl"):
                return start, end
    return None


_PAIRED_QUOTES = re.compile(r"«([^«»\n]*)»|“([^“”\n]*)”|„([^„“”\n]*)[“”]|‹([^‹›\n]*)›")


def quoted_names(text: str, max_words: int = 3) -> list[str]:
    """Skeleton keys of short quoted names: «Ынтымак Ордо», "ينتيماك أوردو", «Росатом».

    Venues, companies and events that no gazetteer lists are written in quotes in Russian
    and Arabic news, transliterated, so their skeletons agree across scripts (``ntmk rd``).
    Straight quotes are paired in order (an Arabic sentence quoting two statements has four),
    so the text between two quotations is never taken for a name. Longer quotations are
    statements, not names; keys need three consonants.
    """
    spans = [next(g for g in m.groups() if g is not None) for m in _PAIRED_QUOTES.finditer(text)]
    straight = [i for i, ch in enumerate(text) if ch == '"']
    spans += [text[a + 1 : b] for a, b in zip(straight[::2], straight[1::2])]
    out = []
    for span in spans:
        words = tokens(span)
        if not 1 <= len(words) <= max_words or any(ch.isdigit() for ch in span):
            continue
        key = skeleton(span)
        if len(key.replace(" ", "")) >= 3:
            out.append(key)
    return out

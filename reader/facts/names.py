"""Names in a sentence, without a list of names: people and organisations by their form, places and
offices by small data files. Pure; no models.

* **Names** (:func:`name_mentions`): in a script with case, a run of capitalised words (a word at the
  start of the sentence only when it is no function word); in a script without case (Arabic,
  Devanagari…) a word counts as a name when its consonant skeleton (:mod:`reader.names`) is one
  the run knows as a name from reports in a script with case (``known``). A name is compared by
  the skeleton of its last word (the surname: "Vladimir Putin", «Путина», «بوتين», "पुतिन").
* **Places** (:func:`place_mentions`): countries and cities whose names differ across languages
  beyond transliteration (Germany, Deutschland, Allemagne, Германия, ألمانيا), and their
  adjectives (German, немецкий, الألماني), from ``reader/data/exonyms.json``.
* **Offices** (:func:`title_mentions`): president, prime minister, spokesman… in each language,
  from ``reader/data/titles.json``; :mod:`reader.facts.speakers` joins them with a country into a
  description of who spoke ("the Russian president", «президент России», «الرئيس الروسي»).

Forms match with the morphology each script needs: Russian and Ukrainian case endings
(Германии, президентом), Arabic clitics (وروسيا, بالرئيس), Turkish suffixes after an apostrophe
(Rusya'da), Latin plurals and possessives; Chinese forms are found inside the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from reader.datafiles import table
from reader.names import keys_match, near_keys, skeleton
from reader.tokens import arabic_variants, normalize_token, script_of, tokens

__all__ = ["NOUNS_CAPITALISED", "Mention", "known_name", "name_key", "name_mentions", "place_kinds", "place_mentions", "title_mentions", "word_keys"]

NOUNS_CAPITALISED = frozenset({"de", "lb"})  # languages that capitalise every noun, not only names
_VOWELISH = set("aeiouyıаяоеёиыуюэьйіїє")


@dataclass(frozen=True)
class Mention:
    """One place in a text where something is named: ``value`` is a name's skeleton key, a place
    ("russia") or an office ("head"); ``words`` the skeletons of every word of a name."""

    kind: str  # "name", "place", "title"
    value: str
    start: int
    end: int
    surface: str
    words: tuple[str, ...] = ()
    adjective: bool = False  # a place's adjective ("Russian", «российский»), not its name


def _fold(tok: str) -> str:
    """A normalised token with the spelling noise of Persian and Latin suffixes folded away."""
    t = normalize_token(tok).replace("\u200c", "").replace("ی", "ي").replace("ک", "ك").replace("ه\u200c", "ه")
    if script_of(t) == "latn" and "'" in t:
        t = t.split("'", 1)[0]  # Rusya'da, Russia's, Erdoğan'ın
    return t


def _word_matches(text_tok: str, form: str, stem: bool) -> bool:
    """Does a folded text token realise a folded form (with the endings its script allows)?"""
    if text_tok == form:
        return True
    script = script_of(form)
    if script == "arab":
        variants = arabic_variants(text_tok)
        return form in variants or any(v.endswith("ة") and v[:-1] == form for v in variants) \
            or ("ال" + form) in variants
    if stem and len(form) >= 5:  # an adjective's stem: российск-ого, russisch-en
        return text_tok.startswith(form) and len(text_tok) - len(form) <= 4
    if script == "cyrl" and len(form) > 3 and not form.isupper():
        base = form[:-1] if form[-1] in _VOWELISH else form
        return text_tok.startswith(base) and len(text_tok) - len(base) <= 3
    if script == "latn" and len(form) > 3:
        return text_tok in (form + "s", form + "es", form + "en", form + "n")
    return False


@dataclass(frozen=True)
class _Form:
    value: str
    words: tuple[str, ...]
    stem: bool
    acronym: bool = False  # written in capitals ("EU", "ЕС", "UE"): matches capitals only, not French "eu"


class _Lexicon:
    """Forms from a data file, indexed for matching: word forms by the first three letters of their
    first word (every ending, clitic and stem rule of :func:`_word_matches` keeps those), Chinese
    forms as strings."""

    def __init__(self, forms: Iterable[_Form]) -> None:
        ordered = sorted(forms, key=lambda f: -sum(len(w) for w in f.words))  # longest first
        self.han = [f for f in ordered if script_of(f.words[0]) == "han"]
        self.words = [f for f in ordered if script_of(f.words[0]) != "han"]
        self.by_head: dict[str, list[int]] = {}
        for n, form in enumerate(self.words):
            self.by_head.setdefault(form.words[0][:3], []).append(n)

    @staticmethod
    def _heads(tok: str) -> set[str]:
        """First three letters of every form a folded token may realise (Arabic: without clitics or ة)."""
        if script_of(tok) != "arab":
            return {tok[:3]}
        variants = arabic_variants(tok)
        return {v[:3] for v in variants} | {v[:-1][:3] for v in variants if v.endswith("ة")}

    def find(self, text: str, kind: str) -> list[Mention]:
        toks = tokens(text)
        folded = [_fold(t) for t, _, _ in toks]
        candidates = sorted({(n, i) for i, tok in enumerate(folded) for head in self._heads(tok)
                             for n in self.by_head.get(head, ())})
        taken = [False] * len(toks)
        found: list[Mention] = []
        for n, i in candidates:  # form by form, longest first, then in text order
            form = self.words[n]
            size = len(form.words)
            if i + size > len(toks) or any(taken[i:i + size]):
                continue
            if form.acronym and not toks[i][0].isupper():
                continue
            if all(_word_matches(folded[i + k], form.words[k], form.stem) for k in range(size)):
                start, end = toks[i][1], toks[i + size - 1][2]
                found.append(Mention(kind, form.value, start, end, text[start:end], adjective=form.stem))
                taken[i:i + size] = [True] * size
        for form in self.han:
            at = text.find(form.words[0])
            while at >= 0:
                end = at + len(form.words[0])
                if not any(m.start < end and at < m.end for m in found):
                    found.append(Mention(kind, form.value, at, end, form.words[0], adjective=form.stem))
                at = text.find(form.words[0], end)
        return sorted(found, key=lambda m: m.start)


def _form(value: str, text: str, stem: bool) -> _Form | None:
    words = tuple(_fold(t) for t, _, _ in tokens(text))
    if not words:
        return None
    if script_of(words[0]) == "han":
        words = (text,)
    return _Form(value, words, stem, acronym=len(words) == 1 and text.isupper())


@lru_cache(maxsize=1)
def _places() -> _Lexicon:
    forms = []
    for key, entry in table("exonyms.json").items():
        for field, stem in (("names", False), ("demonyms", True)):
            for spellings in entry.get(field, {}).values():
                forms += [f for s in spellings if (f := _form(key, s, stem))]
    return _Lexicon(forms)


@lru_cache(maxsize=1)
def _titles() -> _Lexicon:
    forms = []
    for office, by_lang in table("titles.json").items():
        for spellings in by_lang.values():
            forms += [f for s in spellings if (f := _form(office, s, False))]
    return _Lexicon(forms)


@lru_cache(maxsize=1)
def place_kinds() -> dict[str, str]:
    """Place key -> "country" or "city", from the exonym file."""
    return {k: v.get("kind", "country") for k, v in table("exonyms.json").items()}


@lru_cache(maxsize=8192)
def place_mentions(text: str) -> tuple[Mention, ...]:
    """Countries and cities of the exonym file named in ``text``, in any language, in text order."""
    return tuple(_places().find(text, "place"))


@lru_cache(maxsize=8192)
def title_mentions(text: str) -> tuple[Mention, ...]:
    """Offices named in ``text`` (president, spokesman, «пресс-секретарь», «المتحدث»…), in text order."""
    return tuple(_titles().find(text, "title"))


def name_mentions(text: str, lang: str = "", stopwords: frozenset[str] = frozenset(),
                  known: frozenset[str] = frozenset(), caseless_known: frozenset[str] | None = None) -> list[Mention]:
    """Names in ``text``: runs of capitalised words in a script with case (with ``known``, a word
    that starts the sentence, or any word in German, only when its skeleton is known); in a script
    without case, words whose skeleton is in ``caseless_known`` (``known`` when not given). Places
    and offices of the data files are not names."""
    caseless_known = known if caseless_known is None else caseless_known
    covered = [(m.start, m.end) for m in place_mentions(text) + title_mentions(text)]
    if (calendar := _calendar(lang)) is not None:
        covered += [(start, end) for word, start, end in tokens(text) if word[:1].isupper() and calendar.fullmatch(word)]
    out: list[Mention] = []
    run: list[tuple[str, int, int]] = []

    def close() -> None:
        if run:
            words = tuple(name_key(w, lang) for w, _, _ in run)
            if any(len(k) >= 2 for k in words):
                start, end = run[0][1], run[-1][2]
                out.append(Mention("name", words[-1] or max(words, key=len), start, end, text[start:end], words))
            run.clear()

    for n, (word, start, end) in enumerate(tokens(text)):
        inside = any(a <= start < b for a, b in covered)
        script = script_of(word)
        if script in ("latn", "cyrl") and not inside and word[0].isupper():
            first = n == 0 and (word.lower() in stopwords or len(word) < 4) and not word.isupper()
            if known and (n == 0 or lang in NOUNS_CAPITALISED) and name_key(word, lang) not in known:
                first = True  # a capital that only starts the sentence, or a German noun
            if not first and len(word) > 1:  # an initial ("В. Путин") is no key
                if run and text[run[-1][2]:start].strip():
                    close()
                run.append((word, start, end))
                if word.endswith(("'s", "’s", "s'")):
                    close()  # "Narendra Modi's Bharatiya Janata Party": two names
                continue
        close()
        if script in ("arab", "deva") and not inside and caseless_known and (key := known_name(word, caseless_known)):
            prev = out[-1] if out else None
            if prev is not None and prev.kind == "name" and not text[prev.end:start].strip():
                out[-1] = Mention("name", key, prev.start, end, text[prev.start:end], (*prev.words, key))
            else:  # فلاديمير بوتين: one name of two words
                out.append(Mention("name", key, start, end, word, (key,)))
    close()
    return [m for m in out if not _partial(m, text, caseless_known)]


def _partial(m: Mention, text: str, known: frozenset[str]) -> bool:
    """Is a name found in a script without case only half of one? ("वोलोदिमिर ज़ेलेंस्की" where only
    the first name is known): the next word is of the same script, not a known name, and long
    enough (three consonants) to be a surname rather than a postposition or particle."""
    if script_of(m.surface) not in ("arab", "deva"):
        return False
    following = tokens(text[m.end:m.end + 40])
    if not following or text[m.end:m.end + following[0][1]].strip():
        return False
    word = following[0][0]
    return script_of(word) == script_of(m.surface) and known_name(word, known) is None and len(skeleton(word)) >= 3


@lru_cache(maxsize=64)
def _calendar(lang: str) -> re.Pattern[str] | None:
    """Month and weekday names of ``lang`` (CLDR): capitalised in English, and no names."""
    from reader.calendar_words import month_patterns, weekday_patterns

    if not lang:
        return None
    parts = [*month_patterns(lang).values(), *weekday_patterns(lang).values()]
    return re.compile("(?:" + "|".join(parts) + ")", re.IGNORECASE) if parts else None


def name_key(word: str, lang: str) -> str:
    """A name word's skeleton, or for a name too short to have one (Cook: ``k``) its Latin letters."""
    if script_of(word) == "latn" and ("'" in word or "’" in word):
        word = word.replace("’", "'").split("'", 1)[0]  # Kazan'da, Russia's
    key = skeleton(word, lang)
    return key if len(key) >= 2 else "~" + anyascii(word).lower()


def known_name(word: str, known: frozenset[str]) -> str | None:
    """The key in ``known`` that a word of a script without case spells (clitics allowed), or None."""
    for form in arabic_variants(_fold(word)) if script_of(word) == "arab" else (word,):
        key = skeleton(form)
        if len(key) < 3:
            continue
        if key in known:
            return key
        if len(key) >= 4 and key[:-1] in known:  # a case ending
            return key[:-1]
    return None


def word_keys(text: str) -> frozenset[str]:
    """The skeleton of every word of ``text`` (Arabic words also without their clitics) and the
    places it names: what "this text mentions X in any form" is checked against."""
    out: set[str] = {f"={m.value}" for m in place_mentions(text)}
    for word, _, _ in tokens(text):
        forms = arabic_variants(_fold(word)) if script_of(word) == "arab" else (_fold(word),)
        out.update(k for f in forms if len(k := skeleton(f)) >= 2)
        out.add(name_key(word, ""))  # short names by their letters ("~lula")
    return frozenset(out)


def mentioned(key: str, keys: frozenset[str], loose: bool = False) -> bool:
    """Is a name's key among a text's :func:`word_keys` (allowing a case ending or a clitic; with
    ``loose``, also another transliteration one letter away: :func:`reader.names.near_keys`)?"""
    match = near_keys if loose else keys_match
    return key in keys or any(match(key, k) for k in keys)

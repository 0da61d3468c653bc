"""Who said it: the speaker of a reported statement, and whether two outlets name the same one.

Pure; no models, no list of people. A statement is found by a speech verb (said, заявил, قال,
कहा, a déclaré, sagte, dijo, dedi, گفت, заявив, 表示…; :data:`SPEECH`). Its speaker is the
nearest name (:func:`reader.facts.names.name_mentions`) or description of an office held for a
country ("the Russian president", «президент России», «الرئيس الروسي», "रूस के राष्ट्रपति") within
``speaker_window`` characters, never across a quotation mark or a colon; the nearest wins, a
name over a description at the same distance. When the verb follows an apposition ("Tim Cook, the company's chief, said"), the
name before the apposition is the speaker, not a name inside it.

Descriptions and names meet through the run itself (:class:`Book`): wherever a report writes a
description right before a name ("Russian President Vladimir Putin", «الرئيس الروسي فلاديمير
بوتين»), the description stands for that name in every report of the run, as long as it stands
for one name only. Two speakers differ (:func:`differ`) when both resolve to names whose
skeletons differ, and one of the two reports does not name the other's speaker at all, or when
both resolve only to descriptions and those differ (the Russian president against the Kyrgyz
president). Anything less certain is no discrepancy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.facts.names import (
    Mention,
    mentioned,
    name_mentions,
    place_mentions,
    title_mentions,
)
from reader.names import caseless, keys_match
from reader.settings import CompareConfig
from reader.tokens import tokens

__all__ = ["SPEECH", "Book", "Speaker", "differ", "find_speaker", "roles"]

_NOT_WORD = r"(?<![\w\u0900-\u097f])"
_END = r"(?![\w\u0900-\u097f])"
SPEECH = re.compile(
    _NOT_WORD + r"(?:"
    # English
    r"said|says|stated|added|noted|told|announced|stressed|emphasi[sz]ed|underlined|explained|declared|according to|"
    # Russian, Ukrainian, Kyrgyz
    r"заяв\w*|сказал\w*|подчеркн\w*|добавил\w*|отметил\w*|сообщ\w*|пояснил\w*|указал\w*|говорит|рассказал\w*|"
    r"объявил\w*|по словам|сказав\w*|повідоми\w*|зазначи\w*|наголоси\w*|за словами|деди|билдирди|айтты|"
    # Arabic, Persian
    r"[وف]?(?:قال|أكد|اكد|أوضح|اوضح|أضاف|اضاف|بيّن|أردف|اردف|تابع|أعلن|اعلن|صرح|صرّح|ذكر|شدد|أشار)\w*|"
    r"گفت|افزود|اعلام کرد|تاکید کرد|تأکید کرد|به گفته|"
    # Hindi
    r"कहा|कहते|बताया|बताते|कहना|घोषणा|"
    # French, Spanish
    r"a déclaré|déclare|a dit|a affirmé|affirme|a indiqué|a souligné|a ajouté|a annoncé|a précisé|selon|"
    r"dijo|afirmó|declaró|señaló|anunció|aseguró|indicó|explicó|según|subrayó|añadió|"
    # German, Turkish
    r"sagte|sagt|erklärte|betonte|teilte|kündigte|laut|zufolge|"
    r"dedi|açıkladı|belirtti|söyledi|vurguladı|duyurdu|göre"
    r")" + _END + r"|(?:表示|指出|宣布|强调|称|说)",
    re.IGNORECASE,
)
_PRONOUN_SOURCE = re.compile(r"\s*(?:его|ее|её|их|him|her|them|ним|нею|нею)\b", re.IGNORECASE)
_QUOTES = '«»"“”„:'
# "that" after a speech verb opens what was said: a name after it is the statement's, not the speaker
_THAT = re.compile(r"(?<![\w\u0900-\u097f])(?:that|что|чтобы|що|أن|أنّ|إن|बताया कि|कि|que|qu'|dass|daß|ki|که|称)(?![\w\u0900-\u097f])",
                   re.IGNORECASE)
_CONNECTORS = {"of", "de", "del", "du", "des", "der", "la", "le", "el", "के", "की", "का", "'s"}


@dataclass(frozen=True)
class Speaker:
    name: str | None  # skeleton key of the name, when the report names the speaker
    role: tuple[str, str | None] | None  # (office, place) when it describes them
    surface: str
    start: int
    end: int


def roles(text: str) -> list[tuple[tuple[str, str | None], int, int]]:
    """Descriptions in ``text``: an office next to a country ("President of Russia", «الرئيس
    الروسي», "रूस के राष्ट्रपति"), as ((office, place), start, end); an office alone has place None."""
    places = place_mentions(text)
    titles = title_mentions(text)
    out = []
    for n, t in enumerate(titles):
        if n and _joined(text, titles[n - 1], t):
            continue  # "aide to the president": the description is the first office's
        best: Mention | None = None
        for p in places:
            gap = text[p.end:t.start] if p.end <= t.start else text[t.end:p.start] if t.end <= p.start else None
            if gap is None:
                continue
            words = [w for w, _, _ in tokens(gap)]
            if any(ch in gap for ch in ",.;" + _QUOTES) or len(words) > 2:
                continue
            if all(w.casefold() in _CONNECTORS or len(words) == 1 and p.adjective for w in words):
                best = p
                break
        k = n
        while k + 1 < len(titles) and _joined(text, titles[k], titles[k + 1]):
            k += 1  # the offices joined to this one ("aide | to the | Russian president")
        last = titles[k]
        if best is None:
            for p in places:  # the country of a joined office counts for the first
                if last is not t and p.start >= t.end and _joined(text, last, p):
                    best = p
        if best is None:
            out.append(((t.value, None), t.start, last.end))
        else:
            out.append(((t.value, best.value), min(t.start, best.start), max(last.end, best.end)))
    return out


def _joined(text: str, a: Mention, b: Mention) -> bool:
    """Is ``b`` written right after ``a``, with at most two connecting words ("to the", "of", «ال»)?"""
    if b.start < a.end:
        return False
    gap = text[a.end:b.start]
    return not any(ch in gap for ch in ",.;" + _QUOTES) and len(tokens(gap)) <= 2


def _appositive(text: str, verb_start: int) -> tuple[int, int] | None:
    """The comma-enclosed clause right before a verb ("Cook, the company's chief, said"), if any."""
    before = text[:verb_start].rstrip()
    if not before.endswith(","):
        return None
    close = len(before) - 1
    open_ = text.rfind(",", max(0, close - 90), close)
    if open_ < 0 or any(q in text[open_:close] for q in _QUOTES):
        return None
    return open_, close


def find_speaker(text: str, lang: str = "", known: frozenset[str] = frozenset(),
                 stopwords: frozenset[str] = frozenset(), people: frozenset[str] | None = None) -> Speaker | None:
    """Who the first attributed statement of ``text`` is attributed to, or None. In a script without
    case only the names in ``people`` (when given) can have spoken: a word that merely spells like
    a name of another report ("the bank" and "Bank of Russia") is no speaker."""
    names = [m for m in name_mentions(text, lang, stopwords, known, people) if len(m.value) >= 3]
    descriptions = roles(text)
    if not names and not descriptions:
        return None
    window = CompareConfig().speaker_window
    for verb in SPEECH.finditer(text):
        if verb.group().lower() in ("по словам", "according to", "за словами", "به گفته") \
                and _PRONOUN_SOURCE.match(text, verb.end()):
            continue
        clause = _appositive(text, verb.start())
        best: tuple[tuple[int, int], Speaker] | None = None
        candidates = [(m.start, m.end, m.value, None) for m in names] + [(a, b, None, r) for r, a, b in descriptions]
        for start, end, name, role in candidates:
            if clause and clause[0] <= start < clause[1]:
                continue  # inside the apposition: not who spoke
            if clause and 0 <= clause[0] - end <= 2:
                dist = 0  # the name the apposition describes
            elif start >= verb.end():
                dist = start - verb.end()
            elif end <= verb.start():
                dist = verb.start() - end
            else:
                continue
            between = text[min(end, verb.end()):max(start, verb.start())]
            if dist > window or (dist and any(q in between for q in _QUOTES)):
                continue
            if start >= verb.end() and _THAT.search(between):
                continue  # "Putin added that Harris…": Harris is in what was said
            rank = (dist, 0 if name else 1)
            if best is None or rank < best[0]:
                best = (rank, Speaker(name, role, text[start:end], start, end))
        if best is not None:
            found = best[1]
            if found.name and (role := _role_before(descriptions, text, found.start)):
                found = Speaker(found.name, role, found.surface, found.start, found.end)
            return found
    return None


def _role_before(descriptions, text: str, start: int) -> tuple[str, str | None] | None:
    """The description written right before a name ("Russian President | Vladimir Putin")."""
    for role, a, b in descriptions:
        if b <= start and not text[b:start].strip():
            return role
    return None


@dataclass
class Book:
    """Which name each description stands for in this run, from descriptions written right before
    a name. A description that stands for two names (two presidents of one country in one run)
    resolves to neither."""

    names_of: dict[tuple[str, str | None], set[str]] = field(default_factory=dict)
    roles_of: dict[str, set[tuple[str, str | None]]] = field(default_factory=dict)
    people: set[str] = field(default_factory=set)  # names written after an office: people, not places
    offices: dict[str, set[str]] = field(default_factory=dict)  # name -> offices it is written after

    def read(self, text: str, lang: str = "", known: frozenset[str] = frozenset(),
             stopwords: frozenset[str] = frozenset()) -> None:
        descriptions = roles(text)
        if not descriptions:
            return
        for m in name_mentions(text, lang, stopwords, known):
            role = _role_before(descriptions, text, m.start)
            if role is not None and caseless(m.surface) and role[1] is None:
                continue  # «الرئيس» before a word that spells like a name: too weak to make a person
            if role is not None:
                self.people.add(m.value)
                self.offices.setdefault(m.value, set()).add(role[0])
            if role is not None and role[1] is not None:
                self.names_of.setdefault(role, set()).add(m.value)
                self.roles_of.setdefault(m.value, set()).add(role)

    def person(self, name: str) -> bool:
        """Is ``name`` someone the run describes by an office somewhere ("President Ilham Aliyev")?"""
        return any(keys_match(name, p) for p in self.people)

    def offices_of(self, name: str) -> set[str]:
        return {o for key, offices in self.offices.items() if keys_match(key, name) for o in offices}

    def name_of(self, role: tuple[str, str | None] | None) -> str | None:
        if role is None or role[1] is None:
            return None
        found = _distinct(self.names_of.get(role, ()))
        return found[0] if len(found) == 1 else None

    def role_of(self, name: str | None) -> tuple[str, str | None] | None:
        if name is None:
            return None
        found = {r for key, rs in self.roles_of.items() if keys_match(key, name) for r in rs}
        return next(iter(found)) if len(found) == 1 else None


def _distinct(keys: Iterable[str]) -> list[str]:
    out: list[str] = []
    for k in sorted(keys, key=len):
        if not any(keys_match(k, o) for o in out):
            out.append(k)
    return out


def personal(s: Speaker, book: Book) -> bool:
    """Is the speaker a person: described by an office, named by a name the run writes after an
    office ("President Ilham Aliyev"), or named by two words or more that read as a person's
    name (capitalised, not an acronym; in a script without case, any two)? A single capitalised
    word ("Finance", «Gobierno», "Hatay", "OHAL") is as often a ministry, a province or a body."""
    if s.role is not None or (s.name and book.person(s.name)):
        return True
    words = [w for w, _, _ in tokens(s.surface)]
    if len(words) < 2:
        return False
    return all(caseless(w) or (w[0].isupper() and not w.isupper()) for w in words)


def differ(a: Speaker, b: Speaker, book: Book, a_words: frozenset[str], b_words: frozenset[str]) -> bool:
    """Do two outlets attribute a statement to different speakers? (``*_words``: each report's
    :func:`reader.facts.names.word_keys`, to see whether it names the other's speaker at all.)"""
    na, nb = a.name or book.name_of(a.role), b.name or book.name_of(b.role)
    if na and nb and not (personal(a, book) and personal(b, book)):
        return False  # "the Finance Department" against «el Gobierno»: bodies are named too freely
    if na and nb:
        if keys_match(na, nb):
            return False
        return not (mentioned(na, b_words) and mentioned(nb, a_words))
    ra, rb = a.role or book.role_of(a.name), b.role or book.role_of(b.name)
    if ra and rb and ra[1] and rb[1]:
        return ra != rb
    return False

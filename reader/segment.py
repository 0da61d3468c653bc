"""Article text -> sentences with exact character spans, for Latin, Cyrillic, Arabic and Devanagari text.

Every sentence satisfies ``article.text[s.start:s.end] == s.text``; spans carry no
surrounding whitespace and lie inside ``[article.body_start, article.body_end)``.

The rules
---------
Lines
    A line break ends a sentence (titles, datelines, bullet lines are sentences of
    their own), except when the next line continues it: its first character is a
    lowercase letter or one of ``, ; : . ) ] » ” …`` (transcripts such as
    "…Nikol Pashinyan⏎, President of Belarus…"). A blank line always ends one.
    A leading bullet marker (``- • * – — ·`` and a space) is left outside the span.
    A piece without any letter ("<…>", "* * *", "16:40") is not a sentence.

Terminators
    ``. ! ? …`` and ``...``, the Devanagari danda ``।`` and double danda ``॥``, the
    Arabic question mark ``؟`` and full stop ``۔``, CJK ``。！？``. The Arabic
    semicolon ``؛`` and comma ``،`` are not terminators. A terminator ends a sentence
    only when whitespace follows it (so "3.5", "U.S", "kremlin.ru" never split;
    "3,165" has no terminator) and the next word does not start with a lowercase
    letter, a dash or ``, ; :`` (so "2027 г. в Киргизии" and "Really?" he asked stay
    whole). Scripts without case (Arabic, Devanagari) end at every terminator
    followed by whitespace.

Abbreviations (a ``.`` that does not end a sentence even before a capital)
    Single capital letters (initials: "В. В. Путин", "J. Smith"); titles and the
    like (Mr, Dr, Prof, St, Gen, vs…; ул, им, проф, акад, тов…); dotted
    abbreviations (U.S., U.K., e.g., i.e., т.е.) except those that usually end
    sentences (etc., a.m., p.m., т.д., т.п.); "No.", "Art.", "p." and month
    abbreviations only before a number; Russian "г." / "гг." (year) only when no
    number precedes it ("в г. Москве"), so "в 2024 г. Товарооборот…" does split.

Quotations
    A boundary inside a quotation is still a boundary: quoted speech often holds
    several sentences, and aligners need sentences of comparable size across
    languages. Closing quotes and brackets right after a terminator (``।" .» ?”``)
    belong to the sentence they close, so a quotation's last sentence keeps its
    closing mark and the attribution before the quotation stays with its first
    sentence: ``पुतिन ने बताया, "हम सहमत हैं … सकता है।`` | ``रूस … चाहिए।"``.
    A straight ``"`` counts as closing when a ``"`` quotation is open in the line,
    or when whitespace follows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reader.model import Article, Sentence

TERMINATORS = frozenset(".!?…।॥؟۔。！？")
#: Terminators that end a sentence with no space after them (scripts that use no spaces,
#: and marks used for nothing else).
UNSPACED_TERMINATORS = frozenset("。！？।॥؟")
CLOSERS = frozenset("»”’)]}›」』")
OPENERS = frozenset("«“„‘([{‹（「『")
CONTINUATION_STARTS = frozenset(",;:.)]»”…")
NO_BREAK_BEFORE = frozenset(",;:—–-")
BULLET = re.compile(r"[-•*–—·]\s+")

#: Abbreviations (lowercase, without the final dot) that never end a sentence.
NON_FINAL = frozenset(
    """mr mrs ms messrs dr prof gen col lt sgt capt cmdr adm gov sen rep rev st jr sr mt ft vs
    approx dept fig hon mme mlle env cf ca bzw vgl inkl evtl sog mrd mio tsd hr
    aprox sra sres srta dña núm pág vb doç sn av
    ул им см стр проф акад ген тов пр просп пер пл д корр прим
    प्रो डॉ""".split()
)
#: Abbreviations that do not end a sentence when a number follows ("No. 5", "Jan. 12", "Nr. 4").
BEFORE_NUMBER = frozenset(
    "no nos nr art p pp vol ch sec jan feb mar apr jun jul aug sep sept oct nov dec № ст п".split()
)
#: Languages that write ordinal numbers with a dot ("am 14. Juli", "in der 73. Minute").
ORDINAL_DOT = frozenset("de da nb no fi cs sk pl hu sl hr sr et lv lt is tr".split())
#: A dateline before the first sentence of a wire story: "МОСКВА, 25 октября. /Корр./.",
#: "LUXEMBURGO, 10 Sep.", "BERLIN, 14. Juli": a place in capitals, a comma, a short date
#: (with a digit), and perhaps the agency between slashes.
_PLACE, _WHEN, _AGENCY = r"[^,\n]{2,40}", r"[^,\n]{2,20}?", r"\.\s*/[^/\n]{1,60}/"
_DATELINE = re.compile(rf"({_PLACE}),\s*({_WHEN})(?:{_AGENCY})?")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")  # letters, and Arabic-Indic digits
#: Dotted abbreviations that commonly end a sentence.
FINAL_DOTTED = frozenset({"a.m", "p.m", "т.д", "т.п", "т.к", "etc"})
_DOTTED = re.compile(r"(?:\w\.)+\w", re.UNICODE)


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """The sentences of ``article``'s body, with ids ``"{article.id}:{index}"``."""
    return tuple(
        Sentence(
            id=f"{article.id}:{index}",
            document=article.id,
            index=index,
            text=article.text[start:end],
            start=start,
            end=end,
        )
        for index, (start, end) in enumerate(
            sentence_spans(article.text, article.body_start, article.body_end, article.lang)
        )
    )


def sentence_spans(text: str, start: int = 0, end: int | None = None, lang: str = "") -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text[start:end]`` (``lang`` refines a few rules)."""
    end = len(text) if end is None else end
    for block_start, block_end in _blocks(text, start, end):
        for s, e in _split_block(text, block_start, block_end, lang):
            s, e = _strip(text, s, e)
            if s < e and any(ch.isalpha() for ch in text[s:e]):
                yield s, e


def _blocks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Runs of lines that belong together: a line joins the one before when it continues it."""
    block: tuple[int, int] | None = None
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        first = _first_visible(text, pos, line_end)
        if first is None:  # blank line
            if block:
                yield block
            block = None
        elif block and (text[first].islower() or text[first] in CONTINUATION_STARTS):
            block = (block[0], line_end)
        else:
            if block:
                yield block
            block = (pos, line_end)
        pos = line_end + 1
    if block:
        yield block


def _first_visible(text: str, start: int, end: int) -> int | None:
    for i in range(start, end):
        if not text[i].isspace():
            return i
    return None


def _split_block(text: str, start: int, end: int, lang: str = "") -> Iterator[tuple[int, int]]:
    first = _first_visible(text, start, end)
    if first is None:
        return
    bullet = BULLET.match(text, first, end)
    piece = bullet.end() if bullet else first
    open_double = False  # a straight-quote quotation is open
    i = piece
    while i < end:
        ch = text[i]
        if ch == '"':
            open_double = not open_double
        if ch not in TERMINATORS:
            i += 1
            continue
        j = i + 1
        while j < end and text[j] in TERMINATORS:
            j += 1
        j = _closers(text, j, end, open_double)
        if j > i + 1 and '"' in text[i:j]:
            open_double = False
        nxt = _first_visible(text, j, end)
        if j < end and not text[j].isspace():
            if _unspaced_boundary(text, i, j):
                yield piece, j
                piece = j
            i = j
            continue
        if nxt is not None and _is_boundary(text, piece, i, j, nxt, lang):
            yield piece, j
            piece = nxt
        i = j
    yield piece, end


def _closers(text: str, j: int, end: int, open_double: bool) -> int:
    """Past the closing quotes and brackets that follow a terminator: ``.»``, ``?"``, German ``?“``,
    and French ``? »`` (a space before the closing guillemet)."""
    first = True
    while j < end:
        ch = text[j]
        if ch in CLOSERS or (first and ch == "“"):
            j += 1
        elif ch == '"' and (open_double or j + 1 == end or text[j + 1].isspace()):
            j += 1
            open_double = False
        elif ch in " \u00a0\u202f" and j + 1 < end and text[j + 1] in "»”":
            j += 2
        else:
            break
        first = False
    return j


def _unspaced_boundary(text: str, term: int, after: int) -> bool:
    """A boundary with no space after it: CJK and Indic marks always; an Arabic full stop between
    two Arabic letters (wire copy often leaves out the space)."""
    nxt = text[after]
    if nxt in TERMINATORS or nxt in CLOSERS or not (nxt.isalnum() or nxt in OPENERS or nxt == '"'):
        return False
    if text[term] in UNSPACED_TERMINATORS:
        return True
    if text[term] == "." and term > 0:
        before = text[term - 1]
        if nxt in OPENERS and after + 1 < len(text):
            nxt = text[after + 1]
        return bool((_ARABIC.match(before) or before in CLOSERS or before == '"') and _ARABIC.match(nxt))
    return False


def _is_boundary(text: str, piece: int, term: int, after: int, nxt: int, lang: str = "") -> bool:
    """Whether the terminator at ``term`` (its run ending at ``after``) ends a sentence before ``nxt``."""
    following = text[nxt]
    if following.islower() or following in NO_BREAK_BEFORE:
        return False
    if text[term] == "." and _is_dateline(text[piece:term]):
        return False  # "МОСКВА, 25 октября. /Корр./. Текст…": the dateline opens the first sentence
    if text[term:after] == ".":
        return not _is_abbreviation(text, piece, term, nxt, lang)
    return True


#: Datelines that open a wire story's first sentence and end with the agency and a dash or a
#: full stop: "ANKARA, Feb 7 (MWS) - ", "أنقرة، ٧ فبراير (الضفاف) - ", "МОСКВА, 25 октября. /СИА/. ",
#: "本报乌兰巴托9月3日电（记者林远）".
_DATELINE_OPENING = re.compile(
    r"^(?:[^.!?\n]{2,80}?(?:\([^)\n]{1,40}\)|/[^/\n]{1,40}/)\s*[-–—]\s*"
    rf"|{_PLACE},\s*{_WHEN}{_AGENCY}\.?\s*"
    r"|[^。\n]{0,30}?电(?:（[^）\n]{0,20}）)?)"
)


def dateline_end(text: str) -> int:
    """Where a dateline that opens ``text`` ends (0 when there is none): the place and date a
    report was filed from are not what its first sentence claims."""
    m = _DATELINE_OPENING.match(text)
    if not m:
        return 0
    head = m.group()
    if "电" in head and not re.search(r"\d|[一二三四五六七八九十]", head):
        return 0
    if not any(ch.isdigit() for ch in head) and not re.search(r"[\u0660-\u0669\u06f0-\u06f9]", head):
        return 0
    return m.end()


def _is_dateline(head: str) -> bool:
    m = _DATELINE.fullmatch(head)
    if not m:
        return False
    place, when = m.group(1).strip(), m.group(2)
    return (sum(ch.isalpha() for ch in place) >= 2 and place == place.upper()
            and any(ch.isdigit() for ch in when) and len(when.split()) <= 3)


def _is_abbreviation(text: str, piece: int, dot: int, nxt: int, lang: str = "") -> bool:
    """Whether the ``.`` at ``dot`` closes an abbreviation that keeps the sentence going."""
    k = dot
    while k > piece and not text[k - 1].isspace():
        k -= 1
    token = text[k:dot].lstrip("".join(OPENERS) + "\"'")
    elided = re.fullmatch(r"(?:[a-z]|qu)['’](.+)", token, re.IGNORECASE)  # French elision: "qu'env.", "d'env."
    token = elided.group(1) if elided else token
    if not token:
        return False
    word = token.lower()
    if word in ("г", "гг"):
        before = text[piece:k].split()
        # "в 2024 г. Товарооборот…" ends; "В 2021 г. Общий суд…" opens its sentence
        return not (before and before[-1][-1:].isdigit()) or len(before) <= 2
    if len(token) == 1 and token.isalpha():
        return True  # an initial ("В. В. Путин"), or one letter of "z. B.", "u. a.", "т. е.", "о. Русский"
    if lang in ("es", "ca") and len(token) == 2 and token.isupper() and token[0] == token[1]:
        return True  # Spanish doubled plurals: "EE. UU.", "FF. AA."
    if word in NON_FINAL:
        return True
    if word in BEFORE_NUMBER:
        return text[nxt].isdigit()
    if token.isdigit() and len(token) <= 3 and lang in ORDINAL_DOT:
        return True  # "am 14. Juli", "in der 73. Minute"
    if _DOTTED.fullmatch(word):
        if word in ("a.m", "p.m"):
            return text[nxt] == "("  # "at 8:04 p.m. (1704 GMT)"
        return word not in FINAL_DOTTED
    return False


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

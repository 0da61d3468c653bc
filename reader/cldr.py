"""CLDR locale data through Babel, one way for every module that reads it (number symbols, scale
words, units, month and weekday names, relative dates): a language code that Babel does not know,
or none, falls back to English rather than failing a run."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=128)
def known_locale(code: str):
    """Babel's locale for ``code`` ("ru", "ar_SY"), or None when Babel has none."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def locale(lang: str):
    """The locale of ``lang``; English when Babel has none (or no language is known)."""
    return known_locale(lang or "en") or known_locale("en")

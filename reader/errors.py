"""Errors a user can act on: a one-line message and, where there is one, a hint.

The CLI prints ``reader: <message>`` (and ``hint: <hint>``) on stderr and exits 1;
the terminal app shows them in a dialog. Anything else is a bug and may trace back.
"""

from __future__ import annotations

from typing import TextIO


class ReaderError(Exception):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class BadInput(ReaderError):
    """A file that cannot be read as an article: names the file and the problem."""

    def __init__(self, path: str, problem: str, hint: str | None = None) -> None:
        super().__init__(f"{path}: {problem}", hint)
        self.path = path
        self.problem = problem


class ModelMissing(ReaderError):
    """A model (translation package, embedding model) is not installed."""


class Cancelled(ReaderError):
    """The user stopped a running job."""

    def __init__(self) -> None:
        super().__init__("cancelled")


class BadSetting(ReaderError, ValueError):
    """A READER_* variable whose value is not of its setting's type."""


def print_error(error: ReaderError, err: TextIO) -> None:
    """``reader: <message>`` and ``hint: <hint>`` on ``err``, one line each, whatever file names or
    article text the message quotes (:func:`reader.untrusted.printable`)."""
    from reader.untrusted import printable

    print(f"reader: {printable(error.message)}", file=err)
    if error.hint:
        print(f"hint: {printable(error.hint)}", file=err)

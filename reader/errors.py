"""Errors a user can act on: a one-line message and, where there is one, a hint.

The CLI prints ``reader: <message>`` (and ``hint: <hint>``) on stderr and exits 1;
the terminal app shows them in a dialog. Anything else is a bug and may trace back.
"""

from __future__ import annotations


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

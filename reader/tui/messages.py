"""Messages from the build worker back to the app (Harlequin style)."""

from __future__ import annotations

import logging

from textual.message import Message

from reader.model import Report
from reader.progress import Progress


class BuildProgress(Message):
    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class ReportReady(Message):
    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report


class BuildFailed(Message):
    def __init__(self, title: str, message: str, hint: str | None, cancelled: bool = False) -> None:
        super().__init__()
        self.title = title
        self.message = message
        self.hint = hint
        self.cancelled = cancelled


class InputSkipped(Message):
    """A file the pipeline skipped (reported through ``on_error``) while going on."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class Warned(Message):
    """A warning of reader's own loggers (the cache moved aside or left out), from any thread."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class WarningsToApp(logging.Handler):
    """Posts the WARNING records of the ``reader`` loggers to the app as :class:`Warned` messages
    (post_message is safe from the build worker's thread)."""

    def __init__(self, app) -> None:
        super().__init__(logging.WARNING)
        self.app = app

    def emit(self, record: logging.LogRecord) -> None:
        self.app.post_message(Warned(record.getMessage()))

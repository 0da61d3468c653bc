"""The ``reader`` console script, kept apart from :mod:`reader.cli` so that nothing is imported
before the guard: Ctrl-C while Python is still importing is one line and exit 130, not a traceback."""

import sys


def entry() -> None:
    try:
        from reader.cli import main

        code = main()
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        code = 130
    sys.exit(code)

"""``reader models``: list, install and remove translation packages (and show the embedding model).

    reader models list
    reader models install ru hi ar           # from the Argos package index (network)
    reader models install --file PATH.argosmodel [PATH…]   # offline, from files
    reader models remove ru | translate-ru_en-1.9

``run`` prints results on stdout. A ReaderError is printed as ``reader: <message>``
(and ``hint: <hint>`` when there is one) on stderr and ``run`` returns 1, so the
offline install prints exactly one line and no traceback whoever calls it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from reader import argos_packages
from reader.errors import ReaderError, print_error
from reader.settings import Settings


def add_parser(subparsers: Any) -> None:
    """Add ``models`` and its subcommands to the CLI's argparse subparsers."""
    models = subparsers.add_parser(
        "models",
        help="list, install or remove translation models",
        description="Manage the Argos Translate packages reader uses to translate into English.",
    )
    sub = models.add_subparsers(dest="models_command", metavar="{list,install,remove}")
    sub.required = True
    sub.add_parser("list", help="installed translation packages and the embedding model")
    install = sub.add_parser(
        "install",
        help="install <lang>→en packages from the Argos index, or from .argosmodel files",
        description="Install LANG→en packages from the Argos package index (needs a network), "
        "or package files copied from another machine with --file.",
    )
    install.add_argument("langs", nargs="*", metavar="LANG", help="source languages, e.g. ru hi ar")
    install.add_argument(
        "--file", dest="files", action="append", default=[], metavar="PATH.argosmodel", help="a package file (repeatable)"
    )
    remove = sub.add_parser("remove", help="remove an installed package")
    remove.add_argument("names", nargs="+", metavar="NAME|LANG", help="package id (translate-ru_en-1.9) or language")


def run(args: argparse.Namespace, settings: Settings, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``reader models …``; 0 on success, 1 on a user error (one line on stderr)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        command = getattr(args, "models_command", None)
        if command == "list":
            return _list(settings, out)
        if command == "install":
            return _install(settings, list(args.langs), list(args.files), out)
        if command == "remove":
            for name in args.names:
                for pkg in argos_packages.remove(settings, name):
                    print(f"removed {pkg.id}", file=out)
            return 0
        raise ReaderError("say what to do: reader models list | install LANG… | install --file PATH | remove NAME")
    except ReaderError as error:
        print_error(error, err)
        return 1


def _list(settings: Settings, out: TextIO) -> int:
    packages = argos_packages.installed_packages(settings)
    print(f"translation packages ({settings.packages_dir}):", file=out)
    if not packages:
        print("  none installed; install with: reader models install LANG (or --file PATH.argosmodel)", file=out)
    for pkg in packages:
        print(f"  {pkg.id}  {pkg.from_code}→{pkg.to_code}  version {pkg.version}  {pkg.tokenizer}", file=out)
    print("embedding model:", file=out)
    print(f"  {_embedding_state(settings)}", file=out)
    return 0


def _embedding_state(settings: Settings) -> str:
    try:
        from reader import embed
    except ImportError as error:  # the embedding stage is optional for this command
        return f"{settings.embedding_model}: unavailable ({error})"
    describe = getattr(embed, "describe_model", None)
    if describe is None:
        return settings.embedding_model
    return str(describe(settings))


def _install(settings: Settings, langs: list[str], files: list[str], out: TextIO) -> int:
    if not langs and not files:
        raise ReaderError("name the languages to install (reader models install ru hi ar) or --file PATH.argosmodel")
    for path in files:
        pkg = argos_packages.install_file(settings, path)
        print(f"installed {pkg.id} ({pkg.from_code}→{pkg.to_code}) in {pkg.path}", file=out)
    for lang in langs:
        pkg = argos_packages.install_from_index(settings, lang.strip().lower())
        print(f"installed {pkg.id} ({pkg.from_code}→{pkg.to_code}) in {pkg.path}", file=out)
    return 0

"""Domain modules never import the UI, and models load lazily: importing reader is cheap."""

from __future__ import annotations

import json
import subprocess
import sys

DOMAIN = (
    "reader.model",
    "reader.align",
    "reader.align.coverage",
    "reader.align.fit",
    "reader.names",
    "reader.eval.sources",
    "reader.eval.evaluate",
    "reader.eval.calibrate",
    "reader.segment",
    "reader.ingest",
    "reader.facts",
    "reader.discrepancy",
    "reader.compare.members",
    "reader.facts.speakers",
    "reader.tokens",
    "reader.pipeline",
    "reader.report",
    "reader.report.markdown",
    "reader.store",
    "reader.embed",
    "reader.translate",
    "reader.cli",
)
HEAVY = ("textual", "rich", "torch", "sentence_transformers", "argostranslate", "transformers", "ctranslate2")


def _loaded_after_importing(modules: tuple[str, ...]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(done.stdout))


def test_domain_modules_load_neither_the_ui_nor_any_model_library() -> None:
    loaded = _loaded_after_importing(DOMAIN)
    assert "reader" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_building_the_cli_parser_loads_no_heavy_library() -> None:
    code = (
        "import json, sys\n"
        "from reader import cli\n"
        "cli.build_parser()\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(done.stdout))
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_check_sees_textual_where_the_app_imports_it() -> None:
    """A positive control: the terminal app (reader.tui.app) may and does import textual."""
    assert "textual" in _loaded_after_importing(("reader.tui.app",))

"""Export the converted e5 folder to ONNX once, in float32 and with int8 weights.

The folder ``ensure_e5`` builds (a sentence-transformers BERT) is traced with
``torch.onnx.export`` into a graph whose one output is the last hidden state, so that
mean-pooled sentence vectors and per-token vectors come from one pass; batch and sequence
axes are dynamic. That graph is then quantised with
``onnxruntime.quantization.quantize_dynamic``: int8 weights (one scale per output channel),
activations quantised on the fly. Both files, the tokenizer and ``export.json`` (versions
and timings) go into one folder next to the e5 folder.

Why the TorchScript exporter (``dynamo=False``): torch 2.9 and later default to the dynamo
exporter, which needs the ``onnxscript`` package on top of ``onnx``; the TorchScript one
needs neither, works offline, and traces this plain BERT exactly (float32 ONNX against
sentence-transformers: cosine 1.0000 on the sample). torch and transformers are imported
here only, for the one-time export; encoding (``reader.models.onnx_e5``) never needs them.

The folder is written the way ``e5_convert`` writes its own: built in a temporary sibling
and renamed into place, so an export that fails or is killed never leaves a half model where
the embedder looks. A killed export leaves its temporary sibling behind; the next export
removes siblings older than an hour (a younger one may be another process's export at work).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from reader.progress import Progress, ProgressFn, no_progress

FLOAT32_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
DONE_FILE = "export.json"  # written last: a folder with it is whole
OPSET = 17
STALE_SECONDS = 3600


def onnx_folder(e5_dir: Path) -> Path:
    """Where the ONNX export of ``e5_dir`` lives: beside it, named after it."""
    return e5_dir.with_name(e5_dir.name + "-onnx")


def is_built(folder: Path) -> bool:
    return (folder / DONE_FILE).is_file()


def export_info(folder: Path) -> dict:
    """What ``export.json`` recorded (versions, seconds, sizes); {} when the folder is not built."""
    try:
        return json.loads((folder / DONE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ensure_onnx(e5_dir: Path, progress: ProgressFn = no_progress) -> Path:
    """The ONNX folder of ``e5_dir``, exporting and quantising it on first use (about a minute, once)."""
    target = onnx_folder(e5_dir)
    if is_built(target):
        return target
    progress(Progress("embedding", 0, 0, f"exporting multilingual-e5-small to ONNX (float32 and int8) into {target} (once)"))
    _remove_stale_exports(target)
    build(e5_dir, target)
    return target


def build(e5_dir: Path, target: Path) -> Path:
    """Export and quantise into a temporary sibling of ``target``, then rename it into place.
    Another process that finished first wins: its folder is kept and this one discarded."""
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        clock = time.perf_counter()
        export_float32(e5_dir, work / FLOAT32_FILE)
        exported = time.perf_counter() - clock
        clock = time.perf_counter()
        quantise_int8(work / FLOAT32_FILE, work / INT8_FILE)
        quantised = time.perf_counter() - clock
        shutil.copyfile(e5_dir / TOKENIZER_FILE, work / TOKENIZER_FILE)
        info = {
            "source": e5_dir.name,
            "opset": OPSET,
            "export_seconds": round(exported, 2),
            "quantise_seconds": round(quantised, 2),
            "bytes": {name: (work / name).stat().st_size for name in (FLOAT32_FILE, INT8_FILE)},
            "versions": {name: _version(name) for name in ("torch", "transformers", "onnx", "onnxruntime")},
        }
        (work / DONE_FILE).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        if target.exists() and not is_built(target):
            shutil.rmtree(target)  # not reader's (its folders appear whole): a copy cut short, say
        try:
            os.replace(work, target)
        except OSError:
            if not is_built(target):
                raise
            shutil.rmtree(work, ignore_errors=True)  # another process's export landed first
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def export_float32(e5_dir: Path, path: Path) -> None:
    """Trace the e5 encoder into ``path``: inputs ``input_ids`` and ``attention_mask`` [batch,
    sequence], output ``last_hidden_state`` [batch, sequence, hidden]."""
    import torch
    import transformers
    from transformers import AutoModel

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(e5_dir), local_files_only=True).eval()
    probe = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad(), warnings.catch_warnings():
        # The tracer's notes (constant branches of the attention mask, the deprecation of this
        # exporter) are about code paths this model does not take; the tests check the vectors.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _last_hidden_state(model), (probe, probe), str(path),
            input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            opset_version=OPSET, dynamo=False,
        )


def quantise_int8(source: Path, path: Path) -> None:
    """int8 weights per output channel, activations quantised at run time (no calibration data).
    The word embeddings (the Gather) are quantised too: they are most of the model's size."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    quiet = logging.getLogger()  # quantize_dynamic advises pre-processing through the root logger
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(source), str(path), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True)
    finally:
        quiet.setLevel(level)


def _last_hidden_state(model):
    """The model's forward reduced to the one tensor the export keeps (the Module class is made
    here, since torch is imported only for the export)."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    return LastHiddenState(model)


def _remove_stale_exports(target: Path) -> None:
    """Temporary siblings that killed exports left, older than ``STALE_SECONDS``."""
    if not target.parent.is_dir():
        return
    now = time.time()
    for sibling in target.parent.glob(target.name + ".*"):
        try:
            if sibling.is_dir() and now - sibling.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(sibling)
        except OSError:
            continue  # another process removed it, or cannot be removed: it only costs space


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "missing"

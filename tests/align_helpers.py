"""Alignment on constructed vectors needs a calibration: the run's own (ad hoc) backgrounds and
language means, with a pair model simple enough to reason about in a test."""

from __future__ import annotations

import dataclasses
import math

from reader.align import AlignConfig, Alignment, Calibration, DocVectors, align
from reader.align import fit

# log-odds = z - 4 (+ 2.5 for a name only the two sentences mention): a link needs z >= 4
SIMPLE_MODEL = {"intercept": -4.0, "token_z": 1.0, "unique_name": 2.5}
# constructed documents share no topic and no story: compare them all
EVERY_PAIR = AlignConfig(document_gate=-1.0, event_gate=-math.inf)


def calibrated(docs: list[DocVectors], model: dict[str, float] | None = None) -> Calibration:
    return dataclasses.replace(fit.adhoc(docs, "test"), model=model or SIMPLE_MODEL)


def run(docs: list[DocVectors], config: AlignConfig = EVERY_PAIR, calibration: Calibration | None = None) -> Alignment:
    return align(docs, calibration or calibrated(docs), config)

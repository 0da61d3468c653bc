"""What alignment needs to know about an embedding model, fitted once and stored with its id.

A multilingual encoder's raw cosines sit in a narrow band: the language of a
sentence and the topic every report shares dominate its vector. Two things fix
that, and both must come from a fixed reference, never from the documents of a
run (or the bar would move with whatever else is in the run):

* *language means*: each language's mean sentence vector and mean token vector,
  subtracted before comparing (Libovický et al., 2020);
* *backgrounds*: per pair of languages, the median and robust spread of the scores
  of sentence pairs that do **not** match (from the calibration corpus's gold: two
  reports of one event, sentences that share no claim). A score becomes a *z*:
  how many spreads it stands above the non-matches of its own pair of languages, so
  one threshold serves Hindi-Russian and French-German alike.

``reader calibrate`` fits both, the pair model of ``scoring.py`` (a logistic model
over the evidence two sentences give), and the thresholds of ``AlignConfig`` marked
"calibrated", on the dev half of a benchmark, and writes them to
``<cache>/calibrations/<model>.json``; reader ships the calibration of its default
model in ``reader/align/calibrations/``. A model without one gets an *ad hoc*
calibration from the run's own documents (every pair of sentences from two documents
counts as background), which works but is not invariant; the report says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SHIPPED = Path(__file__).resolve().parent / "calibrations"
SAME, CROSS = "same", "cross"  # pooled backgrounds: any one language with itself, any two languages
MIN_PAIRS = 30  # non-matching pairs a pair of languages needs for a background of its own
FORMAT = "reader-calibration/1"


@dataclass(frozen=True)
class Background:
    median: float
    spread: float  # 1.4826 x the median absolute deviation: a standard deviation for normal data

    @classmethod
    def of(cls, scores: np.ndarray) -> Background:
        scores = np.asarray(scores, dtype=float)
        centre = float(np.median(scores))
        spread = float(1.4826 * np.median(np.abs(scores - centre)))
        return cls(centre, max(spread, 1e-3))


def language_pair(a: str, b: str) -> str:
    return "-".join(sorted((a, b)))


def backgrounds(langs_a: Iterable[str], langs_b: Iterable[str], scores: np.ndarray) -> dict[str, Background]:
    """Per pair of languages with enough pairs, and pooled for same-language and cross-language pairs."""
    groups: dict[str, list[float]] = {}
    pooled: dict[str, list[float]] = {SAME: [], CROSS: []}
    for a, b, s in zip(langs_a, langs_b, np.asarray(scores, dtype=float).tolist()):
        groups.setdefault(language_pair(a, b), []).append(s)
        pooled[SAME if a == b else CROSS].append(s)
    out = {key: Background.of(np.array(v)) for key, v in groups.items() if len(v) >= MIN_PAIRS}
    out.update({key: Background.of(np.array(v)) for key, v in pooled.items() if v})
    return out


@dataclass(frozen=True)
class Calibration:
    model_id: str
    sentence_means: Mapping[str, np.ndarray]  # language -> mean sentence vector
    token_means: Mapping[str, np.ndarray]  # language -> mean contextual token vector (may be empty)
    sentence_background: Mapping[str, Background]  # "ar-ru", "same", "cross" -> non-matching cosines
    token_background: Mapping[str, Background]  # the same for token coverage scores
    config: Mapping[str, float | int | bool] = field(default_factory=dict)  # fitted AlignConfig fields
    model: Mapping[str, float] = field(default_factory=dict)  # pair model: feature -> weight, and "intercept"
    events: Mapping[str, float] = field(default_factory=dict)  # same-event model of two documents (``documents``)
    grouping: Mapping[str, float] = field(default_factory=dict)  # batch's event grouping model (``reader.events``)
    about: str = ""  # what it was fitted on, and the figures
    fitted: bool = True  # False: made from the run's own documents

    def mean(self, lang: str, tokens: bool = False) -> np.ndarray | None:
        """A language's mean vector; a language the calibration has not seen gets the mean of all."""
        means = self.token_means if tokens else self.sentence_means
        if lang in means:
            return means[lang]
        if not means:
            return None
        return np.mean(np.stack(list(means.values())), axis=0)

    def background(self, lang_a: str, lang_b: str, tokens: bool = False) -> Background:
        table = self.token_background if tokens else self.sentence_background
        key = language_pair(lang_a, lang_b)
        if key in table:
            return table[key]
        pooled = SAME if lang_a == lang_b else CROSS
        return table.get(pooled) or table.get(CROSS) or Background(0.0, 1.0)

    def to_json(self) -> dict:
        def vec(v: np.ndarray) -> list[float]:
            return [round(float(x), 6) for x in v]

        def bg(table: Mapping[str, Background]) -> dict:
            return {k: [round(b.median, 6), round(b.spread, 6)] for k, b in sorted(table.items())}

        return {
            "format": FORMAT,
            "model_id": self.model_id,
            "about": self.about,
            "config": dict(self.config),
            "model": {k: round(float(v), 6) for k, v in self.model.items()},
            "event_model": {k: round(float(v), 6) for k, v in self.events.items()},
            "group_model": {k: round(float(v), 6) for k, v in self.grouping.items()},
            "sentence_background": bg(self.sentence_background),
            "token_background": bg(self.token_background),
            "sentence_means": {k: vec(v) for k, v in sorted(self.sentence_means.items())},
            "token_means": {k: vec(v) for k, v in sorted(self.token_means.items())},
        }

    @classmethod
    def from_json(cls, data: dict) -> Calibration:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")

        def means(key: str) -> dict[str, np.ndarray]:
            return {k: np.asarray(v, dtype=np.float32) for k, v in data.get(key, {}).items()}

        def bg(key: str) -> dict[str, Background]:
            return {k: Background(float(m), float(s)) for k, (m, s) in data.get(key, {}).items()}

        return cls(
            model_id=data["model_id"], sentence_means=means("sentence_means"), token_means=means("token_means"),
            sentence_background=bg("sentence_background"), token_background=bg("token_background"),
            config=data.get("config", {}), model=data.get("model", {}),
            events=data.get("event_model", {}), grouping=data.get("group_model", {}), about=data.get("about", ""),
        )

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
            raise
        return path


def file_name(model_id: str) -> str:
    """A calibration's file name: the model id with anything but letters, digits, dots and dashes as '-'."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", model_id).strip("-")[:120] + ".json"


def find(model_id: str, folders: Iterable[Path]) -> Calibration | None:
    """The calibration of ``model_id`` in the first folder that has one (then the shipped ones)."""
    for folder in [*folders, SHIPPED]:
        path = folder / file_name(model_id)
        if path.is_file():
            try:
                calibration = Calibration.from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}: unreadable calibration ({exc})") from None
            if calibration.model_id == model_id:
                return calibration
    return None


def language_means(vectors: Iterable[np.ndarray], langs: Iterable[str], min_rows: int = 5) -> dict[str, np.ndarray]:
    """Each language's mean row (languages with fewer than ``min_rows`` rows are left out)."""
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for v, lang in zip(vectors, langs, strict=True):
        v = np.asarray(v)
        if v.size == 0:
            continue
        rows = v.reshape(-1, v.shape[-1])
        sums[lang] = sums.get(lang, 0.0) + rows.sum(axis=0, dtype=np.float64)
        counts[lang] = counts.get(lang, 0) + len(rows)
    return {lang: (sums[lang] / counts[lang]).astype(np.float32) for lang in sums if counts[lang] >= min_rows}

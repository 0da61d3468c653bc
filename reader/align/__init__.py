"""Order-free, many-to-many alignment of claims across N reports (pure: vectors in, claims out).

News reports of one event are comparable, not parallel: claims come in any order and
many appear in one outlet only, so nothing here assumes monotone order. One module
per phase:

1. ``candidates``: centre the vectors on the model's calibrated language means, build
   units (sentences and joins of two), and pick the pairs of documents worth comparing;
2. ``scoring``: every sentence of one against every sentence of the other, in log-odds
   from a small calibrated model over token coverage and sentence cosine (as z against
   the non-matching pairs of the same two languages), how far a pair beats the next
   best, names shared or differing (across scripts), and position;
   ``documents`` then judges each pair as a whole: reports of another story (the same
   court, place or leader in the same week) are not compared at all;
3. ``linking``: competitive linking within each pair of documents, joins, anchors;
4. ``claims``: links merged best first into coherent claims, then blocks, growth, and
   completion (a sentence that states two claims may be in both); last, a member of two
   sentences splits its claim in two, so every member is one sentence.

``calibration`` holds what is fixed per embedding model (language means,
backgrounds, fitted thresholds). Nothing depends on the run's own distribution when
the model is calibrated: the links between two documents are the same whatever other
documents are in the run.
"""

from __future__ import annotations

from dataclasses import replace

from reader.align import candidates as cand
from reader.align.calibration import Calibration
from reader.align.documents import document_means, event_features, event_logit
from reader.align.claims import complete, extend, merge, merge_blocks, split_wide
from reader.align.linking import competitive_links, pair_candidates, unique_names
from reader.align.scoring import NAME_KINDS, Scorer
from reader.align.types import AlignedClaim, Alignment, DocVectors, Link, Member, key
from reader.settings import AlignConfig

__all__ = ["align", "AlignConfig", "AlignedClaim", "Alignment", "Calibration", "DocVectors", "Link", "Member",
           "effective_config", "NAME_KINDS"]


def effective_config(config: AlignConfig, calibration: Calibration | None) -> AlignConfig:
    """The calibration's fitted values over the defaults; fields set explicitly in ``config`` win
    (a field counts as set when it differs from the default)."""
    if calibration is None or not calibration.config:
        return config
    default = AlignConfig()
    fitted = {k: v for k, v in calibration.config.items()
              if hasattr(default, k) and getattr(config, k) == getattr(default, k)}
    return replace(config, **fitted)


def align(docs: list[DocVectors], calibration: Calibration, config: AlignConfig = AlignConfig()) -> Alignment:
    """Claims shared by two or more documents; see the module docstring for the method."""
    config = effective_config(config, calibration)
    thresholds = {k: float(getattr(config, k)) for k in
                  ("link", "support_slack", "anchor_slack", "join_slack", "join_gain", "document_gate",
                   "event_gate")}
    if sum(len(d.vectors) for d in docs) == 0 or len(docs) < 2:
        return Alignment((), (), thresholds)
    vectors = cand.centred(docs, calibration)
    units = cand.build_units(docs, vectors, config.joins)
    alignable = cand.alignable_units(docs, units)
    unique = [unique_names(d.anchors, NAME_KINDS) for d in docs]
    scorer = Scorer(docs, units, calibration, config, unique)

    links: list[Link] = []
    passing: dict[tuple[int, int], tuple[float, float]] = {}  # single pairs that pass on their own
    means = document_means(vectors)
    same_event = {(da, db): event_logit(event_features(scorer, means, da, db), calibration.events)
                  for da, db in cand.document_pairs(docs, vectors, config)}
    compared = {pair for pair, logit in same_event.items() if logit >= config.event_gate}
    for da, db in sorted(compared):
        found, anchored = pair_candidates(scorer, da, db, alignable, config)
        passing.update({key(r, t): (c, m) for r, t, c, m in found if units.size[r] == 1 and units.size[t] == 1})
        links += competitive_links(units, found, anchored)

    claims = merge(links, units, scorer.pairs, config.link - config.support_slack, config.max_member)
    if config.extend:
        claims = extend(merge_blocks(claims, units, passing, config.max_member), units, alignable, passing,
                        config.max_member)
    if config.complete:
        claims = complete(claims, units, alignable, compared, scorer.pairs, config.link,
                          config.link - config.support_slack)
    claims = split_wide(claims, units, scorer.pairs, config.link - config.support_slack - config.split_slack)
    return Alignment(tuple(claims), tuple(links), thresholds, same_event)

"""Sub-model 5, enforcement in Mexico: apprehension at nodes, detention, deportation or release, re-attempts.

Two postures, as separate levers (PARAMETERS.md §1a). Blanket intensity multiplies everyone's detection.
Risk-managed targeting (share tau of the effort) raises detection of smuggled people (1 + gain x tau), halves the
effort spent on everyone else at tau = 1, and gives intercepted low-risk people papers (a legal channel) with
probability tau instead of detention. A share of the rest may go to alternatives to detention (`atd`). Detained
people are deported (share 94%) or released; deportees re-attempt after a delay or stay home.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine import atd, pathways
from corredor.engine.state import State
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

SMUGGLED, CARAVAN, ALONE = (MODES.index(m) for m in ("smuggled", "caravan", "alone"))


def check(
    sim: Sim, idx: NDArray[np.int64], node: NDArray[np.int64], t: NDArray[np.float64]
) -> NDArray[np.bool_] | None:
    """Apprehension on arrival at a node. Returns the mask of agents stopped (detained or regularised), or None."""
    a = sim.agents
    en = sim.p.enforcement
    intensity = float(sim.lever("mx_enforcement_intensity"))
    targeting = float(sim.lever("mx_risk_targeting"))
    mode = a.mode[idx]
    p = en.detection_per_node * sim.c.detection_factor[node] * intensity * sim.c.tables.detection_by_mode[mode]
    if targeting != 0.0:  # the posture factor is exactly 1 for everyone without targeting
        p = p * np.where(mode == SMUGGLED, 1.0 + en.smuggler_targeting_gain * targeting, 1.0 - 0.5 * targeting)
    caught = sim.rng.random(len(idx)) < p  # u in [0, 1): the same as comparing with p clipped to [0, 1]
    if not np.count_nonzero(caught):
        return None
    who, when = idx[caught], t[caught]
    offered = (mode[caught] != SMUGGLED) & (sim.rng.random(len(who)) < targeting)
    pathways.regularise(sim, who[offered], when[offered])
    detained, t_det = who[~offered], when[~offered]
    sim.log("apprehension_mx", detained)
    a.caravan[detained] = -1
    a.mode[detained] = np.where(a.mode[detained] == CARAVAN, ALONE, a.mode[detained])
    in_atd = atd.divert(sim, detained, t_det)
    if in_atd.any():
        detained, t_det = detained[~in_atd], t_det[~in_atd]
    a.move(detained, State.DETAINED_MX)
    a.t_next[detained] = t_det + sim.rng.exponential(en.detention_days, len(detained))
    return caught

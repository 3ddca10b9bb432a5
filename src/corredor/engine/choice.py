"""Sub-model 2, choice: travel mode (alone, smuggled, caravan) and route, by multinomial logit.

Mode utilities: alone 0; smuggled = constant - fee x fee coefficient + enforcement coefficient x (the extra
detection faced alone under blanket enforcement) - the targeting of smugglers under risk management; caravan =
constant, offered only while a caravan of the person's nationality is forming. Routes are chosen among the
precomputed options from the person's start node by distance and expected harm for the chosen mode
(`inputs._route_choice`). The legal pathway is not chosen here but allocated by quota (`pathways`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine import caravans
from corredor.parameters import MODES, Parameters

if TYPE_CHECKING:
    from corredor.engine.model import Sim

ALONE, SMUGGLED, CARAVAN = (MODES.index(m) for m in ("alone", "smuggled", "caravan"))


def smuggled_utility(sim: Sim) -> float:
    """Today's utility of travelling with a smuggler."""
    intensity, targeting = float(sim.lever("mx_enforcement_intensity")), float(sim.lever("mx_risk_targeting"))
    return smuggled_utility_of(sim.p, intensity, targeting)


def smuggled_utility_of(p: Parameters, intensity: float, targeting: float) -> float:
    """The utility of travelling with a smuggler under Mexican enforcement `intensity` and `targeting`."""
    ch = p.choice
    gain = p.enforcement.smuggler_targeting_gain
    alone_detection = intensity * (1.0 - 0.5 * targeting)
    return (
        ch.smuggled_constant
        - ch.fee_coefficient * ch.smuggling_fee_usd / 1000.0
        + ch.enforcement_coefficient * (alone_detection - 1.0)
        - ch.enforcement_coefficient * intensity * gain * targeting * 0.5
    )


def choose_modes(sim: Sim, idx: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Mode of each agent, and the route-family filter it must keep to (a caravan's family, else any)."""
    nat = sim.agents.nat[idx]
    u_smuggled = smuggled_utility(sim)
    window_family, window_id = caravans.forming(sim)  # per nationality: filter index, caravan id (-1: none)
    has_caravan = window_id[nat] >= 0
    e_alone = 1.0
    e_smuggled = np.exp(u_smuggled)
    e_caravan = np.where(has_caravan, np.exp(sim.p.choice.caravan_constant), 0.0)
    total = e_alone + e_smuggled + e_caravan
    u = sim.rng.random(len(idx)) * total
    mode = np.where(u < e_alone, ALONE, np.where(u < e_alone + e_smuggled, SMUGGLED, CARAVAN)).astype(np.int64)
    joins = mode == CARAVAN
    family_filter = np.where(joins, window_family[nat], 0).astype(np.int64)
    sim.agents.caravan[idx[joins]] = window_id[nat[joins]]
    return mode, family_filter


def choose_routes(
    sim: Sim, start: NDArray[np.integer], family_filter: NDArray[np.int64], mode: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Route id for each agent, drawn from the logit table of (start node, family filter, mode)."""
    c = sim.c
    _, n_filters, n_modes, width = c.route_cum.shape
    row = (start.astype(np.int64) * n_filters + family_filter) * n_modes + mode
    u = sim.rng.random(len(start))
    position = np.searchsorted(c.route_cum_flat, u + 2.0 * row, side="right") - row * width
    return c.route_table.reshape(-1, width)[row, np.minimum(position, width - 1)]

"""Sub-model 4, hazards: extortion, kidnapping, assault and death on each edge travelled.

For each edge, the expected number of events of each kind is rate per 1,000 km x km x route-family multiplier x
mode multiplier (x train multiplier when riding freight trains) x (1 + hidden-route harm x extra blanket
enforcement). Each kind happens independently with probability 1 - exp(-expected). Kidnapping delays the
journey and costs a ransom; death ends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.parameters import HARMS

if TYPE_CHECKING:
    from corredor.engine.model import Sim


def on_edge(
    sim: Sim, idx: NDArray[np.int64], flat_step: NDArray[np.int64], km: NDArray[np.float64]
) -> tuple[NDArray[np.bool_], NDArray[np.float64]] | tuple[None, None]:
    """Draw harms for the edge just travelled (flat route-step index). Returns (died, extra delay in days), or
    (None, None) when nobody was harmed.

    The four kinds are independent events. To keep the common case cheap, one uniform decides whether any
    happens (probability 1 - exp(-total expected)); only for those agents are the kinds drawn, sequentially from
    their exact conditional probabilities.
    """
    a = sim.agents
    tables = sim.c.tables
    intensity = float(sim.lever("mx_enforcement_intensity"))
    hidden = 1.0 + sim.p.hazards.hidden_route_harm * max(0.0, intensity - 1.0)
    length = sim.c.step_harm_km[flat_step] * (hidden / 1000)  # km x family multiplier, precomputed per step
    mode, train = a.mode[idx], a.on_train[idx]
    p_any = -np.expm1(-length * tables.harm_rate_total.reshape(-1)[mode * 2 + train])
    struck = (sim.rng.random(len(idx)) < p_any).nonzero()[0]
    if len(struck) == 0:
        return None, None
    died = np.zeros(len(idx), dtype=bool)
    delay = np.zeros(len(idx))
    expected = length[struck, None] * tables.harm_rate[mode[struck], train[struck].astype(np.int64)]  # (n, kinds)
    p = -np.expm1(-expected)
    remaining = -np.expm1(-np.cumsum(expected[:, ::-1], axis=1)[:, ::-1])  # P(at least one of kinds k..)
    u = sim.rng.random(expected.shape)
    # Kind k happens with probability p_k / P(at least one of kinds k..) while no earlier kind has happened, else
    # with p_k. The first kind to happen is the first whose draw passes the former; later kinds follow the latter.
    first = u < p / np.maximum(remaining, 1e-300)
    earlier = np.cumsum(first, axis=1) > first  # some earlier kind passed its first-kind draw
    hit = np.where(earlier, u < p, first)
    who = idx[struck]
    for kind, name in enumerate(HARMS):
        sim.log(name, who[hit[:, kind]])
    kidnapped = hit[:, HARMS.index("kidnapping")]
    sim.log("ransom_usd", who[kidnapped], sim.p.hazards.ransom_usd)
    delay[struck[kidnapped]] = sim.p.hazards.kidnapping_delay_days
    died[struck[hit[:, HARMS.index("death")]]] = True
    return died, delay

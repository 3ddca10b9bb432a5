"""Sub-model 4, hazards: extortion, kidnapping, assault and death on each edge travelled.

For each edge, the expected number of events of each kind is rate per 1,000 km x km x route-family multiplier x
mode multiplier (x train multiplier when riding freight trains) x (1 + hidden-route harm x extra blanket
enforcement). An event happens with probability 1 - exp(-expected). Kidnapping delays the journey and costs a
ransom; death ends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.network import ROUTE_FAMILIES
from corredor.parameters import HARMS, MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim


def _tables(sim: Sim) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    hz = sim.p.hazards
    rates = np.array([hz.extortion_per_1000km, hz.kidnapping_per_1000km, hz.assault_per_1000km, hz.death_per_1000km])
    family = np.array([hz.family_multiplier.get(f, 1.0) for f in ROUTE_FAMILIES])
    mode = np.array([hz.mode_multiplier[m] for m in MODES])  # (modes, harms)
    train = np.asarray(hz.train_multiplier)
    return rates, family, mode, train


def on_edge(
    sim: Sim, idx: NDArray[np.int64], route: NDArray[np.int64], step: NDArray[np.int64]
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Draw harms for the edge (route, step) just travelled. Returns (died, extra delay in days)."""
    a = sim.agents
    rates, family_mult, mode_mult, train_mult = _tables(sim)
    km = sim.c.routes.step_km[route, step]
    fam = family_mult[sim.c.routes.step_family[route, step]]
    intensity = float(sim.lever("mx_enforcement_intensity"))
    hidden = 1.0 + sim.p.hazards.hidden_route_harm * max(0.0, intensity - 1.0)
    exposure = (km * fam / 1000.0 * hidden)[:, None] * rates[None, :] * mode_mult[a.mode[idx]]
    exposure = np.where(a.on_train[idx][:, None], exposure * train_mult[None, :], exposure)
    hit = sim.rng.random(exposure.shape) < -np.expm1(-exposure)
    for kind, name in enumerate(HARMS):
        sim.log(name, idx[hit[:, kind]])
    kidnapped = idx[hit[:, HARMS.index("kidnapping")]]
    sim.log("ransom_usd", kidnapped, sim.p.hazards.ransom_usd)
    delay = np.where(hit[:, HARMS.index("kidnapping")], sim.p.hazards.kidnapping_delay_days, 0.0)
    return hit[:, HARMS.index("death")], delay

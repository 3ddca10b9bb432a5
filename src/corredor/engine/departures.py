"""Sub-model 1, departures: how many people set out each day from each origin, and re-attempts.

Daily departures per origin are Poisson with the run's rate (base rate x drivers x seasonality x drought x aid
x US deterrence, see `inputs._departure_rates`, x stochastic droughts, see `climate`) divided by the scale.
Cohorts and scheduled caravans add people on their dates. Every new journey goes through `start_journeys`: legal
pathways first, then mode and route choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine import asylum, caravans, choice, kernels, movement, pathways
from corredor.engine.state import State
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

SMUGGLED = MODES.index("smuggled")
POISSON_MEAN_MAX = 9.223372006484771e18  # numpy's largest Poisson mean (POISSON_LAM_MAX)


def counts(sim: Sim) -> NDArray[np.int64]:
    """Today's number of new agents per origin: Poisson, the numbers `sim.rng.poisson(rate / scale)` gives, drawn
    by numpy's algorithm in a compiled kernel (`kernels.departures_today`)."""
    return kernels.departures_today(sim.departure_rate, sim.day, float(sim.c.scale), sim.rng)


def check_rates(rates: NDArray[np.float64], scale: float, origins: Sequence[str]) -> None:
    """Refuse departure rates no Poisson draw can take (what `Generator.poisson` would refuse mid-run); `origins`
    names the columns ([[origins]] entries)."""
    means = rates / scale
    bad = ~((means >= 0) & (means < POISSON_MEAN_MAX))  # NaN fails both
    if bad.any():
        day, origin = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"departure rate of origin {origins[origin]!r} on day {day} of the run is {rates[day, origin]!r} persons"
            " per day: it must be finite and >= 0 (check the scenario's base rates, drivers and levers)"
        )


def create(sim: Sim) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Launch today's scheduled caravans, let today's applicants from outside the corridor apply, and create today's
    other new agents (at home, not yet on their way). Returns the caravans' members and outside applicants, the
    other new agents and the times they set out. (The compiled day does the same with `kernels.new_agents` after
    `counts`, on days without cohorts.)"""
    c = sim.c
    members = np.concatenate([caravans.launch_scheduled(sim), asylum.arrive_from_outside(sim)])
    per_origin = counts(sim)
    origin_start = np.repeat(c.origin_start, per_origin)
    nat = np.repeat(c.origin_nat, per_origin)
    for cohort in c.cohorts_by_day.get(sim.day, []):
        n = int(np.floor(cohort.persons / c.scale + sim.rng.random()))  # persons -> agents, rounded at random
        start = int(np.searchsorted(c.start_nodes, c.network.index(cohort.origin)))
        origin_start = np.concatenate([origin_start, np.full(n, start)])
        nat = np.concatenate([nat, np.full(n, c.nationalities.index(cohort.nationality))])
    if not len(nat):
        return members, np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = sim.agents.add(len(nat), nat, origin_start, c.start_nodes[origin_start], State.WAITING_ORIGIN)
    return members, idx, sim.day + sim.rng.random(len(idx))


def run(sim: Sim) -> NDArray[np.int64]:
    """Create today's new agents and start their journeys; returns their indices."""
    members, idx, t = create(sim)
    if len(idx):
        start_journeys(sim, idx, t)
        sim.log("departure", idx)  # after the journey starts, so the event carries the chosen mode
    return np.concatenate([members, idx])


def restart(sim: Sim, idx: NDArray[np.int64]) -> None:
    """People waiting at home set out again."""
    sim.agents.attempts[idx] += 1
    start_journeys(sim, idx, sim.agents.t_next[idx].copy())
    sim.log("reattempt", idx)


def choice_inputs(sim: Sim) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Today's inputs of the compiled mode choice: (legal take-up, exp(smuggled utility), exp(caravan constant),
    smuggling fee), and per nationality the route-family filter and id of a forming caravan (`caravans.forming`)."""
    return (sim.c.choice_parameters[sim.day], *caravans.forming(sim))


def start_journeys(
    sim: Sim,
    idx: NDArray[np.int64],
    t: NDArray[np.float64],
    mode: NDArray[np.int64] | None = None,
    family_filter: NDArray[np.int64] | None = None,
    caravan_id: int = -1,
) -> None:
    """Legal pathways, then mode and route choice, fees, and the first edge, for agents at their origin.

    `mode` and `family_filter` are given for people launched in a scheduled caravan (`caravan_id`). Compiled
    (`kernels.start_journeys`) for people choosing their mode on days without work-visa quotas.
    """
    a = sim.agents
    if mode is None and not pathways.visas_today(sim):
        kernels.start_journeys(
            idx,
            t,
            a.kernel_arrays(),
            sim.c.kernel_arrays,
            sim.c.kernel_routes,
            movement.arrival_inputs(sim),
            *choice_inputs(sim),
            sim.events.today,
            sim.events.kernel_shape,
            sim.events.kernel_codes(kernels.JOURNEY_EVENTS),
            sim.rng,
        )
        return
    _start_journeys(sim, idx, t, mode, family_filter, caravan_id)


def _start_journeys(
    sim: Sim,
    idx: NDArray[np.int64],
    t: NDArray[np.float64],
    mode: NDArray[np.int64] | None = None,
    family_filter: NDArray[np.int64] | None = None,
    caravan_id: int = -1,
) -> None:
    """`start_journeys` in numpy."""
    a = sim.agents
    a.caravan[idx] = -1
    a.applied[idx] = False
    left, t, legal = pathways.divert_at_departure(sim, idx, t)
    if len(left) == 0:
        return
    irregular = ~legal
    chosen_mode = np.full(len(left), pathways.LEGAL, dtype=np.int64)
    chosen_filter = np.zeros(len(left), dtype=np.int64)
    joiners = np.zeros(0, dtype=np.int64)
    if mode is None or family_filter is None:
        chosen_mode[irregular], chosen_filter[irregular] = choice.choose_modes(sim, left[irregular])
        joiners = left[irregular][chosen_mode[irregular] == choice.CARAVAN]
    else:
        keep = np.isin(idx, left)
        chosen_mode[irregular] = mode[keep][irregular]
        chosen_filter[irregular] = family_filter[keep][irregular]
        a.caravan[left[irregular]] = caravan_id
    mode, family_filter = chosen_mode, chosen_filter
    a.mode[left] = mode
    sim.log("caravan_join", joiners)
    a.route[left] = choice.choose_routes(sim, a.origin[left], family_filter, mode)
    a.step[left] = 0
    a.move(left, State.EN_ROUTE, sim.c.start_nodes[a.origin[left]])
    sim.log("journey_start", left)
    smuggled = left[mode == SMUGGLED]
    sim.log("fee_usd", smuggled, sim.p.choice.smuggling_fee_usd)
    movement.schedule(sim, left, t)

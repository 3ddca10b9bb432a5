"""Sub-model 3, movement: travel along the chosen route, edge by edge, at the pace of the mode; stays at shelters.

On arrival at a node the other sub-models act in a fixed order: hazards of the edge just travelled, caravan
dispersal and blocking, humanitarian cards at the southern border, Mexican enforcement, asylum at COMAR offices,
then shelter or onward travel. Reaching the last city before the US port hands the person to the border sub-model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine import asylum, border, caravans, enforcement, hazards, kernels, pathways
from corredor.engine.state import DEAD, EN_ROUTE, SHELTER
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

ALONE = MODES.index("alone")


def schedule(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64], flat: NDArray[np.int64] | None = None) -> None:
    """Start the next edge of each agent's route at time t (`flat`: route x width + step, if known)."""
    if len(idx) == 0:
        return
    a = sim.agents
    c = sim.c
    if flat is None:
        flat = a.route[idx].astype(np.int64) * c.routes.width + a.step[idx]
    km = c.step_km[flat]
    mode = a.mode[idx]
    speed = c.tables.speed_by_mode[mode]
    riding = c.step_train[flat] & (mode == ALONE)
    if np.count_nonzero(riding):
        riders = riding.nonzero()[0]
        riding[riders] = sim.rng.random(len(riders)) < float(sim.lever("train_use"))
        speed = np.where(riding, sim.p.movement.speed_train_km_per_day, speed)
    a.on_train[idx] = riding
    a.t_next[idx] = t + km / speed


def continue_journey(
    sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64], flat: NDArray[np.int64] | None = None
) -> None:
    """Move on from the current node: to the border sub-model at the last city, else along the next edge.

    `flat` (route x width + step of the edge ahead) may be given by callers that already computed it."""
    if len(idx) == 0:
        return
    a = sim.agents
    elsewhere = a.state[idx] != EN_ROUTE
    if np.count_nonzero(elsewhere):
        a.move(idx[elsewhere], EN_ROUTE)
    _onward(sim, idx, t, flat)


def _onward(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64], flat: NDArray[np.int64] | None) -> None:
    """`continue_journey` for agents already EN_ROUTE."""
    if len(idx) == 0:
        return
    c = sim.c
    if flat is None:
        flat = sim.agents.route[idx].astype(np.int64) * c.routes.width + sim.agents.step[idx]
    at_last_city = c.last_city_step[flat]
    if np.count_nonzero(at_last_city):
        border.arrive(sim, idx[at_last_city], t[at_last_city])
        onward = ~at_last_city
        idx, t, flat = idx[onward], t[onward], flat[onward]
    schedule(sim, idx, t, flat)


def arrival_inputs(sim: Sim) -> NDArray[np.float64]:
    """Today's scalar inputs of `kernels.arrive` and `kernels.dispatch` (indices `kernels.P_*`): today's row of
    `kernel_parameters`, with the number of caravans launched so far (kept until a caravan sets out)."""
    key = (sim.day, sim.n_caravans)
    if sim.kernel_inputs[0] == key:
        return sim.kernel_inputs[1]
    values = sim.c.kernel_parameters[sim.day].copy()
    values[kernels.P_CARAVANS] = sim.n_caravans
    sim.kernel_inputs = (key, values)
    return values


def arrive(sim: Sim, idx: NDArray[np.int64], rounds: int = 0) -> None:
    """Agents reach the end of their current edge: compiled (`kernels.arrive`), except on days when Mexican cards
    are handed out at the southern border (`_arrive`). With `rounds`, `idx` are all of the day's due agents, and
    those still travelling with an arrival due today arrive again, up to `rounds` times (edges chained in a day)."""
    if pathways.cards_today(sim):
        if not rounds:
            _arrive(sim, idx)
            return
        a, day_end = sim.agents, sim.day + 1.0
        for _ in range(rounds):
            idx = idx[(a.t_next[idx] < day_end) & (a.state[idx] == EN_ROUTE)]
            if len(idx) == 0:
                break
            _arrive(sim, idx)
        return
    a, c, cases = sim.agents, sim.c, sim.cases
    cases.reserve(len(idx))  # each agent applies at most once: it leaves the road when it does
    first = cases.n
    recent = np.array([sim.recent_applicants])
    n_cases = np.array([first], dtype=np.int64)
    inputs = (
        a.kernel_arrays(),
        cases.kernel_arrays(n_cases),
        c.kernel_arrays,
        arrival_inputs(sim),
        sim.lever("comar_office_open"),
        sim.lever("shelter_capacity"),
        sim.lever("asylum_propensity_multiplier"),
        sim.events.today,
        sim.events.kernel_shape,
        sim.events.kernel_codes(kernels.ARRIVAL_EVENTS),
        sim.rng,
        recent,
    )
    if rounds:
        kernels.arrive_chain(idx, rounds, *inputs)
    else:
        kernels.arrive(idx, *inputs)
    sim.recent_applicants = float(recent[0])
    cases.n = int(n_cases[0])


def _arrive(sim: Sim, idx: NDArray[np.int64]) -> None:
    """Agents reach the end of their current edge (numpy)."""
    a = sim.agents
    c = sim.c
    t = a.t_next[idx]
    flat = a.route[idx].astype(np.int64) * c.routes.width + a.step[idx]
    km = c.step_km[flat]
    sim.log("km_travelled", idx, km)
    died, delay = hazards.on_edge(sim, idx, flat, km)
    a.step[idx] += 1
    node = c.next_node[flat]
    a.move(idx, EN_ROUTE, node)
    flat += 1  # the edge ahead
    if died is not None and delay is not None:
        if np.count_nonzero(died):
            a.move(idx[died], DEAD)
            alive = ~died
            idx, t, node, km, flat, delay = idx[alive], t[alive], node[alive], km[alive], flat[alive], delay[alive]
        t = t + delay
    if sim.n_caravans:  # no caravan members before the first caravan
        caravans.disperse(sim, idx, km)

    entry = c.is_entry[node]
    if np.count_nonzero(entry):
        if sim.n_caravans:
            caravans.block(sim, idx[entry])
        stopped = pathways.humanitarian_cards(sim, idx[entry], t[entry])
        if np.count_nonzero(stopped):
            keep = np.ones(len(idx), dtype=bool)
            keep[entry.nonzero()[0][stopped]] = False
            idx, t, node, flat = idx[keep], t[keep], node[keep], flat[keep]

    caught = enforcement.check(sim, idx, node, t)
    if caught is not None:
        idx, t, node, flat = idx[~caught], t[~caught], node[~caught], flat[~caught]

    applied = asylum.maybe_apply(sim, idx, node, t)
    if applied is not None:
        idx, t, node, flat = idx[~applied], t[~applied], node[~applied], flat[~applied]

    staying = shelter(sim, idx, node, t, flat)
    if staying is not None:
        idx, t, flat = idx[~staying], t[~staying], flat[~staying]
    _onward(sim, idx, t, flat)


def shelter(
    sim: Sim, idx: NDArray[np.int64], node: NDArray[np.int64], t: NDArray[np.float64], flat: NDArray[np.int64]
) -> NDArray[np.bool_] | None:
    """People travelling alone stay at shelter hubs while beds are free. Returns the mask of those who stay (None:
    nobody)."""
    if sim.p.movement.shelter_stay_days <= 0:
        return None
    a = sim.agents
    capacity = sim.lever("shelter_capacity")
    at_hub = sim.c.is_shelter[node] & (capacity[node] > 0)  # a shelter with beds today
    if not np.count_nonzero(at_hub):
        return None
    at_hub &= (a.mode[idx] == ALONE) & ~sim.c.last_city_step[flat]
    hub_positions = at_hub.nonzero()[0]
    if len(hub_positions) == 0:
        return None
    occupied = a.count_view()[:, SHELTER, :].sum(axis=1)
    hub_nodes = node[hub_positions]
    order = np.argsort(hub_nodes, kind="stable")
    sorted_nodes = hub_nodes[order]
    first = np.searchsorted(sorted_nodes, sorted_nodes, side="left")
    rank = np.arange(len(sorted_nodes)) - first  # beds go to arrivals in agent order within each hub
    free = np.floor(capacity[sorted_nodes] / sim.c.scale) - occupied[sorted_nodes]
    granted = hub_positions[order[rank < free]]
    refused = hub_positions[order[rank >= free]]
    sim.log("shelter_turned_away", idx[refused])
    if len(granted) == 0:
        return None
    stays = np.zeros(len(idx), dtype=bool)
    stays[granted] = True
    staying = idx[granted]
    sim.log("shelter_stay", staying)
    a.move(staying, SHELTER)
    a.t_next[staying] = t[granted] + sim.p.movement.shelter_stay_days
    return stays

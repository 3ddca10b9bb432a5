"""Sub-model 9, caravans: scheduled from input events, joined by people setting out while one forms, topped up to
the sizes recorded on their way, and emergent when a large crowd is stranded at an asylum office.

Caravan members travel at caravan pace, face fewer harms and less detection (mode multipliers in the parameters),
apply for asylum more often, and leave the caravan (disperse) at a daily rate. Caravan blocking (a lever) breaks a
caravan up at the southern border: its members continue alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine import kernels, movement
from corredor.engine.inputs import FAMILY_FILTERS
from corredor.engine.state import EN_ROUTE, State
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

CARAVAN, ALONE = MODES.index("caravan"), MODES.index("alone")


@dataclass(frozen=True)
class Window:
    """A caravan that people of one nationality may still join."""

    caravan_id: int
    nat: int
    family_filter: int
    first_day: int
    last_day: int


def forming(sim: Sim) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per nationality: the route-family filter and id of a caravan forming today (-1 where none). Windows that
    have closed are dropped; on days with none open the arrays are shared (`Compiled.no_caravan_forming`), not to
    be written to."""
    if sim.caravan_windows:
        sim.caravan_windows = [window for window in sim.caravan_windows if window.last_day >= sim.day]
    if not sim.caravan_windows:
        return sim.c.no_caravan_forming
    k = len(sim.c.nationalities)
    family = np.zeros(k, dtype=np.int64)
    ident = np.full(k, -1, dtype=np.int64)
    for window in sim.caravan_windows:
        if window.first_day <= sim.day <= window.last_day:
            family[window.nat] = window.family_filter
            ident[window.nat] = window.caravan_id
    return family, ident


def launch_scheduled(sim: Sim) -> NDArray[np.int64]:
    """Create the members of caravans that leave today, and the people who join caravans recorded larger today
    (`top_up`); returns their indices."""
    from corredor.engine.departures import start_journeys

    c = sim.c
    if sim.day not in c.caravans_by_day:
        return top_up(sim)
    born = [np.zeros(0, dtype=np.int64)]
    for index, caravan in c.caravans_by_day[sim.day]:
        number = sim.n_caravans  # one numbering for scheduled and emergent caravans
        sim.n_caravans += 1
        sim.scheduled_caravans[index] = number
        n = int(np.floor(caravan.size / c.scale + sim.rng.random()))  # persons -> agents, rounded at random
        nat = c.nationalities.index(caravan.nationality)
        start = int(np.searchsorted(c.start_nodes, c.network.index(caravan.origin)))
        family = FAMILY_FILTERS.index(caravan.route_family) if caravan.route_family in FAMILY_FILTERS else 0
        idx = sim.agents.add(
            n, np.full(n, nat), np.full(n, start), np.full(n, c.start_nodes[start]), State.WAITING_ORIGIN
        )
        sim.agents.mode[idx] = CARAVAN
        sim.log("departure", idx)
        sim.log("caravan_departure", idx)
        start_journeys(
            sim,
            idx,
            sim.day + np.full(n, 0.5),
            mode=np.full(n, CARAVAN, dtype=np.int64),
            family_filter=np.full(n, family, dtype=np.int64),
            caravan_id=number,
        )
        window = sim.p.caravans.join_window_days
        sim.caravan_windows.append(Window(number, nat, family, sim.day, sim.day + window))
        sim.caravan_records.append((number, sim.day, c.start_nodes[start], n * c.scale, caravan.name or "scheduled"))
        born.append(idx)
    born.append(top_up(sim))
    return np.concatenate(born)


def top_up(sim: Sim) -> NDArray[np.int64]:
    """Bring scheduled caravans up to the sizes recorded today (`Caravan.recorded_sizes`): if fewer members of one
    are on the road than the count, the missing persons join it as people who set out because of it (departures
    of its members' nationality), where `_join` puts them. A caravan with nobody left on the road (dispersed,
    blocked at the border, all applying for asylum) is not topped up. Where caravan blocking (the lever, b) has
    been on since the caravan left, a count made in Mexico (where the scenario does not say: with most of its
    members on the road in Mexico) is lowered to (1 - b) of itself: the recorded counts are of history's unblocked
    caravan, and blocking would have split off that share of its members at the southern border. Counts made
    before the border stand. What happened to each count is kept for the run's summary. Returns the joiners'
    indices."""
    todays = sim.c.caravan_sizes_by_day.get(sim.day)
    if not todays:
        return np.zeros(0, dtype=np.int64)
    a = sim.agents
    born = [np.zeros(0, dtype=np.int64)]
    blocking = sim.c.levers["caravan_blocking"]
    in_mexico = sim.c.network.in_mexico()
    for index, recorded, place in todays:
        number = sim.scheduled_caravans.get(index)
        if number is None:
            continue
        n_agents = a.count
        on_road = np.flatnonzero(
            (a.caravan[:n_agents] == number) & (a.mode[:n_agents] == CARAVAN) & (a.state[:n_agents] == EN_ROUTE)
        )
        target = recorded
        past_border = in_mexico[place] if place >= 0 else len(on_road) and in_mexico[a.node[on_road]].mean() > 0.5
        if past_border:
            left = (sim.c.scenario.caravans[index].date - sim.c.start).days
            target *= 1.0 - float(blocking[left : sim.day + 1].max(initial=0.0))
        missing = target / sim.c.scale - len(on_road)
        n = int(np.floor(missing + sim.rng.random())) if len(on_road) and missing > 0 else 0  # rounded at random
        if n:
            born.append(_join(sim, on_road, n, place))
        log = {"day": sim.day, "recorded": recorded, "target": target, "on_road": len(on_road) * sim.c.scale}
        sim.caravan_counts.setdefault(number, []).append({**log, "added": n * sim.c.scale})
    return np.concatenate(born)


def _join(sim: Sim, on_road: NDArray[np.int64], n: int, place: int) -> NDArray[np.int64]:
    """Create `n` caravan members like members drawn at random from `on_road`, logged as departures, journey starts
    and caravan joins where they join. At `place` (a node; -1: none given) they reach that node at midday, on the
    route of a member whose route passes through it, coming from the node before it (where they are logged; from
    `place` itself if it starts the route), so that it acts on them as on any arrival (asylum offices, shelters,
    checks); otherwise each takes the place, route and next arrival of its member, so the caravan grows where it is
    (also when no member's route passes through `place`)."""
    a = sim.agents
    routes = sim.c.routes
    through = on_road[:0]
    if place >= 0:
        nodes = routes.nodes[a.route[on_road]]
        before_port = np.arange(nodes.shape[1])[None, :] < (routes.length[a.route[on_road]] - 1)[:, None]
        passes = (nodes == place) & before_port
        through = on_road[passes.any(axis=1)]
    if len(through) == 0:
        like = on_road[sim.rng.integers(len(on_road), size=n)]
        idx = a.add(
            n,
            a.nat[like].astype(np.int64),
            a.origin[like].astype(np.int64),
            a.node[like].astype(np.int64),
            State.EN_ROUTE,
        )
        for name in ("sub", "mode", "route", "step", "t_next", "on_train", "caravan"):
            getattr(a, name)[idx] = getattr(a, name)[like]
        _log_joiners(sim, idx)
        return idx
    like = through[sim.rng.integers(len(through), size=n)]
    route = a.route[like].astype(np.int64)
    at = np.argmax(routes.nodes[route] == place, axis=1)  # position of `place` on each route
    step = np.maximum(at - 1, 0)
    idx = a.add(
        n, a.nat[like].astype(np.int64), a.origin[like].astype(np.int64), routes.nodes[route, step], State.EN_ROUTE
    )
    for name in ("mode", "route", "caravan"):
        getattr(a, name)[idx] = getattr(a, name)[like]
    a.step[idx] = step
    a.t_next[idx] = sim.day + 0.5  # they reach `place` today, on the last edge before it
    _log_joiners(sim, idx)
    first = idx[at == 0]  # `place` starts the route: they set out from it
    movement.continue_journey(sim, first, np.full(len(first), sim.day + 0.5))
    return idx


def _log_joiners(sim: Sim, idx: NDArray[np.int64]) -> None:
    sim.log("departure", idx)
    sim.log("journey_start", idx)
    sim.log("caravan_join", idx)


def disperse(sim: Sim, idx: NDArray[np.int64], km: NDArray[np.float64]) -> None:
    """Members leave their caravan at the daily dispersal rate, over the days the edge of `km` took them."""
    members = (sim.agents.mode[idx] == CARAVAN).nonzero()[0]
    if len(members) == 0:
        return
    days_travelled = km[members] / sim.c.tables.speed_by_mode[CARAVAN]
    chance = -np.expm1(-sim.p.caravans.dispersal_per_day * days_travelled)
    gone = idx[members[sim.rng.random(len(members)) < chance]]
    sim.log("caravan_dispersal", gone)
    sim.agents.mode[gone] = ALONE
    sim.agents.caravan[gone] = -1


def block(sim: Sim, idx: NDArray[np.int64]) -> None:
    """At the southern border, caravans may be broken up (lever caravan_blocking)."""
    p = float(sim.lever("caravan_blocking"))
    if p <= 0:
        return
    members = idx[sim.agents.mode[idx] == CARAVAN]
    blocked = members[sim.rng.random(len(members)) < p]
    sim.log("caravan_blocked", blocked)
    sim.agents.mode[blocked] = ALONE
    sim.agents.caravan[blocked] = -1


def emergent(sim: Sim) -> None:
    """A crowd of waiting applicants above the threshold sets out together as a new caravan."""
    params = sim.p.caravans
    cells = sim.c.office_queue_cells
    threshold = params.emergent_threshold_persons
    if not len(cells) or kernels.most_queued(sim.agents.counts, cells) * sim.c.scale < threshold:
        return
    queued = sim.agents.counts[cells].sum(axis=1) * sim.c.scale  # persons, per office
    for office, (node, persons) in enumerate(zip(sim.offices.nodes.tolist(), queued.tolist(), strict=True)):
        if persons < params.emergent_threshold_persons:
            continue
        if sim.day - sim.emergent_last.get(node, -(10**9)) < params.emergent_cooldown_days:
            continue
        waiting = sim.offices.waiting_agents(office, sim)
        if len(waiting) * sim.c.scale < params.emergent_threshold_persons:
            continue
        sim.emergent_last[node] = sim.day
        leaving = waiting[sim.rng.random(len(waiting)) < params.emergent_join_share]
        if len(leaving) == 0:
            continue
        number = sim.n_caravans
        sim.n_caravans += 1
        t = np.maximum(sim.day + 0.99, sim.cases.applied[sim.agents.case[leaving]])
        sim.cases.close(sim.agents.case[leaving], t, "abandoned")
        sim.log("asylum_abandoned", leaving)
        sim.agents.mode[leaving] = CARAVAN
        sim.agents.caravan[leaving] = number
        sim.caravan_records.append((number, sim.day, node, len(leaving) * sim.c.scale, "emergent"))
        sim.log("caravan_join", leaving)
        sim.agents.move(leaving, State.EN_ROUTE)
        movement.continue_journey(sim, leaving, t)

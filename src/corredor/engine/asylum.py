"""Sub-model 6, asylum: applications at COMAR offices (of people passing on the corridor, and of applicants from
outside it), a first-come-first-served queue per office served by its caseworkers, abandonment, and decisions by
nationality.

Each office is a c-server queue in continuous time: c = caseworkers that day (a lever per office); each caseworker
decides one case at a time, with exponential service time of mean 1/mu, where mu = productivity (cases/year) x
persons per case / 365.25 / scale (agents/day). With constant arrivals and staff this is an M/M/c queue; the test
suite checks the mean time to decision against Erlang C. Waiting applicants abandon after an exponential time;
those being decided do not. The 45-working-day clock is measured on the recorded times (`observe`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from corredor.engine import kernels
from corredor.engine.state import ASYLUM_QUEUE, State
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

CARAVAN, ALONE, LEGAL = (MODES.index(m) for m in ("caravan", "alone", "legal"))
ASYLUM = State.ASYLUM_QUEUE


class Offices:
    """The COMAR offices' queues (offices in `Compiled.office_nodes` order). Per office: a heap of the waiting
    applications keyed by (time of application, case number), so first come, first served; the times its
    caseworkers become free; and when caseworkers taken off while deciding a case become free. Entries of people who
    left are skipped lazily: an entry is live while its agent is still waiting on that very case. Cases are queued
    when the day's service begins (`kernels.serve_asylum`): the heap order does not depend on when they are pushed."""

    def __init__(self, nodes: NDArray[np.int64], max_staff: int):
        n = len(nodes)
        self.nodes = nodes.astype(np.int64)
        self.size = np.zeros(n, dtype=np.int64)  # waiting entries per office
        self.time = np.zeros((n, 1024))
        self.case = np.zeros((n, 1024), dtype=np.int64)
        self.agent = np.zeros((n, 1024), dtype=np.int64)
        room = 2 * max_staff + 1  # caseworkers, and those taken off while busy (at most the largest staff)
        self.free_at = np.zeros((n, room))  # first `n_free` entries per office
        self.n_free = np.zeros(n, dtype=np.int64)
        self.retired = np.zeros((n, room))
        self.n_retired = np.zeros(n, dtype=np.int64)
        self.queued = np.zeros(1, dtype=np.int64)  # cases 0 .. queued - 1 are in the queues (or were)

    def reserve(self, cases: int) -> None:
        """Make room for the queues once cases up to number `cases` - 1 are queued."""
        if cases <= self.time.shape[1]:  # no office holds more entries than there were cases
            return
        needed = int(self.size.max(initial=0)) + cases - int(self.queued[0])
        if needed <= self.time.shape[1]:
            return
        capacity = max(2 * self.time.shape[1], needed)
        for name in ("time", "case", "agent"):
            old = getattr(self, name)
            grown = np.zeros((old.shape[0], capacity), dtype=old.dtype)
            grown[:, : old.shape[1]] = old
            setattr(self, name, grown)

    def kernel_arrays(self) -> tuple[NDArray[Any], ...]:
        return (
            self.size,
            self.time,
            self.case,
            self.agent,
            self.free_at,
            self.n_free,
            self.retired,
            self.n_retired,
            self.queued,
        )

    def waiting_agents(self, office: int, sim: Sim) -> NDArray[np.int64]:
        """Agents still waiting at office `office` (not yet being decided), in order of application."""
        n = int(self.size[office])
        time, case, agent = self.time[office, :n], self.case[office, :n], self.agent[office, :n]
        order = np.lexsort((case, time))
        case, agent = case[order], agent[order]
        a = sim.agents
        live = (a.case[agent] == case) & (a.state[agent] == ASYLUM_QUEUE) & ~a.in_service[agent]
        return agent[live]


def maybe_apply(
    sim: Sim, idx: NDArray[np.int64], node: NDArray[np.int64], t: NDArray[np.float64]
) -> NDArray[np.bool_] | None:
    """People passing an open office may apply. Returns the mask of applicants, or None when nobody applies."""
    a = sim.agents
    office = sim.c.office_of_node[node]
    at_office = (office >= 0).nonzero()[0]
    if len(at_office) == 0:
        return None
    people = idx[at_office]
    mode = a.mode[people]
    eligible = (sim.lever("comar_office_open")[node[at_office]] > 0) & ~a.applied[people] & (mode != LEGAL)
    candidates = at_office[eligible]
    if len(candidates) == 0:
        return None
    u = sim.rng.random(len(idx))[candidates]  # one draw per arriving agent, as when every arrival was drawn for
    nat = a.nat[idx[candidates]]
    p = sim.c.tables.asylum_propensity[nat] * sim.lever("asylum_propensity_multiplier")[nat]
    p = p * (1.0 + sim.p.asylum.word_of_mouth_per_1000 * sim.recent_applicants / 1000.0)
    p = np.where(mode[eligible] == CARAVAN, p * sim.p.asylum.caravan_propensity_multiplier, p)
    # Word of mouth remembers the expected applications, not the drawn ones: the same at 1 agent = 1 person, but at
    # coarser scales the draws of a few agents would feed back through the memory and make the scale itself a source
    # of noise (coefficient of variation of COMAR's yearly applicants ~30-40 % at 1 agent = 100 persons, 2-5 % at 10).
    sim.recent_applicants += float(np.cumsum(np.minimum(p, 1.0))[-1]) * sim.c.scale  # summed in order, as compiled
    applying = candidates[u < p]
    if len(applying) == 0:
        return None
    applies = np.zeros(len(idx), dtype=bool)
    applies[applying] = True
    nat = nat[u < p]
    who, when = idx[applying], t[applying]
    a.applied[who] = True
    a.in_service[who] = False
    cases = sim.cases.open(office[applying], nat, when, who, a.mode[who])
    a.case[who] = cases
    sim.log("asylum_application", who)
    a.mode[who] = np.where(a.mode[who] == CARAVAN, ALONE, a.mode[who])  # applying takes people out of a caravan
    a.caravan[who] = -1
    a.move(who, ASYLUM_QUEUE)
    a.t_next[who] = when + sim.rng.exponential(sim.p.asylum.abandonment_mean_days, len(who))
    return applies


def arrive_from_outside(sim: Sim) -> NDArray[np.int64]:
    """Today's asylum applicants from outside the corridor (`Scenario.outside_applicants`): for each entry, its
    persons per day / scale agents (rounded at random) appear at its office, if open today, and apply there at
    random times of the day. They travel alone from then on, on a route drawn from the office for those who leave
    the queue northwards. They do not feed word of mouth, which travels among the corridor's nationalities. Returns
    their indices. (Called before the day's other new agents on both engine paths, so the draws are the same.)"""
    c = sim.c
    if not c.outside_days[sim.day]:
        return np.zeros(0, dtype=np.int64)
    from corredor.engine.choice import choose_routes  # choice -> caravans -> movement -> asylum

    per_day = c.outside_per_day[sim.day]
    is_open = sim.lever("comar_office_open")[c.office_nodes[c.outside_office]] > 0
    born = [np.zeros(0, dtype=np.int64)]
    for entry in np.flatnonzero(per_day > 0).tolist():
        u = sim.rng.random()  # drawn on closed days too: closing an office leaves the other entries' draws alone
        n = int(np.floor(per_day[entry] / c.scale + u)) if is_open[entry] else 0
        if n == 0:
            continue
        start = int(c.outside_start[entry])
        a = sim.agents
        who = a.add(n, np.full(n, c.outside_nat[entry]), np.full(n, start), np.full(n, c.start_nodes[start]), ASYLUM)
        when = sim.day + sim.rng.random(n)
        a.mode[who] = ALONE
        # the route they would take north from the office (any family), for those who travel on from the queue
        a.route[who] = choose_routes(sim, np.full(n, start), np.zeros(n, dtype=np.int64), np.full(n, ALONE))
        a.step[who] = 0
        a.applied[who] = True
        a.in_service[who] = False
        a.case[who] = sim.cases.open(np.full(n, c.outside_office[entry]), a.nat[who], when, who, a.mode[who])
        a.t_next[who] = when + sim.rng.exponential(sim.p.asylum.abandonment_mean_days, n)
        sim.log("outside_arrival", who)
        sim.log("asylum_application", who)
        born.append(who)
    return np.concatenate(born)


def serve(sim: Sim) -> None:
    """Queue the day's new applications, then caseworkers take the next waiting applicants until the end of the
    day (`kernels.serve_asylum`)."""
    offices, cases = sim.offices, sim.cases
    if not len(offices.nodes):
        return
    offices.reserve(cases.n)
    kernels.serve_asylum(
        offices.kernel_arrays(),
        (cases.agent, cases.office, cases.applied, cases.started, np.array([cases.n], dtype=np.int64)),
        sim.lever("comar_caseworkers")[offices.nodes],
        sim.c.mean_service_days,
        float(sim.c.scale),
        float(sim.day),
        sim.agents.kernel_arrays(),
        sim.rng,
    )

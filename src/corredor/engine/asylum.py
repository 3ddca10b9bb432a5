"""Sub-model 6, asylum: applications at COMAR offices, a first-come-first-served queue per office served by its
caseworkers, abandonment, and decisions by nationality.

Each office is a c-server queue in continuous time: c = caseworkers that day (a lever per office); each caseworker
decides one case at a time, with exponential service time of mean 1/mu, where mu = productivity (cases/year) x
persons per case / 365.25 / scale (agents/day). With constant arrivals and staff this is an M/M/c queue; the test
suite checks the mean time to decision against Erlang C. Waiting applicants abandon after an exponential time;
those being decided do not. The 45-working-day clock is measured on the recorded times (`observe`).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine.state import ASYLUM_QUEUE
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

CARAVAN, ALONE, LEGAL = (MODES.index(m) for m in ("caravan", "alone", "legal"))


@dataclass
class Office:
    """One COMAR office: waiting applications ordered by time of application (first come, first served) and the
    times its caseworkers become free. Entries of people who left are skipped lazily: an entry is live while its
    agent is still waiting on that very case."""

    node: int
    waiting: list[tuple[float, int, int]] = field(default_factory=list)  # heap of (applied time, case, agent)
    free_at: list[float] = field(default_factory=list)  # heap, one entry per caseworker
    retired: list[float] = field(default_factory=list)  # heap: when caseworkers taken off while busy become free

    def staff(self, servers: int, day: float) -> None:
        """Set the number of caseworkers. One taken off while deciding a case finishes it; brought back, she is
        free only when that case is done."""
        while len(self.free_at) > servers:
            busiest = max(self.free_at)
            self.free_at.remove(busiest)
            heapq.heapify(self.free_at)
            if busiest > day:
                heapq.heappush(self.retired, busiest)
        while len(self.free_at) < servers:
            while self.retired and self.retired[0] <= day:
                heapq.heappop(self.retired)
            heapq.heappush(self.free_at, heapq.heappop(self.retired) if self.retired else day)

    @staticmethod
    def live(sim: Sim, case: int, agent: int) -> bool:
        a = sim.agents
        return bool(a.case[agent] == case and a.state[agent] == ASYLUM_QUEUE and not a.in_service[agent])

    def waiting_agents(self, sim: Sim) -> NDArray[np.int64]:
        """Agents still waiting (not yet being decided), in order of application."""
        live = [agent for _, case, agent in sorted(self.waiting) if self.live(sim, case, agent)]
        return np.array(live, dtype=np.int64)


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
    applying = candidates[u < p]
    if len(applying) == 0:
        return None
    applies = np.zeros(len(idx), dtype=bool)
    applies[applying] = True
    nat = nat[u < p]
    who, when = idx[applying], t[applying]
    a.applied[who] = True
    a.in_service[who] = False
    cases = sim.cases.open(office[applying], nat, when, who)
    a.case[who] = cases
    sim.log("asylum_application", who)
    sim.recent_applicants += len(who) * sim.c.scale
    a.mode[who] = np.where(a.mode[who] == CARAVAN, ALONE, a.mode[who])  # applying takes people out of a caravan
    a.caravan[who] = -1
    a.move(who, ASYLUM_QUEUE)
    a.t_next[who] = when + sim.rng.exponential(sim.p.asylum.abandonment_mean_days, len(who))
    queue_cases(sim, cases)
    return applies


def queue_cases(sim: Sim, cases: NDArray[np.int64]) -> None:
    """Put newly opened cases in their office's queue (ordered by time of application, then case number)."""
    if len(cases) == 0:
        return
    register = sim.cases
    for time, case, agent, office_index in zip(
        register.applied[cases].tolist(),
        cases.tolist(),
        register.agent[cases].tolist(),
        register.office[cases].tolist(),
        strict=True,
    ):
        heapq.heappush(sim.offices[office_index].waiting, (time, case, agent))


def serve(sim: Sim) -> None:
    """Caseworkers take the next waiting applicants until the end of the day."""
    a = sim.agents
    ap = sim.p.asylum
    day_end = sim.day + 1.0
    mean_service = sim.c.scale * 365.25 / max(ap.productivity_cases_per_year * ap.persons_per_case, 1e-12)
    staff = sim.lever("comar_caseworkers")
    for office in sim.offices:
        office.staff(int(np.floor(float(staff[office.node]) + 0.5)), float(sim.day))
        while office.waiting and office.free_at and office.free_at[0] < day_end:
            arrival, case, agent = office.waiting[0]
            if not office.live(sim, case, agent):
                heapq.heappop(office.waiting)  # abandoned, left in a caravan, or already decided
                continue
            start = max(office.free_at[0], arrival)
            if start >= day_end:
                break
            heapq.heappop(office.waiting)
            if a.t_next[agent] <= start:
                continue  # abandons before a caseworker is free; `due` closes the file at that time
            finish = start + sim.rng.exponential(mean_service)
            heapq.heapreplace(office.free_at, finish)
            a.in_service[agent] = True
            a.t_next[agent] = finish
            sim.cases.started[a.case[agent]] = start

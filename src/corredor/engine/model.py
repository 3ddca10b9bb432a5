"""The simulation context (`Sim`) and the daily loop that calls each sub-model in a fixed order.

Agents are event-driven within the daily step: each carries the time of its next event (``t_next``); every day
the loop takes the active agents whose event falls before the day's end and dispatches them by state. Movement
can chain several edges within one day (fast modes); everything else happens at most once a day per agent.
Daily counts are copied from the live count array at the end of each day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from corredor.engine import asylum, border, caravans, climate, departures, kernels, movement, pathways
from corredor.engine.inputs import Compiled, FloatArray
from corredor.engine.state import ABSORBING, N_STATES, Agents, CaseRegister, EventLog, State
from corredor.parameters import MODES, Parameters

EVENTS = (
    "departure",
    "reattempt",
    "journey_start",
    "km_travelled",
    "fee_usd",
    "legal_pathway_us",
    "legal_pathway_mx",
    "humanitarian_card_mx",
    "extortion",
    "kidnapping",
    "ransom_usd",
    "assault",
    "death",
    "shelter_stay",
    "shelter_turned_away",
    "apprehension_mx",
    "regularised_mx",
    "deportation_mx",
    "release_mx",
    "asylum_application",
    "asylum_recognised",
    "asylum_rejected",
    "asylum_abandoned",
    "caravan_departure",
    "caravan_join",
    "caravan_dispersal",
    "caravan_blocked",
    "arrival_border",
    "port_presentation_us",
    "apprehension_us",
    "evasion_us",
    "release_us",
    "removal_us",
    "mpp_return",
    "title42_expulsion",
    "returned_home",
    "regional_card_mx",
    "card_application_mx",
    "atd_enrolment",
    "atd_abandoned",
    "atd_regularised",
    "atd_returned",
    "outside_arrival",  # an asylum applicant from outside the corridor enters the model at her office
)
MAX_CHAIN = 64  # most edges one agent can traverse in a day


@dataclass
class Sim:
    """Everything one run reads and changes. Sub-models are functions of (sim, agent indices, time)."""

    c: Compiled
    p: Parameters
    rng: np.random.Generator
    agents: Agents
    events: EventLog
    cases: CaseRegister
    day: int = 0
    kept: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # see `active`
    kept_until: int = 0
    new_agents_headroom: int = 0  # room made for a day's new agents before drawing how many (`_compiled_day`)
    offices: asylum.Offices = field(default_factory=lambda: asylum.Offices(np.zeros(0, dtype=np.int64), 0))
    metering: border.MeteringLists = field(default_factory=lambda: border.MeteringLists(np.zeros(0, dtype=np.int64)))
    caravan_windows: list[caravans.Window] = field(default_factory=list)
    quota_used: dict[tuple[str, int, int], float] = field(default_factory=dict)
    quota_rounding: dict[tuple[str, int, int], float] = field(default_factory=dict)
    emergent_last: dict[int, int] = field(default_factory=dict)
    n_caravans: int = 0
    scheduled_caravans: dict[int, int] = field(default_factory=dict)  # index in scenario.caravans -> caravan number
    caravan_counts: dict[int, list[dict[str, float | int]]] = field(default_factory=dict)  # per number: top_up's log
    recent_applicants: float = 0.0  # persons: asylum applications, exponentially forgotten (word of mouth)
    caravan_records: list[tuple[int, int, int, float, str]] = field(default_factory=list)
    departure_rate: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))  # compiled rates x droughts
    droughts: list[climate.DroughtRecord] = field(default_factory=list)  # stochastic droughts drawn for this run
    kernel_inputs: tuple[tuple[int, int], FloatArray] = ((-1, -1), np.zeros(0))  # (day, caravans): kernel inputs

    def active(self) -> NDArray[np.int64]:
        """Agents that may still act, in order of creation: those `kept` at the last `forget_final` and every agent
        created since (agent `kept_until` on). Kept in two parts so that no day copies the whole list."""
        return np.concatenate([self.kept, np.arange(self.kept_until, self.agents.count, dtype=np.int64)])

    def forget_final(self) -> None:
        """Drop agents in a final state from the active agents."""
        self.kept = kernels.live(self.kept, self.kept_until, self.agents.count, self.agents.state, ABSORBING)
        self.kept_until = self.agents.count

    def lever(self, name: str) -> NDArray[np.float64]:
        """Today's value(s) of a lever: a 0-d array, or one value per node / nationality."""
        return self.c.levers[name][self.day]

    def log(self, event: str, idx: NDArray[np.int64], weight: float | NDArray[np.float64] = 1.0) -> None:
        if len(idx) == 0:
            return
        a = self.agents
        self.events.add(event, a.cell[idx], a.mode[idx], weight)


def new_sim(compiled: Compiled, seed: int) -> Sim:
    scenario = compiled.scenario
    expected = float(compiled.departure_rate.sum()) / compiled.scale
    agents = Agents(compiled.network.n_nodes, len(compiled.nationalities), capacity=int(expected * 1.3) + 1024)
    sim = Sim(
        c=compiled,
        p=scenario.parameters,
        rng=np.random.default_rng(seed),
        agents=agents,
        events=EventLog(EVENTS, compiled.network.n_nodes, len(compiled.nationalities), len(MODES)),
        cases=CaseRegister(),
    )
    sim.departure_rate, sim.droughts = climate.departure_rates(compiled, sim.rng)
    origins = [compiled.network.node_ids[node] for node in compiled.start_nodes[compiled.origin_start]]
    departures.check_rates(sim.departure_rate, compiled.scale, origins)
    most = float(sim.departure_rate.sum(axis=1).max(initial=0.0)) / compiled.scale  # mean new agents, busiest day
    sim.new_agents_headroom = int(most + 10 * np.sqrt(most) + 10)
    staff = np.floor(compiled.levers["comar_caseworkers"][:, compiled.office_nodes] + 0.5)
    sim.offices = asylum.Offices(compiled.office_nodes, int(staff.max(initial=0)))
    sim.recent_applicants = compiled.recent_applicants_at_start
    sim.metering = border.MeteringLists(compiled.network.nodes_of_kind("us_port_of_entry"))
    return sim


def _dispatch(sim: Sim, due: NDArray[np.int64]) -> None:
    """Due agents by state: re-attempts (numpy), shelter leavers (`kernels.leave_shelters`, so that the beds they
    free go to the day's arrivals), arrivals (`movement.arrive`), then every other state in one compiled call
    (`kernels.dispatch`)."""
    a = sim.agents
    state = a.state[due]
    present = np.bincount(state, minlength=N_STATES) > 0
    if present[State.WAITING_ORIGIN]:
        departures.restart(sim, due[state == State.WAITING_ORIGIN])
    if present[State.SHELTER]:
        kernels.leave_shelters(
            due,
            state,
            a.kernel_arrays(),
            sim.c.kernel_arrays,
            movement.arrival_inputs(sim),
            sim.events.today,
            sim.events.kernel_shape,
            sim.events.kernel_codes(kernels.ARRIVAL_EVENTS),
            sim.rng,
        )
    if present[State.EN_ROUTE]:
        movement.arrive(sim, due[state == State.EN_ROUTE])
    present[[State.WAITING_ORIGIN, State.EN_ROUTE, State.SHELTER]] = False
    if not present.any():
        return
    c, cases = sim.c, sim.cases
    listed = np.zeros((len(due) + 1, 3), dtype=np.int64)
    kernels.dispatch(
        due,
        state,
        a.kernel_arrays(),
        cases.kernel_arrays(np.zeros(1, dtype=np.int64)),  # dispatch opens no case
        c.kernel_arrays,
        movement.arrival_inputs(sim),
        sim.lever("us_metering_intake_per_day"),
        sim.events.today,
        sim.events.kernel_shape,
        sim.events.kernel_codes(kernels.ARRIVAL_EVENTS),
        sim.events.kernel_codes(kernels.DISPATCH_EVENTS),
        sim.rng,
        listed,
    )
    sim.metering.add(listed, c.port_of_node)


def _compiled_day(sim: Sim) -> None:
    """New agents, due agents by state and chained edges, then the COMAR queues and the metering lists, in one
    compiled call (`kernels.day`); the same as `departures.run`, `_dispatch`, `movement.arrive`, `asylum.serve` and
    `border.serve_metering` on days without visa or card quotas."""
    a, c, cases, events = sim.agents, sim.c, sim.cases, sim.events
    # New agents are active by their numbers (`Sim.active`): caravan members, applicants from outside the corridor
    # and cohorts are created here, the others by `kernels.day`, which draws how many (`departures.counts`).
    draw = sim.day not in c.cohorts_by_day
    if draw:
        if sim.day in c.caravans_by_day or sim.day in c.caravan_sizes_by_day:
            caravans.launch_scheduled(sim)
        asylum.arrive_from_outside(sim)
        born, t_born = np.zeros(0, dtype=np.int64), np.zeros(0)
    else:  # cohorts draw their sizes between the counts and the times: all in numpy
        _, born, t_born = departures.create(sim)
    new = np.zeros(len(c.origin_nat), dtype=np.int64)
    first_new = a.count  # members and born (if any) are already agents; the new ones come after them
    n_new = -1
    while n_new < 0:  # at most twice: a day with more new agents than the headroom makes room and runs again
        extra = sim.new_agents_headroom if draw else int(new.sum())
        n_active = len(sim.kept) + first_new + extra - sim.kept_until
        a.reserve(extra)
        cases.reserve(n_active)  # each agent applies at most once a day
        sim.offices.reserve(cases.n + n_active)
        sim.metering.reserve(n_active)
        first = cases.n
        recent = np.array([sim.recent_applicants])
        n_cases = np.array([first], dtype=np.int64)
        listed = np.empty((n_active + 1, 3), dtype=np.int64)  # agents listed for metering: row 0 says how many
        listed[0, 0] = 0
        n_new = kernels.day(
            sim.kept,
            sim.kept_until,
            sim.departure_rate,
            new,
            draw,
            first_new,
            born,
            t_born,
            MAX_CHAIN - 1,
            a.kernel_arrays(),
            cases.kernel_arrays(n_cases),
            c.kernel_arrays,
            c.kernel_routes,
            movement.arrival_inputs(sim),
            *departures.choice_inputs(sim),
            sim.lever("comar_office_open"),
            sim.lever("shelter_capacity"),
            sim.lever("asylum_propensity_multiplier"),
            sim.lever("us_metering_intake_per_day"),
            events.today,
            events.kernel_shape,
            events.kernel_codes(kernels.ARRIVAL_EVENTS),
            events.kernel_codes(kernels.DISPATCH_EVENTS),
            events.kernel_codes(kernels.JOURNEY_EVENTS),
            sim.rng,
            recent,
            listed,
            sim.offices.kernel_arrays(),
            sim.lever("comar_caseworkers")[sim.offices.nodes],
            c.mean_service_days,
            sim.metering.port_nodes,
            sim.metering.credit,
            sim.metering.kernel_arrays(),
            bool(c.metering_days[sim.day]),
            c.port_of_node,
        )
        draw = False  # drawn: a second call takes the same counts
    a.count += n_new
    sim.recent_applicants = float(recent[0])
    cases.n = int(n_cases[0])


def step(sim: Sim) -> None:
    """Advance one day."""
    day_end = sim.day + 1.0
    agents = sim.agents
    if pathways.visas_today(sim) or pathways.cards_today(sim):
        departures.run(sim)
        active = sim.active()
        due = active[agents.t_next[active] < day_end]
        if len(due):
            _dispatch(sim, due)
        if len(due):  # later rounds: only travellers chaining edges, so no dispatch by state
            movement.arrive(sim, due, rounds=MAX_CHAIN - 1)
        asylum.serve(sim)
        border.serve_metering(sim)
    else:
        _compiled_day(sim)  # also serves the asylum queues and the metering lists
    sim.recent_applicants *= sim.c.memory_decay
    caravans.emergent(sim)
    sim.events.close_day(sim.day)
    if sim.day % 4 == 3:
        sim.forget_final()


def run(
    compiled: Compiled, seed: int, progress: Callable[[int, int], None] | None = None
) -> tuple[Sim, NDArray[np.int32]]:
    """Run every day; returns the final state and daily counts shaped (days, nodes, states, nationalities)."""
    sim = new_sim(compiled, seed)
    shape = (compiled.network.n_nodes, N_STATES, len(compiled.nationalities))
    daily = np.zeros((compiled.days, *shape), dtype=np.int32)
    for day in range(compiled.days):
        sim.day = day
        step(sim)
        daily[day] = sim.agents.count_view()
        if progress is not None:
            progress(day + 1, compiled.days)
    return sim, daily

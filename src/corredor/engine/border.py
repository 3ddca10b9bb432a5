"""Sub-model 8, the US border: northern border cities, metering lists at ports, crossing between ports,
apprehension, and US processing by period (release, removal, MPP, Title 42).

On reaching the last city before the port, people wait a few days, then either ask for asylum at the port (a share
`port_asylum_share`, not smuggled people) or cross between ports. While metering is on (a finite daily intake at a
port), port asylum seekers join that port's list and are taken in first come, first served; those who wait too
long cross between ports. Crossers die with a small probability, are apprehended by the Border Patrol with the
lever's probability (each apprehension an event, so re-apprehensions count again, as in CBP statistics), or enter.
Apprehended people are released into the US, removed after detention, returned to Mexico to wait (MPP) or expelled
(Title 42), by the lever shares of the day.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from corredor.engine import kernels
from corredor.engine.state import AT_BORDER, BORDER_DECIDING, BORDER_METERING, State
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

SMUGGLED = MODES.index("smuggled")


@dataclass
class MeteringList:
    """A port's waiting list and its unused intake (fractional agents carried to the next day)."""

    port: int
    waiting: deque[tuple[int, int]] = field(default_factory=deque)  # (agent, attempt number when listed)
    credit: float = 0.0

    @staticmethod
    def live(sim: Sim, agent: int, attempt: int) -> bool:
        a = sim.agents
        return bool(a.state[agent] == AT_BORDER and a.sub[agent] == BORDER_METERING and a.attempts[agent] == attempt)


def arrive(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64]) -> None:
    """Reaching the last Mexican city of the route."""
    if len(idx) == 0:
        return
    a = sim.agents
    a.caravan[idx] = -1
    sim.log("arrival_border", idx)
    a.move(idx, State.AT_BORDER)
    a.sub[idx] = BORDER_DECIDING
    a.t_next[idx] = np.maximum(t + sim.rng.exponential(sim.p.movement.border_wait_days, len(idx)), sim.day + 1.0)


def present_at_port(sim: Sim, idx: NDArray[np.int64], t: NDArray[np.float64]) -> None:
    """Asylum seekers present at a port and are processed by the day's policy shares (`kernels.present_at_port`)."""
    from corredor.engine.movement import arrival_inputs

    kernels.present_at_port(
        idx,
        t,
        sim.agents.kernel_arrays(),
        sim.c.kernel_arrays,
        arrival_inputs(sim),
        sim.events.today,
        sim.events.kernel_shape,
        sim.events.kernel_codes(kernels.DISPATCH_EVENTS),
        sim.rng,
    )


def serve_metering(sim: Sim) -> None:
    """Each metered port takes in its daily intake from the head of its list; when metering ends (no intake limit)
    the port takes in everyone still listed."""
    if not sim.c.metering_days[sim.day] and not any(metering.waiting for metering in sim.metering):
        for metering in sim.metering:  # no metering today
            metering.credit = 0.0
        return
    intake = sim.lever("us_metering_intake_per_day")
    finite = np.isfinite(intake)
    for metering in sim.metering:
        unlimited = not finite[metering.port]
        if unlimited and not metering.waiting:
            metering.credit = 0.0
            continue
        metering.credit = np.inf if unlimited else metering.credit + float(intake[metering.port]) / sim.c.scale
        taken = []
        while metering.waiting and metering.credit >= 1.0:
            agent, attempt = metering.waiting.popleft()
            if metering.live(sim, agent, attempt):
                taken.append(agent)
                metering.credit -= 1.0
        if not metering.waiting:
            metering.credit = min(metering.credit, 1.0)
        if taken:
            idx = np.array(taken, dtype=np.int64)
            present_at_port(sim, idx, np.full(len(idx), sim.day + 0.999))  # taken in at the end of the day

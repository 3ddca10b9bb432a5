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

from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray

from corredor.engine import kernels
from corredor.engine.state import BORDER_DECIDING, State, allocate_fields
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.engine.model import Sim

SMUGGLED = MODES.index("smuggled")


class MeteringLists:
    """The ports' waiting lists, first come first served: entries (agent, attempt number when listed) linked per
    port in arrays, each port's first and last entry, and its unused intake (fractional agents carried to the next
    day). Entries are read in `kernels.serve_metering`; an entry is live while its agent is still on that list in
    that attempt (at the border, metered, same attempt number)."""

    FIELDS: ClassVar[dict[str, tuple[type, float]]] = {
        "agent": (np.int64, 0),
        "attempt": (np.int64, 0),
        "next": (np.int64, -1),  # the port's next entry (-1: last)
    }

    def __init__(self, port_nodes: NDArray[np.int64]):
        self.port_nodes = port_nodes.astype(np.int64)
        self.head = np.full(len(port_nodes), -1, dtype=np.int64)  # first entry per port (-1: empty)
        self.tail = np.full(len(port_nodes), -1, dtype=np.int64)
        self.credit = np.zeros(len(port_nodes))
        self.used = np.zeros(1, dtype=np.int64)  # entries written
        self.open = np.zeros(1, dtype=np.int64)  # entries not yet taken off a list (live or not)
        allocate_fields(self, self.FIELDS, 1024)
        self.agent: NDArray[np.int64]
        self.attempt: NDArray[np.int64]
        self.next: NDArray[np.int64]

    def kernel_arrays(self) -> tuple[NDArray[np.int64], ...]:
        return (self.head, self.tail, self.next, self.agent, self.attempt, self.used, self.open)

    def reserve(self, extra: int) -> None:
        """Make room for `extra` more entries."""
        used = int(self.used[0])
        if used + extra > len(self.agent):
            allocate_fields(self, self.FIELDS, max(2 * len(self.agent), used + extra), used)

    def add(self, listed: NDArray[np.int64], port_of_node: NDArray[np.int64]) -> None:
        """Append the agents `kernels.dispatch` listed (rows 1 .. listed[0, 0]: agent, attempt, port node)."""
        if listed[0, 0]:
            self.reserve(int(listed[0, 0]))
            kernels.metering_append(listed, port_of_node, self.kernel_arrays())


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


def serve_metering(sim: Sim) -> None:
    """Each metered port takes in its daily intake from the head of its list; when metering ends (no intake limit)
    the port takes in everyone still listed. Those taken in present at the port at the end of the day, port by
    port (`kernels.serve_metering`)."""
    lists = sim.metering
    metering_today = bool(sim.c.metering_days[sim.day])
    if not metering_today and not lists.open[0]:  # no metering today, nobody listed: no kernel call
        lists.credit[:] = 0.0
        return
    from corredor.engine.movement import arrival_inputs

    kernels.serve_metering(
        lists.port_nodes,
        lists.credit,
        lists.kernel_arrays(),
        metering_today,
        sim.lever("us_metering_intake_per_day"),
        sim.agents.kernel_arrays(),
        sim.c.kernel_arrays,
        arrival_inputs(sim),
        sim.events.today,
        sim.events.kernel_shape,
        sim.events.kernel_codes(kernels.DISPATCH_EVENTS),
        sim.rng,
    )

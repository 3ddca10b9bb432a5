"""Simulation state: agents as a structure of arrays, per-cell counts kept in step with every transition, the
event log, and the asylum case register.

Every change of an agent's state or node goes through `Agents.move`, which updates the live count array
(node x state x nationality) by the same amount it removes, so persons are conserved by construction and the
daily snapshot is a copy, not a recount.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from corredor.engine import kernels

IntArray = NDArray[np.int64]


class State(IntEnum):
    WAITING_ORIGIN = 0  # at home between attempts
    EN_ROUTE = 1  # travelling along an edge or about to leave a node
    SHELTER = 2  # staying at a shelter hub
    DETAINED_MX = 3  # held by INM before deportation or release
    ASYLUM_QUEUE = 4  # application pending at a COMAR office (waiting or being decided)
    RECOGNISED_MX = 5  # refugee status or complementary protection, stays in Mexico
    LEGAL_MX = 6  # works or lives in Mexico with a card or visa
    AT_BORDER = 7  # in a northern border city: deciding, on a metering list, under MPP or after expulsion
    DETAINED_US = 8  # held by the US before removal
    IN_US = 9  # entered the US (evaded, or released to pursue a case)
    LEGAL_US = 10  # left on a US temporary work visa
    RETURNED = 11  # gave up and stayed home
    DEAD = 12
    PENDING_MX = 13  # at liberty in Mexico while papers are pending: card applicants, alternatives to detention


N_STATES = len(State)
# Plain-int copies for hot paths: comparing a numpy array with an IntEnum member costs ~5x more on Python 3.11.
EN_ROUTE, SHELTER, ASYLUM_QUEUE, AT_BORDER, DEAD = (
    int(s) for s in (State.EN_ROUTE, State.SHELTER, State.ASYLUM_QUEUE, State.AT_BORDER, State.DEAD)
)
ABSORBING = np.zeros(N_STATES, dtype=bool)
ABSORBING[[State.RECOGNISED_MX, State.LEGAL_MX, State.IN_US, State.LEGAL_US, State.RETURNED, State.DEAD]] = True

# Sub-states of AT_BORDER.
BORDER_DECIDING, BORDER_METERING, BORDER_MPP, BORDER_EXPELLED = 0, 1, 2, 3
# Sub-states of PENDING_MX: waiting for a humanitarian (TVRH) or regional (TVR) card at the southern border; in an
# alternatives-to-detention programme that will be completed, or abandoned (drawn on enrolment).
PENDING_TVRH, PENDING_TVR, PENDING_ATD_COMPLETES, PENDING_ATD_ABANDONS = 0, 1, 2, 3

NEVER = np.inf


def allocate_fields(owner: object, fields: dict[str, tuple[type, float]], capacity: int, used: int = 0) -> None:
    """Give `owner` one array per field of length `capacity`, keeping the first `used` entries it already had."""
    for name, (dtype, fill) in fields.items():
        grown: NDArray[Any] = np.full(capacity, fill, dtype=dtype)
        if used:
            grown[:used] = getattr(owner, name)[:used]
        setattr(owner, name, grown)


class Agents:
    """Agent attributes as parallel arrays that grow by doubling; `count` agents are in use."""

    FIELDS: ClassVar[dict[str, tuple[type, float]]] = {
        "nat": (np.int16, 0),
        "origin": (np.int32, 0),  # index into the compiled start nodes
        "node": (np.int32, 0),
        "state": (np.int8, 0),
        "sub": (np.int8, 0),
        "mode": (np.int8, 0),
        "route": (np.int32, -1),
        "step": (np.int16, 0),
        "t_next": (np.float64, NEVER),
        "on_train": (np.bool_, False),
        "applied": (np.bool_, False),
        "in_service": (np.bool_, False),
        "case": (np.int64, -1),
        "caravan": (np.int32, -1),
        "attempts": (np.int16, 0),
        "cell": (np.int64, 0),  # index into `counts` of (node, state, nationality), kept by add/move
    }

    def __init__(self, n_nodes: int, n_nats: int, capacity: int = 1024):
        self.count = 0
        self.n_nodes = n_nodes
        self.n_nats = n_nats
        self.counts = np.zeros(n_nodes * N_STATES * n_nats, dtype=np.int64)
        allocate_fields(self, self.FIELDS, capacity)
        # Declared for type checkers; set by the loop above.
        self.nat: NDArray[np.int16]
        self.origin: NDArray[np.int32]
        self.node: NDArray[np.int32]
        self.state: NDArray[np.int8]
        self.sub: NDArray[np.int8]
        self.mode: NDArray[np.int8]
        self.route: NDArray[np.int32]
        self.step: NDArray[np.int16]
        self.t_next: NDArray[np.float64]
        self.on_train: NDArray[np.bool_]
        self.applied: NDArray[np.bool_]
        self.in_service: NDArray[np.bool_]
        self.case: NDArray[np.int64]
        self.caravan: NDArray[np.int32]
        self.attempts: NDArray[np.int16]
        self.cell: NDArray[np.int64]

    @property
    def capacity(self) -> int:
        return len(self.nat)

    def reserve(self, n: int) -> None:
        """Make room for n more agents."""
        if self.count + n > self.capacity:
            allocate_fields(self, self.FIELDS, max(2 * self.capacity, self.count + n), self.count)

    def add(self, n: int, nat: IntArray, origin: IntArray, node: IntArray, state: State) -> IntArray:
        """Create n agents in `state` at `node`; returns their indices."""
        self.reserve(n)
        first = self.count
        idx = np.arange(first, first + n, dtype=np.int64)
        self.count += n
        self.nat[first : first + n] = nat
        self.origin[first : first + n] = origin
        self.node[first : first + n] = node
        self.state[first : first + n] = state
        kernels.place(self.cell, self.state, self.node, self.nat, self.counts, idx, self.n_nats)
        return idx

    def move(self, idx: IntArray, state: State | int, node: IntArray | int | None = None) -> None:
        """Put agents `idx` into `state` (and at `node`), keeping the counts in step (`kernels.move`)."""
        if len(idx) == 0:
            return
        nodes = self.node[idx] if node is None else np.broadcast_to(np.asarray(node, dtype=np.int64), idx.shape)
        kernels.move_many(self.cell, self.state, self.node, self.nat, self.counts, idx, int(state), nodes, self.n_nats)

    def kernel_arrays(self) -> tuple[NDArray[Any], ...]:
        """The arrays the compiled kernels read and change, in the order they unpack them."""
        return (
            self.nat,
            self.node,
            self.state,
            self.sub,
            self.mode,
            self.route,
            self.step,
            self.t_next,
            self.on_train,
            self.applied,
            self.in_service,
            self.case,
            self.caravan,
            self.cell,
            self.counts,
            self.origin,
            self.attempts,
        )

    def count_view(self) -> NDArray[np.int64]:
        """Live counts shaped (node, state, nationality)."""
        return self.counts.reshape(self.n_nodes, N_STATES, self.n_nats)


class EventLog:
    """Daily counters keyed by (event, node, nationality, mode), with optional weights (USD amounts, km).

    Today's counters are one dense array over the (small) key space, `today`; every event adds to it in the order
    it happens (here, or in the compiled kernels, which add to the same array), and `close_day` keeps the non-zero
    keys. After the counters, `today` holds one flag per block of 64 counters, set when an event touches the block
    (`kernels.log`), so that `close_day` reads only the blocks touched that day."""

    def __init__(self, events: tuple[str, ...], n_nodes: int, n_nats: int, n_modes: int):
        self.events = events
        self.code = {name: i for i, name in enumerate(events)}
        self.shape = (len(events), n_nodes, n_nats, n_modes)
        self.size = int(np.prod(self.shape))  # counters
        self.today = np.zeros(self.size + -(-self.size // 64))  # counters, then one flag per block of 64
        cell = np.arange(n_nodes * N_STATES * n_nats)  # count cells (`kernels.cell_of`) -> node x nats + nat
        place = cell // (N_STATES * n_nats) * n_nats + cell % n_nats
        # the layout the kernels read (`kernels.log`): shape, counters, then the place of each count cell
        self.kernel_shape = np.concatenate([np.array((*self.shape, self.size)), place]).astype(np.int64)
        self._kernel_codes: dict[tuple[str, ...], NDArray[np.int64]] = {}
        # rows stored by close_day (day, key, total) in chunks of room for 8 days of every counter: full chunks,
        # then the chunk being filled, whose first `_n_rows` rows are in use
        self._full: list[tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.float64]]] = []
        self._chunk = self._new_chunk()
        self._n_rows = 0

    def add(
        self,
        event: str,
        cell: IntArray,
        mode: NDArray[np.integer],
        weight: float | NDArray[np.float64] = 1.0,
    ) -> None:
        """Count `event` once (or `weight`) for each agent, given the agents' count cells and modes (`kernels.log`)."""
        if len(cell) == 0:
            return
        weights = np.asarray(weight, dtype=np.float64).reshape(-1)
        kernels.log_many(self.today, self.code[event], cell, mode, weights, self.kernel_shape)

    def kernel_codes(self, names: tuple[str, ...]) -> NDArray[np.int64]:
        """The codes of `names`, as the int array a kernel takes."""
        codes = self._kernel_codes.get(names)
        if codes is None:
            codes = self._kernel_codes[names] = np.array([self.code[n] for n in names], dtype=np.int64)
        return codes

    def close_day(self, day: int) -> None:
        """Store today's non-zero counters and start the next day from zero."""
        if self._n_rows + self.size > len(self._chunk[0]):  # not room for every counter: start a new chunk
            self._full.append(self._filled())
            self._chunk, self._n_rows = self._new_chunk(), 0
        self._n_rows = kernels.take_day(self.today, self.size, day, *self._chunk, self._n_rows)

    def _filled(self) -> tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.float64]]:
        day, key, total = self._chunk
        return day[: self._n_rows], key[: self._n_rows], total[: self._n_rows]

    def _new_chunk(self) -> tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.float64]]:
        rows = 8 * self.size
        return np.empty(rows, dtype=np.int32), np.empty(rows, dtype=np.int64), np.empty(rows)

    def table(self) -> dict[str, NDArray[np.generic]]:
        """All recorded counters as columns: day, event, node, nationality, mode, value."""
        chunks = [*self._full, self._filled()]
        day, key, value = (np.concatenate([chunk[i] for chunk in chunks]) for i in range(3))
        if not len(key):
            empty = np.zeros(0, dtype=np.int64)
            return {k: empty for k in ("day", "event", "node", "nat", "mode")} | {"value": np.zeros(0)}
        event, node, nat, mode = np.unravel_index(key, self.shape)
        return {"day": day, "event": event, "node": node, "nat": nat, "mode": mode, "value": value}


class CaseRegister:
    """Asylum applications: one row per application, filled in when the file closes."""

    OUTCOMES = ("pending", "recognised", "rejected", "abandoned")
    FIELDS: ClassVar[dict[str, tuple[type, float]]] = {
        "agent": (np.int64, 0),
        "office": (np.int32, 0),  # index into the compiled office nodes
        "nat": (np.int16, 0),
        "applied": (np.float64, 0.0),  # times in days since the start of the run
        "started": (np.float64, np.nan),
        "closed": (np.float64, np.nan),
        "outcome": (np.int8, 0),  # index into OUTCOMES
        "mode": (np.int8, 0),  # travel mode when the person applied (index into parameters.MODES)
    }

    def __init__(self) -> None:
        self.n = 0
        allocate_fields(self, self.FIELDS, 1024)
        self.agent: NDArray[np.int64]
        self.office: NDArray[np.int32]
        self.nat: NDArray[np.int16]
        self.applied: NDArray[np.float64]
        self.started: NDArray[np.float64]
        self.closed: NDArray[np.float64]
        self.outcome: NDArray[np.int8]
        self.mode: NDArray[np.int8]

    def kernel_arrays(self, n_cases: IntArray) -> tuple[NDArray[Any], ...]:
        """The arrays the compiled kernels read and fill, in the order they unpack them; `n_cases` is a one-element
        array holding the number of cases, which the kernels advance as they open cases."""
        return (
            self.agent,
            self.office,
            self.nat,
            self.applied,
            n_cases,
            self.closed,
            self.outcome,
            self.started,
            self.mode,
        )

    def reserve(self, extra: int) -> None:
        """Make room for `extra` more cases."""
        if self.n + extra > len(self.office):
            allocate_fields(self, self.FIELDS, max(2 * len(self.office), self.n + extra), self.n)

    def open(
        self,
        office: IntArray,
        nat: NDArray[np.integer],
        time: NDArray[np.float64],
        agent: IntArray,
        mode: NDArray[np.integer],
    ) -> IntArray:
        n = len(office)
        if self.n + n > len(self.office):
            allocate_fields(self, self.FIELDS, max(2 * len(self.office), self.n + n), self.n)
        idx = np.arange(self.n, self.n + n, dtype=np.int64)
        self.n += n
        self.agent[idx] = agent
        self.office[idx] = office
        self.nat[idx] = nat
        self.applied[idx] = time
        self.mode[idx] = mode
        return idx

    def close(self, case: IntArray, time: NDArray[np.float64] | float, outcome: str) -> None:
        self.closed[case] = time
        self.outcome[case] = self.OUTCOMES.index(outcome)

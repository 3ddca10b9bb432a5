"""Compiled kernels (numba): the engine's per-agent loops and the group sums of the outputs, in one file.

numba's on-disk cache (``cache=True``) is keyed on the timestamp of the file that defines a function; kernels that
call kernels defined in another file could load stale machine code after that file changes, so every compiled
function lives here. The sub-model modules are thin wrappers that hand arrays to these kernels.

Random numbers: the kernels take the run's `numpy.random.Generator` and draw from it in exactly the order the
vectorised numpy code did (numba's generator methods give the same numbers as numpy's for the same bit generator
state), so compiled runs are identical to the numpy engine's, value for value. Not `poisson`: for means of 10 and
more numba's differs from numpy's (it truncates where numpy floors, and computes log-gamma differently), so
`poisson` here is numpy's algorithm (numpy/random/src/distributions/distributions.c) step for step, checked against
`Generator.poisson` by the test suite.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def group_sum(labels: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:  # pragma: no cover - compiled
    """Sum of `values` per label (0 .. n_groups-1; negative labels skipped) with the compensated (Kahan) summation
    of pandas' groupby sum, in row order, so the totals equal pandas' to the last bit."""
    total = np.zeros(n_groups)
    compensation = np.zeros(n_groups)
    for i in range(len(labels)):
        g = labels[i]
        if g < 0:
            continue
        y = values[i] - compensation[g]
        t = total[g] + y
        compensation[g] = t - total[g] - y
        if compensation[g] != compensation[g]:
            compensation[g] = 0.0
        total[g] = t
    return total


# --- agents, counts and events --------------------------------------------------------------------------------------
# States, sub-states and modes (`state.State`, `parameters.MODES`), as plain ints for the compiled code.
EN_ROUTE, SHELTER, DETAINED_MX, ASYLUM_QUEUE, LEGAL_MX, AT_BORDER, DEAD, PENDING_MX = 1, 2, 3, 4, 6, 7, 12, 13
N_STATES = 14
BORDER_DECIDING, PENDING_ATD_COMPLETES, PENDING_ATD_ABANDONS = 0, 2, 3
ALONE, SMUGGLED, CARAVAN, LEGAL = 0, 1, 2, 3


@njit(cache=True, inline="always")
def cell_of(node, state, nat, n_nats):  # pragma: no cover - compiled
    """Index of (node, state, nationality) in the flat count array (`Agents.counts`): the one formula of it."""
    return (np.int64(node) * N_STATES + state) * n_nats + nat


@njit(cache=True, inline="always")
def move(cell, state_arr, node_arr, nat, counts, i, state, node, n_nats):  # pragma: no cover - compiled
    """Agent i into `state` at `node`, keeping the counts in step."""
    counts[cell[i]] -= 1
    node_arr[i] = node
    state_arr[i] = state
    new = cell_of(node, state, nat[i], n_nats)
    cell[i] = new
    counts[new] += 1


@njit(cache=True)
def move_many(cell, state_arr, node_arr, nat, counts, idx, state, nodes, n_nats):  # pragma: no cover - compiled
    """Agents `idx` into `state`, each at its node in `nodes` (`Agents.move`)."""
    for j in range(len(idx)):
        move(cell, state_arr, node_arr, nat, counts, idx[j], state, nodes[j], n_nats)


@njit(cache=True)
def place(cell, state_arr, node_arr, nat, counts, idx, n_nats):  # pragma: no cover - compiled
    """Count new agents `idx` in their cells (`Agents.add`)."""
    for i in idx:
        cell[i] = cell_of(node_arr[i], state_arr[i], nat[i], n_nats)
        counts[cell[i]] += 1


LAYOUT = 5  # EventLog.kernel_shape: events, nodes, nationalities, modes, counters; then the place of each count cell


@njit(cache=True, inline="always")
def log(today, code, cell, mode, weight, shape):  # pragma: no cover - compiled
    """Add `weight` to today's counter of event `code` for an agent in count cell `cell` travelling in `mode`
    (`EventLog.add` for one agent), and flag the counter's block of 64 as touched. `today` holds the counters,
    then one flag per block; `shape` is the layout of `EventLog.kernel_shape`: events, nodes, nationalities, modes,
    counters, then for each count cell its (node, nationality) place, node x nationalities + nationality (a lookup
    instead of two integer divisions per event)."""
    place = shape[LAYOUT + cell]
    key = (code * shape[1] * shape[2] + place) * shape[3] + mode
    today[key] += weight
    today[shape[4] + (key >> 6)] = 1.0


@njit(cache=True)
def log_many(today, code, cell, mode, weights, shape):  # pragma: no cover - compiled
    """`log` for agents in order (`EventLog.add`); `weights` holds one weight per agent, or one for all."""
    for j in range(len(cell)):
        log(today, code, cell[j], mode[j], weights[j % len(weights)], shape)


# Today's scalar inputs of `arrive`, in one float array (`movement.arrival_inputs` fills it).
(
    P_DAY,
    P_SCALE,
    P_HIDDEN,  # hidden-route harm factor / 1000
    P_RANSOM,
    P_KIDNAP_DELAY,
    P_CARAVANS,  # caravans launched so far (0: nobody can be a member)
    P_DISPERSAL,
    P_BLOCKING,
    P_DETECTION,
    P_INTENSITY,
    P_TARGETING,
    P_SMUGGLER_GAIN,
    P_CARD_SETTLE,
    P_ATD_SHARE,
    P_ATD_DAYS,
    P_ATD_ABANDON_DAYS,
    P_DETENTION_DAYS,
    P_WORD_OF_MOUTH,
    P_CARAVAN_PROPENSITY,
    P_ABANDON_DAYS,
    P_SHELTER_DAYS,
    P_TRAIN_USE,
    P_SPEED_TRAIN,
    P_BORDER_WAIT,
    P_DEPORTATION_SHARE,
    P_REATTEMPT,
    P_REATTEMPT_DELAY,
    P_ASYLUM_SETTLE,
    P_REJECTED_RETURN,
    P_PORT_ASYLUM,
    P_METERING_GIVE_UP,
    P_US_DEATH,
    P_US_APPREHENSION,
    P_US_RELEASE,
    P_MPP,
    P_PORT_RELEASE,
    P_TITLE42,
    P_MPP_WAIT,
    P_EXPULSION_RETRY,
    P_REMOVAL_DAYS,
    P_US_REATTEMPT,
    P_MX_CARD_SETTLE,
    P_REGIONAL_SETTLE,
    P_ATD_PAPERS,
    N_P,
) = range(45)
# Event codes used by `arrive`, in one int array (`EventLog.kernel_codes(ARRIVAL_EVENTS)`), in this order.
ARRIVAL_EVENTS = (
    "km_travelled",
    "extortion",
    "kidnapping",
    "assault",
    "death",
    "ransom_usd",
    "caravan_dispersal",
    "caravan_blocked",
    "regularised_mx",
    "apprehension_mx",
    "atd_enrolment",
    "asylum_application",
    "shelter_turned_away",
    "shelter_stay",
    "arrival_border",
)
(
    E_KM,
    E_EXTORTION,  # the four harms follow in `parameters.HARMS` order
    E_KIDNAPPING,
    E_ASSAULT,
    E_DEATH,
    E_RANSOM,
    E_DISPERSAL,
    E_BLOCKED,
    E_REGULARISED,
    E_APPREHENSION,
    E_ATD,
    E_APPLICATION,
    E_TURNED_AWAY,
    E_SHELTER,
    E_ARRIVAL_BORDER,
) = range(15)


@njit(cache=True, inline="always")
def start_edge(
    i, f, t0, mode, on_train, t_next, step_km, step_train, speed_by_mode, par, rng
):  # pragma: no cover - compiled
    """Agent `i` sets out at time `t0` along route step `f` (`movement.schedule` for one agent): at its mode's
    speed, or by train (drawn with the day's train use) for people travelling alone on a train edge."""
    m = mode[i]
    speed = speed_by_mode[m]
    riding = step_train[f] and m == ALONE
    if riding:
        riding = rng.random() < par[P_TRAIN_USE]
        if riding:
            speed = par[P_SPEED_TRAIN]
    on_train[i] = riding
    t_next[i] = t0 + step_km[f] / speed


@njit(cache=True)
def _continue(idx, t, flat, ag, net, par, today, shape, ev, rng):  # pragma: no cover - compiled
    """`movement.continue_journey` for agents already EN_ROUTE at the node ahead of step `flat`: border arrival at
    the route's last city (all of them first), else the next edge (train riders drawn afterwards)."""
    nat, node_a, state, sub, mode, t_next, on_train = ag[0], ag[1], ag[2], ag[3], ag[4], ag[7], ag[8]
    caravan, cell, counts = ag[12], ag[13], ag[14]
    step_km, speed_by_mode, step_train, last_city_step = net[0], net[8], net[9], net[10]
    n_nats = shape[2]
    day_end = par[P_DAY] + 1.0
    for j in range(len(idx)):
        if last_city_step[flat[j]]:
            i = idx[j]
            caravan[i] = -1
            log(today, ev[E_ARRIVAL_BORDER], cell[i], mode[i], 1.0, shape)
            move(cell, state, node_a, nat, counts, i, AT_BORDER, node_a[i], n_nats)
            sub[i] = BORDER_DECIDING
            t_next[i] = max(t[j] + par[P_BORDER_WAIT] * rng.standard_exponential(), day_end)
    for j in range(len(idx)):
        f = flat[j]
        if last_city_step[f]:
            continue
        start_edge(idx[j], f, t[j], mode, on_train, t_next, step_km, step_train, speed_by_mode, par, rng)


@njit(cache=True)
def arrive(
    idx, ag, cs, net, par, office_open, shelter_capacity, propensity_mult, today, shape, ev, rng, recent
):  # pragma: no cover - compiled
    """Agents `idx` reach the end of their current edge (`movement.arrive`, on days without card quotas): hazards,
    caravan dispersal and blocking, Mexican enforcement, asylum applications, shelters, then onward travel. Draws
    are made in the order of the numpy engine: per stage, for the agents in order."""
    nat, node_a, state, sub, mode, route, step, t_next = ag[0], ag[1], ag[2], ag[3], ag[4], ag[5], ag[6], ag[7]
    on_train, applied, in_service, case, caravan, cell, counts = ag[8], ag[9], ag[10], ag[11], ag[12], ag[13], ag[14]
    (
        step_km,
        step_harm_km,
        next_node,
        is_entry,
        detection_factor,
        detection_by_mode,
        harm_rate_total,
        harm_rate,
        speed_by_mode,
        _step_train,
        last_city_step,
        office_of_node,
        asylum_propensity,
        is_shelter,
        width_arr,
    ) = net[:15]
    c_agent, c_office, c_nat, c_applied, c_n, c_mode = cs[0], cs[1], cs[2], cs[3], cs[4], cs[8]
    n_nats = shape[2]
    width = width_arr[0]
    n = len(idx)
    t = np.empty(n)
    flat = np.empty(n, dtype=np.int64)
    km = np.empty(n)
    for j in range(n):
        i = idx[j]
        t[j] = t_next[i]
        flat[j] = np.int64(route[i]) * width + step[i]
        km[j] = step_km[flat[j]]
        log(today, ev[E_KM], cell[i], mode[i], km[j], shape)
    # hazards.on_edge
    length = np.empty(n)
    struck = np.zeros(n, dtype=np.bool_)
    n_struck = 0
    for j in range(n):
        i = idx[j]
        length[j] = step_harm_km[flat[j]] * par[P_HIDDEN]
        p_any = -np.expm1(-length[j] * harm_rate_total[mode[i] * 2 + np.int64(on_train[i])])
        if rng.random() < p_any:
            struck[j] = True
            n_struck += 1
    died = np.zeros(n, dtype=np.bool_)
    delay = np.zeros(n)
    if n_struck:
        hit = np.zeros((n, 4), dtype=np.bool_)
        expected = np.empty(4)
        for j in range(n):
            if not struck[j]:
                continue
            i = idx[j]
            m, tr = mode[i], np.int64(on_train[i])
            for k in range(4):
                expected[k] = length[j] * harm_rate[m, tr, k]
            tail = 0.0
            remaining = np.empty(4)
            for k in range(3, -1, -1):
                tail = tail + expected[k] if k < 3 else expected[3]
                remaining[k] = -np.expm1(-tail)
            earlier = False
            for k in range(4):
                u = rng.random()
                p = -np.expm1(-expected[k])
                first = u < p / max(remaining[k], 1e-300)
                hit[j, k] = (u < p) if earlier else first
                earlier = earlier or first
        for k in range(4):
            for j in range(n):
                if struck[j] and hit[j, k]:
                    i = idx[j]
                    log(today, ev[E_EXTORTION + k], cell[i], mode[i], 1.0, shape)
        for j in range(n):
            if struck[j] and hit[j, 1]:
                i = idx[j]
                log(today, ev[E_RANSOM], cell[i], mode[i], par[P_RANSOM], shape)
                delay[j] = par[P_KIDNAP_DELAY]
            if struck[j] and hit[j, 3]:
                died[j] = True
    node = np.empty(n, dtype=np.int64)
    for j in range(n):
        i = idx[j]
        step[i] += 1
        node[j] = next_node[flat[j]]
        move(cell, state, node_a, nat, counts, i, EN_ROUTE, node[j], n_nats)
        flat[j] += 1
    alive = np.ones(n, dtype=np.bool_)
    if n_struck:
        for j in range(n):
            if died[j]:
                move(cell, state, node_a, nat, counts, idx[j], DEAD, node_a[idx[j]], n_nats)
                alive[j] = False
            else:
                t[j] = t[j] + delay[j]
    # caravans.disperse
    if par[P_CARAVANS] > 0:
        for j in range(n):
            i = idx[j]
            if alive[j] and mode[i] == CARAVAN:
                chance = -np.expm1(-par[P_DISPERSAL] * (km[j] / speed_by_mode[CARAVAN]))
                if rng.random() < chance:
                    log(today, ev[E_DISPERSAL], cell[i], mode[i], 1.0, shape)
                    mode[i] = ALONE
                    caravan[i] = -1
    # caravans.block at southern crossings (card quotas are handled by the numpy engine: not here)
    if par[P_CARAVANS] > 0 and par[P_BLOCKING] > 0:
        for j in range(n):
            i = idx[j]
            if alive[j] and is_entry[node[j]] and mode[i] == CARAVAN and rng.random() < par[P_BLOCKING]:
                log(today, ev[E_BLOCKED], cell[i], mode[i], 1.0, shape)
                mode[i] = ALONE
                caravan[i] = -1
    # enforcement.check
    caught = np.zeros(n, dtype=np.bool_)
    n_caught = 0
    targeting = par[P_TARGETING]
    for j in range(n):
        if not alive[j]:
            continue
        i = idx[j]
        m = mode[i]
        p = par[P_DETECTION] * detection_factor[node[j]] * par[P_INTENSITY] * detection_by_mode[m]
        if targeting != 0.0:
            p = p * ((1.0 + par[P_SMUGGLER_GAIN] * targeting) if m == SMUGGLED else (1.0 - 0.5 * targeting))
        if rng.random() < p:
            caught[j] = True
            n_caught += 1
    if n_caught:
        offered = np.zeros(n, dtype=np.bool_)
        for j in range(n):
            if caught[j]:
                u = rng.random()
                offered[j] = mode[idx[j]] != SMUGGLED and u < targeting
        # pathways.regularise: papers, then settle or travel on legally
        travels = np.zeros(n, dtype=np.bool_)
        n_travel = 0
        for j in range(n):
            if offered[j]:
                i = idx[j]
                log(today, ev[E_REGULARISED], cell[i], mode[i], 1.0, shape)
                caravan[i] = -1
        for j in range(n):
            if offered[j]:
                i = idx[j]
                if rng.random() < par[P_CARD_SETTLE]:
                    move(cell, state, node_a, nat, counts, i, LEGAL_MX, node_a[i], n_nats)
                else:
                    mode[i] = LEGAL
                    travels[j] = True
                    n_travel += 1
        if n_travel:
            sel = np.flatnonzero(travels)
            _continue(idx[sel], t[sel], flat[sel], ag, net, par, today, shape, ev, rng)
        detained = caught & ~offered
        for j in range(n):
            if detained[j]:
                i = idx[j]
                log(today, ev[E_APPREHENSION], cell[i], mode[i], 1.0, shape)
                caravan[i] = -1
                if mode[i] == CARAVAN:
                    mode[i] = ALONE
        if par[P_ATD_SHARE] > 0:  # atd.divert / atd.enrol
            enrolled = np.zeros(n, dtype=np.bool_)
            for j in range(n):
                if detained[j] and rng.random() < par[P_ATD_SHARE]:
                    enrolled[j] = True
                    detained[j] = False
            for j in range(n):
                if enrolled[j]:
                    i = idx[j]
                    log(today, ev[E_ATD], cell[i], mode[i], 1.0, shape)
                    move(cell, state, node_a, nat, counts, i, PENDING_MX, node_a[i], n_nats)
            completes = np.empty(n)
            for j in range(n):
                if enrolled[j]:
                    completes[j] = par[P_ATD_DAYS] * rng.standard_exponential()
            for j in range(n):
                if enrolled[j]:
                    abandons = par[P_ATD_ABANDON_DAYS] * rng.standard_exponential()
                    i = idx[j]
                    sub[i] = PENDING_ATD_COMPLETES if completes[j] <= abandons else PENDING_ATD_ABANDONS
                    t_next[i] = t[j] + min(completes[j], abandons)
        for j in range(n):
            if detained[j]:
                move(cell, state, node_a, nat, counts, idx[j], DETAINED_MX, node_a[idx[j]], n_nats)
        for j in range(n):
            if detained[j]:
                t_next[idx[j]] = t[j] + par[P_DETENTION_DAYS] * rng.standard_exponential()
        for j in range(n):
            if caught[j]:
                alive[j] = False
    # asylum.maybe_apply: one uniform for every agent still here, if anyone can apply
    candidate = np.zeros(n, dtype=np.bool_)
    n_candidates = 0
    n_here = 0
    for j in range(n):
        if alive[j]:
            n_here += 1
            i = idx[j]
            if office_of_node[node[j]] >= 0 and office_open[node[j]] > 0 and not applied[i] and mode[i] != LEGAL:
                candidate[j] = True
                n_candidates += 1
    if n_candidates:
        applies = np.zeros(n, dtype=np.bool_)
        n_apply = 0
        expected_apply = 0.0
        factor = 1.0 + par[P_WORD_OF_MOUTH] * recent[0] / 1000.0
        for j in range(n):
            if not alive[j]:
                continue
            u = rng.random()
            if candidate[j]:
                i = idx[j]
                k = nat[i]
                p = asylum_propensity[k] * propensity_mult[k]
                p = p * factor
                if mode[i] == CARAVAN:
                    p = p * par[P_CARAVAN_PROPENSITY]
                expected_apply += min(p, 1.0)
                if u < p:
                    applies[j] = True
                    n_apply += 1
        recent[0] += expected_apply * par[P_SCALE]  # word of mouth spreads the expected applications (see asylum.py)
        if n_apply:
            first_case = c_n[0]
            c = first_case
            for j in range(n):
                if applies[j]:
                    i = idx[j]
                    applied[i] = True
                    in_service[i] = False
                    c_agent[c] = i
                    c_mode[c] = mode[i]
                    c_office[c] = office_of_node[node[j]]
                    c_nat[c] = nat[i]
                    c_applied[c] = t[j]
                    case[i] = c
                    c += 1
            c_n[0] = c
            for j in range(n):
                if applies[j]:
                    i = idx[j]
                    log(today, ev[E_APPLICATION], cell[i], mode[i], 1.0, shape)
            for j in range(n):
                if applies[j]:
                    i = idx[j]
                    if mode[i] == CARAVAN:
                        mode[i] = ALONE
                    caravan[i] = -1
                    move(cell, state, node_a, nat, counts, i, ASYLUM_QUEUE, node_a[i], n_nats)
            for j in range(n):
                if applies[j]:
                    t_next[idx[j]] = t[j] + par[P_ABANDON_DAYS] * rng.standard_exponential()
                    alive[j] = False
    # movement.shelter: beds go to people travelling alone in agent order, per hub, while free
    if par[P_SHELTER_DAYS] > 0:
        at_hub = np.zeros(n, dtype=np.bool_)
        any_hub = False
        for j in range(n):
            if alive[j] and is_shelter[node[j]] and shelter_capacity[node[j]] > 0:  # beds today
                any_hub = True
                at_hub[j] = mode[idx[j]] == ALONE and not last_city_step[flat[j]]
        if any_hub:
            n_nodes = shape[1]
            free = np.full(n_nodes, np.nan)
            given = np.zeros(n_nodes)
            for j in range(n):
                if at_hub[j] and np.isnan(free[node[j]]):
                    h = node[j]
                    occupied = 0
                    for k in range(n_nats):
                        occupied += counts[(h * N_STATES + SHELTER) * n_nats + k]
                    free[h] = np.floor(shelter_capacity[h] / par[P_SCALE]) - occupied
            stays = np.zeros(n, dtype=np.bool_)
            for j in range(n):  # beds go to arrivals in agent order until the hub is full (counts are exact sums)
                if at_hub[j]:
                    h = node[j]
                    i = idx[j]
                    if given[h] < free[h]:
                        given[h] += 1
                        stays[j] = True
                        log(today, ev[E_SHELTER], cell[i], mode[i], 1.0, shape)
                    else:
                        log(today, ev[E_TURNED_AWAY], cell[i], mode[i], 1.0, shape)
            for j in range(n):
                if stays[j]:
                    i = idx[j]
                    move(cell, state, node_a, nat, counts, i, SHELTER, node_a[i], n_nats)
                    t_next[i] = t[j] + par[P_SHELTER_DAYS]
                    alive[j] = False
    sel = np.flatnonzero(alive)
    _continue(idx[sel], t[sel], flat[sel], ag, net, par, today, shape, ev, rng)


@njit(cache=True)
def arrive_chain(
    due, rounds, ag, cs, net, par, office_open, shelter_capacity, propensity_mult, today, shape, ev, rng, recent
):  # pragma: no cover - compiled
    """Later rounds of a day: travellers among `due` still EN_ROUTE whose next arrival falls before the day's end
    reach it, up to `rounds` times (`model.step`)."""
    state, t_next = ag[2], ag[7]
    day_end = par[P_DAY] + 1.0
    for _ in range(rounds):
        keep = np.zeros(len(due), dtype=np.bool_)
        for j in range(len(due)):
            i = due[j]
            keep[j] = t_next[i] < day_end and state[i] == EN_ROUTE
        due = due[keep]
        if len(due) == 0:
            break
        arrive(due, ag, cs, net, par, office_open, shelter_capacity, propensity_mult, today, shape, ev, rng, recent)


@njit(cache=True)
def take_day(today, size, day, days, keys, totals, n):  # pragma: no cover - compiled
    """Append today's non-zero counters (the first `size` values of `today`) to `days`, `keys` and `totals` from row
    `n` on, in key order, reset them and their blocks' flags (`log`) to zero and return the new number of rows
    (`EventLog.close_day`). Only the blocks of 64 counters flagged as touched are read."""
    for block in range(len(today) - size):
        if today[size + block] == 0.0:
            continue
        today[size + block] = 0.0
        for k in range(block * 64, min(block * 64 + 64, size)):
            if today[k] != 0.0:
                days[n] = day
                keys[n] = k
                totals[n] = today[k]
                today[k] = 0.0
                n += 1
    return n


# Event codes of `dispatch`, in one int array (`EventLog.kernel_codes(DISPATCH_EVENTS)`), in this order.
DISPATCH_EVENTS = (
    "deportation_mx",
    "release_mx",
    "returned_home",
    "asylum_recognised",
    "asylum_rejected",
    "asylum_abandoned",
    "port_presentation_us",
    "death",
    "apprehension_us",
    "evasion_us",
    "release_us",
    "mpp_return",
    "title42_expulsion",
    "removal_us",
    "humanitarian_card_mx",
    "regional_card_mx",
    "atd_abandoned",
    "atd_regularised",
    "atd_returned",
)
# Event codes of `start_journeys` and `day` (js), in this order.
JOURNEY_EVENTS = ("caravan_join", "journey_start", "fee_usd", "departure", "reattempt")
(
    X_DEPORTATION,
    X_RELEASE_MX,
    X_RETURNED,
    X_RECOGNISED,
    X_REJECTED,
    X_ABANDONED,
    X_PORT_PRESENTATION,
    X_DEATH,
    X_APPREHENSION_US,
    X_EVASION,
    X_RELEASE_US,
    X_MPP,
    X_TITLE42,
    X_REMOVAL,
    X_HUMANITARIAN_CARD,
    X_REGIONAL_CARD,
    X_ATD_ABANDONED,
    X_ATD_REGULARISED,
    X_ATD_RETURNED,
) = range(19)
WAITING_ORIGIN, RECOGNISED_MX, IN_US, DETAINED_US, RETURNED = 0, 5, 9, 8, 11
BORDER_METERING, BORDER_MPP, BORDER_EXPELLED = 1, 2, 3
PENDING_TVRH, PENDING_TVR = 0, 1
CLOSED_RECOGNISED, CLOSED_REJECTED, CLOSED_ABANDONED = 1, 2, 3


@njit(cache=True)
def _journey(idx, t, ag, net, par, today, shape, ev, rng):  # pragma: no cover - compiled
    """`movement.continue_journey`: back on the road (EN_ROUTE) from wherever they were, then onward."""
    state, route, step = ag[2], ag[5], ag[6]
    n_nats = shape[2]
    width = net[14][0]
    flat = np.empty(len(idx), dtype=np.int64)
    for j in range(len(idx)):
        i = idx[j]
        if state[i] != EN_ROUTE:
            move(ag[13], state, ag[1], ag[0], ag[14], i, EN_ROUTE, ag[1][i], n_nats)
        flat[j] = np.int64(route[i]) * width + step[i]
    _continue(idx, t, flat, ag, net, par, today, shape, ev, rng)


@njit(cache=True)
def _send_home(idx, t, probability, ag, net, par, today, shape, ex, rng):  # pragma: no cover - compiled
    """`enforcement.send_home`: back at the origin, to try again after a while or to stay home."""
    nat, node_a, state, t_next, cell, counts, origin = ag[0], ag[1], ag[2], ag[7], ag[13], ag[14], ag[15]
    start_nodes, home_start = net[15], net[16]
    n_nats = shape[2]
    again = np.empty(len(idx), dtype=np.bool_)
    for j in range(len(idx)):
        again[j] = rng.random() < probability
    for j in range(len(idx)):
        i = idx[j]
        origin[i] = home_start[origin[i], nat[i]]
    for j in range(len(idx)):
        if again[j]:
            i = idx[j]
            move(cell, state, node_a, nat, counts, i, WAITING_ORIGIN, start_nodes[origin[i]], n_nats)
    for j in range(len(idx)):
        if again[j]:
            t_next[idx[j]] = t[j] + par[P_REATTEMPT_DELAY] * rng.standard_exponential()
    for j in range(len(idx)):
        if not again[j]:
            i = idx[j]
            move(cell, state, node_a, nat, counts, i, RETURNED, start_nodes[origin[i]], n_nats)
    for j in range(len(idx)):
        if not again[j]:
            i = idx[j]
            log(today, ex[X_RETURNED], cell[i], ag[4][i], 1.0, shape)


@njit(cache=True)
def _settle(idx, share, ag, shape, rng):  # pragma: no cover - compiled
    """`pathways.settle_or_travel`: card holders stay in Mexico or travel on legally; returns who travels."""
    stay = np.empty(len(idx), dtype=np.bool_)
    for j in range(len(idx)):
        stay[j] = rng.random() < share
    for j in range(len(idx)):
        if stay[j]:
            move(ag[13], ag[2], ag[1], ag[0], ag[14], idx[j], LEGAL_MX, ag[1][idx[j]], shape[2])
        else:
            ag[4][idx[j]] = LEGAL
    return ~stay


@njit(cache=True)
def _process(idx, t, release_share, ag, net, par, today, shape, ex, rng):  # pragma: no cover - compiled
    """`border._process`: US processing after apprehension or presentation, by the day's policy shares."""
    if len(idx) == 0:
        return
    nat, node_a, state, sub, mode, route, t_next, cell, counts = (
        ag[0],
        ag[1],
        ag[2],
        ag[3],
        ag[4],
        ag[5],
        ag[7],
        ag[13],
        ag[14],
    )
    route_port = net[17]
    n_nats = shape[2]
    mpp, title42 = par[P_MPP], par[P_TITLE42]
    day_end = par[P_DAY] + 1.0
    n = len(idx)
    what = np.empty(n, dtype=np.int64)  # 0 released, 1 MPP, 2 expelled, 3 removed
    for j in range(n):
        u = rng.random()
        if u < release_share:
            what[j] = 0
        elif u < release_share + mpp:
            what[j] = 1
        elif u < release_share + mpp + title42:
            what[j] = 2
        else:
            what[j] = 3
    for j in range(n):
        if what[j] == 0:
            log(today, ex[X_RELEASE_US], cell[idx[j]], mode[idx[j]], 1.0, shape)
    for j in range(n):
        if what[j] == 0:
            i = idx[j]
            move(cell, state, node_a, nat, counts, i, IN_US, route_port[route[i]], n_nats)
    if mpp > 0:
        for j in range(n):
            if what[j] == 1:
                log(today, ex[X_MPP], cell[idx[j]], mode[idx[j]], 1.0, shape)
        for j in range(n):
            if what[j] == 1:
                i = idx[j]
                move(cell, state, node_a, nat, counts, i, AT_BORDER, node_a[i], n_nats)
                sub[i] = BORDER_MPP
                t_next[i] = max(t[j] + par[P_MPP_WAIT], day_end)
    if title42 > 0:
        for j in range(n):
            if what[j] == 2:
                log(today, ex[X_TITLE42], cell[idx[j]], mode[idx[j]], 1.0, shape)
        for j in range(n):
            if what[j] == 2:
                i = idx[j]
                move(cell, state, node_a, nat, counts, i, AT_BORDER, node_a[i], n_nats)
                sub[i] = BORDER_EXPELLED
        for j in range(n):
            if what[j] == 2:
                t_next[idx[j]] = max(t[j] + par[P_EXPULSION_RETRY] * rng.standard_exponential(), day_end)
    for j in range(n):
        if what[j] == 3:
            i = idx[j]
            move(cell, state, node_a, nat, counts, i, DETAINED_US, route_port[route[i]], n_nats)
    for j in range(n):
        if what[j] == 3:
            t_next[idx[j]] = t[j] + par[P_REMOVAL_DAYS] * rng.standard_exponential()


@njit(cache=True)
def present_at_port(idx, t, ag, net, par, today, shape, ex, rng):  # pragma: no cover - compiled
    """`border.present_at_port`: asylum seekers presenting at a port of entry, processed by the day's shares."""
    mode, cell = ag[4], ag[13]
    for j in range(len(idx)):
        log(today, ex[X_PORT_PRESENTATION], cell[idx[j]], mode[idx[j]], 1.0, shape)
    _process(idx, t, (1.0 - par[P_MPP]) * par[P_PORT_RELEASE], ag, net, par, today, shape, ex, rng)


# --- COMAR queues (`asylum.Offices`) ------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _first(t1, c1, t2, c2):  # pragma: no cover - compiled
    """Whether application (time t1, case c1) comes before (t2, c2): first come, first served."""
    return t1 < t2 or (t1 == t2 and c1 < c2)


@njit(cache=True)
def _queue_push(size, time, case, agent, o, t, c, a):  # pragma: no cover - compiled
    """Push application (t, c, agent a) onto office o's heap."""
    i = size[o]
    size[o] += 1
    while i > 0:
        parent = (i - 1) >> 1
        if not _first(t, c, time[o, parent], case[o, parent]):
            break
        time[o, i], case[o, i], agent[o, i] = time[o, parent], case[o, parent], agent[o, parent]
        i = parent
    time[o, i], case[o, i], agent[o, i] = t, c, a


@njit(cache=True)
def _queue_pop(size, time, case, agent, o):  # pragma: no cover - compiled
    """Remove the first application from office o's heap."""
    n = size[o] - 1
    size[o] = n
    t, c, a = time[o, n], case[o, n], agent[o, n]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and _first(time[o, child + 1], case[o, child + 1], time[o, child], case[o, child]):
            child += 1
        if not _first(time[o, child], case[o, child], t, c):
            break
        time[o, i], case[o, i], agent[o, i] = time[o, child], case[o, child], agent[o, child]
        i = child
    if n:
        time[o, i], case[o, i], agent[o, i] = t, c, a


@njit(cache=True)
def _staff(o, servers, day, free_at, n_free, retired, n_retired):  # pragma: no cover - compiled
    """Set office o's caseworkers to `servers`. One taken off while deciding a case finishes it (kept in `retired`
    until then); brought back, she is free only when that case is done. Free times are kept as a multiset."""
    while n_free[o] > servers:
        k = 0
        for j in range(1, n_free[o]):
            if free_at[o, j] > free_at[o, k]:
                k = j
        busiest = free_at[o, k]
        n_free[o] -= 1
        free_at[o, k] = free_at[o, n_free[o]]
        if busiest > day:
            if n_retired[o] == retired.shape[1]:
                raise ValueError("COMAR office: more caseworkers finishing a case than the room made for them")
            retired[o, n_retired[o]] = busiest
            n_retired[o] += 1
    while n_free[o] < servers:
        j = 0
        while j < n_retired[o]:  # those whose case is done by now are gone
            if retired[o, j] <= day:
                n_retired[o] -= 1
                retired[o, j] = retired[o, n_retired[o]]
            else:
                j += 1
        free = day
        if n_retired[o]:
            k = 0
            for j in range(1, n_retired[o]):
                if retired[o, j] < retired[o, k]:
                    k = j
            free = retired[o, k]
            n_retired[o] -= 1
            retired[o, k] = retired[o, n_retired[o]]
        free_at[o, n_free[o]] = free
        n_free[o] += 1


@njit(cache=True)
def serve_asylum(offices, cs, staff, mean_service, scale, day, ag, rng):  # pragma: no cover - compiled
    """`asylum.serve`: queue the applications opened since the last call (cases `queued` .. n - 1), then, office by
    office, set the day's deciding teams and let each free team take the first live waiting applicant, until nobody
    is free before the day's end. An applicant who would abandon before a team is free is passed over (her file is
    closed when she is due). Service times are exponential.

    An agent stands for `scale` = k persons. c caseworkers form m = floor(c / k) teams of c / m caseworkers (one team
    of all c when c < k) that decide one agent each, in mean `mean_service` (k persons' files for one caseworker)
    x m / c days: the same throughput as c caseworkers deciding one person at a time, and, at k = 1, exactly c
    servers of mean `mean_service`. (With c servers of mean `mean_service` at k > 1, each agent would wait k times
    one person's decision after reaching the head of the queue: waits would grow with the scale.)"""
    size, time, case, agent, free_at, n_free, retired, n_retired, queued = offices
    c_agent, c_office, c_applied, c_started, n_cases = cs
    state, t_next, in_service, case_of = ag[2], ag[7], ag[10], ag[11]
    for c in range(queued[0], n_cases[0]):
        _queue_push(size, time, case, agent, c_office[c], c_applied[c], c, c_agent[c])
    queued[0] = n_cases[0]
    day_end = day + 1.0
    persons = np.int64(max(np.floor(scale + 0.5), 1.0))  # per agent
    for o in range(len(size)):
        caseworkers = np.int64(np.floor(staff[o] + 0.5))
        teams = caseworkers // persons if caseworkers >= persons else (np.int64(1) if caseworkers > 0 else caseworkers)
        mean = mean_service if teams == caseworkers else mean_service * teams / caseworkers
        _staff(o, teams, day, free_at, n_free, retired, n_retired)
        while size[o] > 0 and n_free[o] > 0:
            k = 0
            for j in range(1, n_free[o]):
                if free_at[o, j] < free_at[o, k]:
                    k = j
            if not free_at[o, k] < day_end:
                break
            arrival, c, a = time[o, 0], case[o, 0], agent[o, 0]
            if not (case_of[a] == c and state[a] == ASYLUM_QUEUE and not in_service[a]):
                _queue_pop(size, time, case, agent, o)  # abandoned, left in a caravan, or already decided
                continue
            start = max(free_at[o, k], arrival)
            if start >= day_end:
                break
            _queue_pop(size, time, case, agent, o)
            if t_next[a] <= start:
                continue  # abandons before a caseworker is free; `dispatch` closes the file at that time
            finish = start + mean * rng.standard_exponential()
            free_at[o, k] = finish
            in_service[a] = True
            t_next[a] = finish
            c_started[c] = start


@njit(cache=True)
def metering_append(listed, port_of_node, lists):  # pragma: no cover - compiled
    """Append the agents `dispatch` listed (rows 1 .. listed[0, 0]: agent, attempt, port node) to their ports'
    waiting lists (`border.MeteringLists`; the arrays have room)."""
    head, tail, nxt, agent, attempt, used, n_open = lists
    n_open[0] += listed[0, 0]
    for r in range(1, listed[0, 0] + 1):
        e = used[0]
        used[0] += 1
        port = port_of_node[listed[r, 2]]
        agent[e] = listed[r, 0]
        attempt[e] = listed[r, 1]
        nxt[e] = -1
        if tail[port] >= 0:
            nxt[tail[port]] = e
        else:
            head[port] = e
        tail[port] = e


@njit(cache=True)
def serve_metering(
    port_nodes, credit, lists, metering_today, intake, ag, net, par, today, shape, ex, rng
):  # pragma: no cover - compiled
    """`border.serve_metering`, port by port: add the day's intake to the port's credit (all of its list when it no
    longer meters), take live entries off the head of its list while a whole agent's credit is left, and have
    those taken in present at the port at the end of the day. Nothing but credits set to 0 on days without
    metering when nobody is listed."""
    head, tail, nxt, agent, attempt, n_open = lists[0], lists[1], lists[2], lists[3], lists[4], lists[6]
    if not metering_today and n_open[0] == 0:
        credit[:] = 0.0
        return
    state, sub, attempts = ag[2], ag[3], ag[16]
    for p in range(len(port_nodes)):
        limit = intake[port_nodes[p]]
        unlimited = not np.isfinite(limit)
        if unlimited and head[p] < 0:
            credit[p] = 0.0
            continue
        credit[p] = np.inf if unlimited else credit[p] + limit / par[P_SCALE]
        taken = np.empty(0, dtype=np.int64)
        k = 0
        while head[p] >= 0 and credit[p] >= 1.0:
            e = head[p]
            head[p] = nxt[e]
            n_open[0] -= 1
            i = agent[e]
            if state[i] == AT_BORDER and sub[i] == BORDER_METERING and attempts[i] == attempt[e]:
                if k == len(taken):
                    taken = np.concatenate((taken, np.empty(max(16, k), dtype=np.int64)))
                taken[k] = i
                k += 1
                credit[p] -= 1.0
        if head[p] < 0:
            tail[p] = -1
            credit[p] = min(credit[p], 1.0)
        if k:
            present_at_port(taken[:k].copy(), np.full(k, par[P_DAY] + 0.999), ag, net, par, today, shape, ex, rng)


@njit(cache=True)
def _regional_card(idx, t, ag, net, par, today, shape, ev, ex, rng):  # pragma: no cover - compiled
    """`pathways._regional_card`: TVR holders stay in the border states or travel on in their own mode."""
    mode, caravan, cell = ag[4], ag[12], ag[13]
    for j in range(len(idx)):
        log(today, ex[X_REGIONAL_CARD], cell[idx[j]], mode[idx[j]], 1.0, shape)
    for j in range(len(idx)):
        i = idx[j]
        caravan[i] = -1
        if mode[i] == CARAVAN:
            mode[i] = ALONE
    stay = np.empty(len(idx), dtype=np.bool_)
    for j in range(len(idx)):
        stay[j] = rng.random() < par[P_REGIONAL_SETTLE]
    for j in range(len(idx)):
        if stay[j]:
            move(cell, ag[2], ag[1], ag[0], ag[14], idx[j], LEGAL_MX, ag[1][idx[j]], shape[2])
    go = np.flatnonzero(~stay)
    _journey(idx[go], t[go], ag, net, par, today, shape, ev, rng)


@njit(cache=True)
def leave_shelters(due, states, ag, net, par, today, shape, ev, rng):  # pragma: no cover - compiled
    """Due agents staying at a shelter (`states` as the day began) go on with their journey. Runs before the day's
    arrivals, so that the beds they free today can go to the people who arrive today (the model keeps one bed count
    a day: were the leavers still counted, a hub with 2-day stays would never be more than about 2/3 full)."""
    idx = due[states == SHELTER]
    if len(idx):
        _journey(idx, ag[7][idx].copy(), ag, net, par, today, shape, ev, rng)


@njit(cache=True)
def dispatch(due, states, ag, cs, net, par, intake, today, shape, ev, ex, rng, listed):  # pragma: no cover - compiled
    """Due agents of every state but waiting at home, travelling and staying at a shelter (`model._dispatch`), group
    by group in state order, `states` being their states when the day's dispatch began: end of detention in Mexico,
    asylum decisions and abandonment, the northern border, US removal, cards ready and ATD ends. Agents who join a
    port's metering list are written to `listed` (agent, attempt, port node; first row: how many), for the lists
    kept in Python."""
    nat, node_a, state, sub, mode, route, t_next = ag[0], ag[1], ag[2], ag[3], ag[4], ag[5], ag[7]
    in_service, case, caravan, cell, counts, attempts = ag[10], ag[11], ag[12], ag[13], ag[14], ag[16]
    c_closed, c_outcome = cs[5], cs[6]
    recognition_rate, route_port = net[18], net[17]
    n_nats = shape[2]
    # SHELTER: left before the day's arrivals (`leave_shelters`)
    # DETAINED_MX: deportation or release
    idx = due[states == DETAINED_MX]
    if len(idx):
        t = t_next[idx].copy()
        deported = np.empty(len(idx), dtype=np.bool_)
        for j in range(len(idx)):
            deported[j] = rng.random() < par[P_DEPORTATION_SHARE]
        for j in range(len(idx)):
            if deported[j]:
                log(today, ex[X_DEPORTATION], cell[idx[j]], mode[idx[j]], 1.0, shape)
        for j in range(len(idx)):
            if not deported[j]:
                log(today, ex[X_RELEASE_MX], cell[idx[j]], mode[idx[j]], 1.0, shape)
        sel = np.flatnonzero(deported)
        _send_home(idx[sel], t[sel], par[P_REATTEMPT], ag, net, par, today, shape, ex, rng)
        sel = np.flatnonzero(~deported)
        _journey(idx[sel], t[sel], ag, net, par, today, shape, ev, rng)
    # ASYLUM_QUEUE: decisions first, then abandonment
    group = due[states == ASYLUM_QUEUE]
    if len(group):
        deciding = np.empty(len(group), dtype=np.bool_)
        for j in range(len(group)):
            deciding[j] = in_service[group[j]]
        idx = group[deciding]
        if len(idx):
            t = t_next[idx].copy()
            recognised = np.empty(len(idx), dtype=np.bool_)
            for j in range(len(idx)):
                i = idx[j]
                in_service[i] = False
            for j in range(len(idx)):
                recognised[j] = rng.random() < recognition_rate[nat[idx[j]]]
            for j in range(len(idx)):
                c = case[idx[j]]
                c_closed[c] = t[j]
                c_outcome[c] = CLOSED_RECOGNISED if recognised[j] else CLOSED_REJECTED
            for j in range(len(idx)):
                if recognised[j]:
                    log(today, ex[X_RECOGNISED], cell[idx[j]], mode[idx[j]], 1.0, shape)
            for j in range(len(idx)):
                if not recognised[j]:
                    log(today, ex[X_REJECTED], cell[idx[j]], mode[idx[j]], 1.0, shape)
            yes = np.flatnonzero(recognised)
            settle = np.empty(len(yes), dtype=np.bool_)
            for j in range(len(yes)):
                settle[j] = rng.random() < par[P_ASYLUM_SETTLE]
            for j in range(len(yes)):
                i = idx[yes[j]]
                if settle[j]:
                    move(cell, state, node_a, nat, counts, i, RECOGNISED_MX, node_a[i], n_nats)
                else:
                    mode[i] = LEGAL
                    caravan[i] = -1
            onward = yes[~settle]
            _journey(idx[onward], t[onward], ag, net, par, today, shape, ev, rng)
            no = np.flatnonzero(~recognised)
            home = np.empty(len(no), dtype=np.bool_)
            for j in range(len(no)):
                home[j] = rng.random() < par[P_REJECTED_RETURN]
            sel = no[home]
            _send_home(idx[sel], t[sel], 0.0, ag, net, par, today, shape, ex, rng)
            sel = no[~home]
            for j in range(len(sel)):
                i = idx[sel[j]]
                mode[i] = ALONE
                caravan[i] = -1
            _journey(idx[sel], t[sel], ag, net, par, today, shape, ev, rng)
        gone = group[~deciding]
        if len(gone):
            t = t_next[gone].copy()
            for j in range(len(gone)):
                c = case[gone[j]]
                c_closed[c] = t[j]
                c_outcome[c] = CLOSED_ABANDONED
            for j in range(len(gone)):
                log(today, ex[X_ABANDONED], cell[gone[j]], mode[gone[j]], 1.0, shape)
            _journey(gone, t, ag, net, par, today, shape, ev, rng)
    # AT_BORDER: to the port (metering list or presentation) or across between ports
    idx = due[states == AT_BORDER]
    if len(idx):
        n = len(idx)
        t = t_next[idx].copy()
        port = np.empty(n, dtype=np.int64)
        to_port = np.empty(n, dtype=np.bool_)
        for j in range(n):
            i = idx[j]
            port[j] = route_port[route[i]]
            u = rng.random()
            to_port[j] = sub[i] == BORDER_DECIDING and mode[i] != SMUGGLED and u < par[P_PORT_ASYLUM]
        metered = np.zeros(n, dtype=np.bool_)
        for j in range(n):
            metered[j] = to_port[j] and np.isfinite(intake[port[j]])
        k = listed[0, 0]
        for j in range(n):
            if metered[j]:
                sub[idx[j]] = BORDER_METERING
        for j in range(n):
            if metered[j]:
                i = idx[j]
                t_next[i] = t[j] + par[P_METERING_GIVE_UP] * rng.standard_exponential()
                k += 1
                listed[k, 0] = i
                listed[k, 1] = attempts[i]
                listed[k, 2] = port[j]
        listed[0, 0] = k
        direct = np.flatnonzero(to_port & ~metered)
        present_at_port(idx[direct], t[direct], ag, net, par, today, shape, ex, rng)
        crossing = np.flatnonzero(~to_port)
        if len(crossing):
            who, when = idx[crossing], t[crossing]
            died = np.empty(len(who), dtype=np.bool_)
            for j in range(len(who)):
                died[j] = rng.random() < par[P_US_DEATH]
            for j in range(len(who)):
                if died[j]:
                    log(today, ex[X_DEATH], cell[who[j]], mode[who[j]], 1.0, shape)
            for j in range(len(who)):
                if died[j]:
                    move(cell, state, node_a, nat, counts, who[j], DEAD, node_a[who[j]], n_nats)
            alive = np.flatnonzero(~died)
            who, when = who[alive], when[alive]
            caught = np.empty(len(who), dtype=np.bool_)
            for j in range(len(who)):
                caught[j] = rng.random() < par[P_US_APPREHENSION]
            for j in range(len(who)):
                if caught[j]:
                    log(today, ex[X_APPREHENSION_US], cell[who[j]], mode[who[j]], 1.0, shape)
            for j in range(len(who)):
                if not caught[j]:
                    log(today, ex[X_EVASION], cell[who[j]], mode[who[j]], 1.0, shape)
            for j in range(len(who)):
                if not caught[j]:
                    i = who[j]
                    move(cell, state, node_a, nat, counts, i, IN_US, route_port[route[i]], n_nats)
            sel = np.flatnonzero(caught)
            _process(who[sel], when[sel], par[P_US_RELEASE], ag, net, par, today, shape, ex, rng)
    # DETAINED_US: removal
    idx = due[states == DETAINED_US]
    if len(idx):
        t = t_next[idx].copy()
        for j in range(len(idx)):
            log(today, ex[X_REMOVAL], cell[idx[j]], mode[idx[j]], 1.0, shape)
        _send_home(idx, t, par[P_US_REATTEMPT], ag, net, par, today, shape, ex, rng)
    # PENDING_MX: cards ready, then the end of ATD programmes
    group = due[states == PENDING_MX]
    if len(group):
        cards = np.empty(len(group), dtype=np.bool_)
        for j in range(len(group)):
            cards[j] = sub[group[j]] == PENDING_TVRH or sub[group[j]] == PENDING_TVR
        idx = group[cards]
        if len(idx):
            t = t_next[idx].copy()
            humanitarian = np.empty(len(idx), dtype=np.bool_)
            for j in range(len(idx)):
                humanitarian[j] = sub[idx[j]] == PENDING_TVRH
            given = np.flatnonzero(humanitarian)
            for j in range(len(given)):
                i = idx[given[j]]
                log(today, ex[X_HUMANITARIAN_CARD], cell[i], mode[i], 1.0, shape)
            travels = _settle(idx[given], par[P_MX_CARD_SETTLE], ag, shape, rng)
            sel = given[travels]
            _journey(idx[sel], t[sel], ag, net, par, today, shape, ev, rng)
            sel = np.flatnonzero(~humanitarian)
            _regional_card(idx[sel], t[sel], ag, net, par, today, shape, ev, ex, rng)
        idx = group[~cards]
        if len(idx):
            t = t_next[idx].copy()
            left = np.empty(len(idx), dtype=np.bool_)
            for j in range(len(idx)):
                left[j] = sub[idx[j]] == PENDING_ATD_ABANDONS
            for j in range(len(idx)):
                if left[j]:
                    log(today, ex[X_ATD_ABANDONED], cell[idx[j]], mode[idx[j]], 1.0, shape)
            sel = np.flatnonzero(left)
            _journey(idx[sel], t[sel], ag, net, par, today, shape, ev, rng)
            done = np.flatnonzero(~left)
            papers = np.empty(len(done), dtype=np.bool_)
            for j in range(len(done)):
                papers[j] = rng.random() < par[P_ATD_PAPERS]
            with_papers = done[papers]
            for j in range(len(with_papers)):
                i = idx[with_papers[j]]
                log(today, ex[X_ATD_REGULARISED], cell[i], mode[i], 1.0, shape)
            travels = _settle(idx[with_papers], par[P_CARD_SETTLE], ag, shape, rng)
            sel = with_papers[travels]
            _journey(idx[sel], t[sel], ag, net, par, today, shape, ev, rng)
            sel = done[~papers]
            for j in range(len(sel)):
                i = idx[sel[j]]
                log(today, ex[X_ATD_RETURNED], cell[i], mode[i], 1.0, shape)
            _send_home(idx[sel], t[sel], par[P_REATTEMPT], ag, net, par, today, shape, ex, rng)


# --- numpy's Poisson sampler -------------------------------------------------------------------------------------
LOGGAM_COEFFICIENTS = np.array(
    [
        8.333333333333333e-02,
        -2.777777777777778e-03,
        7.936507936507937e-04,
        -5.952380952380952e-04,
        8.417508417508418e-04,
        -1.917526917526918e-03,
        6.410256410256410e-03,
        -2.955065359477124e-02,
        1.796443723688307e-01,
        -1.39243221690590e00,
    ]
)


@njit(cache=True)
def _loggam(x):  # pragma: no cover - compiled
    """numpy's `random_loggam`: log-gamma of x > 0 (SPECFUN's series), operation for operation."""
    a = LOGGAM_COEFFICIENTS
    x0 = x
    n = 0
    if x == 1.0 or x == 2.0:
        return 0.0
    elif x <= 7.0:
        n = int(7 - x)
        x0 = x + n
    x2 = 1.0 / (x0 * x0)
    xp = 2 * np.pi
    gl0 = a[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += a[k]
    gl = gl0 / x0 + 0.5 * np.log(xp) + (x0 - 0.5) * np.log(x0) - x0
    if x <= 7.0:
        for _ in range(n):
            gl -= np.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@njit(cache=True)
def poisson(lam, rng):  # pragma: no cover - compiled
    """One Poisson draw of mean `lam` (finite, >= 0), the same number `rng.poisson(lam)` gives: numpy's
    `random_poisson` (multiplication below 10, Hoermann's transformed rejection from 10 on)."""
    if lam == 0:
        return 0
    if lam < 10:
        enlam = np.exp(-lam)
        x = 0
        prod = 1.0
        while True:
            prod *= rng.random()
            if prod > enlam:
                x += 1
            else:
                return x
    slam = np.sqrt(lam)
    loglam = np.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = rng.random() - 0.5
        v = rng.random()
        us = 0.5 - np.abs(u)
        k = np.int64(np.floor((2 * a / us + b) * u + lam + 0.43))
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        if (np.log(v) + np.log(invalpha) - np.log(a / (us * us) + b)) <= (
            -lam + k * loglam - _loggam(np.float64(k + 1))
        ):
            return k


@njit(cache=True)
def departures_today(rates, day, scale, rng):  # pragma: no cover - compiled
    """`rng.poisson(rates[day] / scale)`: today's new agents per origin (`departures.counts`)."""
    counts = np.empty(rates.shape[1], dtype=np.int64)
    for o in range(rates.shape[1]):
        counts[o] = poisson(rates[day, o] / scale, rng)
    return counts


@njit(cache=True)
def new_agents(new, first, ag, net, routes, shape, day, rng):  # pragma: no cover - compiled
    """`departures.create` after the daily Poisson counts: `new[o]` people at home at origin o (agents `first`,
    `first` + 1, ...; `Agents.reserve` made room), each setting out at a uniform time of `day`. Returns their
    indices and those times."""
    nat, node, state, cell, counts, origin = ag[0], ag[1], ag[2], ag[13], ag[14], ag[15]
    start_nodes, origin_start, origin_nat = net[15], routes[3], routes[4]
    n_nats = shape[2]
    born = np.arange(first, first + new.sum())
    i = first
    for o in range(len(new)):
        for _ in range(new[o]):
            nat[i] = origin_nat[o]
            origin[i] = origin_start[o]
            node[i] = start_nodes[origin_start[o]]
            state[i] = WAITING_ORIGIN
            cell[i] = cell_of(node[i], WAITING_ORIGIN, nat[i], n_nats)
            counts[cell[i]] += 1
            i += 1
    t_born = np.empty(len(born))
    for j in range(len(born)):
        t_born[j] = day + rng.random()
    return born, t_born


@njit(cache=True)
def most_queued(counts, office_cells):  # pragma: no cover - compiled
    """The most agents in the asylum queue at any one office (cells shaped (offices, nationalities))."""
    most = 0
    for o in range(office_cells.shape[0]):
        queued = 0
        for k in range(office_cells.shape[1]):
            queued += counts[office_cells[o, k]]
        most = max(most, queued)
    return most


@njit(cache=True)
def live(kept, since, end, state, absorbing):  # pragma: no cover - compiled
    """The agents of `kept`, then agents `since` .. `end` - 1, that are not in a final state, in order."""
    out = np.empty(len(kept) + end - since, dtype=np.int64)
    n = 0
    for j in range(len(kept)):
        if not absorbing[state[kept[j]]]:
            out[n] = kept[j]
            n += 1
    for i in range(since, end):
        if not absorbing[state[i]]:
            out[n] = i
            n += 1
    return out[:n].copy()


@njit(cache=True)
def take_up(n, share, rng):  # pragma: no cover - compiled
    """Which of n people setting out would take a work visa (probability `share` each): the one place these
    uniforms are drawn, for the compiled journeys and `pathways.divert_at_departure` alike."""
    willing = np.empty(n, dtype=np.bool_)
    for j in range(n):
        willing[j] = rng.random() < share
    return willing


@njit(cache=True)
def start_journeys(
    idx, t, ag, net, routes, par, choice, window_family, window_id, today, shape, js, rng
):  # pragma: no cover - compiled
    """`departures.start_journeys` for people choosing their own mode, on days without work-visa quotas: the
    legal take-up draw (no places to give), mode choice (alone, smuggled, or a forming caravan of their
    nationality), route choice from the logit table, fees and the first edge.

    choice: (legal take-up, exp(smuggled utility), exp(caravan constant), smuggling fee); routes: (route table
    rows, cumulative probabilities + 2 x row, flattened; filters, modes, width); js: event codes of caravan_join,
    journey_start, fee_usd."""
    nat, node_a, state, mode, route, step, on_train, t_next = ag[0], ag[1], ag[2], ag[4], ag[5], ag[6], ag[8], ag[7]
    applied, caravan, cell, counts, origin = ag[9], ag[12], ag[13], ag[14], ag[15]
    step_km, speed_by_mode, step_train, start_nodes = net[0], net[8], net[9], net[15]
    table, cum_flat, dims = routes[0], routes[1], routes[2]
    n_filters, n_modes, width = dims[0], dims[1], dims[2]
    step_width = net[14][0]
    n_nats = shape[2]
    n = len(idx)
    for j in range(n):
        caravan[idx[j]] = -1
        applied[idx[j]] = False
    take_up(n, choice[0], rng)  # no visa places today: who would take one does not matter
    e_smuggled, e_caravan = choice[1], choice[2]
    chosen = np.empty(n, dtype=np.int64)
    family = np.zeros(n, dtype=np.int64)
    for j in range(n):
        i = idx[j]
        k = nat[i]
        has = window_id[k] >= 0
        total = 1.0 + e_smuggled + (e_caravan if has else 0.0)
        u = rng.random() * total
        m = ALONE if u < 1.0 else (SMUGGLED if u < 1.0 + e_smuggled else CARAVAN)
        chosen[j] = m
        if m == CARAVAN:
            family[j] = window_family[k]
            caravan[i] = window_id[k]
    for j in range(n):
        mode[idx[j]] = chosen[j]
    for j in range(n):
        if chosen[j] == CARAVAN:
            log(today, js[0], cell[idx[j]], mode[idx[j]], 1.0, shape)
    for j in range(n):
        i = idx[j]
        row = (np.int64(origin[i]) * n_filters + family[j]) * n_modes + chosen[j]
        v = rng.random() + 2.0 * row
        k = 0
        while k < width and cum_flat[row * width + k] <= v:
            k += 1
        route[i] = table[row * width + min(k, width - 1)]
    for j in range(n):
        i = idx[j]
        step[i] = 0
        move(cell, state, node_a, nat, counts, i, EN_ROUTE, start_nodes[origin[i]], n_nats)
    for j in range(n):
        log(today, js[1], cell[idx[j]], mode[idx[j]], 1.0, shape)
    for j in range(n):
        if chosen[j] == SMUGGLED:
            log(today, js[2], cell[idx[j]], mode[idx[j]], choice[3], shape)
    for j in range(n):  # movement.schedule: the first edge
        i = idx[j]
        start_edge(
            i,
            np.int64(route[i]) * step_width,
            t[j],
            mode,
            on_train,
            t_next,
            step_km,
            step_train,
            speed_by_mode,
            par,
            rng,
        )


@njit(cache=True)
def day(
    kept,
    since,
    rates,
    new,
    draw,
    first,
    born,
    t_born,
    rounds,
    ag,
    cs,
    net,
    routes,
    par,
    choice,
    window_family,
    window_id,
    office_open,
    shelter_capacity,
    propensity_mult,
    intake,
    today,
    shape,
    ev,
    ex,
    js,
    rng,
    recent,
    listed,
    offices,
    staff,
    mean_service,
    port_nodes,
    credit,
    metering,
    metering_today,
    port_of_node,
):  # pragma: no cover - compiled
    """A day in one call (`model.step` on days without visa or card quotas). Today's new agents: with `draw`, the
    number per origin is drawn into `new` (Poisson of mean `rates[day] / scale`, `departures.counts`), else `new`
    holds it; they are created here as agents `first`, `first` + 1, ... (`new_agents`). People given as `born`
    (created before `first`) set out at `t_born`. Then every active agent (`Sim.active`: those of `kept`, then every
    agent from `since` on) due before the day's end, by state: re-attempts, shelter leavers (`leave_shelters`),
    arrivals, the other states (`dispatch`),
    then edges chained within the day (`arrive_chain`). Then the COMAR offices' service (`serve_asylum`; cs: agent,
    office, nat, applied, n, closed, outcome, started, mode, as `CaseRegister.kernel_arrays`), and the metering
    lists: today's listed agents join them and the ports take in their intake (`metering_append`,
    `serve_metering`). js: event codes of caravan_join, journey_start, fee_usd, departure, reattempt.

    Returns the number of new agents; or -1, having only drawn `new`, when the agent, case or `listed` arrays are
    too short for them (the caller makes room and calls again without `draw`)."""
    state, t_next, cell, mode, attempts = ag[2], ag[7], ag[13], ag[4], ag[16]
    if draw:
        d = np.int64(par[P_DAY])
        for o in range(len(new)):
            new[o] = poisson(rates[d, o] / par[P_SCALE], rng)
    n_new = new.sum()
    n_active = len(kept) + first + n_new - since
    if first + n_new > len(state) or cs[4][0] + n_active > len(cs[0]) or n_active + 1 > len(listed):
        return -1
    fresh = born[:0]
    if n_new:
        fresh, t_born = new_agents(new, first, ag, net, routes, shape, par[P_DAY], rng)
        born = fresh
    if len(born):
        start_journeys(born, t_born, ag, net, routes, par, choice, window_family, window_id, today, shape, js, rng)
        for j in range(len(born)):
            log(today, js[3], cell[born[j]], mode[born[j]], 1.0, shape)
    day_end = par[P_DAY] + 1.0
    end = first + len(fresh)
    due = np.empty(len(kept) + end - since, dtype=np.int64)
    n_due = 0
    for j in range(len(kept)):
        if t_next[kept[j]] < day_end:
            due[n_due] = kept[j]
            n_due += 1
    for i in range(since, end):
        if t_next[i] < day_end:
            due[n_due] = i
            n_due += 1
    due = due[:n_due]
    states = np.empty(len(due), dtype=np.int64)
    for j in range(len(due)):
        states[j] = state[due[j]]
    idx = due[states == WAITING_ORIGIN]
    if len(idx):
        for j in range(len(idx)):
            attempts[idx[j]] += 1
        start_journeys(
            idx, t_next[idx].copy(), ag, net, routes, par, choice, window_family, window_id, today, shape, js, rng
        )
        for j in range(len(idx)):
            log(today, js[4], cell[idx[j]], mode[idx[j]], 1.0, shape)
    leave_shelters(due, states, ag, net, par, today, shape, ev, rng)
    idx = due[states == EN_ROUTE]
    if len(idx):
        arrive(idx, ag, cs, net, par, office_open, shelter_capacity, propensity_mult, today, shape, ev, rng, recent)
    others = False
    for j in range(len(due)):
        others = others or (states[j] != WAITING_ORIGIN and states[j] != EN_ROUTE and states[j] != SHELTER)
    if others:
        dispatch(due, states, ag, cs, net, par, intake, today, shape, ev, ex, rng, listed)
    arrive_chain(
        due, rounds, ag, cs, net, par, office_open, shelter_capacity, propensity_mult, today, shape, ev, rng, recent
    )
    serve_asylum(offices, (cs[0], cs[1], cs[3], cs[7], cs[4]), staff, mean_service, par[P_SCALE], par[P_DAY], ag, rng)
    metering_append(listed, port_of_node, metering)
    serve_metering(port_nodes, credit, metering, metering_today, intake, ag, net, par, today, shape, ex, rng)
    return n_new

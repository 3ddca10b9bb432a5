"""Compiled kernels (numba): the engine's per-agent loops and the group sums of the outputs, in one file.

numba's on-disk cache (``cache=True``) is keyed on the timestamp of the file that defines a function; kernels that
call kernels defined in another file could load stale machine code after that file changes, so every compiled
function lives here. The sub-model modules are thin wrappers that hand arrays to these kernels.

Random numbers: the kernels take the run's `numpy.random.Generator` and draw from it in exactly the order the
vectorised numpy code did (numba's generator methods give the same numbers as numpy's for the same bit generator
state), so compiled runs are identical to the numpy engine's, value for value.
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
def move(cell, state_arr, node_arr, nat, counts, i, state, node, n_nats):  # pragma: no cover - compiled
    """Agent i into `state` at `node`, keeping the counts in step (`Agents.move` for one agent)."""
    counts[cell[i]] -= 1
    node_arr[i] = node
    state_arr[i] = state
    new = (np.int64(node) * N_STATES + state) * n_nats + nat[i]
    cell[i] = new
    counts[new] += 1


@njit(cache=True, inline="always")
def log(today, code, cell, mode, weight, shape):  # pragma: no cover - compiled
    """Add `weight` to today's counter of event `code` for an agent in count cell `cell` travelling in `mode`
    (`EventLog.add` for one agent). shape: (events, nodes, nationalities, modes)."""
    n_nodes, n_nats, n_modes = shape[1], shape[2], shape[3]
    node = cell // (N_STATES * n_nats)
    nat = cell % n_nats
    today[((code * n_nodes + node) * n_nats + nat) * n_modes + mode] += weight


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
    N_P,
) = range(25)
# Event codes used by `arrive`, in one int array, in this order (`movement.ARRIVAL_EVENTS`).
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
        i = idx[j]
        m = mode[i]
        speed = speed_by_mode[m]
        riding = step_train[f] and m == ALONE
        if riding:
            riding = rng.random() < par[P_TRAIN_USE]
            if riding:
                speed = par[P_SPEED_TRAIN]
        on_train[i] = riding
        t_next[i] = t[j] + step_km[f] / speed


@njit(cache=True)
def arrive(
    idx, ag, cs, net, par, office_open, shelter_capacity, propensity_mult, today, shape, ev, rng, recent
):  # pragma: no cover - compiled
    """Agents `idx` reach the end of their current edge (`movement.arrive`, on days without card quotas): hazards,
    caravan dispersal and blocking, Mexican enforcement, asylum applications, shelters, then onward travel. Draws
    are made in the order of the numpy engine: per stage, for the agents in order."""
    nat, node_a, state, sub, mode, route, step, t_next, on_train, applied, in_service, case, caravan, cell, counts = ag
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
    ) = net
    c_agent, c_office, c_nat, c_applied, c_n = cs
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
                if u < p:
                    applies[j] = True
                    n_apply += 1
        if n_apply:
            first_case = c_n[0]
            c = first_case
            for j in range(n):
                if applies[j]:
                    i = idx[j]
                    applied[i] = True
                    in_service[i] = False
                    c_agent[c] = i
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
            recent[0] += n_apply * par[P_SCALE]
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
            if alive[j] and is_shelter[node[j]]:
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
            for h in range(n_nodes):  # refusals and stays are logged hub by hub (node order), agents in order
                if np.isnan(free[h]):
                    continue
                for j in range(n):
                    if at_hub[j] and node[j] == h and not given[h] < free[h]:
                        i = idx[j]
                        log(today, ev[E_TURNED_AWAY], cell[i], mode[i], 1.0, shape)
                    elif at_hub[j] and node[j] == h:
                        given[h] += 1
            given[:] = 0
            stays = np.zeros(n, dtype=np.bool_)
            for h in range(n_nodes):
                if np.isnan(free[h]):
                    continue
                for j in range(n):
                    if at_hub[j] and node[j] == h and given[h] < free[h]:
                        given[h] += 1
                        stays[j] = True
                        i = idx[j]
                        log(today, ev[E_SHELTER], cell[i], mode[i], 1.0, shape)
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
def take_day(today):  # pragma: no cover - compiled
    """The non-zero keys of today's counters and their totals; resets them to zero (`EventLog.close_day`)."""
    n = 0
    for k in range(len(today)):
        if today[k] != 0.0:
            n += 1
    keys = np.empty(n, dtype=np.int64)
    totals = np.empty(n)
    n = 0
    for k in range(len(today)):
        if today[k] != 0.0:
            keys[n] = k
            totals[n] = today[k]
            today[k] = 0.0
            n += 1
    return keys, totals

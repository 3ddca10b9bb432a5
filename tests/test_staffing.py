"""The staffing rule (`corredor.staffing`): the M/M/c formulas against textbook values and a directly simulated
queue, and the smallest staff that meets a share within the limit. The engine's queue is checked against the same
formula in tests/test_asylum_queue.py."""

from __future__ import annotations

import math

import numpy as np
import pytest

from corredor.staffing import caseworkers_needed, erlang_c, mean_time_to_decision, share_decided_within


def test_erlang_c_against_textbook_values() -> None:
    assert math.isclose(mean_time_to_decision(0.5, 1.0, 1), 2.0)  # M/M/1: 1 / (mu - lambda)
    # M/M/2, lambda = 1, mu = 1: P(wait) = 1/3, Wq = 1/3 / (2 - 1), W = 4/3
    assert math.isclose(erlang_c(1.0, 1.0, 2), 1 / 3)
    assert math.isclose(mean_time_to_decision(1.0, 1.0, 2), 4 / 3)
    assert mean_time_to_decision(2.0, 1.0, 2) == math.inf
    # M/M/1: the time in system is exponential of rate mu - lambda
    assert math.isclose(share_decided_within(0.5, 1.0, 1, 3.0), 1 - math.exp(-0.5 * 3.0))
    # M/M/2, lambda = mu = 1: c mu - lambda = mu, where the general formula would divide by zero; C = 1/3
    t = 3.0
    expected = 1 - ((2 / 3) * math.exp(-t) + (1 / 3) * (1 + t) * math.exp(-t))
    assert math.isclose(share_decided_within(1.0, 1.0, 2, t), expected)


def test_share_decided_within_the_limit_matches_a_simulated_queue() -> None:
    """The tail of the M/M/c time in system against a direct simulation of the queue (FIFO, c servers)."""
    rng = np.random.default_rng(7)
    arrival_rate, service_rate, servers, limit, n = 2.7, 1.0, 3, 2.0, 200_000
    arrivals = np.cumsum(rng.exponential(1 / arrival_rate, n))
    free = np.zeros(servers)
    times = np.empty(n)
    for i, (t, service) in enumerate(zip(arrivals, rng.exponential(1 / service_rate, n), strict=True)):
        k = int(np.argmin(free))
        free[k] = max(free[k], t) + service
        times[i] = free[k] - t
    simulated = float((times[n // 10 :] <= limit).mean())
    assert share_decided_within(arrival_rate, service_rate, servers, limit) == pytest.approx(simulated, abs=0.01)


def test_caseworkers_needed() -> None:
    # Waits are short at these loads in steady state: the first c that meets the share is just above the load.
    needed = caseworkers_needed(10.0, 1.0, 63)
    assert needed == 11 and share_decided_within(10.0, 1.0, 10, 63) == 0.0
    assert caseworkers_needed(10.0, 1.0, 1.0) is None  # the decision alone takes longer than the limit for > 10 %
    assert caseworkers_needed(0.0, 1.0, 63) == 0
    tight = caseworkers_needed(10.0, 1.0, 3.0, share=0.95)
    assert tight is not None and share_decided_within(10.0, 1.0, tight, 3.0) >= 0.95
    assert share_decided_within(10.0, 1.0, tight - 1, 3.0) < 0.95
    # A backlog of 3,650 persons cleared within a year adds 10 a day: twice the staff.
    assert caseworkers_needed(10.0, 1.0, 63, backlog=3650.0, clear_within=365.0) == 21

"""How many COMAR caseworkers an office needs: the M/M/c queue (the engine's own queue model, c caseworkers deciding
one person's file each in an exponential time of mean 1 / mu) in steady state.

`caseworkers_needed` is the smallest c with which a target share of applicants (default 90 %) is decided within the
legal limit, at the office's application rate plus the rate that clears its pending files within a horizon (default
a year). Without the backlog term, an office that starts with a queue would be staffed for its new arrivals only and
never catch up: its old files, decided first in order, keep every new applicant waiting past the limit. Abandonment
is ignored, so the figure errs on the side of enough staff.
"""

from __future__ import annotations

import math


def erlang_c(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Probability that an applicant waits before a caseworker takes the file up (Erlang C); 1 when overloaded."""
    if servers <= 0 or service_rate <= 0:
        return 1.0
    load = arrival_rate / service_rate
    rho = load / servers
    if rho >= 1:
        return 1.0
    blocking = 1.0  # Erlang B by its recursion (stable for large c)
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking / (1 - rho + rho * blocking)


def mean_time_to_decision(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time from application to decision, W = Wq + 1/mu (inf when overloaded)."""
    if servers <= 0 or service_rate <= 0 or arrival_rate >= servers * service_rate:
        return math.inf
    return erlang_c(arrival_rate, service_rate, servers) / (servers * service_rate - arrival_rate) + 1 / service_rate


def share_decided_within(arrival_rate: float, service_rate: float, servers: int, limit: float) -> float:
    """P(time from application to decision <= limit): the wait is 0 with probability 1 - C and exponential of rate
    a = c mu - lambda otherwise, and the decision itself takes an exponential time of rate mu."""
    if servers <= 0 or service_rate <= 0 or arrival_rate >= servers * service_rate:
        return 0.0
    mu = service_rate
    a = servers * mu - arrival_rate
    if math.isclose(a, mu):
        waited = (1 + mu * limit) * math.exp(-mu * limit)
    else:
        waited = (a * math.exp(-mu * limit) - mu * math.exp(-a * limit)) / (a - mu)
    c = erlang_c(arrival_rate, service_rate, servers)
    return 1.0 - ((1 - c) * math.exp(-mu * limit) + c * waited)


def caseworkers_needed(
    arrival_rate: float,
    service_rate: float,
    limit: float,
    *,
    share: float = 0.9,
    backlog: float = 0.0,
    clear_within: float = 365.0,
    most: int = 100000,
) -> int | None:
    """Smallest c with which ``share`` of applicants are decided within ``limit`` (days), at ``arrival_rate``
    (persons a day) plus ``backlog`` persons cleared within ``clear_within`` days; ``service_rate`` is persons a day
    per caseworker. None when no c up to ``most`` will do (e.g. the decision alone takes longer than the limit)."""
    rate = arrival_rate + (backlog / clear_within if clear_within > 0 else 0.0)
    if rate <= 0:
        return 0
    if service_rate <= 0 or math.exp(-service_rate * limit) > 1 - share:
        return None
    c = math.floor(rate / service_rate) + 1
    while c <= most:
        if share_decided_within(rate, service_rate, c, limit) >= share:
            return c
        c += 1
    return None

"""How many COMAR caseworkers an office needs: the M/M/c queue (the engine's own queue model, c caseworkers deciding
one person's file each in an exponential time of mean 1 / mu) in steady state.

`caseworkers_needed` is the smallest c with which a target share of applicants (default 90 %) is decided within the
legal limit, at the office's application rate plus the rate that clears its pending files within a horizon (default
a year). Without the backlog term, an office that starts with a queue would be staffed for its new arrivals only and
never catch up: its old files, decided first in order, keep every new applicant waiting past the limit. Abandonment
is ignored, so the figure errs on the side of enough staff. `office_staffing` gives an office's figures at the end
of a set of runs (used by the dashboard and `corredor staffing`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from corredor.results import Results
    from corredor.scenario import Scenario


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


WORKING_TO_CALENDAR = 7 / 5  # calendar days per working day (Monday to Friday, no holidays)


def caseworkers_at_end(scenario: Scenario, office: str) -> float:
    """Caseworkers at ``office`` on the scenario's last day: its latest `comar_caseworkers` entry in force then, else
    ``parameters.asylum.default_caseworkers``."""
    value = scenario.parameters.asylum.default_caseworkers
    latest = None
    end = scenario.period.end
    for change in scenario.policy:
        if change.lever == "comar_caseworkers" and change.target == office and change.date <= end:
            if change.until is not None and change.until < end:
                continue
            if latest is None or change.date >= latest:
                latest, value = change.date, change.resolved(scenario.parameters)
    return value


def office_staffing(
    runs: Sequence[Results],
    scenario: Scenario,
    office: str,
    *,
    share: float = 0.9,
    clear_within: float = 365.0,
    window_days: int = 90,
) -> dict[str, float | int | None]:
    """An office's staffing at the end of the runs (replicates of ``scenario``): applications per day over the last
    ``window_days`` (COMAR's intake kept growing, so the last quarter rather than the year), persons in files pending
    at the end, caseworkers at the end, the share of its files decided within the legal deadline
    (`Results.deadline_met`, pooled over the runs) and the caseworkers needed (`caseworkers_needed`) for ``share``
    of applicants within the deadline with the pending files cleared within ``clear_within`` days."""
    asylum = scenario.parameters.asylum
    service_rate = asylum.productivity_cases_per_year * asylum.persons_per_case / 365.25
    limit_days = asylum.decision_deadline_working_days * WORKING_TO_CALENDAR
    arrivals, pending, met = [], [], []
    for results in runs:
        cases = results.case_columns
        mine = cases["office"] == results.node_ids.index(office)
        window = min(results.days, window_days)
        recent = mine & (cases["applied"] >= results.days - window)
        arrivals.append(np.count_nonzero(recent) * results.scale / window)
        pending.append(np.count_nonzero(mine & np.isnan(cases["closed"])) * results.scale)
        known = results.deadline_met[mine]
        met.append(known[~np.isnan(known)])
    rate, backlog = float(np.mean(arrivals)), float(np.mean(pending))
    pooled = np.concatenate(met)
    return {
        "arrivals_per_day": round(rate, 3),
        "pending_end": round(backlog, 1),
        "caseworkers_end": caseworkers_at_end(scenario, office),
        "share_within_limit": round(float(pooled.mean()), 4) if len(pooled) else None,
        "caseworkers_needed": caseworkers_needed(
            rate, service_rate, limit_days, share=share, backlog=backlog, clear_within=clear_within
        ),
    }

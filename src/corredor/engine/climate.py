"""Climate scenarios: stochastic droughts by origin country, drawn from the run's random generator.

For every year of the period and every nationality, a drought starts on the first day of
`parameters.climate.drought_onset_month` with the probability given that day by the `drought_probability` lever.
Its severity (extra food insecurity, percentage points) is the `drought_severity_pp` lever times a gamma factor of
mean 1 and coefficient of variation `drought_severity_cv`; it lasts `drought_duration_days`. The uniforms and gamma
factors are drawn for every (year, nationality) at once, before the first day, so two scenarios that differ only in
probabilities or severities see the same weather draws (common random numbers). Stochastic droughts add to the
dated `[[droughts]]` of the scenario: departures are multiplied by (1 + phi (dated + stochastic)) / (1 + phi dated),
phi = `parameters.departures.food_insecurity_effect`. Nothing is drawn while every probability is 0.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from corredor.engine.inputs import Compiled, FloatArray


class DroughtRecord(NamedTuple):
    nationality: str
    start: dt.date
    end: dt.date
    food_insecurity_pp: float


def departure_rates(c: Compiled, rng: np.random.Generator) -> tuple[FloatArray, list[DroughtRecord]]:
    """Daily departure rates per origin with this run's stochastic droughts, and the droughts drawn."""
    probability = c.levers["drought_probability"]
    if not probability.any():
        return c.departure_rate, []
    params = c.scenario.parameters.climate
    years = list(range(c.start.year, c.scenario.period.end.year + 1))
    n_nats = len(c.scenario.nationalities)  # the simulated ones (applicants from outside the corridor come after)
    u = rng.random((len(years), n_nats))
    cv = params.drought_severity_cv
    factor = rng.gamma(1.0 / cv**2, cv**2, (len(years), n_nats)) if cv > 0 else np.ones((len(years), n_nats))
    shock = np.zeros((c.days, n_nats))
    records = []
    for i, year in enumerate(years):
        onset = (dt.date(year, params.drought_onset_month, 1) - c.start).days
        if not 0 <= onset < c.days:
            continue
        for k in np.flatnonzero(u[i] < probability[onset, :n_nats]).tolist():
            severity = float(c.levers["drought_severity_pp"][onset, k] * factor[i, k])
            end = min(onset + params.drought_duration_days, c.days)
            shock[onset:end, k] += severity
            records.append(DroughtRecord(c.nationalities[k], c.date(onset), c.date(end - 1), round(severity, 3)))
    if not records:
        return c.departure_rate, []
    dated = np.zeros((c.days, n_nats))
    for drought in c.scenario.droughts:
        first = max((drought.start - c.start).days, 0)
        last = min((drought.end - c.start).days + 1, c.days)
        if first < last:
            dated[first:last, c.nationalities.index(drought.nationality)] += drought.food_insecurity_pp
    phi = c.scenario.parameters.departures.food_insecurity_effect
    multiplier = (1.0 + phi * (dated + shock)) / (1.0 + phi * dated)
    return c.departure_rate * multiplier[:, c.origin_nat], records

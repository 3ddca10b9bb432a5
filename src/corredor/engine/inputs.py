"""Compile a validated `Scenario` into the arrays the engine reads: network and routes, daily lever values, daily
departure rates per origin, and the calendar of caravans, cohorts and asylum applicants from outside the corridor.

Everything that can be computed before the first day is computed here, once, so the daily loop only indexes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corredor.engine import kernels
from corredor.engine.tables import ParameterTables
from corredor.network import NODE_KINDS, ROUTE_FAMILIES, Network, RouteTable, compile_routes
from corredor.parameters import HARMS, MODES, DepartureParameters
from corredor.scenario import LEVERS, Caravan, Cohort, Scenario, entry_days

FloatArray = NDArray[np.float64]
# Route-family filters used by route choice: any route, or only routes entering Mexico by one family.
FAMILY_FILTERS = ("any", "pacific", "gulf", "central")


def _series_value(series: dict[int, float], year: int) -> float | None:
    """Value for `year`: that year's, else the latest earlier year's, else the earliest one's."""
    if not series:
        return None
    if year in series:
        return series[year]
    earlier = [y for y in series if y < year]
    return series[max(earlier)] if earlier else series[min(series)]


@dataclass
class Compiled:
    scenario: Scenario
    network: Network
    routes: RouteTable
    start: dt.date
    days: int
    scale: int
    nationalities: tuple[str, ...]
    start_nodes: NDArray[np.int64]  # nodes with route options (origins, caravan and cohort starts)
    origin_start: NDArray[np.int64]  # for each [[origins]] entry, its index into start_nodes
    origin_nat: NDArray[np.int64]
    home_start: NDArray[np.int64]  # (start, nationality) -> start index people are sent back to
    departure_rate: FloatArray  # persons/day, shape (days, n_origins)
    levers: dict[str, FloatArray]  # scalar levers (days,), node levers (days, nodes), nationality (days, nats)
    office_of_node: NDArray[np.int64]  # -1 where no COMAR office can exist
    office_nodes: NDArray[np.int64]
    port_of_node: NDArray[np.int64]
    detection_factor: FloatArray  # per node: 0 outside Mexico
    is_shelter: NDArray[np.bool_]
    is_entry: NDArray[np.bool_]  # Mexican side of a southern crossing
    tables: ParameterTables
    step_km: FloatArray  # routes.step_km flattened (index route * routes.width + step)
    step_family: NDArray[np.int8]
    step_harm_km: FloatArray  # step_km x the route family's harm multiplier (hazards), same index
    step_train: NDArray[np.bool_]
    next_node: NDArray[np.int32]  # node reached at the end of step i: routes.nodes[:, 1:] flattened
    last_city_step: NDArray[np.bool_]  # True where step i starts at the route's last city (its next node is the port)
    route_table: NDArray[np.int64]  # (start, family filter, mode, j) -> route id, -1 padded
    route_cum: FloatArray  # cumulative choice probabilities, same shape
    route_cum_flat: FloatArray  # route_cum + 2 x row number, flattened: one searchsorted draws every agent
    memory_decay: float = 1.0  # daily factor of the word-of-mouth memory (asylum)
    recent_applicants_at_start: float = 0.0  # persons
    caravans_by_day: dict[int, list[tuple[int, Caravan]]] = field(default_factory=dict)
    # day -> (index in scenario.caravans, persons recorded with it that day, node where counted or -1), for
    # caravans.top_up
    caravan_sizes_by_day: dict[int, list[tuple[int, float, int]]] = field(default_factory=dict)
    cohorts_by_day: dict[int, list[Cohort]] = field(default_factory=dict)
    # Applicants from outside the corridor ([[outside_applicants]]): persons per day for each entry, shape
    # (days, entries), and per entry its COMAR office (index into office_nodes), start (index into start_nodes)
    # and nationality (index into nationalities, after the simulated ones).
    outside_per_day: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    outside_office: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    outside_start: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    outside_nat: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @cached_property
    def outside_days(self) -> NDArray[np.bool_]:
        """Per day: whether any applicant from outside the corridor may apply (`asylum.arrive_from_outside`)."""
        return np.asarray((self.outside_per_day > 0).any(axis=1), dtype=bool)

    def _any_day(self, *names: str) -> NDArray[np.bool_]:
        """Per day: whether any of these levers is non-zero anywhere."""
        days = np.zeros(self.days, dtype=bool)
        for name in names:
            days |= self.levers[name].reshape(self.days, -1).any(axis=1)
        return days

    @cached_property
    def visa_days(self) -> NDArray[np.bool_]:
        """Per day: whether US or Mexican work visas are handed out (`pathways.visas_today`)."""
        return self._any_day("us_work_visa_quota", "mx_work_visa_quota")

    @cached_property
    def card_days(self) -> NDArray[np.bool_]:
        """Per day: whether Mexican humanitarian or regional cards are handed out (`pathways.cards_today`)."""
        return self._any_day("mx_humanitarian_card_quota", "mx_regional_card_quota")

    @cached_property
    def metering_days(self) -> NDArray[np.bool_]:
        """Per day: whether any US port meters its intake (a finite daily intake; `border.serve_metering`)."""
        finite = np.isfinite(self.levers["us_metering_intake_per_day"]).reshape(self.days, -1)
        return np.asarray(finite.any(axis=1), dtype=bool)

    @cached_property
    def office_queue_cells(self) -> NDArray[np.int64]:
        """Per COMAR office (in `office_nodes` order), the count cells of its waiting applicants, one per
        nationality (`kernels.cell_of`), shape (offices, nationalities)."""
        k = len(self.nationalities)
        cells = (self.office_nodes[:, None] * kernels.N_STATES + kernels.ASYLUM_QUEUE) * k + np.arange(k)
        return cells.astype(np.int64)

    @cached_property
    def kernel_parameters(self) -> FloatArray:
        """The scalar inputs of the compiled kernels for every day, shape (days, `kernels.N_P`) (indices
        `kernels.P_*`): parameters and scalar levers. The caravans launched so far (`P_CARAVANS`) depend on the run
        and are left at 0 (`movement.arrival_inputs` fills them in)."""
        p, lever, k = self.scenario.parameters, self.levers, kernels
        values = np.zeros((self.days, k.N_P))
        intensity = lever["mx_enforcement_intensity"]
        values[:, k.P_DAY] = np.arange(self.days)
        values[:, k.P_SCALE] = self.scale
        values[:, k.P_HIDDEN] = (1.0 + p.hazards.hidden_route_harm * np.maximum(0.0, intensity - 1.0)) / 1000
        values[:, k.P_RANSOM] = p.hazards.ransom_usd
        values[:, k.P_KIDNAP_DELAY] = p.hazards.kidnapping_delay_days
        values[:, k.P_DISPERSAL] = p.caravans.dispersal_per_day
        values[:, k.P_BLOCKING] = lever["caravan_blocking"]
        values[:, k.P_DETECTION] = p.enforcement.detection_per_node
        values[:, k.P_INTENSITY] = intensity
        values[:, k.P_TARGETING] = lever["mx_risk_targeting"]
        values[:, k.P_SMUGGLER_GAIN] = p.enforcement.smuggler_targeting_gain
        values[:, k.P_CARD_SETTLE] = p.enforcement.card_settle_share
        values[:, k.P_ATD_SHARE] = lever["mx_atd_share"]
        values[:, k.P_ATD_DAYS] = p.enforcement.atd_programme_days
        values[:, k.P_ATD_ABANDON_DAYS] = p.enforcement.atd_abandonment_mean_days
        values[:, k.P_DETENTION_DAYS] = p.enforcement.detention_days
        values[:, k.P_WORD_OF_MOUTH] = p.asylum.word_of_mouth_per_1000
        values[:, k.P_CARAVAN_PROPENSITY] = p.asylum.caravan_propensity_multiplier
        values[:, k.P_ABANDON_DAYS] = p.asylum.abandonment_mean_days
        values[:, k.P_SHELTER_DAYS] = p.movement.shelter_stay_days
        values[:, k.P_TRAIN_USE] = lever["train_use"]
        values[:, k.P_SPEED_TRAIN] = p.movement.speed_train_km_per_day
        values[:, k.P_BORDER_WAIT] = p.movement.border_wait_days
        values[:, k.P_DEPORTATION_SHARE] = p.enforcement.deportation_share
        values[:, k.P_REATTEMPT] = p.enforcement.reattempt_probability
        values[:, k.P_REATTEMPT_DELAY] = p.enforcement.reattempt_delay_days
        values[:, k.P_ASYLUM_SETTLE] = p.asylum.settle_share
        values[:, k.P_REJECTED_RETURN] = p.asylum.rejected_return_share
        values[:, k.P_PORT_ASYLUM] = p.border.port_asylum_share
        values[:, k.P_METERING_GIVE_UP] = p.border.metering_give_up_days
        values[:, k.P_US_DEATH] = p.hazards.us_crossing_death_probability
        values[:, k.P_US_APPREHENSION] = lever["us_apprehension_probability"]
        values[:, k.P_US_RELEASE] = lever["us_release_share"]
        values[:, k.P_MPP] = lever["us_mpp_share"]
        values[:, k.P_PORT_RELEASE] = lever["us_port_release_share"]
        values[:, k.P_TITLE42] = lever["us_title42_share"]
        values[:, k.P_MPP_WAIT] = p.border.mpp_wait_days
        values[:, k.P_EXPULSION_RETRY] = p.border.expulsion_retry_days
        values[:, k.P_REMOVAL_DAYS] = p.border.removal_days
        values[:, k.P_US_REATTEMPT] = p.border.us_reattempt_probability
        values[:, k.P_MX_CARD_SETTLE] = p.pathways.mx_card_settle_share
        values[:, k.P_REGIONAL_SETTLE] = p.pathways.regional_card_settle_share
        values[:, k.P_ATD_PAPERS] = p.enforcement.atd_regularisation_share
        return values

    @cached_property
    def kernel_arrays(self) -> tuple[NDArray[Any], ...]:
        """The network and parameter arrays of the compiled kernels, in the order they unpack them."""
        t = self.tables
        return (
            self.step_km,
            self.step_harm_km,
            self.next_node.astype(np.int64),
            self.is_entry,
            self.detection_factor,
            t.detection_by_mode,
            t.harm_rate_total.reshape(-1),
            t.harm_rate,
            t.speed_by_mode,
            self.step_train,
            self.last_city_step,
            self.office_of_node,
            t.asylum_propensity,
            self.is_shelter,
            np.array([self.routes.width], dtype=np.int64),
            self.start_nodes,
            self.home_start,
            self.routes.nodes[np.arange(len(self.routes.length)), self.routes.length - 1].astype(np.int64),
            t.recognition_rate,
        )

    @cached_property
    def no_caravan_forming(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """`caravans.forming` on a day without caravans forming: family filter 0 and caravan id -1 everywhere."""
        k = len(self.nationalities)
        return np.zeros(k, dtype=np.int64), np.full(k, -1, dtype=np.int64)

    @cached_property
    def mean_service_days(self) -> float:
        """Mean time a COMAR caseworker takes to decide one agent's file (days; `asylum.serve`)."""
        ap = self.scenario.parameters.asylum
        return self.scale * 365.25 / max(ap.productivity_cases_per_year * ap.persons_per_case, 1e-12)

    @cached_property
    def choice_parameters(self) -> FloatArray:
        """The compiled mode choice's inputs for every day, shape (days, 4): legal take-up, exp(smuggled utility),
        exp(caravan constant), smuggling fee (`departures.choice_inputs`)."""
        from corredor.engine.choice import smuggled_utility_of  # choice -> caravans -> inputs

        p = self.scenario.parameters
        intensity, targeting = self.levers["mx_enforcement_intensity"], self.levers["mx_risk_targeting"]
        values = np.empty((self.days, 4))
        values[:, 0] = p.choice.legal_take_up
        values[:, 2] = np.exp(p.choice.caravan_constant)
        values[:, 3] = p.choice.smuggling_fee_usd
        for day in range(self.days):  # np.exp of each day's float, as the numpy sub-models take it
            values[day, 1] = np.exp(smuggled_utility_of(p, float(intensity[day]), float(targeting[day])))
        return values

    @cached_property
    def kernel_routes(self) -> tuple[NDArray[Any], ...]:
        """Route choice tables of the compiled kernels: route ids and cumulative probabilities + 2 x row, both
        flattened, (filters, modes, width), and per [[origins]] entry its start (index into start_nodes) and
        nationality (new agents, `kernels.new_agents`)."""
        _, n_filters, n_modes, width = self.route_cum.shape
        dims = np.array([n_filters, n_modes, width], dtype=np.int64)
        table = np.ascontiguousarray(self.route_table).ravel()
        return (table, self.route_cum_flat, dims, self.origin_start.astype(np.int64), self.origin_nat.astype(np.int64))

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day)


def _lever_arrays(scenario: Scenario, network: Network, nats: tuple[str, ...], days: int) -> dict[str, FloatArray]:
    params = scenario.parameters
    kinds = np.array([NODE_KINDS[k] for k in network.node_kind])
    arrays: dict[str, FloatArray] = {}
    for name, lever in LEVERS.items():
        width = {"office": network.n_nodes, "node": network.n_nodes, "port": network.n_nodes, "nationality": len(nats)}
        shape: tuple[int, ...] = (days, width[lever.target]) if lever.target else (days,)
        arrays[name] = np.full(shape, float(lever.default))
    arrays["comar_caseworkers"][:] = np.where(kinds == "asylum_office", params.asylum.default_caseworkers, 0.0)
    arrays["comar_office_open"][:] = (kinds == "asylum_office").astype(float)
    arrays["shelter_capacity"][:] = np.where(kinds == "shelter_hub", params.movement.default_shelter_capacity, 0.0)
    eligible = params.pathways.regional_card_eligibility
    arrays["mx_regional_card_eligibility"][:] = [eligible.get(n, eligible.get("OTHER", 0.0)) for n in nats]
    arrays["us_port_release_share"][:] = params.border.port_release_share
    arrays["drought_severity_pp"][:] = params.climate.drought_severity_pp
    # Day (from the start, may be negative) of the entry in effect on each day, for levers whose effect fades.
    entry_day = {name: np.full(days, np.nan) for name in FADING}
    for change in sorted(scenario.policy, key=lambda c: c.date):
        dated = (change.date - scenario.period.start).days
        first, last = entry_days(scenario, change)
        if first >= last:
            continue
        arr = arrays[change.lever]
        target = LEVERS[change.lever].target
        value = change.resolved(params)
        if change.target is None:
            arr[first:last] = value
        elif target == "nationality":
            arr[first:last, nats.index(change.target)] = value
        else:
            arr[first:last, network.index(change.target)] = value
        if change.lever in entry_day:
            entry_day[change.lever][first:last] = dated
    half_lives = {
        "mx_enforcement_intensity": params.enforcement.adaptation_half_life_days,
        "us_deterrence": params.departures.deterrence_half_life_days,
    }
    for name, log_scale in FADING.items():
        arrays[name] = _faded(arrays[name], entry_day[name], float(LEVERS[name].default), half_lives[name], log_scale)
    return arrays


# Levers whose effect fades after each dated entry (True: on log scale): people and smugglers adapt to an
# enforcement surge (WOLA / Isacson et al. 2015 on Programa Frontera Sur), and a deterrence shock wears off.
FADING = {"mx_enforcement_intensity": False, "us_deterrence": True}


def _faded(values: FloatArray, entry_day: FloatArray, default: float, half_life: float, log_scale: bool) -> FloatArray:
    """Each entry's departure from the lever's default (its value before the first entry) fades with the half-life,
    counted from the entry's recorded date (also when that is before the scenario starts); on log scale for
    multipliers of flows (fading towards 1 = no effect)."""
    age = np.arange(len(values)) - entry_day
    fade = np.where(np.isnan(age), 1.0, np.exp2(-np.nan_to_num(age) / half_life))
    if log_scale:
        base = np.log(default)
        return np.exp(base + (np.log(np.maximum(values, 1e-9)) - base) * fade)
    return default + (values - default) * fade


def _departure_rates(
    scenario: Scenario, nats: tuple[str, ...], dates: NDArray[np.datetime64], levers: dict[str, FloatArray]
) -> FloatArray:
    params = scenario.parameters.departures
    days = len(dates)
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    months = dates.astype("datetime64[M]").astype(int) % 12
    season = np.asarray(params.seasonality)
    season = season / season.mean()
    per_nat = np.zeros((days, len(nats)))
    # People deterred by Mexico's enforcement (the adapted intensity), floored at half the flow.
    intensity = np.maximum(levers["mx_enforcement_intensity"], 1e-9)
    deterred_by_mexico = np.maximum(intensity ** (-params.mx_enforcement_elasticity), 0.5)
    for k, nat in enumerate(nats):
        drivers = scenario.drivers.get(nat)
        factor_by_year = {}
        for year in np.unique(years).tolist():
            factor = 1.0
            if drivers is not None:
                h, h0 = (_series_value(drivers.homicide_rate, y) for y in (year, params.reference_year))
                if h is not None and h0 is not None:
                    factor *= (h / h0) ** params.homicide_elasticity_by_nationality.get(nat, params.homicide_elasticity)
                r, r0 = (_series_value(drivers.remittances_usd_million, y) for y in (year, params.reference_year))
                if r is not None and r0 is not None:
                    factor *= (r / r0) ** params.remittance_elasticity_by_nationality.get(
                        nat, params.remittance_elasticity
                    )
                f, f0 = (_series_value(drivers.food_insecurity_pp, y) for y in (year, params.reference_year))
                if f is not None and f0 is not None:
                    factor *= max(0.0, 1.0 + params.food_insecurity_effect * (f - f0))
            factor_by_year[year] = factor
        driver_factor = np.array([factor_by_year[y] for y in years.tolist()])
        if drivers is not None and params.homicide_lag_days > 0:  # the homicide push acts with a delay
            driver_factor *= _lagged_homicide(drivers.homicide_rate, dates, years, params, nat)
        shock = np.zeros(days)
        for drought in scenario.droughts:
            if drought.nationality == nat:
                lo = np.datetime64(drought.start)
                hi = np.datetime64(drought.end)
                shock[(dates >= lo) & (dates <= hi)] += drought.food_insecurity_pp
        aid = levers["development_aid_usd_million"][:, k]
        lagged = np.concatenate([np.zeros(min(params.aid_lag_days, days)), aid])[:days]
        aid_factor = np.clip(1.0 - params.aid_effect_per_usd_million * lagged, 0.0, None)
        base = scenario.nationalities[nat].base_departures_per_year / 365.25
        per_nat[:, k] = (
            base
            * season[months]
            * driver_factor
            * (1.0 + params.food_insecurity_effect * shock)
            * aid_factor
            * levers["us_deterrence"]
            * deterred_by_mexico
        )
    share = np.array([o.share for o in scenario.origins])
    nat_of_origin = np.array([nats.index(o.nationality) for o in scenario.origins])
    total_share = np.bincount(nat_of_origin, weights=share, minlength=len(nats))
    return per_nat[:, nat_of_origin] * (share / total_share[nat_of_origin])


def _lagged_homicide(
    rates: dict[int, float],
    dates: NDArray[np.datetime64],
    years: NDArray[np.int64],
    params: DepartureParameters,
    nat: str,
) -> FloatArray:
    """Ratio of the homicide factor of the lagged year to that of the current year (1 where either is missing)."""
    lag = np.timedelta64(round(params.homicide_lag_days), "D")
    lagged_years = (dates - lag).astype("datetime64[Y]").astype(int) + 1970
    h0 = _series_value(rates, params.reference_year)
    if h0 is None:
        return np.ones(len(dates))
    elasticity = params.homicide_elasticity_by_nationality.get(nat, params.homicide_elasticity)
    out = np.ones(len(dates))
    for year, lagged in set(zip(years.tolist(), lagged_years.tolist(), strict=True)):
        now, then = _series_value(rates, year), _series_value(rates, lagged)
        if now is not None and then is not None and now > 0:
            out[(years == year) & (lagged_years == lagged)] = (then / now) ** elasticity
    return out


def _route_harm(tables: ParameterTables, routes: RouteTable) -> FloatArray:
    """Expected harm events of each kind along each route, per mode (no train, intensity 1): (routes, kinds, modes)."""
    km_weighted = (routes.step_km * tables.harm_by_family[routes.step_family]).sum(axis=1) / 1000.0  # (routes,)
    return km_weighted[:, None, None] * tables.harm_rate[:, 0, :].T[None, :, :]


def _route_choice(
    scenario: Scenario, routes: RouteTable, start_nodes: NDArray[np.int64], harm: FloatArray
) -> tuple[NDArray[np.int64], FloatArray]:
    choice = scenario.parameters.choice
    per_start = [routes.routes_from(int(s)) for s in start_nodes]
    width = max(len(r) for r in per_start)
    table = np.full((len(start_nodes), len(FAMILY_FILTERS), len(MODES), width), -1, dtype=np.int64)
    cum = np.ones((len(start_nodes), len(FAMILY_FILTERS), len(MODES), width))
    non_death = harm[:, : len(HARMS) - 1, :].sum(axis=1)  # (routes, modes)
    for s, ids in enumerate(per_start):
        for f, family in enumerate(FAMILY_FILTERS):
            keep = ids if family == "any" else ids[routes.family[ids] == ROUTE_FAMILIES.index(family)]
            if len(keep) == 0:
                keep = ids
            for m in range(len(MODES)):
                utility = (
                    -choice.route_km_coefficient * routes.total_km[keep] / 1000.0
                    - choice.route_harm_coefficient * non_death[keep, m]
                )
                p = np.exp(utility - utility.max())
                p /= p.sum()
                table[s, f, m, : len(keep)] = keep
                cum[s, f, m, : len(keep)] = np.cumsum(p)
                cum[s, f, m, len(keep) - 1 :] = 1.0
    return table, cum


def _home_starts(scenario: Scenario, network: Network, starts: list[int], nats: tuple[str, ...]) -> NDArray[np.int64]:
    """Where deportees and removed people return: their start node, unless it is in Mexico (a caravan or cohort
    that set out from Tapachula, say); then the largest origin of their nationality."""
    mexican = network.in_mexico()
    home = np.tile(np.arange(len(starts), dtype=np.int64)[:, None], (1, len(nats)))
    for k, nat in enumerate(nats):
        mine = [o for o in scenario.origins if o.nationality == nat]
        main = starts.index(network.index(max(mine, key=lambda o: o.share).node)) if mine else None
        for s, node in enumerate(starts):
            if mexican[node] and main is not None:
                home[s, k] = main
    return home


def _recent_applicants(scenario: Scenario) -> float:
    """Word-of-mouth memory on the first day: the parameter; else, when the start lies within the dates of
    ``recent_applicants_by_date``, that table interpolated log-linearly (the memory grows about geometrically);
    else the COMAR applicants observed before the start (calibration years only), each year's count faded by the
    memory from 1 July of that year to the start."""
    asylum = scenario.parameters.asylum
    if asylum.recent_applicants_at_start is not None:
        return asylum.recent_applicants_at_start
    table = asylum.recent_applicants_by_date
    start = scenario.period.start
    if table and min(table) <= start <= max(table):
        days = np.array([(d - start).days for d in table], dtype=float)
        return float(np.exp(np.interp(0.0, days, np.log(np.maximum(list(table.values()), 1e-9)))))
    from corredor import data  # the shipped observations: read once, at compile time

    observed = data.observed_series("comar_applicants", nationality="ALL")
    total = 0.0
    for year, value in zip(observed.index.astype(int), observed.to_numpy(dtype=float), strict=True):
        if year < start.year and year <= data.CUTOFF_YEAR:
            age = (start - dt.date(int(year), 7, 1)).days
            total += float(value) * float(np.exp(-age / asylum.word_of_mouth_memory_days))
    return total


def compile_scenario(scenario: Scenario, network: Network | None = None) -> Compiled:
    network = network or scenario.load_network()
    start = scenario.period.start
    days = scenario.period.days
    simulated = tuple(scenario.nationalities)
    # Nationalities of applicants from outside the corridor come after the simulated ones (no origins, no departures)
    outside_nats = dict.fromkeys(e.nationality for e in scenario.outside_applicants if e.nationality not in simulated)
    nats = simulated + tuple(outside_nats)
    dates = np.arange(np.datetime64(start), np.datetime64(scenario.period.end) + 1)
    starts = sorted(
        {network.index(o.node) for o in scenario.origins}
        | {network.index(c.origin) for c in scenario.caravans}
        | {network.index(c.origin) for c in scenario.cohorts}
        | {network.index(e.office) for e in scenario.outside_applicants}
    )
    start_nodes = np.array(starts, dtype=np.int64)
    routes = compile_routes(network, start_nodes)
    missing = [network.node_ids[s] for s in starts if len(routes.routes_from(s)) == 0]
    if missing:
        raise ValueError(f"no route to a US port of entry from: {', '.join(missing)}")
    levers = _lever_arrays(scenario, network, nats, days)
    kinds = np.array([NODE_KINDS[k] for k in network.node_kind])
    mexican = network.in_mexico()
    enforcement = scenario.parameters.enforcement
    detection = np.where(mexican, 1.0, 0.0)
    detection[mexican & (kinds == "border_crossing_south")] = enforcement.southern_crossing_factor
    detection[mexican & (kinds == "border_city_north")] = enforcement.northern_city_factor
    possible_office = (
        (levers["comar_office_open"].max(axis=0) > 0) | (levers["comar_caseworkers"].max(axis=0) > 0)
    ) & mexican
    # the offices of applicants from outside the corridor, even if never open in the period (nobody applies then)
    possible_office[[network.index(e.office) for e in scenario.outside_applicants]] = True
    office_nodes = np.flatnonzero(possible_office)
    office_of_node = np.full(network.n_nodes, -1, dtype=np.int64)
    office_of_node[office_nodes] = np.arange(len(office_nodes))
    ports = network.nodes_of_kind("us_port_of_entry")
    port_of_node = np.full(network.n_nodes, -1, dtype=np.int64)
    port_of_node[ports] = np.arange(len(ports))
    tables = ParameterTables.build(scenario.parameters, nats)
    harm = _route_harm(tables, routes)
    table, cum = _route_choice(scenario, routes, start_nodes, harm)
    caravans_by_day: dict[int, list[tuple[int, Caravan]]] = {}
    for i, caravan in enumerate(scenario.caravans):
        caravans_by_day.setdefault((caravan.date - start).days, []).append((i, caravan))
    caravan_sizes_by_day: dict[int, list[tuple[int, float, int]]] = {}
    for i, caravan in enumerate(scenario.caravans):
        if start <= caravan.date:  # a caravan that left before the period has no members to top up
            for day, persons in sorted(caravan.recorded_sizes.items()):
                place = network.index(caravan.recorded_at[day]) if day in caravan.recorded_at else -1
                caravan_sizes_by_day.setdefault((day - start).days, []).append((i, persons, place))
    cohorts_by_day: dict[int, list[Cohort]] = {}
    for cohort in scenario.cohorts:
        cohorts_by_day.setdefault((cohort.date - start).days, []).append(cohort)
    outside = scenario.outside_applicants
    outside_per_day = np.zeros((days, len(outside)))
    for i, entry in enumerate(outside):
        first, last = (entry.start - start).days, (entry.end - start).days + 1
        outside_per_day[max(first, 0) : max(min(last, days), 0), i] = entry.persons / (last - first)
    return Compiled(
        scenario=scenario,
        network=network,
        routes=routes,
        start=start,
        days=days,
        scale=scenario.scale,
        nationalities=nats,
        start_nodes=start_nodes,
        origin_start=np.array([starts.index(network.index(o.node)) for o in scenario.origins], dtype=np.int64),
        origin_nat=np.array([nats.index(o.nationality) for o in scenario.origins], dtype=np.int64),
        home_start=_home_starts(scenario, network, starts, nats),
        departure_rate=_departure_rates(scenario, simulated, dates, levers),
        levers=levers,
        office_of_node=office_of_node,
        office_nodes=office_nodes,
        port_of_node=port_of_node,
        detection_factor=detection,
        # Nodes that may have a shelter: the shelter hubs, and any other node a scenario gives beds on some day
        # (Tapachula, Mexico City, ...). On a given day only those with beds that day take people in.
        is_shelter=(kinds == "shelter_hub") | (levers["shelter_capacity"] > 0).any(axis=0),
        is_entry=mexican & (kinds == "border_crossing_south"),
        tables=tables,
        step_km=routes.step_km.ravel(),
        step_family=routes.step_family.ravel(),
        step_harm_km=routes.step_km.ravel() * tables.harm_by_family[routes.step_family.ravel()],
        step_train=routes.step_train.ravel(),
        next_node=np.ascontiguousarray(routes.nodes[:, 1:]).ravel(),
        last_city_step=(np.arange(routes.width)[None, :] >= (routes.length - 2)[:, None]).ravel(),
        route_table=table,
        route_cum=cum,
        route_cum_flat=(cum.reshape(-1, cum.shape[-1]) + 2.0 * np.arange(cum[..., 0].size)[:, None]).ravel(),
        memory_decay=float(np.exp(-1.0 / scenario.parameters.asylum.word_of_mouth_memory_days)),
        recent_applicants_at_start=_recent_applicants(scenario),
        caravans_by_day=caravans_by_day,
        caravan_sizes_by_day=caravan_sizes_by_day,
        cohorts_by_day=cohorts_by_day,
        outside_per_day=outside_per_day,
        outside_office=np.array([office_of_node[network.index(e.office)] for e in outside], dtype=np.int64),
        outside_start=np.array([starts.index(network.index(e.office)) for e in outside], dtype=np.int64),
        outside_nat=np.array([nats.index(e.nationality) for e in outside], dtype=np.int64),
    )

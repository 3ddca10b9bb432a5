"""Results of a run (one or more replicates) turned into the JSON the dashboard draws: map frames, time series with
replicate bands and observed statistics, a Sankey of outcomes by nationality, the COMAR panel per office, harms by
mode and segment, caravans and their load (COMAR applications by travel mode, shelters, northern border cities) and
the totals that runs are compared on.

All figures are persons or events (agents x scale). One rule for replicates throughout: a figure is the **mean** over
replicates (so the parts of a breakdown, by office, segment, mode or nationality, add up to the totals of the same
run, which medians would not), with the 5 % and 95 % quantiles over replicates as its band; the median is kept in the
JSON for other readers. Counts of persons and events in tables are whole numbers. Methods (documented in the
README's "Dashboard" section):

- Flow along an edge: the engine counts kilometres travelled by the node a leg starts from, not per edge, so the
  persons leaving node n in a time window are estimated as km travelled from n / mean length of n's edges, and the
  flow along edge (a, b) as the smaller of the persons leaving a and b (exact on a chain of single edges; an upper
  bound where routes fork). Border cities, where journeys end, count their arrivals instead.
- Caseworkers needed (`corredor.staffing.caseworkers_needed`): each office as an M/M/c queue (the engine's own
  model) with the application rate of the last 90 days of the run (persons/day; the whole run if shorter) plus its
  pending files at the end cleared within a year, and the service rate per caseworker mu = productivity x persons
  per case / 365.25: the smallest c with which 90 % of applicants are decided within the legal limit (45 working
  days = 63 calendar days). Abandonment, which shortens real queues, is ignored, so the figure errs on the side of
  enough staff.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from corredor.engine.state import State
from corredor.network import NODE_KINDS, Network
from corredor.parameters import MODES
from corredor.results import STATES, Results
from corredor.scenario import Scenario
from corredor.staffing import office_staffing

QUANTILES = (0.05, 0.5, 0.95)
# Event series of the time-series view: (key, event name).
SERIES_EVENTS = (
    "departure",
    "apprehension_mx",
    "deportation_mx",
    "asylum_application",
    "apprehension_us",
    "evasion_us",
    "death",
)
# Stocks of the time-series view: persons in a state on a day.
SERIES_STATES = ("en_route", "shelter", "asylum_queue", "at_border", "in_us")
HARMS = ("extortion", "kidnapping", "assault", "death")
NORTHERN_TRIANGLE = ("GTM", "HND", "SLV")
# Persons counted at a node on the map: people on the move or held there, not people at home or settled.
MAP_STATES = (
    State.EN_ROUTE,
    State.SHELTER,
    State.DETAINED_MX,
    State.ASYLUM_QUEUE,
    State.AT_BORDER,
    State.DETAINED_US,
    State.PENDING_MX,
)
# Outcomes of the Sankey diagram: state at the end of the run.
OUTCOMES = {
    "waiting_origin": "at_home_may_retry",
    "returned": "returned_home",
    "dead": "died",
    "in_us": "reached_us",
    "legal_us": "us_work_visa",
    "recognised_mx": "recognised_mx",
    "legal_mx": "legal_stay_mx",
    "asylum_queue": "waiting_asylum",
    "at_border": "at_northern_border",
    "detained_mx": "detained",
    "detained_us": "detained",
    "en_route": "on_the_way",
    "shelter": "on_the_way",
    "pending_mx": "papers_pending_mx",
}
# Totals that runs are compared on: (key, kind, name) with kind "event" (sum over the period) or "state" (persons
# in the state on the last day).
TOTALS = (
    ("departure", "event", "departure"),
    ("apprehension_mx", "event", "apprehension_mx"),
    ("deportation_mx", "event", "deportation_mx"),
    ("asylum_application", "event", "asylum_application"),
    ("asylum_recognised", "event", "asylum_recognised"),
    ("asylum_abandoned", "event", "asylum_abandoned"),
    ("apprehension_us", "event", "apprehension_us"),
    ("evasion_us", "event", "evasion_us"),
    ("release_us", "event", "release_us"),
    ("extortion", "event", "extortion"),
    ("kidnapping", "event", "kidnapping"),
    ("assault", "event", "assault"),
    ("death", "event", "death"),
    ("fee_usd", "event", "fee_usd"),
    ("in_us_end", "state", "in_us"),
    ("asylum_queue_end", "state", "asylum_queue"),
)


AGGREGATE = "mean"  # the figure the page draws for several replicates (`upgrade_view` marks older views "median")


def _band(values: NDArray[np.float64]) -> dict[str, list[float]]:
    """Mean and quantiles over replicates (axis 0) of an array (replicates, points)."""
    low, mid, high = np.quantile(values, QUANTILES, axis=0)
    return {"mean": _round(values.mean(axis=0)), "low": _round(low), "median": _round(mid), "high": _round(high)}


def _whole(values: NDArray[np.float64] | Sequence[float]) -> list[int]:
    """Counts of persons or events (means over replicates) as whole numbers."""
    return [round(float(v)) for v in values]


def _round(values: NDArray[np.float64] | Sequence[float]) -> list[float]:
    return [round(float(v), 2) for v in values]


def _event_matrix(results: Results, name: str, bins: NDArray[np.int64], n_bins: int) -> NDArray[np.float64]:
    """Sum of one event per (time bin, node), in persons or USD."""
    ev = results.event_columns
    rows = ev["event"] == results.event_names.index(name)
    keys = bins[ev["day"][rows]] * len(results.node_ids) + ev["node"][rows]
    flat = np.bincount(keys, weights=ev["value"][rows], minlength=n_bins * len(results.node_ids))
    return np.asarray(flat.reshape(n_bins, len(results.node_ids)) * results.scale, dtype=np.float64)


def _event_by(results: Results, name: str, column: str, size: int) -> NDArray[np.float64]:
    ev = results.event_columns
    rows = ev["event"] == results.event_names.index(name)
    return np.asarray(
        np.bincount(ev[column][rows], weights=ev["value"][rows], minlength=size) * results.scale, dtype=float
    )


class TimeBins(NamedTuple):
    """The time points of a run's views: weeks for runs under 120 days, calendar months otherwise (a partial first
    or last month is shorter). A point is dated by the last day of its bin, the day its stocks are read; events are
    summed or averaged over the whole bin, from ``starts`` to ``dates``."""

    bins: NDArray[np.int64]  # the bin of each day of the run
    last_day: NDArray[np.int64]  # index of the last day of each bin
    starts: list[str]  # first date of each bin
    dates: list[str]  # last date of each bin
    period: str  # "week" or "month"

    def labels(self) -> dict[str, Any]:
        """The dating of the points as the views give it."""
        return {"dates": self.dates, "starts": self.starts, "period": self.period}


def time_bins(start: np.datetime64, days: int) -> TimeBins:
    """Monthly bins (weekly for runs under 120 days): the bin of each day, and the first and last date of each bin."""
    dates = start + np.arange(days).astype("timedelta64[D]")
    if days < 120:
        bins = np.arange(days) // 7
        period = "week"
    else:
        bins = np.unique(dates.astype("datetime64[M]"), return_inverse=True)[1].reshape(-1)
        period = "month"
    n = int(bins.max()) + 1 if days else 0
    first = np.array([np.flatnonzero(bins == b)[0] for b in range(n)], dtype=np.int64)
    last = np.array([np.flatnonzero(bins == b)[-1] for b in range(n)], dtype=np.int64)
    return TimeBins(bins.astype(np.int64), last, [str(dates[i]) for i in first], [str(dates[i]) for i in last], period)


def timeseries(runs: Sequence[Results]) -> dict[str, Any]:
    """Event series as daily means within each time bin (a partial first or last bin reads like a full one), state
    series on the last day of each bin; bands over replicates."""
    first = runs[0]
    tb = time_bins(np.datetime64(first.start), first.days)
    bins, sample, n = tb.bins, tb.last_day, len(tb.dates)
    days_in_bin = np.bincount(bins, minlength=n)
    series: dict[str, Any] = {}
    for name in SERIES_EVENTS:
        stacked = np.stack([_event_matrix(r, name, bins, n).sum(axis=1) / days_in_bin for r in runs])
        series[name] = {"kind": "event", "unit": "per_day", **_band(stacked)}
    for state in SERIES_STATES:
        s = STATES.index(state)
        stacked = np.stack([r.daily[sample, :, s, :].sum(axis=(1, 2)) * r.scale for r in runs]).astype(float)
        series[state] = {"kind": "state", "unit": "persons", **_band(stacked)}
    return {**tb.labels(), "days_in_bin": days_in_bin.tolist(), "series": series, "annual": annual_totals(runs)}


def _observed(series: str, country: str | None = None, nationality: str | None = None) -> dict[str, float]:
    from corredor import data

    try:
        values = data.observed_series(series, nationality=nationality, country=country)
    except ValueError:
        return {}
    if values.index.nlevels > 1:
        return {}
    return {str(year): float(v) for year, v in values.items()}


def observed_overlays() -> dict[str, dict[str, float]]:
    """Official statistics by year for the panels of `annual_totals` (shipped data, up to 2018): COMAR applicants,
    UPM presentados and devueltos of Central Americans, Border Patrol apprehensions of GTM + HND + SLV by FY."""
    cbp: dict[str, float] = {}
    for nat in NORTHERN_TRIANGLE:
        for year, value in _observed("usbp_swb_encounters_fy", country="USA", nationality=nat).items():
            cbp[year] = cbp.get(year, 0.0) + value
    return {
        "comar_applicants": _observed("comar_applicants"),
        "upm_presentados": _observed("upm_presentados_events", country="MEX", nationality="CENTRAL_AMERICA"),
        "upm_devueltos": _observed("upm_devueltos_events", country="MEX", nationality="CENTRAL_AMERICA"),
        "cbp_gtm_hnd_slv": cbp,
    }


def annual_totals(runs: Sequence[Results]) -> list[dict[str, Any]]:
    """Simulated official statistics per complete year (bands over replicates), to set against the observed ones."""
    summaries = [r.summary() for r in runs]

    def cbp(s: dict[str, Any]) -> dict[str, float]:
        by_nat = s["cbp_apprehensions_fy"]
        return {
            str(y): sum(float(by_nat.get(n, {}).get(str(y), 0)) for n in NORTHERN_TRIANGLE) for y in s["fiscal_years"]
        }

    specs: list[tuple[str, str, Callable[[dict[str, Any]], dict[str, float]]]] = [
        ("comar_applicants", "calendar_years", lambda s: s["comar_applicants"]),
        ("upm_presentados", "calendar_years", lambda s: s["upm_presentados"]),
        ("upm_devueltos", "calendar_years", lambda s: s["upm_devueltos"]),
        ("cbp_gtm_hnd_slv", "fiscal_years", cbp),
    ]
    panels = []
    for key, years_key, pick in specs:
        years = [str(y) for y in summaries[0][years_key]]
        if years:
            simulated = np.array([[float(pick(s).get(y, 0)) for y in years] for s in summaries])
            panels.append({"key": key, "years": years, **_band(simulated)})
    return panels


def _through(results: Results, network: Network, bins: NDArray[np.int64], n_bins: int) -> NDArray[np.float64]:
    """Persons leaving each node per time bin (estimate, see the module docstring); border cities: arrivals."""
    km = _event_matrix(results, "km_travelled", bins, n_bins)
    lengths = np.zeros(network.n_nodes)
    degree = np.zeros(network.n_nodes)
    for ends in (network.edge_from, network.edge_to):
        np.add.at(lengths, ends, network.edge_km)
        np.add.at(degree, ends, 1)
    mean_km = np.divide(lengths, degree, out=np.ones_like(lengths), where=degree > 0)
    through = km / mean_km
    arrivals = _event_matrix(results, "arrival_border", bins, n_bins)
    return np.maximum(through, arrivals)


def map_view(runs: Sequence[Results], network: Network) -> dict[str, Any]:
    first = runs[0]
    tb = time_bins(np.datetime64(first.start), first.days)
    bins, sample, n = tb.bins, tb.last_day, len(tb.dates)
    people = np.mean([r.daily[sample][:, :, list(MAP_STATES), :].sum(axis=(2, 3)) * r.scale for r in runs], axis=0)
    through = np.mean([_through(r, network, bins, n) for r in runs], axis=0)
    flows = np.minimum(through[:, network.edge_from], through[:, network.edge_to])
    return {
        **tb.labels(),  # people on the last day of each bin; flow over the whole bin (a week or a month)
        "nodes": [
            {
                "id": network.node_ids[i],
                "name": network.node_names[i],
                "country": network.node_country[i],
                "kind": NODE_KINDS[int(network.node_kind[i])],
                "lon": round(float(network.lon[i]), 4),
                "lat": round(float(network.lat[i]), 4),
            }
            for i in range(network.n_nodes)
        ],
        "edges": [[int(a), int(b)] for a, b in zip(network.edge_from, network.edge_to, strict=True)],
        "people": [_round(row) for row in people],
        "flow": [_round(row) for row in flows],
    }


def sankey(runs: Sequence[Results]) -> dict[str, Any]:
    """Everyone who set out, by nationality, to their state on the last day (mean over replicates)."""
    first = runs[0]
    last = np.mean([r.daily[-1].sum(axis=0) * r.scale for r in runs], axis=0)  # (states, nationalities)
    merged: dict[tuple[str, str], float] = {}
    for s, state in enumerate(STATES):
        for k, nat in enumerate(first.nationalities):
            value = float(last[s, k])
            if value > 0:
                key = (nat, OUTCOMES[state])
                merged[key] = merged.get(key, 0.0) + value
    return {
        "nationalities": list(first.nationalities),
        "outcomes": list(dict.fromkeys(OUTCOMES.values())),
        "links": [{"source": a, "target": b, "value": round(v)} for (a, b), v in merged.items()],
    }


def comar(runs: Sequence[Results], scenario: Scenario) -> dict[str, Any]:
    first = runs[0]
    tb = time_bins(np.datetime64(first.start), first.days)
    bins, sample, n = tb.bins, tb.last_day, len(tb.dates)
    queue = STATES.index("asylum_queue")
    limit_working_days = scenario.parameters.asylum.decision_deadline_working_days  # 45 unless the law changes
    edges = np.arange(0, 181, 5)
    offices = []
    for office in first.office_ids:
        node = first.node_ids.index(office)
        applications = np.stack([_event_matrix(r, "asylum_application", bins, n)[:, node] for r in runs])
        backlog = np.stack([r.daily[sample, node, queue, :].sum(axis=1) * r.scale for r in runs]).astype(float)
        waits: list[NDArray[np.float64]] = []
        for r in runs:
            cs = r.tables["asylum_cases"]
            decided = cs[(cs["office"] == office) & cs["outcome"].isin(["recognised", "rejected"])]
            waits.append(decided["wait_working_days"].to_numpy(dtype=float))
        all_waits = np.concatenate(waits) if waits else np.zeros(0)
        # 5-day bins up to the top edge, then one bin for every wait at or above it (labelled "180+" on the page)
        below = np.histogram(all_waits[all_waits < edges[-1]], bins=edges)[0]
        counts = np.append(below, (all_waits >= edges[-1]).sum())
        if applications.sum() == 0 and backlog.sum() == 0:
            continue
        staffing = office_staffing(runs, scenario, office)
        offices.append(
            {
                "office": office,
                "applications": _band(applications),
                "backlog": _band(backlog),
                "wait_bins": edges.tolist(),  # lower edges; the last bin is open (edges[-1] working days or more)
                "wait_counts": _whole(counts * first.scale / len(runs)),  # mean over replicates
                "decided": round(len(all_waits) * first.scale / len(runs)),
                "share_within_limit": staffing["share_within_limit"],
                "median_wait_working_days": round(float(np.median(all_waits)), 1) if len(all_waits) else None,
                "pending_end": round(float(staffing["pending_end"] or 0)),  # mean: the backlog line's last point
                "arrivals_per_day": staffing["arrivals_per_day"],
                "caseworkers_end": staffing["caseworkers_end"],
                "caseworkers_needed": staffing["caseworkers_needed"],
            }
        )
    days_in_bin = np.bincount(bins, minlength=n).tolist()  # for daily rates in the chart (a partial bin is shorter)
    return {**tb.labels(), "days_in_bin": days_in_bin, "limit_working_days": limit_working_days, "offices": offices}


def segment_of(country: str, lat: float) -> str:
    """Segment of the route a node belongs to: the country, with Mexico split into south, centre and north."""
    if country != "MEX":
        return country
    if lat < 19.0:
        return "MEX_south"
    if lat < 23.0:
        return "MEX_centre"
    return "MEX_north"


def segments_along_route(network: Network) -> tuple[list[str], list[str]]:
    """The segment of each node, and the segments from south to north (by the mean latitude of their nodes: Nicaragua,
    El Salvador, Honduras, Guatemala, Mexico south, centre and north, the US on the default network)."""
    segments = [segment_of(c, float(lat)) for c, lat in zip(network.node_country, network.lat, strict=True)]
    where = np.asarray(segments)
    lat = {name: float(np.mean(network.lat[where == name])) for name in set(segments)}
    return segments, sorted(lat, key=lambda name: (lat[name], name))


def harms(runs: Sequence[Results], network: Network) -> dict[str, Any]:
    """Harms over the whole period (mean over replicates) by travel mode and by segment, segments south to north."""
    segments, names = segments_along_route(network)
    by_mode = {h: _whole(np.mean([_event_by(r, h, "mode", len(MODES)) for r in runs], axis=0)) for h in HARMS}
    by_segment = {}
    for h in HARMS:
        per_node = np.mean([_event_by(r, h, "node", len(r.node_ids)) for r in runs], axis=0)
        by_segment[h] = _whole([float(per_node[[s == name for s in segments]].sum()) for name in names])
    return {
        "modes": list(MODES),
        "by_mode": by_mode,
        "segments": names,
        "order": "south_to_north",
        "by_segment": by_segment,
    }


# The load of caravans (`loads`): events and stocks that record it.
CARAVAN_FLOWS = {  # key: events summed (caravan members only for arrival_border)
    "joined": ("caravan_departure", "caravan_join"),
    "left": ("caravan_dispersal", "caravan_blocked"),
    "arrived_north": ("arrival_border",),
}
TOP_NODES = 8  # shelters and border cities kept in the view, by persons concerned
CARAVAN_MODE, ALONE_MODE = MODES.index("caravan"), MODES.index("alone")


def _event_grid(
    results: Results, name: str, bins: NDArray[np.int64], n_bins: int, column: str, node: int | None = None
) -> NDArray[np.float64]:
    """Sum of one event per (time bin, node or mode), in persons; with `node`, at that node only."""
    ev = results.event_columns
    rows = ev["event"] == results.event_names.index(name)
    if node is not None:
        rows &= ev["node"] == node
    width = len(results.node_ids) if column == "node" else len(MODES)
    keys = bins[ev["day"][rows]] * width + ev[column][rows]
    flat = np.bincount(keys, weights=ev["value"][rows], minlength=n_bins * width)
    return np.asarray(flat.reshape(n_bins, width) * results.scale, dtype=np.float64)


def _reference_caravan_applications() -> dict[str, Any] | None:
    """COMAR applications of caravan members, Oct-Dec 2018 (caravans.csv, series caravan_comar_applications)."""
    from corredor import data

    try:
        frame = data.load("caravans")
    except (ValueError, OSError):
        return None
    rows = frame[frame["series"] == "caravan_comar_applications"]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return {
        "start": "2018-10-01",
        "end": "2018-12-31",
        "observed": round(float(row["value"])),
        "source": str(row["source"]).removeprefix("source: "),
        "note": str(row["unit"]),
    }


def _scheduled_joiners(
    results: Results, scenario: Scenario, join_window: int
) -> tuple[dict[tuple[int, str, str], float], dict[tuple[int, str, str], float], float, float]:
    """People who joined each scheduled caravan, from caravan_join events: the model lets a person who sets out from
    home join the caravan of their nationality whose join window (its day to day + join_window_days) is open, the
    latest one if several are; it tops a caravan up on the days of its recorded sizes (those persons the run
    records per caravan and day, `Results.caravan_counts`, and they are taken out of the day's joins here); and
    emergent caravans log their members as caravan_join at their office on the day they form. Returns per scheduled
    caravan (day, node, name) the persons who joined in its window and those topped up, persons in emergent
    caravans, and joiners no caravan's window explains (0 unless the engine changes)."""
    ev = results.event_columns
    rows = ev["event"] == results.event_names.index("caravan_join")
    day, node, nat, value = ev["day"][rows], ev["node"][rows], ev["nat"][rows], ev["value"][rows] * results.scale
    emergent_at = {(int(d), int(n)) for _, d, n, _, name in results.caravan_rows if name == "emergent"}
    is_emergent = np.array([(int(d), int(n)) in emergent_at for d, n in zip(day, node, strict=True)], dtype=bool)
    windows = []  # (key, nationality index, first day, last day), in order of formation
    top_ups: list[tuple[tuple[int, str, str], int, int, float]] = []  # (key, nationality index, day, persons)
    for number, first, n, _, name in sorted(results.caravan_rows):
        if name == "emergent":
            continue
        origin = results.node_ids[n]
        for c in scenario.caravans:
            if (
                (c.date - scenario.period.start).days == first
                and c.origin == origin
                and (c.name or "scheduled") == name
            ):
                nat_index = results.nationalities.index(c.nationality) if c.nationality in results.nationalities else -1
                key = (int(first), origin, name)
                windows.append((key, nat_index, int(first), int(first) + join_window))
                for count in results.caravan_counts.get(int(number), []):
                    top_ups.append((key, nat_index, int(count["day"]), float(count["added"])))
                break
    joined = {key: 0.0 for key, *_ in windows}
    owner = np.full(len(day), -1)
    for w, (_, nat_index, first, last) in enumerate(windows):  # a later window takes over, as in caravans.forming
        owner[(nat == nat_index) & (day >= first) & (day <= last) & ~is_emergent] = w
    for w, (key, *_) in enumerate(windows):
        joined[key] = float(value[owner == w].sum())
    loose = float(value[(owner < 0) & ~is_emergent].sum())
    topped = {key: 0.0 for key, *_ in windows}
    for key, nat_index, top_day, persons in top_ups:  # out of the window (or the loose joins) that took them
        topped[key] += persons
        taken = [w for w, (_, k, first, last) in enumerate(windows) if k == nat_index and first <= top_day <= last]
        if taken:
            joined[windows[taken[-1]][0]] -= persons
        else:
            loose -= persons
    return joined, topped, float(value[is_emergent].sum()), loose


def caravans_view(runs: Sequence[Results], scenario: Scenario) -> dict[str, Any]:
    """Caravans: each scheduled caravan with its size at departure and the people who joined while it formed,
    emergent caravans by office, persons joining, leaving and reaching the northern border in caravans per time
    bin, COMAR applications by travel mode per bin and per office, and the caravan applications of Oct-Dec 2018
    against COMAR's figure when the run covers those months. Means over replicates, 5-95 % bands."""
    first = runs[0]
    tb = time_bins(np.datetime64(first.start), first.days)
    bins, n = tb.bins, len(tb.dates)
    window = scenario.parameters.caravans.join_window_days
    scheduled: dict[tuple[int, str, str], dict[str, list[float]]] = {}
    emergent: dict[str, dict[str, Any]] = {}
    emergent_joined, unattributed = [], []
    for r in runs:
        joined, topped, in_emergent, loose = _scheduled_joiners(r, scenario, window)
        emergent_joined.append(in_emergent)
        unattributed.append(loose)
        for _, day, node, persons, name in r.caravan_rows:
            if name == "emergent":
                entry = emergent.setdefault(r.node_ids[node], {"count": 0, "persons": 0.0, "days": []})
                entry["count"] += 1
                entry["persons"] += float(persons)
                entry["days"].append(int(day))
                continue
            key = (int(day), r.node_ids[node], name)
            item = scheduled.setdefault(key, {"persons": [], "joiners": [], "topped_up": []})
            item["persons"].append(float(persons))
            item["joiners"].append(joined.get(key, 0.0))
            item["topped_up"].append(topped.get(key, 0.0))
    start = np.datetime64(first.start)
    caravans = []
    for (day, origin, label), item in sorted(scheduled.items()):
        size = np.array(item["persons"] + [0.0] * (len(runs) - len(item["persons"])))
        joiners = np.array(item["joiners"] + [0.0] * (len(runs) - len(item["joiners"])))
        topped_up = np.array(item["topped_up"] + [0.0] * (len(runs) - len(item["topped_up"])))
        total = size + joiners + topped_up
        low, high = np.quantile(total, (0.05, 0.95))
        caravans.append(
            {
                "kind": "scheduled",
                "name": label,
                "date": str(start + day),
                "node": origin,
                "persons": round(float(size.mean())),  # at departure
                "joiners": round(float(joiners.mean())),  # joined while it formed
                "topped_up": round(float(topped_up.mean())),  # joined to reach its recorded sizes
                "total": round(float(total.mean())),
                "total_low": round(float(low)),
                "total_high": round(float(high)),
            }
        )
    emergent_rows = [
        {
            "node": node,
            "caravans": round(entry["count"] / len(runs), 2),  # per replicate
            "persons": round(entry["persons"] / len(runs)),
            "first": str(start + min(entry["days"])),
            "last": str(start + max(entry["days"])),
        }
        for node, entry in sorted(emergent.items(), key=lambda kv: -kv[1]["persons"])
    ]
    flows = {}
    for flow, names in CARAVAN_FLOWS.items():
        per_run = []
        for r in runs:
            if flow == "arrived_north":
                per_run.append(_event_grid(r, names[0], bins, n, "mode")[:, CARAVAN_MODE])
            else:
                per_run.append(sum(_event_grid(r, e, bins, n, "mode").sum(axis=1) for e in names))
        flows[flow] = _band(np.stack(per_run))
    # Applicants from outside the corridor (e.g. Venezuelans in Mexico City) apply in mode alone: shown apart, as
    # "outside", so that "alone" is the corridor's people travelling alone.
    outside = all("outside_arrival" in r.event_names for r in runs) and any(
        r.event_columns["event"].size and (r.event_columns["event"] == r.event_names.index("outside_arrival")).any()
        for r in runs
    )
    modes = [*MODES, "outside"] if outside else list(MODES)

    def by_mode(r: Results, grid_bins: NDArray[np.int64], n_grid: int, node: int | None = None) -> NDArray[Any]:
        grid = _event_grid(r, "asylum_application", grid_bins, n_grid, "mode", node)
        if not outside:
            return grid
        arrivals = _event_grid(r, "outside_arrival", grid_bins, n_grid, "mode", node).sum(axis=1)
        grid[:, ALONE_MODE] -= arrivals
        return np.concatenate([grid, arrivals[:, None]], axis=1)

    by_mode_runs = np.stack([by_mode(r, bins, n) for r in runs])  # (runs, bins, modes)
    applications = {m: _band(by_mode_runs[:, :, k]) for k, m in enumerate(modes)}
    whole = np.zeros(first.days, dtype=np.int64)  # one bin: the whole period
    offices = []
    for office in first.office_ids:
        node = first.node_ids.index(office)
        per_mode = np.mean([by_mode(r, whole, 1, node)[0] for r in runs], axis=0)
        if per_mode.sum() > 0:
            offices.append({"office": office, "by_mode": _whole(per_mode)})
    reference = _reference_caravan_applications()
    if reference is not None:
        days = np.datetime64(first.start) + np.arange(first.days)
        ref_start, ref_end = np.datetime64(reference["start"], "D"), np.datetime64(reference["end"], "D")
        inside = (days >= ref_start) & (days <= ref_end)
        if int(inside.sum()) == int((ref_end - ref_start) / np.timedelta64(1, "D")) + 1:
            values = []
            for r in runs:
                ev = r.event_columns
                rows = (ev["event"] == r.event_names.index("asylum_application")) & (ev["mode"] == CARAVAN_MODE)
                values.append(float(ev["value"][rows][inside[ev["day"][rows]]].sum()) * r.scale)
            low, high = np.quantile(values, (0.05, 0.95))
            reference["simulated"] = {
                "mean": round(float(np.mean(values))),
                "low": round(float(low)),
                "high": round(float(high)),
            }
        else:
            reference = None  # the run does not cover Oct-Dec 2018: nothing to set the figure against
    return {
        **tb.labels(),
        "days_in_bin": np.bincount(bins, minlength=n).tolist(),
        "join_window_days": window,
        "caravans": caravans,
        "emergent": emergent_rows,
        "emergent_joined": round(float(np.mean(emergent_joined))),
        "unattributed_joiners": round(float(np.mean(unattributed))),
        "flows": flows,
        "modes": modes,
        "applications": applications,
        "applications_by_office": offices,
        "reference": reference,
    }


def _lever_days(scenario: Scenario, network: Network, runs: Sequence[Results], name: str) -> NDArray[np.float64]:
    """A lever's value on each day of the run, per node (the engine's own arrays)."""
    from corredor.engine.inputs import _lever_arrays

    return np.asarray(_lever_arrays(scenario, network, runs[0].nationalities, runs[0].days)[name], dtype=float)


def shelters_view(runs: Sequence[Results], scenario: Scenario, network: Network) -> dict[str, Any]:
    """Per shelter node (any node with shelter_stay or shelter_turned_away events; the busiest `TOP_NODES`):
    persons who got a bed and persons turned away per time bin, persons staying on the last day of the bin, and the
    beds then (lever shelter_capacity, default parameters.movement.default_shelter_capacity at shelter hubs)."""
    first = runs[0]
    tb = time_bins(np.datetime64(first.start), first.days)
    bins, sample, n = tb.bins, tb.last_day, len(tb.dates)
    shelter = STATES.index("shelter")
    stays = np.stack([_event_matrix(r, "shelter_stay", bins, n) for r in runs])  # (runs, bins, nodes)
    refused = np.stack([_event_matrix(r, "shelter_turned_away", bins, n) for r in runs])
    load = (stays + refused).sum(axis=(0, 1))
    chosen = [int(i) for i in np.argsort(-load, kind="stable") if load[i] > 0][:TOP_NODES]
    beds = _lever_days(scenario, network, runs, "shelter_capacity")[sample] if chosen else np.zeros((n, 0))
    nodes = []
    for i in chosen:
        occupancy = np.stack([r.daily[sample, i, shelter, :].sum(axis=1) * r.scale for r in runs]).astype(float)
        nodes.append(
            {
                "node": first.node_ids[i],
                "stays": _band(stays[:, :, i]),
                "turned_away": _band(refused[:, :, i]),
                "occupancy": _band(occupancy),
                "beds": _whole(beds[:, i]),
                "stays_total": round(float(stays[:, :, i].sum(axis=1).mean())),
                "turned_away_total": round(float(refused[:, :, i].sum(axis=1).mean())),
            }
        )
    return {
        **tb.labels(),
        "days_in_bin": np.bincount(bins, minlength=n).tolist(),
        "turned_away_total": round(float(refused.sum(axis=(1, 2)).mean())),
        "stays_total": round(float(stays.sum(axis=(1, 2)).mean())),
        "nodes": nodes,
    }


def border_view(runs: Sequence[Results], scenario: Scenario, network: Network) -> dict[str, Any]:
    """Per northern border city (node kind border_city_north) with people waiting or presenting: persons at the
    border there on the last day of each time bin (waiting on the port's metering list or deciding how to cross:
    the model keeps one state for both), persons presenting at the port per time bin (port_presentation_us, logged
    at the city; while the port meters, the people it took in from its list), the port and its daily intake
    (lever us_metering_intake_per_day; null when unlimited)."""
    first = runs[0]
    tb = time_bins(np.datetime64(first.start), first.days)
    bins, sample, n = tb.bins, tb.last_day, len(tb.dates)
    at_border = STATES.index("at_border")
    kinds = [NODE_KINDS[int(k)] for k in network.node_kind]
    port_of = {
        int(a): int(b)
        for a, b in zip(network.edge_from, network.edge_to, strict=True)
        if kinds[b] == "us_port_of_entry"
    }
    presented = np.stack([_event_matrix(r, "port_presentation_us", bins, n) for r in runs])
    waiting = np.stack([r.daily[sample][:, :, at_border, :].sum(axis=2) * r.scale for r in runs]).astype(float)
    intake = _lever_days(scenario, network, runs, "us_metering_intake_per_day")
    cities = [i for i in range(network.n_nodes) if kinds[i] == "border_city_north"]
    load = {i: float(presented[:, :, i].sum() + waiting[:, :, i].sum()) for i in cities}
    chosen = sorted((i for i in cities if load[i] > 0), key=lambda i: -load[i])[:TOP_NODES]
    nodes = []
    for i in chosen:
        port = port_of.get(i)
        limit = intake[sample, port] if port is not None else np.full(n, np.inf)
        metered_days = int(np.isfinite(intake[:, port]).sum()) if port is not None else 0
        nodes.append(
            {
                "node": network.node_ids[i],
                "port": network.node_ids[port] if port is not None else None,
                "at_border": _band(waiting[:, :, i]),
                "presented": _band(presented[:, :, i]),
                "presented_total": round(float(presented[:, :, i].sum(axis=1).mean())),
                "intake_per_day": [round(float(x)) if np.isfinite(x) else None for x in limit],
                "metered_days": metered_days,
            }
        )
    return {**tb.labels(), "days_in_bin": np.bincount(bins, minlength=n).tolist(), "nodes": nodes}


def totals(runs: Sequence[Results]) -> dict[str, dict[str, Any]]:
    """Mean (a whole number), median, 5 % and 95 % over replicates of the outcomes runs are compared on, and the
    value of each replicate (in seed order: compare pairs replicates of runs with the same seeds)."""
    out = {}
    for key, kind, name in TOTALS:
        if kind == "event":
            values = np.array([_event_by(r, name, "nat", len(r.nationalities)).sum() for r in runs])
        else:
            s = STATES.index(name)
            values = np.array([float(r.daily[-1, :, s, :].sum()) * r.scale for r in runs])
        low, mid, high = np.quantile(values, QUANTILES)
        out[key] = {
            "mean": round(float(values.mean())),
            "low": round(float(low), 1),
            "median": round(float(mid), 1),
            "high": round(float(high), 1),
            "values": [round(float(v), 1) for v in values],
        }
    return out


def upgrade_view(view: dict[str, Any], start: str, end: str) -> dict[str, Any]:
    """A view stored by an earlier version, brought to today's format (views of today are returned unchanged):

    - before event series became daily means (no ``days_in_bin``): the event series and COMAR applications of each
      bin divided by its days;
    - before points were dated by their last day (no ``starts``): the dates of the time series, the map and the
      COMAR panel were the first day of each bin, while stocks are read on its last day;
    - before figures were means over replicates (no ``aggregate``): the page draws their medians and says so;
    - before segments were ordered along the route (harms without ``order``): they were in alphabetical order of
      their codes.
    """
    view.setdefault("aggregate", "median")
    harm = view.get("harms")
    if harm and "order" not in harm:
        from corredor.network import load_default_network  # web runs use the default network

        order = segments_along_route(load_default_network())[1]
        place = {name: k for k, name in enumerate(order)}
        rank = sorted(range(len(harm["segments"])), key=lambda i: place.get(harm["segments"][i], len(order)))
        harm["segments"] = [harm["segments"][i] for i in rank]
        harm["by_segment"] = {k: [v[i] for i in rank] for k, v in harm["by_segment"].items()}
        harm["order"] = "south_to_north"
    series = view.get("timeseries", {})
    days = (np.datetime64(end) - np.datetime64(start)).astype(int) + 1
    tb = time_bins(np.datetime64(start), int(days))
    if "days_in_bin" not in series:
        days_in_bin = np.bincount(tb.bins)
        for entry in series.get("series", {}).values():
            if entry.get("kind") == "event":
                for key in ("low", "median", "high"):
                    entry[key] = _round(np.asarray(entry[key]) / days_in_bin)
                entry["unit"] = "per_day"
            else:
                entry["unit"] = "persons"
        series["days_in_bin"] = days_in_bin.tolist()
        if "comar" in view:
            view["comar"]["days_in_bin"] = days_in_bin.tolist()
    for part in (series, view.get("map"), view.get("comar")):
        if part and "dates" in part and "starts" not in part and part["dates"] == tb.starts:
            part.update(tb.labels())
    return view


def build_view(runs: Sequence[Results], scenario: Scenario, network: Network) -> dict[str, Any]:
    """Everything the dashboard draws for one run."""
    first = runs[0]
    return {
        "scenario": scenario.name,
        "start": first.start.isoformat(),
        "days": first.days,
        "scale": first.scale,
        "replicates": len(runs),
        "aggregate": AGGREGATE,
        "seeds": [r.seed for r in runs],
        "agents": [r.meta.get("agents") for r in runs],
        "timeseries": timeseries(runs),
        "map": map_view(runs, network),
        "sankey": sankey(runs),
        "comar": comar(runs, scenario),
        "harms": harms(runs, network),
        "caravans": caravans_view(runs, scenario),
        "shelters": shelters_view(runs, scenario, network),
        "border": border_view(runs, scenario, network),
        "totals": totals(runs),
    }

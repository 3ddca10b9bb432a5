"""Sub-model 10, observe: simulated events mapped onto the definitions of the official statistics.

- ``cbp_apprehensions_fy``: US Border Patrol apprehensions between ports by citizenship and US fiscal year
  (FY t = 1 Oct t-1 .. 30 Sep t); events, so a person caught twice counts twice (as in CBP tables).
- ``upm_presentados``: people presented to Mexico's migration authority (INM apprehensions), calendar year, events.
- ``upm_devueltos``: returns (deportations) by Mexico, calendar year, events.
- ``comar_applicants``: persons applying for refugee status in Mexico, calendar year: a person who applies again
  in the same year (after being sent home and setting out anew) counts once, as COMAR counts persons; by
  nationality in ``comar_applicants_by_nationality`` (with applicants from outside the corridor, e.g. VEN).
Only complete years of the simulated period are reported in these tables; ``yearly_events`` gives every event
kind by calendar year, including partial years, and ``asylum_offices`` the queue figures per COMAR office.

Everything is computed on the result columns (numpy), not on the pandas tables: sums per group use the same
compensated summation as pandas' groupby (`kernels.group_sum`), so the figures are those of the tables.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corredor.engine.kernels import group_sum
from corredor.parameters import MODES

if TYPE_CHECKING:
    from corredor.results import Results


def fiscal_year(dates: pd.Series) -> pd.Series:
    """US federal fiscal year of each date."""
    return dates.dt.year + (dates.dt.month >= 10).astype(int)


def complete_years(start: dt.date, end: dt.date) -> tuple[list[int], list[int]]:
    """Calendar years and US fiscal years wholly inside [start, end]."""
    calendar = [y for y in range(start.year, end.year + 1) if start <= dt.date(y, 1, 1) and dt.date(y, 12, 31) <= end]
    fiscal = [y for y in range(start.year, end.year + 2) if start <= dt.date(y - 1, 10, 1) and dt.date(y, 9, 30) <= end]
    return calendar, fiscal


def _years(dates: NDArray[np.datetime64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Calendar year and month (1-12) of each date."""
    months = dates.astype("datetime64[M]").astype(np.int64)
    return months // 12 + 1970, months % 12 + 1


def event_years(results: Results) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Calendar year and US fiscal year of each row of the event columns."""
    day = np.arange(results.days)
    year, month = _years(np.datetime64(results.start) + day.astype("timedelta64[D]"))
    rows = results.event_columns["day"]
    return year[rows], (year + (month >= 10))[rows]


def official_statistics(results: Results) -> dict[str, Any]:
    ev = results.event_columns
    names = results.event_names
    end = results.start + dt.timedelta(days=results.days - 1)
    calendar, fiscal = complete_years(results.start, end)
    year, fy = event_years(results)
    event, value = ev["event"].astype(np.int64), ev["value"] * results.scale
    first = results.start.year
    n_years = end.year - first + 1  # calendar years first .. end.year; fiscal years first .. end.year + 1
    by_event_year = event * n_years + (year - first)
    totals = group_sum(by_event_year, value, len(names) * n_years)
    present = np.bincount(by_event_year, minlength=len(names) * n_years) > 0
    yearly_events: dict[str, dict[str, float]] = {}
    for e in sorted(range(len(names)), key=lambda i: names[i]):
        for y in range(n_years):
            if present[e * n_years + y]:
                yearly_events.setdefault(names[e], {})[str(first + y)] = round(float(totals[e * n_years + y]), 2)

    def per_year(name: str) -> dict[str, int]:
        e = names.index(name)
        return {str(y): round(float(totals[e * n_years + y - first])) for y in calendar}

    us = np.flatnonzero(event == names.index("apprehension_us"))
    n_fiscal = n_years + 1
    by_nat_fy = ev["nat"][us].astype(np.int64) * n_fiscal + (fy[us] - first)
    us_totals = group_sum(by_nat_fy, value[us], len(results.nationalities) * n_fiscal)
    cbp = {
        nat: {str(y): round(float(us_totals[k * n_fiscal + y - first])) for y in fiscal}
        for k, nat in enumerate(results.nationalities)
    }
    return {
        "calendar_years": calendar,
        "fiscal_years": fiscal,
        "cbp_apprehensions_fy": cbp,
        "upm_presentados": per_year("apprehension_mx"),
        "upm_devueltos": per_year("deportation_mx"),
        "comar_applicants": comar_applicants(results, calendar),
        "comar_applicants_by_nationality": comar_applicants_by_nationality(results, calendar),
        "yearly_events": yearly_events,
        "asylum_offices": asylum_offices(results),
        "asylum_offices_by_year": asylum_offices_by_year(results, calendar),
        "asylum_by_mode": asylum_by_mode(results),
    }


def comar_applicants(results: Results, years: list[int]) -> dict[str, int]:
    """Distinct persons with an application in each calendar year (applications dated after the period end, if
    any, count in their own year)."""
    applied_year, _ = _years(results.case_waits["applied_date"])
    agents = results.case_columns["agent"]
    return {str(y): len(np.unique(agents[applied_year == y])) * results.scale for y in years}


def comar_applicants_by_nationality(results: Results, years: list[int]) -> dict[str, dict[str, int]]:
    """`comar_applicants` by nationality, including applicants from outside the corridor (e.g. VEN)."""
    applied_year, _ = _years(results.case_waits["applied_date"])
    agents, nat = results.case_columns["agent"], results.case_columns["nat"]
    return {
        name: {str(y): len(np.unique(agents[(applied_year == y) & (nat == k)])) * results.scale for y in years}
        for k, name in enumerate(results.nationalities)
    }


DECIDED = (1, 2)  # CaseRegister.OUTCOMES: recognised, rejected
PENDING, RECOGNISED, ABANDONED = 0, 1, 3


def asylum_offices(results: Results) -> dict[str, dict[str, float | None]]:
    """Per COMAR office: applications, decisions, abandonments, waits, share decided within the legal deadline
    (``parameters.asylum.decision_deadline_working_days``) among the files whose deadline has passed or that were
    decided (`Results.deadline_met`), pending at the end."""
    cs = results.case_columns
    met = results.deadline_met
    waits = results.case_waits
    outcome = cs["outcome"]
    decided_all = np.isin(outcome, DECIDED)
    scale = results.scale
    out: dict[str, dict[str, float | None]] = {}
    for office in results.office_ids:
        mine = cs["office"] == results.node_ids.index(office)
        decided = mine & decided_all
        waits_days = waits["wait_days"][decided]
        known = met[mine & ~np.isnan(met)]
        out[office] = {
            "applications": int(np.count_nonzero(mine)) * scale,
            "decisions": int(np.count_nonzero(decided)) * scale,
            "recognised": int(np.count_nonzero(mine & (outcome == RECOGNISED))) * scale,
            "abandoned": int(np.count_nonzero(mine & (outcome == ABANDONED))) * scale,
            "pending_at_end": int(np.count_nonzero(mine & (outcome == PENDING))) * scale,
            "mean_wait_days": round(float(waits_days.mean()), 2) if len(waits_days) else None,
            "median_wait_days": round(float(np.median(waits_days)), 2) if len(waits_days) else None,
            "p90_wait_days": round(float(np.quantile(waits_days, 0.9)), 2) if len(waits_days) else None,
            "share_decided_within_deadline": round(float(known.mean()), 4) if len(known) else None,
        }
    return out


def asylum_by_mode(results: Results) -> dict[str, dict[str, float | None]]:
    """Per travel mode at application (`asylum_cases.mode`), over all offices and the whole period: applications,
    their outcomes by the end of the run, the share decided within the legal deadline where known, and the mean
    working days the files waited (pending ones so far). Caravan members' files are the caravan row."""
    outcome = results.case_columns["outcome"]
    out: dict[str, dict[str, float | None]] = {}
    for k, mode in enumerate(MODES):
        mine = results.case_columns["mode"] == k
        figures = _files(results, mine)
        out[mode] = {
            "applications": figures["applications"],
            "decided": figures["decided"],
            "abandoned": int(np.count_nonzero(mine & (outcome == ABANDONED))) * results.scale,
            "pending_at_end": int(np.count_nonzero(mine & (outcome == PENDING))) * results.scale,
            "share_decided_within_deadline": figures["share_decided_within_deadline"],
            "mean_time_waited_working_days": figures["mean_time_waited_working_days"],
        }
    return out


def _files(results: Results, mine: NDArray[np.bool_]) -> dict[str, float | None]:
    """Figures of the files `mine` selects: applications, those decided by the end of the run, the share decided
    within the legal deadline where known, and the mean working days they waited (pending ones so far)."""
    met, waited = results.deadline_met, results.time_waited_working_days
    known = met[mine & ~np.isnan(met)]
    decided = mine & np.isin(results.case_columns["outcome"], DECIDED)
    return {
        "applications": int(np.count_nonzero(mine)) * results.scale,
        "decided": int(np.count_nonzero(decided)) * results.scale,
        "share_decided_within_deadline": round(float(known.mean()), 4) if len(known) else None,
        "mean_time_waited_working_days": round(float(waited[mine].mean()), 2) if mine.any() else None,
    }


def asylum_offices_by_year(results: Results, years: list[int]) -> dict[str, dict[str, dict[str, float | None]]]:
    """Per COMAR office and complete calendar year of the run: the files of those who applied that year
    (applications, how many were decided by the end of the run, the share decided within the legal deadline where
    known, the mean working days they waited, pending ones so far), the persons in files still open on 31 Dec, the
    files decided during the year (whenever applied) and how many years that pace would take to decide the files
    open on 31 Dec, with no new applications and no abandonment. The whole-period figures of `asylum_offices` mix
    the years; a planner reads one year here. (A year's own applicants may not be decided by the end of the run:
    their mean time waited is then only how long they have waited so far, and the years to clear say more.)"""
    cs = results.case_columns
    applied, closed, office_of = cs["applied"], cs["closed"], cs["office"]
    open_until = np.where(np.isnan(closed), np.inf, closed)
    decided_all = np.isin(cs["outcome"], DECIDED)
    scale = results.scale
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    for office in results.office_ids:
        mine = office_of == results.node_ids.index(office)
        per_year: dict[str, dict[str, float | None]] = {}
        for year in years:
            first = (dt.date(year, 1, 1) - results.start).days
            after = (dt.date(year, 12, 31) - results.start).days + 1  # the end of 31 Dec, in days from the start
            cohort = mine & (applied >= first) & (applied < after)
            pending = int(np.count_nonzero(mine & (applied < after) & (open_until >= after))) * scale
            decided_in_year = int(np.count_nonzero(mine & decided_all & (closed >= first) & (closed < after))) * scale
            per_year[str(year)] = {
                **_files(results, cohort),
                "pending_at_year_end": pending,
                "decided_in_year": decided_in_year,
                "years_to_clear_at_year_pace": round(pending / decided_in_year, 2) if decided_in_year else None,
            }
        out[office] = per_year
    return out

"""Sub-model 10, observe: simulated events mapped onto the definitions of the official statistics.

- ``cbp_apprehensions_fy``: US Border Patrol apprehensions between ports by citizenship and US fiscal year
  (FY t = 1 Oct t-1 .. 30 Sep t); events, so a person caught twice counts twice (as in CBP tables).
- ``upm_presentados``: people presented to Mexico's migration authority (INM apprehensions), calendar year, events.
- ``upm_devueltos``: returns (deportations) by Mexico, calendar year, events.
- ``comar_applicants``: persons applying for refugee status in Mexico, calendar year: a person who applies again
  in the same year (after being sent home and setting out anew) counts once, as COMAR counts persons.
Only complete years of the simulated period are reported in these tables; ``yearly_events`` gives every event
kind by calendar year, including partial years, and ``asylum_offices`` the queue figures per COMAR office.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

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


def _by_year(events: pd.DataFrame, name: str, years: list[int], key: pd.Series | None = None) -> dict[str, int]:
    rows = events[events["event"] == name]
    year = rows["date"].dt.year if key is None else key.loc[rows.index]
    totals = rows.groupby(year)["value"].sum()
    return {str(y): round(float(totals.get(y, 0.0))) for y in years}


def official_statistics(results: Results) -> dict[str, Any]:
    events = results.tables["events"]
    end = results.start + dt.timedelta(days=results.days - 1)
    calendar, fiscal = complete_years(results.start, end)
    fy = fiscal_year(events["date"])
    us = events[events["event"] == "apprehension_us"]
    cbp: dict[str, dict[str, int]] = {}
    for nat in results.nationalities:
        mine = us[us["nationality"] == nat]
        totals = mine.groupby(fy.loc[mine.index])["value"].sum()
        cbp[nat] = {str(y): round(float(totals.get(y, 0.0))) for y in fiscal}
    yearly = events.groupby([events["event"].astype(str), events["date"].dt.year])["value"].sum().reset_index()
    yearly_events: dict[str, dict[str, float]] = {}
    for name, year, value in yearly.itertuples(index=False, name=None):
        yearly_events.setdefault(str(name), {})[str(year)] = round(float(value), 2)
    return {
        "calendar_years": calendar,
        "fiscal_years": fiscal,
        "cbp_apprehensions_fy": cbp,
        "upm_presentados": _by_year(events, "apprehension_mx", calendar),
        "upm_devueltos": _by_year(events, "deportation_mx", calendar),
        "comar_applicants": comar_applicants(results, calendar),
        "yearly_events": yearly_events,
        "asylum_offices": asylum_offices(results),
    }


def comar_applicants(results: Results, years: list[int]) -> dict[str, int]:
    """Distinct persons with an application in each calendar year."""
    cases = results.tables["asylum_cases"]
    per_year = cases.groupby(cases["applied_date"].dt.year)["agent"].nunique()
    return {str(y): int(per_year.get(y, 0)) * results.scale for y in years}


def asylum_offices(results: Results) -> dict[str, dict[str, float | None]]:
    """Per COMAR office: applications, decisions, abandonments, waits, share decided within the legal deadline
    (``parameters.asylum.decision_deadline_working_days``), pending at the end."""
    deadline_working_days = results.meta.get("decision_deadline_working_days", 45)
    cases = results.tables["asylum_cases"]
    out: dict[str, dict[str, float | None]] = {}
    for office in results.office_ids:
        mine = cases[cases["office"] == office]
        decided = mine[mine["outcome"].isin(["recognised", "rejected"])]
        waits = decided["wait_days"].to_numpy()
        working = decided["wait_working_days"].to_numpy()
        out[office] = {
            "applications": int(mine["persons"].sum()),
            "decisions": int(decided["persons"].sum()),
            "recognised": int(mine.loc[mine["outcome"] == "recognised", "persons"].sum()),
            "abandoned": int(mine.loc[mine["outcome"] == "abandoned", "persons"].sum()),
            "pending_at_end": int(mine.loc[mine["outcome"] == "pending", "persons"].sum()),
            "mean_wait_days": round(float(waits.mean()), 2) if len(waits) else None,
            "median_wait_days": round(float(np.median(waits)), 2) if len(waits) else None,
            "p90_wait_days": round(float(np.quantile(waits, 0.9)), 2) if len(waits) else None,
            "share_decided_within_deadline": (
                round(float((working <= deadline_working_days).mean()), 4) if len(working) else None
            ),
        }
    return out

"""The observed series and the inputs shipped with corredor, as tidy pandas tables with their sources.

Datasets (package data, copied unchanged from the project's reference data; see ``data/README.md``):

- observed outcomes, up to and including 2018 only (later years are held out for validation): ``cbp`` (US Border
  Patrol apprehensions, US fiscal years), ``upm`` (Mexico's presentations and returns), ``comar`` (Mexican asylum
  applicants and decisions), ``recalled_unverified`` (values recalled, not found in a source: rough priors only);
- inputs, all years: ``drivers`` (homicide, remittances, droughts, coffee rust, storms), ``caravans`` and
  ``policy_events``.

Every row keeps its ``source`` and ``confidence`` columns. The loaders read whatever rows the files hold, so newer rows
appended with the same columns (for example the held-out years) need no code change. Every function takes an optional
``folder``: a data folder laid out like the package's (``observed/cbp.csv``, ``inputs/drivers.csv``, ...), or one
holding the CSV files directly; by default the shipped files are read.

Example::

    from corredor import data

    data.list_datasets()                                                # one row per dataset
    data.load("cbp")                                                    # one row per observation
    data.observed_series("usbp_swb_encounters_fy", nationality="GTM")   # values indexed by fiscal year
    data.calibration_targets()                                          # calibration series, years <= 2018
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import pandas as pd

__all__ = [
    "CALIBRATION_SERIES",
    "CUTOFF_YEAR",
    "DATASETS",
    "Dataset",
    "calibration_targets",
    "list_datasets",
    "load",
    "observed_series",
]

CUTOFF_YEAR = 2018  # last year of observed outcomes shipped with the package; later years are held out


@dataclass(frozen=True)
class Dataset:
    """One shipped CSV file."""

    name: str
    kind: Literal["observed", "input"]
    file: str  # relative to the data folder
    description: str


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "cbp",
            "observed",
            "observed/cbp.csv",
            "US Border Patrol Southwest-border apprehensions by citizenship and demographic, US fiscal years (events)",
        ),
        Dataset(
            "upm",
            "observed",
            "observed/upm.csv",
            "Mexico, UPM/INM: migrants presented (presentados) and returned (devueltos), events; returns counted by "
            "Guatemala and IOM",
        ),
        Dataset(
            "comar",
            "observed",
            "observed/comar.csv",
            "Mexico, COMAR: asylum applicants (persons), decisions, recognition, backlog",
        ),
        Dataset(
            "recalled_unverified",
            "observed",
            "observed/recalled_unverified.csv",
            "Outcome values recalled, not found in a source (UPM 2010-2018, Border Patrol children and families): "
            "rough priors only",
        ),
        Dataset(
            "drivers",
            "input",
            "inputs/drivers.csv",
            "Homicide rates and counts, remittances, droughts, coffee rust, storms (GTM, HND, SLV, MEX); "
            "confidence 'recalled' rows kept",
        ),
        Dataset(
            "caravans",
            "input",
            "inputs/caravans.csv",
            "Migrant caravans: departures, sizes, dates, routes (role input, all years; role outcome, 2018 only)",
        ),
        Dataset(
            "policy_events",
            "input",
            "inputs/policy_events.csv",
            "Dated policy, enforcement and capacity changes in Mexico, the US and Guatemala (one row per lever change)",
        ),
    )
}

# The sourced outcome files; `recalled_unverified` only on request.
_OBSERVED = ("cbp", "upm", "comar")
_SERIES_COLUMNS = ("series", "country", "nationality", "year", "month", "value", "unit", "source", "confidence")
_REQUIRED: dict[str, tuple[str, ...]] = {
    **{name: _SERIES_COLUMNS for name in (*_OBSERVED, "recalled_unverified", "drivers")},
    "caravans": (*_SERIES_COLUMNS, "caravan_id", "date", "role"),
    "policy_events": ("date", "end_date", "actor", "lever", "description", "magnitude", "unit", "source"),
}
_INTEGERS = ("year", "month")
_FLOATS = ("value", "magnitude")
_DATES = ("date", "end_date")
_KEY = ["country", "nationality", "year", "month"]

# The "What to calibrate on" table of data/README.md: (dataset, series, nationalities); annual rows only.
CALIBRATION_SERIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("cbp", "usbp_swb_encounters_fy", ("GTM", "HND", "SLV")),
    ("comar", "comar_applicants", ("ALL",)),
    ("upm", "upm_presentados_events", ("ALL",)),
)

DataFolder = str | Path | None


def _dataset(name: str) -> Dataset:
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}")
    return DATASETS[name]


def _locate(dataset: Dataset, folder: DataFolder) -> Traversable:
    if folder is None:
        return resources.files("corredor.data").joinpath(dataset.file)
    root = Path(folder)
    for candidate in (root / dataset.file, root / Path(dataset.file).name):
        if candidate.is_file():
            return candidate
    flat = root / Path(dataset.file).name
    raise FileNotFoundError(f"{dataset.name}: neither {root / dataset.file} nor {flat} exists")


def _parse(frame: pd.DataFrame, column: str, where: str) -> pd.Series:
    """One column of text to Int64, float64 or datetime; blank cells become missing, anything else unreadable fails."""
    text = frame[column].str.strip()
    present = text != ""
    if column in _DATES:
        parsed: pd.Series = pd.to_datetime(text.where(present), format="ISO8601", errors="coerce")
    else:
        parsed = pd.to_numeric(text.where(present), errors="coerce").astype("float64")
    bad = present & parsed.isna()
    if bad.any():
        lines = ", ".join(f"line {i + 2} {text[i]!r}" for i in frame.index[bad][:5])
        raise ValueError(f"{where}: column {column!r} is not a {'date' if column in _DATES else 'number'}: {lines}")
    if column in _INTEGERS:
        fractional = parsed.notna() & (parsed % 1 != 0)
        if fractional.any():
            line = frame.index[fractional][0] + 2
            raise ValueError(f"{where}: column {column!r} is not a whole number on line {line}")
        return parsed.astype("Int64")
    return parsed


def load(name: str, folder: DataFolder = None) -> pd.DataFrame:
    """One dataset as a tidy table: one row per observation (or per caravan estimate, per policy change).

    Columns are those of the CSV file, in its order: ``year`` and ``month`` as nullable ``Int64`` (``month`` is
    missing for annual values), ``value`` and ``magnitude`` as float, ``date`` and ``end_date`` as datetimes; text
    columns (``source``, ``confidence``, ``notes`` ...) as strings, blank cells as ``""``. Rows keep the file's order.
    An unknown ``name`` raises ValueError listing the allowed names.
    """
    dataset = _dataset(name)
    path = _locate(dataset, folder)
    where = f"{name} ({path})"
    with path.open("rb") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in _REQUIRED[name] if c not in frame.columns]
    if missing:
        raise ValueError(f"{where}: missing column(s) {', '.join(missing)}")
    for column in (*_INTEGERS, *_FLOATS, *_DATES):
        if column in frame.columns:
            frame[column] = _parse(frame, column, where)
    if "year" in frame.columns and frame["year"].isna().any():
        raise ValueError(f"{where}: blank year on line {frame.index[frame['year'].isna()][0] + 2}")
    return frame


def list_datasets(folder: DataFolder = None) -> pd.DataFrame:
    """The datasets: name, kind (observed / input), file, rows, series (levers for policy_events), first and last
    year covered, and a description."""
    rows = []
    for name, dataset in DATASETS.items():
        frame = load(name, folder)
        years = frame["year"] if "year" in frame.columns else frame["date"].dt.year
        rows.append(
            {
                "name": name,
                "kind": dataset.kind,
                "file": dataset.file,
                "rows": len(frame),
                "series": frame["series" if "series" in frame.columns else "lever"].nunique(),
                "first_year": years.min(),
                "last_year": years.max(),
                "description": dataset.description,
            }
        )
    table = pd.DataFrame(rows)
    table[["first_year", "last_year"]] = table[["first_year", "last_year"]].astype("Int64")
    return table


def observed_series(
    series: str,
    nationality: str | None = None,
    country: str | None = None,
    *,
    include_recalled: bool = False,
    folder: DataFolder = None,
) -> pd.Series:
    """One observed series (from cbp, upm or comar) as values indexed by ``year`` for annual series, or by
    (``year``, ``month``) otherwise; ``year`` is the US fiscal year for ``_fy`` / ``_fytd`` series.

    ``nationality`` and ``country`` select among the series' breakdowns; a ValueError names the choices when the
    selection is ambiguous or empty. With ``include_recalled`` the values of ``recalled_unverified`` fill the periods
    that no sourced row covers. The Series is named after ``series``; ``attrs`` holds ``unit``, ``country`` and
    ``nationality``.
    """
    sourced = pd.concat([load(name, folder) for name in _OBSERVED], ignore_index=True)
    recalled = load("recalled_unverified", folder)
    rows = sourced[sourced["series"] == series]
    extra = recalled[recalled["series"] == series]
    if rows.empty and extra.empty:
        known = sorted(set(sourced["series"]) | set(recalled["series"]))
        hint = " (an input series: use load('drivers'))" if series in set(load("drivers", folder)["series"]) else ""
        raise ValueError(f"unknown observed series {series!r}{hint}; observed series: {', '.join(known)}")
    if include_recalled:
        covered = pd.MultiIndex.from_frame(rows[_KEY])
        rows = pd.concat([rows, extra[~pd.MultiIndex.from_frame(extra[_KEY]).isin(covered)]], ignore_index=True)
    elif rows.empty:
        raise ValueError(f"{series}: only recalled, unverified values; pass include_recalled=True to use them")
    for column, wanted in (("nationality", nationality), ("country", country)):
        if wanted is not None:
            choices = sorted(set(rows[column]))
            rows = rows[rows[column] == wanted]
            if rows.empty:
                raise ValueError(f"{series}: no rows with {column} {wanted!r}; {column}: {', '.join(choices)}")
    groups = sorted(set(zip(rows["country"], rows["nationality"], strict=True)))
    if len(groups) > 1:
        listed = ", ".join(f"{c}/{n}" for c, n in groups)
        raise ValueError(f"{series} has several breakdowns (country/nationality {listed}): pass nationality=, country=")
    if rows["month"].isna().all():
        index: pd.Index = pd.Index(rows["year"].astype("int64"), name="year")
    else:
        index = pd.MultiIndex.from_frame(rows[["year", "month"]])
    if index.has_duplicates:
        raise ValueError(f"{series}: several rows for the same period: {sorted(set(index[index.duplicated()]))}")
    out = pd.Series(rows["value"].to_numpy(dtype="float64"), index=index, name=series).sort_index()
    out.attrs = {"unit": "; ".join(dict.fromkeys(rows["unit"])), "country": groups[0][0], "nationality": groups[0][1]}
    return out


def calibration_targets(up_to_year: int = CUTOFF_YEAR, folder: DataFolder = None) -> pd.DataFrame:
    """The calibration series of data/README.md ("What to calibrate on") with ``year <= up_to_year``, in long form:
    series, nationality, year, value, unit, source.

    CBP ``usbp_swb_encounters_fy`` for GTM, HND and SLV (US fiscal years, events), COMAR ``comar_applicants`` (all
    nationalities, calendar years, persons) and UPM ``upm_presentados_events`` (all nationalities, calendar years,
    events; sourced years only). Rows appended to the files appear without code changes.
    """
    parts = []
    for name, series, nationalities in CALIBRATION_SERIES:
        frame = load(name, folder)
        keep = (
            (frame["series"] == series)
            & frame["nationality"].isin(nationalities)
            & frame["month"].isna()
            & (frame["year"] <= up_to_year)
        )
        rows = frame.loc[keep, ["series", "nationality", "year", "value", "unit", "source"]]
        parts.append(rows.sort_values(["nationality", "year"], kind="stable"))
    return pd.concat(parts, ignore_index=True)

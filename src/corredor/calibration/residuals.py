"""What the calibrated history leaves unexplained: the Northern Triangle's CBP apprehensions (GTM + HND + SLV,
observed minus simulated, by US fiscal year) next to the Border Patrol's observed apprehensions of unaccompanied
children and of family-unit members (all nationalities, ``usbp_swb_encounters_uc_fy`` and ``_fmua_fy``).

The model has one kind of traveller; these two groups surged and fell with US policy towards children and families,
which no shipped input describes. Where the residual follows them, that is what the model misses. Rows appended to
the observed data for later years enter the table without code changes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from corredor import data
from corredor.calibration import loss as L
from corredor.data import DataFolder

NTCA = ("GTM", "HND", "SLV")
CHILDREN = "usbp_swb_encounters_uc_fy"
FAMILIES = "usbp_swb_encounters_fmua_fy"


def _annual(series: str, folder: DataFolder) -> pd.Series:
    """A sourced all-nationality annual series (cbp.csv) by fiscal year; empty when the data hold no such rows.
    Other problems of the rows (e.g. two values for one year) raise, naming the series."""
    if series not in set(data.load("cbp", folder)["series"]):
        return pd.Series(dtype=float)
    return data.observed_series(series, nationality="ALL", folder=folder)


def table(observed: pd.DataFrame, simulated: pd.DataFrame, folder: DataFolder = None) -> pd.DataFrame:
    """One row per fiscal year with observed and simulated CBP apprehensions of all three nationalities:
    observed and simulated (replicate mean) totals, residual (observed - simulated), and the observed apprehensions
    of unaccompanied children, of family-unit members and of both (NaN where a year has no row).

    ``observed`` has the columns of `loss.observed`; ``simulated`` has one column per statistic key."""
    cbp = observed[(observed["series"] == L.CBP) & observed["nationality"].isin(NTCA)]
    complete = cbp.pivot_table(index="year", columns="nationality", values="value", aggfunc="first")
    complete = complete.reindex(columns=list(NTCA)).dropna()
    rows = []
    for year, obs in zip(complete.index.astype(int), complete.sum(axis=1).to_numpy(dtype=float), strict=True):
        keys = [L.key(L.CBP, n, year) for n in NTCA]
        if any(k not in simulated.columns for k in keys):
            continue
        sim = float(simulated[keys].mean().sum())
        rows.append({"fiscal_year": year, "observed": obs, "simulated": sim, "residual": obs - sim})
    frame = pd.DataFrame(rows, columns=["fiscal_year", "observed", "simulated", "residual"])
    children, families = _annual(CHILDREN, folder), _annual(FAMILIES, folder)
    frame["unaccompanied_children"] = frame["fiscal_year"].map(children).astype(float)
    frame["family_members"] = frame["fiscal_year"].map(families).astype(float)
    frame["children_and_families"] = frame["unaccompanied_children"] + frame["family_members"]
    return frame


def correlation(frame: pd.DataFrame, column: str = "children_and_families") -> tuple[float, int]:
    """Pearson correlation of the residual with ``column`` over the years that have both (NaN with fewer than
    three such years or a constant column), and the number of those years."""
    both = frame.dropna(subset=["residual", column])
    if len(both) < 3 or both["residual"].nunique() < 2 or both[column].nunique() < 2:  # no correlation defined
        return float("nan"), len(both)
    return float(np.corrcoef(both["residual"], both[column])[0, 1]), len(both)


def figure(frame: pd.DataFrame, path: Path) -> Path:
    """Bars of the residual by fiscal year, with the observed children and family apprehensions as points (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar(frame["fiscal_year"], frame["residual"], color="grey", label="observed - simulated (GTM + HND + SLV)")
    ax.plot(frame["fiscal_year"], frame["children_and_families"], "o", color="black", label="children + families")
    ax.plot(frame["fiscal_year"], frame["family_members"], "s", color="tab:blue", label="family-unit members")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_title("Apprehensions the model misses, next to children and families", fontsize=11)
    ax.set_xlabel("US fiscal year")
    ax.set_ylabel("apprehensions (families, children: all nationalities)", fontsize=9)
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path

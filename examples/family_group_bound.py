"""How much could a separate traveller group of children and families improve the fit? An optimistic bound, without
changing the engine (docs/calibration.md, "Tried and not merged").

Runs the calibrated history (scale 100, seeds 1-3), takes simulated Border Patrol apprehensions A and departures D
per nationality and US fiscal year, and fits, per nationality n, a level s_n and a family share f_n, and one
deterrence d of families while family detention was policy (27 Jun 2014 - 23 Oct 2015, the fiscal year's share of
days w_y):

    apprehensions(n, y) = s_n * ((1 - f_n) * A(n, y) + f_n * D(n, y) * (1 - d * w_y))

Families are counted once per person who sets out (they turn themselves in and are released), adults as the model
counts them. The bound is optimistic: families leave the rest of the model (Mexico, COMAR) untouched, and the fit
sees FY2013-18 directly. Run: `.venv/bin/python examples/family_group_bound.py` (about a minute).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from corredor import data
from corredor.scenario import load_scenario
from corredor.simulate import simulate

NATIONALITIES = ["GTM", "HND", "SLV"]
YEARS = range(2013, 2019)


def simulated(seeds: tuple[int, ...] = (1, 2, 3)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean apprehensions by the Border Patrol and departures, by fiscal year (rows) and nationality (columns)."""
    scenario = load_scenario("scenarios/history.toml").model_copy(update={"scale": 100})
    totals: dict[str, list[pd.DataFrame]] = {"apprehension_us": [], "departure": []}
    for seed in seeds:
        events = simulate(scenario, seed=seed).tables["events"].copy()
        events["fy"] = events["date"].dt.year + (events["date"].dt.month >= 10)
        for name, frames in totals.items():
            mine = events[events["event"] == name]
            frames.append(mine.groupby(["fy", "nationality"])["value"].sum().unstack())
    apprehended, departed = (sum(frames) / len(seeds) for frames in totals.values())
    return apprehended.loc[YEARS, NATIONALITIES], departed.loc[YEARS, NATIONALITIES]


def main() -> None:
    observed = pd.DataFrame(
        {n: data.observed_series("usbp_swb_encounters_fy", country="USA", nationality=n) for n in NATIONALITIES}
    ).loc[YEARS]
    apprehended, departed = simulated()
    days = pd.date_range("2012-10-01", "2018-09-30")
    fiscal_year = days.year + (days.month >= 10)
    window = pd.Series((days >= "2014-06-27") & (days <= "2015-10-23"), index=fiscal_year).groupby(level=0).mean()
    w = window.loc[YEARS].to_numpy()[:, None]

    def predicted(x: np.ndarray) -> np.ndarray:
        share, level, deterrence = x[0:3], x[3:6], x[6]
        return level * ((1 - share) * apprehended.to_numpy() + share * departed.to_numpy() * (1 - deterrence * w))

    def mape(values: np.ndarray) -> dict[str, float]:
        errors = np.abs(values / observed.to_numpy() - 1).mean(axis=0) * 100
        return {n: float(e) for n, e in zip(NATIONALITIES, errors.round(1), strict=True)}

    level_only = least_squares(lambda s: np.log(apprehended.to_numpy() * s / observed.to_numpy()).ravel(), [1, 1, 1])
    bound = least_squares(
        lambda x: np.log(predicted(x) / observed.to_numpy()).ravel(),
        x0=[0.3] * 3 + [1.0] * 3 + [0.5],
        bounds=([0] * 3 + [0.3] * 3 + [0], [1] * 3 + [3] * 3 + [1]),
    )
    print("MAPE % of the model as it is:           ", mape(apprehended.to_numpy()))
    print("MAPE % with a level per nationality:    ", mape(apprehended.to_numpy() * level_only.x))
    print("MAPE % with families (optimistic bound):", mape(predicted(bound.x)))
    shares = {n: float(f) for n, f in zip(NATIONALITIES, bound.x[0:3].round(2), strict=True)}
    print("family shares", shares, "deterrence of families during family detention", float(bound.x[6].round(2)))


if __name__ == "__main__":
    main()

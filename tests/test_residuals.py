"""The table of what the calibrated history leaves unexplained (`corredor.calibration.residuals`): built from the
observed data as shipped or with appended rows, and its correlation."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corredor.calibration import loss as L
from corredor.calibration import residuals

ROOT = Path(__file__).resolve().parents[1]


def _simulated(years: range, value: float) -> pd.DataFrame:
    """Two replicates per statistic, `value` and `value + 2` (mean `value + 1`)."""
    keys = [L.key(L.CBP, n, y) for n in residuals.NTCA for y in years]
    return pd.DataFrame({k: [value, value + 2] for k in keys})


def test_residual_is_observed_minus_simulated_with_the_children_and_families_of_each_year():
    observed = L.observed()
    table = residuals.table(observed, _simulated(range(2013, 2019), 999.0))
    assert list(table["fiscal_year"]) == list(range(2013, 2019))  # every year with all three nationalities simulated
    fy2014 = table.set_index("fiscal_year").loc[2014]
    assert fy2014["observed"] == 80473 + 90968 + 66419  # CBP GTM + HND + SLV, FY2014 (cbp.csv)
    assert fy2014["simulated"] == 3 * 1000.0
    assert fy2014["residual"] == fy2014["observed"] - 3000.0
    assert (fy2014["unaccompanied_children"], fy2014["family_members"]) == (68541, 68445)
    assert fy2014["children_and_families"] == 68541 + 68445
    fy2017 = table.set_index("fiscal_year").loc[2017]
    assert np.isnan(fy2017["unaccompanied_children"]) and np.isnan(fy2017["children_and_families"])  # no row


def test_appended_rows_enter_the_table(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "src" / "corredor" / "data" / "observed", data / "observed")
    shutil.copytree(ROOT / "src" / "corredor" / "data" / "inputs", data / "inputs")
    with (data / "observed" / "cbp.csv").open("a") as f:  # FY2019 rows, appended as a user would
        for nat, value in (("GTM", 264168), ("HND", 253795), ("SLV", 89811)):
            f.write(f"usbp_swb_encounters_fy,USA,{nat},2019,,{value},events,source: test row,high,\n")
        f.write("usbp_swb_encounters_uc_fy,USA,ALL,2019,,76020,events,source: test row,high,\n")
    table = residuals.table(L.observed(data), _simulated(range(2013, 2020), 0.0), data).set_index("fiscal_year")
    assert table.loc[2019, "residual"] == 264168 + 253795 + 89811 - 3.0
    assert table.loc[2019, "unaccompanied_children"] == 76020
    # a year the run does not cover is left out rather than scored against zero
    assert 2019 not in residuals.table(L.observed(data), _simulated(range(2013, 2019), 0.0), data)["fiscal_year"]


def test_correlation_needs_three_years_with_both():
    frame = pd.DataFrame(
        {"residual": [1.0, 2.0, 3.0, 5.0], "children_and_families": [10.0, 20.0, 30.0, np.nan]},
    )
    r, n = residuals.correlation(frame)
    assert (r, n) == (pytest.approx(1.0), 3)
    r, n = residuals.correlation(frame.iloc[1:])
    assert np.isnan(r) and n == 2


def test_a_duplicated_year_is_an_error_not_a_blank_column(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "src" / "corredor" / "data" / "observed", data / "observed")
    shutil.copytree(ROOT / "src" / "corredor" / "data" / "inputs", data / "inputs")
    with (data / "observed" / "cbp.csv").open("a") as f:  # a second FY2018 family row, e.g. a correction
        f.write("usbp_swb_encounters_fmua_fy,USA,ALL,2018,,107000,events,source: test row,high,\n")
    with pytest.raises(ValueError, match="usbp_swb_encounters_fmua_fy: several rows for the same period"):
        residuals.table(L.observed(data), _simulated(range(2013, 2019), 0.0), data)


def test_no_correlation_with_a_constant_column():
    frame = pd.DataFrame({"residual": [1.0, 2.0, 3.0], "children_and_families": [5.0, 5.0, 5.0]})
    r, n = residuals.correlation(frame)
    assert np.isnan(r) and n == 3

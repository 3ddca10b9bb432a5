"""corredor compare: the paired difference and its interval, verdicts by outcome kind, and the command end to end
(rich table, offline HTML report, CSV, resumed runs)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from corredor.experiments import Catalog
from corredor.experiments.cli import compact_number, share_text
from corredor.experiments.compare import paired_difference, verdict
from tests.cli_utils import ROOT, cli_env, corredor

DATA = ROOT / "tests" / "data" / "experiments"


def test_few_pairs_get_at_least_the_t_interval() -> None:
    """The four differences an analyst saw (-4.3, -9.9, -16.7, +2.6): the percentile bootstrap alone gave about
    [-11.9, -0.9], a 'better' verdict; Student's t interval includes 0, and so does the interval reported."""
    _, low, high, pairs = paired_difference(np.zeros(4), np.array([-4.3, -9.9, -16.7, 2.6]))
    assert pairs == 4 and low < -16 and high > 0
    assert verdict("minimize", low, high) == "no clear difference"


def test_paired_interval_is_narrower_than_unpaired_noise() -> None:
    rng = np.random.default_rng(0)
    shared = rng.normal(1000, 100, size=40)  # noise common to both scenarios (same seeds)
    a = shared + rng.normal(0, 5, size=40)
    b = shared - 20 + rng.normal(0, 5, size=40)
    mean, low, high, pairs = paired_difference(a, b)
    assert pairs == 40
    assert low < mean < high < 0  # a true difference of -20 is found although the spread of each is ~100
    assert low < -20 < high
    assert high - low < 10
    assert paired_difference(a, b) == paired_difference(a, b)  # seeded bootstrap
    nan_a = a.copy()
    nan_a[:5] = np.nan
    assert paired_difference(nan_a, b)[3] == 35
    assert np.isnan(paired_difference([1.0], [2.0])[1])


def test_verdicts_follow_the_kind() -> None:
    assert verdict("minimize", -3, -1) == "better"
    assert verdict("minimize", 1, 3) == "worse"
    assert verdict("maximize", 1, 3) == "better"
    assert verdict("info", 1, 3) == "higher"
    assert verdict("minimize", -1, 1) == "no clear difference"


def test_compact_numbers_keep_their_size() -> None:
    cases = {
        0.1234: "0.123",
        999.4: "999",
        1950.0: "1,950",
        9999.0: "9,999",
        10100.0: "10.1 k",
        94000.0: "94 k",
        -94000.0: "-94 k",
        999_999.0: "1 M",
        2.5e6: "2.5 M",
        1.2e9: "1.2 bn",
        float("nan"): "–",
    }
    for value, text in cases.items():
        assert compact_number(value) == text, value


def test_compare_command(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = ("compare", DATA / "tiny.toml", DATA / "tiny-staffed.toml", "-n", "6", "--seed", "2", "--out", out)
    result = corredor(*args, "--executor", "serial")
    assert result.returncode == 0, result.output
    assert "tiny-staffed vs tiny: 6 paired replicates (seed 2), 1 agent = " in result.stdout  # what was compared
    assert "intervals are rough below about 10" in result.stdout
    assert "overstated above" not in result.stdout  # 1 agent = 20 persons: fine enough for COMAR waits
    assert "Deaths" in result.stdout and "COMAR backlog at end" in result.stdout
    table = pd.read_csv(out / "differences.csv")
    assert set(table["scenario"]) == {"tiny-staffed"}
    by_outcome = table.set_index("outcome")
    backlog, wait = by_outcome.loc["asylum_backlog_end"], by_outcome.loc["asylum_wait_working_days"]
    # 20 caseworkers at Tapachula instead of 1: a smaller backlog and shorter waits, and the intervals say so
    assert backlog["difference"] < 0 and backlog["high"] < 0 and backlog["verdict"] == "better"
    assert wait["high"] < 0 and wait["verdict"] == "better"
    assert by_outcome.loc["asylum_decisions", "verdict"] == "higher"  # more caseworkers decide more files
    assert (table["low"] <= table["difference"]).all() and (table["difference"] <= table["high"]).all()
    for row in table.itertuples():  # the printed table shows the means of differences.csv (shares in %)
        ref, mean = (
            (share_text(row.reference_mean), share_text(row.mean))
            if row.unit == "share"
            else (compact_number(row.reference_mean), compact_number(row.mean))
        )
        assert re.search(rf"{re.escape(ref)}\s+│\s+{re.escape(mean)}", result.stdout), row
    within = by_outcome.loc["asylum_within_deadline"]  # a share's difference is printed in percentage points
    assert share_text(within["difference"], signed=True) in result.stdout
    html = (out / "report.html").read_text()
    assert "Plotly.newPlot" in html and html.count("<h2>") >= 5
    # plotly.js is inlined: no script, stylesheet or font comes from elsewhere
    assert not re.search(r"<(script|link)[^>]*(src|href)=", html)
    # same command again: everything comes from the catalog, same table
    again = corredor(*args, "--executor", "process", "--workers", "1")
    assert again.returncode == 0, again.output
    pd.testing.assert_frame_equal(table, pd.read_csv(out / "differences.csv"))


def test_shares_print_as_percentages_and_points() -> None:
    assert share_text(0.275) == "27.5 %" and share_text(0.275, signed=True) == "+27.5 pp"
    assert share_text(-0.0001, signed=True) == "0.0 pp"  # no "-0.0 pp"
    assert share_text(float("nan")) == "–" and share_text(float("nan"), signed=True) == "–"  # no "nan %"


def test_ctrl_c_stops_cleanly_and_keeps_completed_runs(tmp_path: Path) -> None:
    out = tmp_path / "interrupted"
    args = ["compare", DATA / "tiny.toml", DATA / "tiny-staffed.toml", "-n", "30", "--chunk-size", "1", "--out", out]
    proc = subprocess.Popen(
        [sys.executable, "-m", "corredor.cli", *map(str, args), "--workers", "2"],
        cwd=ROOT,
        env=cli_env(),
        start_new_session=True,  # its own process group, as a terminal's foreground job
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    done = 0
    deadline = time.monotonic() + 90
    while done < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.3)
        if (out / "catalog.sqlite").exists():
            done = len(Catalog(out).runs())
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group, workers included
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    kept = Catalog(out).runs()
    assert done <= len(kept) < 60
    assert all((out / f).exists() for f in kept["chunk_file"])


def test_an_unknown_executor_is_refused_with_the_choices(tmp_path: Path) -> None:
    result = corredor("compare", DATA / "tiny.toml", "--executor", "threads", "--out", tmp_path / "x")
    assert result.returncode == 2 and "Traceback" not in result.output
    assert "--executor" in result.output and "serial" in result.output and "dask" in result.output


def _compare_with_tiny(tmp_path: Path, name: str, additions: str) -> tuple[pd.DataFrame, str]:
    """`corredor compare` of tiny.toml against a scenario extending it with `additions` (TOML): the differences by
    outcome, and the printed output on one line."""
    other = tmp_path / f"{name}.toml"
    other.write_text(f'extends = "{DATA / "tiny.toml"}"\nname = "{name}"\n\n{additions}', encoding="utf-8")
    out = tmp_path / "cmp"
    result = corredor("compare", DATA / "tiny.toml", other, "-n", "6", "--out", out, "--executor", "serial")
    assert result.returncode == 0, result.output
    return pd.read_csv(out / "differences.csv").set_index("outcome"), " ".join(result.stdout.split())


def test_a_smaller_backlog_from_fewer_applicants_is_flagged(tmp_path: Path) -> None:
    """Fewer people applying makes the backlog 'better' though COMAR decides no more files (its few caseworkers
    are busy either way); the command says so."""
    by_outcome, note = _compare_with_tiny(
        tmp_path,
        "tiny-fewer",
        '[[policy]]\ndate = 2016-01-01\nlever = "asylum_propensity_multiplier"\ntarget = "HND"\nvalue = 3\n',
    )
    assert by_outcome.loc["asylum_backlog_end", "verdict"] == "better"
    assert by_outcome.loc["asylum_applications", "verdict"] == "lower"
    share = by_outcome.loc["asylum_pending_share"]
    assert 0 < share["reference_mean"] <= 1 and share["unit"] == "share"
    assert by_outcome.loc["asylum_decisions", "verdict"] == "no clear difference"
    assert "tiny-fewer: the COMAR backlog is smaller, but" in note and "% fewer people applied" in note
    assert "COMAR decided about as many files (asylum_decisions)" in note


def test_a_shorter_time_waited_from_young_files_is_flagged(tmp_path: Path) -> None:
    """Many applicants at the end of the period shorten the mean time waited (their files are young when the run
    ends) though nobody is decided faster; the command says so, and gives the applications per office."""
    by_outcome, note = _compare_with_tiny(
        tmp_path,
        "tiny-late",
        '[[outside_applicants]]\nnationality = "VEN"\noffice = "mexico_city"\nstart = 2016-03-20\n'
        "end = 2016-03-31\npersons = 4000\n",
    )
    assert by_outcome.loc["asylum_time_waited_working_days", "verdict"] == "better"
    assert by_outcome.loc["asylum_applications", "verdict"] == "higher"
    assert "tiny-late: COMAR's mean time waited is shorter, but" in note and "% more people applied" in note
    assert "Read the backlog (asylum_backlog_end)" in note

"""Policy search: the Pareto filter, lever costs above the scenario's own values, the budget, and
`corredor optimize` end to end (every candidate within budget, the frontier non-dominated, the best feasible)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from corredor.experiments.optimize import baseline_values, cost_musd, pareto_mask, unit_costs
from corredor.experiments.spec import load_experiment
from tests.cli_utils import ROOT, corredor

DATA = ROOT / "tests" / "data" / "experiments"


def test_pareto_mask() -> None:
    scores = np.array([[1, 5], [2, 2], [5, 1], [3, 3], [2, 2], [np.nan, 0]], dtype=float)
    # [3, 3] is dominated by [2, 2]; the two equal [2, 2] rows do not dominate each other; NaN rows are out
    assert pareto_mask(scores).tolist() == [True, True, True, False, True, False]


def test_costs_count_only_what_a_policy_adds() -> None:
    experiment, scenario = load_experiment(DATA / "tiny-experiment.toml")
    assert experiment.optimize is not None and scenario is not None
    levers = experiment.optimize.levers
    assert baseline_values(scenario, levers) == [1.0, 0.0]  # tiny.toml: 1 caseworker at Tapachula, no cards
    costs = unit_costs(levers)
    assert costs == [22_000, 100]  # corredor.experiments.costs
    values = np.array([[1, 0], [11, 0], [1, 10_000], [0, 0]], dtype=float)
    assert cost_musd(values, [1.0, 0.0], costs).tolist() == [0.0, 0.22, 1.0, 0.0]


def test_optimize_command(tmp_path: Path) -> None:
    out = tmp_path / "opt"
    result = corredor("optimize", DATA / "tiny-experiment.toml", "--executor", "serial", "--out", out)
    assert result.returncode == 0, result.output
    assert "Pareto frontier" in result.stdout
    table = pd.read_csv(out / "candidates.csv")
    assert table.loc[0, "lever.comar_caseworkers@tapachula"] == 1  # candidate 0: the scenario as it is
    assert table.loc[0, "cost_musd"] == 0
    assert (table["cost_musd"] <= 2.0 + 1e-9).all()  # budget
    assert set(table["round"]) == {1, 2}  # refinement ran
    assert table["lever.comar_caseworkers@tapachula"].iloc[1:].between(12, 80).all()
    frontier = table[table["pareto"]]
    assert frontier["feasible"].all()
    scores = frontier[["deaths_q", "kidnappings_q", "cost_musd"]].to_numpy()
    assert pareto_mask(scores).all()
    # more caseworkers shorten the wait: the best-staffed candidate waits less than the single caseworker
    best_staffed = table.loc[table["lever.comar_caseworkers@tapachula"].idxmax()]
    assert best_staffed["asylum_time_waited_working_days_q"] < table.loc[0, "asylum_time_waited_working_days_q"]
    # two months: no file's 45 working days have passed, so no share decided in time is known
    assert table["asylum_within_deadline_q"].isna().all()
    assert "Plotly.newPlot" in (out / "optimize.html").read_text()
    # every score carries its run-to-run noise, and the output says how far apart scores must be to count
    for objective in ("deaths", "kidnappings"):
        noise = table[f"{objective}_q_se"]
        assert (noise >= 0).all() and (noise > 0).any()
    assert "run-to-run noise of the scores" in " ".join(result.stdout.split())


def test_bootstrap_noise_of_a_quantile_shrinks_with_more_runs() -> None:
    from corredor.experiments.optimize import _bootstrap_se

    rng = np.random.default_rng(0)
    few, many = (pd.DataFrame({"deaths": rng.normal(100, 10, n)}) for n in (8, 200))
    se_few = _bootstrap_se(few, pd.Series(0, index=few.index), ["deaths"], 0.9, seed=1)["deaths_se"].iloc[0]
    se_many = _bootstrap_se(many, pd.Series(0, index=many.index), ["deaths"], 0.9, seed=1)["deaths_se"].iloc[0]
    assert 0 < se_many < 0.5 * se_few  # the quantile of 200 runs is known far better than that of 8
    # normal theory: sd * sqrt(0.9 * 0.1) / (phi(1.28) * sqrt(n)) = 10 * 0.3 / (0.1755 * 14.1) = 1.2
    assert 0.6 < se_many < 3


def test_a_target_share_decided_in_time_makes_understaffed_candidates_infeasible(tmp_path: Path) -> None:
    folder = tmp_path / "experiments"
    shutil.copytree(DATA, folder)  # the experiment names its scenario relative to itself
    short = folder / "tiny-short.toml"  # four months, so that files of the first two pass their deadline
    short.write_text(short.read_text().replace("end = 2016-02-29", "end = 2016-04-30"))
    spec = (folder / "tiny-experiment.toml").read_text().replace("refine = 2\n", "refine = 0\n")
    path = folder / "strict.toml"
    path.write_text(spec.replace("[optimize]\n", "[optimize]\nmin_within_deadline = 0.9\n", 1))
    result = corredor("optimize", path, "--executor", "serial", "--out", tmp_path / "opt")
    assert result.returncode == 0, result.output
    assert "share decided within the deadline ≥ 0.9" in (tmp_path / "opt" / "optimize.html").read_text()
    table = pd.read_csv(tmp_path / "opt" / "candidates.csv")
    within, wait = table["asylum_within_deadline_q"], table["asylum_time_waited_working_days_q"]
    assert within.between(0, 1).all()
    assert (table["feasible"] == ((within >= 0.9) & (wait <= 45))).all()
    assert not table.loc[0, "feasible"] and within.iloc[0] < 0.9  # 1 caseworker at Tapachula
    # more caseworkers decide a larger share in time (scored at the low end, the 1 - quantile quantile)
    best_staffed = table.loc[table["lever.comar_caseworkers@tapachula"].idxmax()]
    assert best_staffed["asylum_within_deadline_q"] > within.iloc[0]


def test_a_bad_option_is_named_in_plain_words(tmp_path: Path) -> None:
    result = corredor("optimize", DATA / "tiny-experiment.toml", "--candidates", "200000", "--out", tmp_path / "x")
    assert result.returncode == 2 and "Traceback" not in result.output
    assert "--candidates: 200000 ->" in result.output and "pydantic" not in result.output

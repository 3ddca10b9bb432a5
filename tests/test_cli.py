"""The command line as a user runs it: `validate` on every shipped scenario, `run` on a small scenario, `info`
and `--help`. Every command runs once, concurrently, in a module fixture (about 10 s in all)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from corredor.scenario import LEVERS
from tests.cli_utils import ROOT, Outcome, corredor, corredor_many

SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
SMALL = ROOT / "tests" / "data" / "small.toml"  # baseline, 2017-10-01 to 2018-12-31, 1 agent = 50 persons
TABLES = {
    "counts.parquet": {"date", "node", "state", "nationality", "persons"},
    "events.parquet": {"date", "event", "node", "nationality", "mode", "value"},
    "asylum_cases.parquet": {"office", "nationality", "outcome", "wait_days", "persons"},
    "caravans.parquet": {"caravan", "node", "persons", "name", "date"},
}
NATIONALITIES = {"GTM", "HND", "SLV", "NIC"}
INFO = {
    "info": ("Network", "mx_risk_targeting", "parameters.asylum.productivity_cases_per_year"),
    "info --network": ("tapachula", "tenosique", "san_pedro_sula", "san_diego"),
    "info --parameters": ("parameters.asylum.productivity_cases_per_year", "speed_alone_km_per_day"),
    "info --levers": ("comar_caseworkers", "mx_risk_targeting", "us_work_visa_quota"),
}


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Outcome]]:
    """Output folder and the outcome of every command, by name."""
    tmp = tmp_path_factory.mktemp("cli")
    commands: dict[str, tuple[str | Path, ...]] = {
        "run quiet": ("run", SMALL, "--out", tmp / "quiet", "--seed", "3", "--quiet"),
        "run": ("run", SMALL, "--out", tmp / "loud", "--seed", "3"),
        "--help": ("--help",),
        "run --help": ("run", "--help"),
        "sensitivity --help": ("sensitivity", "--help"),
        "optimize --help": ("optimize", "--help"),
        **{name: tuple(name.split()) for name in INFO},
        **{f"validate {path.name}": ("validate", path) for path in SCENARIOS},
    }
    return tmp, corredor_many(commands)


def ok(outcome: Outcome) -> Outcome:
    assert "Traceback" not in outcome.output, outcome.output
    assert outcome.returncode == 0, f"exit {outcome.returncode}:\n{outcome.output}"
    return outcome


def test_shipped_scenarios_are_there():
    names = {path.name for path in SCENARIOS}
    assert {
        "baseline.toml",
        "caravan-oct-2018.toml",
        "risk-management.toml",
        "work-visas.toml",
        "comar-staffing.toml",
        "drought-2018.toml",
    } <= names


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda path: path.name)
def test_validate_every_shipped_scenario(cli: tuple[Path, dict[str, Outcome]], scenario: Path):
    outcome = ok(cli[1][f"validate {scenario.name}"])
    assert outcome.stdout.startswith("ok "), outcome.output


def test_run_quiet_writes_tables_and_summary(cli: tuple[Path, dict[str, Outcome]]):
    tmp, outcomes = cli
    outcome = ok(outcomes["run quiet"])
    assert outcome.stdout.strip() == "", "--quiet prints nothing"
    out = tmp / "quiet"
    assert {p.name for p in out.iterdir()} == {*TABLES, "summary.json"}
    for name, columns in TABLES.items():
        table = pd.read_parquet(out / name)
        assert len(table) > 0, name
        assert columns <= set(table.columns), f"{name}: {sorted(table.columns)}"


def test_summary_has_the_official_statistics(cli: tuple[Path, dict[str, Outcome]]):
    tmp, outcomes = cli
    ok(outcomes["run quiet"])
    summary = json.loads((tmp / "quiet" / "summary.json").read_text())
    assert summary["seed"] == 3, "--seed overrides the scenario's seed"
    assert summary["scenario"] == "small"
    # FY2018 (1 Oct 2017 - 30 Sep 2018) and calendar 2018 are the complete years of the period.
    cbp = summary["cbp_apprehensions_fy"]
    assert set(cbp) == NATIONALITIES | {"VEN"}  # the baseline's Venezuelan applicants may travel on north too
    for nationality, by_year in cbp.items():
        assert set(by_year) == {"2018"}, nationality
        assert all(isinstance(v, int) and v >= 0 for v in by_year.values()), by_year
    assert sum(by_year["2018"] for by_year in cbp.values()) > 0
    for key in ("upm_presentados", "upm_devueltos", "comar_applicants"):
        assert set(summary[key]) == {"2018"}, key
        assert isinstance(summary[key]["2018"], int) and summary[key]["2018"] > 0, summary[key]


def test_a_piped_run_prints_every_number_whole(tmp_path: Path):
    """Eight years of totals are wider than 80 columns: piped output (here, or into a log) widens the table instead of
    cutting its numbers to '279…'."""
    outcome = ok(
        corredor("run", ROOT / "scenarios" / "history.toml", "--scale", "400", "--out", tmp_path / "h", columns=80)
    )
    summary = json.loads((tmp_path / "h" / "summary.json").read_text())
    assert "…" not in outcome.stdout
    for year in ("2012", "2019"):
        assert f"{summary['yearly_events']['departure'][year]:,.0f}" in outcome.stdout


def test_run_prints_a_table(cli: tuple[Path, dict[str, Outcome]]):
    tmp, outcomes = cli
    outcome = ok(outcomes["run"])
    for text in ("Yearly totals", "COMAR applications", "US Border Patrol arrests", "2017", "2018"):
        assert text in outcome.stdout, text
    # the caravans, with the people who joined the October 2018 caravan to reach its recorded counts
    summary = json.loads((tmp / "loud" / "summary.json").read_text())
    october = next(c for c in summary["caravans"] if c["name"] == "October 2018 caravan")
    assert october["topped_up"] > 0
    table = outcome.stdout[outcome.stdout.index("Caravans (persons)") :]
    assert re.search(
        rf"October 2018 caravan\s*│\s*2018-10-13\s*│\s*san_pedro_sula\s*│\s*1,000\s*│\s*{october['topped_up']:,}", table
    )
    # the COMAR offices in the last complete year, as summary.json has them
    mexico_city = summary["asylum_offices_by_year"]["mexico_city"]["2018"]
    offices = outcome.stdout[outcome.stdout.index("COMAR offices, 2018") : outcome.stdout.index("Caravans (persons)")]
    row = (
        rf"mexico_city\s*│\s*{mexico_city['applications']:,}\s*│\s*{mexico_city['decided_in_year']:,}\s*│\s*"
        rf"{mexico_city['pending_at_year_end']:,}\s*│\s*{mexico_city['years_to_clear_at_year_pace']:,.1f}"
    )
    assert re.search(row, offices), offices
    assert str(tmp / "loud") in outcome.stdout.replace("\n", "")
    same_seed = json.loads((tmp / "quiet" / "summary.json").read_text())
    assert json.loads((tmp / "loud" / "summary.json").read_text()) == same_seed, "--quiet changes only output"


@pytest.mark.parametrize("command", INFO)
def test_info(cli: tuple[Path, dict[str, Outcome]], command: str):
    outcome = ok(cli[1][command])
    for text in INFO[command]:
        assert text in outcome.stdout, f"{text!r} not in `corredor {command}`"


def test_help_lists_the_commands(cli: tuple[Path, dict[str, Outcome]]):
    outcome = ok(cli[1]["--help"])
    for text in ("run", "validate", "info"):
        assert text in outcome.stdout


def test_info_tables_fold_instead_of_cutting_names_in_a_narrow_terminal():
    outcome = ok(corredor("info", "--levers", columns=80))
    assert "…" not in outcome.stdout
    first_column = "".join(line.split("│")[1].strip() for line in outcome.stdout.splitlines() if line.startswith("│"))
    for name in LEVERS:  # each name whole, folded over as many lines as it needs
        assert name in first_column


def test_help_keeps_the_toml_table_names(cli: tuple[Path, dict[str, Outcome]]):
    # Rich reads [name] as markup and drops it unless escaped: the help must still say which tables to write.
    assert "[[uncertainties]]" in ok(cli[1]["sensitivity --help"]).stdout
    assert "[optimize]" in ok(cli[1]["optimize --help"]).stdout


def test_run_help_describes_the_options(cli: tuple[Path, dict[str, Outcome]]):
    outcome = ok(cli[1]["run --help"])
    for text in ("--out", "--seed", "--quiet", "summary.json", "Random seed"):
        assert text in outcome.stdout, text


def test_run_scale_overrides_the_scenario(tmp_path: Path):
    outcome = ok(corredor("run", SMALL, "--scale", "40", "--seed", "3", "--out", tmp_path / "coarse", "--quiet"))
    assert outcome.stdout == ""
    summary = json.loads((tmp_path / "coarse" / "summary.json").read_text())
    assert summary["scale"] == 40


def test_version_matches_the_package():
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert ok(corredor("--version")).stdout.strip() == f"corredor {version}"


def test_run_table_marks_a_partial_year(cli: tuple[Path, dict[str, Outcome]]):
    outcome = ok(cli[1]["run"])  # small.toml starts on 1 Oct 2017
    assert "2017*" in outcome.stdout and "2018*" not in outcome.stdout
    assert "part of the year only" in outcome.stdout


def test_the_command_line_starts_without_the_analysis_libraries():
    import subprocess
    import sys

    heavy = ("scipy.stats", "SALib", "matplotlib", "corredor.calibration.fit", "corredor.experiments.design")
    code = f"import sys, corredor.cli; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"  # loaded by the commands that use them, so that --help and quick commands start fast


def test_staffing_names_the_caseworkers_each_office_needs():
    result = corredor("staffing", SMALL, "--replicates", "2", "--share", "0.8")
    assert result.returncode == 0, result.output
    assert "caseworkers for 80% of applicants within 45 working days" in " ".join(result.stdout.split())
    rows = [line for line in result.stdout.splitlines() if line.startswith("│ tapachula")]
    assert len(rows) == 1
    cells = [cell.strip() for cell in rows[0].strip("│").split("│")]
    now, needed = float(cells[4]), int(cells[5].replace(",", ""))
    assert needed > now  # the baseline's 12 deciding officials at Tapachula do not keep up by the end of 2018
    flat = " ".join(result.stdout.split())
    assert "The split of applicants between offices is the model's, not calibrated" in flat
    assert "1 agent = 50 persons: COMAR waits and shares decided in time are overstated above 20" in flat
    bad = corredor("staffing", SMALL, "--clear-within-days", "0")
    assert bad.returncode == 2 and "--clear-within-days" in bad.output and "Traceback" not in bad.output


def test_run_says_which_caravan_counts_it_lowered(tmp_path: Path):
    """Caravan blocking lowers the October 2018 caravan's counts made in Mexico; `run` says so rather than leave a
    planner to read history's counts into a blocked caravan."""
    blocked = tmp_path / "blocked.toml"
    blocked.write_text(
        f'extends = "{ROOT / "tests" / "data" / "small.toml"}"\nname = "blocked"\n\n[[policy]]\ndate = 2018-10-01\n'
        'lever = "caravan_blocking"\nvalue = 0.5\n',
        encoding="utf-8",
    )
    outcome = ok(corredor("run", blocked, "--out", tmp_path / "out"))
    notes = " ".join(outcome.output.split())
    assert "note October 2018 caravan, count of 7,200 on 2018-10-22: lowered to 3,600 by caravan blocking" in notes

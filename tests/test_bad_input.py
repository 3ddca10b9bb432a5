"""Bad scenario files: `corredor validate` and `corredor run` exit with status 2, name the bad field and never
show a traceback. Fixtures are in tests/data/bad/; each starts with a comment saying what is wrong with it."""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corredor import simulate
from corredor.scenario import input_notes, inputs_outside_period, parse_scenario
from tests.cli_utils import ROOT, Outcome, cli_env, corredor, corredor_many
from tests.conftest import baseline_dict

BAD = ROOT / "tests" / "data" / "bad"
SMALL = ROOT / "tests" / "data" / "small.toml"
MISSING = BAD / "does_not_exist.toml"

# (file in tests/data/bad, field path the output must name, part of the message)
CASES = [
    ("wrong_type_scale.toml", "scale", "valid integer"),
    ("wrong_type_date.toml", "period.end", "valid date"),
    (
        "negative_base_departures.toml",
        "nationalities.HND.base_departures_per_year",
        "greater than or equal to 0",
    ),
    ("negative_parameter.toml", "parameters.movement.speed_alone_km_per_day", "greater than 0"),
    ("negative_caravan_size.toml", "caravans[0].size", "greater than 0"),
    ("caravan_count_before_departure.toml", "caravans[0].recorded_sizes", "not after the departure day 2018-02-01"),
    ("negative_caravan_count.toml", "caravans[0].recorded_sizes", "-5 persons on 2018-02-10; allowed: > 0"),
    ("caravan_place_without_count.toml", "caravans[0].recorded_at", "2018-02-11 has no recorded size"),
    ("caravan_count_at_unknown_node.toml", "caravans[0].recorded_at.2018-02-10", "did you mean 'tapachula'?"),
    ("negative_seed.toml", "seed", "greater than or equal to 0"),
    ("period_end_before_start.toml", "period", "before start"),
    ("policy_until_before_date.toml", "policy[0]", "before date"),
    ("drought_end_before_start.toml", "droughts[0]", "before start"),
    ("unknown_origin_node.toml", "origins[0].node", "unknown node"),
    ("unknown_policy_target.toml", "policy[0].target", "unknown node"),
    ("misspelt_policy_target.toml", "policy[0].target", "did you mean 'tapachula'?"),
    ("unknown_caravan_origin.toml", "caravans[0].origin", "unknown node"),
    ("unknown_nationality.toml", "origins[1].nationality", "'NIC'"),
    ("unknown_top_level_key.toml", "sede", "unknown key"),
    ("unknown_nested_key.toml", "parameters.asylum.productivty", "unknown key"),
    ("unknown_lever.toml", "policy[0].lever", "unknown lever"),
    ("lever_out_of_range.toml", "policy[0].value", "out of range"),
    ("empty.toml", "(file)", "empty"),
    ("not_toml.toml", "(file)", "not valid TOML"),
    ("missing_period.toml", "period", "required field is missing"),
    ("extends_missing_file.toml", "extends", "no such file"),
    ("extends_cycle_a.toml", "extends", "cycle"),
    ("replace_unknown_list.toml", "replace", "give a list of some of 'policy', 'caravans', 'droughts', 'cohorts'"),
    ("replace_without_extends.toml", "replace", "only a file that `extends` another"),
    ("extends_empty_list.toml", "caravans", 'to drop them write replace = ["caravans"]'),
    ("not_utf8.toml", "(file)", "UTF-8"),
    ("zero_seasonality.toml", "parameters.departures.seasonality", "above 0"),
    ("short_mode_multiplier.toml", "parameters.hazards.mode_multiplier", "needs 4"),
    ("eligibility_out_of_range.toml", "policy[0].value", "allowed: 0 to 1"),
    ("atd_share_with_target.toml", "policy[0].target", "takes no target"),
    ("drought_probability_out_of_range.toml", "policy[0].value", "out of range for drought_probability"),
    ("negative_card_processing_days.toml", "policy[0].value", "allowed: 0 to 365"),
    ("drought_onset_month_13.toml", "parameters.climate.drought_onset_month", "less than or equal to 12"),
    ("regional_card_eligibility_above_one.toml", "parameters.pathways.regional_card_eligibility", "0 to 1"),
    ("outside_applicants_simulated_nationality.toml", "outside_applicants[0].nationality", "a simulated nationality"),
    ("outside_applicants_not_an_office.toml", "outside_applicants[0].office", "no COMAR office there; allowed:"),
    ("outside_applicants_end_before_start.toml", "outside_applicants[0]", "before start"),
    ("outside_applicants_lowercase_nationality.toml", "outside_applicants[0].nationality", "three-letter country code"),
    (MISSING.name, "(file)", "cannot be read"),
]

ALL_NAMES = [name for name, _, _ in CASES]

# A sample of the cases above for `corredor run`, one per stage of the checks: file, extends, schema, network,
# parameter tables.
RUN_CASES = [
    "empty.toml",
    "not_toml.toml",
    "extends_missing_file.toml",
    "wrong_type_scale.toml",
    "unknown_nested_key.toml",
    "lever_out_of_range.toml",
    "unknown_origin_node.toml",
    "zero_seasonality.toml",
]


@pytest.fixture(scope="module")
def validated() -> dict[str, Outcome]:
    """`corredor validate` on every bad file, run concurrently once for the module."""
    return corredor_many({name: ("validate", BAD / name) for name in ALL_NAMES})


def assert_rejected(outcome: Outcome, path: str, fragment: str) -> None:
    out = outcome.output
    assert "Traceback" not in out, out
    assert outcome.returncode == 2, f"exit {outcome.returncode}:\n{out}"
    assert re.search(rf"^\s+{re.escape(path)}: ", out, re.MULTILINE), f"field {path!r} not named:\n{out}"
    assert fragment in out, f"{fragment!r} not in:\n{out}"


def test_fixtures_present():
    assert not MISSING.exists()
    listed = {*ALL_NAMES, "extends_cycle_b.toml"}
    on_disk = {p.name for p in BAD.glob("*.toml")}
    assert on_disk == listed - {MISSING.name}, "every fixture in tests/data/bad is tested, and only those"


@pytest.mark.parametrize(("name", "path", "fragment"), CASES, ids=ALL_NAMES)
def test_validate_rejects(validated: dict[str, Outcome], name: str, path: str, fragment: str):
    assert_rejected(validated[name], path, fragment)


@pytest.mark.parametrize("name", RUN_CASES)
def test_run_rejects_the_same_way(name: str, tmp_path: Path):
    path, fragment = next((p, f) for n, p, f in CASES if n == name)
    out = tmp_path / "out"
    assert_rejected(corredor("run", BAD / name, "--out", out), path, fragment)
    assert not out.exists(), "nothing is written for a bad scenario"


@pytest.mark.parametrize(
    ("name", "bracketed"), [("unknown_nationality.toml", "[nationalities]"), ("empty.toml", "[period]")]
)
def test_messages_keep_bracketed_names(validated: dict[str, Outcome], name: str, bracketed: str):
    """Messages are printed literally, not as rich markup (which would swallow '[period]')."""
    assert bracketed in validated[name].output


def test_run_rejects_negative_seed(tmp_path: Path):
    out = tmp_path / "out"
    outcome = corredor("run", SMALL, "--out", out, "--seed", "-1", "--quiet")
    assert "Traceback" not in outcome.output
    assert outcome.returncode == 2, outcome.output
    assert "--seed" in outcome.output and "-1" in outcome.output
    assert not out.exists()


def test_run_rejects_non_integer_seed(tmp_path: Path):
    outcome = corredor("run", SMALL, "--out", tmp_path / "out", "--seed", "three", "--quiet")
    assert "Traceback" not in outcome.output
    assert outcome.returncode == 2, outcome.output
    assert "--seed" in outcome.output


def test_console_script_rejects_the_same_way():
    script = shutil.which("corredor", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the `corredor` console script is not installed next to this interpreter")
    proc = subprocess.run(
        [script, "validate", str(BAD / "unknown_nested_key.toml")],
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    outcome = Outcome(("validate",), proc.returncode, proc.stdout, proc.stderr)
    assert_rejected(outcome, "parameters.asylum.productivty", "unknown key")


TINY = """
[period]
start = 2018-01-01
end = 2018-01-10

[nationalities.HND]
base_departures_per_year = 100

[[origins]]
node = "san_pedro_sula"
nationality = "HND"
"""


def test_run_rejects_an_out_path_that_is_a_file(tmp_path: Path):
    scenario = tmp_path / "tiny.toml"
    scenario.write_text(TINY)
    out = tmp_path / "a-file"
    out.write_text("not a folder")
    outcome = corredor("run", scenario, "--out", out, "--quiet")
    assert "Traceback" not in outcome.output
    assert outcome.returncode == 2, outcome.output
    assert str(out) in outcome.output.replace("\n", "")


def test_entry_numbers_are_explained(validated: dict[str, Outcome]):
    """pydantic counts [[table]] entries from 0; the error says which entry of the file that is."""
    assert "origins[1] is the 2nd [[origins]] entry" in validated["unknown_nationality.toml"].output


def test_inputs_that_cannot_act_are_named(tmp_path: Path):
    """A valid policy change after the period's end, or a drought before its start, is kept but has no effect in
    the period: `validate` says so (exit 0) instead of dropping it silently."""
    scenario = tmp_path / "idle.toml"
    scenario.write_text(
        (BAD / "unknown_nationality.toml").read_text().split('[[origins]]\nnode = "managua"')[0]
        + '\n[[policy]]\ndate = 2019-06-01\nlever = "mx_enforcement_intensity"\nvalue = 2.0\n'
        + '\n[[droughts]]\nnationality = "HND"\nstart = 2014-07-01\nend = 2015-06-30\nfood_insecurity_pp = 5\n'
    )
    outcome = corredor("validate", scenario)
    assert outcome.returncode == 0, outcome.output
    assert "policy[0]: mx_enforcement_intensity from 2019-06-01, after the period's end 2018-03-31" in outcome.output
    assert "droughts[0]: 2014-07-01 to 2015-06-30, outside the period" in outcome.output
    assert outcome.output.count("no effect in this run") == 2


def test_serve_on_a_busy_port_says_so(tmp_path: Path):
    """A port another program listens on is named in one line (exit 2) before any URL is printed."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        outcome = corredor("serve", "--port", str(port), "--store", tmp_path / "runs", timeout=60)
    assert outcome.returncode == 2, outcome.output
    assert f"--port: {port} -> in use on 127.0.0.1" in outcome.stderr and "http://" not in outcome.output


LISTS = ("caravans", "cohorts", "policy", "droughts", "outside_applicants")


def test_inputs_outside_the_period_change_nothing():
    """Caravans, a cohort, a policy change, a drought and asylum applicants from outside the corridor dated outside
    the period are accepted and leave the run exactly as it is without them."""
    data = copy.deepcopy(baseline_dict())
    data["period"] = {"start": dt.date(2018, 4, 1), "end": dt.date(2018, 5, 31)}
    data["scale"] = 200
    period = data["period"]
    outside = [i for i, c in enumerate(data["caravans"]) if not period["start"] <= c["date"] <= period["end"]]
    assert len(outside) == len(data["caravans"]) >= 2  # Viacrucis (March) and the caravans of October on
    data["cohorts"] = [{"date": dt.date(2019, 1, 1), "origin": "tapachula", "nationality": "HND", "persons": 5000}]
    data["policy"] = data["policy"] + [{"date": dt.date(2018, 7, 1), "lever": "mx_enforcement_intensity", "value": 5}]
    data["droughts"] = data["droughts"] + [
        {"nationality": "HND", "start": dt.date(2017, 1, 1), "end": dt.date(2017, 12, 31), "food_insecurity_pp": 9}
    ]
    idle = parse_scenario(data)
    noted = {path for path, _ in inputs_outside_period(idle)}
    last_policy, last_drought = len(data["policy"]) - 1, len(data["droughts"]) - 1
    assert {f"caravans[{i}]" for i in outside} <= noted
    assert {"cohorts[0]", f"policy[{last_policy}]", f"droughts[{last_drought}]"} <= noted
    assert {f"outside_applicants[{i}]" for i in range(4)} <= noted  # Venezuelans of 2014-17 (2018's act)
    assert "outside_applicants[4]" not in noted
    kept = {name: [x for i, x in enumerate(data[name]) if f"{name}[{i}]" not in noted] for name in LISTS}
    assert not kept["caravans"] and not kept["cohorts"]
    bare = parse_scenario({**data, **kept})
    with_idle, without = simulate(idle, seed=5), simulate(bare, seed=5)
    assert np.array_equal(with_idle.daily, without.daily)


def test_a_caravan_count_after_the_period_is_noted():
    """A caravan inside the period with a recorded size after its end: the note names the dates."""
    data = copy.deepcopy(baseline_dict())
    data["period"] = {"start": dt.date(2018, 10, 1), "end": dt.date(2018, 10, 20)}
    notes = dict(inputs_outside_period(parse_scenario(data)))
    october = next(i for i, c in enumerate(data["caravans"]) if c["date"] == dt.date(2018, 10, 13))
    assert notes[f"caravans[{october}].recorded_sizes"] == "2018-10-22: after the period's end 2018-10-20"


def test_a_caravan_count_placed_off_every_route_is_noted():
    """Ocotepeque (where the October 2018 caravan was counted on 14 Oct) is on no route from San Pedro Sula in the
    network: the note says that day's joiners join where the members are; Tapachula is on its routes."""
    data = copy.deepcopy(baseline_dict())
    october = next(i for i, c in enumerate(data["caravans"]) if c["date"] == dt.date(2018, 10, 13))
    data["caravans"][october]["recorded_at"] = {
        dt.date(2018, 10, 14): "nueva_ocotepeque",
        dt.date(2018, 10, 22): "tapachula",
    }
    notes = dict(input_notes(parse_scenario(data)))
    assert (
        "'nueva_ocotepeque' is on no route from 'san_pedro_sula'"
        in notes[f"caravans[{october}].recorded_at.2018-10-14"]
    )
    assert f"caravans[{october}].recorded_at.2018-10-22" not in notes


def test_caseworkers_where_no_office_is_open_are_noted_and_change_nothing():
    """Caseworkers given to a node without an open COMAR office (the dashboard once pre-selected Ciudad Hidalgo) decide
    nothing: `input_notes` says so, and the run is the one without them. Opening an office there makes them count."""
    data = copy.deepcopy(baseline_dict())
    data["period"] = {"start": dt.date(2018, 1, 1), "end": dt.date(2018, 3, 31)}
    data["scale"] = 200
    staffed = {"date": dt.date(2018, 1, 1), "lever": "comar_caseworkers", "value": 36, "target": "ciudad_hidalgo"}
    idle = parse_scenario({**data, "policy": [*data["policy"], staffed]})
    last = f"policy[{len(idle.policy) - 1}]"
    notes = dict(input_notes(idle))
    assert "where no COMAR office has been open by then" in notes[last] and "no effect in this run" in notes[last]
    assert np.array_equal(simulate(idle, seed=5).daily, simulate(parse_scenario(data), seed=5).daily)
    opened = {"date": dt.date(2018, 2, 1), "lever": "comar_office_open", "value": 1, "target": "ciudad_hidalgo"}
    open_office = parse_scenario({**data, "policy": [*data["policy"], staffed, opened]})
    assert not [path for path, _ in input_notes(open_office) if "caseworkers" in _]
    # caseworkers at an office closed to new files still decide its backlog: no note
    closed = {"date": dt.date(2018, 2, 1), "lever": "comar_office_open", "value": 0, "target": "tapachula"}
    later = {"date": dt.date(2018, 3, 1), "lever": "comar_caseworkers", "value": 100, "target": "tapachula"}
    backlog = parse_scenario({**data, "policy": [*data["policy"], closed, later]})
    assert not [path for path, _ in input_notes(backlog) if "caseworkers" in _]


def test_driver_series_that_end_before_the_period_are_noted(tmp_path: Path):
    """A run past the last year of the driver data carries the last value on; `validate` says which series and years
    instead of repeating them silently."""
    scenario = tmp_path / "later.toml"
    baseline = (ROOT / "scenarios" / "baseline.toml").as_posix()
    scenario.write_text(f'extends = "{baseline}"\n[period]\nstart = 2019-01-01\nend = 2021-06-30\n')
    outcome = corredor("validate", scenario)
    assert outcome.returncode == 0, outcome.output
    assert "drivers.HND.homicide_rate: ends in 2019; 2020-2021 use the 2019 value (no data)" in outcome.output


def test_shelter_beds_the_scale_rounds_down_are_noted(tmp_path: Path):
    """A bed holds a whole agent: 150 beds at 1 agent = 100 persons hold 100 persons, and `run` says so instead of
    shrinking the shelter silently."""
    scenario = tmp_path / "beds.toml"
    baseline = (ROOT / "scenarios" / "baseline.toml").as_posix()
    scenario.write_text(
        f'extends = "{baseline}"\n[period]\nstart = 2018-01-01\nend = 2018-01-31\n'
        '[[policy]]\ndate = 2018-01-01\nlever = "shelter_capacity"\ntarget = "tapachula"\nvalue = 150\n'
    )
    outcome = corredor("run", scenario, "--scale", "100", "--out", tmp_path / "out")
    assert outcome.returncode == 0, outcome.output
    flat = " ".join(outcome.output.split())
    assert "150 beds at tapachula hold 100 persons at 1 agent = 100 persons (whole agents)" in flat
    assert "default_shelter_capacity" not in flat  # 100 beds per hub are whole agents at this scale

"""The shipped data (observed series to 2018 and inputs) and their loaders in `corredor.data`, from Python and from
`corredor data list` / `corredor data show` as a user runs them."""

from __future__ import annotations

import fnmatch
import shutil
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from corredor import data
from tests.cli_utils import ROOT, Outcome, corredor, corredor_many

PACKAGE_DATA = ROOT / "src" / "corredor" / "data"
SHARED = ROOT.parent / "shared" / "data"  # the project's reference data, when the workspace has it
ROWS = {
    "cbp": 105,
    "upm": 44,
    "comar": 26,
    "recalled_unverified": 23,
    "drivers": 185,
    "caravans": 49,
    "policy_events": 88,
}
OBSERVED = ("cbp", "upm", "comar", "recalled_unverified")
CUTOFF = pd.Timestamp("2018-12-31")


def period_end(rows: pd.DataFrame) -> pd.Series:
    """Last day covered by each observed row: `_fy` ends 30 Sep of the fiscal year, `_fytd` at the end of `month`
    (October to December belong to the previous calendar year), other rows at the end of `month` or of the year."""
    ends = []
    for series, year, month in zip(rows["series"], rows["year"], rows["month"], strict=True):
        if series.endswith("_fy"):
            ends.append(pd.Timestamp(year=int(year), month=9, day=30))
        elif pd.isna(month):
            ends.append(pd.Timestamp(year=int(year), month=12, day=31))
        else:
            calendar_year = int(year) - 1 if series.endswith("_fytd") and month >= 10 else int(year)
            ends.append(pd.Timestamp(year=calendar_year, month=int(month), day=1) + pd.offsets.MonthEnd(0))
    return pd.Series(ends, index=rows.index)


# --- loaders -------------------------------------------------------------------------------------------------------


def test_list_datasets():
    table = data.list_datasets()
    assert list(table.columns) == [
        "name",
        "kind",
        "file",
        "rows",
        "series",
        "first_year",
        "last_year",
        "description",
    ]
    assert dict(zip(table["name"], table["rows"], strict=True)) == ROWS
    kinds = dict(zip(table["name"], table["kind"], strict=True))
    assert {name for name, kind in kinds.items() if kind == "observed"} == set(OBSERVED)
    assert (table.loc[table["kind"] == "observed", "last_year"] <= data.CUTOFF_YEAR).all()
    assert table.loc[table["name"] == "cbp", ["first_year", "last_year"]].values.tolist() == [[2007, 2018]]
    assert table["description"].str.len().gt(20).all()


@pytest.mark.parametrize("name", list(ROWS))
def test_load_gives_tidy_typed_rows(name: str):
    frame = data.load(name)
    assert len(frame) == ROWS[name]
    header = (PACKAGE_DATA / data.DATASETS[name].file).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert list(frame.columns) == header
    types = frame.dtypes
    if "series" in frame.columns:
        assert types["year"] == "Int64"
        assert types["month"] == "Int64"
        assert types["value"] == "float64"
        assert frame["year"].notna().all()
        if name != "caravans":  # a few caravan sizes are unknown ("hundreds"): blank value, words in notes
            assert frame["value"].notna().all()
        assert frame["month"].dropna().between(1, 12).all()
    for column in ("date", "end_date"):
        if column in frame.columns:
            assert pd.api.types.is_datetime64_any_dtype(types[column]), column
    if name == "policy_events":
        assert types["magnitude"] == "float64"
        assert frame["date"].notna().all()
    if name == "caravans":
        assert frame["date"].notna().all()
        assert set(frame["role"]) == {"input", "outcome"}
    for column in ("source", "confidence", "unit"):
        assert pd.api.types.is_string_dtype(types[column]), column


@pytest.mark.parametrize("name", list(ROWS))
def test_every_row_has_a_source(name: str):
    frame = data.load(name)
    source = frame["source"].str.strip()
    assert (source != "").all(), frame.loc[source == ""]
    assert source.str.match(r"(source:|derived from:|recalled, unverified)").all()
    assert frame["confidence"].isin(["high", "medium", "low", "recalled"]).all()


@pytest.mark.parametrize("name", OBSERVED)
def test_no_observed_outcome_after_2018(name: str):
    frame = data.load(name)
    assert (frame["year"] <= 2018).all()  # calendar years, and fiscal years for `_fy` / `_fytd`
    ends = period_end(frame)
    assert (ends <= CUTOFF).all(), frame.loc[ends > CUTOFF, ["series", "year", "month"]]


def test_caravan_outcomes_only_for_2018():
    caravans = data.load("caravans")
    outcomes = caravans[caravans["role"] == "outcome"]
    assert len(outcomes) > 0
    assert (outcomes["year"] == 2018).all()
    assert (outcomes["date"] <= CUTOFF).all()
    assert caravans["year"].max() > 2018  # inputs cover later years


def test_known_values():
    comar = data.load("comar")
    applicants = comar[(comar["series"] == "comar_applicants") & (comar["nationality"] == "ALL")]
    assert applicants.set_index("year")["value"].to_dict() == {
        2013: 1296,
        2014: 2136,
        2015: 3423,
        2016: 8795,
        2017: 14616,
        2018: 29410,
    }
    gtm = data.observed_series("usbp_swb_encounters_fy", nationality="GTM")
    assert gtm[2014] == 80473
    assert gtm.index.name == "year"
    assert gtm.index.tolist() == list(range(2007, 2019))
    assert gtm.dtype == "float64"
    assert gtm.name == "usbp_swb_encounters_fy"
    assert gtm.attrs["nationality"] == "GTM"
    assert "fiscal year" in gtm.attrs["unit"]
    assert data.observed_series("comar_applicants")[2018] == 29410  # one breakdown only: no nationality needed


def test_observed_series_choices_and_recalled_values():
    with pytest.raises(ValueError, match="GTM, USA/HND"):
        data.observed_series("usbp_swb_encounters_fy")
    with pytest.raises(ValueError, match="nationality: ALL"):
        data.observed_series("comar_applicants", nationality="GTM")
    with pytest.raises(ValueError, match="load\\('drivers'\\)"):
        data.observed_series("homicide_rate_per_100k", country="HND")
    with pytest.raises(ValueError, match="comar_applicants"):
        data.observed_series("no_such_series")
    sourced = data.observed_series("upm_presentados_events", nationality="ALL")
    assert sourced.index.tolist() == [2015, 2016, 2018]
    filled = data.observed_series("upm_presentados_events", nationality="ALL", include_recalled=True)
    assert filled.index.tolist() == list(range(2010, 2019))
    assert filled[2016] == sourced[2016] == 186216  # a sourced row wins over the recalled 188,595
    ytd = data.observed_series("comar_applicants_ytd", nationality="ALL")
    assert ytd.index.names == ["year", "month"]
    assert ytd[(2017, 9)] == 10262


def test_calibration_targets():
    targets = data.calibration_targets()
    assert list(targets.columns) == ["series", "nationality", "year", "value", "unit", "source"]
    assert targets["year"].dtype == "Int64"
    assert (targets["year"] <= 2018).all()
    assert (targets["source"].str.strip() != "").all()
    counts = targets.groupby(["series", "nationality"]).size().to_dict()
    assert counts == {
        ("usbp_swb_encounters_fy", "GTM"): 12,
        ("usbp_swb_encounters_fy", "HND"): 12,
        ("usbp_swb_encounters_fy", "SLV"): 12,
        ("comar_applicants", "ALL"): 6,
        ("upm_presentados_events", "ALL"): 3,
    }
    indexed = targets.set_index(["series", "nationality", "year"])["value"]
    assert indexed[("usbp_swb_encounters_fy", "GTM", 2014)] == 80473
    assert indexed[("comar_applicants", "ALL", 2018)] == 29410
    earlier = data.calibration_targets(up_to_year=2015)
    assert earlier["year"].max() == 2015
    assert len(earlier) == 9 * 3 + 3 + 1


def test_unknown_dataset_lists_the_names():
    with pytest.raises(ValueError, match="cbp, upm, comar, recalled_unverified, drivers, caravans, policy_events"):
        data.load("cpb")


# --- appended rows need no code change -----------------------------------------------------------------------------

CBP_2019 = (
    'usbp_swb_encounters_fy,USA,GTM,2019,,123456,"USBP apprehensions (events), federal fiscal year",source: test,high,'
)


def shipped_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    with resources.as_file(resources.files("corredor.data")) as shipped:
        for kind in ("observed", "inputs"):
            shutil.copytree(Path(shipped) / kind, folder / kind)
    return folder


def append(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + line + "\n", encoding="utf-8")


def test_appended_rows_appear_without_code_changes(tmp_path: Path):
    folder = shipped_copy(tmp_path)
    append(folder / "observed" / "cbp.csv", CBP_2019)
    append(
        folder / "inputs" / "caravans.csv",
        "caravan_departure_size,HND,HND,2026,1,500,persons (estimate),source: test,low,,2026-01_test,2026-01-15,"
        "San Pedro Sula,input",
    )
    policy_row = "2026-02-01,,MEX,comar_offices,test row,12,offices,source: test,low"
    append(folder / "inputs" / "policy_events.csv", policy_row)

    cbp = data.load("cbp", folder=folder)
    assert len(cbp) == ROWS["cbp"] + 1
    assert cbp.iloc[-1][["year", "value", "source"]].tolist() == [2019, 123456.0, "source: test"]
    assert cbp["year"].dtype == "Int64"
    gtm = data.observed_series("usbp_swb_encounters_fy", nationality="GTM", folder=folder)
    assert gtm.index.max() == 2019
    assert gtm[2019] == 123456
    assert 2019 not in data.calibration_targets(folder=folder)["year"].tolist()  # held out by default
    later = data.calibration_targets(up_to_year=2019, folder=folder)
    assert later[later["year"] == 2019]["value"].tolist() == [123456.0]
    caravans = data.load("caravans", folder=folder)
    assert caravans["date"].max() == pd.Timestamp("2026-01-15")
    policy = data.load("policy_events", folder=folder)
    assert policy.iloc[-1]["magnitude"] == 12
    listed = data.list_datasets(folder=folder).set_index("name")
    assert listed.loc["cbp", "last_year"] == 2019
    assert listed.loc["policy_events", "last_year"] == 2026
    # the shipped files are untouched
    assert len(data.load("cbp")) == ROWS["cbp"]


def test_a_folder_of_flat_csv_files(tmp_path: Path):
    shutil.copy(PACKAGE_DATA / "observed" / "cbp.csv", tmp_path / "cbp.csv")
    append(tmp_path / "cbp.csv", CBP_2019)
    assert len(data.load("cbp", folder=tmp_path)) == ROWS["cbp"] + 1
    with pytest.raises(FileNotFoundError, match="comar"):
        data.load("comar", folder=tmp_path)


def test_a_bad_appended_row_names_file_and_line(tmp_path: Path):
    folder = shipped_copy(tmp_path)
    append(folder / "observed" / "comar.csv", "comar_applicants,MEX,ALL,2019,,many,persons,source: test,low,")
    with pytest.raises(ValueError, match=r"comar.*'value'.*line 28 'many'"):
        data.load("comar", folder=folder)


# --- packaging -----------------------------------------------------------------------------------------------------


def test_package_data_lists_every_shipped_file():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["corredor"]
    files = [
        path.relative_to(ROOT / "src" / "corredor").as_posix()
        for path in PACKAGE_DATA.rglob("*")
        if path.is_file() and path.suffix in (".csv", ".md")
    ]
    assert len(files) == len(ROWS) + 2 + 2  # datasets, network CSVs, two READMEs
    for file in files:
        assert any(fnmatch.fnmatch(file, pattern) for pattern in patterns), file


@pytest.mark.skipif(not SHARED.is_dir(), reason="the project's reference data folder is not in this workspace")
@pytest.mark.parametrize("name", list(ROWS))
def test_shipped_files_are_unchanged_copies(name: str):
    file = data.DATASETS[name].file
    assert (PACKAGE_DATA / file).read_bytes() == (SHARED / file).read_bytes()


# --- command line --------------------------------------------------------------------------------------------------

COMMANDS: dict[str, tuple[str, ...]] = {
    "list": ("data", "list"),
    "show cbp gtm": ("data", "show", "cbp", "--series", "usbp_swb_encounters_fy", "--nationality", "gtm"),  # any case
    "show comar": ("data", "show", "comar"),
    "show policy": ("data", "show", "policy_events", "--series", "title42"),
    "show caravans": ("data", "show", "caravans", "--full"),
    "unknown name": ("data", "show", "nope"),
    "unknown series": ("data", "show", "cbp", "--series", "nope"),
    "unknown nationality": ("data", "show", "comar", "--nationality", "XXX"),
    "help": ("data", "--help"),
}


@pytest.fixture(scope="module")
def cli() -> dict[str, Outcome]:
    return corredor_many({key: args for key, args in COMMANDS.items()})


def ok(outcome: Outcome) -> str:
    assert "Traceback" not in outcome.output, outcome.output
    assert outcome.returncode == 0, f"exit {outcome.returncode}:\n{outcome.output}"
    return outcome.stdout


def test_cli_data_list(cli: dict[str, Outcome]):
    out = ok(cli["list"])
    for name in ROWS:
        assert name in out
    assert "2007–2018" in out  # cbp
    assert "185" in out  # drivers rows
    assert "observed" in out
    assert "input" in out


def test_cli_data_show(cli: dict[str, Outcome]):
    out = ok(cli["show cbp gtm"])
    assert "12 rows" in out
    assert "80,473" in out
    assert "115,722" in out
    assert "USBP apprehensions" in out  # the unit
    assert "source:" in out
    assert "github.com/emersoncollective" in out
    assert "high" in out
    assert "HND" not in out
    comar = ok(cli["show comar"])
    assert "29,410" in comar
    assert "26 rows" in comar
    policy = ok(cli["show policy"])
    assert "2020-03-20" in policy
    assert "title42" in policy
    caravans = ok(cli["show caravans"])
    assert "49 rows" in caravans
    assert "2018-10-12" in caravans


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("unknown name", "cbp, upm, comar, recalled_unverified, drivers, caravans, policy_events"),
        ("unknown series", "usbp_swb_encounters_fy"),
        ("unknown nationality", "nationality: ALL"),
    ],
)
def test_cli_data_bad_input_exits_2(cli: dict[str, Outcome], key: str, message: str):
    outcome = cli[key]
    assert outcome.returncode == 2, outcome.output
    assert "Traceback" not in outcome.output
    assert message in " ".join(outcome.stderr.split())


def test_cli_data_help(cli: dict[str, Outcome]):
    out = ok(cli["help"])
    assert "list" in out
    assert "show" in out


def test_show_in_a_narrow_terminal_prints_one_block_per_row():
    outcome = corredor("data", "show", "caravans", columns=80)
    assert outcome.returncode == 0, outcome.output
    assert "one block per row" in outcome.stdout and "— 1 of " in outcome.stdout
    assert "caravan_id" in outcome.stdout and "2018-10-13" in outcome.stdout  # field names and values, not letters
    assert max(len(line) for line in outcome.stdout.splitlines()) <= 80

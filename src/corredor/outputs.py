"""What the output files hold: the unit and meaning of every column of the tables `Results.write` writes
(`OUTPUT_TABLES`, `OUTPUT_COLUMNS`; `documented` adds them to a Parquet table as field metadata) and of every key of
summary.json (`SUMMARY_KEYS`), and `outputs_markdown`, which renders them as docs/outputs.md."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, NamedTuple

import pyarrow as pa

from corredor.engine.state import CaseRegister
from corredor.parameters import MODES
from corredor.results import STATES


class ColumnDoc(NamedTuple):
    """Unit and meaning of one output column (or summary.json key)."""

    unit: str
    description: str


def _frozen(columns: dict[str, tuple[str, str]]) -> Mapping[str, ColumnDoc]:
    return MappingProxyType({name: ColumnDoc(*doc) for name, doc in columns.items()})


_VALUE_UNITS = "persons; USD for fee_usd and ransom_usd; person-km for km_travelled"
_NODE = "network node id (`corredor info --network`)"
_NATIONALITY = "nationality (ISO3 code, e.g. HND)"

# What each file written by `Results.write` holds (also its Parquet schema's `description` metadata).
OUTPUT_TABLES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "counts": "Persons in each state at each node, by nationality, at the end of each day; non-zero cells only "
        "(a missing row is 0).",
        "events": "Event counters: the total of each event on each day, by node, nationality and travel mode; "
        "non-zero rows only. The events, and where in the model each is logged, are in docs/model.md.",
        "asylum_cases": "The asylum case register: one row per application to COMAR (one agent, i.e. `persons` "
        "persons), with its state at the end of the run.",
        "caravans": "Caravans as they formed: scheduled caravans (scenario input) and emergent ones (crowds leaving "
        "a COMAR office), one row each.",
    }
)

# Unit and description of every column of every table of `Results.tables`, by table; `Results.write` writes them
# into each Parquet field's metadata (keys ``unit`` and ``description``). tests/test_outputs.py checks that the
# columns and these entries match both ways.
OUTPUT_COLUMNS: Final[Mapping[str, Mapping[str, ColumnDoc]]] = MappingProxyType(
    {
        "counts": _frozen(
            {
                "date": ("date", "Day of the snapshot, taken at the end of the day."),
                "node": ("id", f"Where the persons are: {_NODE}; for people travelling, the node they last reached."),
                "state": (
                    "label",
                    f"State of the persons: one of {', '.join(STATES)}. The final states (recognised_mx, legal_mx, "
                    "in_us, legal_us, returned, dead) accumulate: a person stays in them to the end of the run.",
                ),
                "nationality": ("label", f"The persons' {_NATIONALITY}."),
                "persons": ("persons", "Persons in the cell: agents x the run's scale (a multiple of the scale)."),
            }
        ),
        "events": _frozen(
            {
                "date": ("date", "Day the event happened (the day the model processed it)."),
                "event": (
                    "label",
                    "Event name (`corredor.engine.model.EVENTS`, e.g. departure, apprehension_mx, "
                    "asylum_application, apprehension_us, death, fee_usd, km_travelled); docs/model.md says where "
                    "each is logged.",
                ),
                "node": (
                    "id",
                    f"Where the agent was when the event was logged: {_NODE}. For km_travelled and the harms of an "
                    "edge (extortion, kidnapping, ransom_usd, assault, death on the way), the node the edge left from.",
                ),
                "nationality": ("label", f"The {_NATIONALITY} of the persons concerned."),
                "mode": (
                    "label",
                    f"Travel mode of the agent when the event was logged: one of {', '.join(MODES)}.",
                ),
                "value": (
                    _VALUE_UNITS,
                    "Total of the event on that day for that node, nationality and mode, already multiplied by the "
                    "scale. For most events, persons it happened to (events: a person it happened to twice counts "
                    "twice). fee_usd: smuggling fees paid, USD. ransom_usd: ransoms of kidnappings, USD. "
                    "km_travelled: km travelled summed over the persons (person-km).",
                ),
            }
        ),
        "asylum_cases": _frozen(
            {
                "agent": (
                    "id",
                    "Agent who applied (one agent stands for `persons` persons); an agent who applies again on a "
                    "later journey has one row per application.",
                ),
                "office": ("id", f"COMAR office where the application was made: {_NODE}."),
                "nationality": ("label", f"The applicant's {_NATIONALITY}."),
                "applied_date": ("date", "Date of the application: the run's start date + whole days of applied_day."),
                "applied_day": (
                    "days since start",
                    "Time of the application in days since the start of the run (0.0 = midnight at the start of "
                    "the first day; the fraction is the time of day).",
                ),
                "started_day": (
                    "days since start",
                    "Time a COMAR caseworker team took up the file, in days since the start of the run; empty (NaN) "
                    "if none did (still waiting at the end of the run, or abandoned while waiting).",
                ),
                "closed_day": (
                    "days since start",
                    "Time the file closed (decision or abandonment), in days since the start of the run; empty "
                    "(NaN) while pending at the end of the run.",
                ),
                "outcome": (
                    "label",
                    f"State of the file at the end of the run: one of {', '.join(CaseRegister.OUTCOMES)}. recognised "
                    "= refugee status or complementary protection; abandoned = the applicant left the queue (gave "
                    "up waiting, or left in an emergent caravan).",
                ),
                "mode": (
                    "label",
                    f"How the applicant was travelling when they applied: one of {', '.join(MODES)} (caravan: a "
                    "caravan member, who leaves the caravan by applying).",
                ),
                "wait_days": (
                    "days",
                    "closed_day - applied_day, in calendar days (decided and abandoned files); empty (NaN) while "
                    "pending.",
                ),
                "wait_working_days": (
                    "working days",
                    "Working days (Monday to Friday, no public holidays) from the application date up to, not "
                    "including, the closing date (numpy.busday_count); empty (NaN) while pending.",
                ),
                "decided_within_deadline": (
                    "boolean (nullable)",
                    "Whether COMAR decided the file within the legal deadline (parameter "
                    "asylum.decision_deadline_working_days, 45 working days by default), for files that applied at "
                    "least that long before the end of the run: true if decided in time; false if not (decided "
                    "later, or still open when the deadline passed: pending at the end or abandoned after it); "
                    "empty (null) for a file abandoned before its deadline and for the files that applied later. "
                    "See `Results.deadline_met`.",
                ),
                "persons": ("persons", "Persons the row stands for: the run's scale (persons per agent)."),
            }
        ),
        "caravans": _frozen(
            {
                "caravan": (
                    "id",
                    "Caravan number, in order of formation (scheduled and emergent caravans share one numbering).",
                ),
                "day": ("days since start", "Day the caravan formed, in whole days since the start of the run."),
                "node": (
                    "id",
                    f"Where it formed: {_NODE}; a scheduled caravan's origin, or the COMAR office an emergent one "
                    "left.",
                ),
                "persons": (
                    "persons",
                    "Members when it formed (agents x scale); people who join a scheduled caravan later, within its "
                    "join window or to reach a recorded size, are not included (they log caravan_join events).",
                ),
                "name": (
                    "label",
                    "A scheduled caravan's name in the scenario (`scheduled` when it has none), or `emergent`.",
                ),
                "topped_up": (
                    "persons",
                    "People who joined a scheduled caravan on the days of its recorded_sizes to bring it up to the "
                    "recorded counts (also logged as caravan_join events); 0 for the others.",
                ),
                "date": ("date", "Date the caravan formed (the start date + day)."),
            }
        ),
    }
)

_OFFICE = "asylum_offices.<office>."
_OFFICE_YEAR = "asylum_offices_by_year.<office>.<year>."
_MODE = "asylum_by_mode.<mode>."
# Unit and description of every key of summary.json (`Results.summary`); the per-office figures of asylum_offices
# as ``asylum_offices.<office>.<figure>``.
SUMMARY_KEYS: Final[Mapping[str, ColumnDoc]] = _frozen(
    {
        "scenario": ("label", "Scenario name."),
        "seed": ("integer", "Random seed of the run."),
        "scale": ("persons per agent", "Persons one agent stands for (k); every persons figure is agents x scale."),
        "start": ("date (ISO 8601)", "First simulated day (day 0)."),
        "end": ("date (ISO 8601)", "Last simulated day (inclusive)."),
        "agents": ("agents", "Agents created during the run (x scale for persons)."),
        "agent_days": ("agent-days", "Agents present in the model summed over days (Flee's agents x days)."),
        "stochastic_droughts": (
            "list",
            "Droughts drawn at random for this run, each {nationality, start, end (ISO dates), food_insecurity_pp "
            "(extra food insecurity, percentage points)}; empty unless some drought_probability is above 0.",
        ),
        "caravans": (
            "list",
            "Caravans as they formed, as caravans.parquet: each {caravan, name, date (ISO), node, persons at "
            "formation, topped_up (persons who joined it to reach its recorded sizes), recorded_counts}; "
            "recorded_counts has one {date, recorded (the scenario's count), target (lowered by caravan blocking "
            "for a count made in Mexico), on_road (members on the road before the top-up), added (persons who "
            "joined)} per recorded size within the period: a count is not applied when on_road is 0 (the caravan "
            "dispersed, was blocked or applied for asylum) or already reaches the target.",
        ),
        "calendar_years": (
            "years",
            "Calendar years wholly inside the period: the years of upm_* and comar_applicants.",
        ),
        "fiscal_years": (
            "US fiscal years",
            "US federal fiscal years (FY t = 1 Oct t-1 to 30 Sep t) wholly inside the period: the years of "
            "cbp_apprehensions_fy.",
        ),
        "cbp_apprehensions_fy": (
            "events (persons)",
            "{nationality: {fiscal year: US Border Patrol apprehensions between ports}} (apprehension_us events; "
            "a person caught twice counts twice).",
        ),
        "upm_presentados": (
            "events (persons)",
            "{calendar year: persons presented to Mexico's migration authority} (apprehension_mx events).",
        ),
        "upm_devueltos": ("events (persons)", "{calendar year: returns by Mexico} (deportation_mx events)."),
        "comar_applicants": (
            "persons",
            "{calendar year: distinct persons with an asylum application dated in the year} (a person who applies "
            "twice in a year counts once).",
        ),
        "comar_applicants_by_nationality": (
            "persons",
            "{nationality: {calendar year: distinct persons with an asylum application dated in the year}}: "
            "comar_applicants by nationality, with the applicants from outside the corridor (outside_applicants, "
            "e.g. VEN) apart from the simulated nationalities.",
        ),
        "yearly_events": (
            _VALUE_UNITS,
            "{event: {calendar year: total}}: every event by calendar year, partial years included, rounded to "
            "0.01; units as the value column of events.parquet.",
        ),
        "asylum_offices": ("", "{COMAR office node id: {the figures below}}."),
        f"{_OFFICE}applications": ("persons", "Applications (a person who applies twice counts twice)."),
        f"{_OFFICE}decisions": ("persons", "Files decided (recognised or rejected) by the end of the run."),
        f"{_OFFICE}recognised": ("persons", "Files recognised by the end of the run."),
        f"{_OFFICE}abandoned": ("persons", "Files abandoned by the end of the run."),
        f"{_OFFICE}pending_at_end": ("persons", "Files still pending at the end of the run."),
        f"{_OFFICE}mean_wait_days": ("days", "Mean wait_days of the decided files (null if none)."),
        f"{_OFFICE}median_wait_days": ("days", "Median wait_days of the decided files (null if none)."),
        f"{_OFFICE}p90_wait_days": ("days", "90th percentile of wait_days of the decided files (null if none)."),
        f"{_OFFICE}share_decided_within_deadline": (
            "fraction (0 to 1)",
            "Share of the office's files decided within the legal deadline, among those where it is known "
            "(decided_within_deadline not empty); null if none.",
        ),
        "asylum_offices_by_year": (
            "",
            "{COMAR office node id: {complete calendar year: {the figures below}}}: one year's applicants and the "
            "files open at its end, where asylum_offices mixes the whole period.",
        ),
        f"{_OFFICE_YEAR}applications": ("persons", "Applications made that year."),
        f"{_OFFICE_YEAR}decided": ("persons", "Of those, files recognised or rejected by the end of the run."),
        f"{_OFFICE_YEAR}share_decided_within_deadline": (
            "fraction (0 to 1)",
            "Of that year's files where it is known, the share decided within the legal deadline; null if none.",
        ),
        f"{_OFFICE_YEAR}mean_time_waited_working_days": (
            "working days",
            "Mean working days that year's files waited: to decision or abandonment, or to the end of the run if "
            "still pending (null if no file).",
        ),
        f"{_OFFICE_YEAR}pending_at_year_end": ("persons", "Persons in files still open at the end of 31 December."),
        f"{_OFFICE_YEAR}decided_in_year": (
            "persons",
            "Files recognised or rejected during the calendar year, whenever they were applied for.",
        ),
        f"{_OFFICE_YEAR}years_to_clear_at_year_pace": (
            "years",
            "pending_at_year_end / decided_in_year: the years the office would take, deciding at that year's pace, "
            "to decide the files open on 31 December if nobody new applied and nobody abandoned (null if it "
            "decided none). When that year's applicants are not yet decided at the end of the run, their "
            "mean_time_waited_working_days is only how long they have waited so far; this says how long the queue is.",
        ),
        "asylum_by_mode": (
            "",
            f"{{travel mode when applying ({', '.join(MODES)}): {{the figures below}}}}, all offices and the whole "
            "period: caravan members' files apart from those of people travelling alone or with a smuggler "
            "(applicants from outside the corridor count as alone).",
        ),
        f"{_MODE}applications": ("persons", "Applications made in that mode."),
        f"{_MODE}decided": ("persons", "Of those, files recognised or rejected by the end of the run."),
        f"{_MODE}abandoned": ("persons", "Of those, files abandoned by the end of the run."),
        f"{_MODE}pending_at_end": ("persons", "Of those, files still pending at the end of the run."),
        f"{_MODE}share_decided_within_deadline": (
            "fraction (0 to 1)",
            "Of those files where it is known, the share decided within the legal deadline; null if none.",
        ),
        f"{_MODE}mean_time_waited_working_days": (
            "working days",
            "Mean working days those files waited: to decision or abandonment, or so far if pending (null if none).",
        ),
    }
)


def documented(name: str, table: pa.Table) -> pa.Table:
    """`table` with the unit and description of each column (`OUTPUT_COLUMNS`) as field metadata, and the table's
    description (`OUTPUT_TABLES`) as schema metadata; the data are unchanged."""
    docs = OUTPUT_COLUMNS[name]
    missing = [f.name for f in table.schema if f.name not in docs]
    if missing:
        raise KeyError(f"{name}: no entry in OUTPUT_COLUMNS for {missing}")
    fields = [
        f.with_metadata({b"unit": docs[f.name].unit.encode(), b"description": docs[f.name].description.encode()})
        for f in table.schema
    ]
    schema = pa.schema(fields, metadata={b"description": OUTPUT_TABLES[name].encode()})
    return pa.Table.from_arrays(table.columns, schema=schema)


def outputs_markdown() -> str:
    """docs/outputs.md: every column of the output files and every key of summary.json, with unit and meaning."""
    lines = [
        "# Output files",
        "",
        "Generated by `corredor.outputs.outputs_markdown()` from `OUTPUT_TABLES`, `OUTPUT_COLUMNS` and `SUMMARY_KEYS`",
        "in `src/corredor/outputs.py`; a test keeps this file in step with the code.",
        "",
        "`corredor run SCENARIO --out DIR` (or `Results.write(DIR)` in Python) writes the four Parquet tables and",
        "`summary.json` below; `Results.to_pandas()` returns the same tables as DataFrames. Each Parquet file carries",
        "the unit and description of every column as field metadata (keys `unit` and `description`) and the table's",
        "description as schema metadata (`description`); in Python:",
        "",
        "```python",
        "import pyarrow.parquet as pq",
        "",
        'pq.read_schema("out/asylum_cases.parquet").field("wait_days").metadata  # {b"unit": b"days", ...}',
        "```",
        "",
        "Persons are agents x the run's `scale`. Times in days since the start count from 0.0 at midnight at the start",
        "of the run's first day; the fraction is the time of day.",
    ]
    for name, columns in OUTPUT_COLUMNS.items():
        lines += ["", f"## {name}.parquet", "", OUTPUT_TABLES[name], "", "| column | unit | description |"]
        lines.append("|---|---|---|")
        lines += [f"| `{column}` | {_cell(doc.unit)} | {_cell(doc.description)} |" for column, doc in columns.items()]
    lines += [
        "",
        "## summary.json",
        "",
        "Run metadata and the official statistics of `corredor.observe` (docs/model.md 3.3.10). The official",
        "statistics cover complete calendar or fiscal years of the period only; years are keys (strings).",
        "",
        "| key | unit | description |",
        "|---|---|---|",
    ]
    lines += [f"| `{key}` | {_cell(doc.unit)} | {_cell(doc.description)} |" for key, doc in SUMMARY_KEYS.items()]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "/") or "-"

"""The dashboard's JSON API through FastAPI's TestClient: every endpoint, bad payloads answered with 4xx naming the
field, caps on horizon, agents, replicates and queued runs, ids that cannot reach outside the run store, and the
numbers the views are built from (Erlang C, edge flows, bands)."""

from __future__ import annotations

import copy
import importlib
import json
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from corredor.scenario import LEVERS
from corredor.web import basemap
from corredor.web.app import Settings, create_app
from corredor.web.builder import Limits
from corredor.web.views import time_bins, upgrade_view

ROOT = Path(__file__).resolve().parents[1]


def tiny(client: TestClient, days_end: str = "2018-02-28", scale: int = 200) -> dict[str, Any]:
    """The shipped baseline over two months at 1 agent = `scale` persons."""
    data: dict[str, Any] = client.get("/api/scenarios/baseline").json()
    data["period"] = {"start": "2018-01-01", "end": days_end}
    data["scale"] = scale
    data["caravans"] = []
    return data


def wait_done(client: TestClient, run_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()
        if record["status"] not in ("queued", "running"):
            return record
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s")


def fields(response: Any) -> list[str]:
    return [item["field"] for item in response.json()["detail"]]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(store=tmp_path / "store", scenarios=ROOT / "scenarios", workers=2, processes=False)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, str]]:
    """A client with two finished runs: a 2-replicate tiny run and one with twice the enforcement."""
    settings = Settings(store=tmp_path_factory.mktemp("store"), scenarios=ROOT / "scenarios", processes=False)
    with TestClient(create_app(settings)) as test_client:
        data = tiny(test_client)
        first = test_client.post("/api/runs", json={"scenario": data, "replicates": 2})
        assert first.status_code == 202, first.text
        stricter = {
            **data,
            "policy": [*data["policy"], {"date": "2018-01-01", "lever": "mx_enforcement_intensity", "value": 3}],
        }
        second = test_client.post("/api/runs", json={"scenario": stricter})
        ids = first.json()["id"], second.json()["id"]
        for run_id in ids:
            assert wait_done(test_client, run_id)["status"] == "done"
        yield test_client, *ids


def test_page_assets_and_docs_are_served_locally(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert '<script src="/vendor/plotly.min.js">' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from another host
    plotly = client.get("/vendor/plotly.min.js")
    assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
    assert client.get("/static/app.js").status_code == 200
    spec = client.get("/api/openapi.json").json()
    assert "/api/runs" in spec["paths"] and "/api/compare" in spec["paths"]
    answer = spec["paths"]["/api/runs"]["post"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/ErrorAnswer"}  # the {field, message} list the API really sends
    assert "HTTPValidationError" not in json.dumps(spec["paths"])  # FastAPI's own error shape is never documented
    assert "429" in spec["paths"]["/api/runs"]["post"]["responses"]
    assert "409" not in spec["paths"]["/api/meta"]["get"]["responses"]  # only the errors a route can give
    assert client.get("/api/docs").status_code == 200
    assert client.get("/docs").status_code == 404  # FastAPI's Swagger page would load from a CDN
    countries = {f["properties"]["name"] for f in client.get("/static/basemap.geojson").json()["features"]}
    assert {"Mexico", "Guatemala", "Belize", "Honduras", "El Salvador", "Nicaragua"} <= countries


def test_meta_lists_every_lever_with_its_range_and_the_network(client: TestClient) -> None:
    meta = client.get("/api/meta").json()
    levers = {lever["name"]: lever for lever in meta["levers"]}
    assert set(levers) == set(LEVERS)
    assert levers["comar_caseworkers"]["target"] == "office" and levers["comar_caseworkers"]["high"] == 10000
    assert levers["us_metering_intake_per_day"]["high"] is None  # unbounded, as JSON has no infinity
    assert "tapachula" in meta["offices"] and "san_diego" in meta["ports"]
    # the nodes with a COMAR office come first (the builder pre-selects the first), then the other Mexican nodes
    assert meta["comar_offices"] == ["tapachula", "acayucan", "mexico_city"]
    assert meta["offices"][:3] == meta["comar_offices"] and "ciudad_hidalgo" in meta["offices"][3:]
    assert "tapachula" in meta["shelter_sites"] and "ixtepec" in meta["shelter_sites"]
    assert not {"tijuana", "san_diego", "san_pedro_sula"} & set(meta["shelter_sites"])  # beds there would do nothing
    assert meta["limits"]["max_replicates"] == Limits().max_replicates


def test_interface_strings_exist_in_both_languages(client: TestClient) -> None:
    strings = client.get("/api/i18n").json()
    assert set(strings) == {"es", "en"}
    assert set(strings["es"]) == set(strings["en"])
    assert all(strings["es"].values()) and all(strings["en"].values())
    assert strings["es"]["nav.runs"] != strings["en"]["nav.runs"]
    # pending figures count persons, not COMAR's files; the median wait counts decided applications only
    for key in ("comar.backlog", "comar.pending"):
        assert "Personas" in strings["es"][key] and "Persons" in strings["en"][key]
        assert "expediente" not in strings["es"][key].lower() and "file" not in strings["en"][key].lower()
    assert "resueltas" in strings["es"]["comar.median_wait"] and "decided" in strings["en"]["comar.median_wait"]
    for name, lever in LEVERS.items():
        assert f"lever.{name}" in strings["en"] and f"unit.{lever.unit}" in strings["es"]
        assert strings["en"][f"leverhelp.{name}"] == lever.description  # the Spanish one translates this


def test_place_and_country_names_in_both_languages(client: TestClient) -> None:
    """Places with a usual Spanish name get it in Spanish (i18n key place.<node id>); nationality codes have names."""
    strings = client.get("/api/i18n").json()
    meta = client.get("/api/meta").json()
    ids = {node["id"] for node in meta["nodes"]}
    places = {key.removeprefix("place.") for key in strings["es"] if key.startswith("place.")}
    assert places <= ids, places - ids  # no key for a node that does not exist
    assert strings["es"]["place.mexico_city"] == "Ciudad de México"
    assert strings["es"]["place.guatemala_city"] == "Ciudad de Guatemala"
    assert strings["es"]["place.san_diego"] == "San Diego (garita de San Ysidro)"
    names = {node["id"]: node["name"] for node in meta["nodes"]}
    assert all(strings["en"][f"place.{p}"] == names[p] for p in places)  # English keeps nodes.csv's names
    countries = {node["country"] for node in meta["nodes"]} | set(
        client.get("/api/scenarios/baseline").json()["nationalities"]
    )
    assert {f"country.{c}" for c in countries} <= set(strings["es"])
    assert strings["es"]["country.USA"] == "Estados Unidos" and strings["en"]["country.SLV"] == "El Salvador"


def test_observed_statistics_for_the_overlays(client: TestClient) -> None:
    observed = client.get("/api/observed").json()
    assert set(observed) == {"comar_applicants", "upm_presentados", "upm_devueltos", "cbp_gtm_hnd_slv"}
    assert observed["comar_applicants"]["2018"] > observed["comar_applicants"]["2014"] > 1000
    assert max(int(year) for year in observed["cbp_gtm_hnd_slv"]) <= 2018  # later years are held out
    # the annual chart names the source of each series and the unit of its axis, in both languages
    strings = client.get("/api/i18n").json()
    for key in observed:
        for lang in ("es", "en"):
            assert f"observed.{key}" in strings[lang] and f"annual.unit.{key}" in strings[lang], (key, lang)
    assert "COMAR" in strings["es"]["observed.comar_applicants"] and "UPM" in strings["en"]["observed.upm_presentados"]
    assert (
        "Border Patrol" in strings["en"]["observed.cbp_gtm_hnd_slv"]
        and "fiscal" in strings["en"]["observed.cbp_gtm_hnd_slv"]
    )


def test_shipped_scenarios_and_unknown_names(client: TestClient) -> None:
    listed = {s["id"] for s in client.get("/api/scenarios").json()}
    assert {"baseline", "comar-staffing"} <= listed
    staffing = client.get("/api/scenarios/comar-staffing").json()
    assert "extends" not in staffing and staffing["period"]["start"] == "2014-01-01"  # resolved from baseline
    for name in ("nope", "..", "..%2F..%2Fpyproject", "baseline.toml"):
        response = client.get(f"/api/scenarios/{name}")
        assert response.status_code == 404, name
    assert fields(client.get("/api/scenarios/nope")) == ["scenario_id"]
    # a caravan's counts on the way and its source travel with it to the page and back (the builder keeps the
    # fields it does not edit)
    baseline = client.get("/api/scenarios/baseline").json()
    october = next(c for c in baseline["caravans"] if c["date"] == "2018-10-13")
    assert october["recorded_sizes"]["2018-10-22"] == 7200 and "cis.org" in october["source"]
    assert client.post("/api/scenarios/validate", json=baseline).status_code == 200


def test_validate_names_the_bad_fields(client: TestClient) -> None:
    data = tiny(client)
    ok = client.post("/api/scenarios/validate", json=data)
    assert ok.status_code == 200 and ok.json()["days"] == 59
    # the baseline's policy changes after February 2018, its 2014-15 drought and its Venezuelan applicants of 2014-17
    # cannot act in January-February 2018, and at 1 agent = 200 persons the hubs' 100 beds hold nobody
    notes = {n["field"].split("[")[0]: n["message"] for n in ok.json()["notes"]}
    assert set(notes) == {"policy", "droughts", "outside_applicants", "parameters.movement.default_shelter_capacity"}
    assert (
        "100 beds per shelter hub hold 0 persons at 1 agent = 200 persons"
        in notes["parameters.movement.default_shelter_capacity"]
    )
    late = {"date": "2019-06-01", "lever": "us_release_share", "value": 0.5}
    caravan = {"date": "2019-05-01", "origin": "san_pedro_sula", "size": 100, "nationality": "HND"}
    idle = client.post(
        "/api/scenarios/validate",
        json={**data, "policy": [late], "droughts": [], "caravans": [caravan], "outside_applicants": []},
    )
    idle_fields = [n["field"] for n in idle.json()["notes"] if not n["field"].startswith("parameters.")]
    assert idle_fields == ["caravans[0]", "policy[0]"]  # kept; the user is told
    cases = [
        ({"period": {"start": "2018-03-01", "end": "2018-01-01"}}, "period"),
        ({"scale": 0}, "scale"),
        ({"colour": "red"}, "colour"),
        ({"name": "x" * 201}, "name"),  # runs are listed with their names: no unbounded text
        ({"seed": 10**30}, "seed"),  # beyond a TOML integer
        ({"network": "/etc"}, "network"),
        ({"extends": "baseline.toml"}, "extends"),
        ({"policy": [{"date": "2018-01-01", "lever": "us_release_share", "value": 2}]}, "policy[0].value"),
        (
            {"droughts": [{"nationality": "XXX", "start": "2018-01-01", "end": "2018-02-01", "food_insecurity_pp": 3}]},
            "droughts[0].nationality",
        ),
    ]
    for change, field in cases:
        response = client.post("/api/scenarios/validate", json={**data, **change})
        assert response.status_code == 422, change
        assert field in fields(response), (change, response.json())
    not_object = client.post("/api/scenarios/validate", json=[1, 2])
    assert not_object.status_code == 422 and fields(not_object) == ["scenario"]


def test_limits_on_horizon_and_agents(client: TestClient) -> None:
    data = tiny(client)
    long = client.post("/api/scenarios/validate", json={**data, "period": {"start": "2000-01-01", "end": "2018-12-31"}})
    assert long.status_code == 422 and "period.end" in fields(long)
    crowded = client.post(
        "/api/scenarios/validate", json={**data, "period": {"start": "2009-01-02", "end": "2018-12-31"}, "scale": 1}
    )
    assert crowded.status_code == 422 and fields(crowded) == ["scale"]
    message = crowded.json()["detail"][0]["message"]
    assert message.count("raise the scale to at least") == 1, message
    # a caravan's recorded sizes count: each can add that many people (caravans.top_up)
    caravan = {"date": "2018-01-05", "origin": "san_pedro_sula", "size": 100, "nationality": "HND"}
    counts = {f"2018-01-{day:02d}": 1_000_000 for day in range(6, 10)}
    swollen = client.post(
        "/api/scenarios/validate", json={**data, "scale": 1, "caravans": [{**caravan, "recorded_sizes": counts}]}
    )
    assert swollen.status_code == 422 and fields(swollen) == ["scale"]
    assert client.post("/api/scenarios/validate", json={**data, "scale": 1, "caravans": [caravan]}).status_code == 200


def test_toml_save_and_load_round_trip(client: TestClient) -> None:
    data = tiny(client)
    saved = client.post("/api/scenarios/toml", json=data)
    assert saved.status_code == 200 and "attachment" in saved.headers["content-disposition"]
    assert "start = 2018-01-01" in saved.text  # a TOML date, not a string
    loaded = client.post("/api/scenarios/parse", content=saved.text.encode())
    assert loaded.status_code == 200
    assert loaded.json()["period"] == data["period"] and loaded.json()["policy"] == data["policy"]
    broken = client.post("/api/scenarios/parse", content=b"[period\nstart = ")
    assert broken.status_code == 422 and fields(broken) == ["(file)"]
    invalid = client.post("/api/scenarios/parse", content=saved.text.replace("scale = 200", "scale = -3").encode())
    assert invalid.status_code == 422 and fields(invalid) == ["scale"]
    assert client.post("/api/scenarios/toml", json={**data, "seed": -1}).status_code == 422


def test_bad_run_requests(client: TestClient) -> None:
    data = tiny(client)
    cases = [
        ({"scenario": data, "replicates": 0}, "replicates"),
        ({"scenario": data, "replicates": 11}, "replicates"),
        ({"scenario": data, "replicates": "many"}, "replicates"),
        ({"scenario": data, "colour": 1}, "colour"),
        ({"replicates": 1}, "scenario"),
        ({"scenario": {**data, "scale": 1, "period": {"start": "2009-01-02", "end": "2018-12-31"}}}, "scale"),
        ({"scenario": {**data, "period": {"start": "2018-01-01"}}}, "period.end"),
    ]
    for body, field in cases:
        response = client.post("/api/runs", json=body)
        assert response.status_code == 422, body
        assert field in fields(response), (field, response.json())
    broken = client.post("/api/runs", content=b'{"scenario": ', headers={"content-type": "application/json"})
    assert broken.status_code == 422 and fields(broken) == ["(body)"] and "not valid JSON" in broken.text
    assert client.get("/api/runs").json() == []  # nothing was stored


def test_every_error_answer_has_the_same_shape(client: TestClient) -> None:
    """Unknown paths and methods answer like the API's own errors: a list of {field, message}."""
    for response, status in ((client.get("/api/nope"), 404), (client.delete("/api/meta"), 405)):
        assert response.status_code == status
        assert fields(response) == ["(path)"] and response.json()["detail"][0]["message"].endswith(
            response.request.url.path
        )


def test_ids_outside_the_store_pattern_are_not_found(client: TestClient) -> None:
    for bad in ("..", "abc", "0123456789ABCDEF", "0123456789abcdef", "%2e%2e%2fetc", "0123456789abcdef0"):
        for path in ("", "/view", "/scenario.toml", "/scenario"):
            response = client.get(f"/api/runs/{bad}{path}")
            assert response.status_code == 404, (bad, path)
    assert client.post("/api/runs/../resubmit").status_code == 404
    assert client.delete("/api/runs/0123456789abcdef").status_code == 404


def test_queue_cap_answers_429(tmp_path: Path) -> None:
    settings = Settings(store=tmp_path, scenarios=ROOT / "scenarios", workers=1, max_queued=0, processes=False)
    with TestClient(create_app(settings)) as client:
        data = tiny(client, "2018-06-30", scale=20)
        first = client.post("/api/runs", json={"scenario": data})
        assert first.status_code == 202
        second = client.post("/api/runs", json={"scenario": data})
        assert second.status_code == 429
        assert fields(second) == ["(server)"] and "1 running and 0 waiting" in second.json()["detail"][0]["message"]
        assert [r["id"] for r in client.get("/api/runs").json()] == [first.json()["id"]]
        wait_done(client, first.json()["id"])


def test_a_run_executes_and_its_views_hold_together(finished: tuple[TestClient, str, str]) -> None:
    client, run_id, _ = finished
    record = client.get(f"/api/runs/{run_id}").json()
    assert record["status"] == "done" and record["progress"] == 1.0 and record["replicates"] == 2
    assert len(set(record["seeds"])) == 2
    assert run_id in {r["id"] for r in client.get("/api/runs").json()}
    view = client.get(f"/api/runs/{run_id}/view").json()
    ts = view["timeseries"]
    assert len(ts["dates"]) == 9  # weekly bins over 59 days
    # a point is dated by the last day of its week, the day its stocks are read: the last point is the run's last
    # day, and the people waiting for asylum there are those of the totals at the end
    assert ts["period"] == "week" and ts["starts"][:2] == ["2018-01-01", "2018-01-08"]
    assert ts["dates"][0] == "2018-01-07" and ts["dates"][-1] == "2018-02-28" and ts["starts"][-1] == "2018-02-26"
    assert view["map"]["dates"] == view["comar"]["dates"] == ts["dates"] and view["map"]["period"] == "week"
    end = view["totals"]["asylum_queue_end"]["median"]
    assert end > 0 and math.isclose(ts["series"]["asylum_queue"]["median"][-1], end, abs_tol=0.1)
    for series in ts["series"].values():
        assert all(lo <= mid <= hi for lo, mid, hi in zip(series["low"], series["median"], series["high"], strict=True))
    assert sum(ts["series"]["departure"]["median"]) > 0
    # events are daily means per bin: 8 weeks and a last bin of 3 days, which reads like the others
    assert ts["days_in_bin"] == [7] * 8 + [3] and ts["series"]["departure"]["unit"] == "per_day"
    per_day = ts["series"]["departure"]["median"]
    assert min(per_day) > 0.3 * max(per_day), per_day  # no fake collapse in the partial last week
    m = view["map"]
    assert len(m["people"]) == len(m["flow"]) == len(m["dates"])
    assert all(len(row) == len(m["edges"]) for row in m["flow"]) and all(len(r) == len(m["nodes"]) for r in m["people"])
    assert max(max(row) for row in m["flow"]) > 0
    nats = set(view["sankey"]["nationalities"])
    assert {link["source"] for link in view["sankey"]["links"]} <= nats
    departed = view["totals"]["departure"]["median"]
    assert 0 < sum(link["value"] for link in view["sankey"]["links"]) <= 2 * departed
    offices = {o["office"]: o for o in view["comar"]["offices"]}
    assert "tapachula" in offices
    assert [panel["key"] for panel in view["timeseries"]["annual"]] == []  # no complete year in two months
    assert offices["tapachula"]["caseworkers_needed"] is not None
    # the last bin of the wait histogram is open (every wait of 180 working days or more), not 175-180 plus the rest
    assert offices["tapachula"]["wait_bins"][-2:] == [175, 180]
    assert len(offices["tapachula"]["wait_counts"]) == len(offices["tapachula"]["wait_bins"])
    assert set(view["harms"]["by_mode"]) == {"extortion", "kidnapping", "assault", "death"}
    # segments along the route, south to north
    assert view["harms"]["segments"] == ["NIC", "SLV", "HND", "GTM", "MEX_south", "MEX_centre", "MEX_north", "USA"]
    toml = client.get(f"/api/runs/{run_id}/scenario.toml")
    assert toml.status_code == 200 and "end = 2018-02-28" in toml.text
    assert client.get(f"/api/runs/{run_id}/scenario").json()["scale"] == 200
    assert (client.app.state.store.path(run_id) / "rep-1" / "events.parquet").is_file()  # type: ignore[attr-defined]


def test_a_run_is_reproduced_from_its_scenario_file_and_seeds(finished: tuple[TestClient, str, str]) -> None:
    """The run's record names the root seed and each replicate's seed, and its scenario file says how to repeat a
    replicate: that file run with replicate 1's seed gives replicate 1's numbers exactly."""
    from corredor.experiments import replicate_seeds
    from corredor.scenario import parse_scenario
    from corredor.simulate import simulate
    from corredor.web.builder import from_toml

    client, run_id, _ = finished
    record = client.get(f"/api/runs/{run_id}").json()
    scenario = client.get(f"/api/runs/{run_id}/scenario").json()
    assert record["root_seed"] == scenario["seed"]
    assert record["seeds"] == replicate_seeds(scenario["seed"], 2)
    text = client.get(f"/api/runs/{run_id}/scenario.toml").text
    for k, seed in enumerate(record["seeds"]):
        assert f"replicate {k}: seed {seed}  ->  corredor run {run_id}.toml --scale 200 --seed {seed}" in text
    assert f"root seed {scenario['seed']}" in text and "without --seed runs the root seed" in text
    data = from_toml(text)  # the header is comments only: the file is the submitted scenario
    assert data["seed"] == scenario["seed"] and data["period"] == scenario["period"]
    again = simulate(parse_scenario(data, "scenario"), seed=record["seeds"][1]).summary()
    folder = client.app.state.store.path(run_id)  # type: ignore[attr-defined]
    stored = json.loads((folder / "rep-1" / "summary.json").read_text())
    assert json.loads(json.dumps(again["yearly_events"])) == stored["yearly_events"]


def test_one_rule_for_replicates_and_whole_persons(finished: tuple[TestClient, str, str]) -> None:
    """Every figure of a run's page is the mean over replicates, so a quantity shown in two panels has one number and
    the parts of a breakdown add up to the total; counts of persons and events are whole numbers."""
    client, run_id, _ = finished
    view = client.get(f"/api/runs/{run_id}/view").json()
    assert view["aggregate"] == "mean" and view["replicates"] == 2
    totals, harms = view["totals"], view["harms"]
    for key, entry in totals.items():
        assert len(entry["values"]) == 2 and math.isclose(entry["mean"], np.mean(entry["values"]), abs_tol=0.5), key
        assert isinstance(entry["mean"], int), key
    for kind in ("extortion", "kidnapping", "assault", "death"):
        for part in (harms["by_mode"][kind], harms["by_segment"][kind]):
            assert all(isinstance(x, int) for x in part), (kind, part)
            assert abs(sum(part) - totals[kind]["mean"]) <= len(part) / 2 + 0.5, kind  # rounding only
    # people waiting for asylum at the end: the COMAR table, the end of each office's chart and the totals agree
    offices = view["comar"]["offices"]
    for office in offices:
        assert office["pending_end"] == round(office["backlog"]["mean"][-1]), office["office"]
        assert isinstance(office["decided"], int) and all(isinstance(x, int) for x in office["wait_counts"])
    waiting = totals["asylum_queue_end"]["mean"]
    assert abs(sum(o["pending_end"] for o in offices) - waiting) <= len(offices) / 2 + 0.5
    assert math.isclose(view["timeseries"]["series"]["asylum_queue"]["mean"][-1], waiting, abs_tol=0.5)
    assert all(isinstance(link["value"], int) for link in view["sankey"]["links"])
    old = copy.deepcopy(view)
    del old["aggregate"]
    assert upgrade_view(old, view["start"], "2018-02-28")["aggregate"] == "median"  # what older views drew


def test_views_stored_by_earlier_versions_are_upgraded(finished: tuple[TestClient, str, str]) -> None:
    """Views written before event series became daily means (per-bin totals, no days_in_bin) are read as today's."""
    client, run_id, _ = finished
    view = client.get(f"/api/runs/{run_id}/view").json()
    record = client.get(f"/api/runs/{run_id}").json()
    old = copy.deepcopy(view)
    days = old["timeseries"].pop("days_in_bin")
    del old["comar"]["days_in_bin"]
    for entry in old["timeseries"]["series"].values():
        del entry["unit"]
        if entry["kind"] == "event":
            for key in ("low", "median", "high"):
                entry[key] = [v * d for v, d in zip(entry[key], days, strict=True)]
    for part in (old["timeseries"], old["map"], old["comar"]):  # points were dated by the first day of their bin
        part["dates"] = part.pop("starts")
        del part["period"]
    # segments of harms were listed by code (GTM, HND, MEX_centre, ...), not along the route
    del old["harms"]["order"]
    by_code = sorted(range(len(view["harms"]["segments"])), key=lambda i: view["harms"]["segments"][i])
    old["harms"]["segments"] = [view["harms"]["segments"][i] for i in by_code]
    old["harms"]["by_segment"] = {k: [v[i] for i in by_code] for k, v in view["harms"]["by_segment"].items()}
    new = upgrade_view(old, record["start"], record["end"])
    assert new["harms"] == view["harms"]
    for name in ("timeseries", "map", "comar"):
        assert {k: new[name][k] for k in ("dates", "starts", "period")} == {
            k: view[name][k] for k in ("dates", "starts", "period")
        }, name
    assert new["timeseries"]["days_in_bin"] == days and new["comar"]["days_in_bin"] == days
    for name, entry in view["timeseries"]["series"].items():
        assert new["timeseries"]["series"][name]["unit"] == entry["unit"]
        assert np.allclose(new["timeseries"]["series"][name]["median"], entry["median"], atol=0.01), name
    assert upgrade_view(view, record["start"], record["end"]) == view  # today's views are left alone


def test_caravan_load_view_adds_up_to_the_runs_events(client: TestClient) -> None:
    """The caravan scenario over Oct-Dec 2018: the caravans, COMAR applications by travel mode, shelters and northern
    border of the view are the sums of the replicates' own tables (events.parquet, caravans.parquet), and the
    caravan applications of Oct-Dec 2018 are set against COMAR's 4,721."""
    import pandas as pd

    data: dict[str, Any] = client.get("/api/scenarios/caravan-oct-2018").json()
    data["period"] = {"start": "2018-10-01", "end": "2018-12-31"}
    data["scale"] = 50
    run_id = client.post("/api/runs", json={"scenario": data, "replicates": 2}).json()["id"]
    assert wait_done(client, run_id)["status"] == "done"
    view = client.get(f"/api/runs/{run_id}/view").json()
    folder = client.app.state.store.path(run_id)  # type: ignore[attr-defined]
    events = [pd.read_parquet(folder / f"rep-{k}" / "events.parquet") for k in range(2)]
    caravans = [pd.read_parquet(folder / f"rep-{k}" / "caravans.parquet") for k in range(2)]

    def mean_of(name: str, **where: str) -> float:
        totals = []
        for ev in events:
            rows = ev[ev["event"] == name]
            for column, value in where.items():
                rows = rows[rows[column] == value]
            totals.append(float(rows["value"].sum()))
        return float(np.mean(totals))

    c = view["caravans"]
    # applications by mode add up to all applications, mode by mode to the events of that mode; the applicants from
    # outside the corridor (the baseline's Venezuelans, who apply in mode alone) are apart from the corridor's
    by_mode = {m: sum(c["applications"][m]["mean"]) for m in c["modes"]}
    assert math.isclose(sum(by_mode.values()), view["totals"]["asylum_application"]["mean"], abs_tol=0.5)
    assert c["modes"][-1] == "outside" and by_mode["outside"] > 0

    def expected(mode: str, **where: str) -> float:
        if mode == "outside":
            return mean_of("outside_arrival", **where)
        corridor = mean_of("asylum_application", mode=mode, **where)
        return corridor - mean_of("outside_arrival", **where) if mode == "alone" else corridor

    for m, value in by_mode.items():
        assert math.isclose(value, expected(m), abs_tol=0.05), m
    assert by_mode["caravan"] > 0
    for office in c["applications_by_office"]:
        for m, value in zip(c["modes"], office["by_mode"], strict=True):
            assert abs(value - expected(m, node=office["office"])) <= 0.5
    # Oct-Dec 2018 is covered: caravan applications then, against COMAR's figure and its source
    ref = c["reference"]
    assert ref["observed"] == 4721 and "mexiconewsdaily.com" in ref["source"]
    assert ref["simulated"]["mean"] == round(mean_of("asylum_application", mode="caravan"))
    # the October caravan: its size at departure as caravans.parquet has it, the joiners from caravan_join events
    october = next(k for k in c["caravans"] if k["name"] == "October 2018 caravan")
    assert october["date"] == "2018-10-13" and october["node"] == "san_pedro_sula"
    sizes = [float(t.loc[t["name"] == "October 2018 caravan", "persons"].sum()) for t in caravans]
    assert october["persons"] == round(np.mean(sizes)) and october["joiners"] > 0
    # those who joined it to reach its recorded counts (Oct 2018, in the period) as caravans.parquet has them, apart
    topped = [float(t.loc[t["name"] == "October 2018 caravan", "topped_up"].sum()) for t in caravans]
    assert october["topped_up"] == round(np.mean(topped)) and october["topped_up"] > 0
    joined = (
        sum(k["joiners"] + k["topped_up"] for k in c["caravans"]) + c["emergent_joined"] + c["unattributed_joiners"]
    )
    assert abs(joined - mean_of("caravan_join")) <= 2 * len(c["caravans"]) + 2  # whole persons, rounded apiece
    assert c["unattributed_joiners"] == 0
    joined_flow = sum(c["flows"]["joined"]["mean"])
    assert math.isclose(joined_flow, mean_of("caravan_join") + mean_of("caravan_departure"), abs_tol=0.05)
    # shelters: persons turned away and given a bed are the events, node by node and in all
    s = view["shelters"]
    assert s["turned_away_total"] == round(mean_of("shelter_turned_away")) and s["turned_away_total"] > 0
    assert s["stays_total"] == round(mean_of("shelter_stay"))
    for node in s["nodes"]:
        assert node["turned_away_total"] == round(mean_of("shelter_turned_away", node=node["node"])), node["node"]
        assert math.isclose(sum(node["turned_away"]["mean"]), mean_of("shelter_turned_away", node=node["node"]))
        assert node["beds"][-1] == 100  # parameters.movement.default_shelter_capacity; no lever in the scenario
    assert "ixtepec" in {n["node"] for n in s["nodes"]}
    # the northern border: port presentations per city, the port and its metering intake (40 a day from June 2018,
    # 70 at San Ysidro from 25 Nov 2018: baseline.toml)
    b = view["border"]
    for node in b["nodes"]:
        assert node["presented_total"] == round(mean_of("port_presentation_us", node=node["node"])), node["node"]
    tijuana = next((n for n in b["nodes"] if n["node"] == "tijuana"), None)
    if tijuana is not None:
        assert tijuana["port"] == "san_diego" and tijuana["intake_per_day"][-1] == 70
    # a view stored before this version has none of it, and is served as it was (the page says so)
    old = copy.deepcopy(view)
    for key in ("caravans", "shelters", "border"):
        del old[key]
    assert not {"caravans", "shelters", "border"} & set(upgrade_view(old, "2018-10-01", "2018-12-31"))
    # a run that does not cover Oct-Dec 2018 gets no reference figure
    short = client.post(
        "/api/runs", json={"scenario": {**data, "period": {"start": "2018-10-01", "end": "2018-11-30"}}}
    )
    short_id = short.json()["id"]
    assert wait_done(client, short_id)["status"] == "done"
    assert client.get(f"/api/runs/{short_id}/view").json()["caravans"]["reference"] is None


def test_time_points_are_dated_by_their_last_day() -> None:
    """Monthly points of a run that starts mid-month: the first point is the partial month up to its last day."""
    tb = time_bins(np.datetime64("2018-01-15"), 365)
    assert tb.period == "month" and len(tb.dates) == len(tb.starts) == 13
    assert (tb.starts[0], tb.dates[0]) == ("2018-01-15", "2018-01-31")
    assert (tb.starts[1], tb.dates[1]) == ("2018-02-01", "2018-02-28")
    assert (tb.starts[-1], tb.dates[-1]) == ("2019-01-01", "2019-01-14")
    assert [str(np.datetime64("2018-01-15") + int(d)) for d in tb.last_day] == tb.dates


def test_done_runs_are_not_resubmitted(finished: tuple[TestClient, str, str]) -> None:
    client, run_id, _ = finished
    response = client.post(f"/api/runs/{run_id}/resubmit")
    assert response.status_code == 409 and "only interrupted or failed" in response.json()["detail"][0]["message"]


def test_compare_two_runs(finished: tuple[TestClient, str, str]) -> None:
    client, first, second = finished
    compared = client.get("/api/compare", params={"ids": [first, second]})
    assert compared.status_code == 200
    body = compared.json()
    assert [r["id"] for r in body["runs"]] == [first, second]
    rows = {row["outcome"]: row for row in body["rows"]}
    for row in rows.values():
        assert row["differences"][0] == 0
        assert math.isclose(row["differences"][1], row["values"][1] - row["values"][0], abs_tol=0.11)
    assert rows["apprehension_mx"]["differences"][1] > 0  # three times the enforcement effort
    one = client.get("/api/compare", params={"ids": [first]})
    assert one.status_code == 422 and fields(one) == ["ids"]
    unknown = client.get("/api/compare", params={"ids": [first, "feedfeedfeedfeed"]})
    assert unknown.status_code == 404 and fields(unknown) == ["ids"]
    many = client.get("/api/compare", params={"ids": [first, second] * 5})
    assert many.status_code == 422 and "2 to 8" in many.json()["detail"][0]["message"]
    assert client.get("/api/compare").status_code == 422


def test_compare_gives_intervals_and_says_what_differs(finished: tuple[TestClient, str, str]) -> None:
    """Each difference comes with its 90 % interval, paired replicate by replicate when the runs share seeds, period
    and scale (as `corredor compare`), flagged clear only when it excludes zero; a run with one replicate has no
    interval; runs of other periods, scales or replicate counts are compared with a warning naming the difference."""
    from corredor.experiments.compare import paired_difference

    client, first, single = finished
    data = client.get(f"/api/runs/{first}/scenario").json()
    stricter = {
        **data,
        "policy": [*data["policy"], {"date": "2018-01-01", "lever": "mx_enforcement_intensity", "value": 3}],
    }
    coarser = {**data, "scale": 400, "period": {"start": "2018-01-01", "end": "2018-01-31"}}
    ids = [client.post("/api/runs", json={"scenario": d, "replicates": 2}).json()["id"] for d in (stricter, coarser)]
    for run_id in ids:
        assert wait_done(client, run_id)["status"] == "done"
    paired = client.get("/api/compare", params={"ids": [first, ids[0]]}).json()
    assert paired["level"] == 0.9 and paired["methods"] == ["reference", "paired"] and paired["warnings"] == []
    views = [client.get(f"/api/runs/{i}/view").json()["totals"] for i in (first, ids[0])]
    rows = {row["outcome"]: row for row in paired["rows"]}
    for key, row in rows.items():
        assert row["values"] == [views[0][key]["mean"], views[1][key]["mean"]]
        _, low, high, _ = paired_difference(views[0][key]["values"], views[1][key]["values"], level=0.9)
        assert row["intervals"][0] is None and row["intervals"][1] == [round(low, 1), round(high, 1)], key
        assert row["clear"][1] == (low > 0 or high < 0), key
    # with 2 replicates most intervals are wide: a difference of means is not by itself a result
    assert any(row["differences"][1] != 0 and row["clear"][1] is False for row in rows.values())
    one = client.get("/api/compare", params={"ids": [first, single]}).json()
    assert one["methods"] == ["reference", "none"] and one["warnings"] == [{"field": "replicates", "values": [2, 1]}]
    assert all(row["intervals"] == [None, None] and row["clear"] == [None, None] for row in one["rows"])
    # a run stored before the totals kept each replicate's value: no interval, and the answer says why
    store = client.app.state.store  # type: ignore[attr-defined]
    view_file = store.path(ids[0]) / "view.json"
    stored = json.loads(view_file.read_text())
    for entry in stored["totals"].values():
        del entry["values"]
    view_file.write_text(json.dumps(stored))
    older = client.get("/api/compare", params={"ids": [first, ids[0]]}).json()
    assert older["methods"] == ["reference", "stored"] and all(row["intervals"][1] is None for row in older["rows"])
    other = client.get("/api/compare", params={"ids": [first, ids[1]]}).json()
    assert other["methods"] == ["reference", "unpaired"]
    assert [w["field"] for w in other["warnings"]] == ["period", "scale"]
    assert other["warnings"][1]["values"] == [200, 400]


def test_delete_a_run(client: TestClient) -> None:
    created = client.post("/api/runs", json={"scenario": tiny(client)}).json()
    wait_done(client, created["id"])
    assert client.delete(f"/api/runs/{created['id']}").status_code == 204
    assert client.get(f"/api/runs/{created['id']}").status_code == 404
    assert client.get("/api/runs").json() == []


def test_a_failing_run_is_recorded_as_failed(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("corredor.simulate")  # the package exports a function of the same name

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("engine broke")

    monkeypatch.setattr(module, "simulate", broken)
    created = client.post("/api/runs", json={"scenario": tiny(client)}).json()
    record = wait_done(client, created["id"])
    assert record["status"] == "failed" and "engine broke" in record["error"]
    assert client.get(f"/api/runs/{created['id']}/view").status_code == 409


def test_basemap_builder_clips_and_decodes() -> None:
    square = [(-120.0, 0.0), (-100.0, 0.0), (-100.0, 20.0), (-120.0, 20.0), (-120.0, 0.0)]
    clipped = basemap.clip_ring(square, (-110.0, 10.0, -90.0, 30.0))
    xs, ys = zip(*clipped, strict=True)
    assert min(xs) == -110 and max(xs) == -100 and min(ys) == 10 and max(ys) == 20
    topology = {
        "type": "Topology",
        "transform": {"scale": [1.0, 1.0], "translate": [-100.0, 15.0]},
        "arcs": [[[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]]],
        "objects": {
            "countries": {"geometries": [{"type": "Polygon", "arcs": [[0]], "id": "1", "properties": {"name": "X"}}]}
        },
    }
    collection = basemap.build(topology, tolerance=0.0, min_area=0.5)
    ring = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert ring[0] == [-100.0, 15.0] and [-99.0, 16.0] in ring
    shipped = json.loads((ROOT / "src" / "corredor" / "web" / "static" / "basemap.geojson").read_text())
    assert "Natural Earth" in shipped["source"]


def test_every_engine_state_has_a_journey_outcome_and_a_label(client: TestClient) -> None:
    from corredor.engine.state import State
    from corredor.web.views import OUTCOMES

    assert set(OUTCOMES) == {state.name.lower() for state in State}  # a new state needs its Sankey outcome
    strings = client.get("/api/i18n").json()
    assert all(f"end.{outcome}" in strings["es"] for outcome in OUTCOMES.values())

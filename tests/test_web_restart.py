"""The run store across server restarts: a finished run is still listed (with its view) by a new app on the same
store, a run left queued or running is marked interrupted, and an interrupted run can be resubmitted and finishes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from corredor.web.app import Settings, create_app
from corredor.web.store import RunStore

ROOT = Path(__file__).resolve().parents[1]


def settings(store: Path) -> Settings:
    return Settings(store=store, scenarios=ROOT / "scenarios", processes=False)


def tiny(client: TestClient) -> dict[str, Any]:
    data: dict[str, Any] = client.get("/api/scenarios/baseline").json()
    data["period"] = {"start": "2018-01-01", "end": "2018-01-31"}
    data["scale"] = 200
    data["caravans"] = []
    return data


def wait_done(client: TestClient, run_id: str) -> dict[str, Any]:
    for _ in range(1200):
        record: dict[str, Any] = client.get(f"/api/runs/{run_id}").json()
        if record["status"] not in ("queued", "running"):
            return record
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish")


def test_finished_runs_survive_a_restart_and_interrupted_ones_can_be_resubmitted(tmp_path: Path) -> None:
    with TestClient(create_app(settings(tmp_path))) as client:
        data = tiny(client)
        done = client.post("/api/runs", json={"scenario": data}).json()["id"]
        assert wait_done(client, done)["status"] == "done"
        view = client.get(f"/api/runs/{done}/view").json()
    # A run the server was executing when it stopped: its folder says "running" and no worker will finish it.
    store = RunStore(tmp_path)
    cut = store.create({"scenario": data, "replicates": 1, "seeds": [7]}, "")
    store.set_state(cut, status="running", progress=0.4)

    with TestClient(create_app(settings(tmp_path))) as client:  # a new server on the same store
        runs = {r["id"]: r for r in client.get("/api/runs").json()}
        assert runs[done]["status"] == "done"
        assert client.get(f"/api/runs/{done}/view").json() == view
        assert runs[cut]["status"] == "interrupted"
        assert client.get(f"/api/runs/{cut}/view").status_code == 409
        again = client.post(f"/api/runs/{cut}/resubmit")
        assert again.status_code == 202
        assert wait_done(client, cut)["status"] == "done"
        assert client.get(f"/api/runs/{cut}/view").json()["seeds"] == [7]

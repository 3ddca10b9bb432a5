"""The route network: the shipped corridor graph and Flee's CSV format compile to usable route options."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corredor.network import (
    NODE_KINDS,
    ROUTE_FAMILIES,
    NetworkError,
    compile_routes,
    load_default_network,
    read_flee,
)

FLEE = Path(__file__).resolve().parents[1] / "benchmarks" / "flee-corridor"


def test_default_network_has_every_kind_and_connects_origins_to_ports():
    network = load_default_network()
    kinds = {NODE_KINDS[k] for k in network.node_kind}
    assert kinds == set(NODE_KINDS)
    routes = compile_routes(network)
    for origin in network.nodes_of_kind("origin"):
        mine = routes.routes_from(int(origin))
        assert set(routes.port[mine]) == set(network.nodes_of_kind("us_port_of_entry"))
    # Routes enter Mexico by each of the three main families.
    assert {ROUTE_FAMILIES[f] for f in routes.family} >= {"pacific", "gulf", "central"}
    # Every route's last node is a port; the one before it a northern border city.
    last = routes.nodes[np.arange(routes.n_routes), routes.length - 1]
    before = routes.nodes[np.arange(routes.n_routes), routes.length - 2]
    assert (network.node_kind[last] == NODE_KINDS.index("us_port_of_entry")).all()
    assert (network.node_kind[before] == NODE_KINDS.index("border_city_north")).all()


def test_oct_2018_caravan_route_length_is_close_to_reported():
    network = load_default_network()
    routes = compile_routes(network)
    start, port = network.index("san_pedro_sula"), network.index("san_diego")
    pacific = [
        r for r in routes.routes_from(start) if routes.port[r] == port and ROUTE_FAMILIES[routes.family[r]] == "pacific"
    ]
    # Reported: "more than 4,300 km"; the graph's estimates run up to 14% long (data/README.md).
    assert 4300 <= min(routes.total_km[pacific]) <= 4300 * 1.16


def test_flee_graph_is_read_with_kinds_and_routes():
    network = read_flee(FLEE / "locations.csv", FLEE / "routes.csv")
    assert network.n_nodes == 93
    assert len(network.edge_km) == 164
    counts = {kind: int((network.node_kind == NODE_KINDS.index(kind)).sum()) for kind in NODE_KINDS}
    assert counts["origin"] == 12
    assert counts["us_port_of_entry"] == 12
    assert counts["border_city_north"] > 0
    assert counts["border_crossing_south"] > 0
    routes = compile_routes(network)
    assert routes.n_routes >= 12 * 12


def test_flee_reader_names_the_bad_row(tmp_path: Path):
    (tmp_path / "locations.csv").write_text("#name,region,country,lon,lat,type\nA,X,GTM,-90,15,conflict_zone\n")
    (tmp_path / "routes.csv").write_text("#name1,name2,distance\nA,Nowhere,10\n")
    with pytest.raises(NetworkError, match="Nowhere"):
        read_flee(tmp_path / "locations.csv", tmp_path / "routes.csv")

"""Route network: nodes and edges of the corridor, loaded from CSV and compiled to integer-indexed arrays.

Two readers produce the same `Network`: the shipped corredor network (``data/network/nodes.csv`` and
``edges.csv``, each row with its source) and Flee's ``locations.csv`` / ``routes.csv`` format, so that Flee users can
bring their graphs. `compile_routes` precomputes the route options (origin -> US port) that agents choose among.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from corredor.parameters import ROUTE_FAMILIES

NODE_KINDS = (
    "origin",
    "border_crossing_south",
    "transit",
    "asylum_office",
    "shelter_hub",
    "border_city_north",
    "us_port_of_entry",
)
# Families of the ways into southern Mexico; a route is labelled by the one of the edge by which it enters Mexico.
MAIN_FAMILIES = ("pacific", "gulf", "central")
TRAVEL_MODES = ("foot", "bus", "train", "smuggler_vehicle")


class NetworkError(ValueError):
    """A network file is malformed: names the file, the row and what is wrong."""


@dataclass(frozen=True)
class Network:
    """Nodes and undirected edges as parallel arrays (structure of arrays)."""

    node_ids: tuple[str, ...]
    node_names: tuple[str, ...]
    node_country: tuple[str, ...]
    node_kind: NDArray[np.int8]  # index into NODE_KINDS
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    edge_from: NDArray[np.int32]
    edge_to: NDArray[np.int32]
    edge_km: NDArray[np.float64]
    edge_family: NDArray[np.int8]  # index into ROUTE_FAMILIES
    edge_train: NDArray[np.bool_]  # freight rail ("La Bestia") runs along the edge
    source: str

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    def index(self, node_id: str) -> int:
        return self.node_ids.index(node_id)

    def nodes_of_kind(self, kind: str) -> NDArray[np.int64]:
        return np.flatnonzero(self.node_kind == NODE_KINDS.index(kind))

    def in_mexico(self) -> NDArray[np.bool_]:
        return np.array([c == "MEX" for c in self.node_country])

    def edge_index(self) -> dict[tuple[int, int], int]:
        """Map (a, b) in both directions to the edge number."""
        out: dict[tuple[int, int], int] = {}
        for e, (a, b) in enumerate(zip(self.edge_from.tolist(), self.edge_to.tolist(), strict=True)):
            out[(a, b)] = e
            out[(b, a)] = e
        return out


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_default_network() -> Network:
    """The shipped corridor network (90 nodes, 112 edges), built from the project's sourced CSV files."""
    base = resources.files("corredor") / "data" / "network"
    with resources.as_file(base) as folder:
        return read_corredor_csv(Path(folder) / "nodes.csv", Path(folder) / "edges.csv")


def read_corredor_csv(nodes_csv: Path, edges_csv: Path) -> Network:
    """Read corredor's own network format (see data/network/README in the docs)."""
    nodes = _read_rows(nodes_csv)
    edges = _read_rows(edges_csv)
    ids = [row["id"] for row in nodes]
    position = {node_id: i for i, node_id in enumerate(ids)}
    if len(position) != len(ids):
        raise NetworkError(f"{nodes_csv}: node ids must be unique")
    kinds = []
    for line, row in enumerate(nodes, start=2):
        if row["kind"] not in NODE_KINDS:
            raise NetworkError(f"{nodes_csv}:{line}: kind {row['kind']!r} is not one of {', '.join(NODE_KINDS)}")
        kinds.append(NODE_KINDS.index(row["kind"]))
    e_from, e_to, km, family, train = [], [], [], [], []
    for line, row in enumerate(edges, start=2):
        for end in ("from", "to"):
            if row[end] not in position:
                raise NetworkError(f"{edges_csv}:{line}: {end} node {row[end]!r} is not in {nodes_csv.name}")
        if row["route_family"] not in ROUTE_FAMILIES:
            raise NetworkError(f"{edges_csv}:{line}: route_family {row['route_family']!r} is unknown")
        distance = float(row["road_km"])
        if not distance > 0:
            raise NetworkError(f"{edges_csv}:{line}: road_km must be > 0, got {row['road_km']}")
        e_from.append(position[row["from"]])
        e_to.append(position[row["to"]])
        km.append(distance)
        family.append(ROUTE_FAMILIES.index(row["route_family"]))
        train.append("train" in row["modes"].split(";"))
    return Network(
        node_ids=tuple(ids),
        node_names=tuple(row["name"] for row in nodes),
        node_country=tuple(row["country"] for row in nodes),
        node_kind=np.array(kinds, dtype=np.int8),
        lat=np.array([float(row["lat"]) for row in nodes]),
        lon=np.array([float(row["lon"]) for row in nodes]),
        edge_from=np.array(e_from, dtype=np.int32),
        edge_to=np.array(e_to, dtype=np.int32),
        edge_km=np.array(km),
        edge_family=np.array(family, dtype=np.int8),
        edge_train=np.array(train, dtype=bool),
        source=f"corredor:{nodes_csv.parent}",
    )


def _read_flee_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.reader(handle) if row and not row[0].lstrip().startswith("#")]


def _flee_lat_first(locations_csv: Path) -> bool:
    """Flee files name their coordinate columns in a header comment (``lat,lon`` or ``gps_x_lon,gps_y_lat``)."""
    with locations_csv.open(encoding="utf-8") as handle:
        header = handle.readline().lstrip("#").lower().split(",")
    fourth = header[3] if len(header) > 3 else ""
    return "lat" in fourth and "lon" not in fourth


def read_flee(locations_csv: Path, routes_csv: Path) -> Network:
    """Read a graph in Flee's ``locations.csv`` / ``routes.csv`` format.

    Flee location types map to corredor node kinds: ``conflict_zone`` -> origin; ``camp`` in the USA -> US port of
    entry; ``camp`` elsewhere -> asylum office; ``town`` -> transit, except Mexican towns linked to a US node
    (northern border cities) and towns linked across the Guatemala-Mexico border (southern crossings). Flee routes
    carry no route family, so every edge is ``other``; every mode may use every link.
    """
    lat_first = _flee_lat_first(locations_csv)
    locations = _read_flee_csv(locations_csv)
    routes = _read_flee_csv(routes_csv)
    ids: list[str] = []
    countries: list[str] = []
    flee_types: list[str] = []
    lat: list[float] = []
    lon: list[float] = []
    for line, row in enumerate(locations, start=1):
        if len(row) < 6:
            raise NetworkError(f"{locations_csv}: row {line} has {len(row)} columns, Flee needs at least 6")
        try:
            first, second = float(row[3]), float(row[4])
            lat.append(first if lat_first else second)
            lon.append(second if lat_first else first)
        except ValueError as exc:
            raise NetworkError(f"{locations_csv}: row {line}: gps_x/gps_y must be numbers ({exc})") from None
        ids.append(row[0].strip())
        countries.append(row[2].strip() or row[1].strip())
        flee_types.append(row[5].strip())
    position = {node_id: i for i, node_id in enumerate(ids)}
    e_from, e_to, km = [], [], []
    for line, row in enumerate(routes, start=1):
        if len(row) < 3:
            raise NetworkError(f"{routes_csv}: row {line} needs name1,name2,distance")
        for name in row[:2]:
            if name.strip() not in position:
                raise NetworkError(f"{routes_csv}: row {line}: location {name!r} is not in {locations_csv.name}")
        e_from.append(position[row[0].strip()])
        e_to.append(position[row[1].strip()])
        km.append(max(float(row[2]), 0.1))
    neighbours: list[set[int]] = [set() for _ in ids]
    for a, b in zip(e_from, e_to, strict=True):
        neighbours[a].add(b)
        neighbours[b].add(a)
    kinds = []
    for i, flee_type in enumerate(flee_types):
        near = {countries[j] for j in neighbours[i]}
        if flee_type == "conflict_zone":
            kind = "origin"
        elif flee_type == "camp":
            kind = "us_port_of_entry" if countries[i] == "USA" else "asylum_office"
        elif countries[i] == "MEX" and "USA" in near:
            kind = "border_city_north"
        elif (countries[i] == "MEX" and near - {"MEX", "USA"}) or (countries[i] != "MEX" and "MEX" in near):
            kind = "border_crossing_south"
        else:
            kind = "transit"
        kinds.append(NODE_KINDS.index(kind))
    return Network(
        node_ids=tuple(ids),
        node_names=tuple(name.replace("_", " ") for name in ids),
        node_country=tuple(countries),
        node_kind=np.array(kinds, dtype=np.int8),
        lat=np.array(lat),
        lon=np.array(lon),
        edge_from=np.array(e_from, dtype=np.int32),
        edge_to=np.array(e_to, dtype=np.int32),
        edge_km=np.array(km),
        edge_family=np.full(len(km), ROUTE_FAMILIES.index("other"), dtype=np.int8),
        edge_train=np.zeros(len(km), dtype=bool),
        source=f"flee:{locations_csv.parent}",
    )


@dataclass(frozen=True)
class RouteTable:
    """Precomputed route options, one row per (origin, US port, alternative), padded with -1.

    ``nodes[r, i]`` is the i-th node of route r; ``step_km[r, i]``, ``step_family[r, i]`` and ``step_train[r, i]``
    describe the edge from node i to node i+1. The last node is a US port of entry; the one before it the northern
    border city where the crossing decision is made.
    """

    origin: NDArray[np.int32]
    port: NDArray[np.int32]
    family: NDArray[np.int8]  # main family (pacific / gulf / central / other)
    length: NDArray[np.int32]  # number of nodes
    total_km: NDArray[np.float64]
    nodes: NDArray[np.int32]
    step_km: NDArray[np.float64]
    step_family: NDArray[np.int8]
    step_train: NDArray[np.bool_]

    @property
    def n_routes(self) -> int:
        return len(self.origin)

    @property
    def width(self) -> int:
        """Row length of the step arrays: flat index of (route r, step i) is r * width + i."""
        return int(self.step_km.shape[1])

    def routes_from(self, origin: int) -> NDArray[np.int64]:
        return np.flatnonzero(self.origin == origin)


def _path(predecessors: NDArray[np.int32], source: int, target: int) -> list[int]:
    path = [target]
    while path[-1] != source:
        previous = int(predecessors[path[-1]])
        if previous < 0:
            return []
        path.append(previous)
    return path[::-1]


def compile_routes(network: Network, start_nodes: NDArray[np.int64] | None = None) -> RouteTable:
    """Route options from every start node (default: every origin) to every US port of entry.

    One option per (start, entry into Mexico, port): the shortest path from the start to each Mexican southern
    crossing, then the shortest path from there to the port. A route's family is that of the edge by which it
    enters Mexico (pacific, gulf or central). Graphs without southern crossings (or a start inside Mexico) get the
    shortest path plus up to two alternatives that avoid the edges already used (1.6x). Identical paths are kept
    once.
    """
    starts = network.nodes_of_kind("origin") if start_nodes is None else start_nodes
    ports = network.nodes_of_kind("us_port_of_entry")
    mexican = network.in_mexico()
    entries = [i for i in network.nodes_of_kind("border_crossing_south").tolist() if mexican[i]]
    edge_of = network.edge_index()
    base = network.edge_km
    n = network.n_nodes
    paths: list[list[int]] = []
    seen: set[tuple[int, ...]] = set()

    def shortest(weights: NDArray[np.float64], sources: list[int]) -> NDArray[np.int32]:
        matrix = csr_array(
            (
                np.concatenate([weights, weights]),
                (
                    np.concatenate([network.edge_from, network.edge_to]),
                    np.concatenate([network.edge_to, network.edge_from]),
                ),
            ),
            shape=(n, n),
        )
        _, predecessors = dijkstra(matrix, indices=sources, return_predecessors=True)
        return np.atleast_2d(np.asarray(predecessors, dtype=np.int32))

    from_entries = shortest(base, entries) if entries else np.empty((0, n), dtype=np.int32)
    for source in starts.tolist():
        tree = shortest(base, [source])[0]
        for port in ports.tolist():
            candidates: list[list[int]] = []
            if entries and not mexican[source]:
                for e, entry in enumerate(entries):
                    head = _path(tree, source, entry)
                    tail = _path(from_entries[e], entry, port)
                    if head and tail and not any(mexican[i] for i in head[:-1]):
                        candidates.append(head + tail[1:])
            if not candidates:
                candidates.append(_path(tree, source, port))
                used = np.ones(len(base))
                for _ in range(2):
                    if not candidates[-1]:
                        break
                    for a, b in zip(candidates[-1][:-1], candidates[-1][1:], strict=True):
                        used[edge_of[(a, b)]] *= 1.6
                    candidates.append(_path(shortest(base * used, [source])[0], source, port))
            for path in candidates:
                key = tuple(path)
                if len(path) >= 3 and len(set(path)) == len(path) and key not in seen:
                    seen.add(key)
                    paths.append(path)
    if not paths:
        raise NetworkError("no route joins an origin to a US port of entry")
    width = max(len(p) for p in paths)
    nodes = np.full((len(paths), width), -1, dtype=np.int32)
    step_km = np.zeros((len(paths), width - 1))
    step_family = np.zeros((len(paths), width - 1), dtype=np.int8)
    step_train = np.zeros((len(paths), width - 1), dtype=bool)
    family = np.zeros(len(paths), dtype=np.int8)
    main_codes = [ROUTE_FAMILIES.index(f) for f in MAIN_FAMILIES]
    for r, path in enumerate(paths):
        nodes[r, : len(path)] = path
        edges = [edge_of[(a, b)] for a, b in itertools.pairwise(path)]
        step_km[r, : len(edges)] = network.edge_km[edges]
        step_family[r, : len(edges)] = network.edge_family[edges]
        step_train[r, : len(edges)] = network.edge_train[edges]
        main = [int(f) for f in network.edge_family[edges] if int(f) in main_codes]
        family[r] = main[0] if main else ROUTE_FAMILIES.index("other")
    return RouteTable(
        origin=nodes[:, 0].copy(),
        port=np.array([p[-1] for p in paths], dtype=np.int32),
        family=family,
        length=np.array([len(p) for p in paths], dtype=np.int32),
        total_km=step_km.sum(axis=1),
        nodes=nodes,
        step_km=step_km,
        step_family=step_family,
        step_train=step_train,
    )

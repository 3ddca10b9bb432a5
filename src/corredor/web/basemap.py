"""Base map of the dashboard: Natural Earth country outlines for Mexico, Central America and the southern US edge.

Development-time tool, not used at run time: it turns a Natural Earth admin-0 TopoJSON (the npm package
``world-atlas``, ``countries-50m.json``, public domain data) into the small GeoJSON shipped as
``static/basemap.geojson``: arcs decoded, polygons clipped to the map's box and simplified (Douglas-Peucker), and
coordinates rounded. Run ``python -m corredor.web.basemap countries-50m.json src/corredor/web/static/basemap.geojson``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

# lon_min, lat_min, lon_max, lat_max: from the Pacific off Baja California to the Caribbean coast of Nicaragua.
BOX = (-118.5, 9.0, -81.0, 34.0)
Ring = list[tuple[float, float]]


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Absolute lon/lat coordinates of every arc of a (quantized or not) TopoJSON topology."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float)
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        arcs.append([(float(x), float(y)) for x, y in points])
    return arcs


def ring_from_arcs(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join arcs into one ring; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def clip_ring(ring: Ring, box: tuple[float, float, float, float] = BOX) -> Ring:
    """Sutherland-Hodgman clipping of a polygon ring to an axis-aligned box."""
    x0, y0, x1, y1 = box
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _cut_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cut_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cut_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cut_y(a, b, y1)),
    )
    out = ring
    for inside, cut in edges:
        points, out = out, []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    out.append(cut(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(cut(previous, current))
        if not out:
            return []
    return out


def _cut_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker simplification (tolerance in degrees)."""
    if len(ring) < 4:
        return ring
    points = np.asarray(ring)
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        segment = points[first + 1 : last]
        d = b - a
        norm = float(np.hypot(*d))
        if norm == 0:
            dist = np.hypot(*(segment - a).T)
        else:
            dist = np.abs(d[0] * (segment[:, 1] - a[1]) - d[1] * (segment[:, 0] - a[0])) / norm
        worst = int(np.argmax(dist))
        if dist[worst] > tolerance:
            middle = first + 1 + worst
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return [(float(x), float(y)) for x, y in points[keep]]


def build(topology: dict[str, Any], tolerance: float = 0.03, min_area: float = 0.02) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the countries that reach into `BOX`, clipped and simplified."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry.get("arcs", [])]
        kept = []
        for polygon in polygons:
            if not polygon:
                continue
            outer = simplify(clip_ring(ring_from_arcs(polygon[0], arcs)), tolerance)
            if len(outer) >= 4 and _area(outer) >= min_area:
                kept.append([[[round(x, 3), round(y, 3)] for x, y in outer]])
        if kept:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": geometry["properties"]["name"], "iso_n3": geometry.get("id")},
                    "geometry": {"type": "MultiPolygon", "coordinates": kept},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def _area(ring: Ring) -> float:
    xy = np.asarray(ring)
    return float(abs(np.dot(xy[:, 0], np.roll(xy[:, 1], 1)) - np.dot(xy[:, 1], np.roll(xy[:, 0], 1))) / 2)


def main(argv: list[str]) -> int:
    source, target = (Path(a) for a in argv)
    collection = build(json.loads(source.read_text()))
    collection["source"] = (
        "Natural Earth 1:50m admin-0 countries (public domain), via the npm package world-atlas 2.0.2"
    )
    target.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

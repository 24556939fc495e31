"""A layered (Sugiyama-style) graph layout in plain Python, for the SVG pictures of the HTML report.

The steps of Sugiyama, Tagawa and Toda, each in its simplest sound form: cycles broken by
reversing the back edges a depth-first search meets; layers by longest path (a user left of
what it uses); a dummy node in every layer a long edge crosses; the order within each layer
by barycentre sweeps, the order with the fewest crossings kept; y positions pulled towards
the neighbours' and pushed apart to the minimum gap. Nodes with no edge go in a grid below.
No system binary (Graphviz's `dot` is not on the machines guard runs on).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    width: float = 180.0
    height: float = 46.0
    gap_x: float = 70.0  # between layers
    gap_y: float = 18.0  # between nodes of one layer
    margin: float = 16.0


@dataclass(frozen=True)
class Route:
    source: str
    target: str
    points: tuple[Point, ...]  # from the source's side to the target's side, through dummies


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    positions: dict[str, Point]  # top-left corner of each node's box
    routes: tuple[Route, ...]
    box: Box


def _break_cycles(keys: Sequence[str], edges: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """The edges to reverse so that the graph has no cycle (the back edges of a DFS)."""
    out: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        out[source].append(target)
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    reversed_edges: set[tuple[str, str]] = set()
    for root in keys:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack.pop()
            if index < len(out[node]):
                stack.append((node, index + 1))
                child = out[node][index]
                if state.get(child) == 1:
                    reversed_edges.add((node, child))
                elif child not in state:
                    state[child] = 1
                    stack.append((child, 0))
            else:
                state[node] = 2
    return reversed_edges


def _longest_path_layers(keys: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    incoming: dict[str, int] = {key: 0 for key in keys}
    out: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        out[source].append(target)
        incoming[target] += 1
    layer = {key: 0 for key in keys}
    ready = [key for key in keys if incoming[key] == 0]
    while ready:
        node = ready.pop(0)
        for child in out[node]:
            layer[child] = max(layer[child], layer[node] + 1)
            incoming[child] -= 1
            if incoming[child] == 0:
                ready.append(child)
    return layer


def _crossings(upper: list[str], lower: list[str], links: list[tuple[str, str]]) -> int:
    up = {key: i for i, key in enumerate(upper)}
    low = {key: i for i, key in enumerate(lower)}
    pairs = sorted((up[a], low[b]) for a, b in links if a in up and b in low)
    count = 0
    for i, (a1, b1) in enumerate(pairs):
        for a2, b2 in pairs[i + 1 :]:
            if a2 > a1 and b2 < b1:
                count += 1
    return count


def _total_crossings(layers: list[list[str]], links: list[tuple[str, str]]) -> int:
    return sum(_crossings(layers[i], layers[i + 1], links) for i in range(len(layers) - 1))


def _order(layers: list[list[str]], links: list[tuple[str, str]], sweeps: int) -> list[list[str]]:
    """Barycentre sweeps down and up; the order with the fewest crossings wins."""
    above: dict[str, list[str]] = defaultdict(list)
    below: dict[str, list[str]] = defaultdict(list)
    for a, b in links:
        below[a].append(b)
        above[b].append(a)
    best = [list(layer) for layer in layers]
    best_count = _total_crossings(best, links)
    current = [list(layer) for layer in layers]
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        indices = range(1, len(current)) if downward else range(len(current) - 2, -1, -1)
        for i in indices:
            fixed = current[i - 1] if downward else current[i + 1]
            where = {key: p for p, key in enumerate(fixed)}
            neighbours = above if downward else below
            mine = {key: p for p, key in enumerate(current[i])}

            def centre(
                key: str,
                where: dict[str, int] = where,
                mine: dict[str, int] = mine,
                neighbours: dict[str, list[str]] = neighbours,
            ) -> float:
                seen = [where[n] for n in neighbours[key] if n in where]
                return sum(seen) / len(seen) if seen else float(mine[key])

            current[i] = sorted(current[i], key=lambda k: (centre(k), mine[k]))
        count = _total_crossings(current, links)
        if count < best_count:
            best, best_count = [list(layer) for layer in current], count
    return best


def layered_layout(
    keys: Sequence[str],
    edges: Sequence[tuple[str, str]],
    box: Box | None = None,
    sweeps: int = 8,
    group_of: Callable[[str], str] | None = None,
    grid_columns: int = 4,
) -> Layout:
    """Place `keys` in layers, left to right along `edges` (source left of target).

    `group_of` keeps nodes of one group (an availability zone) next to each other in a layer;
    a node in no group is its own (return its key).
    """
    box = box or Box()
    present = set(keys)
    unique = list(dict.fromkeys((a, b) for a, b in edges if a in present and b in present and a != b))
    linked = [key for key in keys if any(key in edge for edge in unique)]
    alone = [key for key in keys if key not in set(linked)]

    back = _break_cycles(linked, unique)
    forward = [(b, a) if (a, b) in back else (a, b) for a, b in unique]
    layer = _longest_path_layers(linked, forward)

    # Dummy nodes: a long edge becomes a chain of one-layer links.
    chains: dict[tuple[str, str], list[str]] = {}
    links: list[tuple[str, str]] = []
    members: dict[int, list[str]] = defaultdict(list)
    for key in linked:
        members[layer[key]].append(key)
    for a, b in dict.fromkeys(forward):
        chain = [a]
        for step in range(layer[a] + 1, layer[b]):
            dummy = f"\0{a}\0{b}\0{step}"
            members[step].append(dummy)
            chain.append(dummy)
        chain.append(b)
        chains[(a, b)] = chain
        links += list(itertools.pairwise(chain))

    layers = [members[i] for i in range(max(members) + 1)] if members else []
    layers = _order(layers, links, sweeps)
    if group_of is not None:
        layers = [_grouped(layer_keys, group_of) for layer_keys in layers]

    step_x, step_y = box.width + box.gap_x, box.height + box.gap_y
    y: dict[str, float] = {}
    for layer_keys in layers:
        for index, key in enumerate(layer_keys):
            y[key] = index * step_y
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in links:
        neighbours[a].append(b)
        neighbours[b].append(a)
    for _ in range(4):  # pull each node towards its neighbours, keeping order and gaps
        for layer_keys in layers:
            wanted = [
                sum(y[n] for n in neighbours[key]) / len(neighbours[key]) if neighbours[key] else y[key]
                for key in layer_keys
            ]
            placed: list[float] = []
            for value in wanted:
                placed.append(max(value, placed[-1] + step_y) if placed else value)
            shift = (sum(wanted) - sum(placed)) / len(placed) if placed else 0.0
            for key, value in zip(layer_keys, placed, strict=False):
                y[key] = value + shift
    top = min(y.values(), default=0.0)
    positions: dict[str, Point] = {}
    for index, layer_keys in enumerate(layers):
        for key in layer_keys:
            positions[key] = (box.margin + index * step_x, box.margin + y[key] - top)
    height = max((p[1] + box.height for p in positions.values()), default=0.0)
    width = max((p[0] + box.width for p in positions.values()), default=0.0)

    grid_top = height + (box.gap_y * 2 if positions else box.margin)
    columns = max(1, min(grid_columns, len(alone)))
    for index, key in enumerate(alone):
        row, column = divmod(index, columns)
        positions[key] = (box.margin + column * step_x, grid_top + row * step_y)
    if alone:
        height = grid_top + ((len(alone) - 1) // columns) * step_y + box.height
        width = max(width, box.margin + (columns - 1) * step_x + box.width)

    routes = []
    for a, b in unique:
        chain = chains[(b, a)] if (a, b) in back else chains[(a, b)]
        points = [_centre(positions[key], box) for key in chain]
        if (a, b) in back:
            points.reverse()
        routes.append(Route(a, b, tuple(_attach(points, box))))
    return Layout(
        width=width + box.margin,
        height=height + box.margin,
        positions={k: v for k, v in positions.items() if not k.startswith("\0")},
        routes=tuple(routes),
        box=box,
    )


def _grouped(layer_keys: list[str], group_of: Callable[[str], str]) -> list[str]:
    """Nodes of one group side by side, where the first of them stood."""

    def group(index: int, key: str) -> str:
        return f"\0{index}" if key.startswith("\0") else group_of(key)

    first: dict[str, int] = {}
    for index, key in enumerate(layer_keys):
        first.setdefault(group(index, key), index)
    ranked = sorted((first[group(index, key)], index, key) for index, key in enumerate(layer_keys))
    return [key for _, _, key in ranked]


def _centre(position: Point, box: Box) -> Point:
    return position[0] + box.width / 2, position[1] + box.height / 2


def _attach(points: list[Point], box: Box) -> list[Point]:
    """End points on the boxes' sides instead of their centres."""
    if len(points) < 2:
        return points
    (x0, y0), (x1, y1) = points[0], points[-1]
    half = box.width / 2
    start = (x0 + half, y0) if points[1][0] > x0 else (x0 - half, y0) if points[1][0] < x0 else (x0, y0)
    end = (x1 - half, y1) if points[-2][0] < x1 else (x1 + half, y1) if points[-2][0] > x1 else (x1, y1)
    return [start, *points[1:-1], end]


def path_data(points: Sequence[Point]) -> str:
    """An SVG path through `points`, as smooth horizontal curves."""
    if not points:
        return ""
    x, y = points[0]
    parts = [f"M{x:.1f},{y:.1f}"]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        bend = (x1 - x0) / 2
        parts.append(f"C{x0 + bend:.1f},{y0:.1f} {x1 - bend:.1f},{y1:.1f} {x1:.1f},{y1:.1f}")
    return " ".join(parts)

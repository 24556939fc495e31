"""The layered layout of the HTML report's pictures (guard/render/layout.py), on any graph."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guard.render.layout import Box, layered_layout

BOX = Box()
names = st.lists(st.sampled_from([f"n{i}" for i in range(12)]), min_size=1, max_size=12, unique=True)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str]]]:
    keys = draw(names)
    edges = draw(st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(keys)), max_size=24))
    return keys, edges


@given(graphs())
def test_every_node_is_placed_once_and_no_two_overlap(graph):
    keys, edges = graph
    layout = layered_layout(keys, edges, BOX)
    assert set(layout.positions) == set(keys)
    boxes = list(layout.positions.values())
    for i, (x1, y1) in enumerate(boxes):
        assert x1 >= 0 and y1 >= 0
        assert x1 + BOX.width <= layout.width and y1 + BOX.height <= layout.height
        for x2, y2 in boxes[i + 1 :]:
            apart = abs(x1 - x2) >= BOX.width or abs(y1 - y2) >= BOX.height
            assert apart, (x1, y1, x2, y2)


@given(graphs())
def test_every_edge_is_routed_from_its_source_to_its_target(graph):
    keys, edges = graph
    layout = layered_layout(keys, edges, BOX)
    wanted = {(a, b) for a, b in edges if a != b}
    assert {(r.source, r.target) for r in layout.routes} == wanted
    for route in layout.routes:
        (sx, sy), (_, ty) = layout.positions[route.source], layout.positions[route.target]
        assert sy <= route.points[0][1] <= sy + BOX.height  # leaves the source's side
        assert ty <= route.points[-1][1] <= ty + BOX.height  # reaches the target's side
        assert route.points[0][0] in (sx, sx + BOX.width / 2, sx + BOX.width)


def test_a_user_stands_left_of_what_it_uses_and_a_cycle_is_still_drawn():
    layout = layered_layout(
        ["record", "listener", "lb", "group", "vpc"],
        [("record", "lb"), ("listener", "lb"), ("lb", "group"), ("group", "vpc"), ("vpc", "group")],
    )
    x = {key: position[0] for key, position in layout.positions.items()}
    assert x["record"] == x["listener"] < x["lb"] < x["group"]
    assert len(layout.routes) == 5


def test_nodes_of_one_zone_stand_together():
    keys = ["tg", "a1", "b1", "a2", "b2"]
    zone = {"a1": "a", "a2": "a", "b1": "b", "b2": "b"}
    layout = layered_layout(keys, [("tg", k) for k in keys[1:]], group_of=lambda k: zone.get(k, k))
    order = sorted(keys[1:], key=lambda k: layout.positions[k][1])
    assert [zone[k] for k in order] in (["a", "a", "b", "b"], ["b", "b", "a", "a"])

"""`guard graph`: the resource graph as Graphviz dot or JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from guard.enrich.graph import GraphExport


def graph_to_dict(export: GraphExport) -> dict[str, Any]:
    return {
        "nodes": [
            {
                "key": node.key,
                "type": node.type,
                "id": node.id,
                "address": node.address,
                "name": node.name,
                "account": node.account,
                "region": node.region,
                "internet_facing": export.internet_facing.get(node.key),
            }
            for node in export.graph.nodes.values()
        ],
        "edges": [{"from": e.source, "to": e.target, "relation": e.relation} for e in export.graph.edges],
    }


def render_graph_json(export: GraphExport) -> str:
    return json.dumps(graph_to_dict(export), indent=2) + "\n"


def _quote(text: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", text).replace("\n", "\\n") + '"'


def render_graph_dot(export: GraphExport) -> str:
    """Graphviz: `guard graph --format dot | dot -Tsvg > estate.svg`."""
    lines = ["digraph guard {", "  rankdir=LR;", "  node [shape=box, fontname=Helvetica];"]
    for node in export.graph.nodes.values():
        label = f"{node.type}\n{node.name}"
        style = ", color=red" if export.internet_facing.get(node.key) else ""
        lines.append(f"  {_quote(node.key)} [label={_quote(label)}{style}];")
    for edge in export.graph.edges:
        dashed = ", style=dashed" if edge.relation == "depends_on" else ""
        lines.append(
            f"  {_quote(edge.source)} -> {_quote(edge.target)} [label={_quote(edge.relation)}{dashed}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"

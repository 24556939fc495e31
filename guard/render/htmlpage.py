"""The parts every HTML report shares: one self-contained page (inline CSS, SVG and one small
script, nothing fetched at view time), escaping, badges, copy buttons, graphs and charts.

Every value from a state, AWS or CloudTrail goes through `esc` (text and attributes alike).
The page's Content-Security-Policy allows no request and only the one script below (by its
hash), so even a value that escaped escaping could neither run nor call out.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
from collections.abc import Iterable, Sequence
from typing import Any

from guard import __version__
from guard.model import GraphNode, GraphView
from guard.render.layout import Box, Layout, layered_layout, path_data

SEVERITIES = ("critical", "high", "medium", "low", "info")

# Copy buttons: the clipboard API where the page is a secure context, else a hidden textarea.
SCRIPT = (
    "document.addEventListener('click',function(e){"
    "var b=e.target.closest?e.target.closest('button[data-copy]'):null;if(!b)return;"
    "var s=document.getElementById(b.getAttribute('data-copy'));if(!s)return;var t=s.textContent;"
    "var done=function(){b.textContent='Copied';setTimeout(function(){b.textContent='Copy'},1500)};"
    "var old=function(){var a=document.createElement('textarea');a.value=t;a.setAttribute('readonly','');"
    "a.style.position='fixed';a.style.opacity='0';document.body.appendChild(a);a.select();"
    "try{document.execCommand('copy')}catch(x){}document.body.removeChild(a);done()};"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t).then(done,old)}"
    "else{old()}});"
)
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
POLICY = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{SCRIPT_HASH}'"

CSS = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--card:#f6f8fa;--line:#d1d9e0;
--accent:#0969da;--critical:#a40e26;--high:#cf222e;--medium:#9a6700;--low:#0969da;--info:#59636e;
--ok:#1a7f37;--node:#fff;--drift:#fff1e5;--behind:#f6f8fa;--zone:#ddf4ff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#151b23;
--line:#3d444d;--accent:#4493f8;--critical:#ff7b72;--high:#f85149;--medium:#d29922;--low:#4493f8;
--info:#9198a1;--ok:#3fb950;--node:#0d1117;--drift:#3d1d00;--behind:#151b23;--zone:#0c2d6b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",
Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid var(--line)}
h3{font-size:1.05em;margin:.3em 0;word-break:break-word}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{word-break:break-all}
pre{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:4px 0;
overflow-x:auto;white-space:pre}
.muted{color:var(--muted)}.verdict{font-size:1.1em;font-weight:600}
.verdict.bad{color:var(--high)}.verdict.good{color:var(--ok)}.verdict.warn{color:var(--medium)}
.band{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:8px;margin:12px 0}
.band>div{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.band .label{font-size:.8em;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.band ul{margin:0;padding-left:1.1em;word-break:break-all}
.incomplete{border-color:var(--high)!important}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:.8em;font-weight:600;
border:1px solid currentColor;white-space:nowrap}
.sev-critical{color:var(--critical)}.sev-high{color:var(--high)}.sev-medium{color:var(--medium)}
.sev-low{color:var(--low)}.sev-info{color:var(--info)}
.owner{margin:18px 0 6px}
.finding{border:1px solid var(--line);border-left:4px solid var(--line);border-radius:6px;padding:10px 12px;
margin:8px 0;break-inside:avoid}
.finding.critical{border-left-color:var(--critical)}.finding.high{border-left-color:var(--high)}
.finding.medium{border-left-color:var(--medium)}.finding.low{border-left-color:var(--low)}
table{border-collapse:collapse;width:100%;margin:6px 0;font-size:.92em}
th,td{text-align:left;border-bottom:1px solid var(--line);padding:4px 6px;vertical-align:top;
word-break:break-word}
td.expected{color:var(--ok)}td.actual{color:var(--high)}
.impact li{margin:2px 0}
.step{margin:6px 0}.step .head{display:flex;justify-content:space-between;gap:8px;align-items:center}
button{font:inherit;font-size:.8em;border:1px solid var(--line);background:var(--card);color:var(--fg);
border-radius:6px;padding:2px 10px;cursor:pointer}
.graph{overflow-x:auto;margin:6px 0;border:1px solid var(--line);border-radius:6px;background:var(--bg)}
.graph svg{display:block;max-width:100%;height:auto}
svg text{fill:var(--fg);font:12px system-ui,sans-serif}svg text.sub{fill:var(--muted);font-size:10.5px}
svg .node rect{fill:var(--node);stroke:var(--line);stroke-width:1.2}
svg .node.drifted rect{fill:var(--drift);stroke:var(--high);stroke-width:2.2}
svg .node.behind rect{fill:var(--behind);stroke-dasharray:4 3}
svg .node.facing rect{stroke:var(--accent);stroke-width:2}
svg .edge{fill:none;stroke:var(--muted);stroke-width:1.3}
svg .edge.broken{stroke:var(--high);stroke-width:2.6;stroke-dasharray:7 4}
svg .cross{stroke:var(--high);stroke-width:3}svg text.broken{fill:var(--high);font-weight:700}
svg .zone{fill:var(--zone);stroke:var(--accent);stroke-dasharray:3 3;opacity:.7}
svg .bar.opened{fill:var(--high)}svg .bar.resolved{fill:var(--ok)}svg .axis{stroke:var(--line)}
svg marker path{fill:var(--muted)}
.legend{font-size:.85em;color:var(--muted);margin:2px 0 8px}
footer{margin:32px 0 8px;font-size:.85em;color:var(--muted)}
@media (max-width:640px){main{padding:10px}.graph svg{max-width:none}h1{font-size:1.25em}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#444;--card:#fff;--line:#999;--node:#fff;--drift:#fff1e5}
button{display:none}main{max-width:none;padding:0}pre{white-space:pre-wrap;word-break:break-all}
.graph{overflow:visible;border:0}.graph svg{max-width:100%}h2{break-after:avoid}}
"""


def esc(value: Any) -> str:
    """Text and attribute values alike: &, <, >, " and ' become entities."""
    return html.escape("" if value is None else str(value), quote=True)


def show(value: Any) -> str:
    """A value as people read it (not escaped): strings as they are, the rest as JSON."""
    if value is None:
        return "(not set)"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(POLICY)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f'<meta name="generator" content="change-guard {esc(__version__)}">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>\n"
        f"<body><main>\n{body}\n"
        f"<footer>Made by change-guard {esc(__version__)}. This page loads nothing from the network.</footer>"
        f"</main><script>{SCRIPT}</script></body></html>\n"
    )


def badge(severity: str) -> str:
    return f'<span class="badge sev-{esc(severity)}">{esc(severity)}</span>'


class Ids:
    """Ids unique within one page (copy targets, SVG markers)."""

    def __init__(self) -> None:
        self._count = itertools.count(1)

    def __call__(self, prefix: str) -> str:
        return f"{prefix}{next(self._count)}"


def copy_block(text: str, ids: Ids) -> str:
    block = ids("cmd")
    return (
        f'<div class="head"><span></span><button type="button" data-copy="{block}" '
        f'aria-label="Copy to the clipboard">Copy</button></div>'
        f'<pre id="{block}"><code>{esc(text)}</code></pre>'
    )


def band_item(label: str, content: str, extra_class: str = "") -> str:
    cls = f' class="{esc(extra_class)}"' if extra_class else ""
    return f'<div{cls}><div class="label">{esc(label)}</div>{content}</div>'


def items(values: Iterable[str]) -> str:
    listed = [f"<li>{esc(v)}</li>" for v in values]
    return f"<ul>{''.join(listed)}</ul>" if listed else '<span class="muted">none</span>'


# --- graphs --------------------------------------------------------------------------------

_BOX = Box(width=196.0, height=48.0, gap_x=64.0, gap_y=22.0)  # room for a zone label between
_NAME_CHARS = 26
_SUB_CHARS = 32


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _subline(node: GraphNode) -> str:
    if node.role == "load balancer":
        return "load balancer · " + ("internet-facing" if node.internet_facing else "internal")
    if node.role == "instance" and node.zone:
        return f"instance · {node.zone}"
    return node.role or node.type


def graph_svg(
    view: GraphView,
    ids: Ids,
    label: str,
    drifted: frozenset[str] = frozenset(),
    keys: Sequence[str] | None = None,
) -> str:
    """One graph as inline SVG: a user to the left of what it uses, an arrow for "uses"."""
    chosen = list(keys) if keys is not None else [node.key for node in view.nodes]
    nodes = {node.key: node for node in view.nodes if node.key in set(chosen)}
    edges = [e for e in view.edges if e.source in nodes and e.target in nodes]
    layout = layered_layout(
        list(nodes),
        [(e.source, e.target) for e in edges],
        _BOX,
        group_of=lambda key: f"zone:{nodes[key].zone}" if nodes[key].zone else key,
    )
    marker = ids("arrow")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(label)}" '
        f'width="{layout.width:.0f}" height="{layout.height:.0f}" '
        f'viewBox="0 0 {layout.width:.0f} {layout.height:.0f}">',
        f"<title>{esc(label)}</title>",
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    parts += _zones(layout, nodes)
    by_pair = {(e.source, e.target): e for e in edges}
    for route in layout.routes:
        edge = by_pair[(route.source, route.target)]
        cls = "edge broken" if edge.broken else "edge"
        what = f"{nodes[edge.source].name} uses {nodes[edge.target].name} ({edge.relation})"
        parts.append(
            f'<path class="{cls}" d="{path_data(route.points)}" marker-end="url(#{marker})" '
            f'data-source="{esc(edge.source)}" data-target="{esc(edge.target)}" '
            f'data-relation="{esc(edge.relation)}"><title>{esc(("broken: " if edge.broken else "") + what)}'
            "</title></path>"
        )
        if edge.broken:
            parts.append(_cross(route.points))
    for key, node in nodes.items():
        parts.append(_node(node, layout, key in drifted, key in view.behind))
    parts.append("</svg>")
    return "".join(parts)


def _cross(points: Sequence[tuple[float, float]]) -> str:
    (x0, y0), (x1, y1) = points[len(points) // 2 - 1], points[len(points) // 2]
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    return (
        f'<g class="broken-mark"><path class="cross" d="M{x - 6:.1f},{y - 6:.1f} L{x + 6:.1f},{y + 6:.1f} '
        f'M{x - 6:.1f},{y + 6:.1f} L{x + 6:.1f},{y - 6:.1f}"/>'
        f'<text class="broken" x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle">broken</text></g>'
    )


def _node(node: GraphNode, layout: Layout, drifted: bool, behind: bool) -> str:
    x, y = layout.positions[node.key]
    box = layout.box
    classes = ["node"] + (["drifted"] if drifted else []) + (["behind"] if behind else [])
    if node.internet_facing:
        classes.append("facing")
    title = " · ".join(p for p in (node.address or f"{node.type} {node.id}", node.id, node.zone) if p)
    return (
        f'<g class="{" ".join(classes)}" data-key="{esc(node.key)}" data-role="{esc(node.role)}" '
        f'data-type="{esc(node.type)}"><title>{esc(title)}</title>'
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{box.width:.0f}" height="{box.height:.0f}" rx="6"/>'
        f'<text x="{x + 8:.1f}" y="{y + 19:.1f}">{esc(_cut(node.name, _NAME_CHARS))}</text>'
        f'<text class="sub" x="{x + 8:.1f}" y="{y + 37:.1f}">{esc(_cut(_subline(node), _SUB_CHARS))}</text>'
        "</g>"
    )


def _zones(layout: Layout, nodes: dict[str, GraphNode]) -> list[str]:
    """A dashed box around the instances of one availability zone in one layer."""
    groups: dict[tuple[float, str], list[tuple[float, float]]] = {}
    for key, node in nodes.items():
        if node.zone:
            x, y = layout.positions[key]
            groups.setdefault((x, node.zone), []).append((x, y))
    out = []
    box = layout.box
    for (x, zone), spots in groups.items():
        top = min(y for _, y in spots) - 14
        bottom = max(y for _, y in spots) + box.height + 4
        out.append(
            f'<g class="zone-group"><rect class="zone" x="{x - 6:.1f}" y="{top:.1f}" '
            f'width="{box.width + 12:.0f}" height="{bottom - top:.1f}" rx="8"/>'
            f'<text class="sub" x="{x:.1f}" y="{top + 11:.1f}">{esc(zone)}</text></g>'
        )
    return out


def day_chart(days: Sequence[dict[str, Any]], ids: Ids, label: str) -> str:
    """Findings opened (red) and resolved (green) per day, as bars side by side."""
    if not days:
        return '<p class="muted">No findings opened or resolved in this window.</p>'
    peak = max(max(int(d["opened"]), int(d["resolved"])) for d in days) or 1
    # A long window narrows the days rather than shrinking the whole chart; labels thin out.
    slot = max(8.0, min(34.0, 900.0 / len(days)))
    bar, height, top, left = slot * 0.36, 140.0, 14.0, 28.0
    every = max(1, -(-len(days) // 15))
    width = left + slot * len(days) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(label)}" '
        f'width="{width:.0f}" height="{height + top + 34:.0f}" '
        f'viewBox="0 0 {width:.0f} {height + top + 34:.0f}"><title>{esc(label)}</title>',
        f'<line class="axis" x1="{left:.0f}" y1="{top + height:.0f}" x2="{width:.0f}" '
        f'y2="{top + height:.0f}"/>',
        f'<text class="sub" x="2" y="{top + 4:.0f}">{peak}</text>',
    ]
    for index, day in enumerate(days):
        x = left + index * slot + 4
        for offset, kind in ((0.0, "opened"), (bar + 1, "resolved")):
            value = int(day[kind])
            h = height * value / peak
            parts.append(
                f'<rect class="bar {kind}" x="{x + offset:.1f}" y="{top + height - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}"><title>{esc(day["day"])}: {value} {kind}</title></rect>'
            )
        if index % every == 0:
            parts.append(
                f'<text class="sub" x="{x + bar:.1f}" y="{top + height + 14:.0f}" text-anchor="middle">'
                f"{esc(str(day['day'])[5:])}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)

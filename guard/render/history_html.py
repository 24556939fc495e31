"""`guard history --format html`: open findings with their age, time to detect and to resolve,
a chart of findings opened and resolved per day, and the drift SLOs."""

from __future__ import annotations

from typing import Any

from guard.render.htmlpage import Ids, badge, band_item, day_chart, esc, page

_MEASURES = (
    ("time_to_detect", "Time to detect"),
    ("time_in_drift", "Time in drift"),
    ("time_to_resolve", "Time to resolve"),
)


def _cell(value: Any) -> str:
    return esc(value) if value not in (None, "") else '<span class="muted">-</span>'


def _what(row: dict[str, Any]) -> str:
    where = " · ".join(str(p) for p in (row["account"], row["region"], row["fingerprint"]) if p)
    return f"{esc(row['headline'])}<div class='muted'>{esc(where)}</div>"


def render_history_html(data: dict[str, Any]) -> str:
    ids = Ids()
    body = [
        "<header><h1>change-guard history</h1>"
        f'<div class="muted">{esc(data["history"])} · {esc(data["generated_at"])}</div></header>'
    ]
    if "open" in data:
        body.append(_lists(data, ids))
    body.append(_summary(data["summary"]))
    return page("change-guard history", "\n".join(body))


def _lists(data: dict[str, Any], ids: Ids) -> str:
    pending = sum(1 for m in data["outbox"] if m["status"] == "pending")
    refused = sum(1 for m in data["outbox"] if m["status"] != "pending")
    out = [
        '<section class="band" aria-label="Summary">'
        + band_item("Open findings", str(len(data["open"])))
        + band_item(f"Resolved since {data['resolved_since']}", str(len(data["resolved"])))
        + band_item(
            "Outbox", f"{pending} waiting, {refused} refused by Slack", "incomplete" if refused else ""
        )
        + "</section>"
    ]
    out.append("<h2>Opened and resolved per day</h2>")
    out.append(
        '<p class="legend">red: opened (first seen), green: resolved, per UTC day</p>'
        f'<div class="graph">{day_chart(data["per_day"], ids, "Findings opened and resolved per day")}</div>'
    )
    out.append(f"<h2>Open ({len(data['open'])})</h2>")
    if data["open"]:
        rows = "".join(
            f"<tr><td>{badge(r['severity'])}</td><td>{_what(r)}"
            f"{'' if r['posted'] else ' <span class=muted>not posted yet</span>'}</td>"
            f"<td>{esc(r['open_for'])}<div class='muted'>since {esc(r['first_seen'])}</div></td>"
            f"<td>{_cell(r.get('time_to_detect'))}</td></tr>"
            for r in data["open"]
        )
        out.append(
            "<table><thead><tr><th>Severity</th><th>Finding</th><th>Age</th><th>Time to detect</th>"
            "</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    else:
        out.append("<p>No open findings.</p>")
    out.append(f"<h2>Resolved since {esc(data['resolved_since'])} ({len(data['resolved'])})</h2>")
    if data["resolved"]:
        rows = "".join(
            f"<tr><td>{badge(r['severity'])}</td><td>{_what(r)}</td><td>{esc(r['resolved_at'])}</td>"
            f"<td>{_cell(r.get('time_to_detect'))}</td><td>{esc(r['time_to_resolve'])}</td></tr>"
            for r in data["resolved"]
        )
        out.append(
            "<table><thead><tr><th>Severity</th><th>Finding</th><th>Resolved</th><th>Time to detect</th>"
            f"<th>Time to resolve</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    else:
        out.append("<p>Nothing resolved in this window.</p>")
    return "\n".join(out)


def _measure(stats: dict[str, Any]) -> str:
    if not stats["count"]:
        return '<span class="muted">-</span>'
    return f"{esc(stats['mean'])} / {esc(stats['p90'])} <span class='muted'>({stats['count']})</span>"


def _summary(summary: dict[str, Any]) -> str:
    rows = [{"account": "all", "type": "all", **summary["overall"]}, *summary["by_account_and_type"]]
    cells = "".join(
        f"<tr><td>{esc(r['account'] or '?')}</td><td><code>{esc(r['type'])}</code></td>"
        f"<td>{r['findings']}</td>"
        f"<td>{r['open']}</td>" + "".join(f"<td>{_measure(r[key])}</td>" for key, _ in _MEASURES) + "</tr>"
        for r in rows
    )
    heads = "".join(f"<th>{esc(title)}</th>" for _, title in _MEASURES)
    return (
        f"<h2>Drift SLOs from {esc(summary['since'])} to {esc(summary['until'])}</h2>"
        '<p class="legend">mean / p90 (findings measured)</p>'
        f"<table><thead><tr><th>Account</th><th>Type</th><th>Findings</th><th>Open</th>{heads}</tr></thead>"
        f"<tbody>{cells}</tbody></table>"
    )

"""`guard history`: open findings, recently resolved ones with time to resolve, the outbox."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from rich.console import Console
from rich.markup import escape

from guard.alerting.cycle import format_duration
from guard.alerting.history import OPEN, RESOLVED, HistoryStore, iso, parse_time, utcnow


def history_to_dict(store: HistoryStore, window: timedelta, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    since = now - window
    open_rows: list[dict[str, Any]] = []
    for record in store.findings(OPEN):
        open_rows.append(
            {
                "fingerprint": record.fingerprint,
                "headline": record.headline,
                "title": record.title,
                "severity": record.severity,
                "kind": record.kind,
                "account": record.account,
                "region": record.region,
                "address": record.address,
                "first_seen": record.first_seen,
                "last_seen": record.last_seen,
                "open_for": format_duration(record.open_for(now)),
                "posted": bool(record.notified_at),
            }
        )
    resolved_rows: list[dict[str, Any]] = []
    for record in store.findings(RESOLVED):
        resolved_at = parse_time(record.resolved_at)
        if resolved_at is None or resolved_at < since:
            continue
        resolved_rows.append(
            {
                "fingerprint": record.fingerprint,
                "headline": record.headline,
                "severity": record.severity,
                "account": record.account,
                "region": record.region,
                "first_seen": record.first_seen,
                "resolved_at": record.resolved_at,
                "time_to_resolve": format_duration(record.open_for()),
                "time_to_resolve_seconds": int(record.open_for().total_seconds()),
            }
        )
    resolved_rows.sort(key=lambda row: str(row["resolved_at"]), reverse=True)
    outbox = store.outbox()
    return {
        "history": store.location,
        "generated_at": iso(now),
        "resolved_since": iso(since),
        "open": open_rows,
        "resolved": resolved_rows,
        "outbox": [
            {
                "kind": m.kind,
                "created_at": m.created_at,
                "status": m.status,
                "attempts": m.attempts,
                "error": m.last_error,
            }
            for m in outbox
        ],
        "last_runs": [
            {
                "started_at": run.started_at,
                "account": run.account,
                "regions": run.regions,
                "findings": run.findings,
                "new": run.new,
                "resolved": run.resolved,
                "complete": run.complete,
            }
            for run in store.runs(5)
        ],
    }


def render_history(data: dict[str, Any], console: Console) -> None:
    """One line per finding, so that it reads the same in a terminal, a log or a cron mail."""
    console.print(f"[bold]History[/] {escape(data['history'])}")
    if data["open"]:
        console.print(f"[bold]Open ({len(data['open'])})[/]")
        for row in data["open"]:
            posted = "" if row["posted"] else " · [yellow]not posted yet[/]"
            console.print(
                f"  {row['severity']:<8} {escape(row['headline'])}  [dim]{escape(row['account'])} "
                f"{escape(row['region'])} · open for {row['open_for']} since {row['first_seen']} · "
                f"{row['fingerprint']}[/]{posted}",
                soft_wrap=True,
            )
    else:
        console.print("No open findings.")
    if data["resolved"]:
        console.print(f"[bold]Resolved since {data['resolved_since']} ({len(data['resolved'])})[/]")
        for row in data["resolved"]:
            console.print(
                f"  {row['severity']:<8} {escape(row['headline'])}  [dim]resolved {row['resolved_at']} "
                f"after {row['time_to_resolve']} · {row['fingerprint']}[/]",
                soft_wrap=True,
            )
    else:
        console.print(f"Nothing resolved since {data['resolved_since']}.")
    pending = [m for m in data["outbox"] if m["status"] == "pending"]
    refused = [m for m in data["outbox"] if m["status"] != "pending"]
    if pending:
        console.print(
            f"[yellow]{len(pending)} Slack message(s) waiting in the outbox[/] (sent by the next run)."
        )
    for message in refused:
        console.print(f"[red]Slack refused a {message['kind']} message:[/] {escape(message['error'] or '')}")


def render_history_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2) + "\n"

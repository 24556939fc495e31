"""`guard history`: open findings, recently resolved ones with time to resolve, the outbox."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape


def render_history(data: dict[str, Any], console: Console) -> None:
    """One line per finding, so that it reads the same in a terminal, a log or a cron mail."""
    console.print(f"[bold]History[/] {escape(data['history'])}")
    if "open" not in data:  # `--summary`
        render_summary(data["summary"], console)
        return
    if data["open"]:
        console.print(f"[bold]Open ({len(data['open'])})[/]")
        for row in data["open"]:
            posted = "" if row["posted"] else " · [yellow]not posted yet[/]"
            if row.get("state", "new") != "new":
                posted += f" · [cyan]{escape(row['state'])}[/]"
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
    decisions = data.get("decisions") or []
    if decisions:
        console.print(f"[bold]Decisions from Slack since {data['resolved_since']} ({len(decisions)})[/]")
        for row in decisions:
            extra = " · ".join(
                part
                for part in (
                    f"until {row['until']}" if row["until"] else "",
                    escape(row["reason"] or ""),
                    escape(row["detail"] or ""),
                )
                if part
            )
            console.print(
                f"  {row['at']} {row['action']:<11} {row['fingerprint']} by {escape(row['user_name'])} "
                f"({escape(row['user_id'])}){' · ' + extra if extra else ''}",
                soft_wrap=True,
            )
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


_MEASURES = (
    ("time_to_detect", "time to detect"),
    ("time_in_drift", "time in drift"),
    ("time_to_resolve", "time to resolve"),
)


def _measure(stats: dict[str, Any]) -> str:
    if not stats["count"]:
        return "-"
    return f"{stats['mean']} / {stats['p90']} ({stats['count']})"


def render_summary(summary: dict[str, Any], console: Console) -> None:
    """One line per account and type: mean / p90 (how many findings had it) of each duration."""
    console.print(f"Drift from {summary['since']} to {summary['until']}: mean / p90 (findings measured)")
    rows = [
        {"account": "all accounts", "type": "all types", **summary["overall"]},
        *summary["by_account_and_type"],
    ]
    for row in rows:
        measures = "; ".join(f"{title} {_measure(row[key])}" for key, title in _MEASURES)
        console.print(
            f"  {escape(str(row['account'] or '?'))} {escape(str(row['type']))}: {row['findings']} findings "
            f"({row['open']} open); {measures}",
            soft_wrap=True,
        )
    if summary["overall"]["findings"] and not summary["overall"]["time_to_detect"]["count"]:
        console.print(
            "[dim]Time to detect needs the change's time: scan with --attribute (CloudTrail) "
            "or use on-event.[/]"
        )

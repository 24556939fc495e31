"""What `guard rollback` prints: the plan per finding, what ran, and what the re-scan shows."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape

from guard.pipeline.rollback import FindingRun, RollbackRun, RollbackStatus
from guard.render.json import SCHEMA_VERSION, finding_to_dict

_BADGE = {
    RollbackStatus.PLANNED: ("WILL RUN", "cyan"),
    RollbackStatus.DONE: ("DONE", "green"),
    RollbackStatus.STALE: ("SKIPPED", "dim"),
    RollbackStatus.CHANGED: ("SKIPPED", "yellow"),
    RollbackStatus.IAC_ONLY: ("IAC ONLY", "yellow"),
    RollbackStatus.NEEDS_FLAG: ("NOT RUN", "yellow"),
    RollbackStatus.FAILED: ("FAILED", "bold red"),
    RollbackStatus.NOT_RUN: ("NOT RUN", "red"),
}


def render_rollback_console(run: RollbackRun, console: Console) -> None:
    if not run.selected:
        console.print("Nothing to roll back: no finding" + (" selected." if run.before.findings else "."))
    for item in run.runs:
        _finding(item, run.applied, console)
    if run.applied:
        _applied_summary(run, console)
    else:
        planned = [item for item in run.runs if item.outcome is RollbackStatus.PLANNED]
        calls = sum(len(item.calls) for item in planned)
        console.print(
            f"[bold]Dry run:[/] nothing was changed. {calls} AWS call{'s' if calls != 1 else ''} for "
            f"{len(planned)} finding{'s' if len(planned) != 1 else ''} would run with --apply."
        )
    if not (run.after or run.before).complete:
        console.print("[bold red]INCOMPLETE:[/] these could not be read, so they were not checked:")
        for gap in (run.after or run.before).not_checked:
            console.print(f"  {escape(gap.type)} in {escape(gap.region)}: {escape(gap.reason)}")


def _finding(item: FindingRun, applied: bool, console: Console) -> None:
    label, colour = _BADGE[item.outcome]
    if not applied and item.outcome is RollbackStatus.NOT_RUN:
        label = "PLAN"
    console.print(f"[{colour}]{label:<9}[/] {escape(item.drift.title)}")
    if item.detail:
        console.print(f"          [dim]{escape(item.detail)}[/]")
    for step in item.drift.rollback:
        console.print(f"    [dim]{escape(step.description)}:[/]")
        for line in (step.cli, step.iac):
            for text in (line or "").splitlines():
                console.print(f"      {escape(text)}", soft_wrap=True)
    if item.outcome is RollbackStatus.FAILED and item.calls:
        lines = cli_lines(item)
        for line in lines[: item.done]:
            console.print(f"    [green]ran:[/] {escape(line)}", soft_wrap=True)
        for line in lines[item.done :]:
            console.print(f"    [red]not run:[/] {escape(line)}", soft_wrap=True)
    console.print()


def _applied_summary(run: RollbackRun, console: Console) -> None:
    counts: dict[RollbackStatus, int] = {}
    for item in run.runs:
        counts[item.outcome] = counts.get(item.outcome, 0) + 1
    ran = ", ".join(f"{n} {outcome.value}" for outcome, n in counts.items())
    console.print(f"[bold]Rollback:[/] {ran}.")
    if run.failed:
        failed = next(item for item in run.runs if item.outcome is RollbackStatus.FAILED)
        console.print(
            f"[bold red]STOPPED[/] at {escape(failed.drift.title)}: {escape(failed.detail)}. "
            "Findings after it were not touched."
        )
    console.print(f"[green]Closed ({len(run.closed)}):[/]")
    for drift in run.closed:
        console.print(f"  {escape(drift.title)}")
    if run.remaining:
        console.print(f"[yellow]Still open ({len(run.remaining)}):[/]")
        for drift in run.remaining:
            console.print(f"  {escape(drift.title)}")
    if run.new:
        console.print(f"[red]New since the rollback ({len(run.new)}):[/]")
        for drift in run.new:
            console.print(f"  {escape(drift.title)}")


def rollback_to_dict(run: RollbackRun) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "applied": run.applied,
        "exit_code": run.exit_code,
        "complete": (run.after or run.before).complete,
        "findings": [
            {
                **finding_to_dict(item.drift),
                "outcome": item.outcome.value,
                "detail": item.detail,
                "calls": cli_lines(item),
                "calls_done": item.done,
            }
            for item in run.runs
        ],
        "closed": [finding_to_dict(d) for d in run.closed],
        "remaining": [finding_to_dict(d) for d in run.remaining],
        "new": [finding_to_dict(d) for d in run.new],
    }


def render_rollback_json(run: RollbackRun) -> str:
    return json.dumps(rollback_to_dict(run), indent=2, default=str) + "\n"


def cli_lines(item: FindingRun) -> list[str]:
    """The `aws` line of each call, as the rollback plan wrote it in the finding's steps."""
    written = [(step.call, step.cli) for step in item.drift.rollback if step.call is not None and step.cli]
    return [
        next((cli for known, cli in written if known == call), f"{call.service} {call.operation}")
        for call in item.calls
    ]

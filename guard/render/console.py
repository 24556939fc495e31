"""The console report: grouped by resource, what changed from what to what, and the way back."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.console import Console
from rich.markup import escape

from guard.model import Drift, DriftKind, Report, Severity

SEVERITY_COLOUR = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_KIND = {DriftKind.CHANGED: "CHANGED", DriftKind.MISSING: "DELETED", DriftKind.UNMANAGED: "ADDED"}


def render_console(report: Report, console: Console) -> None:
    groups: dict[str, list[Drift]] = defaultdict(list)
    for drift in report.findings:
        groups[drift.address or f"{drift.type} {drift.id} (not in any state)"].append(drift)
    for owner, findings in groups.items():
        console.print(f"[bold]{escape(owner)}[/]  [dim]{escape(_where(findings[0]))}[/]")
        for drift in findings:
            _finding(drift, console)
        console.print()
    if report.violations:
        _violations(report, console)
    _groups(report, console)
    _summary(report, console)


def _groups(report: Report, console: Console) -> None:
    for group in report.groups:
        if len(group.places) < 2:  # one place's findings are already listed together above
            continue
        console.print(f"[bold]Same change in {len(group.places)} places:[/] {escape(group.finding_class)}")
        for drift in group.findings:
            console.print(f"  {escape(drift.address or drift.id)}  [dim]{escape(_where(drift))}[/]")
        console.print()


def _where(drift: Drift) -> str:
    parts = [p for p in (drift.account, drift.region, drift.source if drift.source != "aws" else "") if p]
    return " · ".join(parts)


def _finding(drift: Drift, console: Console) -> None:
    colour = SEVERITY_COLOUR[drift.severity]
    console.print(
        f"  [{colour}]{_KIND[drift.kind]:<8}[/] [{colour}]{drift.severity.value}[/]  {escape(drift.title)}"
    )
    for change in drift.changes:
        console.print(
            f"      {escape(change.path)}: [green]{escape(_show(change.expected))}[/]"
            f" -> [red]{escape(_show(change.actual))}[/]"
        )
    for consequence in drift.impact:
        console.print(f"    [magenta]impact:[/] {escape(consequence)}")
    if drift.actor is not None:
        console.print(f"    [cyan]who:[/] {escape(drift.actor.described)}")
    for step in drift.rollback:
        console.print(f"    [dim]{escape(step.description)}:[/]")
        for line in (step.cli, step.iac):
            if line:
                for text in line.splitlines():
                    console.print(f"      {escape(text)}", soft_wrap=True)


def _show(value: Any) -> str:
    return "(not set)" if value is None else str(value)


def _summary(report: Report, console: Console) -> None:
    where = f"account {report.account or '?'}, {', '.join(report.regions)}"
    if len(report.accounts) > 1:
        where = f"accounts {', '.join(report.accounts)}, {', '.join(report.regions)}"
    count = len(report.findings)
    coverage = f"{report.managed_checked} of {report.managed_total} declared resources checked"
    if report.findings:
        by_kind = ", ".join(
            f"{sum(1 for d in report.findings if d.kind is kind)} {_KIND[kind].lower()}"
            for kind in DriftKind
            if any(d.kind is kind for d in report.findings)
        )
        console.print(f"[bold red]{count} finding{'s' if count != 1 else ''}[/] ({by_kind}) in {where}.")
    elif report.complete:
        console.print(f"[bold green]No drift[/] in {where}.")
    console.print(f"{coverage}.")
    if report.unsupported_types:
        names = ", ".join(f"{name} ({n})" for name, n in report.unsupported_types.items())
        console.print(f"[yellow]Not supported yet, so not checked:[/] {escape(names)}")
    if report.out_of_scope:
        console.print(
            f"[dim]{report.out_of_scope} declared resources are in regions or accounts not scanned.[/]"
        )
    for note in report.notes:
        console.print(f"[dim]Note: {escape(note)}[/]")
    if not report.complete:
        console.print("[bold red]INCOMPLETE:[/] these could not be read, so they were not checked:")
        for item in report.not_checked:
            console.print(f"  {escape(item.type)} in {escape(item.region)}: {escape(item.reason)}")
        for unread in report.unreadable:
            console.print(f"  {escape(unread.what)} {escape(unread.name)}: {escape(unread.reason)}")
        if any(unread.what == "state" for unread in report.unreadable):
            console.print("  Resources in no state are not reported while a state is unread.")


def _violations(report: Report, console: Console) -> None:
    """Rule violations in live state (`guard scan --rules`)."""
    console.print(f"[bold]Rule violations in live state ({len(report.violations)})[/]")
    for violation in report.violations:
        colour = SEVERITY_COLOUR[violation.severity]
        console.print(
            f"  [{colour}]{violation.severity.value:<8}[/] [bold]{escape(violation.rule_id)}[/] "
            f"{escape(violation.message)}"
        )
    console.print()

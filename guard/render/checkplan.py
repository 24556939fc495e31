"""check-plan reports for a terminal, for programs (JSON) and for GitHub's annotations."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape

from guard import __version__
from guard.model import Severity
from guard.plan.check import PlanFinding, PlanReport
from guard.render.console import SEVERITY_COLOUR

SCHEMA_VERSION = 1
MAX_ANNOTATIONS = 10  # GitHub shows at most 10 of each level per step


def verdict(report: PlanReport) -> str:
    if report.blocked:
        blocking = sum(1 for f in report.findings if f.blocking)
        return f"BLOCKED: {blocking} finding{'s' if blocking != 1 else ''} at or above {report.fail_on.value}"
    if not report.complete:
        return "INCOMPLETE: not everything could be checked"
    if report.limits:
        return "PASSED, with what this plan's format could not show listed below"
    return "PASSED"


def counts_text(report: PlanReport) -> str:
    return ", ".join(f"{n} to {word}" for word, n in report.counts.items()) or "no changes"


def render_console(report: PlanReport, console: Console) -> None:
    for finding in report.findings:
        v = finding.violation
        colour = SEVERITY_COLOUR[v.severity]
        flag = "BLOCK" if finding.blocking else "WARN "
        console.print(
            f"[{colour}]{flag} {v.severity.value:<8}[/] [bold]{escape(v.rule_id)}[/] {escape(v.message)}"
        )
        for line in finding.details:
            console.print(f"      {escape(line)}")
        if v.remediation:
            console.print(f"      [dim]fix: {escape(v.remediation.strip())}[/]")
    if report.findings:
        console.print()
    colour = "bold red" if report.blocked else ("bold yellow" if not report.complete else "bold green")
    console.print(f"[{colour}]{escape(verdict(report))}[/] ({escape(counts_text(report))}; {report.source})")
    for line in summary_lines(report):
        console.print(escape(line))


def summary_lines(report: PlanReport) -> list[str]:
    lines = []
    if report.existing:
        lines.append(
            f"{len(report.existing)} violation(s) already present on resources this plan leaves alone "
            "(not blocking; `guard scan --rules` lists them)."
        )
    if report.undecided:
        lines.append(
            f"{len(report.undecided)} rule check(s) depend on values known only after apply "
            "and were not decided: "
            + ", ".join(f"{rule} on {address}" for rule, address in report.undecided[:10])
        )
    for item in report.not_checked:
        lines.append(f"Not checked against live AWS: {item}")
    if report.limits:
        lines.append(f"Plan format of Terraform {report.terraform_version or '(unknown version)'}:")
        lines.extend(f"  - {line}" for line in report.limits)
    lines.extend(report.notes)
    return lines


def finding_to_dict(finding: PlanFinding) -> dict[str, Any]:
    v = finding.violation
    return {
        "rule_id": v.rule_id,
        "severity": v.severity.value,
        "blocking": finding.blocking,
        "new": finding.new,
        "type": v.type,
        "address": v.address,
        "title": v.title,
        "message": v.message,
        "details": list(finding.details),
        "remediation": v.remediation,
    }


def render_json(report: PlanReport) -> str:
    severities = {s.value: sum(1 for f in report.findings if f.violation.severity is s) for s in Severity}
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "change-guard", "version": __version__},
        "kind": "check-plan",
        "plan": report.source,
        "terraform_version": report.terraform_version,
        "verdict": "blocked" if report.blocked else ("incomplete" if not report.complete else "passed"),
        "fail_on": report.fail_on.value,
        "complete": report.complete,
        "summary": {
            "changes": report.counts,
            "findings": len(report.findings),
            "blocking": sum(1 for f in report.findings if f.blocking),
            "by_severity": severities,
            "existing_violations": len(report.existing),
            "undecided": [{"rule_id": r, "address": a} for r, a in report.undecided],
            "not_checked": list(report.not_checked),
            "format_limits": list(report.limits),
        },
        "findings": [finding_to_dict(f) for f in report.findings],
    }
    return json.dumps(document, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_annotations(report: PlanReport) -> str:
    """`::error`/`::warning` workflow commands, at most 10 of each; the rest are in the summary."""
    lines: list[str] = []
    shown = {"error": 0, "warning": 0}
    hidden = {"error": 0, "warning": 0}
    for finding in report.findings:
        level = "error" if finding.blocking else "warning"
        if shown[level] >= MAX_ANNOTATIONS:
            hidden[level] += 1
            continue
        shown[level] += 1
        v = finding.violation
        text = v.message + "".join(f"\n{line}" for line in finding.details)
        title = f"{v.rule_id} ({v.severity.value})"
        lines.append(
            f"::{level} file={_escape_property(report.source)},"
            f"title={_escape_property(title)}::{_escape_data(text)}"
        )
    if hidden["error"] or hidden["warning"]:
        lines.append(
            f"::notice title=change-guard::{hidden['error']} more error(s) and {hidden['warning']} more "
            "warning(s) are listed in the step summary"
        )
    lines.append(f"::notice title=change-guard::{_escape_data(verdict(report))} ({counts_text(report)})")
    return "\n".join(lines) + "\n"

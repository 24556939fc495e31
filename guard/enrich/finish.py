"""The last enrich step: what renderers show but no earlier stage stored (groups, actors in words)."""

from __future__ import annotations

from dataclasses import replace

from guard.enrich.attribution import describe_actor
from guard.enrich.graph import group_findings
from guard.model import Drift, Report


def finish_report(report: Report) -> Report:
    """Every Report passes here once its findings are final, so renderers compute nothing."""
    findings = tuple(_with_actor_words(drift) for drift in report.findings)
    return replace(report, findings=findings, groups=tuple(group_findings(findings)))


def _with_actor_words(drift: Drift) -> Drift:
    if drift.actor is None or drift.actor.described:
        return drift
    return replace(drift, actor=replace(drift.actor, described=describe_actor(drift.actor)))

"""The JSON report: a contract, versioned by `schema_version` (docs/json-schema.md)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import Any

from guard import __version__
from guard.model import Actor, Drift, DriftKind, Report, RollbackStep, Severity, Violation

SCHEMA_VERSION = 1


def report_to_dict(report: Report) -> dict[str, Any]:
    kinds = Counter(drift.kind.value for drift in report.findings)
    severities = Counter(drift.severity.value for drift in report.findings)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "change-guard", "version": __version__},
        "started_at": report.started_at,
        "duration_seconds": report.duration_seconds,
        "api_calls": report.api_calls,
        "account": report.account,
        "regions": list(report.regions),
        "sources": list(report.sources),
        "complete": report.complete,
        "accounts": list(report.accounts) or ([report.account] if report.account else []),
        "summary": {
            "findings": len(report.findings),
            **{kind.value: kinds.get(kind.value, 0) for kind in DriftKind},
            "by_severity": {s.value: severities.get(s.value, 0) for s in Severity},
            "not_checked": [
                {"type": n.type, "region": n.region, "reason": n.reason} for n in report.not_checked
            ],
            "unsupported_types": dict(report.unsupported_types),
            "coverage": {"managed": report.managed_total, "checked": report.managed_checked},
            "out_of_scope": report.out_of_scope,
            "checked_types": list(report.checked_types),
            "unreadable": [{"what": u.what, "name": u.name, "reason": u.reason} for u in report.unreadable],
        },
        "findings": [finding_to_dict(drift) for drift in report.findings],
        **({"violations": [violation_to_dict(v) for v in report.violations]} if report.violations else {}),
        "groups": _groups(report),
        "notes": list(report.notes),
    }


def finding_to_dict(drift: Drift) -> dict[str, Any]:
    return {
        "kind": drift.kind.value,
        "type": drift.type,
        "id": drift.id,
        "address": drift.address,
        "account": drift.account,
        "region": drift.region,
        "title": drift.title,
        "source": drift.source,
        "severity": drift.severity.value,
        "rule_ids": list(drift.rule_ids),
        "changes": [{"path": c.path, "expected": c.expected, "actual": c.actual} for c in drift.changes],
        "impact": list(drift.impact),
        "rollback": [_step(step) for step in drift.rollback],
        "actor": _actor(drift.actor),
    }


def violation_to_dict(violation: Violation) -> dict[str, Any]:
    return {
        "rule_id": violation.rule_id,
        "severity": violation.severity.value,
        "title": violation.title,
        "message": violation.message,
        "type": violation.type,
        "id": violation.id,
        "address": violation.address,
        "account": violation.account,
        "region": violation.region,
        "remediation": violation.remediation,
    }


def _actor(actor: Actor | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    fields = asdict(actor)
    del fields["described"]  # shown as "text", the key the contract has always used
    return {**fields, "text": actor.described}


def _groups(report: Report) -> list[dict[str, Any]]:
    """The same mistake in several places: indexes into `findings`."""
    position = {id(drift): index for index, drift in enumerate(report.findings)}
    return [
        {
            "class": group.finding_class,
            "count": len(group.findings),
            "places": list(group.places),
            "findings": [position[id(drift)] for drift in group.findings],
        }
        for group in report.groups
    ]


def _step(step: RollbackStep) -> dict[str, Any]:
    return {"kind": step.kind, "description": step.description, "cli": step.cli, "iac": step.iac}


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2, default=str) + "\n"

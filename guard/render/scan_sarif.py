"""`guard scan` as SARIF 2.1.0: every drift finding and rule violation on its state file and address."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from guard import __version__
from guard.model import Drift, DriftKind, Report, Severity, Violation
from guard.render.sarif import LEVEL, SCHEMA, SCORE

# One SARIF rule per kind of drift: code scanning groups and filters results by rule.
_DRIFT_RULES = {
    DriftKind.CHANGED: (
        "GUARD-DRIFT-CHANGED",
        "Changed outside Terraform",
        "A live attribute differs from state.",
    ),
    DriftKind.MISSING: (
        "GUARD-DRIFT-DELETED",
        "Deleted outside Terraform",
        "A declared resource is gone from AWS.",
    ),
    DriftKind.UNMANAGED: ("GUARD-DRIFT-ADDED", "Added outside Terraform", "A live resource is in no state."),
}
_FIX = "Put it back with the rollback steps (`guard rollback`), or adopt the change in the code."


def _drift_rule(kind: DriftKind) -> dict[str, Any]:
    rule_id, title, description = _DRIFT_RULES[kind]
    return {
        "id": rule_id,
        "name": "".join(part.capitalize() for part in rule_id.lower().split("-")),
        "shortDescription": {"text": title},
        "fullDescription": {"text": description},
        "help": {"text": _FIX, "markdown": _FIX},
        "defaultConfiguration": {"level": LEVEL[Severity.MEDIUM]},
        "properties": {"tags": ["drift", "terraform"]},
    }


def _violation_rule(violation: Violation) -> dict[str, Any]:
    help_text = violation.remediation.strip() or violation.title
    return {
        "id": violation.rule_id,
        "name": "".join(part.capitalize() for part in violation.rule_id.lower().split("-")),
        "shortDescription": {"text": violation.title},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVEL[violation.severity]},
        "properties": {"security-severity": SCORE[violation.severity], "tags": ["security", "terraform"]},
    }


def _location(state: str, address: str) -> dict[str, Any]:
    location: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": address, "kind": "resource"}]}
    if state:
        location["physicalLocation"] = {"artifactLocation": {"uri": state}}
    return location


def _state_of(source: str, report: Report) -> str:
    """The state file a finding belongs to; a resource in no state points at the state scanned."""
    if source and source != "aws":
        return source
    return report.sources[0] if len(report.sources) == 1 else ""


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256("|".join(str(p or "") for p in parts).encode()).hexdigest()


def _drift_result(drift: Drift, report: Report, index: dict[str, int]) -> dict[str, Any]:
    rule_id = _DRIFT_RULES[drift.kind][0]
    lines = [drift.title]
    lines += [f"{c.path}: {_show(c.expected)} -> {_show(c.actual)}" for c in drift.changes]
    lines += [f"impact: {consequence}" for consequence in drift.impact]
    if drift.actor is not None:
        lines.append(f"who: {drift.actor.described or drift.actor.who}")
    lines += [f"way back: {step.cli or step.iac or step.description}" for step in drift.rollback[:1]]
    paths = ",".join(sorted(c.path for c in drift.changes))
    return {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": LEVEL[drift.severity],
        "message": {"text": "\n".join(lines)},
        "locations": [
            _location(_state_of(drift.source, report), drift.address or f"{drift.type}.{drift.id}")
        ],
        "partialFingerprints": {
            "guardDrift/v1": _fingerprint(
                drift.kind.value, drift.account, drift.region, drift.type, drift.id, paths
            )
        },
        "properties": {
            "severity": drift.severity.value,
            "security-severity": SCORE[drift.severity],
            "kind": drift.kind.value,
            "type": drift.type,
            "id": drift.id,
            "account": drift.account,
            "region": drift.region,
            "rule_ids": list(drift.rule_ids),
        },
    }


def _violation_result(violation: Violation, report: Report, index: dict[str, int]) -> dict[str, Any]:
    return {
        "ruleId": violation.rule_id,
        "ruleIndex": index[violation.rule_id],
        "level": LEVEL[violation.severity],
        "message": {"text": violation.message},
        "locations": [
            _location(
                _state_of(violation.source, report), violation.address or f"{violation.type}.{violation.id}"
            )
        ],
        "partialFingerprints": {
            "guardViolation/v1": _fingerprint(
                violation.rule_id,
                violation.account,
                violation.region,
                violation.type,
                violation.id,
                violation.address,
            )
        },
        "properties": {
            "severity": violation.severity.value,
            "account": violation.account,
            "region": violation.region,
        },
    }


def _show(value: Any) -> str:
    return "(not set)" if value is None else str(value)


def render_scan_sarif(report: Report) -> str:
    rules: dict[str, dict[str, Any]] = {}
    for drift in report.findings:
        rules.setdefault(_DRIFT_RULES[drift.kind][0], _drift_rule(drift.kind))
    for violation in report.violations:
        rules.setdefault(violation.rule_id, _violation_rule(violation))
    index = {rule_id: position for position, rule_id in enumerate(rules)}
    results = [_drift_result(drift, report, index) for drift in report.findings]
    results += [_violation_result(violation, report, index) for violation in report.violations]
    not_read = [f"{n.type} in {n.region}: {n.reason}" for n in report.not_checked]
    not_read += [f"{u.what} {u.name}: {u.reason}" for u in report.unreadable]
    invocation: dict[str, Any] = {"executionSuccessful": report.complete}
    if not_read:  # never "clean" when something was not checked: say what, in the run itself
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": f"not checked: {text}"}} for text in not_read
        ]
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {"name": "change-guard", "version": __version__, "rules": list(rules.values())}
                },
                "results": results,
                "invocations": [invocation],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"

"""check-plan as SARIF 2.1.0, for GitHub code scanning and other SARIF readers."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from guard import __version__
from guard.model import Severity
from guard.plan.check import PlanReport
from guard.rules.model import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub reads `security-severity` (0.0-10.0) to rank security findings.
SCORE = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def _rule(rule: Rule) -> dict[str, Any]:
    help_text = rule.remediation.strip() or rule.title
    out: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.lower().split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": (rule.description or rule.title).strip()},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"security-severity": SCORE[rule.severity], "tags": ["security", "terraform"]},
    }
    if rule.references:
        out["helpUri"] = rule.references[0]
    return out


def render_sarif(report: PlanReport) -> str:
    rules = list(report.rules)
    index = {rule.id: position for position, rule in enumerate(rules)}
    results = []
    for finding in report.findings:
        v = finding.violation
        text = v.message + "".join(f"\n{line}" for line in finding.details)
        result: dict[str, Any] = {
            "ruleId": v.rule_id,
            "level": "error" if finding.blocking else LEVEL[v.severity],
            "message": {"text": text},
            "locations": [
                {
                    "physicalLocation": {"artifactLocation": {"uri": report.source}},
                    "logicalLocations": [{"fullyQualifiedName": v.address, "kind": "resource"}],
                }
            ],
            "partialFingerprints": {
                "guardFinding/v1": hashlib.sha256(f"{v.rule_id}|{v.address}".encode()).hexdigest()
            },
            "properties": {"severity": v.severity.value, "blocking": finding.blocking},
        }
        if v.rule_id in index:
            result["ruleIndex"] = index[v.rule_id]
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "change-guard",
                        "version": __version__,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "results": results,
                "invocations": [{"executionSuccessful": report.complete}],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

"""`guard check-plan`: the pre-apply guard.

One pass over a plan: rules on every planned after-state (a violation counts when the
plan touches the resource or brings the violation in), plan-level rules on every
change (protected deletes and replacements, reverts of out-of-band changes), and, with
live AWS at hand, what the apply would silently undo that Terraform's refresh did not see.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from guard.live import REGISTRY, Registry
from guard.model import Severity, Violation
from guard.plan.reader import MASK, NO_DRIFT, UNKNOWN, Plan, PlannedChange, masked
from guard.rules.engine import Subject, evaluate, subjects_from_resources
from guard.rules.loader import RuleSet
from guard.rules.model import Rule

PROTECT_RULE = "GUARD-PLAN-001"
REVERT_RULE = "GUARD-PLAN-002"


@dataclass(frozen=True)
class Revert:
    """An attribute changed outside Terraform that this apply sets back."""

    path: str
    outside: Any  # the value found in AWS (masked when sensitive)
    planned: Any  # the value the apply writes
    seen_by: str = "terraform"  # "terraform" (resource_drift) or "live" (guard's own read)


@dataclass(frozen=True)
class PlanFinding:
    violation: Violation
    blocking: bool
    new: bool = True  # brought in by this plan, not already true before it
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanReport:
    source: str
    terraform_version: str
    fail_on: Severity
    findings: tuple[PlanFinding, ...]
    counts: dict[str, int]
    rules: tuple[Rule, ...]
    existing: tuple[Violation, ...] = ()  # on resources the plan leaves alone: not blocking
    undecided: tuple[tuple[str, str], ...] = ()  # (rule, address) depending on unknown values
    not_checked: tuple[str, ...] = ()  # what --live could not read
    notes: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()  # what the plan's format version could not tell (older Terraform)

    @property
    def blocked(self) -> bool:
        return any(finding.blocking for finding in self.findings)

    @property
    def complete(self) -> bool:
        return not self.not_checked


@dataclass
class LiveComparison:
    """What `--live` found: per plan address, what live AWS holds that prior state does not."""

    reverts: dict[str, list[Revert]] = field(default_factory=dict)
    not_checked: list[str] = field(default_factory=list)


def is_protected(change: PlannedChange, protect: Sequence[str], registry: Registry = REGISTRY) -> bool:
    """Protected by its declaration (data a re-create does not bring back) or by a user's pattern."""
    for pattern in (*registry.protected_types(), *protect):
        if fnmatch.fnmatchcase(change.type, pattern) or fnmatch.fnmatchcase(change.address, pattern):
            return True
    return False


def _flat_paths(value: Any, prefix: str = "") -> dict[str, Any]:
    """Top-level attributes, and one level into maps (tags.Owner)."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict) and not prefix:
            for sub, subitem in item.items():
                out[f"{key}.{sub}"] = subitem
            if not item:
                out[key] = item
        else:
            out[f"{prefix}{key}"] = item
    return out


def _differing(before: Any, after: Any) -> set[str]:
    left, right = _flat_paths(before), _flat_paths(after)
    return {path for path in set(left) | set(right) if left.get(path) != right.get(path)}


def _at(value: Any, path: str) -> Any:
    for step in path.split("."):
        value = value.get(step) if isinstance(value, dict) else None
    return value


def _revert_of(drift: PlannedChange, change: PlannedChange) -> list[Revert]:
    outside = masked(drift.after, drift.after_sensitive)
    planned = masked(change.after, change.after_sensitive)
    unknown = change.after_unknown if isinstance(change.after_unknown, dict) else {}
    drifted = _differing(drift.before, drift.after)
    if change.deletes:
        return [Revert(path, _at(outside, path), "(destroyed)") for path in sorted(drifted)]
    planned_paths = _differing(change.before, change.after) | {
        path for path in drifted if _at(unknown, path) is True
    }
    return [
        Revert(path, _at(outside, path), UNKNOWN if _at(unknown, path) is True else _at(planned, path))
        for path in sorted(drifted & planned_paths)
    ]


def _change_doc(change: PlannedChange, protect: Sequence[str], reverts: list[Revert]) -> dict[str, Any]:
    return {
        "address": change.address,
        "type": change.type,
        "actions": list(change.actions),
        "action_reason": change.action_reason or None,
        "replace_paths": [list(p) for p in change.replace_paths],
        "protected": is_protected(change, protect),
        "reverts": [{"path": r.path, "seen_by": r.seen_by} for r in reverts],
        "before": change.before,
        "after": change.after,
        "_type": change.type,
        "_address": change.address,
    }


def _show(value: Any) -> str:
    if value is None:
        return "(not set)"
    if value in (MASK, UNKNOWN, "(destroyed)"):
        return str(value)
    return repr(value) if isinstance(value, str) else str(value)


def _change_details(violation: Violation, change: PlannedChange, reverts: list[Revert]) -> tuple[str, ...]:
    if violation.rule_id == REVERT_RULE:
        return tuple(
            f"{r.path}: {_show(r.outside)} "
            f"({'found in AWS by guard' if r.seen_by == 'live' else 'changed outside Terraform'})"
            f" -> {_show(r.planned)}"
            for r in reverts
        )
    lines = [f"action: {change.action_text}"]
    if change.action_reason:
        lines.append(f"reason: {change.action_reason}")
    if change.replace_paths:
        paths = ", ".join(".".join(str(step) for step in path) for path in change.replace_paths)
        lines.append(f"forced by a change to: {paths}")
    if change.previous_address:
        lines.append(f"previous address: {change.previous_address}")
    return tuple(lines)


def check_plan(
    plan: Plan,
    rules: RuleSet,
    fail_on: Severity = Severity.HIGH,
    protect: Sequence[str] = (),
    live: LiveComparison | None = None,
) -> PlanReport:
    touched = {change.address for change in plan.changes if change.touches}
    findings: list[PlanFinding] = []

    # Rules on after-states; the prior state tells which violations this plan brings in.
    after = plan.after_states()
    subjects = subjects_from_resources(after, plan.unknown(), context=plan.prior)
    outcome = evaluate(rules, subjects)
    before = evaluate(rules, subjects_from_resources(list(plan.prior)))
    already = {(v.rule_id, v.address) for v in before.violations}
    existing: list[Violation] = []
    for violation in outcome.violations:
        new = (violation.rule_id, violation.address) not in already
        if violation.address in touched or new:
            findings.append(PlanFinding(violation, violation.severity.rank >= fail_on.rank, new=new))
        else:
            existing.append(violation)

    # Plan-level rules on every change.
    by_address = {change.address: change for change in plan.changes}
    reverts: dict[str, list[Revert]] = {}
    for drift in plan.drift:
        change = by_address.get(drift.address)
        if change is not None and change.touches:
            reverts.setdefault(drift.address, []).extend(_revert_of(drift, change))
    for address, found in (live.reverts if live else {}).items():
        if address in touched:
            reverts.setdefault(address, []).extend(found)
    change_subjects = [
        Subject(
            type=change.type,
            address=change.address,
            doc=_change_doc(change, protect, reverts.get(change.address, [])),
            source=plan.source,
        )
        for change in plan.changes
        if change.mode == "managed"
    ]
    change_outcome = evaluate(rules, change_subjects, subject_kind="change")
    for violation in change_outcome.violations:
        change = by_address[violation.address]
        details = _change_details(violation, change, reverts.get(change.address, []))
        violation = replace(violation, message=f"{violation.address}: {violation.title}")
        findings.append(PlanFinding(violation, violation.severity.rank >= fail_on.rank, details=details))

    findings.sort(key=lambda f: (not f.blocking, -f.violation.severity.rank, f.violation.address))
    notes = []
    if not plan.complete:
        notes.append(
            "The plan is not complete (some changes were deferred); run check-plan on the next plan too."
        )
    return PlanReport(
        source=plan.source,
        terraform_version=plan.terraform_version,
        fail_on=fail_on,
        findings=tuple(findings),
        counts=_counts(plan),
        rules=tuple(rules),
        existing=tuple(existing),
        undecided=tuple(sorted(set(outcome.undecided + change_outcome.undecided))),
        not_checked=tuple(live.not_checked) if live else (),
        notes=tuple(notes),
        limits=_format_limits(plan, live),
    )


def _format_limits(plan: Plan, live: LiveComparison | None) -> tuple[str, ...]:
    """The plan's own gaps; with --live, guard's read of AWS stands in for `resource_drift`."""
    if live is None:
        return plan.limits
    return tuple(line for line in plan.limits if line != NO_DRIFT)


def _counts(plan: Plan) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "replace": 0, "delete": 0}
    for change in plan.changes:
        if change.mode != "managed":
            continue
        if change.replaces:
            counts["replace"] += 1
        elif change.actions == ("create",):
            counts["create"] += 1
        elif change.actions == ("update",):
            counts["update"] += 1
        elif change.actions == ("delete",):
            counts["delete"] += 1
    return counts
